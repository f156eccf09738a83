"""The short form for someone who walks in: name, a way to reach them, postcode, consent."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.door import WalkIn


class WalkInDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Walk-in")
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.postcode = QLineEdit()
        self.keep_in_touch = QCheckBox("Happy for the branch to keep in touch")
        form = QFormLayout()
        form.addRow("First name:", self.first_name)
        form.addRow("Last name:", self.last_name)
        form.addRow("Email:", self.email)
        form.addRow("Phone:", self.phone)
        form.addRow("Postcode:", self.postcode)
        form.addRow("", self.keep_in_touch)
        note = QLabel("They are checked in and flagged for the secretary to follow up.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Check in")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def form(self) -> WalkIn:
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return WalkIn(
            self.first_name.text(),
            self.last_name.text(),
            email=text(self.email),
            phone=text(self.phone),
            postcode=text(self.postcode),
            keep_in_touch=self.keep_in_touch.isChecked(),
        )
