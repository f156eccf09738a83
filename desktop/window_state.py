"""Machine-local preferences over QSettings: window geometry and splitter positions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

W = TypeVar("W", bound=QWidget)


def app_settings() -> QSettings:
    return QSettings()


def restore_geometry(window: QWidget, key: str) -> bool:
    value = app_settings().value(f"{key}/geometry")
    if isinstance(value, QByteArray | bytes) and value:
        return bool(window.restoreGeometry(QByteArray(value)))
    return False


def save_geometry(window: QWidget, key: str) -> None:
    settings = app_settings()
    settings.setValue(f"{key}/geometry", window.saveGeometry())
    if isinstance(window, QMainWindow):
        settings.setValue(f"{key}/state", window.saveState())


def restore_splitter(splitter: QSplitter, key: str) -> None:
    value = app_settings().value(f"{key}/splitter")
    if isinstance(value, QByteArray | bytes) and value:
        splitter.restoreState(QByteArray(value))


def save_splitter(splitter: QSplitter, key: str) -> None:
    app_settings().setValue(f"{key}/splitter", splitter.saveState())


def show_owned(window: W, closed: Callable[[], None]) -> W:
    """Show a window its opener keeps one of: deleted when closed, ``closed`` told then, so
    the opener drops its reference instead of holding a deleted object."""
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(lambda: closed())  # destroyed passes the object; closed takes none
    window.show()
    return window


def raise_open(owner: QWidget, kind: type[W]) -> W | None:
    """The window of ``kind`` that ``owner`` already has open, brought to the front; None
    when there is none. The tools keep one window each: opening again shows the same one."""
    for existing in owner.findChildren(kind):
        if existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
    return None
