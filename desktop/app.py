"""Starting the window: the only place a QApplication is made."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import resources
from db.database import ENV_VAR, Database, open_database
from db.errors import UserError
from db.keys import Credentials, KeyNeeded, has_passphrase
from db.stale_files import remove_stale_files
from desktop.errors import install_excepthook
from desktop.main_window import MainWindow
from desktop.qt_compat import guard_singleton_refcounts
from desktop.unlock_dialog import (
    ask_to_unlock,
    passphrase_check,
    show_recovery_key,
    start_idle_lock,
)

# Set by bench/ to measure start-up: quit as soon as the window is shown and idle.
EXIT_WHEN_IDLE = "BRANCHBOOK_EXIT_WHEN_IDLE"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        guard_singleton_refcounts()  # whoever made it may not have; twice adds nothing
        return app
    QApplication.setOrganizationName("Branchbook")
    QApplication.setApplicationName("Branchbook")
    QApplication.setApplicationDisplayName("Branchbook")
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(QIcon(str(resources.path("icons", "branchbook.svg"))))
    # Before any window: Qt calls and signals cost None and True references (qt_compat).
    guard_singleton_refcounts()
    return app


def _report_idle_and_quit(app: QApplication) -> None:
    # The wall-clock moment the window was shown and the event loop went idle, for bench/.
    print(f"idle-at {time.time():.6f}", flush=True)
    app.quit()


def open_at_start(target: str | None) -> Database | None:
    """The database the window shows, asking for its passphrase if it needs one; None if
    the user cancelled. The first run's new default database is encrypted."""
    encrypt_new = target is None and not os.environ.get(ENV_VAR)
    try:
        return open_database(target, encrypt_new=encrypt_new)
    except KeyNeeded as exc:
        return ask_to_unlock(
            exc.path,
            lambda passphrase: open_database(
                target, credentials=Credentials(passphrase=passphrase), encrypt_new=encrypt_new
            ),
            creating=exc.creating,
        )


_passphrase_check = passphrase_check  # its name before it moved beside the idle lock


def run_window(target: str | None) -> int:
    app = make_application()
    try:
        database = open_at_start(target)
    except UserError as exc:
        QMessageBox.critical(None, "Branchbook", str(exc))
        return 1
    if database is None:
        return 0
    if database.path is not None:
        remove_stale_files(database.path)
    if database.recovery_key is not None:
        show_recovery_key(None, database.recovery_key)
    install_excepthook()
    window = MainWindow(database)
    window.show()
    if database.encrypted and database.path is not None and has_passphrase(database.path):
        start_idle_lock(app, database.path)
    if os.environ.get(EXIT_WHEN_IDLE):
        QTimer.singleShot(0, lambda: _report_idle_and_quit(app))
    try:
        return app.exec()
    finally:
        # The window may have reopened the file another way (encrypted) meanwhile.
        window.database.close()
        database.close()
