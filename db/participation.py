"""How each person takes part: their meetings timeline, and figures segments and reports use.

The figures are one grouped SELECT for everyone (or the people asked for), never a query per
person: a report over 100,000 people asks once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.bulk import chunked
from db.errors import NotFound
from db.models import AgendaItem, Attendance, Contribution, Meeting, Person
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS

__all__ = [
    "Figures",
    "PersonParticipation",
    "TimelineEntry",
    "participation_figures",
    "person_participation",
    "person_timeline",
]

_ATTENDANCE_LABELS = {"present": "Attended", "apologies": "Sent apologies", "absent": "Absent"}


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    meeting_id: int
    meeting: str
    what: str  # "Attended", "Sent apologies", "Absent", or a contribution's label
    detail: str | None  # the agenda item and note of a contribution
    kind: str = ""  # the attendance status ("present", ...) or the contribution's kind
    item: str | None = None  # the agenda item a contribution was on
    note: str | None = None  # a contribution's note

    @property
    def is_contribution(self) -> bool:
        return self.kind in CONTRIBUTION_KIND_LABELS


@dataclass(frozen=True)
class Figures:
    attended_12m: int
    last_attended: dt.datetime | None
    contributions: int
    apologies_12m: int


@dataclass(frozen=True)
class PersonParticipation:
    """One person's figures and timeline, read together: what the detail pane shows."""

    figures: Figures
    timeline: list[TimelineEntry]  # newest first


def person_participation(
    session: Session, person_id: int, *, today: dt.date | None = None
) -> PersonParticipation:
    """The person's timeline and their figures counted from it: the timeline's two SELECTs
    for anyone who took part in anything. The figures mean what ``participation_figures``
    means by them."""
    timeline = person_timeline(session, person_id)
    since = _year_before(today or dt.date.today())
    attended = [e.when for e in timeline if e.kind == "present"]
    figures = Figures(
        attended_12m=sum(1 for when in attended if when >= since),
        last_attended=max(attended, default=None),
        contributions=sum(1 for e in timeline if e.is_contribution),
        apologies_12m=sum(1 for e in timeline if e.kind == "apologies" and e.when >= since),
    )
    return PersonParticipation(figures, timeline)


def _year_before(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=365), dt.time())


def person_timeline(session: Session, person_id: int) -> list[TimelineEntry]:
    """Every meeting the person attended or sent apologies to, and what they did there,
    newest first."""
    entries = [
        TimelineEntry(starts_at, mid, title, _ATTENDANCE_LABELS.get(status, status), None, status)
        for starts_at, mid, title, status in session.execute(
            select(Meeting.starts_at, Meeting.id, Meeting.title, Attendance.status)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(Attendance.person_id == person_id)
        )
    ]
    for starts_at, mid, title, kind, item, note in session.execute(
        select(
            Meeting.starts_at,
            Meeting.id,
            Meeting.title,
            Contribution.kind,
            AgendaItem.title,
            Contribution.note,
        )
        .join(Contribution, Contribution.meeting_id == Meeting.id)
        .outerjoin(AgendaItem, AgendaItem.id == Contribution.agenda_item_id)
        .where(Contribution.person_id == person_id)
        .order_by(Contribution.recorded_at, Contribution.id)
    ):
        detail = "; ".join(part for part in (item, note) if part) or None
        label = CONTRIBUTION_KIND_LABELS.get(kind, kind)
        entries.append(TimelineEntry(starts_at, mid, title, label, detail, kind, item, note))
    # Asked only when there is nothing to show: the pane asks for everyone it shows, and
    # a person the two SELECTs found is there.
    if not entries and session.get(Person, person_id) is None:
        raise NotFound(f"There is no person with id {person_id}.")
    # Newest meeting first; within one meeting, attendance before what they did there.
    entries.sort(key=lambda e: (-e.when.timestamp(), e.meeting_id, e.is_contribution))
    return entries


def participation_figures(
    session: Session, person_ids: Iterable[int] | None = None, *, today: dt.date | None = None
) -> dict[int, Figures]:
    """Figures for the people asked for (default everyone who took part in anything)."""
    since = _year_before(today or dt.date.today())
    recent = Meeting.starts_at >= since
    attendance = (
        select(
            Attendance.person_id,
            func.sum(case(((Attendance.status == "present") & recent, 1), else_=0)),
            func.max(case((Attendance.status == "present", Meeting.starts_at), else_=None)),
            func.sum(case(((Attendance.status == "apologies") & recent, 1), else_=0)),
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .group_by(Attendance.person_id)
    )
    contributions = select(Contribution.person_id, func.count()).group_by(Contribution.person_id)
    wanted = None if person_ids is None else set(person_ids)
    # Grouped by person, so slices of the ids asked for add up to the whole answer.
    slices: list[Sequence[int] | None] = [None] if wanted is None else list(chunked(sorted(wanted)))
    counts: dict[int, int] = {}
    rows: list[Any] = []
    for ids in slices:
        if ids is not None:
            counts.update(
                session.execute(contributions.where(Contribution.person_id.in_(ids))).all()
            )
            rows += session.execute(attendance.where(Attendance.person_id.in_(ids))).all()
        else:
            counts.update(session.execute(contributions).all())
            rows += session.execute(attendance).all()
    found: dict[int, Figures] = {}
    for pid, attended, last, apologies in rows:
        found[pid] = Figures(int(attended or 0), last, int(counts.get(pid, 0)), int(apologies or 0))
    for pid, count in counts.items():
        found.setdefault(pid, Figures(0, None, int(count), 0))
    for pid in wanted or ():
        found.setdefault(pid, Figures(0, None, 0, 0))
    return found
