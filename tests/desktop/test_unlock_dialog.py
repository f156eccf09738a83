"""The passphrase dialog at start-up, for a new encrypted database, and the idle lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot

from db import keys
from db.database import Database, open_database
from db.encryption import is_encrypted
from db.keys import Credentials
from desktop import app as app_module
from desktop.unlock_dialog import IdleLock, UnlockDialog

PASSPHRASE = "the branch meets on thursdays"


@pytest.fixture(autouse=True)
def _no_credential_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def encrypted_file(tmp_path: Path) -> Path:
    path = tmp_path / "branch.sqlite3"
    open_database(path, credentials=Credentials(passphrase=PASSPHRASE)).close()
    return path


def when_dialog(action: Callable[[UnlockDialog[object]], None]) -> None:
    """Run ``action`` on the unlock dialog as soon as it is up (it runs its own loop)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, UnlockDialog):
            action(widget)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def type_and_press(
    dialog: UnlockDialog[object], passphrase: str, confirm: str | None = None
) -> None:
    dialog.passphrase_edit.setText(passphrase)
    if confirm is not None:
        dialog.confirm_edit.setText(confirm)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_wrong_passphrase_is_said_in_the_dialog_which_asks_again(
    encrypted_file: Path, qtbot: QtBot
) -> None:
    seen: list[str] = []

    def second_try(dialog: UnlockDialog[object]) -> None:
        seen.append(dialog.message.text())
        assert dialog.passphrase_edit.text() == ""  # cleared for the next try
        type_and_press(dialog, PASSPHRASE)

    def first_try(dialog: UnlockDialog[object]) -> None:
        assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Password
        type_and_press(dialog, "not the passphrase")
        QTimer.singleShot(0, lambda: second_try(dialog))

    when_dialog(first_try)
    database = app_module.open_at_start(str(encrypted_file))
    assert isinstance(database, Database)
    try:
        assert database.encrypted
    finally:
        database.close()
    assert seen == [f"The passphrase for {encrypted_file} is not right."]


def test_cancel_quits_cleanly(encrypted_file: Path, qtbot: QtBot) -> None:
    when_dialog(lambda dialog: dialog.reject())
    assert app_module.open_at_start(str(encrypted_file)) is None


def test_run_window_returns_0_when_the_passphrase_is_cancelled(
    encrypted_file: Path, qtbot: QtBot
) -> None:
    when_dialog(lambda dialog: dialog.reject())
    assert app_module.run_window(str(encrypted_file)) == 0


def test_the_first_run_database_is_encrypted_with_a_chosen_passphrase(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from db.database import default_path

    messages: list[str] = []

    def confirm(dialog: UnlockDialog[object]) -> None:
        messages.append(dialog.message.text())
        type_and_press(dialog, PASSPHRASE, PASSPHRASE)

    def mismatch(dialog: UnlockDialog[object]) -> None:
        assert dialog.confirm_edit.isVisible()
        type_and_press(dialog, PASSPHRASE, "something else")
        QTimer.singleShot(0, lambda: confirm(dialog))

    when_dialog(mismatch)
    database = app_module.open_at_start(None)
    assert isinstance(database, Database)
    try:
        assert database.recovery_key is not None
    finally:
        database.close()
    assert messages == ["The two passphrases are not the same; type them again."]
    assert is_encrypted(default_path())
    open_database(None, credentials=Credentials(passphrase=PASSPHRASE)).close()


def test_the_idle_lock_hides_the_window_until_the_passphrase_is_typed(
    encrypted_file: Path, qtbot: QtBot, qapp: QApplication
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    checked: list[str] = []

    def check(passphrase: str) -> None:
        checked.append(passphrase)
        app_module._passphrase_check(encrypted_file)(passphrase)

    lock = IdleLock(qapp, encrypted_file, check, minutes=60)
    hidden_while_locked: list[bool] = []

    def answer(dialog: UnlockDialog[object]) -> None:
        hidden_while_locked.append(not window.isVisible())
        type_and_press(dialog, "wrong")
        QTimer.singleShot(0, lambda: type_and_press(dialog, PASSPHRASE))

    try:
        when_dialog(answer)
        lock.lock()
        assert hidden_while_locked == [True]
        assert window.isVisible()
        assert checked == ["wrong", PASSPHRASE]
        assert lock.timer.isActive()
    finally:
        qapp.removeEventFilter(lock)
        lock.timer.stop()
        lock.deleteLater()


def test_the_idle_lock_starts_on_its_own_after_the_idle_time(
    encrypted_file: Path, qtbot: QtBot, qapp: QApplication
) -> None:
    lock = IdleLock(qapp, encrypted_file, lambda _p: None, minutes=0.001)
    try:
        when_dialog(lambda dialog: type_and_press(dialog, "anything"))
        with qtbot.waitSignal(lock.timer.timeout, timeout=2000):
            pass
        assert lock.timer.isActive()  # unlocked again, and counting afresh
    finally:
        qapp.removeEventFilter(lock)
        lock.timer.stop()
        lock.deleteLater()


def test_cancelling_the_idle_lock_quits(
    encrypted_file: Path, qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(qapp, "quit", lambda: quits.append(True))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(qapp, encrypted_file, lambda _p: None, minutes=60)
    try:
        when_dialog(lambda dialog: dialog.reject())
        lock.lock()
        assert quits == [True]
        assert not window.isVisible()
    finally:
        qapp.removeEventFilter(lock)
        lock.timer.stop()
        lock.deleteLater()
