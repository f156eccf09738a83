"""Machine-local preferences over QSettings: window geometry and splitter positions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget


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
