"""The door's type-ahead: the first matches alphabetically while they are few enough to sort
in a keystroke, some of them and how many beyond that."""

from __future__ import annotations

import pytest

import db.door_search
from db.database import Database
from db.door_search import door_matches
from db.people import NewPerson, add_person, list_people

SURNAMES = ["Hughes", "Hughes", "Hugo", "Hubbard", "Hume", "Hunt", "Hurst", "Huxley", "Hyde"]


@pytest.fixture
def branch(database: Database) -> Database:
    with database.session() as session:
        for number, last in enumerate(SURNAMES, start=1):
            add_person(session, NewPerson(f"Person{number}", last, "member"))
        add_person(session, NewPerson("Ann", "Jones", "member", membership_number="100001"))
    return database


def test_few_matches_are_the_first_alphabetically(branch: Database) -> None:
    with branch.session() as session:
        found = door_matches(session, "hu", limit=3)
        everyone = list_people(session, "hu", limit=100)
    assert found.total == 8 and found.more == 5 and found.complete_order
    assert [p.last_name for p in found.people] == ["Hubbard", "Hughes", "Hughes"]
    assert found.people == everyone[:3]


def test_many_matches_are_counted_and_some_are_shown_sorted(
    branch: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.door_search, "READABLE", 4)
    with branch.session() as session:
        found = door_matches(session, "hu", limit=3)
        everyone = {p.id for p in list_people(session, "hu", limit=100)}
    assert found.total == 8 and found.more == 5 and not found.complete_order
    assert len(found.people) == 3
    assert {p.id for p in found.people} <= everyone
    keys = [(p.sort_key, p.id) for p in found.people]
    assert keys == sorted(keys)


def test_a_number_finds_its_person_and_nothing_typed_finds_no_one(branch: Database) -> None:
    with branch.session() as session:
        by_number = door_matches(session, "100001")
        nothing = door_matches(session, "  ")
        nobody = door_matches(session, "zzz")
    assert [p.last_name for p in by_number.people] == ["Jones"] and by_number.total == 1
    assert (nothing.total, nothing.people) == (0, [])
    assert (nobody.total, nobody.people, nobody.more) == (0, [], 0)
