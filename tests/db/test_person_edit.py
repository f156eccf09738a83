"""Editing a person: details, emails and phones, households; each edit reversible exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.database import Database
from db.errors import Conflict, NotFound, UserError
from db.models import EmailAddress, Household, Person, PhoneNumber
from db.people import NewPerson, add_person, find_person
from db.person_edit import (
    add_contact,
    edit_address,
    edit_person,
    move_to_household,
    remove_contact,
    set_primary,
)
from tests.helpers.checks import dump_tables


@pytest.fixture
def ann(database: Database) -> int:
    with database.session() as session:
        return add_person(
            session,
            NewPerson(
                "Ann", "Jones", "member", membership_number="100001", email="ann@example.org"
            ),
        )


def test_an_edit_changes_only_what_it_names_and_its_reverse_restores_it(
    database: Database, ann: int
) -> None:
    before = dump_tables(database)
    with database.session() as session:
        edit = edit_person(
            session,
            ann,
            {"preferred_name": "  Annie ", "date_of_birth": dt.date(1970, 5, 1), "notes": "Car"},
        )
    assert edit.old == {"preferred_name": None, "date_of_birth": None, "notes": None}
    assert edit.new == {
        "preferred_name": "Annie",
        "date_of_birth": dt.date(1970, 5, 1),
        "notes": "Car",
    }
    with database.session() as session:
        person = session.get_one(Person, ann)
        assert (person.preferred_name, person.first_name, person.notes) == ("Annie", "Ann", "Car")
        assert "annie" in person.search_text  # found by the new name at the door
        edit_person(session, ann, edit.reverse)
    after = dump_tables(database)
    # Everything is as it was but the audit trail (which records both edits) and the version.
    assert {t: rows for t, rows in after.items() if t not in ("audit_entry", "person")} == {
        t: rows for t, rows in before.items() if t not in ("audit_entry", "person")
    }
    with database.session() as session:
        person = session.get_one(Person, ann)
        assert (person.preferred_name, person.date_of_birth, person.notes) == (None, None, None)


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"first_name": "", "last_name": " "}, "A person needs a first name or a last name."),
        ({"status": "boss"}, "'boss' is not a status"),
        ({"shoe_size": 9}, "A person has no detail called shoe_size."),
        ({"date_of_birth": "1970-01-01"}, "The date of birth must be a date."),
        (
            {"joined_on": dt.date(2020, 1, 1), "lapsed_on": dt.date(2019, 1, 1)},
            "A membership cannot lapse before it began.",
        ),
        ({"membership_number": "100002"}, "Membership number 100002 already belongs to Bob Smith"),
    ],
)
def test_bad_edits_are_refused_in_one_sentence_and_change_nothing(
    database: Database, ann: int, changes: dict[str, object], sentence: str
) -> None:
    with database.session() as session:
        add_person(session, NewPerson("Bob", "Smith", "member", membership_number="100002"))
    before = dump_tables(database)
    with pytest.raises(UserError) as refused, database.session() as session:
        edit_person(session, ann, changes)
    assert str(refused.value).startswith(sentence)
    assert dump_tables(database) == before


def test_a_save_over_someone_elses_newer_edit_is_refused(database: Database, ann: int) -> None:
    with database.session() as session:
        version = session.get_one(Person, ann).version
        edit_person(session, ann, {"notes": "first"})
    with (
        pytest.raises(Conflict, match="Someone else changed this person"),
        database.session() as session,
    ):
        edit_person(session, ann, {"notes": "second"}, expected_version=version)


def test_emails_and_phones_keep_exactly_one_primary(database: Database, ann: int) -> None:
    with database.session() as session:
        first = session.scalar(select(EmailAddress.id).where(EmailAddress.person_id == ann))
        assert first is not None
        work = add_contact(session, ann, "email", " Ann.Jones@Work.example ", kind="work")
        assert (work.value, work.kind, work.is_primary) == ("ann.jones@work.example", "work", False)
        assert set_primary(session, "email", work.id) == first
        mobile = add_contact(session, ann, "phone", "07700 900123")
        assert mobile.is_primary  # the first phone is the primary
        with pytest.raises(Conflict, match="already has"):
            add_contact(session, ann, "email", "ann@example.org")
        with pytest.raises(UserError, match="not-an-email"):
            add_contact(session, ann, "email", "not-an-email")
        removed = remove_contact(session, "email", work.id)
        assert removed.is_primary
        rows = session.execute(
            select(EmailAddress.id, EmailAddress.is_primary).where(EmailAddress.person_id == ann)
        ).all()
        assert [tuple(r) for r in rows] == [(first, True)]  # the remaining one took over
        # Undo of the removal puts back the same row, primary again.
        back = add_contact(
            session,
            ann,
            "email",
            removed.value,
            kind=removed.kind,
            primary=True,
            restore_id=removed.id,
        )
        assert (back.id, back.is_primary) == (work.id, True)
        phones = session.scalars(select(PhoneNumber.number).where(PhoneNumber.person_id == ann))
        assert list(phones) == [mobile.value]


def test_a_new_address_moves_the_whole_household(database: Database, ann: int) -> None:
    with database.session() as session:
        bob = add_person(session, NewPerson("Bob", "Jones", "member"))
        move_to_household(
            session, ann, None, address={"line1": "12 Acacia Road", "postcode": "ls6 2qq"}
        )
        household = session.get_one(Person, ann).household_id
        assert household is not None
        assert move_to_household(session, bob, household) is None
        edit = edit_address(session, household, {"line1": "3 New Street", "postcode": "LS7 1AB"})
        assert edit.old == {"line1": "12 Acacia Road", "postcode": "LS6 2QQ"}
        with pytest.raises(UserError, match="'XX' is not"):
            edit_address(session, household, {"postcode": "XX"})
    with database.session() as session:
        address = session.get_one(Household, household)
        assert (address.line1, address.postcode) == ("3 New Street", "LS7 1AB")
        assert find_person(session, "Bob Jones") == bob
        assert session.get_one(Person, bob).household_id == household
        assert "ls71ab" in session.get_one(Person, bob).search_text.replace(" ", "")
        with pytest.raises(NotFound):
            move_to_household(session, bob, 9999)


def test_the_search_text_follows_emails_and_moves(database: Database, ann: int) -> None:
    """What the door and the list search must find after each edit, and no longer find."""

    def text() -> str:
        with database.session() as session:
            return session.get_one(Person, ann).search_text

    with database.session() as session:
        added = add_contact(session, ann, "email", "zed@work.example")
    assert "zedworkexample" in text()
    with database.session() as session:
        remove_contact(session, "email", added.id)
    assert "zedworkexample" not in text() and "annexampleorg" in text()
    with database.session() as session:
        move_to_household(session, ann, None, address={"line1": "1 Road", "postcode": "LS6 2QQ"})
    assert "ls62qq" in text()
    with database.session() as session:
        other = Household(line1="9 Lane", postcode="YO1 7HH")
        session.add(other)
        session.flush()
        move_to_household(session, ann, other.id)
    assert "yo17hh" in text() and "ls62qq" not in text()
    with database.session() as session:
        move_to_household(session, ann, None)
    assert "yo17hh" not in text()
