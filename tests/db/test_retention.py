"""Retention review: who is listed, from the latest sign of them, and the branch's period."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.database import Database
from db.errors import UserError
from db.models import Activity, Attendance, DetailVerification, Meeting, Person
from db.retention import (
    DEFAULT_YEARS,
    get_retention_years,
    retention_candidates,
    set_retention_years,
)
from tests.db.importing.people import add

TODAY = dt.date(2026, 11, 28)
LONG_AGO = dt.datetime(2020, 3, 1, 19, 0)
LATELY = dt.datetime(2026, 5, 1, 19, 0)


def _branch(database: Database) -> dict[str, int]:
    with database.session() as session:
        old, recent = (
            Meeting(kind="branch", title="Old", starts_at=LONG_AGO),
            Meeting(kind="branch", title="Recent", starts_at=LATELY),
        )
        session.add_all([old, recent])
        people = {
            "guest seen long ago": add(session, "Gil", "Old", status="guest"),
            "guest seen lately": add(session, "Gwen", "New", status="guest"),
            "guest who apologised lately": add(session, "Gus", "Sorry", status="guest"),
            "lapsed long ago": add(session, "Lou", "Gone", status="lapsed"),
            "lapsed, volunteered lately": add(session, "Len", "Helps", status="lapsed"),
            "lapsed, list re-sent lately": add(session, "Liz", "Listed", status="lapsed"),
            "member never seen": add(session, "Max", "Quiet", status="member"),
        }
        session.flush()
        everyone = session.scalars(select(Person)).all()
        for person in everyone:  # made long ago, as if entered at an old meeting
            person.created_at = LONG_AGO
        session.get_one(Person, people["lapsed long ago"]).lapsed_on = dt.date(2019, 1, 31)
        session.get_one(Person, people["lapsed, volunteered lately"]).lapsed_on = dt.date(
            2019, 1, 1
        )
        session.get_one(Person, people["lapsed, list re-sent lately"]).lapsed_on = dt.date(
            2019, 6, 1
        )
        session.add_all(
            [
                Attendance(
                    meeting_id=old.id, person_id=people["guest seen long ago"], status="present"
                ),
                Attendance(
                    meeting_id=recent.id, person_id=people["guest seen lately"], status="present"
                ),
                Attendance(
                    meeting_id=recent.id,
                    person_id=people["guest who apologised lately"],
                    status="apologies",
                ),
                Activity(
                    person_id=people["lapsed, volunteered lately"],
                    kind="leafleting",
                    done_on=dt.date(2026, 4, 4),
                ),
                # The national list confirming an address is no sign of the person.
                DetailVerification(
                    person_id=people["lapsed, list re-sent lately"],
                    detail="address",
                    verified_on=dt.date(2026, 11, 1),
                    source="national_list",
                ),
            ]
        )
        return people


def test_only_guests_and_lapsed_members_unseen_for_the_period(database: Database) -> None:
    people = _branch(database)
    with database.session() as session:
        found = retention_candidates(session, 3, today=TODAY)
    by_id = {c.person_id: c for c in found}
    assert set(by_id) == {
        people["guest seen long ago"],
        people["lapsed long ago"],
        people["lapsed, list re-sent lately"],
    }
    # Longest unseen first, each with the last sign of them.
    assert [c.person_id for c in found][0] == people["lapsed long ago"]
    gil = by_id[people["guest seen long ago"]]
    assert (gil.last_seen, gil.how, gil.status_label) == (LONG_AGO.date(), "a meeting", "Guest")
    assert by_id[people["lapsed long ago"]].how == "lapsed"


def test_a_record_with_nothing_dated_counts_from_when_it_was_made(database: Database) -> None:
    with database.session() as session:
        pid = add(session, "Nia", "Nodate", status="guest")
    with database.session() as session:
        made = session.get_one(Person, pid).created_at.date()
        assert retention_candidates(session, 1, today=made + dt.timedelta(days=300)) == []
        (found,) = retention_candidates(session, 1, today=made + dt.timedelta(days=400))
    assert (found.person_id, found.last_seen, found.how) == (pid, made, "record made")


def test_the_period_is_the_branchs_and_is_checked(database: Database) -> None:
    people = _branch(database)
    with database.session() as session:
        assert get_retention_years(session) == DEFAULT_YEARS
        assert set_retention_years(session, 8)
        assert not set_retention_years(session, 8)
    with database.session() as session:
        assert get_retention_years(session) == 8
        # Eight years back is November 2018: everyone lapsed in 2019 is kept; seven years
        # back is November 2019, and both of them are listed.
        assert retention_candidates(session, today=TODAY) == []
        assert {c.person_id for c in retention_candidates(session, 7, today=TODAY)} == {
            people["lapsed long ago"],
            people["lapsed, list re-sent lately"],
        }
        for wrong in (0, 51):
            with pytest.raises(UserError, match="between 1 and 50 years"):
                set_retention_years(session, wrong)
