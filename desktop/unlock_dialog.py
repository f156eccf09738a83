"""Asking for an encrypted database's passphrase: at start-up, when choosing one for a new
database, and after the window has been left idle (the idle lock).

How long "idle" is, is a setting of this computer (QSettings), not of the database: it
depends on where the laptop is used — a locked study or a church hall — not on the data,
and a copy of the database opened on another laptop should not bring this one's habit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from desktop.window_state import app_settings

T = TypeVar("T")
IDLE_LOCK_MINUTES = 10  # until the secretary chooses otherwise in Settings
IDLE_LOCK_LEAST = 1  # never "never": a passphrase that guards nothing while away is no guard
IDLE_LOCK_MOST = 240
IDLE_LOCK_KEY = "privacy/idleLockMinutes"
# What counts as someone at the keyboard: the idle clock restarts on these.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class UnlockDialog(QDialog, Generic[T]):
    """A masked passphrase field; ``attempt`` opens with it or raises a ``UserError``,
    whose sentence is shown in the dialog while it asks again. Cancel rejects."""

    def __init__(
        self,
        path: Path,
        attempt: Callable[[str], T],
        *,
        creating: bool = False,
        locked: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._attempt = attempt
        self._creating = creating
        self.result_value: T | None = None
        self.setWindowTitle("Branchbook: choose a passphrase" if creating else "Branchbook")
        if creating:
            intro = (
                f"The new database {path} will be encrypted. Choose a passphrase: a few "
                "words only you know. A recovery key will be shown once after this."
            )
        elif locked:
            intro = f"Branchbook was locked while nobody used it. Type the passphrase for {path}."
        else:
            intro = f"{path} is encrypted. Type its passphrase (or its recovery key)."
        heading = QLabel(intro)
        heading.setWordWrap(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setObjectName("passphrase")
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setObjectName("confirm")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        self.message.hide()
        form = QFormLayout()
        form.addRow("Passphrase:", self.passphrase_edit)
        if creating:
            form.addRow("Again:", self.confirm_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Create" if creating else "Unlock"
        )
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _say(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        self.passphrase_edit.setFocus()

    def _try(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._say("Type the passphrase first.")
            return
        if self._creating and passphrase != self.confirm_edit.text():
            self._say("The two passphrases are not the same; type them again.")
            return
        # Unwrapping the key (scrypt) and opening take a moment.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_value = self._attempt(passphrase)
        except UserError as exc:
            self._say(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


def ask_to_unlock(
    path: Path,
    attempt: Callable[[str], T],
    *,
    creating: bool = False,
    locked: bool = False,
    parent: QWidget | None = None,
) -> T | None:
    """What ``attempt`` returned with the right passphrase, or None if the user cancelled."""
    dialog: UnlockDialog[T] = UnlockDialog(
        path, attempt, creating=creating, locked=locked, parent=parent
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_value


def show_recovery_key(parent: QWidget | None, recovery_key: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Branchbook: recovery key",
        "Your database is encrypted. Write this recovery key down and keep it apart from "
        "the laptop. It is shown only this once; with it the database opens even if the "
        "passphrase is forgotten or this computer is replaced.",
        parent=parent,
    )
    box.setInformativeText(recovery_key)
    # Selectable, so it can be copied into a password manager as well as onto paper.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def idle_lock_minutes() -> int:
    """The idle minutes chosen on this computer, within the allowed range."""
    value = app_settings().value(IDLE_LOCK_KEY, IDLE_LOCK_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return IDLE_LOCK_MINUTES
    return max(IDLE_LOCK_LEAST, min(IDLE_LOCK_MOST, minutes))


def set_idle_lock_minutes(minutes: int) -> None:
    """Keep ``minutes`` (brought into range) and give it to the running lock at once."""
    minutes = max(IDLE_LOCK_LEAST, min(IDLE_LOCK_MOST, minutes))
    app_settings().setValue(IDLE_LOCK_KEY, minutes)
    app = QApplication.instance()
    if app is not None:
        for lock in app.findChildren(IdleLock):
            lock.set_minutes(minutes)


def passphrase_check(path: Path) -> Callable[[str], None]:
    """Raises ``WrongKey`` (a UserError) unless the passphrase opens ``path``."""

    def check(passphrase: str) -> None:
        from db.encryption import unlock
        from db.keys import Credentials

        unlock(path, Credentials(passphrase=passphrase))

    return check


def start_idle_lock(app: QApplication, path: Path) -> IdleLock:
    """The idle lock for the passphrase of ``path``: the one running, or a new one."""
    for lock in app.findChildren(IdleLock):
        if lock.path == path:
            return lock
    return IdleLock(app, path, passphrase_check(path), idle_lock_minutes())


class IdleLock(QObject):
    """After ``minutes`` with no key or mouse, every window is hidden behind the unlock
    dialog until the passphrase is typed again; Cancel there quits.

    Only the windows are locked: the open database keeps its key in memory meanwhile, so a
    thief with the running laptop and a debugger is not stopped, a passer-by is.
    """

    def __init__(
        self, app: QApplication, path: Path, check: Callable[[str], object], minutes: float
    ) -> None:
        super().__init__(app)
        self._app = app
        self.path = path
        self._check = check
        self._locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.lock)
        app.installEventFilter(self)
        self.timer.start()

    def set_minutes(self, minutes: float) -> None:
        """A new idle time, counted afresh from now."""
        self.timer.setInterval(int(minutes * 60_000))
        if not self._locked:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._locked and event.type() in _ACTIVITY:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self._locked:
            return
        if self._app.activeModalWidget() is not None:
            # Hiding a dialog would end it as if cancelled, losing what was typed in it;
            # the lock waits for it to close instead.
            self.timer.start()
            return
        self._locked = True
        # Hidden windows and the dialog's own closing must not read as "the last window
        # closed, quit".
        quit_on_close = self._app.quitOnLastWindowClosed()
        self._app.setQuitOnLastWindowClosed(False)
        hidden = [
            w for w in self._app.topLevelWidgets() if w.isVisible() and not isinstance(w, QDialog)
        ]
        for widget in hidden:
            widget.hide()
        dialog: UnlockDialog[object] = UnlockDialog(self.path, self._check, locked=True)
        try:
            unlocked = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self._locked = False
            self._app.setQuitOnLastWindowClosed(quit_on_close)
            dialog.deleteLater()
        if not unlocked:
            self._app.quit()
            return
        for widget in hidden:
            widget.show()
        self.timer.start()
