"""Meetings, and who came: check-in at the door, apologies, and the attendance they add up to.

Each check-in is its own short transaction (the caller's session commits it at once), so a
crash or a flat battery loses nothing already recorded. A second check-in of the same person
finds their row and says so; it never makes a twin (``Attendance`` is unique per meeting and
person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.attendance_tally import anonymous_counts, tally_sums
from db.errors import Conflict, NotFound, UserError
from db.models import AgendaItem, Attendance, Contribution, Meeting, Person, utcnow
from db.models.vocabulary import (
    CONTRIBUTION_KIND_LABELS,
    MEETING_KIND_LABELS,
    MEETING_KINDS,
)

__all__ = [
    "QR_PREFIX",
    "AgendaItemState",
    "AttendanceSummary",
    "CheckIn",
    "Edited",
    "MeetingRow",
    "MeetingState",
    "NewMeeting",
    "add_meeting",
    "attendance_summary",
    "check_in",
    "delete_meeting",
    "find_meeting",
    "list_meetings",
    "meeting_form",
    "person_from_code",
    "record_apologies",
    "restore_meeting",
    "undo_check_in",
    "update_meeting",
]

# What a sign-in sheet's QR code holds: the person's id, which no membership number can be
# mistaken for ("BB1:P:1234").
QR_PREFIX = "BB1:P:"


@dataclass(frozen=True)
class NewMeeting:
    title: str
    starts_at: dt.datetime
    kind: str = "branch"
    venue: str | None = None
    ends_at: dt.datetime | None = None

    def starting(self, starts_at: dt.datetime) -> NewMeeting:
        """The same meeting moved to ``starts_at``; an end it has moves with it."""
        ends_at = None if self.ends_at is None else self.ends_at + (starts_at - self.starts_at)
        return replace(self, starts_at=starts_at, ends_at=ends_at)


@dataclass(frozen=True)
class Edited:
    """What an edit changed: the row's id and the names of the fields that now differ
    (empty when the edit asked for what was there already, and nothing was written)."""

    id: int
    changed: tuple[str, ...]


@dataclass(frozen=True)
class MeetingRow:
    id: int
    title: str
    kind: str
    kind_label: str
    starts_at: dt.datetime
    venue: str | None
    present: int
    apologies: int


@dataclass(frozen=True)
class CheckIn:
    meeting_id: int
    person_id: int
    name: str
    already: bool  # True: they were checked in before; nothing was changed
    checked_in_at: dt.datetime


@dataclass(frozen=True)
class AttendanceSummary:
    meeting: MeetingRow
    present: list[tuple[int, str]]  # (person id, name), alphabetical
    apologies: list[tuple[int, str]]
    absent: int  # members expected who neither came nor sent apologies
    contributions: list[tuple[str, str, str | None]]  # (name, what, note)
    # People since erased, counted but no longer named.
    erased_present: int = 0
    erased_apologies: int = 0

    @property
    def present_count(self) -> int:
        return len(self.present) + self.erased_present

    @property
    def apologies_count(self) -> int:
        return len(self.apologies) + self.erased_apologies


@dataclass(frozen=True)
class AgendaItemState:
    """An agenda item as stored, id and place included: what putting it back needs."""

    id: int
    meeting_id: int
    position: int
    title: str
    kind: str
    motion_text: str | None


@dataclass(frozen=True)
class MeetingState:
    """A meeting's own row and agenda as stored, ids included (``restore_meeting``)."""

    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str | None
    notes: str | None
    created_at: dt.datetime
    agenda: tuple[AgendaItemState, ...]


def agenda_item_state(item: AgendaItem) -> AgendaItemState:
    return AgendaItemState(
        item.id, item.meeting_id, item.position, item.title, item.kind, item.motion_text
    )


def add_meeting(session: Session, new: NewMeeting) -> int:
    meeting = Meeting(**_checked(new))
    session.add(meeting)
    session.flush()
    return meeting.id


def meeting_form(session: Session, meeting_id: int) -> NewMeeting:
    """The meeting's details as ``add_meeting`` takes them: what an edit starts from."""
    meeting = _meeting(session, meeting_id)
    return NewMeeting(
        meeting.title, meeting.starts_at, meeting.kind, meeting.venue, meeting.ends_at
    )


