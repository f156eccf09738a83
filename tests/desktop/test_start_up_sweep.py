"""Starting the window sweeps the temporary files an interrupted operation left beside the
database (``db.stale_files``): what a crash left is gone once the window is up."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.database import open_database
from db.stale_files import STALE_AFTER
from desktop import app as app_module
from desktop.main_window import MainWindow


def test_the_window_starts_without_the_leftovers_of_a_crash(
    tmp_path: Path, qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "branch.sqlite3"
    open_database(path).close()
    half_written = tmp_path / ".Members 2026-05-01.0a1b2c3d.tmp"
    half_written.write_bytes(b"PK plain rows of people")
    restore_image = tmp_path / ".branchbook-partial-k3j9x2qa.part"
    restore_image.write_bytes(b"SQLite format 3\x00")
    kept = tmp_path / "minutes.docx"
    kept.write_bytes(b"not ours")
    old = (dt.datetime.now() - STALE_AFTER - dt.timedelta(hours=1)).timestamp()
    for file in (half_written, restore_image, kept):
        os.utime(file, (old, old))
    # Everything up to the event loop, but not the loop itself: once a QApplication's exec
    # has returned, Qt ends every later dialog's loop at once (the rest of the run with it).
    monkeypatch.setattr(qapp, "exec", lambda: 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_window installs its own

    try:
        assert app_module.run_window(str(path)) == 0
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()

    assert not half_written.exists() and not restore_image.exists()
    assert kept.exists()
