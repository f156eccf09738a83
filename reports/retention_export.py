"""The retention review list as an Excel workbook, for a committee to go through before
anyone is erased. It holds names, so writing it is logged like any other export."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from db.errors import UserError
from db.export_log import record_export
from db.retention import RetentionCandidate
from reports.xlsx_table import run_steps, table_steps

__all__ = ["COLUMNS", "export_retention", "retention_export_steps"]

COLUMNS = [
    ("Id", 8),
    ("Name", 30),
    ("Status", 16),
    ("Last seen", 12),
    ("Last sign of them", 20),
]


def retention_export_steps(
    session: Session, found: Sequence[RetentionCandidate], years: int, path: Path
) -> Generator[tuple[int, int, str], None, int]:
    """(done, total, label) as the workbook is written; returns how many people it lists."""
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path.name} must end in .xlsx: the list is exported to Excel.")
    rows = [(c.person_id, c.name, c.status_label, c.last_seen, c.how) for c in found]
    yield from table_steps(path, f"Not seen for {years} years", COLUMNS, rows)
    record_export(session, "retention review", path, len(rows))
    return len(rows)


def export_retention(
    session: Session, found: Sequence[RetentionCandidate], years: int, path: Path
) -> int:
    return run_steps(retention_export_steps(session, found, years, path))
