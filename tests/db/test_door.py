"""The door's other jobs: walk-ins, quorum, and asking whether an old address still holds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.database import Database
from db.door import (
    WalkIn,
    confirm_address,
    quorum,
    set_quorum,
    stale_address_question,
    walk_in,
)
from db.errors import UserError
from db.meetings import NewMeeting, add_meeting, attendance_summary, check_in
from db.models import ContactPreference, DetailVerification, Person
from db.people import NewPerson, add_person
from tests.db.importing.people import add

TODAY = dt.date(2026, 11, 27)
EVENING = dt.datetime(2026, 12, 3, 19, 30)


def test_a_walk_in_is_added_flagged_and_checked_in(database: Database) -> None:
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("Stall debrief", EVENING))
        pid = walk_in(
            session,
            meeting,
            WalkIn("Zoe", "New", email=" Zoe@Example.org ", postcode="ls6 2qq", keep_in_touch=True),
        )
        with pytest.raises(UserError, match="postcode"):
            walk_in(session, meeting, WalkIn("Al", "Bad", postcode="NOT A POSTCODE"))
    with database.session() as session:
        person = session.get_one(Person, pid)
        assert (person.status, person.follow_up) == ("supporter", True)
        assert [e.address for e in person.emails] == ["zoe@example.org"]
        assert person.household is not None and person.household.postcode == "LS6 2QQ"
        allowed = session.scalars(
            select(ContactPreference.allowed).where(ContactPreference.person_id == pid)
        ).all()
        assert allowed == [True, True, True]
        assert [p for p, _ in attendance_summary(session, meeting).present] == [pid]


def test_quorum_per_kind_of_meeting(database: Database) -> None:
    with database.session() as session:
        people = [add_person(session, NewPerson(f"P{n}", "X", status="member")) for n in range(3)]
        agm = add_meeting(session, NewMeeting("AGM", EVENING, kind="agm"))
        social = add_meeting(session, NewMeeting("Quiz", EVENING, kind="social"))
        set_quorum(session, "agm", 2)
        assert quorum(session, agm).quorate is False
        check_in(session, agm, people[0])
        check_in(session, agm, people[1])
        assert (quorum(session, agm).needed, quorum(session, agm).quorate) == (2, True)
        assert quorum(session, social).quorate is None  # no quorum for a social
        set_quorum(session, "agm", None)
        assert quorum(session, agm).needed is None
        with pytest.raises(UserError):
            set_quorum(session, "agm", 0)


def test_an_old_address_is_asked_about_and_confirmed_in_one_click(database: Database) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", line1="12 Acacia Road")
        session.add(
            DetailVerification(
                person_id=ann,
                detail="address",
                verified_on=TODAY - dt.timedelta(days=400),
                source="form",
            )
        )
        supporter = add(session, "Sue", "Porter", status="supporter")
    with database.session() as session:
        assert stale_address_question(session, ann, today=TODAY) == "Still at 12 Acacia Road?"
        assert stale_address_question(session, supporter, today=TODAY) is None
        confirm_address(session, ann, today=TODAY)
        assert stale_address_question(session, ann, today=TODAY) is None


def test_arrivals_are_listed_latest_first(database: Database) -> None:
    from db.door import arrivals

    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("Branch", EVENING))
        early, late, sorry = (
            add_person(session, NewPerson(first, "Jones", "member"))
            for first in ("Early", "Late", "Sorry")
        )
        check_in(session, meeting, late, at=EVENING + dt.timedelta(minutes=9))
        check_in(session, meeting, early, at=EVENING - dt.timedelta(minutes=5))
        from db.meetings import record_apologies

        record_apologies(session, meeting, sorry)
        found = arrivals(session, meeting)
    assert [(a.name, a.checked_in_at) for a in found] == [
        ("Late Jones", EVENING + dt.timedelta(minutes=9)),
        ("Early Jones", EVENING - dt.timedelta(minutes=5)),
    ]
    local = found[0].local_time
    assert local is not None and local.utcoffset() is not None
    assert local.astimezone(dt.UTC).replace(tzinfo=None) == EVENING + dt.timedelta(minutes=9)
