"""The audit trail (and the export log) as an Excel workbook: every line the filter keeps,
real date-times, a frozen header and a filter on every column. Writing the trail to a file
is itself a file leaving Branchbook, so it is logged like any other export."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from sqlalchemy.orm import Session

from db.audit_log import AuditFilter, audit_rows
from db.errors import UserError
from db.export_log import record_export
from reports.xlsx_table import table_steps

__all__ = ["COLUMNS", "audit_export_steps"]

COLUMNS = [
    ("When (UTC)", 18),
    ("Who", 16),
    ("Action", 9),
    ("What", 16),
    ("About", 26),
    ("Change", 90),
]


def audit_export_steps(
    session: Session, path: Path, where: AuditFilter | None = None
) -> Generator[tuple[int, int, str], None, int]:
    """(done, total, label) as the workbook is written; returns how many lines it holds."""
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path.name} must end in .xlsx: the audit trail is exported to Excel.")
    yield 0, 0, "Reading the audit trail…"
    rows = [
        (line.at, line.actor, line.action, line.what, line.person, line.detail)
        for line in audit_rows(session, where)
    ]
    yield from table_steps(path, "Audit trail", COLUMNS, rows, label=_label)
    record_export(session, "audit trail", path, 0)
    return len(rows)


def _label(done: int, total: int) -> str:
    return f"Writing {done:,} of {total:,} lines of the audit trail…"
