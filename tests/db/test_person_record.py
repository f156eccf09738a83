"""What the person editor reads, and its two small edits: a contact's kind, an empty household."""

from __future__ import annotations

import pytest

from db.database import Database
from db.errors import UserError
from db.models import Household, Person
from db.people import NewPerson, add_person
from db.person_edit import add_contact, move_to_household
from db.person_record import (
    discard_empty_household,
    household_choices,
    person_record,
    set_contact_kind,
)
from db.verification import mark_verified, set_contact_preference


@pytest.fixture
def couple(database: Database) -> tuple[int, int]:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", "member", email="ann@example.org"))
        bob = add_person(session, NewPerson("Bob", "Jones"))
        move_to_household(session, ann, None, address={"line1": "1 High St", "postcode": "cf101aa"})
        move_to_household(session, bob, session.get_one(Person, ann).household_id)
    return ann, bob


def test_the_record_holds_everything_the_editor_shows(
    database: Database, couple: tuple[int, int]
) -> None:
    ann, bob = couple
    with database.session() as session:
        mark_verified(session, ann, "address", "in person")
        set_contact_preference(session, ann, "post", False, how="Said so")
        record = person_record(session, ann)
    assert (record.full_name, record.status_label, record.follow_up) == (
        "Ann Jones",
        "Member",
        False,
    )
    assert [(e.value, e.is_primary) for e in record.emails] == [("ann@example.org", True)]
    assert record.household is not None
    assert record.household.lines == ["1 High St", "CF10 1AA"]
    assert [(r.id, r.name) for r in record.household.others] == [(bob, "Bob Jones")]
    assert record.preferences["post"].how == "Said so"
    assert record.verified["address"].source == "in_person"


def test_households_are_found_by_a_residents_name_or_postcode(
    database: Database, couple: tuple[int, int]
) -> None:
    ann, _bob = couple
    with database.session() as session:
        home = session.get_one(Person, ann).household_id
        for query in ("jones", "CF10 1AA"):
            choices = household_choices(session, query)
            assert [(c.id, c.residents) for c in choices] == [(home, ["Ann Jones", "Bob Jones"])]
        assert household_choices(session, "jones", exclude=home) == []
        assert household_choices(session, "  ") == []


def test_a_contacts_kind_changes_and_a_wrong_kind_is_refused(
    database: Database, couple: tuple[int, int]
) -> None:
    ann, _bob = couple
    with database.session() as session:
        phone = add_contact(session, ann, "phone", "07700 900123")
        assert set_contact_kind(session, "phone", phone.id, "home") == "mobile"
        assert person_record(session, ann).phones[0].kind == "home"
        with pytest.raises(UserError, match="'pager' is not a kind of phone"):
            set_contact_kind(session, "phone", phone.id, "pager")


def test_only_a_household_nobody_lives_in_is_discarded(
    database: Database, couple: tuple[int, int]
) -> None:
    ann, _bob = couple
    with database.session() as session:
        home = session.get_one(Person, ann).household_id
        assert home is not None
        assert not discard_empty_household(session, home)
        empty = Household(line1="Nowhere")
        session.add(empty)
        session.flush()
        assert discard_empty_household(session, empty.id)
        assert session.get(Household, empty.id) is None
