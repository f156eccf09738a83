"""What happens inside a meeting: its agenda and motions, and who took part and how.

Contributions are recorded against an attendee (someone not yet checked in is checked in
first: they were plainly there), optionally against an agenda item; proposing or seconding
needs a motion to attach to. Everything stays editable afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import EllipsisType

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import Conflict, NotFound, UserError
from db.meetings import AgendaItemState, Edited, agenda_item_state, apply_changes, check_in
from db.models import AgendaItem, Contribution, Meeting, Person
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS, CONTRIBUTION_KINDS

__all__ = [
    "AgendaItemState",
    "AgendaLine",
    "ContributionState",
    "LedgerLine",
    "add_agenda_item",
    "agenda",
    "agenda_item",
    "contribution_state",
    "copy_meeting",
    "delete_agenda_item",
    "delete_contribution",
    "ledger",
    "record_contribution",
    "restore_agenda_item",
    "restore_contribution",
    "update_agenda_item",
    "update_contribution",
]

_NEEDS_MOTION = {"proposed", "seconded"}


@dataclass(frozen=True)
class LedgerLine:
    id: int
    person_id: int
    name: str
    kind: str
    kind_label: str
    agenda_item: str | None
    note: str | None


@dataclass(frozen=True)
class AgendaLine:
    id: int
    number: int  # as printed on the agenda, from 1
    title: str
    is_motion: bool
    motion_text: str | None
    contributions: int


@dataclass(frozen=True)
class ContributionState:
    """A ledger line as stored, id included: what putting it back needs."""

    id: int
    meeting_id: int
    person_id: int
    agenda_item_id: int | None
    kind: str
    note: str | None
    recorded_at: dt.datetime


def add_agenda_item(
    session: Session, meeting_id: int, title: str, *, motion_text: str | None = None
) -> int:
    """Add an item (or, with ``motion_text``, a motion) at the end of the agenda."""
    if session.get(Meeting, meeting_id) is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    title = _agenda_title(title)
    last = session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    item = AgendaItem(
        meeting_id=meeting_id,
        position=(last or 0) + 1,
        title=title,
        kind="motion" if motion_text else "item",
        motion_text=motion_text,
    )
    session.add(item)
    session.flush()
    return item.id


def agenda(session: Session, meeting_id: int) -> list[AgendaLine]:
    """The meeting's agenda in order, each item with how many contributions name it."""
    counts = (
        select(Contribution.agenda_item_id, func.count().label("n"))
        .group_by(Contribution.agenda_item_id)
        .subquery()
    )
    rows = session.execute(
        select(
            AgendaItem.id,
            AgendaItem.title,
            AgendaItem.kind,
            AgendaItem.motion_text,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(counts, counts.c.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    # Numbered as printed, from 1, whatever positions the items are stored at.
    return [
        AgendaLine(item_id, number, title, kind == "motion", text, int(n))
        for number, (item_id, title, kind, text, n) in enumerate(rows, start=1)
    ]


def update_agenda_item(
    session: Session, item_id: int, *, title: str | None = None, motion_text: str | None = None
) -> Edited:
    """Rename an agenda item, or change the text of a motion; None leaves a field as it is."""
    item = _agenda_item(session, item_id)
    values: dict[str, object] = {}
    if title is not None:
        values["title"] = _agenda_title(title)
    if motion_text is not None:
        if item.kind != "motion":
            raise UserError(f"“{item.title}” is an agenda item, not a motion: it has no text.")
        text = motion_text.strip()
        if not text:
            raise UserError("A motion needs its text.")
        values["motion_text"] = text
    return Edited(item.id, apply_changes(session, item, values))


def agenda_item(session: Session, item_id: int) -> AgendaItemState:
    """The item as stored now: what an edit of it starts from."""
    return agenda_item_state(_agenda_item(session, item_id))


def delete_agenda_item(session: Session, item_id: int) -> AgendaItemState:
    """Take an item off the agenda; refused while contributions are recorded against it.
    Returns what it was, for ``restore_agenda_item``."""
    item = _agenda_item(session, item_id)
    used = session.scalar(
        select(func.count()).select_from(Contribution).where(Contribution.agenda_item_id == item_id)
    )
    if used:
        lines = "a contribution is" if used == 1 else f"{used} contributions are"
        raise Conflict(
            f"“{item.title}” cannot be removed while {lines} recorded against it; "
            "delete those lines of the ledger or move them to another item first."
        )
    state = agenda_item_state(item)
    session.delete(item)
    session.flush()
    return state


def restore_agenda_item(session: Session, state: AgendaItemState) -> int:
    """Put an item ``delete_agenda_item`` took off back, with its id and in its place."""
    if session.get(Meeting, state.meeting_id) is None:
        raise NotFound(f"There is no meeting {state.meeting_id}: the item cannot be put back.")
    if session.get(AgendaItem, state.id) is not None:
        raise Conflict(f"Agenda item {state.id} is there already.")
    session.add(
        AgendaItem(
            id=state.id,
            meeting_id=state.meeting_id,
            position=state.position,
            title=state.title,
            kind=state.kind,
            motion_text=state.motion_text,
        )
    )
    session.flush()
    return state.id


def record_contribution(
    session: Session,
    meeting_id: int,
    person_id: int,
    kind: str,
    *,
    agenda_item_id: int | None = None,
    note: str | None = None,
) -> int:
    _check_contribution(session, meeting_id, kind, agenda_item_id)
    check_in(session, meeting_id, person_id, method="manual")
    row = Contribution(
        meeting_id=meeting_id,
        person_id=person_id,
        agenda_item_id=agenda_item_id,
        kind=kind,
        note=_note(note),
    )
    session.add(row)
    session.flush()
    return row.id


def update_contribution(
    session: Session,
    contribution_id: int,
    *,
    kind: str | None = None,
    note: str | None = None,
    agenda_item_id: int | None | EllipsisType = ...,
) -> Edited:
    """Change a ledger line afterwards, under the rules ``record_contribution`` keeps.

    ``kind`` and ``note`` left as None stay as they are (an empty note clears it);
    ``agenda_item_id`` left out stays, and None moves the line to the meeting as a whole.
    """
    row = session.get(Contribution, contribution_id)
    if row is None:
        raise NotFound(f"There is no contribution {contribution_id}.")
    new_kind = row.kind if kind is None else kind
    new_item = row.agenda_item_id if isinstance(agenda_item_id, EllipsisType) else agenda_item_id
    _check_contribution(session, row.meeting_id, new_kind, new_item)
    values: dict[str, object] = {"kind": new_kind, "agenda_item_id": new_item}
    if note is not None:
        values["note"] = _note(note)
    return Edited(row.id, apply_changes(session, row, values))


def contribution_state(session: Session, contribution_id: int) -> ContributionState:
    """The ledger line as stored now: what an edit of it starts from."""
    row = session.get(Contribution, contribution_id)
    if row is None:
        raise NotFound(f"There is no contribution {contribution_id}.")
    return ContributionState(
        row.id,
        row.meeting_id,
        row.person_id,
        row.agenda_item_id,
        row.kind,
        row.note,
        row.recorded_at,
    )


def delete_contribution(session: Session, contribution_id: int) -> ContributionState:
    """Delete a ledger line; returns what it was, for ``restore_contribution``."""
    state = contribution_state(session, contribution_id)
    row = session.get(Contribution, contribution_id)
    session.delete(row)
    session.flush()
    return state


def restore_contribution(session: Session, state: ContributionState) -> int:
    """Put back a line ``delete_contribution`` removed, with its id and when it was recorded
    (so it keeps its place in the ledger); refused when its agenda item is gone since."""
    if session.get(Contribution, state.id) is not None:
        raise Conflict(f"Contribution {state.id} is there already.")
    _check_contribution(session, state.meeting_id, state.kind, state.agenda_item_id)
    check_in(session, state.meeting_id, state.person_id, method="manual")
    session.add(
        Contribution(
            id=state.id,
            meeting_id=state.meeting_id,
            person_id=state.person_id,
            agenda_item_id=state.agenda_item_id,
            kind=state.kind,
            note=state.note,
            recorded_at=state.recorded_at,
        )
    )
    session.flush()
    return state.id


def ledger(session: Session, meeting_id: int) -> list[LedgerLine]:
    """The meeting's contributions in agenda order, then the order they were recorded."""
    rows = session.execute(
        select(
            Contribution.id,
            Person.id,
            Person.first_name,
            Person.last_name,
            Contribution.kind,
            AgendaItem.title,
            Contribution.note,
        )
        .join(Person, Person.id == Contribution.person_id)
        .outerjoin(AgendaItem, AgendaItem.id == Contribution.agenda_item_id)
        .where(Contribution.meeting_id == meeting_id)
        .order_by(func.coalesce(AgendaItem.position, 0), Contribution.recorded_at, Contribution.id)
    )
    return [
        LedgerLine(
            cid,
            pid,
            f"{first} {last}".strip(),
            kind,
            CONTRIBUTION_KIND_LABELS.get(kind, kind),
            item,
            note,
        )
        for cid, pid, first, last, kind, item, note in rows
    ]


def copy_meeting(session: Session, meeting_id: int, starts_at: dt.datetime) -> int:
    """A new meeting like ``meeting_id`` (kind, title, venue, agenda) on another date."""
    source = session.get(Meeting, meeting_id)
    if source is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    copy = Meeting(kind=source.kind, title=source.title, starts_at=starts_at, venue=source.venue)
    copy.agenda = [
        AgendaItem(
            position=item.position, title=item.title, kind=item.kind, motion_text=item.motion_text
        )
        for item in source.agenda
    ]
    session.add(copy)
    session.flush()
    return copy.id


def _check_contribution(
    session: Session, meeting_id: int, kind: str, agenda_item_id: int | None
) -> None:
    """Raise the sentence that says why ``kind`` against ``agenda_item_id`` cannot be recorded."""
    if kind not in CONTRIBUTION_KINDS:
        raise UserError(
            f"'{kind}' is not a way of taking part; use one of {', '.join(CONTRIBUTION_KINDS)}."
        )
    item = session.get(AgendaItem, agenda_item_id) if agenda_item_id is not None else None
    if agenda_item_id is not None and (item is None or item.meeting_id != meeting_id):
        raise NotFound(f"Meeting {meeting_id} has no agenda item {agenda_item_id}.")
    if kind in _NEEDS_MOTION and (item is None or item.kind != "motion"):
        raise UserError(f"{CONTRIBUTION_KIND_LABELS[kind]} needs the motion it was for.")


def _agenda_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise UserError("An agenda item needs a title.")
    return cleaned[:300]


def _agenda_item(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(f"There is no agenda item {item_id}.")
    return item


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None
