"""The meetings window's ledger: one line for each time someone took part, kept from the
keyboard and editable in place.

The table only shows lines and reports what the secretary asked for, as signals carrying
the contribution's id; the window makes the change through the database and hands back the
fresh line with ``show_line``.

- In the What column a list of the ways of taking part opens (double-click, or F2 there).
- In the Note column the note is typed in place; F2 or Enter on any column opens it.
- A letter key (S spoke, Q question, ...: ``CONTRIBUTION_KEYS``) changes the line's kind.
- Delete or Backspace asks to delete the line.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from db.meeting_ledger import LedgerLine
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS, CONTRIBUTION_KINDS

# One key for each way of taking part: with the Present list focused it records one, with
# the ledger focused it changes the selected line's.
CONTRIBUTION_KEYS: dict[Qt.Key, str] = {
    Qt.Key.Key_S: "spoke",
    Qt.Key.Key_Q: "question",
    Qt.Key.Key_P: "proposed",
    Qt.Key.Key_E: "seconded",
    Qt.Key.Key_C: "chaired",
    Qt.Key.Key_M: "minuted",
    Qt.Key.Key_V: "volunteered",
}
NAME, WHAT, ITEM, NOTE = range(4)
ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def plain_key(event: QKeyEvent) -> str | None:
    """The kind of contribution a key without Ctrl or Alt stands for, if any."""
    plain = event.modifiers() in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.ShiftModifier,
    )
    return CONTRIBUTION_KEYS.get(Qt.Key(event.key())) if plain else None


class KindDelegate(QStyledItemDelegate):
    """The What column's editor: a list of the ways of taking part; choosing one saves it."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("kindCombo")
        for kind in CONTRIBUTION_KINDS:
            combo.addItem(CONTRIBUTION_KIND_LABELS.get(kind, kind), kind)
        combo.activated.connect(lambda _row: self._chosen(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(KIND_ROLE)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), KIND_ROLE)

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)


class LedgerTable(QTableWidget):
    kind_chosen = Signal(int, str)  # contribution id, kind
    note_typed = Signal(int, str)  # contribution id, the note as typed
    delete_asked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("ledgerTable")
        self.setHorizontalHeaderLabels(["Name", "What", "Agenda item", "Note"])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # F2 and Enter are handled below: they open the note whichever column is current.
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self.kind_delegate = KindDelegate(self)
        self.setItemDelegateForColumn(WHAT, self.kind_delegate)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate([170, 150, 220]):
            header.resizeSection(column, width)
        self.itemChanged.connect(self._changed)

    def fill(self, lines: list[LedgerLine]) -> None:
        self.blockSignals(True)
        try:
            self.setRowCount(len(lines))
            for row, line in enumerate(lines):
                for column in range(self.columnCount()):
                    cell = QTableWidgetItem()
                    if column in (NAME, ITEM):
                        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.setItem(row, column, cell)
                self._show(row, line)
        finally:
            self.blockSignals(False)

    def show_line(self, line: LedgerLine) -> None:
        """Show ``line`` as the database now has it, in the row that holds it."""
        row = self.row_of(line.id)
        if row is not None:
            self.blockSignals(True)
            try:
                self._show(row, line)
            finally:
                self.blockSignals(False)

    def _show(self, row: int, line: LedgerLine) -> None:
        values = [line.name, line.kind_label, line.agenda_item or "", line.note or ""]
        for column, value in enumerate(values):
            cell = self._cell(row, column)
            cell.setText(value)
            cell.setToolTip(value)
            cell.setData(ID_ROLE, line.id)
        self._cell(row, WHAT).setData(KIND_ROLE, line.kind)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        cell = self.item(row, column)
        assert cell is not None, "fill() gives every row a cell in every column"
        return cell

    def describe(self, row: int) -> str:
        """The line in words, as a status message names it: "Ann Jones: Spoke"."""
        return f"{self._cell(row, NAME).text()}: {self._cell(row, WHAT).text()}"

    def line_at(self, row: int) -> int | None:
        cell = self.item(row, NAME) if row >= 0 else None
        return None if cell is None else int(cell.data(ID_ROLE))

    def row_of(self, contribution_id: int) -> int | None:
        return next(
            (row for row in range(self.rowCount()) if self.line_at(row) == contribution_id), None
        )

    def edit_note(self) -> None:
        row = self.currentRow()
        if row >= 0:
            self.setCurrentCell(row, NOTE)
            self.editItem(self._cell(row, NOTE))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.State.EditingState:
            # An editor's Enter comes on here after it asked (queued) for its text to be saved.
            super().keyPressEvent(event)
            return
        key = event.key()
        kind = plain_key(event)
        line = self.line_at(self.currentRow())
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_asked.emit()
        elif key in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentColumn() == WHAT and key == Qt.Key.Key_F2:
                self.editItem(self.currentItem())
            else:
                self.edit_note()
        elif kind is not None and line is not None:
            self.kind_chosen.emit(line, kind)
        else:
            super().keyPressEvent(event)

    def _changed(self, cell: QTableWidgetItem) -> None:
        line = cell.data(ID_ROLE)
        if line is None:
            return
        if cell.column() == NOTE:
            self.note_typed.emit(int(line), cell.text())
        elif cell.column() == WHAT:
            self.kind_chosen.emit(int(line), str(cell.data(KIND_ROLE)))
