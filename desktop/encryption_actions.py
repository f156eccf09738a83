"""File → Data protection → Encrypt this database… and Change passphrase…: the window's side
of ``branchbook encrypt`` and ``branchbook change-passphrase``, through the same
``db.encryption`` functions.

Encrypting rewrites the file, so the window lets go of it first: the tool windows close
(they hold the plain database) and its connections are closed, so nothing reads or writes
while the encrypted copy is made. The work runs as a job behind a progress dialog without
Cancel (SQLCipher's export is one statement); ``encrypt_database`` leaves the original as
it was if anything fails, and the window then goes on with it. On success the window
reopens the same file encrypted and shows the recovery key once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from db import keys
from db.database import Database, open_database
from db.encryption import EncryptOutcome, change_passphrase, encrypt_database
from db.errors import DatabaseError
from db.keys import Credentials
from desktop.encryption_dialogs import ChangePassphraseDialog, EncryptDialog
from desktop.errors import show_error
from desktop.jobs import Progress, run_job
from desktop.unlock_dialog import show_recovery_key, start_idle_lock

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

NOT_A_FILE = (
    "This database is on a server, which keeps its own data safe: only a database file on "
    "this computer can be encrypted from here."
)
ENCRYPTED_ALREADY = "This database is encrypted already."
NOT_ENCRYPTED = "This database is not encrypted, so it has no passphrase: encrypt it first."
NO_PASSPHRASE = (
    "This database's key is kept in this computer's credential store: there is no "
    "passphrase to change."
)
STATUS_MS = 15_000


def encryption_actions(window: MainWindow) -> dict[str, QAction]:
    encrypt = QAction("E&ncrypt this database…", window)
    encrypt.setObjectName("encryptAction")
    encrypt.triggered.connect(lambda: encrypt_open_database(window))
    passphrase = QAction("Change &passphrase…", window)
    passphrase.setObjectName("changePassphraseAction")
    passphrase.triggered.connect(lambda: change_open_passphrase(window))
    actions = {"encrypt": encrypt, "passphrase": passphrase}
    update_encryption_actions(window.database, actions)
    return actions


def passphrase_mode(path: Path) -> bool:
    """Opened by a passphrase: one wrapping the key in the key file, or SQLCipher's own
    (no key file at all), rather than a key kept in the credential store."""
    try:
        return keys.has_passphrase(path) or not keys.has_key_file(path)
    except DatabaseError:
        return False  # an unreadable key file: nothing the window can change


def update_encryption_actions(database: Database, actions: dict[str, QAction]) -> None:
    """Enable each action where it applies; where not, its tooltip says why."""
    path = database.path
    encrypt, change = actions["encrypt"], actions["passphrase"]
    if path is None:
        why_not_encrypt: str | None = NOT_A_FILE
        why_not_change: str | None = NOT_A_FILE
    elif database.encrypted:
        why_not_encrypt = ENCRYPTED_ALREADY
        why_not_change = None if passphrase_mode(path) else NO_PASSPHRASE
    else:
        why_not_encrypt, why_not_change = None, NOT_ENCRYPTED
    _explain(
        encrypt,
        why_not_encrypt,
        "Encrypt the database file in place, so a lost or stolen laptop gives nothing away.",
    )
    _explain(change, why_not_change, "Choose a new passphrase for this encrypted database.")


def _explain(action: QAction, why_not: str | None, what: str) -> None:
    action.setEnabled(why_not is None)
    action.setToolTip(why_not or what)
    action.setStatusTip(why_not or what)


def close_tool_windows(window: QWidget) -> None:
    """Close every window the main window opened: each holds the database being let go."""
    for child in window.findChildren(QWidget):
        if child.isWindow() and child.isVisible() and child.windowType() != Qt.WindowType.Popup:
            child.close()


def encrypt_open_database(window: MainWindow) -> bool:
    """Ask how to keep the key, encrypt the open file, reopen it encrypted; True if done."""
    database = window.database
    path = database.path
    if path is None or database.encrypted:
        return False
    dialog = EncryptDialog(path, window, keyring_available=keys.credential_store_available())
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    credentials = dialog.credentials()
    dialog.deleteLater()
    if not accepted:
        return False
    close_tool_windows(window)
    database.close()
    outcome = run_job(
        window, f"Encrypting {path.name}…", _encrypt_job(path, credentials), cancellable=False
    )
    if outcome.error is not None:
        show_error(window, outcome.error)
        window.refresh()  # the plain file, as it was: its connections open again
        return False
    encrypted: EncryptOutcome = outcome.result
    try:
        reopened = open_database(path, actor=database.actor, credentials=credentials)
    except DatabaseError as exc:
        show_error(window, exc)
        return False
    window.use_database(reopened)
    if encrypted.recovery_key is not None:
        show_recovery_key(window, encrypted.recovery_key)
    if encrypted.left_plain:
        QMessageBox.warning(
            window,
            "Branchbook",
            "These copies beside the database could not be encrypted; they hold the branch "
            "unencrypted, so delete them:\n\n" + "\n".join(str(p) for p in encrypted.left_plain),
        )
    _after_change(window, reopened)
    window.statusBar().showMessage(
        f"{path.name} is encrypted now ({encrypted.rows:,} rows checked).", STATUS_MS
    )
    return True


def _encrypt_job(path: Path, credentials: Credentials | None) -> Callable[..., EncryptOutcome]:
    def job(progress: Progress, _cancelled: Callable[[], bool]) -> EncryptOutcome:
        progress(0, 0, f"Writing an encrypted copy of {path.name} and checking every row…")
        return encrypt_database(path, credentials, use_keyring=credentials is None)

    return job


def change_open_passphrase(window: MainWindow) -> bool:
    """Ask for the passphrase now and a new one, and change it; True if changed."""
    database = window.database
    path = database.path
    if path is None or not database.encrypted:
        return False
    # With no key file the passphrase is SQLCipher's own key, so the file is rekeyed: the
    # window lets go of it for that, and reopens it under the new passphrase afterwards.
    rekeyed = not keys.has_key_file(path)

    def change(old: str, new: str) -> None:
        if rekeyed:
            database.close()
        change_passphrase(path, old, new)

    dialog = ChangePassphraseDialog(path, change, window)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    new = dialog.passphrase.text()
    dialog.deleteLater()
    if not accepted:
        return False
    if rekeyed:
        reopened = open_database(
            path, actor=database.actor, credentials=Credentials(passphrase=new)
        )
        window.use_database(reopened)
        _after_change(window, reopened)
    window.statusBar().showMessage(
        f"{path.name} has a new passphrase; the recovery key is unchanged.", STATUS_MS
    )
    return True


def _after_change(window: MainWindow, database: Database) -> None:
    path = database.path
    app = QApplication.instance()
    if path is not None and passphrase_mode(path) and isinstance(app, QApplication):
        start_idle_lock(app, path)
    update_encryption_actions(database, window.privacy_actions)
