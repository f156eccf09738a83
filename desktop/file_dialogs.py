"""Choosing a file to read, starting in the folder the last one of its kind came from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.window_state import app_settings


def open_remembered(
    parent: QWidget, caption: str, folder_key: str, file_filter: str
) -> Path | None:
    """The file chosen in the system's open dialog, or None when cancelled; its folder is
    remembered under ``folder_key`` for next time (each kind of file keeps its own)."""
    settings = app_settings()
    folder = settings.value(folder_key)
    start = folder if isinstance(folder, str) and Path(folder).is_dir() else str(Path.home())
    chosen, _filter = QFileDialog.getOpenFileName(parent, caption, start, file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    settings.setValue(folder_key, str(path.parent))
    return path


def save_remembered(
    parent: QWidget, caption: str, folder_key: str, name: str, suffix: str, file_filter: str
) -> Path | None:
    """Where to save: the system's save dialog, starting in the folder the last file of its
    kind went to with ``name`` suggested; ``suffix`` (".pdf") is added when the name has
    none. None when cancelled."""
    settings = app_settings()
    folder = settings.value(folder_key)
    start = Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else Path.home()
    safe = "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "Branchbook"
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, str(start / safe), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    settings.setValue(folder_key, str(path.parent))
    return path
