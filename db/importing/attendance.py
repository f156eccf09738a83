"""Attendance from paper or online: a sign-in sheet typed up, or an online form's export.

Each row is matched as the membership importer matches (membership number, else email,
else name and postcode) and checked in to the meeting. Rows that fit nobody, or more than
one person, are listed for the secretary to resolve by hand; nobody is guessed or created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from db.database import Database
from db.importing.matching import load_index
from db.importing.workflow import prepare_import
from db.meetings import check_in, find_meeting

__all__ = ["AttendanceImport", "import_attendance"]


@dataclass
class AttendanceImport:
    checked_in: int = 0
    already: int = 0
    unmatched: list[str] = field(default_factory=list)  # one sentence per row
    ambiguous: list[str] = field(default_factory=list)


def import_attendance(
    database: Database, meeting_id: int, path: Path, *, sheet: str | None = None
) -> AttendanceImport:
    """Check in everyone ``path`` lists who can be told for certain; one transaction."""
    prepared = prepare_import(database, path, sheet=sheet)
    prepared.require_identity()
    result = AttendanceImport()
    with database.session() as session:
        find_meeting(session, meeting_id)  # a clear sentence for a wrong meeting number
        index = load_index(session)
        for candidate in prepared.candidates.candidates:
            who = " ".join(
                part
                for part in (
                    candidate.first_name,
                    candidate.last_name,
                    f"({', '.join(candidate.emails)})" if candidate.emails else None,
                )
                if part
            )
            match = index.match(candidate, index.name_keys(candidate))
            if match.person_id is not None:
                done = check_in(session, meeting_id, match.person_id, method="import")
                if done.already:
                    result.already += 1
                else:
                    result.checked_in += 1
            elif match.candidates:
                result.ambiguous.append(f"Row {candidate.row}: {who}: {match.note}")
            else:
                result.unmatched.append(
                    f"Row {candidate.row}: {who or 'this row'} matches nobody kept; add them "
                    "as a guest or supporter, then check them in."
                )
    return result
