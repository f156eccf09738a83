"""The dashboard's figures against a branch whose answers are known person by person, on
SQLite and PostgreSQL; and the people behind every bar are exactly as many as the bar says."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.dashboard_figures import (
    Chart,
    DashboardFigures,
    Drill,
    dashboard_figures,
    drill_count,
    drill_people,
)
from db.database import Database
from db.meetings import NewMeeting, add_meeting, check_in, record_apologies
from db.membership_figures import NO_WARD
from db.models import DetailVerification, EmailAddress, Household, Person, PhoneNumber
from db.organisations import add_organisation, affiliate, end_affiliation
from db.segments import count_segment
from db.views import add_question, record_answer
from tests.db.test_membership_figures import EMPTY, LAZ, MON, seed_known_branch

TODAY = dt.date(2026, 7, 1)


def seed_dashboard_branch(database: Database) -> None:
    """The membership test's thirteen people (A to M), with unions, answers, meetings and
    contact details on top; the comments say how each counts on TODAY."""
    seed_known_branch(database)
    with database.session() as session:
        ids = {p.first_name: p.id for p in session.scalars(select(Person))}
        home = session.scalar(select(Household).where(Household.line1 == "1 Stryd Fawr"))
        assert home is not None
        home.postcode = "LL77 7AA"  # A, B, E, H, K and M now have a postcode

        # Unite: A and B (members); C is lapsed, L's membership ended. GMB: M.
        unite = add_organisation(session, "Unite the Union", "trade_union", "Unite")
        gmb = add_organisation(session, "GMB", "trade_union")
        add_organisation(session, "Food Bank", "community")
        for name in "ABC":
            affiliate(session, ids[name], unite)
        ended = affiliate(session, ids["L"], unite, since=dt.date(2020, 1, 1))
        end_affiliation(session, ended, dt.date(2026, 6, 1))
        affiliate(session, ids["M"], gmb)

        # The multiple-choice question is the priorities one even with fewer answers.
        issues = add_question(
            session, "Top local issues", "multiple_choice", ["Housing", "Buses", "Libraries"], 3
        )
        four_day = add_question(session, "Four-day week?", "single_choice", ["Yes", "No"])
        day = dt.date(2026, 5, 1)
        for name, picked in (("A", ["Housing", "Buses"]), ("B", ["Housing"]), ("H", ["Buses"])):
            record_answer(session, ids[name], issues.id, picked, source="meeting", answered_on=day)
        # G chose Libraries, then changed their mind: only the current answer counts.
        record_answer(session, ids["G"], issues.id, ["Libraries"], source="phone", answered_on=day)
        later = dt.date(2026, 6, 1)
        record_answer(session, ids["G"], issues.id, ["Housing"], source="phone", answered_on=later)
        for name in "ABCDEFGHI":
            record_answer(
                session, ids[name], four_day.id, "Yes", source="paper form", answered_on=day
            )

        # March: A, B and F came, G sent apologies. June: A. A year before: C (dormant).
        # August is after TODAY and is left out.
        march = _meeting(session, "March meeting", dt.datetime(2026, 3, 10, 19, 0))
        june = _meeting(session, "June meeting", dt.datetime(2026, 6, 10, 19, 0))
        old = _meeting(session, "Old meeting", dt.datetime(2025, 6, 1, 19, 0))
        later_meeting = _meeting(session, "August meeting", dt.datetime(2026, 8, 1, 19, 0))
        for meeting, names in ((march, "ABF"), (june, "A"), (old, "AC"), (later_meeting, "A")):
            for name in names:
                check_in(session, meeting, ids[name])
        record_apologies(session, march, ids["G"])

        # A has every detail, confirmed in January; B's email is not one.
        a = session.get(Person, ids["A"])
        assert a is not None
        a.emails.append(EmailAddress(address="a@example.org", is_primary=True))
        a.phones.append(PhoneNumber(number="07700 900123", is_primary=True))
        for detail in ("address", "email", "phone"):
            session.add(
                DetailVerification(
                    person_id=a.id, detail=detail, verified_on=dt.date(2026, 1, 5), source="form"
                )
            )
        b = session.get(Person, ids["B"])
        assert b is not None
        b.emails.append(EmailAddress(address="not-an-email", is_primary=True))


def _meeting(session: object, title: str, at: dt.datetime) -> int:
    return add_meeting(session, NewMeeting(title, at))  # type: ignore[arg-type]


def values(chart: Chart) -> dict[str, list[int]]:
    return {series.name: series.values for series in chart.series}


def check_known_figures(figures: DashboardFigures) -> None:
    assert figures.period.start == dt.date(2025, 8, 1) and figures.period.end == TODAY
    assert figures.statuses.categories == (
        "Member",
        "Lapsed member",
        "Supporter",
        "Contact",
        "Guest",
    )
    assert values(figures.statuses) == {"People": [6, 4, 1, 1, 1]}
    # Members on TODAY (J joins later) and supporters; the people with no ward last.
    assert figures.wards.categories == (MON, LAZ, EMPTY, NO_WARD)
    assert values(figures.wards) == {"Members": [3, 1, 0, 1], "Supporters": [0, 1, 0, 0]}
    # August 2025 to July 2026: B, D and L joined; E, C and D left.
    assert figures.months.categories == (
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
    )
    assert values(figures.months) == {
        "Joined": [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0],
        "Left": [0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0],
    }
    assert [(m.title, m.present, m.apologies) for m in figures.meetings] == [
        ("March meeting", 3, 1),
        ("June meeting", 1, 0),
    ]
    # A, B and F came in the year (occasional); C only before it (dormant).
    assert values(figures.engagement) == {"Members": [0, 3, 0, 3], "Everyone else": [0, 0, 1, 6]}
    assert figures.priorities.subtitle == "Top local issues (4 answered)"
    assert figures.priorities.categories == ("Housing", "Buses")
    assert values(figures.priorities) == {"People": [3, 2]}
    assert figures.unions.categories == ("Unite", "GMB")
    assert values(figures.unions) == {"Members": [2, 1]}
    # Everyone but A lacks a good email and phone; seven have no postcode; eleven have an
    # address (or B's email) never confirmed; only A has it all.
    assert values(figures.quality) == {
        "Fine": [1, 1, 6, 2, 1],
        "To put right": [12, 12, 7, 11, 12],
    }
    key = figures.key
    assert (key.people, key.members, key.joined, key.left) == (13, 6, 3, 3)
    assert (key.active_members, key.meetings, key.mean_attendance) == (0, 2, 2.0)
    assert key.complete_and_confirmed == 1


def every_count(figures: DashboardFigures) -> list[tuple[int, Drill]]:
    charts = (
        figures.statuses,
        figures.wards,
        figures.months,
        figures.engagement,
        figures.priorities,
        figures.unions,
        figures.quality,
    )
    found = [(c.value, c.drill) for chart in charts for s in chart.series for c in s.counts]
    for meeting in figures.meetings:
        found += [
            (meeting.present, meeting.drill()),
            (meeting.apologies, meeting.drill("apologies")),
        ]
    return found


def test_figures_for_a_branch_with_known_answers(database: Database) -> None:
    seed_dashboard_branch(database)
    with database.session() as session:
        check_known_figures(dashboard_figures(session, TODAY))


def test_figures_on_postgresql(pg_database: Database) -> None:
    seed_dashboard_branch(pg_database)
    with pg_database.session() as session:
        figures = dashboard_figures(session, TODAY)
        check_known_figures(figures)
        for value, drill in every_count(figures):
            assert drill_count(session, drill, TODAY) == value, drill.title


def test_every_bar_counts_the_people_behind_it(database: Database) -> None:
    seed_dashboard_branch(database)
    with database.session() as session:
        figures = dashboard_figures(session, TODAY)
        for value, drill in every_count(figures):
            assert drill_count(session, drill, TODAY) == value, drill.title
            shown = drill_people(session, drill, TODAY, limit=5)
            assert shown.count == value, drill.title
            assert len(shown.rows) == min(value, 5), drill.title
            if drill.rule is not None:
                assert count_segment(session, drill.rule, TODAY) == value


def test_the_people_behind_a_bar_are_named_alphabetically(database: Database) -> None:
    seed_dashboard_branch(database)
    with database.session() as session:
        figures = dashboard_figures(session, TODAY)
        unite = figures.unions.series[0].counts[0].drill
        assert unite.title == "Members in Unite the Union"
        assert [r.first_name for r in drill_people(session, unite, TODAY).rows] == ["A", "B"]
        march = figures.meetings[0]
        came = drill_people(session, march.drill(), TODAY)
        assert [r.first_name for r in came.rows] == ["A", "B", "F"]
        assert march.drill().title == "People who came to March meeting on 10 March 2026"
        fine = figures.quality.series[0].counts[-1].drill
        assert [r.first_name for r in drill_people(session, fine, TODAY).rows] == ["A"]
        no_ward = figures.wards.series[0].counts[-1].drill
        assert no_ward.title == "Members with no ward recorded"
        assert [r.first_name for r in drill_people(session, no_ward, TODAY).rows] == ["F"]


def test_without_quality_the_quality_chart_is_empty(database: Database) -> None:
    seed_dashboard_branch(database)
    with database.session() as session:
        figures = dashboard_figures(session, TODAY, quality=False)
    assert figures.quality.categories == () and figures.quality.empty
    assert values(figures.statuses) == {"People": [6, 4, 1, 1, 1]}


def test_an_empty_branch_draws_empty_charts(database: Database) -> None:
    with database.session() as session:
        figures = dashboard_figures(session, TODAY)
    assert figures.key.people == 0 and figures.meetings == ()
    assert figures.statuses.empty and figures.months.empty and figures.engagement.empty
    assert figures.priorities.categories == () and figures.unions.categories == ()
    assert figures.wards.categories == ()
    assert figures.key.mean_attendance is None


def test_the_demo_branch_adds_up(demo_database: Database) -> None:
    today = dt.date(2026, 11, 1)
    with demo_database.session() as session:
        figures = dashboard_figures(session, today)
        people = figures.key.people
        assert sum(values(figures.statuses)["People"]) == people == 400
        assert sum(sum(s.values) for s in figures.engagement.series) == people
        assert sum(values(figures.months)["Joined"]) == figures.key.joined > 0
        assert figures.meetings and figures.priorities.categories and figures.unions.categories
        for fine, wrong in zip(*(s.values for s in figures.quality.series), strict=True):
            assert fine + wrong == people
        for value, drill in every_count(figures):
            if drill.quality is None:  # each list is a whole read: checked above, by sums
                assert drill_count(session, drill, today) == value, drill.title
