"""File → Settings → This computer: how soon an idle Branchbook locks, kept in QSettings,
never below a minute nor above four hours, and taken up by the running lock at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from db.branch_settings import BranchSettings
from desktop.main_window import MainWindow
from desktop.settings_dialog import SettingsDialog
from desktop.unlock_dialog import (
    IDLE_LOCK_KEY,
    IDLE_LOCK_MINUTES,
    IdleLock,
    idle_lock_minutes,
    set_idle_lock_minutes,
    start_idle_lock,
)
from desktop.window_state import app_settings


@pytest.fixture
def running_lock(qapp: QApplication, tmp_path: Path) -> Iterator[IdleLock]:
    lock = start_idle_lock(qapp, tmp_path / "branch.sqlite3")
    yield lock
    qapp.removeEventFilter(lock)
    lock.timer.stop()
    lock.setParent(None)
    lock.deleteLater()


def test_ten_minutes_until_the_secretary_chooses(qtbot: QtBot) -> None:
    assert idle_lock_minutes() == IDLE_LOCK_MINUTES == 10
    dialog = SettingsDialog(BranchSettings())
    qtbot.addWidget(dialog)
    spin = dialog.idle_minutes
    assert (spin.value(), spin.minimum(), spin.maximum()) == (10, 1, 240)
    assert dialog.tabs.tabText(dialog.tabs.count() - 1) == "This &computer"


@pytest.mark.parametrize(
    ("stored", "read"), [("0", 1), ("-5", 1), ("9999", 240), ("never", 10), ("45", 45)]
)
def test_what_is_stored_is_read_within_range(stored: str, read: int) -> None:
    app_settings().setValue(IDLE_LOCK_KEY, stored)
    assert idle_lock_minutes() == read


def test_the_running_lock_takes_a_new_time_at_once(running_lock: IdleLock) -> None:
    assert running_lock.timer.interval() == 10 * 60_000
    set_idle_lock_minutes(3)
    assert running_lock.timer.interval() == 3 * 60_000 and running_lock.timer.isActive()
    set_idle_lock_minutes(0)  # "never" is not on offer: the least is a minute
    assert running_lock.timer.interval() == 60_000
    assert idle_lock_minutes() == 1


def test_saving_the_settings_dialog_keeps_it_on_this_computer(
    window: MainWindow, running_lock: IdleLock, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    def choose_25(dialog: SettingsDialog) -> int:
        dialog.idle_minutes.setValue(25)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(SettingsDialog, "exec", choose_25)
    window.settings_action.trigger()
    assert idle_lock_minutes() == 25
    assert app_settings().value(IDLE_LOCK_KEY) in (25, "25")
    assert running_lock.timer.interval() == 25 * 60_000
    # Asked again (the window reopened encrypted), the one lock running is kept.
    assert start_idle_lock(qapp, running_lock.path) is running_lock


def test_cancelling_the_dialog_keeps_the_old_time(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_idle_lock_minutes(30)

    def change_then_cancel(dialog: SettingsDialog) -> int:
        dialog.idle_minutes.setValue(5)
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(SettingsDialog, "exec", change_then_cancel)
    window.settings_action.trigger()
    assert idle_lock_minutes() == 30


def test_a_lock_started_later_begins_with_the_time_chosen(
    qapp: QApplication, tmp_path: Path
) -> None:
    set_idle_lock_minutes(7)
    lock = start_idle_lock(qapp, tmp_path / "another.sqlite3")
    try:
        assert lock.timer.interval() == 7 * 60_000
    finally:
        qapp.removeEventFilter(lock)
        lock.timer.stop()
        lock.setParent(None)
        lock.deleteLater()
