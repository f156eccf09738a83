"""The branch settings dialog: name, secretary, address, imprint, stored in the database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.branch_settings import SETTING_LABELS, BranchSettings

_MULTILINE = {"address", "imprint"}


class SettingsDialog(QDialog):
    def __init__(self, settings: BranchSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Branch settings")
        self.setMinimumWidth(520)
        self._fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        for key in BranchSettings.field_names():
            value = getattr(settings, key)
            widget: QLineEdit | QPlainTextEdit
            if key in _MULTILINE:
                widget = QPlainTextEdit(value)
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(72)
            else:
                widget = QLineEdit(value)
            widget.setObjectName(key)
            self._fields[key] = widget
            form.addRow(SETTING_LABELS[key] + ":", widget)
        note = QLabel(
            "These travel with the database: letters and reports print them. The imprint is "
            "the “Promoted by … on behalf of … at …” line election material needs."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def field(self, key: str) -> QLineEdit | QPlainTextEdit:
        return self._fields[key]

    def settings(self) -> BranchSettings:
        values = {
            key: w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
            for key, w in self._fields.items()
        }
        return BranchSettings(**values)
