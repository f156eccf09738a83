"""Marking details verified, contact preferences, and the audit trail a person shows."""

from __future__ import annotations

import datetime as dt

import pytest

from db.database import Database
from db.errors import UserError
from db.people import NewPerson, add_person
from db.person_edit import edit_person
from db.person_history import person_history
from db.verification import (
    contact_preferences,
    last_verified,
    mark_verified,
    set_contact_preference,
    unmark_verified,
    verification_source,
)


@pytest.fixture
def ann(database: Database) -> int:
    with database.session() as session:
        return add_person(session, NewPerson("Ann", "Jones", "member"))


@pytest.mark.parametrize(
    ("how", "source", "note"),
    [
        ("in person", "in_person", None),
        ("Phone call", "phone_call", None),
        ("national_list", "national_list", None),
        ("Letter returned undelivered", "letter_returned", None),
        ("  asked her at the stall ", "other", "asked her at the stall"),
    ],
)
def test_how_is_read_as_a_source_or_kept_as_a_note(how: str, source: str, note: str | None) -> None:
    assert verification_source(how) == (source, note)


def test_the_latest_verification_of_each_group_is_what_counts(database: Database, ann: int) -> None:
    with database.session() as session:
        mark_verified(session, ann, "address", "national list", on=dt.date(2025, 1, 5))
        latest = mark_verified(session, ann, "address", "in person", on=dt.date(2026, 3, 1))
        returned = mark_verified(session, ann, "email", "letter returned", on=dt.date(2026, 4, 1))
        found = last_verified(session, ann)
    assert set(found) == {"address", "email"}
    assert (found["address"].verified_on, found["address"].source_label) == (
        dt.date(2026, 3, 1),
        "In person",
    )
    assert not found["address"].doubted and returned.doubted
    with database.session() as session:
        unmark_verified(session, latest.id)
        assert last_verified(session, ann)["address"].verified_on == dt.date(2025, 1, 5)
        with pytest.raises(UserError, match="'shoe' is not a group of details"):
            mark_verified(session, ann, "shoe", "in person")
        with pytest.raises(UserError, match="Say how"):
            mark_verified(session, ann, "phone", "   ")


def test_a_preference_records_when_and_how_and_returns_what_it_replaced(
    database: Database, ann: int
) -> None:
    at = dt.datetime(2026, 11, 1, 10, 0)
    with database.session() as session:
        assert set_contact_preference(session, ann, "email", True, how="Form", at=at) is None
        before = set_contact_preference(session, ann, "email", False, how=" phoned  us ")
        assert before is not None and (before.allowed, before.how, before.recorded_at) == (
            True,
            "Form",
            at,
        )
        set_contact_preference(session, ann, "sms", False)
        prefs = contact_preferences(session, ann)
        assert {c: (p.allowed, p.how) for c, p in prefs.items()} == {
            "email": (False, "phoned us"),
            "sms": (False, None),
        }
        set_contact_preference(session, ann, "sms", None)  # no answer recorded after all
        assert set(contact_preferences(session, ann)) == {"email"}
        with pytest.raises(UserError, match="'fax' is not a channel"):
            set_contact_preference(session, ann, "fax", True)


def test_the_trail_says_when_who_what_and_old_to_new(database: Database, ann: int) -> None:
    with database.session() as session:
        edit_person(session, ann, {"preferred_name": "Annie"})
        mark_verified(session, ann, "address", "in person", on=dt.date(2026, 3, 1))
    with database.session() as session:
        lines = person_history(session, ann)
    newest = lines[0]
    assert (newest.what, newest.new, newest.actor, newest.action) == (
        "verification detail",
        "address",
        "tester",
        "insert",
    )
    renamed = next(line for line in lines if line.what == "preferred name")
    assert (renamed.old, renamed.new, renamed.action) == (None, "Annie", "update")
    assert lines[-1].action == "insert" and any(line.what == "first name" for line in lines)


def test_a_merge_shows_in_the_trail_as_one_line_saying_what_happened(database: Database) -> None:
    from db.merge import merge

    with database.session() as session:
        keep = add_person(session, NewPerson("Ann", "Jones", "member"))
        other = add_person(session, NewPerson("Ann", "Jones", "supporter"))
        merge(session, keep, other)
    with database.session() as session:
        lines = person_history(session, keep)
    merged = [line for line in lines if line.action == "merge"]
    assert len(merged) == 1 and merged[0].what == "record"
    assert merged[0].new.startswith(f"Merged Ann Jones (id {other}) into Ann Jones (id {keep})")
