"""Starting the window: the only place a QApplication is made."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import resources
from db.database import open_database
from db.errors import UserError
from desktop.errors import install_excepthook
from desktop.main_window import MainWindow
from desktop.qt_compat import guard_singleton_refcounts

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


def run_window(target: str | None) -> int:
    app = make_application()
    try:
        database = open_database(target)
    except UserError as exc:
        QMessageBox.critical(None, "Branchbook", str(exc))
        return 1
    install_excepthook()
    window = MainWindow(database)
    window.show()
    if os.environ.get(EXIT_WHEN_IDLE):
        QTimer.singleShot(0, lambda: _report_idle_and_quit(app))
    try:
        return app.exec()
    finally:
        database.close()
