"""Encryption at rest: SQLCipher files opened, refused, created and converted, on real files."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from sqlalchemy import text

from db import encryption, keys
from db.database import Database, open_database
from db.encryption import change_passphrase, encrypt_database, is_encrypted
from db.errors import DatabaseError, DatabaseLocked
from db.keys import Credentials, KeyNeeded, WrongKey
from db.migrate import head_revision, upgrade_database

PLAIN_HEADER = b"SQLite format 3\x00"
PASSPHRASE = Credentials(passphrase="correct horse battery staple")


class MemoryKeyring(KeyringBackend):
    """A credential store that lives and dies with one test: never the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _no_passphrase_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)


def header(path: Path) -> bytes:
    return path.read_bytes()[:16]


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, through the database's own engine (plain or encrypted)."""
    with database.engine.connect() as connection:
        tables = [
            name
            for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'person_fts%'"
            )
        ]
        return {
            t: sorted(
                (tuple(r) for r in connection.exec_driver_sql(f'SELECT * FROM "{t}"')), key=repr
            )
            for t in tables
        }


def people(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM person")).scalar_one())


def add_person(database: Database, first: str = "Siân") -> None:
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (first_name, last_name, status, follow_up, sort_key, "
                "search_text, version) VALUES (:first, 'Evans', 'member', 0, 'evans sian', "
                "'sian evans', 1)"
            ),
            {"first": first},
        )


def test_a_new_database_with_a_passphrase_is_encrypted_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    database = open_database(path, credentials=PASSPHRASE)
    try:
        assert database.encrypted
        assert database.recovery_key is not None
        add_person(database)
    finally:
        database.close()
    assert header(path) != PLAIN_HEADER
    assert is_encrypted(path)
    assert b"Evans" not in path.read_bytes()
    reopened = open_database(path, credentials=PASSPHRASE)
    try:
        assert people(reopened) == 1
        assert reopened.recovery_key is None  # shown once, when it was made
    finally:
        reopened.close()


def test_a_wrong_passphrase_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    open_database(path, credentials=PASSPHRASE).close()
    with pytest.raises(WrongKey) as caught:
        open_database(path, credentials=Credentials(passphrase="Tr0ub4dor"))
    assert str(caught.value) == f"The passphrase for {path} is not right."


