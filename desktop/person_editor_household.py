"""The person editor's two household dialogs: find a household to move into (by a
resident's name, a postcode, an email...), and type a new address to move out to."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.person_edit import ADDRESS_FIELDS
from db.person_record import household_choices
from desktop.person_editor_layout import ADDRESS_LABELS


class HouseholdSearchDialog(QDialog):
    """Type a name or postcode; choose the household to move into."""

    def __init__(
        self, database: Database, person_name: str, exclude: int | None, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Move to another household")
        self.database = database
        self.exclude = exclude
        self.search = QLineEdit()
        self.search.setObjectName("householdSearch")
        self.search.setPlaceholderText("Name, postcode or email of someone who lives there")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        self.results = QListWidget()
        self.results.setObjectName("householdResults")
        self.results.setAlternatingRowColors(True)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.results.currentItemChanged.connect(lambda *_args: self._enable())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"Move {person_name}")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Which household should {person_name} join?"))
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)
        self.resize(520, 420)
        self._enable()

    def _search(self, text: str) -> None:
        with self.database.session() as session:
            choices = household_choices(session, text, exclude=self.exclude)
        self.results.clear()
        for choice in choices:
            who = ", ".join(choice.residents) or "nobody yet"
            item = QListWidgetItem(f"{choice.address or '(no address)'}\n    {who}")
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.results.currentItem() is not None)

    def chosen(self) -> tuple[int, str] | None:
        """The chosen household's id and its first line, or None."""
        item = self.results.currentItem()
        if item is None:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole)), item.text().split("\n")[0]


class NewAddressDialog(QDialog):
    """The address a person moves out to, alone."""

    def __init__(self, person_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Move out to a new address")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in ADDRESS_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"new_address_{name}")
            self.fields[name] = edit
            form.addRow(ADDRESS_LABELS[name], edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"Move {person_name}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{person_name} will live alone at this address; the others stay where they are."
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 0)

    def address(self) -> dict[str, Any]:
        return {name: edit.text() for name, edit in self.fields.items() if edit.text().strip()}
