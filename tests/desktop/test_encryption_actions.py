"""File → Data protection → Encrypt this database… and Change passphrase…, driven as the
secretary would: the dialogs are answered by the test, the encryption runs through the real
job runner on real files, and the window goes on with the encrypted database."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from keyring.errors import NoKeyringError, PasswordDeleteError
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

import db.encryption as encryption
import desktop.encryption_actions as actions_module
from db import keys
from db.audit_log import audit_lines
from db.database import Database, open_database
from db.encryption import is_encrypted
from db.errors import DatabaseError
from db.keys import Credentials, WrongKey
from db.models import Person
from desktop.audit_window import AuditWindow
from desktop.encryption_actions import (
    ENCRYPTED_ALREADY,
    NO_PASSPHRASE,
    NOT_A_FILE,
    NOT_ENCRYPTED,
    update_encryption_actions,
)
from desktop.encryption_dialogs import ChangePassphraseDialog, EncryptDialog
from desktop.main_window import MainWindow
from desktop.unlock_dialog import IdleLock

PASSPHRASE = "the minutes were approved"
NEW_PASSPHRASE = "any other business"


class CredentialStore:
    """Stands in for keyring's functions, never its backend: choosing a backend (what
    ``keyring.get_keyring()`` does the first time) would leave one chosen for later tests."""

    def __init__(self) -> None:
        self.available = False
        self.secrets: dict[tuple[str, str], str] = {}

    def get_keyring(self) -> object:
        return type("Backend", (), {"priority": 5})() if self.available else FailKeyring()

    def get_password(self, service: str, user: str) -> str | None:
        if not self.available:
            raise NoKeyringError()
        return self.secrets.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        if not self.available:
            raise NoKeyringError()
        self.secrets[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        if self.secrets.pop((service, user), None) is None:
            raise PasswordDeleteError(user)


@pytest.fixture(autouse=True)
def store(monkeypatch: pytest.MonkeyPatch) -> CredentialStore:
    """No credential store (and no passphrase in the environment) unless a test opens one."""
    fake = CredentialStore()
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    for name in ("get_keyring", "get_password", "set_password", "delete_password"):
        monkeypatch.setattr(keyring, name, getattr(fake, name))
    return fake


@pytest.fixture(autouse=True)
def _no_idle_lock_left(qapp: QApplication) -> Iterator[None]:
    yield
    for lock in qapp.findChildren(IdleLock):
        qapp.removeEventFilter(lock)
        lock.timer.stop()
        lock.setParent(None)
        lock.deleteLater()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The recovery key shown, and any sentence of a message box."""
    seen: list[str] = []
    monkeypatch.setattr(actions_module, "show_recovery_key", lambda _parent, key: seen.append(key))
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *_rest: seen.append(text)
    )
    return seen


@pytest.fixture
def closes_window_database(window: MainWindow) -> Iterator[MainWindow]:
    """The window, whose database (reopened encrypted by the test) is closed afterwards."""
    yield window
    window.database.close()


def answer(
    monkeypatch: pytest.MonkeyPatch, kind: type[QDialog], *steps: Callable[[Any], None]
) -> list[str]:
    """Stand in for ``kind.exec``: each step fills the dialog and presses its OK; the
    dialog's answer is whether the last press accepted it. The problems it said are kept."""
    said: list[str] = []

    def run(dialog: Any) -> int:
        for step in steps:
            step(dialog)
            dialog.accept()
            if dialog.result() == QDialog.DialogCode.Accepted:
                return int(QDialog.DialogCode.Accepted.value)
            said.append(dialog.problem.text())
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(kind, "exec", run)
    return said


def choose_passphrase(passphrase: str, again: str | None = None) -> Callable[[Any], None]:
    def fill(dialog: EncryptDialog) -> None:
        dialog.passphrase.setText(passphrase)
        dialog.again.setText(passphrase if again is None else again)

    return fill


def privacy(window: MainWindow, key: str) -> Any:
    return window.privacy_actions[key]


