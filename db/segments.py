"""Segments: saved, named, composable groups of people, each a JSON rule tree.

The rule language is ``db.segment_rules``; compiling it to SQL is ``db.segment_sql``. Here
are the operations a window, the command line and the letters use: save, delete, list,
count, the people in a segment, and which of some people are in which segments.

A segment is resolved afresh each time it is used: "Active members" is whoever is active
on the day asked about (``today``), never a list frozen when it was saved. The built-in
segments are made on first use, and cannot be changed or deleted; one named in another
segment is referred to by name, so deleting it is refused while anything uses it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.bulk import IN_CHUNK, chunked
from db.errors import Conflict, NotFound, UserError
from db.folding import fold
from db.models import Person, Segment
from db.people import PersonRow, rows_for
from db.segment_rules import Node, parse_definition, referenced_segments
from db.segment_sql import Condition, compile_segment, load_definition

__all__ = [
    "BUILTIN_SEGMENTS",
    "Definition",
    "SavedSegment",
    "SegmentRow",
    "count_segment",
    "delete_segment",
    "ensure_builtin_segments",
    "list_segments",
    "save_segment",
    "segment_condition",
    "segment_ids",
    "segment_member_sets",
    "segment_people",
]

Definition = str | Mapping[str, Any]
_MAX_NAME = 120
# Past this many people asked about, reading the whole segment once beats slices of it.
_WHOLE_SEGMENT_ABOVE = 5 * IN_CHUNK


@dataclass(frozen=True)
class SegmentRow:
    id: int
    name: str
    description: str | None
    builtin: bool
    definition: str  # the JSON rule tree, as stored
    count: int | None  # people in it today, when asked for


@dataclass(frozen=True)
class SavedSegment:
    id: int
    name: str
    created: bool  # a new segment; else an existing one was changed
    changed: bool  # anything written at all (saving the same rules again writes nothing)


def _status(*statuses: str) -> Node:
    return {"rule": "status", "in": list(statuses)}


# name, description, rules. The engagement levels follow the branch's thresholds.
BUILTIN_SEGMENTS: tuple[tuple[str, str, Node], ...] = (
    ("Everyone", "Everyone in the database.", {"all": []}),
    ("Members", "Current members.", _status("member")),
    ("Lapsed members", "People whose membership has lapsed.", _status("lapsed")),
    (
        "Supporters",
        "Everyone who is not and has not been a member: supporters, contacts and guests.",
        _status("supporter", "contact", "guest"),
    ),
    (
        "Active members",
        "Members active in the engagement window (see the engagement settings).",
        {"all": [_status("member"), {"rule": "engagement", "in": ["active"]}]},
    ),
    (
        "Dormant members",
        "Members seen before, but too seldom or never in the engagement window.",
        {"all": [_status("member"), {"rule": "engagement", "in": ["dormant"]}]},
    ),
)


def ensure_builtin_segments(session: Session) -> list[str]:
    """Make any built-in segment that is missing; the names made. Safe to call often: when
    all exist it is one small read. A segment the secretary made with a built-in's name is
    left alone."""
    have = {name.casefold() for name in session.scalars(select(Segment.name))}
    made = []
    for name, description, tree in BUILTIN_SEGMENTS:
        if name.casefold() not in have:
            session.add(
                Segment(name=name, description=description, definition=_dumps(tree), builtin=True)
            )
            made.append(name)
    if made:
        session.flush()
    return made


def save_segment(
    session: Session, name: str, definition: Definition, description: str | None = None
) -> SavedSegment:
    """Create the segment ``name``, or change the rules of the one of that name (any case).

    Everything is checked before anything is written: the rules, every name they use, and
    that the segment would not include itself through others. ``description`` None keeps
    an existing segment's description."""
    clean = _clean_name(name)
    tree = parse_definition(definition)
    ensure_builtin_segments(session)
    existing = _find(session, clean)
    if existing is not None and existing.builtin:
        raise Conflict(
            f"'{existing.name}' is built in and cannot be changed; save it as a new name."
        )
    compile_segment(session, tree, today=dt.date.today(), within=[clean])
    text = _dumps(tree)
    if existing is None:
        row = Segment(name=clean, description=description, definition=text, builtin=False)
        session.add(row)
        session.flush()
        return SavedSegment(row.id, row.name, created=True, changed=True)
    changed = existing.definition != text or (
        description is not None and existing.description != description
    )
    existing.definition = text
    if description is not None:
        existing.description = description
    session.flush()
    return SavedSegment(existing.id, existing.name, created=False, changed=changed)


