"""The activity report's figures against activities whose sums are known, on the people of
the attendance seed, and their consistency on the demo branch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from db.activities import activity_totals
from db.activity_figures import activity_figures
from db.database import Database
from db.models import Activity
from tests.db.test_attendance_figures import END, HUONG, LUKASZ, START, TODAY, seed_meetings


def seed_activities(database: Database) -> dict[str, int]:
    """The attendance seed's people, and seven stints, five of them in START..END."""
    ids = seed_meetings(database)
    d = dt.date
    with database.session() as session:

        def stint(
            name: str, kind: str, day: dt.date, hours: str | None, notes: str | None = None
        ) -> None:
            session.add(
                Activity(
                    person_id=ids[name],
                    kind=kind,
                    done_on=day,
                    hours=None if hours is None else Decimal(hours),
                    notes=notes,
                )
            )

        # One canvassing session, two volunteers.
        stint("Łukasz", "canvassing", d(2026, 1, 10), "2.5", "Ward 3")
        stint("Huong", "canvassing", d(2026, 1, 10), "2.5", "Ward 3")
        # One leafleting session, two volunteers.
        stint("Łukasz", "leafleting", d(2026, 2, 1), "1")
        stint("Ann", "leafleting", d(2026, 2, 1), "1")
        # Logged without hours: a turn-out and a session, no hours.
        stint("Łukasz", "canvassing", d(2026, 3, 5), None)
        stint("Huong", "admin", d(2026, 6, 30), "3.25")
        # Outside the period on either side.
        stint("Ben", "canvassing", d(2025, 12, 31), "4")
        stint("Dan", "phone_banking", d(2026, 7, 1), "2")
    return ids


@pytest.fixture
def ids(database: Database) -> dict[str, int]:
    return seed_activities(database)


def test_the_known_activities(database: Database, ids: dict[str, int]) -> None:
    with database.session() as session:
        f = activity_figures(session, START, END, today=TODAY)
    kinds = {k.kind: (k.sessions, k.turnouts, k.hours, k.people) for k in f.kinds}
    assert kinds["canvassing"] == (2, 3, Decimal("5.00"), 2)
    assert kinds["leafleting"] == (1, 2, Decimal("2.00"), 2)
    assert kinds["admin"] == (1, 1, Decimal("3.25"), 1)
    assert kinds["phone_banking"] == kinds["other"] == (0, 0, Decimal("0.00"), 0)
    assert (f.sessions, f.turnouts, f.hours, f.people, f.without_hours) == (
        4,
        6,
        Decimal("10.25"),
        3,
        1,
    )
    volunteers = [(v.name, v.turnouts, v.hours, v.kinds, v.last_on) for v in f.volunteers]
    assert volunteers == [
        (HUONG, 2, Decimal("5.75"), ("Canvassing", "Admin"), dt.date(2026, 6, 30)),
        (LUKASZ, 3, Decimal("3.50"), ("Canvassing", "Leafleting"), dt.date(2026, 3, 5)),
        ("Ann Able", 1, Decimal("1.00"), ("Leafleting",), dt.date(2026, 2, 1)),
    ]
    months = [(m.month.month, m.turnouts, m.hours, m.people) for m in f.months]
    assert months == [
        (1, 2, Decimal("5.00"), 2),
        (2, 2, Decimal("2.00"), 2),
        (3, 1, Decimal("0.00"), 1),
        (4, 0, Decimal("0.00"), 0),
        (5, 0, Decimal("0.00"), 0),
        (6, 1, Decimal("3.25"), 1),
    ]


def test_the_demo_branch_agrees_with_activity_totals(demo_database: Database) -> None:
    start, end = dt.date(2025, 11, 1), dt.date(2026, 10, 31)
    with demo_database.session() as session:
        f = activity_figures(session, start, end)
        totals = activity_totals(session, start, end)
    assert f.turnouts > 0
    assert [(k.turnouts, k.hours, k.people) for k in f.kinds] == [
        (t.sessions, t.hours, t.people) for t in totals
    ]
    assert sum(v.turnouts for v in f.volunteers) == f.turnouts == sum(m.turnouts for m in f.months)
    assert sum(v.hours for v in f.volunteers) == f.hours == sum(m.hours for m in f.months)
    assert all(k.sessions <= k.turnouts for k in f.kinds)
