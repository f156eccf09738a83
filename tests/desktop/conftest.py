"""Qt fixtures: a window on a real database, with QSettings kept out of the real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from db.database import Database
from desktop.main_window import MainWindow
from desktop.qt_compat import guard_singleton_refcounts


@pytest.fixture(autouse=True, scope="session")
def _singleton_refcounts_guarded(qapp: object) -> None:
    """What desktop.app does for the real QApplication, done for pytest-qt's: without it
    the suite's Qt calls and signals drain None's and True's reference counts and abort
    the run (measured: "bool_dealloc" at exit after the run_job tests)."""
    guard_singleton_refcounts()


@pytest.fixture(autouse=True)
def _qsettings_in_tmp(tmp_path: Path, qapp: object) -> Iterator[None]:
    QCoreApplication.setOrganizationName("BranchbookTests")
    QCoreApplication.setApplicationName("BranchbookTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield
    QSettings().clear()


@pytest.fixture
def window(demo_database: Database, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    main = MainWindow(demo_database)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main
