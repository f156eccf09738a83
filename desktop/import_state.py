"""What the import wizard's pages share: the choices made so far, and running a job.

The pages hold widgets only; everything an import needs travels in one ``ImportState``,
so a page that is left and come back to shows what was chosen, and a test can read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QWizardPage

from db.database import Database
from db.errors import Cancelled
from db.importing.apply import Decisions, ImportResult
from db.importing.plan import ImportPlan
from db.importing.table import SheetSummary
from db.importing.workflow import ImportOptions, PreparedImport, preview_import
from desktop.jobs import Job, JobOutcome, Progress

# What the file dialog offers: every kind db.importing.readers can open.
FILE_FILTER = (
    "Spreadsheets and lists (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.tsv *.txt);;"
    "Excel workbooks (*.xlsx *.xlsm *.xls *.xlsb);;"
    "OpenDocument spreadsheets (*.ods);;"
    "Text lists (*.csv *.tsv *.txt);;"
    "All files (*)"
)
SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv", ".txt"})
# Files that always hold one sheet: the sheet step is skipped without reading them twice.
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})

Runner = Callable[[str, Job], JobOutcome]


class PageId(IntEnum):
    FILE = 0
    SHEET = 1
    COLUMNS = 2
    OPTIONS = 3
    PREVIEW = 4
    IMPORT = 5
    REPORT = 6


@dataclass
class ImportState:
    database: Database
    path: Path | None = None
    sheets: list[SheetSummary] = field(default_factory=list)  # only for several sheets
    picked_sheet: str | None = None  # the sheet Branchbook would choose
    loaded: tuple[Path, int] | None = None  # the file (and its mtime) last read
    prepared: PreparedImport | None = None
    mapping_reused: bool = False  # as prepared: editing the columns does not change it
    options: ImportOptions = field(default_factory=ImportOptions)
    plan: ImportPlan | None = None
    left_out: set[int] = field(default_factory=set)  # sheet rows
    accepted: set[tuple[int, str]] = field(default_factory=set)  # (sheet row, field)
    # Whom rows that could be several people are: sheet row -> person id, None for new;
    # the people each could be; and the reading of the file the choices were made on
    # (another sheet or other columns make other rows: the choices are then forgotten).
    chosen: dict[int, int | None] = field(default_factory=dict)
    chosen_among: dict[int, tuple[int, ...]] = field(default_factory=dict)
    chosen_for: PreparedImport | None = None
    result: ImportResult | None = None

    def decisions(self) -> Decisions:
        return Decisions(
            left_out_rows=frozenset(self.left_out),
            accepted_conflicts=frozenset(self.accepted),
            chosen=dict(self.chosen) if self.prepared is self.chosen_for else {},
        )

    def keep_decisions_that_apply(self) -> None:
        """After planning again, forget choices about rows or conflicts that went away."""
        if self.plan is None or self.prepared is not self.chosen_for:
            self.chosen.clear()
            self.chosen_among.clear()
        if self.plan is None:
            self.left_out.clear()
            self.accepted.clear()
            return
        writable = {row.row for row in self.plan.rows if row.action in ("create", "update")}
        conflicts = {
            (row.row, change.field)
            for row in self.plan.rows
            for change in row.changes
            if change.conflict
        }
        self.left_out &= writable
        self.accepted &= conflicts


def hint_label(text: str = "", *, error: bool = False) -> QLabel:
    """A wrapped sentence under a page's title; red when it says why Next is blocked."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;" if error else "color: #444;")
    return label


class ImportPage(QWizardPage):
    """A wizard page that can run a job and shows its failure as one sentence."""

    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__()
        self.state = state
        self._runner = runner

    def plan_again(self, title: str, options: ImportOptions) -> bool:
        """Preview the import with ``options`` and the decisions made so far, as a job; the
        plan is kept (and the decisions that no longer apply dropped) when it succeeds."""
        state, prepared = self.state, self.state.prepared
        if prepared is None:
            return False
        database, decisions = state.database, state.decisions()

        def preview(_progress: Progress, _cancelled: Callable[[], bool]) -> ImportPlan:
            return preview_import(database, prepared, options, decisions)

        ok, plan = self.run(title, preview)
        if ok:
            state.options, state.plan = options, plan
            state.keep_decisions_that_apply()
        return bool(ok)

    def run(self, title: str, job: Job) -> tuple[bool, Any]:
        """(True, result), or (False, None) once a failure or a Cancel has been shown."""
        outcome = self._runner(title, job)
        if outcome.error is None:
            return True, outcome.result
        if isinstance(outcome.error, Cancelled):
            self.cancelled()
        else:
            from desktop.errors import show_error

            show_error(self, outcome.error)
        return False, None

    def cancelled(self) -> None:
        """The user pressed Cancel on the progress dialog; nothing was written."""


def plain_table(table: QTableWidget) -> None:
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
