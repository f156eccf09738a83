"""File → Back up…, File → Restore a backup…, and the automatic backups on close and daily.

The work is ``db.backup``'s; this module asks (folder, passphrase, confirmation), runs it as
a job, and keeps the machine's choices: the backup folder and whether automatic backups
are on in QSettings, and their passphrase in the operating system's credential store
(``keyring``; Windows Credential Manager) — never in QSettings, which is a plain file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db.backup import (
    POSTGRESQL_REFUSED,
    BackupInfo,
    FolderBackup,
    OpenedBackup,
    RestoreInfo,
    backup_info,
    backup_to_folder,
    bring_up_to_date,
    due_for_daily,
    open_backup,
    restore_opened,
)
from db.backup_crypto import WrongPassphrase, check_new_passphrase
from db.database import Database
from db.errors import Cancelled, UserError
from desktop.errors import show_error
from desktop.file_dialogs import open_remembered
from desktop.jobs import Job, Progress, run_job
from desktop.window_state import app_settings

FOLDER_KEY = "backups/folder"
AUTOMATIC_KEY = "backups/automatic"
RESTORE_FOLDER_KEY = "backups/restoreFolder"
KEYRING_SERVICE = "Branchbook backups"
KEYRING_USER = "automatic backups"
# The timer asks hourly whether today's backup is made: a 24-hour timer on a laptop that
# sleeps would drift past whole days.
CHECK_INTERVAL_MS = 60 * 60 * 1000
NO_KEYRING = (
    "Automatic backups are on, but this computer's credential store cannot give Branchbook "
    "their passphrase, so none was made. Use File → Back up… to make one (and to remember "
    "the passphrase again)."
)

# A backup or restore is under way: the daily check must not start another inside its
# progress dialog's event loop.
_busy = False


@dataclass(frozen=True)
class BackupSettings:
    folder: Path | None
    automatic: bool


def load_backup_settings() -> BackupSettings:
    settings = app_settings()
    folder = settings.value(FOLDER_KEY)
    automatic = settings.value(AUTOMATIC_KEY, False)
    return BackupSettings(
        folder=Path(folder) if isinstance(folder, str) and folder else None,
        automatic=automatic in (True, "true", "1", 1),
    )


def save_backup_settings(choice: BackupSettings) -> None:
    settings = app_settings()
    settings.setValue(FOLDER_KEY, str(choice.folder) if choice.folder else "")
    settings.setValue(AUTOMATIC_KEY, choice.automatic)


# the credential store ------------------------------------------------------------------


def _keyring() -> ModuleType | None:
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def keyring_available() -> bool:
    module = _keyring()
    if module is None:
        return False
    try:
        backend = module.get_keyring()
    except Exception:  # noqa: BLE001 - each platform's backend raises its own kind
        return False
    # keyring's stand-in when the system has none: every call would fail.
    return getattr(backend, "priority", 1) > 0


def stored_passphrase() -> str | None:
    module = _keyring()
    if module is None:
        return None
    try:
        found = module.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:  # noqa: BLE001 - a locked or missing store: no automatic backup
        return None
    return found if isinstance(found, str) and found else None


def remember_passphrase(passphrase: str | None) -> bool:
    """Keep (or, with None, forget) the automatic backups' passphrase; False if the
    credential store refused."""
    module = _keyring()
    if module is None:
        return False
    try:
        if passphrase is None:
            if module.get_password(KEYRING_SERVICE, KEYRING_USER) is not None:
                module.delete_password(KEYRING_SERVICE, KEYRING_USER)
        else:
            module.set_password(KEYRING_SERVICE, KEYRING_USER, passphrase)
    except Exception:  # noqa: BLE001 - each platform's backend raises its own kind
        return False
    return True


# asking --------------------------------------------------------------------------------


class PassphraseDialog(QDialog):
    """A passphrase, typed twice for a new backup; once to open one."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        new: bool,
        prompt: str,
        can_remember: bool = False,
        remembering: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backup passphrase")
        self._new = new
        layout = QVBoxLayout(self)
        intro = QLabel(prompt)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Passphrase:", self.passphrase)
        self.again = QLineEdit()
        self.again.setObjectName("passphraseAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if new:
            form.addRow("&Again:", self.again)
        layout.addLayout(form)
        self.remember = QCheckBox(
            "&Remember it on this computer, and back up to this folder automatically "
            "on closing and once a day"
        )
        self.remember.setObjectName("rememberPassphrase")
        self.remember.setEnabled(can_remember)
        self.remember.setChecked(can_remember and remembering)
        if new:
            layout.addWidget(self.remember)
            if not can_remember:
                note = QLabel(
                    "This computer has no credential store Branchbook can use, so automatic "
                    "backups are not possible; back up from this menu instead."
                )
                note.setWordWrap(True)
                layout.addWidget(note)
        self.problem = QLabel()
        self.problem.setObjectName("passphraseProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        text = self.passphrase.text()
        try:
            if self._new:
                check_new_passphrase(text)
                if self.again.text() != text:
                    raise UserError("The two passphrases are not the same.")
            elif not text:
                raise UserError("Type the passphrase the backup was made with.")
        except UserError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()


def ask_new_passphrase(
    parent: QWidget, *, can_remember: bool, remembering: bool
) -> tuple[str, bool] | None:
    """The new backup's passphrase and whether to remember it; None when cancelled."""
    dialog = PassphraseDialog(
        parent,
        new=True,
        prompt="Choose a passphrase to lock the backup. Without it nobody can read the "
        "backup, and neither can you: keep it somewhere safe.",
        can_remember=can_remember,
        remembering=remembering,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.passphrase.text(), dialog.remember.isChecked()


def ask_passphrase(parent: QWidget, name: str) -> str | None:
    dialog = PassphraseDialog(parent, new=False, prompt=f"The passphrase {name} was made with:")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.passphrase.text()


def choose_backup_folder(parent: QWidget, start: Path | None) -> Path | None:
    begin = start if start is not None and start.is_dir() else Path.home()
    chosen = QFileDialog.getExistingDirectory(
        parent, "Back up to which folder? (a USB stick is best)", str(begin)
    )
    return Path(chosen) if chosen else None


def confirm_restore(parent: QWidget, info: BackupInfo, database_path: Path) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Restore a backup",
        f"Restore the backup made on {_when(info.created_at)}, holding {info.people:,} people?",
        parent=parent,
    )
    box.setInformativeText(
        "Everything in Branchbook now is replaced by what the backup holds. The database as "
        f"it is now is kept beside it in {database_path.parent}, named "
        f"{database_path.stem}.before-restore-…, so this can be undone."
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is restore


def _when(moment: dt.datetime) -> str:
    return f"{moment:%d %B %Y at %H:%M}".lstrip("0")


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


# backing up and restoring --------------------------------------------------------------


def back_up_now(parent: QWidget, database: Database) -> FolderBackup | None:
    """File → Back up…: a folder, a passphrase, then the backup as a job. A cancelled
    backup leaves no file; the folder's older backups are rotated as automatic ones are."""
    global _busy
    if database.path is None:
        show_error(parent, UserError(POSTGRESQL_REFUSED))
        return None
    current = load_backup_settings()
    folder = choose_backup_folder(parent, current.folder)
    if folder is None:
        return None
    answer = ask_new_passphrase(
        parent, can_remember=keyring_available(), remembering=current.automatic
    )
    if answer is None:
        return None
    passphrase, remember = answer

    def job(progress: Progress, cancelled: Callable[[], bool]) -> FolderBackup:
        return backup_to_folder(
            database, folder, passphrase=passphrase, progress=progress, cancelled=cancelled
        )

    _busy = True
    try:
        outcome = run_job(parent, "Backing up…", job)
    finally:
        _busy = False
    if isinstance(outcome.error, Cancelled):
        return None
    if outcome.error is not None:
        show_error(parent, outcome.error)
        return None
    done: FolderBackup = outcome.result
    automatic = remember and remember_passphrase(passphrase)
    if not remember:
        remember_passphrase(None)
    save_backup_settings(BackupSettings(folder=folder, automatic=automatic))
    info = done.backup
    QMessageBox.information(
        parent,
        "Branchbook",
        f"Backed up {info.people:,} people to {info.path} ({_size(info.size_bytes)}).\n\n"
        "Keep the passphrase safe: without it this backup cannot be restored.",
    )
    return done


def restore_from_backup(
    parent: QWidget, database: Database, reopen: Callable[[], None]
) -> RestoreInfo | None:
    """File → Restore a backup…: a file, its passphrase, a confirmation naming when it was
    made and how many people it holds; then the restore, and ``reopen`` for the window to
    show the restored data (the same ``database`` object now reads the restored file)."""
    global _busy
    target = database.path
    if target is None:
        show_error(
            parent,
            UserError(
                "Restore a shared PostgreSQL database with the server's own tools (pg_restore)."
            ),
        )
        return None
    source = open_remembered(
        parent, "Restore a backup", RESTORE_FOLDER_KEY, "Branchbook backups (*.bbk)"
    )
    if source is None:
        return None
    _busy = True
    try:
        opened = _open_checked(parent, source)
        if opened is None or not confirm_restore(parent, opened.info, target):
            return None

        def job(_progress: Progress, _cancelled: Callable[[], bool]) -> RestoreInfo:
            # Our own pooled connections would hold the old file open and make the restore
            # refuse; closed here, just before, so no timer of the window's reopens one.
            database.close()
            # An encrypted database is restored under its own key, which its URL carries.
            key = database.url.password if database.encrypted else None
            restored = restore_opened(opened, target, key=key)
            bring_up_to_date(database)
            return restored

        outcome = run_job(parent, "Restoring the backup…", job, cancellable=False)
    finally:
        _busy = False
    if outcome.error is not None:
        show_error(parent, outcome.error)
        return None
    restored: RestoreInfo = outcome.result
    reopen()
    kept = restored.set_aside
    aside = f" The database as it was is kept as {kept.name}." if kept is not None else ""
    QMessageBox.information(
        parent,
        "Branchbook",
        f"Restored {opened.info.people:,} people from the backup made on "
        f"{_when(opened.info.created_at)}.{aside}",
    )
    return restored


def _open_checked(parent: QWidget, source: Path) -> OpenedBackup | None:
    """The backup decrypted and checked; the passphrase is asked again when wrong."""
    try:
        encrypted = backup_info(source).encrypted
    except UserError as exc:
        show_error(parent, exc)
        return None
    while True:
        passphrase = ask_passphrase(parent, source.name) if encrypted else None
        if encrypted and passphrase is None:
            return None

        outcome = run_job(parent, "Checking the backup…", _checking(source, passphrase))
        if isinstance(outcome.error, Cancelled):
            return None
        if outcome.error is not None:
            show_error(parent, outcome.error)
            if isinstance(outcome.error, WrongPassphrase) and encrypted:
                continue
            return None
        opened: OpenedBackup = outcome.result
        return opened


def _checking(source: Path, passphrase: str | None) -> Job:
    def job(progress: Progress, cancelled: Callable[[], bool]) -> OpenedBackup:
        return open_backup(source, passphrase=passphrase, progress=progress, cancelled=cancelled)

    return job


# automatic backups ---------------------------------------------------------------------


class BackupSchedule(QObject):
    """Automatic backups: one a day (checked hourly) and one whenever the window closes,
    into the chosen folder with the remembered passphrase, when turned on."""

    backed_up = Signal(object)  # the FolderBackup

    def __init__(
        self, window: QWidget, database: Database, *, interval_ms: int = CHECK_INTERVAL_MS
    ) -> None:
        super().__init__(window)
        self.window = window
        self.database = database  # the lead may swap it after reopening another file
        self._told: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_daily)
        self.timer.start()

    def check_daily(self) -> FolderBackup | None:
        # Not inside another job's or dialog's event loop: that work comes first.
        if _busy or QApplication.activeModalWidget() is not None:
            return None
        return self._run(closing=False)

    def on_close(self) -> FolderBackup | None:
        """Called from the main window's closeEvent: the closing backup, if turned on."""
        self.timer.stop()
        if _busy:
            return None
        return self._run(closing=True)

    def _run(self, *, closing: bool) -> FolderBackup | None:
        global _busy
        choice = load_backup_settings()
        if not choice.automatic or choice.folder is None or self.database.path is None:
            return None
        folder = choice.folder
        passphrase = stored_passphrase()
        if passphrase is None:
            self._say_once(NO_KEYRING)
            return None
        if not closing and folder.is_dir() and not due_for_daily(folder, dt.datetime.now()):
            return None
        database = self.database

        def job(progress: Progress, cancelled: Callable[[], bool]) -> FolderBackup:
            return backup_to_folder(
                database, folder, passphrase=passphrase, progress=progress, cancelled=cancelled
            )

        _busy = True
        try:
            outcome = run_job(self.window, "Making the automatic backup…", job)
        finally:
            _busy = False
        if isinstance(outcome.error, Cancelled):
            return None
        if isinstance(outcome.error, UserError):
            # The USB stick is out: said on every closing, but once a session for the hourly check.
            message = f"The automatic backup was not made: {outcome.error}"
            if closing:
                QMessageBox.warning(self.window, "Branchbook", message)
            else:
                self._say_once(message)
            return None
        if outcome.error is not None:
            show_error(self.window, outcome.error)
            return None
        done: FolderBackup = outcome.result
        if isinstance(self.window, QMainWindow):
            self.window.statusBar().showMessage(
                f"Backed up automatically to {done.backup.path.name}.", 10000
            )
        self.backed_up.emit(done)
        return done

    def _say_once(self, message: str) -> None:
        if message in self._told:
            return
        self._told.add(message)
        QMessageBox.information(self.window, "Branchbook", message)
