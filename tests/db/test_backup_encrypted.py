"""Backups of an encrypted database: sealed with no plain copy and no key in the clear,
restored under the database's own key, and never leaving a plain file where an encrypted
database was."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

import db.backup_sqlcipher as cipher_module
import db.keys as keys_module
from db.backup import (
    TEMP_PREFIX,
    backup_info,
    backup_to_folder,
    bring_up_to_date,
    make_backup,
    open_backup,
    restore_backup,
    restore_opened,
)
from db.backup_crypto import MAGIC, read_header
from db.backup_sqlcipher import PLAIN_BACKUP_REFUSED
from db.database import Database, open_database
from db.encryption import encrypt_database, is_encrypted
from db.errors import Cancelled, DatabaseLocked, UserError
from db.keys import Credentials, KeyNeeded, WrongKey
from db.models import Person
from desktop.cli import main

PASSPHRASE = "a long walk to the polling station"
DATABASE_PASSPHRASE = "the branch's own secret, kept by the secretary"


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows through the database's own engine: it can read an encrypted file."""
    with database.engine.connect() as connection:
        tables = [
            name
            for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'person_fts%'"
            )
        ]
        return {
            table: sorted(
                (tuple(row) for row in connection.exec_driver_sql(f'SELECT * FROM "{table}"')),
                key=repr,
            )
            for table in tables
        }


def reopened(path: Path) -> Database:
    return open_database(path, credentials=Credentials(passphrase=DATABASE_PASSPHRASE))


def search_hits(database: Database, word: str) -> int:
    """The full-text index works: its virtual table and shadow tables came through."""
    with database.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM person_fts WHERE person_fts MATCH ?", (word,)
        ).scalar()
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    return int(found or 0)


@pytest.fixture
def encrypted_database(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """The demo branch encrypted with a passphrase, as the window makes new databases."""
    path = tmp_path / "branch" / "secret.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(demo_template, path)
    encrypt_database(path, Credentials(passphrase=DATABASE_PASSPHRASE))
    database = reopened(path)
    assert database.encrypted and is_encrypted(path)
    yield database
    database.close()


@pytest.fixture
def captured_keys(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every random key made from here on: the backup's K among them."""
    made: list[bytes] = []
    original = keys_module.generate_key

    def generate() -> bytes:
        made.append(original())
        return made[-1]

    monkeypatch.setattr(keys_module, "generate_key", generate)
    return made


def _change_everything(database: Database) -> None:
    with database.session() as session:
        session.execute(update(Person).where(Person.id % 3 == 0).values(first_name="Changed"))
    database.close()


def _first_surname(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(connection.exec_driver_sql("SELECT last_name FROM person").scalar())


def test_the_backup_holds_no_plain_database_no_names_and_not_its_key(
    encrypted_database: Database, tmp_path: Path, captured_keys: list[bytes]
) -> None:
    target = tmp_path / "out.bbk"
    info = make_backup(encrypted_database, target, passphrase=PASSPHRASE)
    assert info.encrypted and info.people == 400 and info.source_name == "secret.sqlite3"
    assert len(captured_keys) == 1
    image_key = captured_keys[0]
    data = target.read_bytes()
    assert data.startswith(MAGIC)
    assert b"SQLite format 3" not in data
    assert image_key not in data and image_key.hex().encode() not in data
    assert image_key.hex().upper().encode() not in data
    with encrypted_database.engine.connect() as connection:
        # Whole names as a plain file holds them ("allen amy"): a three-letter first name
        # alone turns up in half a megabyte of random ciphertext one run in thirty.
        names = connection.exec_driver_sql("SELECT sort_key FROM person LIMIT 50")
        for (sort_key,) in names:
            assert sort_key.encode() not in data
    header = read_header(target)
    assert header.version == 2 and "key" not in header.metadata and "image" not in header.metadata
    assert backup_info(target).people == 400
    # Nothing of the export is left beside the database or the backup.
    for folder in (tmp_path, tmp_path / "branch"):
        assert [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)] == []


def test_the_export_on_disk_is_encrypted_and_gone_afterwards(
    encrypted_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, bool]] = []
    original = cipher_module._read_whole

    def read_whole(path: Path) -> bytearray:
        seen.append((path, is_encrypted(path)))
        return original(path)

    monkeypatch.setattr(cipher_module, "_read_whole", read_whole)
    make_backup(encrypted_database, tmp_path / "out.bbk", passphrase=PASSPHRASE)
    assert len(seen) == 1
    export, encrypted = seen[0]
    assert encrypted and export.parent == tmp_path / "branch"
    assert not export.exists()
    assert not export.with_name(export.name + "-journal").exists()


def test_a_plain_databases_backup_is_still_format_version_1(
    demo_database: Database, tmp_path: Path
) -> None:
    target = tmp_path / "plain-db.bbk"
    make_backup(demo_database, target, passphrase=PASSPHRASE)
    assert read_header(target).version == 1
    assert open_backup(target, passphrase=PASSPHRASE).image_key is None


def test_restored_into_the_same_encrypted_database_every_row_comes_back(
    encrypted_database: Database, tmp_path: Path
) -> None:
    before = dump(encrypted_database)
    path = encrypted_database.path
    assert path is not None
    target = tmp_path / "out.bbk"
    make_backup(encrypted_database, target, passphrase=PASSPHRASE)
    _change_everything(encrypted_database)
    assert dump(encrypted_database) != before
    encrypted_database.close()

    # The key as the window has it: in the open Database's URL.
    restored = restore_backup(
        target, path, passphrase=PASSPHRASE, key=encrypted_database.url.password
    )

    assert is_encrypted(path)
    bring_up_to_date(encrypted_database)
    assert dump(encrypted_database) == before
    assert search_hits(encrypted_database, _first_surname(encrypted_database)) >= 1
    encrypted_database.close()
    again = reopened(path)  # the same passphrase: the key file still applies
    try:
        assert dump(again) == before
        with again.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        again.close()
    # The database as it was is set aside, still encrypted, and still opens.
    aside = restored.set_aside
    assert aside is not None and is_encrypted(aside)
    assert (aside.parent / (aside.name + ".keys")).exists()
    old = reopened(aside)
    try:
        assert dump(old) != before
    finally:
        old.close()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(TEMP_PREFIX)] == []


