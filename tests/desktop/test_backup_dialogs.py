"""File → Back up… and Restore a backup…, and the automatic backups: the file and passphrase
dialogs are answered by the test, the work runs through the real job runner."""

from __future__ import annotations

import datetime as dt
import gc
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import desktop.backup_dialogs as dialogs
from db.backup import backup_name, make_backup, own_backups
from db.backup_crypto import WRONG_PASSPHRASE
from db.database import Database
from db.models import Person
from desktop.backup_dialogs import (
    NO_KEYRING,
    BackupSchedule,
    BackupSettings,
    PassphraseDialog,
    back_up_now,
    load_backup_settings,
    restore_from_backup,
    save_backup_settings,
)
from desktop.jobs import Job, JobOutcome
from tests.helpers.checks import dump_tables

PASSPHRASE = "minutes of the last meeting"


class FakeKeyring:
    """The credential store, kept in a dict."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_keyring(self) -> Any:
        return type("Backend", (), {"priority": 5})()

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.store[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        del self.store[(service, user)]


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> FakeKeyring:
    fake = FakeKeyring()
    monkeypatch.setattr(dialogs, "_keyring", lambda: fake)
    return fake


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []

    def record(_parent: object, _title: str, text: str, *_rest: object) -> None:
        messages.append(text)

    monkeypatch.setattr(QMessageBox, "information", record)
    monkeypatch.setattr(QMessageBox, "warning", record)
    return messages


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def _answer(monkeypatch: pytest.MonkeyPatch, folder: Path, remember: bool) -> None:
    monkeypatch.setattr(dialogs, "choose_backup_folder", lambda _parent, _start: folder)
    monkeypatch.setattr(
        dialogs, "ask_new_passphrase", lambda _parent, **_kw: (PASSPHRASE, remember)
    )


def test_back_up_now_writes_a_sealed_backup_and_remembers_the_choice(
    parent: QWidget,
    demo_database: Database,
    stick: Path,
    keyring: FakeKeyring,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _answer(monkeypatch, stick, remember=True)
    done = back_up_now(parent, demo_database)
    assert done is not None and done.backup.people == 400
    assert [path for _when, path in own_backups(stick)] == [done.backup.path]
    assert b"SQLite format 3" not in done.backup.path.read_bytes()
    assert load_backup_settings() == BackupSettings(folder=stick, automatic=True)
    assert keyring.store == {(dialogs.KEYRING_SERVICE, dialogs.KEYRING_USER): PASSPHRASE}
    assert told[-1].startswith(f"Backed up 400 people to {done.backup.path}")


def test_not_remembering_turns_automatic_backups_off_and_forgets_the_passphrase(
    parent: QWidget,
    demo_database: Database,
    stick: Path,
    keyring: FakeKeyring,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyring.set_password(dialogs.KEYRING_SERVICE, dialogs.KEYRING_USER, "an older passphrase")
    save_backup_settings(BackupSettings(folder=stick, automatic=True))
    _answer(monkeypatch, stick, remember=False)
    assert back_up_now(parent, demo_database) is not None
    assert load_backup_settings() == BackupSettings(folder=stick, automatic=False)
    assert keyring.store == {}


def _cancelling_runner(
    _parent: QWidget | None, _title: str, job: Job, *, cancellable: bool = True
) -> JobOutcome:
    """The synchronous job runner, with Cancel pressed at the first chance."""
    outcome = JobOutcome()
    try:
        outcome.result = job(lambda *_args: None, lambda: True)
    except BaseException as exc:  # noqa: BLE001 - what run_job hands back
        outcome.error = exc
    return outcome


def test_a_cancelled_backup_leaves_no_file(
    parent: QWidget,
    demo_database: Database,
    stick: Path,
    keyring: FakeKeyring,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _answer(monkeypatch, stick, remember=True)
    monkeypatch.setattr(dialogs, "run_job", _cancelling_runner)
    assert back_up_now(parent, demo_database) is None
    assert list(stick.iterdir()) == []
    assert told == []
    assert load_backup_settings().automatic is False


def test_the_passphrase_dialog_wants_it_twice_and_long_enough(
    parent: QWidget, qtbot: QtBot
) -> None:
    dialog = PassphraseDialog(parent, new=True, prompt="Choose", can_remember=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.remember.isEnabled()
    qtbot.keyClicks(dialog.passphrase, "short")
    qtbot.keyClicks(dialog.again, "short")
    dialog.accept()
    assert dialog.isVisible() and "at least 8 characters" in dialog.problem.text()
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.keyClicks(dialog.again, "x")
    dialog.again.setText(PASSPHRASE + "x")
    dialog.accept()
    assert dialog.isVisible() and dialog.problem.text() == "The two passphrases are not the same."
    dialog.again.setText(PASSPHRASE)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted


def _restore_answers(
    monkeypatch: pytest.MonkeyPatch, source: Path, passphrases: list[str], confirm: bool
) -> list[str]:
    asked: list[str] = []

    def ask(_parent: QWidget, name: str) -> str | None:
        asked.append(name)
        return passphrases.pop(0) if passphrases else None

    monkeypatch.setattr(dialogs, "open_remembered", lambda *_args: source)
    monkeypatch.setattr(dialogs, "ask_passphrase", ask)
    monkeypatch.setattr(dialogs, "confirm_restore", lambda _parent, _info, _path: confirm)
    return asked


def _spoil(database: Database) -> None:
    assert database.path is not None
    with sqlite3.connect(database.path) as connection:
        connection.execute("DELETE FROM attendance")
        connection.execute("UPDATE person SET last_name = 'Spoilt'")
    connection.close()
    gc.collect()  # dump_tables leaves its connection to the collector


def test_restore_from_backup_puts_every_row_back_and_reopens(
    parent: QWidget,
    demo_database: Database,
    tmp_path: Path,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump_tables(demo_database)
    source = tmp_path / "branch.bbk"
    make_backup(demo_database, source, passphrase=PASSPHRASE)
    _spoil(demo_database)
    assert dump_tables(demo_database) != before
    gc.collect()
    asked = _restore_answers(monkeypatch, source, ["wrong passphrase", PASSPHRASE], True)
    reopened: list[bool] = []

    restored = restore_from_backup(parent, demo_database, lambda: reopened.append(True))

    assert restored is not None and reopened == [True]
    assert asked == ["branch.bbk", "branch.bbk"]
    assert told[0] == WRONG_PASSPHRASE
    assert told[-1].startswith("Restored 400 people from the backup made on ")
    assert dump_tables(demo_database) == before
    with demo_database.session() as session:  # the same object reads the restored file
        assert session.scalar(select(func.count()).select_from(Person)) == 400
    assert restored.set_aside is not None and restored.set_aside.exists()


def test_a_restore_declined_changes_nothing(
    parent: QWidget,
    demo_database: Database,
    tmp_path: Path,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "branch.bbk"
    make_backup(demo_database, source, passphrase=PASSPHRASE)
    _spoil(demo_database)
    spoilt = dump_tables(demo_database)
    _restore_answers(monkeypatch, source, [PASSPHRASE], False)
    reopened: list[bool] = []
    assert restore_from_backup(parent, demo_database, lambda: reopened.append(True)) is None
    assert reopened == [] and told == []
    assert dump_tables(demo_database) == spoilt


def _schedule(parent: QWidget, database: Database) -> BackupSchedule:
    schedule = BackupSchedule(parent, database, interval_ms=3_600_000)
    assert schedule.timer.isActive()
    return schedule


def test_automatic_backups_daily_and_on_close(
    parent: QWidget,
    demo_database: Database,
    stick: Path,
    keyring: FakeKeyring,
    told: list[str],
    qtbot: QtBot,
) -> None:
    save_backup_settings(BackupSettings(folder=stick, automatic=True))
    keyring.set_password(dialogs.KEYRING_SERVICE, dialogs.KEYRING_USER, PASSPHRASE)
    stranger = stick / "accounts.xlsx"
    stranger.write_bytes(b"the treasurer's")
    schedule = _schedule(parent, demo_database)
    with qtbot.waitSignal(schedule.backed_up) as signal:
        first = schedule.check_daily()
    assert first is not None and signal.args == [first]
    assert schedule.check_daily() is None  # today's is made
    closing = schedule.on_close()
    assert closing is not None and not schedule.timer.isActive()
    assert len(own_backups(stick)) in (1, 2)  # the same second replaces the first
    assert stranger.exists() and told == []


def test_automatic_backups_are_off_until_turned_on(
    parent: QWidget, demo_database: Database, stick: Path, keyring: FakeKeyring, told: list[str]
) -> None:
    save_backup_settings(BackupSettings(folder=stick, automatic=False))
    keyring.set_password(dialogs.KEYRING_SERVICE, dialogs.KEYRING_USER, PASSPHRASE)
    schedule = _schedule(parent, demo_database)
    assert schedule.check_daily() is None and schedule.on_close() is None
    assert list(stick.iterdir()) == [] and told == []


def test_without_a_credential_store_the_window_says_so_once(
    parent: QWidget,
    demo_database: Database,
    stick: Path,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dialogs, "_keyring", lambda: None)
    save_backup_settings(BackupSettings(folder=stick, automatic=True))
    schedule = _schedule(parent, demo_database)
    assert schedule.check_daily() is None
    assert schedule.check_daily() is None
    assert schedule.on_close() is None
    assert told == [NO_KEYRING]
    assert list(stick.iterdir()) == []
    assert not dialogs.keyring_available()


def test_a_missing_usb_stick_is_said_on_close(
    parent: QWidget,
    demo_database: Database,
    tmp_path: Path,
    keyring: FakeKeyring,
    told: list[str],
) -> None:
    save_backup_settings(BackupSettings(folder=tmp_path / "E", automatic=True))
    keyring.set_password(dialogs.KEYRING_SERVICE, dialogs.KEYRING_USER, PASSPHRASE)
    schedule = _schedule(parent, demo_database)
    assert schedule.on_close() is None
    assert len(told) == 1 and "plug the stick in" in told[0]


def test_backup_names_sort_by_time() -> None:
    # The folder listing a secretary sees is in date order too.
    names = [backup_name(dt.datetime(2026, month, 1, 9)) for month in (1, 11, 2)]
    assert sorted(names) == [names[0], names[2], names[1]]


def test_restore_under_the_open_main_window(
    window: Any,
    tmp_path: Path,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    database: Database = window.database
    before = dump_tables(database)
    source = tmp_path / "branch.bbk"
    make_backup(database, source, passphrase=PASSPHRASE)
    window.model.fetchMore()  # the window has read pages and holds pooled connections
    _spoil(database)
    _restore_answers(monkeypatch, source, [PASSPHRASE], True)
    assert restore_from_backup(window, database, window.refresh) is not None
    assert dump_tables(database) == before
    assert window.model.rowCount() > 0


def test_the_file_menu_and_toolbar_offer_backup_and_restore(
    database: Database, qtbot: QtBot
) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QToolBar

    from desktop.main_window import MainWindow

    main = MainWindow(database)
    qtbot.addWidget(main)
    for name in ("backupAction", "restoreAction"):
        action = main.findChild(QAction, name)
        assert action is not None and action.isEnabled()
        assert action in main.menuBar().actions()[0].menu().actions()
    toolbar = main.findChild(QToolBar, "mainToolbar")
    assert main.backup_actions["backup"] in toolbar.actions()
    assert main.coming_actions == {}
    assert main.backup_schedule.database is database
