"""File → Back up… and Restore a backup…, and the automatic backups' schedule, for the main
window: kept here so the main window stays a window, not a list of tools."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desktop.backup_dialogs import BackupSchedule, back_up_now, restore_from_backup

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def backup_actions(window: MainWindow) -> dict[str, QAction]:
    backup = QAction("&Back up…", window)
    backup.setObjectName("backupAction")
    backup.setIconText("Backup")
    backup.setStatusTip(
        "Seal the whole database, encrypted, into a folder you choose (a USB stick)."
    )
    backup.triggered.connect(lambda: back_up_now(window, window.database))
    restore = QAction("&Restore a backup…", window)
    restore.setObjectName("restoreAction")
    restore.setStatusTip(
        "Put back the branch as a backup holds it (what is here now is kept aside)."
    )
    restore.triggered.connect(
        lambda: restore_from_backup(window, window.database, lambda: after_restore(window))
    )
    return {"backup": backup, "restore": restore}


def start_schedule(window: MainWindow) -> BackupSchedule:
    """Daily and on-close backups, when the secretary turned them on."""
    return BackupSchedule(window, window.database)


def after_restore(window: MainWindow) -> None:
    """The data under every open tool window has changed: close them (they would show and
    save rows of the data before the restore), then read the people list again."""
    for child in window.findChildren(QWidget):
        if child.isWindow() and child.isVisible() and child.windowType() != Qt.WindowType.Popup:
            child.close()
    window.refresh()
