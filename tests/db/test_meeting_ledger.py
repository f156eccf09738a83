"""The participation ledger: who spoke, proposed and seconded, against the agenda."""

from __future__ import annotations

import datetime as dt

import pytest

from db.database import Database
from db.errors import NotFound, UserError
from db.meeting_ledger import (
    add_agenda_item,
    copy_meeting,
    delete_contribution,
    ledger,
    record_contribution,
)
from db.meetings import NewMeeting, add_meeting, attendance_summary
from db.models import Meeting
from db.people import NewPerson, add_person

EVENING = dt.datetime(2026, 12, 3, 19, 30)


def test_a_meeting_ledger(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        bob = add_person(session, NewPerson("Bob", "Hale", status="member"))
        meeting = add_meeting(session, NewMeeting("Branch meeting", EVENING))
        minutes = add_agenda_item(session, meeting, "Minutes of the last meeting")
        motion = add_agenda_item(
            session, meeting, "Motion: bus routes", motion_text="This branch calls for..."
        )
        record_contribution(session, meeting, ann, "chaired")
        record_contribution(session, meeting, bob, "seconded", agenda_item_id=motion)
        record_contribution(session, meeting, ann, "proposed", agenda_item_id=motion, note="M1")
        spoke = record_contribution(session, meeting, bob, "spoke", agenda_item_id=minutes)
        with pytest.raises(UserError, match="needs the motion"):
            record_contribution(session, meeting, ann, "proposed", agenda_item_id=minutes)
        with pytest.raises(UserError, match="not a way of taking part"):
            record_contribution(session, meeting, ann, "heckled")
        with pytest.raises(NotFound):
            record_contribution(session, meeting, ann, "spoke", agenda_item_id=9999)
    with database.session() as session:
        lines = [(line.name, line.kind, line.agenda_item) for line in ledger(session, meeting)]
        assert lines == [
            ("Ann Jones", "chaired", None),
            ("Bob Hale", "spoke", "Minutes of the last meeting"),
            ("Bob Hale", "seconded", "Motion: bus routes"),
            ("Ann Jones", "proposed", "Motion: bus routes"),
        ]
        # Taking part means being there: both were checked in by the ledger.
        assert len(attendance_summary(session, meeting).present) == 2
        delete_contribution(session, spoke)
        assert len(ledger(session, meeting)) == 3


def test_copy_a_meeting_with_its_agenda(database: Database) -> None:
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("GC", EVENING, kind="general_committee"))
        add_agenda_item(session, meeting, "Apologies")
        add_agenda_item(session, meeting, "Treasurer's report")
        copy = copy_meeting(session, meeting, EVENING + dt.timedelta(days=28))
    with database.session() as session:
        new = session.get_one(Meeting, copy)
        assert (new.kind, new.title) == ("general_committee", "GC")
        assert [item.title for item in new.agenda] == ["Apologies", "Treasurer's report"]
        assert new.starts_at == EVENING + dt.timedelta(days=28)
