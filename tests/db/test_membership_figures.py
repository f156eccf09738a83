"""The membership report's figures against a branch whose answers are known person by
person, on SQLite and on PostgreSQL, and their consistency on the demo branch."""

from __future__ import annotations

import datetime as dt

import pytest

from db.database import Database
from db.errors import UserError
from db.membership_figures import (
    NO_WARD,
    NOT_RECORDED,
    MembershipFigures,
    Period,
    default_period,
    membership_figures,
)
from db.models import Household, Person, Ward

START = dt.date(2026, 1, 1)
END = dt.date(2026, 6, 30)
TODAY = dt.date(2026, 7, 1)
MON, LAZ, EMPTY = "Ynys Môn", "Łazienki", "Empty Ward"


def seed_known_branch(database: Database) -> None:
    """Thirteen people; the comment on each says how it counts for START..END."""
    with database.session() as session:
        mon, laz = Ward(name=MON), Ward(name=LAZ)
        session.add(Ward(name=EMPTY))
        at_mon = Household(line1="1 Stryd Fawr", ward=mon)
        at_laz = Household(line1="2 ul. Długa", ward=laz)
        nowhere = Household(line1="3 Unplaced Road")  # a household with no ward

        def person(name: str, status: str, home: Household | None, **more: object) -> None:
            session.add(
                Person(first_name=name, last_name="Test", status=status, household=home, **more)
            )

        d = dt.date
        # Member throughout; 46 at the end.
        person(
            "A",
            "member",
            at_mon,
            joined_on=d(2020, 5, 1),
            membership_type="Standard",
            date_of_birth=d(1980, 3, 10),
        )
        # Joined in February; 20 at the end.
        person(
            "B",
            "member",
            at_mon,
            joined_on=d(2026, 2, 15),
            membership_type="Youth",
            date_of_birth=d(2005, 7, 1),
        )
        # Member at the start, lapsed in March.
        person(
            "C",
            "lapsed",
            at_laz,
            joined_on=d(2019, 1, 1),
            lapsed_on=d(2026, 3, 20),
            membership_type="Standard",
        )
        # Joined in January and lapsed in April: a joiner and a leaver, never counted.
        person("D", "lapsed", at_laz, joined_on=d(2026, 1, 10), lapsed_on=d(2026, 4, 5))
        # Lapsed on the last day before the period: not a member at its start.
        person("E", "lapsed", at_mon, joined_on=d(2018, 1, 1), lapsed_on=d(2025, 12, 31))
        # A member with no joining date, type or address: counted at start and end.
        person("F", "member", None)
        person("G", "supporter", at_laz)
        person("H", "contact", at_mon)
        person("I", "guest", nowhere)
        # Joined after the period.
        person("J", "member", at_laz, joined_on=d(2026, 7, 15))
        # Lapsed with no lapse date: cannot be placed in time, so no joiner.
        person("K", "lapsed", at_mon, joined_on=d(2026, 3, 1))
        # Joined on the period's last day; 76 on it.
        person(
            "L",
            "member",
            at_laz,
            joined_on=d(2026, 6, 30),
            membership_type="Standard",
            date_of_birth=d(1950, 6, 30),
        )
        # 75 the day after the period ends, so 65-74 in it.
        person(
            "M",
            "member",
            at_mon,
            joined_on=d(2010, 1, 1),
            membership_type="Retired",
            date_of_birth=d(1951, 7, 1),
        )


