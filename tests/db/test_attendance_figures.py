"""The attendance report's figures against a branch whose answers are known person by person
and meeting by meeting, and their consistency on the demo branch."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.attendance_figures import attendance_figures
from db.database import Database
from db.door import set_quorum
from db.errors import UserError
from db.models import Attendance, Meeting, Person
from db.search import sort_key

START = dt.date(2026, 1, 1)
END = dt.date(2026, 6, 30)
TODAY = dt.date(2026, 7, 1)
LUKASZ = "Łukasz Wójcik"
HUONG = "Nguyễn Thị Hương"


def seed_meetings(database: Database) -> dict[str, int]:
    """Eight people and six meetings, four of them in START..END; the comments say how
    each counts. Returns the people's ids by first name (Łukasz, Huong, Ann, ...)."""
    d = dt.date
    with database.session() as session:
        people = {
            # Member throughout: all three meetings he could come to.
            "Łukasz": Person(
                first_name="Łukasz",
                last_name="Wójcik",
                status="member",
                joined_on=d(2020, 1, 1),
                membership_number="L1",
            ),
            # Member throughout: came to the first, apologised for the third.
            "Huong": Person(
                first_name="Nguyễn Thị",
                last_name="Hương",
                status="member",
                joined_on=d(2021, 1, 1),
                membership_number="N1",
            ),
            # Joined in March: not expected at the February meeting.
            "Ann": Person(
                first_name="Ann", last_name="Able", status="member", joined_on=d(2026, 3, 1)
            ),
            # A member who came only before the period, and after it.
            "Ben": Person(
                first_name="Ben",
                last_name="Bloggs",
                status="member",
                joined_on=d(2015, 1, 1),
                membership_number="B1",
            ),
            # Lapsed at the end of March: expected in February, not in April.
            "Cara": Person(
                first_name="Cara",
                last_name="Cole",
                status="lapsed",
                joined_on=d(2019, 1, 1),
                lapsed_on=d(2026, 3, 31),
            ),
            # A supporter who comes: counted as present, never expected.
            "Dan": Person(first_name="Dan", last_name="Doe", status="supporter"),
            # A member recorded absent at the committee, and nowhere else.
            "Eve": Person(
                first_name="Eve", last_name="Evans", status="member", joined_on=d(2018, 1, 1)
            ),
            # Joins after the period: a member on no day of it.
            "Zed": Person(
                first_name="Zed", last_name="Zeta", status="member", joined_on=d(2026, 8, 1)
            ),
        }
        for person in people.values():
            person.sort_key = sort_key(person.last_name, person.first_name)
            session.add(person)
        session.flush()

        def meeting(kind: str, title: str, at: dt.datetime, **who: str) -> None:
            row = Meeting(kind=kind, title=title, starts_at=at)
            session.add(row)
            session.flush()
            for name, status in who.items():
                session.add(Attendance(meeting_id=row.id, person_id=people[name].id, status=status))

        t = dt.datetime
        meeting("branch", "November branch meeting", t(2025, 11, 1, 19), Ben="present")
        # Members on the day: Łukasz, Huong, Ben, Cara, Eve; Łukasz, Huong and Cara
        # accounted for, so two absent (Ben, Eve). Three present: quorate at 3.
        meeting(
            "branch",
            "February branch meeting",
            t(2026, 2, 10, 19, 30),
            Łukasz="present",
            Huong="present",
            Dan="present",
            Cara="apologies",
        )
        meeting(
            "general_committee",
            "General committee",
            t(2026, 3, 5, 19),
            Łukasz="present",
            Eve="absent",
        )
        # Members on the day: Łukasz, Huong, Ann, Ben, Eve; two absent (Ben, Eve).
        meeting(
            "branch",
            "April branch meeting",
            t(2026, 4, 14, 19, 30),
            Łukasz="present",
            Ann="present",
            Huong="apologies",
        )
        # The evening of the period's last day is in it.
        meeting("social", "Summer social", t(2026, 6, 30, 20), Dan="present")
        meeting("branch", "July branch meeting", t(2026, 7, 2, 19), Ben="present")
        set_quorum(session, "branch", 3)
        return {name: person.id for name, person in people.items()}


@pytest.fixture
def ids(database: Database) -> dict[str, int]:
    return seed_meetings(database)


def test_the_known_branch(database: Database, ids: dict[str, int]) -> None:
    with database.session() as session:
        f = attendance_figures(session, START, END, today=TODAY)
    rows = [
        (m.title, m.present, m.apologies, m.expected, m.absent, m.quorum, m.quorate)
        for m in f.meetings
    ]
    assert rows == [
        ("February branch meeting", 3, 1, 5, 2, 3, True),
        ("General committee", 1, 0, None, 1, None, None),
        ("April branch meeting", 2, 1, 5, 2, 3, False),
        ("Summer social", 1, 0, None, None, None, None),
    ]
    assert (f.attendances, f.apologies, f.people_attending) == (7, 2, 4)
    assert f.average_present == 7 / 4
    assert (f.members_at_end, f.members_attending, f.members_not_attending) == (5, 3, 2)
    top = [(a.name, a.attended, a.apologies) for a in f.top_attenders]
    # Most meetings first; a tie goes by surname: Able before Hương.
    assert top == [(LUKASZ, 3, 0), ("Dan Doe", 2, 0), ("Ann Able", 1, 0), (HUONG, 1, 1)]
    assert f.top_attenders[0].last_attended == dt.datetime(2026, 4, 14, 19, 30)
    absent = [(a.name, a.membership_number, a.last_attended) for a in f.not_attending]
    # Ben last came in November: his July visit is after the period.
    assert absent == [("Ben Bloggs", "B1", dt.datetime(2025, 11, 1, 19)), ("Eve Evans", None, None)]


def test_an_empty_period_and_a_backwards_one(database: Database, ids: dict[str, int]) -> None:
    with database.session() as session:
        f = attendance_figures(session, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        assert f.meetings == () and f.attendances == 0 and f.average_present == 0
        assert f.top_attenders == ()
        with pytest.raises(UserError, match="give --from before --to"):
            attendance_figures(session, END, START)


def test_the_demo_branch_adds_up(demo_database: Database) -> None:
    with demo_database.session() as session:
        f = attendance_figures(session, dt.date(2025, 11, 1), dt.date(2026, 10, 31))
        came = session.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(
                Attendance.status == "present",
                Meeting.starts_at >= dt.datetime(2025, 11, 1),
                Meeting.starts_at < dt.datetime(2026, 11, 1),
            )
        )
    assert f.meetings and f.attendances == sum(m.present for m in f.meetings) == came
    assert f.members_attending + f.members_not_attending == f.members_at_end
    assert all(m.absent is not None for m in f.meetings if m.kind == "branch")
    assert [a.attended for a in f.top_attenders] == sorted(
        (a.attended for a in f.top_attenders), reverse=True
    )
