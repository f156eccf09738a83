"""Logging volunteering a session at a time, editing it, and adding it up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.activities import (
    ActivityForm,
    activity_form,
    activity_totals,
    delete_activity,
    log_activity,
    person_activities,
    update_activity,
)
from db.database import Database
from db.errors import NotFound, UserError
from db.models import Activity, AuditEntry
from db.people import NewPerson, add_person
from tests.helpers.checks import dump_tables

TODAY = dt.date(2026, 11, 27)
SATURDAY = dt.date(2026, 11, 21)


def people(database: Database, count: int) -> list[int]:
    with database.session() as session:
        return [
            add_person(session, NewPerson(f"Volunteer{i}", "Jones", status="member"))
            for i in range(count)
        ]


def test_one_session_with_eight_volunteers_is_eight_rows(database: Database) -> None:
    volunteers = people(database, 8)
    with database.session() as session:
        ids = log_activity(
            session, "canvassing", SATURDAY, "2.5", volunteers, "  Riverside ward  ", today=TODAY
        )
    assert len(ids) == 8
    with database.session() as session:
        rows = list(session.scalars(select(Activity).order_by(Activity.id)))
        assert [row.person_id for row in rows] == volunteers
        assert {(r.kind, r.done_on, r.hours, r.notes) for r in rows} == {
            ("canvassing", SATURDAY, Decimal("2.50"), "Riverside ward")
        }
        # Every row is audited, like any edit.
        audited = session.scalar(select(func.count()).where(AuditEntry.table_name == "activity"))
        assert audited == 8


def test_someone_named_twice_is_recorded_once(database: Database) -> None:
    ann, bob = people(database, 2)
    with database.session() as session:
        ids = log_activity(session, "leafleting", SATURDAY, 1, [ann, bob, ann], today=TODAY)
        assert len(ids) == 2
        assert [r.person_id for r in person_activities(session, ann)] == [ann]


@pytest.mark.parametrize(
    ("kind", "hours", "who", "message"),
    [
        ("knitting", "1", "all", "'knitting' is not a kind of activity; use one of canvassing"),
        ("canvassing", "-0.5", "all", "Hours cannot be negative."),
        ("canvassing", "24.01", "all", "24.01 hours is more than a day"),
        ("canvassing", "two", "all", "'two' is not a number of hours."),
        ("canvassing", "NaN", "all", "'NaN' is not a number of hours."),
        ("canvassing", "2", "nobody", "An activity needs at least one person."),
        ("canvassing", "2", "one unknown", "There is no person with id 9999."),
        ("canvassing", "2", "two unknown", "There are no people with ids 9998 and 9999."),
    ],
)
def test_refusals_leave_the_database_unchanged(
    database: Database, kind: str, hours: str, who: str, message: str
) -> None:
    known = people(database, 2)
    named = {
        "all": known,
        "nobody": [],
        "one unknown": [*known, 9999],
        "two unknown": [9998, known[0], 9999],
    }[who]
    before = dump_tables(database)
    with pytest.raises(UserError) as error, database.session() as session:
        log_activity(session, kind, SATURDAY, hours, named, today=TODAY)
    assert str(error.value).startswith(message)
    assert dump_tables(database) == before


def test_hours_at_their_limits_and_unknown_hours(database: Database) -> None:
    (ann,) = people(database, 1)
    with database.session() as session:
        log_activity(session, "admin", SATURDAY, 0, [ann], today=TODAY)
        log_activity(session, "event_help", SATURDAY, 24, [ann], today=TODAY)
        log_activity(session, "other", SATURDAY, None, [ann], today=TODAY)
        log_activity(session, "admin", TODAY, Decimal("1.255"), [ann], today=TODAY)
    with database.session() as session:
        hours = [r.hours for r in person_activities(session, ann)]
    assert sorted(hours, key=lambda h: (h is None, h or 0)) == [
        Decimal("0.00"),
        Decimal("1.26"),
        Decimal("24.00"),
        None,
    ]


def test_a_date_in_the_future_is_refused(database: Database) -> None:
    (ann,) = people(database, 1)
    before = dump_tables(database)
    with pytest.raises(UserError, match="2026-11-28 is in the future"), database.session() as s:
        log_activity(s, "admin", TODAY + dt.timedelta(days=1), 1, [ann], today=TODAY)
    assert dump_tables(database) == before


def test_edit_and_delete(database: Database) -> None:
    ann, bob = people(database, 2)
    with database.session() as session:
        first, second = log_activity(session, "canvassing", SATURDAY, 2, [ann, bob], today=TODAY)
    with database.session() as session:
        form = activity_form(session, first)
        assert form == ActivityForm("canvassing", SATURDAY, Decimal("2.00"), None)
        same = update_activity(session, first, form, today=TODAY)
        assert same.changed == ()
        edited = update_activity(
            session,
            first,
            ActivityForm("phone_banking", SATURDAY, Decimal("1.5"), "From home"),
            today=TODAY,
        )
        assert edited.changed == ("kind", "hours", "notes")
    with database.session() as session:
        (row,) = person_activities(session, ann)
        assert (row.kind, row.kind_label, row.hours, row.notes) == (
            "phone_banking",
            "Phone banking",
            Decimal("1.50"),
            "From home",
        )
        # Bob's row from the same session is his own, and untouched.
        (bobs,) = person_activities(session, bob)
        assert (bobs.kind, bobs.hours) == ("canvassing", Decimal("2.00"))

    before = dump_tables(database)
    with pytest.raises(UserError, match="Hours cannot be negative"), database.session() as s:
        update_activity(s, first, ActivityForm("admin", SATURDAY, Decimal(-1), None), today=TODAY)
    with pytest.raises(NotFound, match="There is no activity 999"), database.session() as s:
        update_activity(s, 999, form, today=TODAY)
    assert dump_tables(database) == before

    with database.session() as session:
        delete_activity(session, second)
    with database.session() as session:
        assert person_activities(session, bob) == []
        with pytest.raises(NotFound, match="There is no activity"):
            delete_activity(session, second)


def test_person_activities_newest_first_and_unknown_person(database: Database) -> None:
    (ann,) = people(database, 1)
    with database.session() as session:
        log_activity(session, "leafleting", dt.date(2026, 3, 1), 1, [ann], today=TODAY)
        log_activity(session, "canvassing", dt.date(2026, 9, 5), 2, [ann], today=TODAY)
    with database.session() as session:
        assert [r.done_on for r in person_activities(session, ann)] == [
            dt.date(2026, 9, 5),
            dt.date(2026, 3, 1),
        ]
        with pytest.raises(NotFound, match="There is no person with id 999"):
            person_activities(session, 999)


def test_totals_per_kind_since_a_date(database: Database) -> None:
    ann, bob, cy = people(database, 3)
    with database.session() as session:
        log_activity(session, "canvassing", SATURDAY, "2.5", [ann, bob, cy], today=TODAY)
        log_activity(session, "canvassing", dt.date(2026, 11, 14), "2", [ann], today=TODAY)
        log_activity(session, "leafleting", dt.date(2026, 6, 1), "0.75", [bob], today=TODAY)
        log_activity(session, "admin", dt.date(2026, 5, 31), None, [cy], today=TODAY)
        totals = {t.kind: t for t in activity_totals(session, dt.date(2026, 6, 1))}
        bounded = {
            t.kind: t for t in activity_totals(session, dt.date(2026, 6, 1), dt.date(2026, 11, 20))
        }
    canvassing = totals["canvassing"]
    assert (canvassing.sessions, canvassing.hours, canvassing.people) == (4, Decimal("9.50"), 3)
    leafleting = totals["leafleting"]  # exactly on the first day: counted
    assert (leafleting.sessions, leafleting.hours, leafleting.people) == (1, Decimal("0.75"), 1)
    assert totals["admin"].sessions == 0  # the day before: not counted
    assert totals["fundraising"].hours == Decimal("0.00")
    assert list(totals) == [
        "canvassing",
        "leafleting",
        "phone_banking",
        "street_stall",
        "event_help",
        "admin",
        "fundraising",
        "other",
    ]
    assert (bounded["canvassing"].sessions, bounded["canvassing"].people) == (1, 1)