def check_known_figures(figures: MembershipFigures) -> None:
    assert figures.period == Period(START, END)
    assert figures.people == 13
    assert (figures.members_at_start, figures.members_at_end) == (4, 5)  # ACFM; ABFLM
    assert (figures.joined, figures.left, figures.net_change) == (3, 2, 1)  # BDL; CD
    assert [(m.month, m.joined, m.left) for m in figures.months] == [
        (dt.date(2026, 1, 1), 1, 0),
        (dt.date(2026, 2, 1), 1, 0),
        (dt.date(2026, 3, 1), 0, 1),
        (dt.date(2026, 4, 1), 0, 1),
        (dt.date(2026, 5, 1), 0, 0),
        (dt.date(2026, 6, 1), 1, 0),
    ]
    assert {s.status: s.people for s in figures.statuses} == {
        "member": 6,
        "lapsed": 4,
        "supporter": 1,
        "contact": 1,
        "guest": 1,
    }
    # (ward, members at end, joined, left, lapsed members, supporters), thinnest last and
    # the people with no ward (no household, or a household with none) at the very end.
    assert [
        (w.ward, w.members, w.joined, w.left, w.lapsed, w.supporters) for w in figures.wards
    ] == [
        (MON, 3, 1, 0, 2, 0),
        (LAZ, 1, 2, 2, 2, 1),
        (EMPTY, 0, 0, 0, 0, 0),
        (NO_WARD, 1, 0, 0, 0, 0),
    ]
    assert [(t.membership_type, t.members) for t in figures.types] == [
        ("Standard", 2),
        ("Retired", 1),
        ("Youth", 1),
        (NOT_RECORDED, 1),
    ]
    assert [(b.label, b.members) for b in figures.age_bands] == [
        ("Under 25", 1),
        ("25–34", 0),
        ("35–44", 0),
        ("45–54", 1),
        ("55–64", 0),
        ("65–74", 1),
        ("75 and over", 1),
        (NOT_RECORDED, 1),
    ]


def test_figures_for_a_branch_with_known_answers(database: Database) -> None:
    seed_known_branch(database)
    with database.session() as session:
        figures = membership_figures(session, START, END, today=TODAY)
    check_known_figures(figures)
    assert figures.counted_on == TODAY


def test_figures_on_postgresql(pg_database: Database) -> None:
    seed_known_branch(pg_database)
    with pg_database.session() as session:
        check_known_figures(membership_figures(session, START, END, today=TODAY))


def test_a_period_in_the_past_gives_the_figures_as_they_were(database: Database) -> None:
    seed_known_branch(database)
    with database.session() as session:
        figures = membership_figures(session, dt.date(2019, 6, 1), dt.date(2019, 12, 31))
    # C (joined January 2019), E (lapsed only in 2025), F (no dates) and M; A joined in 2020.
    assert figures.members_at_start == figures.members_at_end == 4
    assert (figures.joined, figures.left) == (0, 0)


def test_default_period_is_the_last_twelve_calendar_months() -> None:
    assert default_period(dt.date(2026, 7, 15)) == Period(dt.date(2025, 8, 1), dt.date(2026, 7, 15))
    assert default_period(dt.date(2026, 1, 1)) == Period(dt.date(2025, 2, 1), dt.date(2026, 1, 1))
    assert len(default_period(dt.date(2026, 7, 15)).months()) == 12


def test_only_an_end_gives_the_twelve_months_before_it(database: Database) -> None:
    with database.session() as session:
        figures = membership_figures(session, end=dt.date(2026, 3, 31))
    assert figures.period == Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert len(figures.months) == 12
    assert figures.age_bands == ()  # nobody's age is known
    assert figures.people == 0 and figures.wards == () and figures.types == ()


def test_a_period_that_ends_before_it_starts_is_one_sentence(database: Database) -> None:
    with database.session() as session, pytest.raises(UserError, match="--from before --to"):
        membership_figures(session, dt.date(2026, 5, 1), dt.date(2026, 1, 1))


def test_the_demo_branch_adds_up(demo_database: Database) -> None:
    with demo_database.session() as session:
        figures = membership_figures(
            session, dt.date(2025, 11, 1), dt.date(2026, 10, 31), today=dt.date(2026, 11, 1)
        )
    assert figures.members_at_end - figures.members_at_start == figures.joined - figures.left
    assert figures.joined > 0 and figures.left > 0
    assert sum(w.members for w in figures.wards) == figures.members_at_end
    assert sum(w.joined for w in figures.wards) == figures.joined
    assert sum(w.left for w in figures.wards) == figures.left
    assert sum(t.members for t in figures.types) == figures.members_at_end
    assert sum(b.members for b in figures.age_bands) == figures.members_at_end
    assert sum(s.people for s in figures.statuses) == figures.people == 400
