"""The whole audit trail as the secretary reads it: every write from the window, an import
or the command line — when, who, what, old → new — filtered and paged in SQL (a branch's
trail runs to hundreds of thousands of lines), and never changed: nothing here writes.

A line is one audit entry: its changes read "first name: Sian → Siân; email: … → …", a
bulk write (an import, the demo) its own summary.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Person
from db.person_history import describe_table

__all__ = ["AuditFilter", "AuditLine", "audit_count", "audit_lines", "audit_rows"]

_PLUMBING = {"id", "person_id", "household_id"}
_SHOWN_VALUE = 60  # characters of a value shown before it is cut


@dataclass(frozen=True)
class AuditFilter:
    since: dt.datetime | None = None  # naive UTC, inclusive
    until: dt.datetime | None = None  # exclusive
    actor: str | None = None
    person_id: int | None = None
    text: str | None = None  # in the summary, the changes, the table or the person's name

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.since is not None:
            found.append(AuditEntry.at >= self.since)
        if self.until is not None:
            found.append(AuditEntry.at < self.until)
        if self.actor:
            found.append(AuditEntry.actor == self.actor)
        if self.person_id is not None:
            found.append(AuditEntry.person_id == self.person_id)
        for word in (self.text or "").split():
            pattern = f"%{_like_escaped(word)}%"
            found.append(
                or_(
                    AuditEntry.summary.ilike(pattern, escape="\\"),
                    AuditEntry.changes.ilike(pattern, escape="\\"),
                    AuditEntry.table_name.ilike(pattern, escape="\\"),
                    AuditEntry.person_id.in_(
                        select(Person.id).where(
                            or_(
                                Person.first_name.ilike(pattern, escape="\\"),
                                Person.last_name.ilike(pattern, escape="\\"),
                            )
                        )
                    ),
                )
            )
        return found


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: dt.datetime  # naive UTC
    actor: str
    action: str
    what: str  # "person", "email", "attendance"…
    person: str  # the person it is about, or ""
    detail: str  # "first name: Sian → Siân", or the summary


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _query(where: AuditFilter) -> Any:
    name = func.trim(
        func.coalesce(Person.first_name, "") + " " + func.coalesce(Person.last_name, "")
    )
    return (
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.table_name,
            name,
            AuditEntry.summary,
            AuditEntry.changes,
        )
        .outerjoin(Person, Person.id == AuditEntry.person_id)
        .where(*where.conditions())
    )


def audit_count(session: Session, where: AuditFilter | None = None) -> int:
    chosen = where or AuditFilter()
    query = select(func.count()).select_from(AuditEntry).where(*chosen.conditions())
    return int(session.scalar(query) or 0)


def audit_lines(
    session: Session, where: AuditFilter | None = None, *, offset: int = 0, limit: int = 200
) -> list[AuditLine]:
    """The newest first, ``limit`` of them from ``offset``."""
    query = (
        _query(where or AuditFilter())
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [_line(*row) for row in session.execute(query)]


def audit_rows(session: Session, where: AuditFilter | None = None) -> Iterator[AuditLine]:
    """Every line, the oldest first, read a page at a time (an export of the whole trail)."""
    query = _query(where or AuditFilter()).order_by(AuditEntry.id).execution_options(yield_per=5000)
    for row in session.execute(query):
        yield _line(*row)


def _line(
    ident: int,
    at: dt.datetime,
    actor: str,
    action: str,
    table: str,
    person: str | None,
    summary: str | None,
    changes: str | None,
) -> AuditLine:
    return AuditLine(
        ident, at, actor, action, describe_table(table), person or "", _detail(summary, changes)
    )


def _detail(summary: str | None, changes: str | None) -> str:
    try:
        found: Any = json.loads(changes) if changes else {}
    except ValueError:
        found = {}
    parts: list[str] = []
    if isinstance(found, dict):
        for column, pair in sorted(found.items()):
            if column in _PLUMBING:
                continue
            if isinstance(pair, list) and len(pair) == 2:
                old, new = pair
                parts.append(f"{column.replace('_', ' ')}: {_shown(old)} → {_shown(new)}")
    if summary:
        parts.insert(0, summary)
    return "; ".join(parts)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 1] + "…"