def delete_meeting(session: Session, meeting_id: int) -> MeetingState:
    """Delete a meeting nobody came to or sent apologies for and nothing was recorded at
    (undoing its addition or copy), its agenda with it; returns what it was."""
    meeting = _meeting(session, meeting_id)
    people = (
        session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.meeting_id == meeting_id)
        )
        or 0
    ) + sum(n for *_, n in anonymous_counts(session, [meeting_id]))
    lines = session.scalar(
        select(func.count()).select_from(Contribution).where(Contribution.meeting_id == meeting_id)
    )
    if people or lines:
        held = (
            f"{people:,} {'person is' if people == 1 else 'people are'} recorded at it"
            if people
            else f"{lines:,} {'contribution is' if lines == 1 else 'contributions are'} recorded"
        )
        raise Conflict(f"“{meeting.title}” cannot be deleted: {held}.")
    state = MeetingState(
        meeting.id,
        meeting.kind,
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.venue,
        meeting.notes,
        meeting.created_at,
        tuple(agenda_item_state(item) for item in meeting.agenda),
    )
    session.delete(meeting)
    session.flush()
    return state


def restore_meeting(session: Session, state: MeetingState) -> int:
    """Put back a meeting ``delete_meeting`` removed, with its id and its agenda's ids."""
    if session.get(Meeting, state.id) is not None:
        raise Conflict(f"Meeting {state.id} is there already.")
    meeting = Meeting(
        id=state.id,
        kind=state.kind,
        title=state.title,
        starts_at=state.starts_at,
        ends_at=state.ends_at,
        venue=state.venue,
        notes=state.notes,
        created_at=state.created_at,
        agenda=[
            AgendaItem(
                id=item.id,
                position=item.position,
                title=item.title,
                kind=item.kind,
                motion_text=item.motion_text,
            )
            for item in state.agenda
        ],
    )
    session.add(meeting)
    session.flush()
    return meeting.id


def update_meeting(session: Session, meeting_id: int, changes: NewMeeting) -> Edited:
    """Give the meeting the details in ``changes``, checked as ``add_meeting`` checks them."""
    meeting = _meeting(session, meeting_id)
    return Edited(meeting.id, apply_changes(session, meeting, _checked(changes)))


def apply_changes(session: Session, row: object, values: dict[str, object]) -> tuple[str, ...]:
    """Set the attributes of ``row`` that differ from ``values``; their names, in order.

    Only real differences are written, so an edit that changes nothing writes nothing (no
    version bump, no audit line)."""
    changed = tuple(name for name, value in values.items() if getattr(row, name) != value)
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        session.flush()
    return changed


def _checked(new: NewMeeting) -> dict[str, Any]:
    """The meeting's columns from ``new``, or the sentence saying what is wrong with it."""
    title = " ".join(new.title.split())
    if not title:
        raise UserError("A meeting needs a title.")
    if new.kind not in MEETING_KINDS:
        kinds = ", ".join(MEETING_KINDS)
        raise UserError(f"'{new.kind}' is not a kind of meeting; use one of {kinds}.")
    if new.ends_at is not None and new.ends_at < new.starts_at:
        raise UserError("A meeting cannot end before it starts.")
    venue = " ".join((new.venue or "").split())
    return {
        "title": title[:200],
        "kind": new.kind,
        "starts_at": new.starts_at,
        "ends_at": new.ends_at,
        "venue": venue[:200] or None,
    }


def list_meetings(
    session: Session, *, upcoming: bool | None = None, now: dt.datetime | None = None
) -> list[MeetingRow]:
    """Meetings, soonest first when ``upcoming``, latest first otherwise."""
    now = now or dt.datetime.now()
    statement = _listing()
    if upcoming is True:
        statement = statement.where(Meeting.starts_at >= now).order_by(Meeting.starts_at)
    else:
        if upcoming is False:
            statement = statement.where(Meeting.starts_at < now)
        statement = statement.order_by(Meeting.starts_at.desc())
    return [_row(*values) for values in session.execute(statement)]


def _listing() -> Select[int, str, str, dt.datetime, str | None, Any, Any]:
    counts = tally_sums()
    statement = select(
        Meeting.id,
        Meeting.title,
        Meeting.kind,
        Meeting.starts_at,
        Meeting.venue,
        func.coalesce(counts.c.present, 0),
        func.coalesce(counts.c.apologies, 0),
    )
    return statement.outerjoin(counts, counts.c.meeting_id == Meeting.id)


def find_meeting(session: Session, meeting_id: int) -> MeetingRow:
    found = session.execute(_listing().where(Meeting.id == meeting_id)).first()
    if found is not None:
        return _row(*found)
    raise NotFound(f"There is no meeting {meeting_id}; 'branchbook meeting list' shows them.")


