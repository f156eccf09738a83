"""Import answers from a Google Forms or Microsoft Forms export.

The file is chosen in the usual file dialog (starting where the last one came from), then
read once as a dry run (``import_answers(..., dry_run=True)``, nothing kept) on a worker
thread. The dialog shows what would be recorded, which column went to which question, and
each problem with its row and column; Import then records it in one transaction. A file
that cannot be used at all is said in one sentence in the dialog, with nothing written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import UserError
from db.importing.answers import AnswersImport
from db.views import list_questions
from desktop.errors import show_error
from desktop.file_dialogs import open_remembered
from desktop.import_state import FILE_FILTER
from desktop.jobs import Progress, run_job

FOLDER_KEY = "AnswersImport/folder"
PROBLEM_COLUMNS = ("Row", "Column", "Problem")
QUESTION_COLUMNS = ("Column", "Heading in the file", "Question")
_PROBLEM_STYLE = "color: #b71c1c;"
_DONE_STYLE = "color: #1b5e20;"

# "file.xlsx, sheet 'X', row 7, column C ('How ...'): the question has no option 'Y'; ..."
_WHERE = re.compile(
    r"^.*?, row (?P<row>\d+)"
    r"(?:, column (?P<column>[A-Z]+) \('(?P<header>.*?)'\)|, (?P<given>the date given))?"
    r"(?::\s*|\s+)(?P<rest>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Problem:
    row: str
    column: str
    text: str
    sentence: str


def split_problem(sentence: str) -> Problem:
    """A problem sentence as row, column and the rest; the whole sentence when it names none."""
    found = _WHERE.match(sentence)
    if found is None:
        return Problem("", "", sentence, sentence)
    column = found["column"] or ""
    if found["header"]:
        column = f"{column} ({found['header']})"
    elif found["given"]:
        column = found["given"]
    text = found["rest"]
    first = text.split(" ", 1)[0]
    if "@" not in first:  # "the question has..." reads as a sentence; an address stays as it is
        text = text[:1].upper() + text[1:]
    return Problem(found["row"], column, text, sentence)


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def summary_text(result: AnswersImport) -> str:
    verb = "Would record" if result.dry_run else "Recorded"
    text = (
        f"{verb} {count(result.recorded, 'answer')} from {result.people:,} of "
        f"{count(result.rows, 'response')}"
    )
    if result.unchanged:
        text += f"; {result.unchanged:,} already recorded (kept as they are)"
    problems = len(result.problems)
    if problems:
        text += f". {count(problems, 'problem')} to put right by hand (below); those are left out."
    else:
        text += ". No problems."
    if result.dry_run:
        text += " Nothing is kept until you press Import."
    return text


def choose_answers_file(parent: QWidget) -> Path | None:
    """The form export, starting in the folder the last one came from."""
    return open_remembered(
        parent, "Choose the Google Forms or Microsoft Forms export", FOLDER_KEY, FILE_FILTER
    )


def import_answers_from_file(
    parent: QWidget, database: Database, imported: Callable[[AnswersImport], None]
) -> AnswersImportDialog | None:
    """Choose the file, check it (a dry run), then show the dialog that imports it."""
    path = choose_answers_file(parent)
    if path is None:
        return None
    dialog = AnswersImportDialog(database, path, parent)
    dialog.imported.connect(imported)
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    dialog.open()
    dialog.check()
    return dialog


class AnswersImportDialog(QDialog):
    imported = Signal(object)  # the AnswersImport written

    def __init__(self, database: Database, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.path = path
        self.last_run: AnswersImport | None = None
        self.setObjectName("answersImportDialog")
        self.setWindowTitle("Import answers from a form")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        heading = QLabel(f"<b>{escape(path.name)}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.use_date = QCheckBox("The file has no time each response was sent; they were given on")
        self.use_date.setObjectName("useDate")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        today = QDate.currentDate()
        self.date_edit.setMaximumDate(today)
        self.date_edit.setDate(today)
        self.date_edit.setEnabled(False)
        self.use_date.toggled.connect(self.date_edit.setEnabled)
        self.use_date.toggled.connect(lambda _on: self.check())
        self.date_edit.dateChanged.connect(
            lambda _d: self.check() if self.use_date.isChecked() else None
        )
        date_row = QHBoxLayout()
        date_row.addWidget(self.use_date)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)

        self.summary = QLabel("Reading the file…")
        self.summary.setObjectName("answersImportSummary")
        self.summary.setWordWrap(True)
        self.problems = _table(PROBLEM_COLUMNS, "answersImportProblems")
        self.columns = _table(QUESTION_COLUMNS, "answersImportColumns")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555;")
        columns_page = QWidget()
        columns_layout = QVBoxLayout(columns_page)
        columns_layout.addWidget(self.columns, 1)
        columns_layout.addWidget(self.notes)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems, "Problems")
        self.tabs.addTab(columns_page, "Questions found")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importAnswersButton")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(lambda: self.import_now())
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(date_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(820, 520)

    def answered_on(self) -> dt.date | None:
        if not self.use_date.isChecked():
            return None
        date = self.date_edit.date()
        return dt.date(date.year(), date.month(), date.day())

    # the work ------------------------------------------------------------------------

    def _run(self, dry_run: bool) -> AnswersImport | None:
        database, path, day = self.database, self.path, self.answered_on()

        def job(_progress: Progress, _cancelled: Callable[[], bool]) -> AnswersImport:
            from db.importing.answers import import_answers

            return import_answers(database, path, answered_on=day, dry_run=dry_run)

        title = f"Checking {path.name}…" if dry_run else f"Importing {path.name}…"
        # One transaction that does not look at Cancel: no Cancel button rather than a dead one.
        outcome = run_job(self, title, job, cancellable=False)
        if isinstance(outcome.error, UserError):
            self._refused(str(outcome.error))
            return None
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        result: AnswersImport = outcome.result
        return result

    def check(self) -> AnswersImport | None:
        """The dry run: what Import would record, and the problems."""
        result = self._run(dry_run=True)
        if result is not None:
            self._show(result)
        return result

    def import_now(self) -> AnswersImport | None:
        if self.last_run is None or not self.last_run.dry_run:
            return None
        result = self._run(dry_run=False)
        if result is None:
            return None
        self._show(result)
        self.use_date.setEnabled(False)
        self.date_edit.setEnabled(False)
        self.close_button.setText("Close")
        self.import_button.setText("Imported")
        self.imported.emit(result)
        return result

    # showing -------------------------------------------------------------------------

    def _refused(self, sentence: str) -> None:
        self.last_run = None
        self.summary.setStyleSheet(_PROBLEM_STYLE)
        self.summary.setText(sentence)
        self.import_button.setEnabled(False)
        self.problems.setRowCount(0)
        self.columns.setRowCount(0)
        self.notes.clear()

    def _show(self, result: AnswersImport) -> None:
        self.last_run = result
        self.summary.setStyleSheet("" if result.dry_run else _DONE_STYLE)
        self.summary.setText(summary_text(result))
        self.import_button.setEnabled(result.dry_run and result.recorded > 0)
        if result.dry_run:
            self.import_button.setText(f"&Import {count(result.recorded, 'answer')}")
        problems = sorted(
            (split_problem(s) for s in result.problems),
            key=lambda p: int(p.row) if p.row else 0,
        )
        _fill(
            self.problems,
            [(p.row, p.column, p.text) for p in problems],
            [p.sentence for p in problems],
        )
        with self.database.session() as session:
            texts = {q.id: q.text for q in list_questions(session)}
        rows = [(c.column, c.header, texts.get(c.question_id, "")) for c in result.questions]
        _fill(self.columns, rows, [])
        self.notes.setText("\n".join(result.notes))
        self.tabs.setTabText(0, f"Problems ({len(problems):,})")
        self.tabs.setTabText(1, f"Questions found ({len(rows)})")
        if not problems:
            self.tabs.setCurrentIndex(1)


def _table(headers: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    for column in range(len(headers) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], tips: Sequence[str]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if r < len(tips):
                item.setToolTip(tips[r])
            if c == 0 and value.isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeRowsToContents()
