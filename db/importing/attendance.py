"""Attendance from paper or online: a sign-in sheet typed up, or an online form's export.

Each row is matched as the membership importer matches (membership number, else email,
else name and postcode) and checked in to the meeting. Rows that fit nobody, or more than
one person, are listed for the secretary to resolve by hand; nobody is guessed or created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from db.database import Database
from db.importing.matching import Known, load_index
from db.importing.workflow import prepare_import
from db.meetings import check_in, find_meeting
from db.models.vocabulary import PERSON_STATUS_LABELS

__all__ = ["AttendanceImport", "RowToResolve", "import_attendance"]


@dataclass(frozen=True)
class RowToResolve:
    """A row nobody, or more than one person, fits: what a window needs to resolve it."""

    row: int  # 1-based sheet row
    name: str  # as written: first and last name, "" when the row has none
    emails: tuple[str, ...]
    membership_number: str | None
    candidates: tuple[tuple[int, str], ...]  # (person id, who): the people it could be
    sentence: str  # the same sentence as in ``unmatched`` or ``ambiguous``


@dataclass
class AttendanceImport:
    checked_in: int = 0
    already: int = 0
    unmatched: list[str] = field(default_factory=list)  # one sentence per row
    ambiguous: list[str] = field(default_factory=list)
    to_resolve: list[RowToResolve] = field(default_factory=list)  # in the file's order


def import_attendance(
    database: Database, meeting_id: int, path: Path, *, sheet: str | None = None
) -> AttendanceImport:
    """Check in everyone ``path`` lists who can be told for certain; one transaction."""
    prepared = prepare_import(database, path, sheet=sheet, read_ahead=False)
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
                continue
            if match.candidates:
                sentence = f"Row {candidate.row}: {who}: {match.note}"
                result.ambiguous.append(sentence)
            else:
                sentence = (
                    f"Row {candidate.row}: {who or 'this row'} matches nobody kept; add them "
                    "as a guest or supporter, then check them in."
                )
                result.unmatched.append(sentence)
            name = " ".join(p for p in (candidate.first_name, candidate.last_name) if p)
            result.to_resolve.append(
                RowToResolve(
                    candidate.row,
                    name,
                    candidate.emails,
                    candidate.membership_number,
                    tuple((pid, _who(index.people[pid])) for pid in match.candidates),
                    sentence,
                )
            )
    return result


def _who(known: Known) -> str:
    """One candidate as the secretary tells them apart: name, standing, number, postcode."""
    name = " ".join(p for p in (known.first_name, known.last_name) if p)
    parts = [PERSON_STATUS_LABELS.get(known.status, known.status)]
    if known.membership_number:
        parts.append(f"no. {known.membership_number}")
    if known.postcode:
        parts.append(known.postcode)
    return f"{name} ({', '.join(parts)})"