def person_from_code(session: Session, code: str) -> int | None:
    """The person a scanned sign-in sheet code names, or None when ``code`` is no such code."""
    text = code.strip()
    if not text.upper().startswith(QR_PREFIX):
        return None
    number = text[len(QR_PREFIX) :]
    if not number.isdigit() or session.get(Person, int(number)) is None:
        raise NotFound(f"The code '{text}' names nobody in this database.")
    return int(number)


def check_in(
    session: Session,
    meeting_id: int,
    person_id: int,
    *,
    method: str = "search",
    at: dt.datetime | None = None,
) -> CheckIn:
    """Mark ``person_id`` present; a second check-in is reported and changes nothing."""
    meeting = _meeting(session, meeting_id)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person {person_id}.")
    name = person.full_name
    row = _attendance(session, meeting.id, person_id)
    if row is not None and row.status == "present" and row.checked_in_at is not None:
        return CheckIn(meeting.id, person_id, name, True, row.checked_in_at)
    when = at or utcnow()
    if row is None:
        row = Attendance(meeting_id=meeting.id, person_id=person_id, status="present")
        session.add(row)
    # Someone who sent apologies and came after all is present.
    row.status, row.checked_in_at, row.method = "present", when, method
    session.flush()
    return CheckIn(meeting.id, person_id, name, False, when)


def undo_check_in(session: Session, meeting_id: int, person_id: int) -> None:
    """Take back a check-in made by mistake: the person is neither present nor absent."""
    row = _attendance(session, meeting_id, person_id)
    if row is None or row.status != "present":
        raise Conflict("That person is not checked in to this meeting.")
    session.delete(row)
    session.flush()


def record_apologies(session: Session, meeting_id: int, person_id: int) -> bool:
    """Record apologies; False when they were already recorded. Refused for someone present."""
    meeting = _meeting(session, meeting_id)
    if session.get(Person, person_id) is None:
        raise NotFound(f"There is no person {person_id}.")
    row = _attendance(session, meeting.id, person_id)
    if row is not None and row.status == "present":
        raise Conflict("They are checked in to this meeting, so they need send no apologies.")
    if row is not None and row.status == "apologies":
        return False
    if row is None:
        session.add(Attendance(meeting_id=meeting.id, person_id=person_id, status="apologies"))
    else:
        row.status = "apologies"
    session.flush()
    return True


def attendance_summary(session: Session, meeting_id: int) -> AttendanceSummary:
    meeting = find_meeting(session, meeting_id)
    people: dict[str, list[tuple[int, str]]] = {"present": [], "apologies": []}
    rows = session.execute(
        select(Attendance.status, Person.id, Person.first_name, Person.last_name)
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Person.sort_key, Person.id)
    )
    for status, pid, first, last in rows:
        if status in people:
            people[status].append((pid, f"{first} {last}".strip()))
    accounted = select(Attendance.person_id).where(
        Attendance.meeting_id == meeting_id, Attendance.status.in_(("present", "apologies"))
    )
    absent = session.scalar(
        select(func.count())
        .select_from(Person)
        .where(Person.status == "member", Person.id.not_in(accounted))
    )
    contributions = [
        (f"{first} {last}".strip(), CONTRIBUTION_KIND_LABELS.get(kind, kind), note)
        for first, last, kind, note in session.execute(
            select(Person.first_name, Person.last_name, Contribution.kind, Contribution.note)
            .join(Person, Person.id == Contribution.person_id)
            .where(Contribution.meeting_id == meeting_id)
            .order_by(Contribution.recorded_at, Contribution.id)
        )
    ]
    erased: dict[str, int] = {"present": 0, "apologies": 0}
    for _, status, _, n in anonymous_counts(session, [meeting_id]):
        if status in erased:
            erased[status] += n
    return AttendanceSummary(
        meeting,
        people["present"],
        people["apologies"],
        absent or 0,
        contributions,
        erased["present"],
        erased["apologies"],
    )


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"There is no meeting {meeting_id}; 'branchbook meeting list' shows them.")
    return meeting


def _attendance(session: Session, meeting_id: int, person_id: int) -> Attendance | None:
    return session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
        )
    ).first()


def _row(
    mid: int,
    title: str,
    kind: str,
    starts_at: dt.datetime,
    venue: str | None,
    present: int,
    apologies: int,
) -> MeetingRow:
    label = MEETING_KIND_LABELS.get(kind, kind)
    return MeetingRow(mid, title, kind, label, starts_at, venue, int(present), int(apologies))