def test_without_a_key_the_restore_unlocks_the_database_or_says_how(
    encrypted_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = encrypted_database.path
    assert path is not None
    target = tmp_path / "out.bbk"
    make_backup(encrypted_database, target, passphrase=PASSPHRASE)
    before = dump(encrypted_database)
    encrypted_database.close()
    monkeypatch.delenv(keys_module.PASSPHRASE_ENV, raising=False)
    with pytest.raises(KeyNeeded, match="is encrypted: give its passphrase"):
        restore_backup(target, path, passphrase=PASSPHRASE)
    with pytest.raises(WrongKey):
        restore_backup(target, path, passphrase=PASSPHRASE, key="x'" + "00" * 32 + "'")
    assert [p.name for p in path.parent.iterdir() if "before-restore" in p.name] == []
    monkeypatch.setenv(keys_module.PASSPHRASE_ENV, DATABASE_PASSPHRASE)
    restore_backup(target, path, passphrase=PASSPHRASE)
    assert is_encrypted(path)
    assert dump(encrypted_database) == before


def test_a_plain_backup_restored_over_an_encrypted_database_is_encrypted_on_its_way(
    encrypted_database: Database, demo_database: Database, tmp_path: Path
) -> None:
    expected = dump(demo_database)
    demo_database.close()
    path = encrypted_database.path
    assert path is not None
    target = tmp_path / "plain-db.bbk"
    make_backup(demo_database, target, passphrase=PASSPHRASE)
    _change_everything(encrypted_database)
    encrypted_database.close()

    restore_backup(target, path, passphrase=PASSPHRASE, key=encrypted_database.url.password)

    assert is_encrypted(path)
    with path.open("rb") as handle:
        assert not handle.read(16).startswith(b"SQLite format 3")
    again = reopened(path)
    try:
        assert dump(again) == expected
        assert search_hits(again, _first_surname(again)) >= 1
    finally:
        again.close()


def test_an_encrypted_backup_restored_into_a_plain_database_is_plain(
    encrypted_database: Database, demo_database: Database, tmp_path: Path
) -> None:
    expected = dump(encrypted_database)
    target = tmp_path / "out.bbk"
    make_backup(encrypted_database, target, passphrase=PASSPHRASE)
    plain = demo_database.path
    assert plain is not None
    demo_database.close()
    restore_backup(target, plain, passphrase=PASSPHRASE)
    assert not is_encrypted(plain)
    copy = open_database(plain)
    try:
        assert not copy.encrypted and dump(copy) == expected
    finally:
        copy.close()


def test_on_a_new_laptop_an_encrypted_backup_comes_back_encrypted_under_a_new_key(
    encrypted_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A laptop with no credential store, whatever keyring earlier tests left selected.
    monkeypatch.setattr(keys_module, "credential_store_available", lambda: False)
    expected = dump(encrypted_database)
    target = tmp_path / "out.bbk"
    make_backup(encrypted_database, target, passphrase=PASSPHRASE)
    fresh = tmp_path / "new laptop" / "branchbook.sqlite3"
    # No passphrase and no credential store: asked for, and nothing is left behind.
    with pytest.raises(KeyNeeded):
        restore_backup(target, fresh, passphrase=PASSPHRASE)
    assert [p.name for p in fresh.parent.iterdir()] == []

    chosen = Credentials(passphrase="the new laptop's passphrase")
    opened = open_backup(target, passphrase=PASSPHRASE)
    restored = restore_opened(opened, fresh, credentials=chosen)

    assert restored.set_aside is None and restored.recovery_key
    assert is_encrypted(fresh)
    copy = open_database(fresh, credentials=chosen)
    try:
        assert copy.encrypted and dump(copy) == expected
    finally:
        copy.close()
    # The recovery key shown once opens it too.
    by_recovery = open_database(fresh, credentials=Credentials(passphrase=restored.recovery_key))
    by_recovery.close()


def test_an_encrypted_database_is_never_backed_up_without_a_passphrase(
    encrypted_database: Database, tmp_path: Path
) -> None:
    with pytest.raises(UserError) as caught:
        make_backup(encrypted_database, tmp_path / "open.bbk", passphrase=None)
    assert str(caught.value) == PLAIN_BACKUP_REFUSED
    assert list(tmp_path.glob("*.bbk")) == []


@pytest.mark.parametrize("stage", ["Copying", "Encrypting"])
def test_a_cancelled_backup_leaves_no_file(
    encrypted_database: Database, tmp_path: Path, stage: str
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "branchbook-2026-01-01-120000.bbk").write_bytes(b"old")
    stop = False

    def progress(_done: int, _total: int, label: str) -> None:
        nonlocal stop
        stop = stop or label.startswith(stage)

    with pytest.raises(Cancelled):
        backup_to_folder(
            encrypted_database,
            folder,
            passphrase=PASSPHRASE,
            progress=progress,
            cancelled=lambda: stop,
        )
    assert [p.name for p in folder.iterdir()] == ["branchbook-2026-01-01-120000.bbk"]
    assert encrypted_database.path is not None
    beside = encrypted_database.path.parent
    assert [p.name for p in beside.iterdir() if p.name.startswith(TEMP_PREFIX)] == []
    # The pooled connection came back clean: the next backup works.
    done = backup_to_folder(encrypted_database, folder, passphrase=PASSPHRASE)
    assert done.backup.people == 400


def test_a_restore_is_refused_while_another_program_has_the_encrypted_database_open(
    encrypted_database: Database, tmp_path: Path
) -> None:
    path = encrypted_database.path
    assert path is not None
    target = tmp_path / "out.bbk"
    make_backup(encrypted_database, target, passphrase=PASSPHRASE)
    other = reopened(path)
    try:
        with other.engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM person").scalar()
            encrypted_database.close()
            with pytest.raises(DatabaseLocked, match="is open in another Branchbook window"):
                restore_backup(
                    target, path, passphrase=PASSPHRASE, key=encrypted_database.url.password
                )
    finally:
        other.close()
    assert [p.name for p in path.parent.iterdir() if "before-restore" in p.name] == []
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(TEMP_PREFIX)] == []
    assert is_encrypted(path)


def test_the_command_line_backs_up_and_restores_an_encrypted_database(
    encrypted_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = encrypted_database.path
    assert path is not None
    before = dump(encrypted_database)
    database_file = tmp_path / "database-passphrase.txt"
    database_file.write_text(DATABASE_PASSPHRASE + "\n", encoding="utf-8")
    backup_file = tmp_path / "backup-passphrase.txt"
    backup_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    target = tmp_path / "x.bbk"
    db = str(path)
    global_options = ["--db", db, "--passphrase-file", str(database_file)]
    own = ["--passphrase-file", str(backup_file)]

    assert main([*global_options, "backup", "-o", str(target), *own]) == 0
    assert "Backed up 400 people" in capsys.readouterr().out
    _change_everything(encrypted_database)
    encrypted_database.close()
    assert main([*global_options, "restore", str(target), "--yes", *own]) == 0
    out = capsys.readouterr().out
    assert "Restored 400 people" in out and "before-restore" in out

    assert is_encrypted(path)
    again = reopened(path)
    try:
        assert dump(again) == before
    finally:
        again.close()
    # Without the database's passphrase the restore says so, and changes nothing.
    assert main(["--db", db, "restore", str(target), "--yes", *own]) == 1
    assert "is encrypted: give its passphrase" in capsys.readouterr().err
