"""The questions behind Encrypt this database… and Change passphrase…: how to keep the key,
and the passphrases, typed twice when new. The work itself is ``desktop.encryption_actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.backup_crypto import MIN_PASSPHRASE_CHARS
from db.errors import UserError
from db.keys import Credentials


def _secret(object_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _wrapped(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def check_new(passphrase: str, again: str) -> None:
    """A new passphrase long enough, typed the same twice; else a UserError saying which."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise UserError(
            f"A passphrase needs at least {MIN_PASSPHRASE_CHARS} characters; a short "
            "sentence is easy to remember and hard to guess."
        )
    if passphrase != again:
        raise UserError("The two passphrases are not the same; type them again.")


class _AskingDialog(QDialog):
    """A dialog whose OK checks first and says what is wrong in red, asking again."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.problem = _wrapped("", "problem")
        self.problem.setStyleSheet("color: #a40000;")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def say(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()
        # Grown to fit: left alone, the shown sentence squeezes the wrapped text above it.
        self.adjustSize()


class EncryptDialog(_AskingDialog):
    """How the encrypted database will be opened: a passphrase (the default) or the key kept
    in this computer's credential store."""

    def __init__(
        self, path: Path, parent: QWidget | None = None, *, keyring_available: bool = False
    ) -> None:
        super().__init__(parent, "Encrypt this database", "&Encrypt")
        intro = _wrapped(
            f"Branchbook will encrypt {path}. It writes an encrypted copy beside it, checks "
            "that every row is there, and only then puts the copy in its place: if anything "
            "goes wrong, the database stays exactly as it is. Other Branchbook windows close "
            "while it works. A recovery key is shown once at the end: write it down."
        )
        self.passphrase_choice = QRadioButton("Lock it with a &passphrase")
        self.passphrase_choice.setObjectName("usePassphrase")
        self.passphrase_choice.setChecked(True)
        passphrase_note = _wrapped(
            "Asked for when Branchbook starts and after the laptop is left idle. A thief "
            "with the laptop cannot read the data."
        )
        self.keyring_choice = QRadioButton("Keep the key in this computer's &credential store")
        self.keyring_choice.setObjectName("useKeyring")
        self.keyring_choice.setEnabled(keyring_available)
        keyring_note = _wrapped(
            "Opens without typing anything when you are logged in to this computer; the "
            "file copied elsewhere cannot be read."
            if keyring_available
            else "This computer has no credential store Branchbook can use."
        )
        for note in (passphrase_note, keyring_note):
            note.setContentsMargins(22, 0, 0, 6)
            note.setStyleSheet("color: #555;")
        self.passphrase = _secret("passphrase")
        self.again = _secret("again")
        form = QFormLayout()
        form.addRow("Pass&phrase:", self.passphrase)
        form.addRow("&Again:", self.again)
        self.passphrase_choice.toggled.connect(self.passphrase.setEnabled)
        self.passphrase_choice.toggled.connect(self.again.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase_choice)
        layout.addWidget(passphrase_note)
        layout.addLayout(form)
        layout.addWidget(self.keyring_choice)
        layout.addWidget(keyring_note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def credentials(self) -> Credentials | None:
        """The passphrase chosen, or None for the credential store."""
        if self.keyring_choice.isChecked():
            return None
        return Credentials(passphrase=self.passphrase.text())

    def accept(self) -> None:
        if self.passphrase_choice.isChecked():
            try:
                check_new(self.passphrase.text(), self.again.text())
            except UserError as exc:
                self.say(str(exc))
                self.again.clear()
                self.passphrase.setFocus()
                return
        super().accept()


class ChangePassphraseDialog(_AskingDialog):
    """The passphrase now (or the recovery key) and the new one twice; ``change(old, new)``
    does it or raises a UserError (a wrong passphrase), shown here while it asks again."""

    def __init__(
        self, path: Path, change: Callable[[str, str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, "Change the passphrase", "&Change")
        self._change = change
        intro = _wrapped(
            f"A new passphrase for {path}. The recovery key written down when it was "
            "encrypted stays the same, and the old passphrase no longer opens it."
        )
        self.old = _secret("oldPassphrase")
        self.passphrase = _secret("passphrase")
        self.again = _secret("again")
        form = QFormLayout()
        form.addRow("&Passphrase now:", self.old)
        form.addRow("&New passphrase:", self.passphrase)
        form.addRow("&Again:", self.again)
        hint = _wrapped("Forgotten the passphrase? Type the recovery key in its place.")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if not self.old.text():
            self.say("Type the passphrase the database has now (or its recovery key).")
            self.old.setFocus()
            return
        try:
            check_new(self.passphrase.text(), self.again.text())
        except UserError as exc:
            self.say(str(exc))
            self.again.clear()
            self.passphrase.setFocus()
            return
        # Unwrapping and wrapping the key (scrypt, twice) take a moment.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._change(self.old.text(), self.passphrase.text())
        except UserError as exc:
            self.say(str(exc))
            self.old.clear()
            self.old.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()
