"""The corrections to send to the regional office, as an xlsx they can work through."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from db.corrections import Corrections, list_corrections
from db.export_log import record_export
from reports.xlsx_table import new_workbook, save_workbook, table_sheet

__all__ = ["export_corrections"]

COLUMNS = [
    ("Membership Number", 18),
    ("Name", 26),
    ("Field", 20),
    ("National List Value", 34),
    ("Branch Value", 34),
    ("Changed On", 17),
    ("Changed By", 14),
    ("Verified On", 12),
    ("How Verified", 26),
]


def export_corrections(
    session: Session, path: Path, since: dt.datetime | None = None
) -> Corrections:
    """Write the corrections since ``since`` (default: the last national import) to ``path``."""
    found = list_corrections(session, since)
    book = new_workbook()
    table_sheet(
        book,
        "Corrections",
        COLUMNS,
        (
            (
                c.membership_number,
                c.name,
                c.field,
                c.national_value,
                c.branch_value,
                c.changed_at,
                c.changed_by,
                c.verified_on,
                c.how,
            )
            for c in found.rows
        ),
    )
    period = (
        f"since the national list imported on {found.since:%d/%m/%Y at %H:%M} (UTC)"
        if found.since
        else "since records began (no national list has been imported yet)"
    )
    table_sheet(
        book,
        "About",
        [("About this list", 90)],
        [
            (f"Details the branch changed or verified {period}.",),
            ("National List Value: what the list said; Branch Value: what the branch holds.",),
            (f"{len(found.rows)} rows, {len({c.person_id for c in found.rows})} people.",),
        ],
    )
    save_workbook(book, path)
    record_export(session, "corrections", path, len({c.person_id for c in found.rows}))
    return found
