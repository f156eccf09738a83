"""The import wizard's last pages: what the import would do, doing it, and what it did.

The preview is the plan ``preview_import`` made; the secretary's ticks become ``Decisions``.
The import itself plans again inside its transaction (``run_import``), so the report shows
what was really written even if someone edited a person while the preview was open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from db.importing.apply import ImportResult
from db.importing.candidates import Candidate
from db.importing.choices import describe_people
from db.importing.plan import ImportPlan, PlannedRow
from db.importing.workflow import run_import
from desktop.import_preview_model import TAKE_FILE_VALUE, PreviewRowsModel
from desktop.import_state import ImportPage, ImportState, Runner, hint_label
from desktop.jobs import Progress

# (key of plan.counts() / ImportResult.counts, caption, what it means)
PREVIEW_TILES = [
    ("created", "new", "People in the file Branchbook does not know yet."),
    ("updated", "updated", "Known people whose details in the file differ."),
    ("unchanged", "unchanged", "Known people the file has nothing new about."),
    ("lapsed", "to lapse", "Members who are not in the full list: marked lapsed, not deleted."),
    ("ambiguous", "unsure who", "Rows that could be more than one person: left alone."),
    ("duplicate", "repeated", "Rows repeating an earlier row of the file: only the first is used."),
    ("conflicts", "conflicts", "Details the branch checked itself that the file disagrees with."),
    ("rejected", "rejected", "Values that could not be used, such as a postcode that is not one."),
]
REPORT_TILES = [
    *PREVIEW_TILES[:3],
    ("lapsed", "lapsed", "Members who were not in the full list: marked lapsed, not deleted."),
    ("left_out", "left out", "Rows you left out in the preview."),
    *PREVIEW_TILES[4:6],
    ("conflicts", "kept", "Conflicts where the branch's own value was kept."),
    PREVIEW_TILES[7],
]

# Preview filters: (label, which rows)
FILTERS: list[tuple[str, Callable[[PlannedRow], bool]]] = [
    ("Everything that would change", lambda row: row.action != "unchanged"),
    ("New people", lambda row: row.action == "create"),
    ("Updates", lambda row: row.action == "update"),
    ("Conflicts to decide", lambda row: any(change.conflict for change in row.changes)),
    ("Unsure who", lambda row: row.action == "ambiguous"),
    ("Repeated rows", lambda row: row.action == "duplicate"),
]


_SOMEONE_NEW = "Someone new: add them as a new person"
_UNDECIDED = "Undecided: ask again, and leave the row out meanwhile"


class CountTiles(QWidget):
    """Counts as big numbers, each with a short caption and a tooltip saying what it means."""

    def __init__(self, tiles: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self.numbers: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.9)
        big.setBold(True)
        for column, (key, caption, meaning) in enumerate(tiles):
            tile = QFrame()
            tile.setObjectName(f"tile_{key}")
            tile.setFrameShape(QFrame.Shape.StyledPanel)
            tile.setToolTip(meaning)
            number = QLabel("0")
            number.setFont(big)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label = QLabel(caption)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("color: #444;")
            box = QVBoxLayout(tile)
            box.setContentsMargins(6, 4, 6, 4)
            box.setSpacing(0)
            box.addWidget(number)
            box.addWidget(label)
            grid.addWidget(tile, 0, column)
            self.numbers[key] = number

    def show_counts(self, counts: dict[str, int]) -> None:
        for key, label in self.numbers.items():
            label.setText(f"{counts.get(key, 0):,}")

    def count(self, key: str) -> int:
        return int(self.numbers[key].text().replace(",", ""))


class _SavesReport(ImportPage):
    saved_note: QLabel

    def _save(self, *, preview: bool) -> None:
        path = save_report(self, self.state, preview=preview)
        if path is not None:
            self.saved_note.setText(f"Saved to {path}.")


def save_report(page: ImportPage, state: ImportState, *, preview: bool) -> Path | None:
    """Ask where, then write the xlsx report of the preview or of the import."""
    from reports.import_report import write_import_report

    prepared, plan = state.prepared, state.plan
    result = None if preview else state.result
    if prepared is None or plan is None or (not preview and result is None):
        return None
    kind = "preview" if preview else "report"
    name = f"Import {kind} {prepared.path.stem} {dt.date.today().isoformat()}.xlsx"
    chosen, _filter = QFileDialog.getSaveFileName(
        page, f"Save the import {kind}", str(prepared.path.parent / name), "Excel workbook (*.xlsx)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    decisions = state.decisions()

    def write(_progress: Progress, _cancelled: Callable[[], bool]) -> None:
        try:
            write_import_report(path, prepared, plan, result, decisions=decisions)
        except OSError as error:
            raise UserError(
                f"{path.name} could not be saved ({error.strerror or error}); if it is open "
                "in Excel, close it there and save again."
            ) from error

    ok, _none = page.run(f"Saving {path.name}…", write)
    return path if ok else None


class PreviewPage(_SavesReport):
    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("Preview: what the import would do")
        self.setSubTitle(
            "Nothing has been written yet. Untick a row to leave it out. Where the branch "
            "checked a detail itself and the file disagrees, the branch's value is kept "
            f"unless you tick “{TAKE_FILE_VALUE}”."
        )
        self.tiles = CountTiles(PREVIEW_TILES)
        self.filter = QComboBox()
        self.filter.setObjectName("previewFilter")
        self.filter.currentIndexChanged.connect(self._fill_rows)
        self.model = PreviewRowsModel(self)
        self.rows = QTableView()
        self.rows.setObjectName("previewRows")
        self.rows.setModel(self.model)
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows.setWordWrap(False)
        self.rows.setAlternatingRowColors(True)
        vertical = self.rows.verticalHeader()
        vertical.setVisible(False)
        # Fixed heights: the view never measures 100,000 rows to lay them out.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(24)
        header = self.rows.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in enumerate([84, 170, 235]):
            header.resizeSection(column, width)
        self.rows.selectionModel().currentRowChanged.connect(self._show_line)
        # The details column is cut short in the table; the chosen line's changes are
        # spelled out here, one per line.
        self.line_details = QPlainTextEdit()
        self.line_details.setObjectName("previewLineDetails")
        self.line_details.setReadOnly(True)
        self.line_details.setPlaceholderText("Choose a row to see each of its changes in full.")
        line_height = self.line_details.fontMetrics().lineSpacing()
        self.line_details.setFixedHeight(4 * line_height + 12)
        self.problems = _sentence_list("previewProblems")
        self.skipped = _sentence_list("previewSkipped")
        rows_tab = QWidget()
        rows_layout = QVBoxLayout(rows_tab)
        rows_layout.setContentsMargins(4, 6, 4, 4)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Show:"))
        filter_row.addWidget(self.filter)
        filter_row.addStretch(1)
        self.choose_button = QPushButton("Choose who this is…")
        self.choose_button.setObjectName("chooseWho")
        self.choose_button.setToolTip(
            "This row could be more than one person kept here: say which one, or that it is "
            "someone new."
        )
        self.choose_button.setEnabled(False)
        self.choose_button.clicked.connect(self._ask_who)
        filter_row.addWidget(self.choose_button)
        rows_layout.addLayout(filter_row)
        rows_layout.addWidget(self.rows, 1)
        rows_layout.addWidget(self.line_details)
        self.tabs = QTabWidget()
        self.tabs.addTab(rows_tab, "Rows")
        self.tabs.addTab(self.problems, "Problems")
        self.tabs.addTab(self.skipped, "Skipped rows")
        self.save_button = QPushButton("Save this preview as a spreadsheet…")
        self.save_button.setObjectName("savePreview")
        self.save_button.clicked.connect(lambda: self._save(preview=True))
        self.saved_note = hint_label()
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.saved_note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tiles)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self._people: dict[int, Candidate] = {}

    def initializePage(self) -> None:
        plan, prepared = self.state.plan, self.state.prepared
        if plan is None or prepared is None:
            return
        self._people = {c.row: c for c in prepared.candidates.candidates}
        self.tiles.show_counts(plan.counts())
        self.saved_note.clear()
        self.filter.blockSignals(True)
        self.filter.clear()
        labels = [
            f"{label} ({sum(1 for row in plan.rows if wanted(row)):,})" for label, wanted in FILTERS
        ]
        self.filter.addItems(labels)
        self.filter.blockSignals(False)
        self._fill_rows()
        changing = sum(1 for row in plan.rows if row.action != "unchanged")
        self.tabs.setTabText(0, f"Rows ({changing:,})")
        notes = prepared.candidates.notes
        show_sentences(self.problems, [*notes, *(p.sentence() for p in plan.problems)])
        self.tabs.setTabText(1, f"Problems ({len(plan.problems) + len(notes):,})")
        skipped = prepared.candidates.skipped_rows
        show_sentences(self.skipped, [f"Row {row}: {reason}" for row, reason in skipped])
        self.tabs.setTabText(2, f"Skipped rows ({len(skipped):,})")

    def _fill_rows(self) -> None:
        plan = self.state.plan
        if plan is None:
            return
        _label, wanted = FILTERS[max(self.filter.currentIndex(), 0)]
        chosen = [row for row in plan.rows if wanted(row)]
        self.model.set_rows(chosen, self._people, self.state.left_out, self.state.accepted)
        self.line_details.clear()
        self.choose_button.setEnabled(False)  # no row is current after the reset

    def _show_line(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.line_details.clear()
            self.choose_button.setEnabled(False)
            return
        self.line_details.setPlainText(self.model.describe_line(current.row()))
        self.choose_button.setEnabled(bool(self._could_be(self.model.line(current.row()).row)))

    def _could_be(self, planned: PlannedRow) -> tuple[int, ...]:
        """The people a row could be: as planned, or as it was before a choice was made."""
        if planned.action == "ambiguous":
            return planned.candidates
        return self.state.chosen_among.get(planned.row, ())

    def _ask_who(self) -> None:
        current = self.rows.currentIndex()
        if not current.isValid():
            return
        planned = self.model.line(current.row()).row
        among = self._could_be(planned)
        plan = self.state.plan
        # Someone another row of the file already is cannot be this row too: choosing them
        # would make that row a repeat of this one.
        elsewhere = {
            row.person_id: row.row
            for row in (plan.rows if plan is not None else [])
            if row.person_id is not None
            and row.row != planned.row
            and row.action in ("update", "unchanged")
        }
        offered = [pid for pid in among if pid not in elsewhere]
        with self.state.database.session() as session:
            described = describe_people(session, offered)
        options = [described.get(pid, f"Person {pid}") for pid in offered]
        options.append(_SOMEONE_NEW)
        if planned.row in self.state.chosen:
            options.append(_UNDECIDED)
        question = f"Row {planned.row} could be any of these people. Who is it?"
        taken = [f"person {pid} is row {elsewhere[pid]}" for pid in among if pid in elsewhere]
        if taken:
            question += f"\n(Not offered: {', '.join(taken)} of the file already.)"
        picked, ok = QInputDialog.getItem(self, "Choose who this is", question, options, 0, False)
        if not ok:
            return
        if picked == _UNDECIDED:
            self.choose(planned.row, None, among, undecided=True)
            return
        position = options.index(picked)
        pick = offered[position] if position < len(offered) else None
        self.choose(planned.row, pick, among)

    def choose(
        self,
        sheet_row: int,
        person_id: int | None,
        among: tuple[int, ...] = (),
        *,
        undecided: bool = False,
    ) -> bool:
        """Say whom row ``sheet_row`` is (None: someone new; ``among``: the people it could
        be), or take the choice back (``undecided``), and plan again with it."""
        state, prepared = self.state, self.state.prepared
        if prepared is None:
            return False
        before = dict(state.chosen), dict(state.chosen_among), state.chosen_for
        if undecided:
            state.chosen.pop(sheet_row, None)
            state.chosen_among.pop(sheet_row, None)
        else:
            state.chosen[sheet_row] = person_id
            state.chosen_among[sheet_row] = among or state.chosen_among.get(sheet_row, ())
        state.chosen_for = prepared
        if not self.plan_again("Planning again with your choice…", state.options):
            state.chosen, state.chosen_among, state.chosen_for = before
            return False
        shown = self.filter.currentIndex()  # working through "Unsure who" stays there
        self.initializePage()
        self.filter.setCurrentIndex(shown)
        return True

    def tick(self, sheet_row: int, ticked: bool, field: str | None = None) -> None:
        """Tick or untick a row (import it, or leave it out) or one of its conflicts (take
        the file's value), as a click on its box does."""
        line = self.model.line_of(sheet_row, field)
        if line is None:
            raise LookupError(f"row {sheet_row} ({field or 'the row'}) is not shown")
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        index = self.model.index(line, 0 if field is None else 2)
        self.model.setData(index, state, Qt.ItemDataRole.CheckStateRole)


def _sentence_list(name: str) -> QListView:
    view = QListView()
    view.setObjectName(name)
    view.setModel(QStringListModel(view))
    view.setWordWrap(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    return view


def show_sentences(view: QListView, sentences: list[str]) -> None:
    # One call hands the whole list to C++, where the view reads it: a national list
    # can hold 100,000 problems, and a QListWidget would build an item for each in Python.
    model = view.model()
    assert isinstance(model, QStringListModel)
    model.setStringList(sentences)


def sentences_in(view: QListView) -> list[str]:
    model = view.model()
    assert isinstance(model, QStringListModel)
    return list(model.stringList())


class ImportRunPage(ImportPage):
    """The last look before writing; Import (the commit button) runs it with progress."""

    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("Ready to import")
        self.setSubTitle(
            "The import runs in one step. Cancel it while it runs and the database stays "
            "exactly as it was."
        )
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.status = hint_label(error=True)
        self.status.setObjectName("importStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        state, plan, prepared = self.state, self.state.plan, self.state.prepared
        if plan is None or prepared is None:
            return
        taking = [row for row in plan.rows if row.row not in state.left_out]
        actions = [row.action for row in taking]
        lines = [
            f"{actions.count('create'):,} new people",
            f"{actions.count('update'):,} people updated",
        ]
        if state.options.full_list:
            lines.append(
                f"{len(plan.lapsing):,} members not in the list marked lapsed"
                if plan.lapsing
                else "every member is in the list, so nobody is marked lapsed"
            )
        elif state.options.supporters:
            lines.append("a list of supporters: members in it stay members")
        left_out = len(state.left_out)
        if left_out:
            lines.append(f"{left_out:,} row{'s' if left_out != 1 else ''} left out by you")
        conflicts = [(row.row, c.field) for row in taking for c in row.changes if c.conflict]
        if conflicts:
            taken = sum(1 for key in conflicts if key in state.accepted)
            lines.append(
                f"{len(conflicts):,} conflicts: the branch's own value kept for all of them"
                if not taken
                else f"{len(conflicts):,} conflicts: the file's value taken for {taken:,}, "
                "the branch's own kept for the rest"
            )
        rejected = sum(problem.rejected for problem in plan.problems)
        if rejected:
            lines.append(f"{rejected:,} values rejected: the people are imported without them")
        items = "".join(f"<li>{line}</li>" for line in lines)
        self.summary.setText(
            f"<p>Importing <b>{_html(prepared.path.name)}</b> into "
            f"<b>{_html(state.database.location)}</b>:</p><ul>{items}</ul>"
            "<p>Every change is recorded as one import batch, with who and when.</p>"
        )
        self.status.clear()

    def validatePage(self) -> bool:
        state, prepared = self.state, self.state.prepared
        if prepared is None:
            return False
        database, options, decisions = state.database, state.options, state.decisions()
        self.status.clear()

        def write(
            progress: Progress, cancelled: Callable[[], bool]
        ) -> tuple[ImportPlan, ImportResult]:
            def rows_done(done: int, total: int) -> None:
                progress(done, total, f"Importing… {done:,} of {total:,} rows")

            return run_import(
                database, prepared, options, decisions, progress=rows_done, cancelled=cancelled
            )

        ok, found = self.run(f"Importing {prepared.path.name}…", write)
        if ok:
            state.plan, state.result = found
        return ok

    def cancelled(self) -> None:
        self.status.setText(
            "Cancelled: nothing was changed. Press Import to try again, or Cancel to close."
        )


class ReportPage(_SavesReport):
    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("Imported")
        self.tiles = CountTiles(REPORT_TILES)
        self.held_title = QLabel("What the import did not take:")
        self.held_back = _sentence_list("heldBack")
        self.save_button = QPushButton("Save report…")
        self.save_button.setObjectName("saveReport")
        self.save_button.clicked.connect(lambda: self._save(preview=False))
        self.saved_note = hint_label()
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.saved_note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tiles)
        layout.addSpacing(8)
        layout.addWidget(self.held_title)
        layout.addWidget(self.held_back, 1)
        layout.addLayout(bottom)

    def initializePage(self) -> None:
        result, prepared = self.state.result, self.state.prepared
        if result is None or prepared is None:
            return
        self.setSubTitle(
            f"{prepared.path.name} was imported as batch {result.batch_id}. The column "
            f"choices are saved as “{prepared.source_name}” for next time."
        )
        self.tiles.show_counts(result.counts)
        show_sentences(self.held_back, result.held_back or ["Nothing was held back."])
        self.saved_note.setText("Keep the report with this month's papers: it lists every change.")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
