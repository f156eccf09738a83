"""Recent activity shown as the sessions it was logged as; a session deleted as one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.activities import log_activity
from db.activity_log import delete_activities, person_names, recent_sessions
from db.database import Database
from db.errors import NotFound
from db.models import Activity
from db.people import NewPerson, add_person

TODAY = dt.date(2026, 11, 27)


def add(database: Database, *names: tuple[str, str]) -> list[int]:
    with database.session() as session:
        return [add_person(session, NewPerson(first, last)) for first, last in names]


def test_rows_logged_together_come_back_as_one_session(database: Database) -> None:
    zoe, ann, bob = add(database, ("Zoë", "Young"), ("Ann", "Able"), ("Bob", "Baker"))
    with database.session() as session:
        log_activity(session, "canvassing", dt.date(2026, 11, 21), "2.5", [zoe, ann], "Riverside")
        log_activity(session, "leafleting", dt.date(2026, 11, 1), None, [bob])
        log_activity(session, "canvassing", dt.date(2026, 11, 21), "1", [bob])
    with database.session() as session:
        found = recent_sessions(session)
    assert [(s.kind_label, s.done_on, s.hours, s.names) for s in found] == [
        ("Canvassing", dt.date(2026, 11, 21), Decimal("1.00"), ("Bob Baker",)),
        ("Canvassing", dt.date(2026, 11, 21), Decimal("2.50"), ("Ann Able", "Zoë Young")),
        ("Leafleting", dt.date(2026, 11, 1), None, ("Bob Baker",)),
    ]
    assert found[1].person_ids == (zoe, ann)
    assert found[1].notes == "Riverside"
    with database.session() as session:
        assert [s.done_on for s in recent_sessions(session, limit=1)] == [dt.date(2026, 11, 21)]


def test_a_session_is_deleted_whole_or_not_at_all(database: Database) -> None:
    ann, bob = add(database, ("Ann", "Able"), ("Bob", "Baker"))
    with database.session() as session:
        ids = log_activity(session, "admin", TODAY, 1, [ann, bob], today=TODAY)
    with database.session() as session:
        assert delete_activities(session, ids) == 2
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 0
        again = log_activity(session, "admin", TODAY, 1, [ann, bob], today=TODAY)
    with pytest.raises(NotFound, match="nothing was deleted"), database.session() as session:
        delete_activities(session, [*again, 99_999])
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 2


def test_person_names_leaves_out_unknown_ids(database: Database) -> None:
    (ann,) = add(database, ("Siân", "Llŷr"))
    with database.session() as session:
        assert person_names(session, [ann, 424242]) == {ann: "Siân Llŷr"}
