"""One person's details, and naming a person on the command line."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from db.database import Database
from db.errors import Ambiguous, NotFound
from db.people import find_person, person_detail

AS_OF = dt.date(2026, 11, 1)  # the demo template's as_of


def test_detail_agrees_with_the_rows_behind_it(demo_database: Database) -> None:
    with demo_database.session() as session:
        person_id, attended = session.execute(
            text(
                "SELECT a.person_id, count(*) FROM attendance a JOIN meeting m ON m.id = "
                "a.meeting_id WHERE a.status = 'present' AND m.starts_at >= :since "
                "GROUP BY a.person_id ORDER BY count(*) DESC LIMIT 1"
            ),
            {"since": str(AS_OF - dt.timedelta(days=365))},
        ).one()
        detail = person_detail(session, person_id, today=AS_OF)
        housemates = (
            session.execute(
                text(
                    "SELECT other.id FROM person me JOIN person other ON other.household_id = "
                    "me.household_id AND other.id != me.id WHERE me.id = :id ORDER BY other.id"
                ),
                {"id": person_id},
            )
            .scalars()
            .all()
        )
    assert detail.meetings_attended_12m == attended > 0
    assert detail.last_attended is not None and detail.last_attended <= AS_OF
    assert sorted(pid for pid, _name, _status in detail.household_members) == list(housemates)
    assert detail.address_lines[-1] == detail.address_lines[-1].upper()  # the postcode


def test_a_person_is_named_by_number_id_or_unique_name(demo_database: Database) -> None:
    with demo_database.session() as session:
        person_id, number, first, last = session.execute(
            text(
                "SELECT id, membership_number, first_name, last_name FROM person "
                "WHERE first_name = 'Łukasz' AND last_name = 'Wójcik'"
            )
        ).one()
        assert find_person(session, str(person_id)) == person_id
        if number:
            assert find_person(session, number) == person_id
        assert find_person(session, f"{first} {last}".upper()) == person_id
        with pytest.raises(NotFound):
            find_person(session, "Nobody Atall")


def test_an_ambiguous_name_lists_candidates(demo_database: Database) -> None:
    with demo_database.session() as session:
        first, last = session.execute(
            text(
                "SELECT first_name, last_name FROM person GROUP BY first_name, last_name "
                "HAVING count(*) > 1 LIMIT 1"
            )
        ).one()
        with pytest.raises(Ambiguous) as caught:
            find_person(session, f"{first} {last}")
    assert len(caught.value.candidates) >= 2
