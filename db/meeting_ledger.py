"""What happens inside a meeting: its agenda and motions, and who took part and how.

Contributions are recorded against an attendee (someone not yet checked in is checked in
first: they were plainly there), optionally against an agenda item; proposing or seconding
needs a motion to attach to. Everything stays editable afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFound, UserError
from db.meetings import check_in
from db.models import AgendaItem, Contribution, Meeting, Person
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS, CONTRIBUTION_KINDS

__all__ = [
    "LedgerLine",
    "add_agenda_item",
    "copy_meeting",
    "delete_contribution",
    "ledger",
    "record_contribution",
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


def add_agenda_item(
    session: Session, meeting_id: int, title: str, *, motion_text: str | None = None
) -> int:
    """Add an item (or, with ``motion_text``, a motion) at the end of the agenda."""
    if session.get(Meeting, meeting_id) is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    title = " ".join(title.split())
    if not title:
        raise UserError("An agenda item needs a title.")
    last = session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    item = AgendaItem(
        meeting_id=meeting_id,
        position=(last or 0) + 1,
        title=title[:300],
        kind="motion" if motion_text else "item",
        motion_text=motion_text,
    )
    session.add(item)
    session.flush()
    return item.id


def record_contribution(
    session: Session,
    meeting_id: int,
    person_id: int,
    kind: str,
    *,
    agenda_item_id: int | None = None,
    note: str | None = None,
) -> int:
    if kind not in CONTRIBUTION_KINDS:
        raise UserError(
            f"'{kind}' is not a way of taking part; use one of {', '.join(CONTRIBUTION_KINDS)}."
        )
    item = session.get(AgendaItem, agenda_item_id) if agenda_item_id is not None else None
    if agenda_item_id is not None and (item is None or item.meeting_id != meeting_id):
        raise NotFound(f"Meeting {meeting_id} has no agenda item {agenda_item_id}.")
    if kind in _NEEDS_MOTION and (item is None or item.kind != "motion"):
        raise UserError(f"{CONTRIBUTION_KIND_LABELS[kind]} needs the motion it was for.")
    check_in(session, meeting_id, person_id, method="manual")
    row = Contribution(
        meeting_id=meeting_id,
        person_id=person_id,
        agenda_item_id=agenda_item_id,
        kind=kind,
        note=note,
    )
    session.add(row)
    session.flush()
    return row.id


def delete_contribution(session: Session, contribution_id: int) -> None:
    row = session.get(Contribution, contribution_id)
    if row is None:
        raise NotFound(f"There is no contribution {contribution_id}.")
    session.delete(row)
    session.flush()


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
