"""The import wizard's pages around the columns: which file, which sheet, and what kind
of list it is (the columns page is ``import_columns``).

Reading and cleaning a file runs as a job (a national list of 100,000 rows takes seconds);
each page does its work when Next is pressed, so going back and forth costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db.errors import UserError
from db.importing.readers import read_workbook
from db.importing.table import SheetSummary, find_table, list_sheets
from db.importing.workflow import ImportOptions, PreparedImport, prepare_import
from desktop.import_state import (
    FILE_FILTER,
    TEXT_SUFFIXES,
    ImportPage,
    ImportState,
    PageId,
    Runner,
    hint_label,
    plain_table,
)
from desktop.jobs import Progress


class FilePage(ImportPage):
    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("Choose the spreadsheet to import")
        self.setSubTitle(
            "A membership list from the national party, a sign-up sheet or a petition: "
            "Excel, LibreOffice or a csv file."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText("The file to import")
        self.path_edit.textChanged.connect(self.completeChanged)
        self.browse_button = QPushButton("Choose a file…")
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(
            hint_label(
                "Nothing is written to the database until the last step, and you see "
                "every change first. You can also drop a file on Branchbook's main window."
            )
        )
        layout.addStretch(1)
        if state.path is not None:
            self.path_edit.setText(str(state.path))

    def browse(self) -> None:
        start = self.path_edit.text().strip() or str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose the spreadsheet to import", start, FILE_FILTER
        )
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip()).expanduser()
        state = self.state
        stamp = _stamp(path)
        if stamp is not None and state.loaded == stamp:
            return True  # back and forth: this file, unchanged, was read already
        database = state.database

        def read(
            progress: Progress, _cancelled: Callable[[], bool]
        ) -> tuple[list[SheetSummary], str | None, PreparedImport | None]:
            if path.suffix.lower() in TEXT_SUFFIXES:
                return [], None, prepare_import(database, path)
            workbook = read_workbook(path)
            sheets = list_sheets(workbook)
            if len(sheets) < 2:
                return [], None, prepare_import(database, path)
            try:
                picked: str | None = find_table(workbook).sheet
            except UserError:  # the sheet page lists what each sheet holds instead
                picked = None
            return sheets, picked, None

        ok, found = self.run(f"Reading {path.name}…", read)
        if not ok:
            return False
        state.sheets, state.picked_sheet, state.prepared = found
        state.plan, state.result = None, None
        state.keep_decisions_that_apply()
        state.path, state.loaded = path, stamp
        if state.prepared is not None:
            state.mapping_reused = state.prepared.reused
        return True

    def nextId(self) -> int:
        return int(PageId.SHEET if self.state.sheets else PageId.COLUMNS)


def _stamp(path: Path) -> tuple[Path, int] | None:
    """The file and when it was last saved: a file corrected in Excel is read again."""
    try:
        return path, path.stat().st_mtime_ns
    except OSError:
        return None  # reading it will say why, in a sentence


class SheetPage(ImportPage):
    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("Choose the sheet")
        self.setSubTitle("This workbook has more than one sheet. Which one holds the people?")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("sheetTable")
        self.table.setHorizontalHeaderLabels(["Sheet", "Rows below the header", "About it"])
        plain_table(self.table)
        self.table.horizontalHeader().resizeSection(0, 260)
        self.table.itemSelectionChanged.connect(self.completeChanged)
        self.table.itemDoubleClicked.connect(lambda _item: self.wizard().next())
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def initializePage(self) -> None:
        sheets = self.state.sheets
        current = self.state.prepared.table.sheet if self.state.prepared else None
        wanted = current or self.state.picked_sheet
        self.table.setRowCount(len(sheets))
        for row, sheet in enumerate(sheets):
            name = QTableWidgetItem(sheet.name + ("  (hidden)" if sheet.hidden else ""))
            name.setData(Qt.ItemDataRole.UserRole, sheet.name)
            count = QTableWidgetItem(f"{sheet.rows:,}" if sheet.header_row else "")
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, count)
            self.table.setItem(row, 2, QTableWidgetItem(_about(sheet, sheet.name == wanted)))
            if sheet.name == wanted:
                self.table.selectRow(row)
        self.table.resizeColumnToContents(1)

    def chosen(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def isComplete(self) -> bool:
        return self.chosen() is not None

    def validatePage(self) -> bool:
        sheet, state = self.chosen(), self.state
        if sheet is None or state.path is None:
            return False
        if state.prepared is not None and state.prepared.table.sheet == sheet:
            return True
        database, path = state.database, state.path

        def prepare(_progress: Progress, _cancelled: Callable[[], bool]) -> PreparedImport:
            return prepare_import(database, path, sheet=sheet)

        ok, prepared = self.run(f"Reading the sheet '{sheet}'…", prepare)
        if ok:
            state.prepared = prepared
            state.mapping_reused = prepared.reused
        return ok


def _about(sheet: SheetSummary, picked: bool) -> str:
    parts = []
    if picked:
        parts.append("Branchbook's choice")
    if sheet.hidden:
        parts.append("hidden in Excel")
    if sheet.header_row is None:
        parts.append("no list found")
    elif sheet.looks_like_people:
        parts.append(f"a list of people, header on row {sheet.header_row}")
    else:
        parts.append(f"a table, header on row {sheet.header_row}")
    return "; ".join(parts)


class OptionsPage(ImportPage):
    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("What kind of list is it?")
        self.setSubTitle("This decides what happens to people who are not in the file.")
        self.full_list = QCheckBox(
            "This is the full list of members: mark members who are not in it as lapsed"
        )
        self.full_list.setObjectName("fullList")
        self.supporters = QCheckBox(
            "This is a list of supporters (a petition, a stall, a sign-up sheet), not of members"
        )
        self.supporters.setObjectName("supporters")
        # A supporters list is never the full list of members: both at once would lapse
        # every member who did not sign a petition.
        self.full_list.toggled.connect(lambda on: _untick(self.supporters, on))
        self.supporters.toggled.connect(lambda on: _untick(self.full_list, on))
        self.summary = hint_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.full_list)
        layout.addWidget(
            _indented(
                "Use this for the national party's monthly list of the branch's members. "
                "Nobody is deleted: lapsed members keep everything the branch knows about them."
            )
        )
        layout.addSpacing(12)
        layout.addWidget(self.supporters)
        layout.addWidget(
            _indented(
                "New people are added as supporters, and members in the list stay members. "
                "Without either box, new people take the status the file gives them."
            )
        )
        layout.addSpacing(18)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:
        prepared = self.state.prepared
        if prepared is None:
            return
        found = prepared.candidates
        parts = [_counted(len(found.candidates), "person", "people") + " in the file"]
        if found.skipped_rows:
            parts.append(_counted(len(found.skipped_rows), "row") + " skipped")
        if found.problems:
            parts.append(_counted(len(found.problems), "value") + " to look at")
        else:
            parts.append("no problems found")
        self.summary.setText(
            f"{prepared.path.name}: {', '.join(parts)}. The next page shows what the import "
            "would do before anything is written."
        )

    def validatePage(self) -> bool:
        options = ImportOptions(
            full_list=self.full_list.isChecked(), supporters=self.supporters.isChecked()
        )
        return self.plan_again("Comparing the list with the database…", options)


def _counted(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _untick(other: QCheckBox, ticked: bool) -> None:
    if ticked:
        other.setChecked(False)


def _indented(text: str) -> QLabel:
    label = hint_label(text)
    label.setContentsMargins(26, 0, 0, 0)
    return label