def delete_segment(session: Session, name: str) -> int:
    """Delete the segment ``name``; its id. Refused for a built-in one, or one another
    segment names (change that one first)."""
    ensure_builtin_segments(session)
    row = _find(session, name)
    if row is None:
        raise NotFound(f"There is no segment called '{name}'.")
    if row.builtin:
        raise Conflict(f"'{row.name}' is built in and cannot be deleted.")
    for other, text in session.execute(select(Segment.name, Segment.definition)):
        if other == row.name:
            continue
        used = {used.casefold() for used in referenced_segments(parse_definition(text))}
        if row.name.casefold() in used:
            raise Conflict(f"The segment '{other}' uses '{row.name}'; change or delete it first.")
    segment_id = row.id
    session.delete(row)
    session.flush()
    return segment_id


def list_segments(
    session: Session, *, counts: bool = False, today: dt.date | None = None
) -> list[SegmentRow]:
    """Every segment, built-ins first, then by name; with how many people each holds when
    ``counts`` (one COUNT per segment)."""
    ensure_builtin_segments(session)
    order = {name: index for index, (name, _d, _t) in enumerate(BUILTIN_SEGMENTS)}
    rows = sorted(
        session.scalars(select(Segment)),
        key=lambda row: (not row.builtin, order.get(row.name, 0), row.name.casefold()),
    )
    day = today or dt.date.today()
    return [
        SegmentRow(
            row.id,
            row.name,
            row.description,
            row.builtin,
            row.definition,
            count_segment(session, row.name, today=day) if counts else None,
        )
        for row in rows
    ]


def segment_condition(
    session: Session, name_or_definition: Definition, today: dt.date | None = None
) -> Condition:
    """The WHERE condition on ``Person`` for a segment named, or for rules given (a mapping,
    or JSON text starting with "{")."""
    day = today or dt.date.today()
    if isinstance(name_or_definition, str) and not name_or_definition.lstrip().startswith("{"):
        ensure_builtin_segments(session)
        name, tree = load_definition(session, name_or_definition)
        return compile_segment(session, tree, today=day, within=[name])
    tree = parse_definition(name_or_definition)
    return compile_segment(session, tree, today=day)


def segment_ids(
    session: Session, name_or_definition: Definition, today: dt.date | None = None
) -> list[int]:
    """The ids of everyone in the segment, ascending."""
    condition = segment_condition(session, name_or_definition, today)
    return list(session.scalars(select(Person.id).where(condition).order_by(Person.id)))


def count_segment(
    session: Session, name_or_definition: Definition, today: dt.date | None = None
) -> int:
    condition = segment_condition(session, name_or_definition, today)
    return int(session.scalar(select(func.count()).select_from(Person).where(condition)) or 0)


def segment_people(
    session: Session,
    name_or_definition: Definition,
    *,
    limit: int | None = None,
    today: dt.date | None = None,
) -> list[PersonRow]:
    """The people list's rows for the segment, alphabetically; the first ``limit``."""
    condition = segment_condition(session, name_or_definition, today)
    page = select(Person.id, Person.sort_key).where(condition).order_by(Person.sort_key, Person.id)
    if limit is not None:
        page = page.limit(limit)
    stmt = rows_for(page.subquery("page"))
    return [PersonRow(**row._mapping) for row in session.connection().execute(stmt)]


def segment_member_sets(
    session: Session,
    names: Iterable[str],
    person_ids: Iterable[int],
    today: dt.date | None = None,
) -> dict[str, set[int]]:
    """For each segment named, which of ``person_ids`` are in it (keys as given)."""
    people = sorted(set(person_ids))
    day = today or dt.date.today()
    found: dict[str, set[int]] = {}
    for name in dict.fromkeys(names):
        condition = segment_condition(session, name, day)
        if len(people) > _WHOLE_SEGMENT_ABOVE:
            wanted = set(people)
            everyone = session.scalars(select(Person.id).where(condition))
            found[name] = {pid for pid in everyone if pid in wanted}
            continue
        found[name] = {
            pid
            for chunk in chunked(people)
            for pid in session.scalars(select(Person.id).where(condition, Person.id.in_(chunk)))
        }
    return found


def _find(session: Session, name: str) -> Segment | None:
    """The segment called ``name``, in any case or accents."""
    wanted = fold(name)
    for row in session.scalars(select(Segment)):
        if fold(row.name) == wanted:
            return row
    return None


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise UserError("Give the segment a name.")
    if len(clean) > _MAX_NAME:
        raise UserError(f"A segment's name can be at most {_MAX_NAME} characters.")
    if clean.startswith("{"):
        raise UserError("A segment's name cannot start with '{'.")
    return clean


def _dumps(tree: Node) -> str:
    return json.dumps(tree, ensure_ascii=False, sort_keys=True)
