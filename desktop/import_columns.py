"""The import wizard's columns page: what each column of the sheet holds.

Branchbook's guess (``recognise``, or the mapping saved for these headers last month) is
shown beside a few values from each column, and every change goes through ``ColumnMapping``
so the rules (one column per field, left-out columns) live in one place, in db/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.importing.cleaned import cell_text
from db.importing.columns import ColumnMapping
from db.importing.header_names import FIELD_LABELS, FIELDS
from db.importing.workbook import column_letter
from db.importing.workflow import PreparedImport
from desktop.import_state import ImportPage, ImportState, Runner, hint_label, plain_table
from desktop.jobs import Progress

KEEP = "keep"  # an unmapped column kept as a custom field
LEAVE = "leave"  # an unmapped column left out
SAMPLES = 3
SAMPLE_ROWS = 5_000


class ColumnsPage(ImportPage):
    def __init__(self, state: ImportState, runner: Runner) -> None:
        super().__init__(state, runner)
        self.setTitle("Check what each column holds")
        self.setSubTitle(
            "Branchbook recognises the usual headers. Correct any column it got wrong: "
            "columns it does not know are kept as custom fields unless you leave them out."
        )
        self.mapping: ColumnMapping | None = None
        self._shown_for: PreparedImport | None = None
        self._shown_choices: list[str | None] = []  # what each row's box shows now
        self._choices = _choices_model(self)
        self.origin = hint_label()
        self.origin.setObjectName("mappingOrigin")
        self.table = QTableWidget(0, 3 + SAMPLES)
        self.table.setObjectName("columnTable")
        self.table.setHorizontalHeaderLabels(
            ["Column", "Header", *(f"Example {n}" for n in range(1, SAMPLES + 1)), "Use as"]
        )
        plain_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate([60, 160, *([130] * SAMPLES), 220]):
            header.resizeSection(column, width)
        # The examples take the room a wide window gives: long email addresses need it.
        for column in range(2, 2 + SAMPLES):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.notes = hint_label()
        self.missing = hint_label(error=True)
        self.missing.setObjectName("missingRequired")
        layout = QVBoxLayout(self)
        layout.addWidget(self.origin)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.missing)

    def initializePage(self) -> None:
        prepared = self.state.prepared
        if prepared is None or prepared is self._shown_for:
            return  # back from a later page: keep the choices as they are
        self._shown_for = prepared
        self.mapping = prepared.mapping
        table = prepared.table
        self.table.clearContents()  # another file's examples must not linger
        self.table.setRowCount(len(table.headers))
        self._shown_choices = [None] * len(table.headers)
        for column, header in enumerate(table.headers):
            letter = QTableWidgetItem(column_letter(table.columns[column]))
            letter.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(column, 0, letter)
            self.table.setItem(column, 1, QTableWidgetItem(header))
            for n, value in enumerate(_samples(table.rows, column)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(column, 2 + n, item)
            combo = QComboBox()
            combo.setModel(self._choices)
            combo.setMaxVisibleItems(self._choices.rowCount())
            combo.setObjectName(f"useAs{column}")
            combo.activated.connect(lambda _i, c=column: self._chosen(c))
            self.table.setCellWidget(column, 2 + SAMPLES, combo)
        recognised = sum(1 for field in prepared.mapping.fields if field)
        if self.state.mapping_reused:
            origin = (
                f"These are the choices you made for “{prepared.source_name}” last time; "
                "a list with the same headers uses them again."
            )
        else:
            origin = (
                f"Branchbook recognised {recognised} of {len(table.headers)} columns from "
                f"their headers. Your choices are saved as “{prepared.source_name}” for the "
                "next list with these headers."
            )
        where = prepared.path.name
        if table.sheet != prepared.path.name:
            where += f", sheet '{table.sheet}'"
        self.origin.setText(f"{where}: header on row {table.header_row}. {origin}")
        self._show_mapping()

    def combo(self, column: int) -> QComboBox:
        widget = self.table.cellWidget(column, 2 + SAMPLES)
        assert isinstance(widget, QComboBox)
        return widget

    def choose(self, column: int, choice: str) -> None:
        """Set ``column`` to a field name, KEEP or LEAVE, as picking it in its box does."""
        combo = self.combo(column)
        combo.setCurrentIndex(combo.findData(choice))
        self._chosen(column)

    def _chosen(self, column: int) -> None:
        if self.mapping is None:
            return
        choice = self.combo(column).currentData()
        if choice in (KEEP, LEAVE):
            mapping = self.mapping.with_field(column, None).with_ignored(column, choice == LEAVE)
        else:
            mapping = self.mapping.with_field(column, str(choice))
        self.mapping = mapping
        self._show_mapping()

    def _show_mapping(self) -> None:
        mapping = self.mapping
        if mapping is None:
            return
        for column in range(len(mapping.fields)):
            field = mapping.fields[column]
            choice = field or (LEAVE if column in mapping.ignored else KEEP)
            if choice == self._shown_choices[column]:
                continue  # only the rows a choice changed are touched
            was_left_out = self._shown_choices[column] == LEAVE
            self._shown_choices[column] = choice
            combo = self.combo(column)
            combo.setCurrentIndex(combo.findData(choice))
            if was_left_out == (choice == LEAVE):
                continue
            # A column left out reads greyed, so the table shows at a glance what is used.
            for cell in range(2 + SAMPLES):
                item = self.table.item(column, cell)
                if item is not None:
                    # None clears the role: the theme's own text colour, light or dark.
                    grey = QBrush(Qt.GlobalColor.gray) if choice == LEAVE else None
                    item.setData(Qt.ItemDataRole.ForegroundRole, grey)
        passed_over = [line for line in mapping.describe().splitlines() if ": not used," in line]
        self.notes.setText("\n".join(passed_over))
        self.notes.setVisible(bool(passed_over))
        missing = bool(mapping.missing_required())
        self.missing.setText(
            "Choose the column that holds the last name, the full name, the email address "
            "or the membership number: without one of them, people cannot be told apart."
            if missing
            else ""
        )
        self.missing.setVisible(missing)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.mapping is not None and not self.mapping.missing_required()

    def validatePage(self) -> bool:
        prepared, mapping = self.state.prepared, self.mapping
        if prepared is None or mapping is None or mapping.missing_required():
            return False
        if mapping == prepared.mapping:
            return True

        def clean(_progress: Progress, _cancelled: Callable[[], bool]) -> PreparedImport:
            return prepared.with_mapping(mapping)

        ok, cleaned = self.run("Reading the columns as you chose them…", clean)
        if ok:
            self.state.prepared = self._shown_for = cleaned
        return ok


def _choices_model(parent: QWidget) -> QStandardItemModel:
    """What a column can be used as, one model shared by every column's box: built once,
    not 30 items times the number of columns."""
    model = QStandardItemModel(parent)
    choices = [("Keep as custom field", KEEP), ("Leave out", LEAVE), ("", None)]
    for field in FIELDS:
        label = FIELD_LABELS[field]
        choices.append((label[0].upper() + label[1:], field))
    for text, data in choices:
        item = QStandardItem(text)
        if data is None:
            # How QComboBox.insertSeparator marks its line.
            item.setData("separator", Qt.ItemDataRole.AccessibleDescriptionRole)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            item.setData(data, Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    return model


def _samples(rows: Sequence[Sequence[object]], column: int) -> list[str]:
    """The first few different values of a column, as the spreadsheet shows them. Only the
    top of the sheet is looked at: a nearly empty column of a 100,000-row list would
    otherwise be read to its end, for every column, while the page opens."""
    found: list[str] = []
    for row in rows[:SAMPLE_ROWS]:
        text = " ".join(cell_text(row[column]).split())
        if text and text not in found:
            found.append(text)
            if len(found) == SAMPLES:
                break
    return found