def test_no_passphrase_anywhere_asks_for_one(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "branch.sqlite3"
    open_database(path, credentials=PASSPHRASE).close()
    with pytest.raises(KeyNeeded) as caught:
        open_database(path)
    assert caught.value.path == path
    assert not caught.value.creating
    assert "is encrypted" in str(caught.value)


def test_the_recovery_key_opens_it_however_it_was_written_down(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    created = open_database(path, credentials=PASSPHRASE)
    recovery = created.recovery_key
    created.close()
    assert recovery is not None and len(recovery.split("-")) == 8
    typed = recovery.lower().replace("-", " ").replace("O", "0")
    open_database(path, credentials=Credentials(passphrase=typed)).close()


def test_the_environment_variable_unlocks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "branch.sqlite3"
    open_database(path, credentials=PASSPHRASE).close()
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE.passphrase or "")
    database = open_database(path)
    try:
        assert database.encrypted
    finally:
        database.close()


def test_a_raw_key_creates_and_opens_with_no_key_file(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    key = keys.generate_key()
    database = open_database(path, credentials=Credentials(key=key))
    try:
        add_person(database)
    finally:
        database.close()
    assert not keys.has_key_file(path)
    reopened = open_database(path, credentials=Credentials(key=key))
    try:
        assert people(reopened) == 1
    finally:
        reopened.close()
    with pytest.raises(WrongKey, match="The key for"):
        open_database(path, credentials=Credentials(key=keys.generate_key()))


def test_the_first_run_database_keeps_its_key_in_the_credential_store(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = tmp_path / "branch.sqlite3"
    database = open_database(path, encrypt_new=True)
    try:
        assert database.encrypted
        recovery = database.recovery_key
        add_person(database)
    finally:
        database.close()
    assert (keys.SERVICE, str(path.resolve())) in memory_keyring.secrets
    assert not keys.has_passphrase(path)
    reopened = open_database(path)  # no passphrase: the store has the key
    try:
        assert people(reopened) == 1
    finally:
        reopened.close()
    memory_keyring.secrets.clear()  # a new laptop: the recovery key is all that is left
    with pytest.raises(KeyNeeded):
        open_database(path)
    assert recovery is not None
    open_database(path, credentials=Credentials(passphrase=recovery)).close()


def test_with_no_credential_store_a_new_encrypted_database_needs_a_passphrase(
    tmp_path: Path,
) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        path = tmp_path / "branch.sqlite3"
        with pytest.raises(KeyNeeded) as caught:
            open_database(path, encrypt_new=True)
        assert caught.value.creating
        assert not path.exists()
    finally:
        keyring.set_keyring(previous)


def test_without_credentials_a_new_database_is_plain_as_before(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    database = open_database(path)
    try:
        assert not database.encrypted
    finally:
        database.close()
    assert header(path) == PLAIN_HEADER
    assert not keys.has_key_file(path)


def test_a_plain_database_opens_plain_whatever_passphrase_is_given(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    open_database(path).close()
    database = open_database(path, credentials=PASSPHRASE)
    try:
        assert not database.encrypted
    finally:
        database.close()
    assert header(path) == PLAIN_HEADER


def test_a_file_that_is_not_a_database_is_not_taken_for_an_encrypted_one(tmp_path: Path) -> None:
    bad = tmp_path / "members.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    assert not is_encrypted(bad)
    with pytest.raises(DatabaseError, match="is not a Branchbook database"):
        open_database(bad)


def test_encrypting_in_place_keeps_every_row(demo_database: Database) -> None:
    path = demo_database.path
    assert path is not None
    before = dump(demo_database)
    demo_database.close()
    outcome = encrypt_database(path, PASSPHRASE)
    assert outcome.recovery_key is not None
    assert outcome.rows > 0
    assert header(path) != PLAIN_HEADER
    leftovers = sorted(p.name for p in path.parent.iterdir())
    assert leftovers == [path.name, path.name + keys.KEY_FILE_SUFFIX]
    encrypted = open_database(path, credentials=PASSPHRASE)
    try:
        assert encrypted.encrypted
        assert dump(encrypted) == before
        with encrypted.engine.connect() as connection:
            # The search index came across too, and answers.
            found = connection.exec_driver_sql(
                "SELECT count(*) FROM person_fts WHERE person_fts MATCH 'a*'"
            ).scalar()
            assert found
    finally:
        encrypted.close()


def test_encrypting_into_the_credential_store(
    demo_database: Database, memory_keyring: MemoryKeyring
) -> None:
    path = demo_database.path
    assert path is not None
    demo_database.close()
    outcome = encrypt_database(path, use_keyring=True)
    assert outcome.recovery_key is not None
    assert is_encrypted(path)
    reopened = open_database(path)
    reopened.close()


def test_a_failed_encryption_leaves_the_original_untouched(
    demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_database.path
    assert path is not None
    demo_database.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    def fail(*_args: object) -> None:
        raise DatabaseError("The encrypted copy failed its integrity check.")

    monkeypatch.setattr(encryption, "_check_copy", fail)
    with pytest.raises(DatabaseError, match="integrity"):
        encrypt_database(path, PASSPHRASE)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    database = open_database(path)
    database.close()


_HOLD_WRITE_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""


def test_a_database_in_use_is_not_encrypted(demo_database: Database) -> None:
    path = demo_database.path
    assert path is not None
    demo_database.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # Another program: in this process, POSIX locks taken by Python's own sqlite3 would not
    # stop sqlcipher3's separate copy of SQLite (a process never conflicts with itself).
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseLocked, match="in use by another program"):
            encrypt_database(path, PASSPHRASE)
    finally:
        holder.communicate("")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not keys.has_key_file(path)
    assert not is_encrypted(path)


def test_an_encrypted_database_is_not_encrypted_twice(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    open_database(path, credentials=PASSPHRASE).close()
    with pytest.raises(DatabaseError, match="encrypted already"):
        encrypt_database(path, PASSPHRASE)


def test_the_copy_before_a_schema_upgrade_is_encrypted_too(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = open_database(path, upgrade=False, credentials=PASSPHRASE)
    upgrade_database(old, target="0001")
    add_person(old)
    old.close()

    reopened = open_database(path, credentials=PASSPHRASE)
    try:
        with reopened.engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert revision.scalar() == head_revision()
    finally:
        reopened.close()

    backups = list(tmp_path.glob("old.before-upgrade-0001-*.sqlite3"))
    assert len(backups) == 1
    assert header(backups[0]) != PLAIN_HEADER
    assert b"Evans" not in backups[0].read_bytes()
    copy = open_database(backups[0], upgrade=False, credentials=PASSPHRASE)
    try:
        with copy.engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT first_name FROM person").all()
            assert [tuple(row) for row in names] == [("Siân",)]
    finally:
        copy.close()


def test_encrypting_in_place_encrypts_the_plain_copies_made_before_an_upgrade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "branch.sqlite3"
    old = open_database(path, upgrade=False)
    upgrade_database(old, target="0001")
    add_person(old)
    old.close()
    open_database(path).close()  # upgraded: the plain copy made first stays beside it
    (copy,) = tmp_path.glob("branch.before-upgrade-0001-*.sqlite3")
    assert header(copy) == PLAIN_HEADER
    unrelated = tmp_path / "branch.notes.sqlite3"
    unrelated.write_bytes(copy.read_bytes())  # not one of ours: left alone

    outcome = encrypt_database(path, PASSPHRASE)

    assert outcome.copies == (copy,) and outcome.left_plain == ()
    assert header(copy) != PLAIN_HEADER and b"Evans" not in copy.read_bytes()
    assert header(unrelated) == PLAIN_HEADER
    opened = open_database(copy, upgrade=False, credentials=PASSPHRASE)
    try:
        with opened.engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT first_name FROM person").all()
            assert [tuple(row) for row in names] == [("Siân",)]
    finally:
        opened.close()


def test_changing_the_passphrase_keeps_the_recovery_key(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite3"
    created = open_database(path, credentials=PASSPHRASE)
    recovery = created.recovery_key
    created.close()
    assert PASSPHRASE.passphrase is not None and recovery is not None
    with pytest.raises(WrongKey):
        change_passphrase(path, "not it", "new words")
    change_passphrase(path, PASSPHRASE.passphrase, "new words for the door")
    with pytest.raises(WrongKey):
        open_database(path, credentials=PASSPHRASE)
    open_database(path, credentials=Credentials(passphrase="new words for the door")).close()
    open_database(path, credentials=Credentials(passphrase=recovery)).close()


def test_bulk_writes_and_reads_work_on_an_encrypted_file(tmp_path: Path) -> None:
    import datetime as dt

    from db.demo import load_demo

    path = tmp_path / "branch.sqlite3"
    database = open_database(path, credentials=PASSPHRASE)
    try:
        summary = load_demo(database, people=60, seed=3, as_of=dt.date(2026, 11, 1))
        assert people(database) == 60
    finally:
        database.close()
    assert summary.people == 60
    assert b"Evans" not in path.read_bytes()


def test_a_passphrase_file_gives_its_first_line(tmp_path: Path) -> None:
    file = tmp_path / "pass.txt"
    file.write_text("words with spaces \nsecond line\n", encoding="utf-8")
    assert keys.read_passphrase_file(file) == "words with spaces "
    with pytest.raises(DatabaseError, match="does not exist"):
        keys.read_passphrase_file(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(DatabaseError, match="is empty"):
        keys.read_passphrase_file(tmp_path / "empty.txt")
