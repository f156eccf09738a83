"""A person's audit trail as the secretary reads it: when, who, what, old → new."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Organisation, Tag

__all__ = ["HistoryLine", "describe_table", "person_history"]

# Keys that identify a row rather than describe the person.
_PLUMBING = {"id", "person_id", "household_id", "meeting_id", "question_id", "option_id"}
_TABLE_NAMES = {
    "person": "",
    "household": "address",
    "email_address": "email",
    "phone_number": "phone",
    "contact_preference": "contact preference",
    "detail_verification": "verification",
    "person_tag": "tag",
    "affiliation": "affiliation",
    "answer": "answer",
    "activity": "activity",
    "attendance": "attendance",
    "contribution": "contribution",
    "custom_field_value": "kept column",
}


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime  # naive UTC
    actor: str
    action: str  # insert, update, delete
    what: str  # "first name", "email address", "verification detail"…
    old: Any
    new: Any


def describe_table(table: str) -> str:
    """What a table's rows are, as people say it: "email", "attendance", "person"."""
    return _TABLE_NAMES.get(table, table.replace("_", " ")) or "person"


def _label(table: str, column: str) -> str:
    if not column:
        return "record"
    owner = _TABLE_NAMES.get(table, table.replace("_", " "))
    if column in ("tag_id", "organisation_id"):
        return owner  # the value is shown by name
    words = column.replace("_", " ")
    return f"{owner} {words}".strip()


def person_history(session: Session, person_id: int, *, limit: int = 500) -> list[HistoryLine]:
    """The newest ``limit`` audit entries about the person, one line per changed field."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.person_id == person_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    raw: list[tuple[AuditEntry, str, Any, Any]] = []
    for entry in entries:
        changes: dict[str, Any] = json.loads(entry.changes or "{}")
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in changes.values()):
            # Not column changes (a merge records what moved): its summary says it.
            raw.append((entry, "", None, entry.summary or entry.action))
            continue
        for column, (old, new) in sorted(changes.items()):
            if column not in _PLUMBING:
                raw.append((entry, column, old, new))
    names = _names(session, raw)
    return [
        HistoryLine(
            entry.at,
            entry.actor,
            entry.action,
            _label(entry.table_name, column),
            names.get((column, old), old),
            names.get((column, new), new),
        )
        for entry, column, old, new in raw
    ]


def _names(
    session: Session, raw: list[tuple[AuditEntry, str, Any, Any]]
) -> dict[tuple[str, Any], str]:
    """Tags and organisations by name rather than by id: "tag: Welsh speaker"."""
    found: dict[tuple[str, Any], str] = {}
    for column, model in (("tag_id", Tag), ("organisation_id", Organisation)):
        ids = {value for _e, c, old, new in raw if c == column for value in (old, new) if value}
        if ids:
            rows = session.execute(select(model.id, model.name).where(model.id.in_(ids)))
            found.update({(column, ident): name for ident, name in rows})
    return found
