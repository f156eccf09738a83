"""An import's report as an xlsx workbook: what the file was, what changed, what was refused.

The secretary keeps it with the month's papers or sends it to whoever asks why a member's
address changed, so it is written for Excel users: one sheet per question, a bold frozen
header, and every value from the file written as text. A cell such as "=HYPERLINK(...)" in
a membership list must come back out as the text it was, never as a live formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from db.importing.apply import Decisions, ImportResult
from db.importing.candidates import Candidate
from db.importing.plan import ImportPlan, PlannedRow
from db.importing.workflow import PreparedImport
from reports.xlsx_table import new_workbook, save_workbook, table_sheet

__all__ = ["COUNT_LABELS", "write_import_report"]

# The counts in the order and the words the wizard shows them in.
COUNT_LABELS = {
    "created": "New people",
    "updated": "People updated",
    "unchanged": "Already up to date",
    "lapsed": "Members marked lapsed",
    "left_out": "Rows left out by you",
    "ambiguous": "Rows that could be more than one person",
    "duplicate": "Rows repeating an earlier row",
    "conflicts": "Conflicts (the branch's own value kept)",
    "rejected": "Values rejected",
}

Row = Sequence[object]


def write_import_report(
    path: Path,
    prepared: PreparedImport,
    plan: ImportPlan,
    result: ImportResult | None,
    *,
    decisions: Decisions | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Write the report to ``path``. ``result`` None: a preview, nothing was written.

    ``decisions`` (what the secretary chose in the preview) marks left-out rows and says
    whether each conflict was taken from the file or kept as the branch has it.
    """
    decisions = decisions or Decisions()
    # write_only streams rows to disk: a 100,000-row import stays a few MB of memory.
    book = new_workbook()
    table_sheet(
        book,
        "Summary",
        [("What", 34), ("Value", 90)],
        _summary(prepared, plan, result, now or dt.datetime.now()),
    )
    table_sheet(
        book,
        "Changes",
        [
            ("Row", 7),
            ("Action", 18),
            ("Person id", 10),
            ("Name", 26),
            ("Field", 18),
            ("Before", 32),
            ("After", 32),
            ("Conflict", 26),
            ("Note", 60),
        ],
        _changes(prepared, plan, result, decisions),
    )
    table_sheet(
        book,
        "Problems",
        [
            ("File", 24),
            ("Sheet", 16),
            ("Row", 7),
            ("Column", 22),
            ("Value", 30),
            ("Reason", 50),
            ("Rejected", 10),
        ],
        (
            (p.file, p.sheet, p.row, p.column, p.value, p.reason, _yes(p.rejected))
            for p in plan.problems
        ),
    )
    table_sheet(
        book,
        "Skipped rows",
        [("Row", 7), ("Reason", 60)],
        prepared.candidates.skipped_rows,
    )
    save_workbook(book, path)


def _summary(
    prepared: PreparedImport, plan: ImportPlan, result: ImportResult | None, now: dt.datetime
) -> Iterable[Row]:
    table = prepared.table
    yield ("Report", "Import" if result else "Preview: nothing was written to the database")
    yield ("File", prepared.path.name)
    yield ("Folder", str(prepared.path.parent))
    yield ("Sheet", table.sheet)
    yield ("Header row", table.header_row)
    yield ("Checksum (SHA-256)", prepared.checksum)
    yield ("Date", now.replace(microsecond=0))
    yield ("Column mapping saved as", prepared.source_name)
    if result is not None:
        yield ("Import batch", result.batch_id)
    counts = result.counts if result is not None else plan.counts()
    for key, label in COUNT_LABELS.items():
        if key in counts:
            yield (label, counts[key])
    yield ("Rows skipped", len(prepared.candidates.skipped_rows))
    for note in prepared.candidates.notes:
        yield ("Note", note)
    if result is not None:
        for sentence in result.held_back:
            yield ("Held back", sentence)
    for line in prepared.mapping.describe().splitlines():
        yield ("Columns", line)


def _changes(
    prepared: PreparedImport,
    plan: ImportPlan,
    result: ImportResult | None,
    decisions: Decisions,
) -> Iterable[Row]:
    people = {candidate.row: candidate for candidate in prepared.candidates.candidates}
    for planned in plan.rows:
        if planned.action == "unchanged":
            continue  # counted in the summary; a line each would bury the changes
        action = _action(planned, decisions)
        name = _name(people.get(planned.row))
        if not planned.changes:
            yield (
                planned.row,
                action,
                planned.person_id,
                name,
                None,
                None,
                None,
                "no",
                planned.note,
            )
            continue
        for change in planned.changes:
            conflict = "no"
            if change.conflict:
                taken = decisions.takes(planned.row, change)
                if result is None:
                    conflict = "yes, file's value to be taken" if taken else "yes, branch's kept"
                else:
                    conflict = "yes, file's value taken" if taken else "yes, branch's value kept"
            yield (
                planned.row,
                action,
                planned.person_id,
                name,
                change.field,
                change.before,
                change.after,
                conflict,
                planned.note,
            )
    for person_id in plan.lapsing:
        yield (None, "lapse", person_id, None, "status", "member", "lapsed", "no", None)


def _action(planned: PlannedRow, decisions: Decisions) -> str:
    if planned.row in decisions.left_out_rows:
        return f"left out ({planned.action})"
    return planned.action


def _name(candidate: Candidate | None) -> str | None:
    if candidate is None:
        return None
    parts = (candidate.first_name, candidate.last_name)
    return " ".join(part for part in parts if part) or None


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
