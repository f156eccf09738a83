"""The export log: every file with people's data in it that leaves Branchbook — exports,
letters, labels, envelopes, reports, backups — with when, who, what kind, where to, for
which segment and about how many people. A data-protection duty (knowing where copies of
personal data went) and the first thing to look at after a lost USB stick.

``record_export`` is called by the code that writes the file, in the same transaction as
anything else it records, so a file that could not be written leaves no line behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session

from db.models import ExportLog, utcnow

__all__ = ["ExportLine", "export_count", "list_exports", "record_export"]


@dataclass(frozen=True)
class ExportLine:
    at: dt.datetime  # naive UTC
    actor: str
    kind: str
    file_name: str
    segment: str | None
    people: int


def record_export(
    session: Session, kind: str, path: Path, people: int, *, segment: str | None = None
) -> None:
    """One line for a file written at ``path``; the full path, so it can be found again."""
    session.execute(
        insert(ExportLog).values(
            at=utcnow(),
            actor=str(session.info.get("actor") or "unknown"),
            kind=kind[:40],
            file_name=str(path)[:500],
            segment=None if segment is None else segment[:200],
            people=people,
        )
    )


def list_exports(
    session: Session,
    *,
    since: dt.datetime | None = None,
    limit: int | None = None,
    until: dt.datetime | None = None,
    offset: int = 0,
) -> list[ExportLine]:
    """The newest first; ``since`` inclusive, ``until`` exclusive (naive UTC)."""
    query = select(
        ExportLog.at,
        ExportLog.actor,
        ExportLog.kind,
        ExportLog.file_name,
        ExportLog.segment,
        ExportLog.people,
    ).order_by(ExportLog.at.desc(), ExportLog.id.desc())
    query = query.where(*_between(since, until))
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [ExportLine(*row) for row in session.execute(query)]


def export_count(
    session: Session, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> int:
    query = select(func.count()).select_from(ExportLog).where(*_between(since, until))
    return int(session.scalar(query) or 0)


def _between(since: dt.datetime | None, until: dt.datetime | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if since is not None:
        found.append(ExportLog.at >= since)
    if until is not None:
        found.append(ExportLog.at < until)
    return found
