"""Meetings at the door: check-in once, apologies, and what attendance adds up to."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import Conflict, NotFound, UserError
from db.meeting_ledger import add_agenda_item
from db.meetings import (
    QR_PREFIX,
    NewMeeting,
    add_meeting,
    attendance_summary,
    check_in,
    delete_meeting,
    find_meeting,
    list_meetings,
    meeting_form,
    person_from_code,
    record_apologies,
    restore_meeting,
    undo_check_in,
    update_meeting,
)
from db.models import Attendance, AuditEntry, Contribution, Meeting
from db.people import NewPerson, add_person
from tests.helpers.table_contents import contents

EVENING = dt.datetime(2026, 12, 3, 19, 30)


def people(database: Database) -> tuple[int, int, int, int]:
    with database.session() as session:
        return (
            add_person(session, NewPerson("Ann", "Jones", status="member")),
            add_person(session, NewPerson("Bob", "Hale", status="member")),
            add_person(session, NewPerson("Cy", "Ward", status="member")),
            add_person(session, NewPerson("Dee", "Green", status="supporter")),
        )


def test_check_in_once_apologies_and_absent(database: Database) -> None:
    ann, bob, cy, dee = people(database)
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("December branch meeting", EVENING))
    with database.session() as session:
        first = check_in(session, meeting, ann)
    with database.session() as session:
        again = check_in(session, meeting, ann)
        assert not first.already and again.already
        assert again.checked_in_at == first.checked_in_at
        assert record_apologies(session, meeting, bob)
        assert not record_apologies(session, meeting, bob)
        check_in(session, meeting, dee)  # a supporter who came
        session.add(Contribution(meeting_id=meeting, person_id=ann, kind="proposed", note="M1"))
    with database.session() as session:
        rows = session.scalar(select(func.count()).select_from(Attendance))
        summary = attendance_summary(session, meeting)
    assert rows == 3  # never a twin
    assert [name for _, name in summary.present] == ["Dee Green", "Ann Jones"]
    assert [name for _, name in summary.apologies] == ["Bob Hale"]
    assert summary.absent == 1  # Cy: a member who neither came nor sent apologies
    [(name, what, note)] = summary.contributions
    assert (name, note) == ("Ann Jones", "M1") and what.startswith("Proposed")
    assert (summary.meeting.present, summary.meeting.apologies) == (2, 1)
    assert cy not in [pid for pid, _ in summary.present]


def test_apologies_then_came_after_all(database: Database) -> None:
    ann, *_ = people(database)
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("AGM", EVENING, kind="agm"))
        record_apologies(session, meeting, ann)
        assert not check_in(session, meeting, ann).already
        with pytest.raises(Conflict, match="checked in"):
            record_apologies(session, meeting, ann)
        assert [n for _, n in attendance_summary(session, meeting).apologies] == []


def test_undo_a_check_in(database: Database) -> None:
    ann, *_ = people(database)
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("Social", EVENING, kind="social"))
        check_in(session, meeting, ann)
        undo_check_in(session, meeting, ann)
        assert attendance_summary(session, meeting).present == []
        with pytest.raises(Conflict):
            undo_check_in(session, meeting, ann)


def test_sign_in_sheet_codes(database: Database) -> None:
    ann, *_ = people(database)
    with database.session() as session:
        assert person_from_code(session, f"{QR_PREFIX}{ann}") == ann
        assert person_from_code(session, "0805914") is None
        with pytest.raises(NotFound):
            person_from_code(session, f"{QR_PREFIX}99999")


def test_meetings_are_listed_and_checked(database: Database) -> None:
    with database.session() as session:
        past = add_meeting(session, NewMeeting("Past", EVENING - dt.timedelta(days=60)))
        soon = add_meeting(session, NewMeeting("Soon", EVENING))
        now = EVENING - dt.timedelta(days=1)
        assert [m.id for m in list_meetings(session, upcoming=True, now=now)] == [soon]
        assert [m.id for m in list_meetings(session, upcoming=False, now=now)] == [past]
        assert [m.id for m in list_meetings(session)] == [soon, past]
        assert list_meetings(session)[0].kind_label == "Branch meeting"
        with pytest.raises(UserError, match="not a kind of meeting"):
            add_meeting(session, NewMeeting("X", EVENING, kind="party"))
        with pytest.raises(UserError, match="needs a title"):
            add_meeting(session, NewMeeting("  ", EVENING))
        with pytest.raises(NotFound, match="no meeting 77"):
            check_in(session, 77, 1)


def test_edit_a_meeting(database: Database) -> None:
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("Branch meetng", EVENING, venue="Hall"))
    with database.session() as session:
        form = meeting_form(session, meeting)
        assert form == NewMeeting("Branch meetng", EVENING, "branch", "Hall", None)
        later = EVENING + dt.timedelta(days=7, minutes=30)
        edited = update_meeting(
            session,
            meeting,
            NewMeeting("  December   branch meeting ", later, kind="general_committee", venue=" "),
        )
        assert edited.id == meeting
        assert edited.changed == ("title", "kind", "starts_at", "venue")
    with database.session() as session:
        row = find_meeting(session, meeting)
        assert (row.title, row.kind, row.starts_at, row.venue) == (
            "December branch meeting",
            "general_committee",
            later,
            None,
        )
        # Asking for what is there already writes nothing: no new version, no audit line.
        version = session.get_one(Meeting, meeting).version
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
        assert update_meeting(session, meeting, meeting_form(session, meeting)).changed == ()
    with database.session() as session:
        assert session.get_one(Meeting, meeting).version == version
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit


def test_a_refused_meeting_edit_changes_nothing(database: Database) -> None:
    start = EVENING
    with database.session() as session:
        meeting = add_meeting(
            session, NewMeeting("AGM", start, kind="agm", ends_at=start + dt.timedelta(hours=2))
        )
        before = meeting_form(session, meeting)
    refusals = [
        (NewMeeting(" ", start, kind="agm"), "A meeting needs a title."),
        (
            NewMeeting("AGM", start, kind="party"),
            "'party' is not a kind of meeting; use one of",
        ),
        (
            NewMeeting("AGM", start, kind="agm", ends_at=start - dt.timedelta(hours=1)),
            "A meeting cannot end before it starts.",
        ),
    ]
    for changes, sentence in refusals:
        with pytest.raises(UserError) as refused, database.session() as session:
            update_meeting(session, meeting, changes)
        assert str(refused.value).startswith(sentence)
        # The same sentence add_meeting gives for the same mistake.
        with pytest.raises(UserError) as added, database.session() as session:
            add_meeting(session, changes)
        assert str(added.value) == str(refused.value)
    with pytest.raises(NotFound, match="no meeting 77"), database.session() as session:
        update_meeting(session, 77, before)
    with database.session() as session:
        assert meeting_form(session, meeting) == before
        assert session.scalar(select(func.count()).select_from(Meeting)) == 1


def test_moving_a_meeting_moves_its_end() -> None:
    form = NewMeeting("AGM", EVENING, ends_at=EVENING + dt.timedelta(hours=2))
    moved = form.starting(EVENING + dt.timedelta(days=1, hours=-1))
    assert (moved.starts_at, moved.ends_at) == (
        EVENING + dt.timedelta(days=1, hours=-1),
        EVENING + dt.timedelta(days=1, hours=1),
    )
    assert NewMeeting("X", EVENING).starting(EVENING + dt.timedelta(days=1)).ends_at is None


def test_a_meeting_nobody_came_to_is_deleted_and_put_back_exactly(database: Database) -> None:
    ann, *_rest = people(database)
    with database.session() as session:
        add_meeting(session, NewMeeting("Committee", EVENING, "general_committee"))
    before = contents(database)
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("AGM", EVENING, "agm", venue="Hall"))
        add_agenda_item(session, meeting, "Reports")
        add_agenda_item(session, meeting, "Motion: buses", motion_text="We call for buses.")
    after = contents(database)
    with database.session() as session:
        gone = delete_meeting(session, meeting)
    assert [item.title for item in gone.agenda] == ["Reports", "Motion: buses"]
    assert contents(database) == before
    with database.session() as session:
        assert restore_meeting(session, gone) == meeting
    assert contents(database) == after
    with database.session() as session, pytest.raises(Conflict):
        restore_meeting(session, gone)

    with database.session() as session:
        record_apologies(session, meeting, ann)
    before = contents(database)
    with database.session() as session, pytest.raises(Conflict) as refused:
        delete_meeting(session, meeting)
    assert str(refused.value) == "“AGM” cannot be deleted: 1 person is recorded at it."
    assert contents(database) == before
