"""Engagement levels: the thresholds at their edges, the settings, and the SQL forms."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.activities import log_activity
from db.database import Database
from db.engagement import (
    LEVELS,
    Engagement,
    EngagementThresholds,
    engagement_counts,
    engagement_levels,
    engagement_select,
    get_engagement_thresholds,
    set_engagement_thresholds,
    window_start,
)
from db.errors import UserError
from db.meetings import NewMeeting, add_meeting, check_in, record_apologies
from db.models import Activity, Attendance, Contribution, Meeting, Person, Setting
from db.people import NewPerson, add_person
from tests.helpers.checks import dump_tables

TODAY = dt.date(2026, 11, 27)
YEAR_AGO = dt.date(2025, 11, 27)  # the window's first day: counted
DAY_BEFORE = dt.date(2025, 11, 26)  # the last day outside it


def evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(19, 30))


def person(session: Session, name: str) -> int:
    return add_person(session, NewPerson(name, "Test", status="member"))


def activities(session: Session, who: int, days: list[dt.date]) -> None:
    for day in days:
        log_activity(session, "leafleting", day, 1, [who], today=TODAY)


def months_ago(count: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=30 * i) for i in range(count)]


@pytest.fixture
def branch(database: Database) -> dict[str, int]:
    """One person for each edge of the rules."""
    with database.session() as s:
        who = {
            name: person(s, name)
            for name in (
                "six",
                "five",
                "year_ago",
                "day_before",
                "met_year_ago",
                "met_day_before",
                "spoke_only",
                "apologies",
                "future",
                "never",
            )
        }
        activities(s, who["six"], [*months_ago(5), YEAR_AGO])  # the sixth on the edge
        activities(s, who["five"], months_ago(5))
        activities(s, who["year_ago"], [YEAR_AGO])
        activities(s, who["day_before"], [DAY_BEFORE, dt.date(2019, 5, 1)])
        on_edge = add_meeting(s, NewMeeting("Edge", evening(YEAR_AGO)))
        outside = add_meeting(s, NewMeeting("Outside", evening(DAY_BEFORE)))
        recent = add_meeting(s, NewMeeting("Recent", evening(dt.date(2026, 10, 1))))
        tonight = add_meeting(s, NewMeeting("Tonight", evening(TODAY)))
        coming = add_meeting(s, NewMeeting("Coming", evening(TODAY + dt.timedelta(days=1))))
        check_in(s, on_edge, who["met_year_ago"])
        check_in(s, outside, who["met_day_before"])
        # Recorded as speaking without being checked in: the meeting counts, once.
        s.add(Contribution(meeting_id=recent, person_id=who["spoke_only"], kind="spoke"))
        s.add(Contribution(meeting_id=recent, person_id=who["spoke_only"], kind="question"))
        # Five activities and tonight's meeting, where they also spoke: six events.
        check_in(s, tonight, who["five"])
        s.add(Contribution(meeting_id=tonight, person_id=who["five"], kind="spoke"))
        record_apologies(s, recent, who["apologies"])
        record_apologies(s, coming, who["future"])
        check_in(s, coming, who["future"], at=dt.datetime(2026, 11, 26, 12))
        s.add(Activity(person_id=who["future"], kind="admin", done_on=TODAY + dt.timedelta(days=3)))
    return who


def test_levels_at_their_boundaries(database: Database, branch: dict[str, int]) -> None:
    with database.session() as session:
        levels = engagement_levels(session, today=TODAY)
    got = {name: levels[pid] for name, pid in branch.items()}
    assert got["six"] == Engagement("active", 6, TODAY)
    assert got["five"] == Engagement("active", 6, TODAY)  # tonight's meeting is the sixth
    assert got["year_ago"] == Engagement("occasional", 1, YEAR_AGO)
    assert got["day_before"] == Engagement("dormant", 0, DAY_BEFORE)
    assert got["met_year_ago"] == Engagement("occasional", 1, YEAR_AGO)
    assert got["met_day_before"] == Engagement("dormant", 0, DAY_BEFORE)
    assert got["spoke_only"] == Engagement("occasional", 1, dt.date(2026, 10, 1))
    assert got["apologies"] == Engagement("never_seen", 0, None)  # apologies are no event
    assert got["future"].level == "never_seen"  # nothing after today counts
    assert got["never"] == Engagement("never_seen", 0, None)
    assert got["never"].label == "Never seen"


def test_the_level_moves_with_today(database: Database, branch: dict[str, int]) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    with database.session() as session:
        levels = engagement_levels(session, [branch["year_ago"], branch["six"]], today=tomorrow)
    # The edge day has left the window: five of six stints remain, and one of one.
    assert levels[branch["year_ago"]].level == "dormant"
    assert levels[branch["six"]] == Engagement("occasional", 5, TODAY)


def test_settings_change_the_levels(database: Database, branch: dict[str, int]) -> None:
    with database.session() as session:
        assert get_engagement_thresholds(session) == EngagementThresholds(6, 1, 12)
        changed = set_engagement_thresholds(session, EngagementThresholds(7, 1, 13))
        assert changed == ["active_events", "months"]
    with database.session() as session:
        assert get_engagement_thresholds(session) == EngagementThresholds(7, 1, 13)
        assert set_engagement_thresholds(session, EngagementThresholds(7, 1, 13)) == []
        levels = engagement_levels(session, today=TODAY)
        counts = engagement_counts(session, today=TODAY)
    assert levels[branch["six"]].level == "occasional"  # six is short of seven now
    assert levels[branch["day_before"]].level == "occasional"  # thirteen months reach it
    assert counts == {**dict.fromkeys(LEVELS, 0), **Counter(e.level for e in levels.values())}

    with database.session() as session:
        set_engagement_thresholds(session, EngagementThresholds(2, 2, 12))
        levels = engagement_levels(session, today=TODAY)
    # One event is below "occasional" now: too little lately, so dormant.
    assert levels[branch["year_ago"]].level == "dormant"
    assert levels[branch["spoke_only"]].level == "dormant"


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        (EngagementThresholds(6, 0, 12), "An occasional person has at least one event"),
        (EngagementThresholds(2, 3, 12), "Active needs at least as many events as occasional"),
        (EngagementThresholds(6, 1, 0), "Count events over 1 to 120 months."),
        (EngagementThresholds(6, 1, 121), "Count events over 1 to 120 months."),
    ],
)
def test_bad_thresholds_are_refused(
    database: Database, thresholds: EngagementThresholds, message: str
) -> None:
    with database.session() as session:
        set_engagement_thresholds(session, EngagementThresholds(4, 2, 12))
    before = dump_tables(database)
    with pytest.raises(UserError) as error, database.session() as session:
        set_engagement_thresholds(session, thresholds)
    assert str(error.value).startswith(message)
    assert dump_tables(database) == before


def test_mangled_settings_fall_back_to_the_defaults(database: Database) -> None:
    with database.session() as session:
        session.add(Setting(key="engagement.active_events", value="lots"))
        session.add(Setting(key="engagement.months", value="18"))
    with database.session() as session:
        assert get_engagement_thresholds(session) == EngagementThresholds(6, 1, 18)
        session.get(Setting, "engagement.months").value = "0"  # type: ignore[union-attr]
    with database.session() as session:
        assert get_engagement_thresholds(session) == EngagementThresholds()


def test_window_start() -> None:
    assert window_start(TODAY) == YEAR_AGO
    assert window_start(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert window_start(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert window_start(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_the_sql_form_joins_like_a_segment_would(
    database: Database, branch: dict[str, int]
) -> None:
    sub = engagement_select(EngagementThresholds(), TODAY).subquery()
    with database.session() as session:
        dormant = set(
            session.scalars(
                select(Person.first_name)
                .join(sub, sub.c.person_id == Person.id)
                .where(sub.c.level == "dormant")
            )
        )
        counts = engagement_counts(session, today=TODAY)
    assert dormant == {"day_before", "met_day_before"}
    assert counts == {"active": 2, "occasional": 3, "dormant": 2, "never_seen": 3}
    assert list(counts) == list(LEVELS)


def test_asked_for_some_people(database: Database, branch: dict[str, int]) -> None:
    with database.session() as session:
        everyone = engagement_levels(session, today=TODAY)
        some = engagement_levels(session, [branch["six"], branch["never"], 9999], today=TODAY)
        assert engagement_levels(session, [], today=TODAY) == {}
    assert some == {
        branch["six"]: everyone[branch["six"]],
        branch["never"]: everyone[branch["never"]],
    }


def test_the_demo_branch_agrees_with_counting_by_hand(demo_database: Database) -> None:
    """The grouped SQL against a plain count of every row, on a believable branch; and
    slices of ids (few, and more than the whole-branch threshold) against everyone."""
    today = dt.date(2026, 11, 1)
    since, end = window_start(today), today
    with demo_database.session() as session:
        levels = engagement_levels(session, today=today)
        people = list(session.scalars(select(Person.id)))
        starts = dict(session.execute(select(Meeting.id, Meeting.starts_at)).all())
        seen_at: dict[int, set[int]] = {}
        for pid, mid in session.execute(
            select(Attendance.person_id, Attendance.meeting_id).where(
                Attendance.status == "present"
            )
        ):
            seen_at.setdefault(pid, set()).add(mid)
        for pid, mid in session.execute(select(Contribution.person_id, Contribution.meeting_id)):
            seen_at.setdefault(pid, set()).add(mid)
        days: dict[int, list[dt.date]] = {
            pid: [starts[m].date() for m in mids] for pid, mids in seen_at.items()
        }
        for pid, day in session.execute(select(Activity.person_id, Activity.done_on)):
            days.setdefault(pid, []).append(day)
        few = engagement_levels(session, people[::37], today=today)
        many = engagement_levels(session, range(1, 3001), today=today)
    expected: dict[int, Engagement] = {}
    for pid in people:
        past = [d for d in days.get(pid, []) if d <= end]
        recent = sum(1 for d in past if d >= since)
        level = (
            "active"
            if recent >= 6
            else "occasional"
            if recent >= 1
            else "dormant"
            if past
            else "never_seen"
        )
        expected[pid] = Engagement(level, recent, max(past, default=None))
    assert levels == expected
    assert set(Counter(e.level for e in levels.values())) == set(LEVELS)
    assert few == {pid: expected[pid] for pid in people[::37]}
    assert many == expected  # every demo id is below 3,001; the rest belong to nobody
