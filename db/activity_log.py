"""The branch's recent activity as sessions, for the Activities window, and names for ids.

``log_activity`` writes one row per volunteer; the window shows them as the session they
were logged as: rows of the same kind, day, hours and notes belong together. Deleting a
session deletes its rows together, and ``LoggedSession`` is what logging it again needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.bulk import chunked
from db.errors import NotFound
from db.models import Activity, Person
from db.models.vocabulary import ACTIVITY_KIND_LABELS

__all__ = [
    "ActivitySession",
    "delete_activities",
    "person_names",
    "recent_sessions",
]


@dataclass(frozen=True)
class ActivitySession:
    """Everyone's rows for one session: same kind, day, hours and notes."""

    kind: str
    kind_label: str
    done_on: dt.date
    hours: Decimal | None
    notes: str | None
    activity_ids: tuple[int, ...]
    person_ids: tuple[int, ...]  # in the order of activity_ids
    names: tuple[str, ...]  # alphabetical, for showing


_Key = tuple[str, dt.date, Decimal | None, str | None]


def recent_sessions(session: Session, limit: int = 200) -> list[ActivitySession]:
    """The latest ``limit`` sessions, latest day first (the latest logged first within a
    day). Two SELECTs: the sessions' keys, then the rows from the oldest day among them."""
    keys = [
        (kind, done_on, hours, notes)
        for kind, done_on, hours, notes, _last in session.execute(
            select(
                Activity.kind,
                Activity.done_on,
                Activity.hours,
                Activity.notes,
                func.max(Activity.id),
            )
            .group_by(Activity.kind, Activity.done_on, Activity.hours, Activity.notes)
            .order_by(Activity.done_on.desc(), func.max(Activity.id).desc())
            .limit(limit)
        )
    ]
    if not keys:
        return []
    wanted: dict[_Key, list[tuple[int, int, str, str]]] = {key: [] for key in keys}
    rows = session.execute(
        select(
            Activity.id,
            Activity.person_id,
            Activity.kind,
            Activity.done_on,
            Activity.hours,
            Activity.notes,
            Person.first_name,
            Person.last_name,
            Person.sort_key,
        )
        .join(Person, Person.id == Activity.person_id)
        .where(Activity.done_on >= min(key[1] for key in keys))
        .order_by(Activity.id)
    )
    for aid, pid, kind, done_on, hours, notes, first, last, sort_key in rows:
        bucket = wanted.get((kind, done_on, hours, notes))
        if bucket is not None:
            bucket.append((aid, pid, _name(first, last), sort_key))
    found = []
    for key in keys:
        members = wanted[key]
        if not members:
            continue
        kind, done_on, hours, notes = key
        found.append(
            ActivitySession(
                kind,
                ACTIVITY_KIND_LABELS.get(kind, kind),
                done_on,
                hours,
                notes,
                tuple(aid for aid, _pid, _name_, _key in members),
                tuple(pid for _aid, pid, _name_, _key in members),
                tuple(name for _aid, _pid, name, _key in sorted(members, key=lambda m: m[3])),
            )
        )
    return found


def delete_activities(session: Session, activity_ids: Iterable[int]) -> int:
    """Delete every one of the activities, or (when one is gone already) none; how many."""
    ids = sorted(set(activity_ids))
    rows: list[Activity] = []
    for chunk in chunked(ids):
        rows.extend(session.scalars(select(Activity).where(Activity.id.in_(chunk))))
    if len(rows) != len(ids):
        found = {row.id for row in rows}
        missing = [aid for aid in ids if aid not in found]
        raise NotFound(
            f"Activity {missing[0]} is gone already (deleted elsewhere?); nothing was deleted."
        )
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def person_names(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's name (first and last), by id; ids that belong to nobody are left out."""
    names: dict[int, str] = {}
    for chunk in chunked(sorted(set(person_ids))):
        for pid, first, last in session.execute(
            select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(chunk))
        ):
            names[pid] = _name(first, last)
    return names


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part) or "(no name)"
