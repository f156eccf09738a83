"""The participation ledger: who spoke, proposed and seconded, against the agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import Conflict, NotFound, UserError
from db.meeting_ledger import (
    LedgerLine,
    add_agenda_item,
    agenda,
    agenda_item,
    contribution_state,
    copy_meeting,
    delete_agenda_item,
    delete_contribution,
    ledger,
    record_contribution,
    restore_agenda_item,
    restore_contribution,
    update_agenda_item,
    update_contribution,
)
from db.meetings import NewMeeting, add_meeting, attendance_summary
from db.models import AuditEntry, Meeting
from db.people import NewPerson, add_person
from tests.helpers.table_contents import contents

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


def a_meeting(database: Database) -> tuple[int, int, int, int]:
    """A meeting with Ann; its agenda: a plain item, then a motion."""
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        meeting = add_meeting(session, NewMeeting("Branch meeting", EVENING))
        item = add_agenda_item(session, meeting, "Reports")
        motion = add_agenda_item(session, meeting, "Buses", motion_text="This branch calls...")
    return ann, meeting, item, motion


def snapshot(database: Database, meeting: int) -> tuple[list[LedgerLine], list[object], int]:
    with database.session() as session:
        audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        return ledger(session, meeting), list(agenda(session, meeting)), audit


def test_rename_an_item_and_reword_a_motion(database: Database) -> None:
    _, meeting, item, motion = a_meeting(database)
    with database.session() as session:
        assert update_agenda_item(session, item, title="  Officers'   reports ").changed == (
            "title",
        )
        edited = update_agenda_item(
            session, motion, title="Bus routes", motion_text=" This branch backs the 56. "
        )
        assert edited.changed == ("title", "motion_text")
        assert update_agenda_item(session, motion, title="Bus routes").changed == ()
    with database.session() as session:
        lines = agenda(session, meeting)
    assert [(a.number, a.title, a.is_motion, a.motion_text) for a in lines] == [
        (1, "Officers' reports", False, None),
        (2, "Bus routes", True, "This branch backs the 56."),
    ]


def test_refused_agenda_edits_change_nothing(database: Database) -> None:
    ann, meeting, item, motion = a_meeting(database)
    with database.session() as session:
        record_contribution(session, meeting, ann, "proposed", agenda_item_id=motion)
    before = snapshot(database, meeting)
    refusals = [
        (lambda s: update_agenda_item(s, item, title="  "), "An agenda item needs a title."),
        (
            lambda s: update_agenda_item(s, item, motion_text="Text"),
            "“Reports” is an agenda item, not a motion: it has no text.",
        ),
        (lambda s: update_agenda_item(s, motion, motion_text=" "), "A motion needs its text."),
        (lambda s: update_agenda_item(s, 999, title="X"), "There is no agenda item 999."),
        (
            lambda s: delete_agenda_item(s, motion),
            "“Buses” cannot be removed while a contribution is recorded against it; "
            "delete those lines of the ledger or move them to another item first.",
        ),
    ]
    for edit, sentence in refusals:
        with pytest.raises(UserError) as refused, database.session() as session:
            add_agenda_item(session, meeting, "Added first")  # rolled back too
            edit(session)
        assert str(refused.value) == sentence
    assert isinstance(refused.value, Conflict)
    assert snapshot(database, meeting) == before
    # The same empty title add_agenda_item refuses, in the same words.
    only_sentence = "^An agenda item needs a title.$"
    with pytest.raises(UserError, match=only_sentence), database.session() as session:
        add_agenda_item(session, meeting, " ")


def test_delete_an_unused_agenda_item(database: Database) -> None:
    ann, meeting, item, motion = a_meeting(database)
    with database.session() as session:
        spoke = record_contribution(session, meeting, ann, "spoke", agenda_item_id=item)
        assert [a.contributions for a in agenda(session, meeting)] == [1, 0]
        delete_agenda_item(session, motion)
        with pytest.raises(Conflict, match="“Reports” cannot be removed"):
            delete_agenda_item(session, item)
        # Moved to the meeting as a whole, the line no longer holds the item back.
        update_contribution(session, spoke, agenda_item_id=None)
        delete_agenda_item(session, item)
    with database.session() as session:
        assert agenda(session, meeting) == []
        assert [(line.kind, line.agenda_item) for line in ledger(session, meeting)] == [
            ("spoke", None)
        ]


def test_edit_a_contribution(database: Database) -> None:
    ann, meeting, item, motion = a_meeting(database)
    with database.session() as session:
        line = record_contribution(session, meeting, ann, "spoke", note="  ")
        assert ledger(session, meeting)[0].note is None  # a blank note is no note
    with database.session() as session:
        edited = update_contribution(session, line, note=" Asked about the 56 bus ")
        assert edited.changed == ("note",)
        assert update_contribution(session, line, kind="question").changed == ("kind",)
        moved = update_contribution(session, line, kind="proposed", agenda_item_id=motion)
        assert moved.changed == ("kind", "agenda_item_id")
        # Left out, the item and the note stay; None for the note means "as it is".
        assert update_contribution(session, line, kind="seconded").changed == ("kind",)
    with database.session() as session:
        [found] = ledger(session, meeting)
        assert (found.kind, found.agenda_item, found.note) == (
            "seconded",
            "Buses",
            "Asked about the 56 bus",
        )
        assert update_contribution(session, line, note="").changed == ("note",)
        assert ledger(session, meeting)[0].note is None


def test_refused_contribution_edits_change_nothing(database: Database) -> None:
    ann, meeting, item, motion = a_meeting(database)
    with database.session() as session:
        other = add_meeting(session, NewMeeting("Another", EVENING))
        foreign = add_agenda_item(session, other, "Elsewhere")
        spoke = record_contribution(session, meeting, ann, "spoke", agenda_item_id=item)
        proposed = record_contribution(session, meeting, ann, "proposed", agenda_item_id=motion)
    before = snapshot(database, meeting)
    refusals = [
        (
            lambda s: update_contribution(s, spoke, kind="proposed"),
            "Proposed a motion needs the motion it was for.",
        ),
        (
            lambda s: update_contribution(s, proposed, agenda_item_id=None),
            "Proposed a motion needs the motion it was for.",
        ),
        (
            lambda s: update_contribution(s, proposed, agenda_item_id=item),
            "Proposed a motion needs the motion it was for.",
        ),
        (
            lambda s: update_contribution(s, spoke, kind="heckled"),
            "'heckled' is not a way of taking part; use one of",
        ),
        (
            lambda s: update_contribution(s, spoke, agenda_item_id=foreign),
            f"Meeting {meeting} has no agenda item {foreign}.",
        ),
        (lambda s: update_contribution(s, 9999, note="x"), "There is no contribution 9999."),
    ]
    for edit, sentence in refusals:
        with pytest.raises(UserError) as refused, database.session() as session:
            update_contribution(session, spoke, note="written, then rolled back")
            edit(session)
        assert str(refused.value).startswith(sentence)
    # record_contribution refuses the same mistake in the same words.
    only_sentence = "^Proposed a motion needs the motion it was for.$"
    with pytest.raises(UserError, match=only_sentence), database.session() as session:
        record_contribution(session, meeting, ann, "proposed", agenda_item_id=item)
    assert snapshot(database, meeting) == before


def test_an_agenda_item_is_put_back_with_its_id_and_place(database: Database) -> None:
    _ann, meeting, item, motion = a_meeting(database)
    before = contents(database)
    with database.session() as session:
        gone = delete_agenda_item(session, item)
        assert gone.title == "Reports" and gone.position == 1
        assert restore_agenda_item(session, gone) == item
        assert agenda_item(session, motion).motion_text == "This branch calls..."
        with pytest.raises(Conflict):
            restore_agenda_item(session, gone)
    assert contents(database) == before


def test_a_ledger_line_is_put_back_exactly(database: Database) -> None:
    ann, meeting, item, motion = a_meeting(database)
    with database.session() as session:
        first = record_contribution(session, meeting, ann, "proposed", agenda_item_id=motion)
        record_contribution(session, meeting, ann, "spoke", agenda_item_id=item, note="On buses")
    before = contents(database)
    with database.session() as session:
        gone = delete_contribution(session, first)
    assert (gone.kind, gone.agenda_item_id, gone.person_id) == ("proposed", motion, ann)
    with database.session() as session:
        assert restore_contribution(session, gone) == first
        assert contribution_state(session, first) == gone
    assert contents(database) == before
    with database.session() as session:
        delete_contribution(session, first)
        delete_agenda_item(session, motion)
    with database.session() as session, pytest.raises(NotFound):
        restore_contribution(session, gone)  # its motion is gone since