def people(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def test_encrypting_from_the_window_leaves_a_file_that_opens_with_the_passphrase(
    closes_window_database: MainWindow,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
    qtbot: QtBot,
) -> None:
    window = closes_window_database
    path = window.database.path
    assert path is not None
    before = people(window.database)
    assert privacy(window, "encrypt").isEnabled()
    assert not privacy(window, "passphrase").isEnabled()
    assert privacy(window, "passphrase").toolTip() == NOT_ENCRYPTED
    window_state_open(window)
    said = answer(
        monkeypatch,
        EncryptDialog,
        choose_passphrase("short"),
        choose_passphrase(PASSPHRASE, "typo"),
        choose_passphrase(PASSPHRASE),
    )

    privacy(window, "encrypt").trigger()

    assert said[0].startswith("A passphrase needs at least 8 characters")
    assert said[1] == "The two passphrases are not the same; type them again."
    assert is_encrypted(path)
    assert b"SQLite format 3" not in path.read_bytes()[:16]
    assert window.findChildren(AuditWindow) == []  # the tool windows let go of the plain file
    assert window.database.encrypted and window.model.total == before
    assert window.statusBar().currentMessage().startswith(f"{path.name} is encrypted now")
    assert sorted(p.name for p in path.parent.iterdir() if "encrypting" in p.name) == []
    # The window writes to the encrypted file, and the trail records it.
    with window.database.session() as session:
        person = session.get(Person, 1)
        assert person is not None
        person.notes = "Written after encrypting."
    with window.database.session() as session:
        assert "Written after encrypting." in audit_lines(session, limit=1)[0].detail
    # Shown once, the recovery key opens it, as does the passphrase; nothing else does.
    [recovery] = told
    for secret in (PASSPHRASE, recovery):
        again = open_database(path, credentials=Credentials(passphrase=secret))
        assert people(again) == before
        again.close()
    with pytest.raises(WrongKey):
        open_database(path, credentials=Credentials(passphrase="a wrong guess"))
    assert not privacy(window, "encrypt").isEnabled()
    assert privacy(window, "encrypt").toolTip() == ENCRYPTED_ALREADY
    assert privacy(window, "passphrase").isEnabled()
    assert [lock.path for lock in qapp.findChildren(IdleLock)] == [path]


def window_state_open(window: MainWindow) -> None:
    privacy(window, "audit").trigger()
    [audit] = window.findChildren(AuditWindow)
    assert audit.isVisible()


def test_a_failed_encryption_leaves_the_file_as_it_was_and_the_window_goes_on(
    window: MainWindow, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = window.database.path
    assert path is not None
    before = people(window.database)
    digests: list[str] = []
    real = encryption.encrypt_database

    def hashed_then_real(*args: Any, **kwargs: Any) -> Any:
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
        return real(*args, **kwargs)

    def fail(*_args: object) -> None:
        raise DatabaseError("The encrypted copy failed its integrity check.")

    monkeypatch.setattr(actions_module, "encrypt_database", hashed_then_real)
    monkeypatch.setattr(encryption, "_check_copy", fail)
    answer(monkeypatch, EncryptDialog, choose_passphrase(PASSPHRASE))

    privacy(window, "encrypt").trigger()

    assert told == ["The encrypted copy failed its integrity check."]
    assert not is_encrypted(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digests[0]
    assert not keys.has_key_file(path)
    assert not any(p.name.endswith(".encrypting") for p in path.parent.iterdir())
    assert not window.database.encrypted and people(window.database) == before
    assert privacy(window, "encrypt").isEnabled()


def test_cancelling_the_question_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = window.database.path
    assert path is not None
    monkeypatch.setattr(EncryptDialog, "exec", lambda _self: 0)
    privacy(window, "encrypt").trigger()
    assert not is_encrypted(path) and not window.database.encrypted


def test_encrypting_into_the_credential_store_needs_no_passphrase_and_no_idle_lock(
    closes_window_database: MainWindow,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
    store: CredentialStore,
) -> None:
    window = closes_window_database
    store.available = True
    path = window.database.path
    assert path is not None

    def use_keyring(dialog: EncryptDialog) -> None:
        assert dialog.keyring_choice.isEnabled()
        dialog.keyring_choice.setChecked(True)

    answer(monkeypatch, EncryptDialog, use_keyring)
    privacy(window, "encrypt").trigger()

    assert is_encrypted(path) and window.database.encrypted
    assert len(store.secrets) == 1 and len(told) == 1  # the key kept, the recovery key shown
    open_database(path).close()  # no passphrase asked
    assert qapp.findChildren(IdleLock) == []
    assert not privacy(window, "passphrase").isEnabled()
    assert privacy(window, "passphrase").toolTip() == NO_PASSPHRASE


@pytest.fixture
def encrypted_window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    path = tmp_path / "branch.sqlite3"
    database = open_database(path, credentials=Credentials(passphrase=PASSPHRASE))
    window = MainWindow(database)
    qtbot.addWidget(window)
    yield window
    window.database.close()
    database.close()


def test_changing_the_passphrase_asks_for_the_old_one_first(
    encrypted_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = encrypted_window
    path = window.database.path
    assert path is not None
    assert not privacy(window, "encrypt").isEnabled()

    def typing(old: str) -> Callable[[ChangePassphraseDialog], None]:
        def fill(dialog: ChangePassphraseDialog) -> None:
            dialog.old.setText(old)
            dialog.passphrase.setText(NEW_PASSPHRASE)
            dialog.again.setText(NEW_PASSPHRASE)

        return fill

    said = answer(monkeypatch, ChangePassphraseDialog, typing("not it"), typing(PASSPHRASE))
    privacy(window, "passphrase").trigger()

    assert said == [f"The passphrase for {path} is not right."]
    open_database(path, credentials=Credentials(passphrase=NEW_PASSPHRASE)).close()
    with pytest.raises(WrongKey):
        open_database(path, credentials=Credentials(passphrase=PASSPHRASE))
    assert window.statusBar().currentMessage().endswith("the recovery key is unchanged.")
    assert people(window.database) == 0  # and the window goes on reading it


def test_a_server_database_has_both_actions_greyed_saying_why(
    window: MainWindow,
) -> None:
    server = Database(
        url=make_url("postgresql+psycopg://secretary@localhost/branch"),
        engine=create_engine("sqlite://"),
        actor="tester",
    )
    update_encryption_actions(server, window.privacy_actions)
    for key in ("encrypt", "passphrase"):
        assert not privacy(window, key).isEnabled()
        assert privacy(window, key).toolTip() == NOT_A_FILE
    server.engine.dispose()


def test_the_submenu_holds_its_entries_in_order(window: MainWindow) -> None:
    menu = window.privacy_menu
    assert menu.title() == "Da&ta protection"
    names = [a.objectName() or "-" for a in menu.actions()]
    assert names == [
        "auditTrailAction",
        "exportLogAction",
        "-",
        "retentionAction",
        "-",
        "encryptAction",
        "changePassphraseAction",
    ]
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    file_actions = file_menu.actions()
    restore = file_actions.index(window.backup_actions["restore"])
    assert file_actions[restore + 1] is menu.menuAction()
    for keys_of in (file_menu, menu):  # Alt+letter reaches each entry: no letter twice
        letters = [a.text().split("&")[1][0].lower() for a in keys_of.actions() if "&" in a.text()]
        assert len(letters) == len(set(letters)), letters
