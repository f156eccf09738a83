"""Earlier imports, newest first, with Undo: the window's ``branchbook import --list/--undo``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import UserError
from db.importing.history import ImportSummary, list_imports
from db.importing.undo import UndoResult, undo_import

_COLUMNS = ("Import", "When", "File", "Status", "What it did")


class ImportHistoryDialog(QDialog):
    """Lists imports; Undo asks first, then undoes in one transaction or says why not."""

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        confirm: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.undone: list[UndoResult] = []
        # Tests answer the question themselves; people get a real message box.
        self._confirm = confirm or self._ask
        self.setWindowTitle("Imports")
        self.resize(820, 420)
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.undo_button = QPushButton("&Undo this import…", self)
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Undoing an import removes the people it added and puts back the details it "
            "changed. It refuses if someone has changed those details since."
        )
        # Unwrapped, the sentence set the dialog's minimum width (868 px, wider than asked).
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.batches: list[ImportSummary] = []
        self.reload()

    def reload(self) -> None:
        with self.database.session() as session:
            self.batches = list_imports(session)
        self.table.setRowCount(len(self.batches))
        for row, batch in enumerate(self.batches):
            values = (
                str(batch.id),
                f"{batch.started_local:%d/%m/%Y %H:%M}",
                batch.file_name,
                batch.status_label,
                batch.summary,
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        if not self.batches:
            self.message.setText("Nothing has been imported yet.")
        if self.batches:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> ImportSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.batches[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(batch is not None and batch.status == "committed")

    def undo_selected(self) -> None:
        batch = self.selected()
        if batch is None or batch.status != "committed":
            return
        question = (
            f"Undo import {batch.id} of {batch.file_name} ({batch.summary})? The people it "
            "added are removed and the details it changed are put back."
        )
        if not self._confirm(question):
            return
        try:
            with self.database.session() as session:
                result = undo_import(session, batch.id)
        except UserError as error:
            self.message.setText(str(error))
            return
        self.undone.append(result)
        self.message.setText(result.describe())
        kept = self.message.text()
        self.reload()
        self.message.setText(kept)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Undo import",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
