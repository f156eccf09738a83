"""SQLCipher databases: telling them apart, opening them with their key, encrypting a plain
one in place, and copying one without ever writing its contents in the clear.

``sqlcipher3`` is SQLite with SQLCipher built in and the same API as ``sqlite3``; it is
imported only when an encrypted database is met, so plain databases never load it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import keys
from db.errors import DatabaseError, DatabaseLocked
from db.keys import Credentials, KeyNeeded, WrongKey

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLCipher's pages are powers of two from 512 bytes up, so an encrypted file is a multiple
# of 512 bytes long: a file that is neither SQLite nor that is simply not a database.
_SMALLEST_PAGE = 512
_PARTIAL_SUFFIX = ".encrypting"


def cipher_module() -> Any:
    import sqlcipher3.dbapi2  # type: ignore[import-untyped]

    return sqlcipher3.dbapi2


def is_encrypted(path: Path) -> bool:
    """True when ``path`` is a SQLCipher database: no plain SQLite header, page-sized."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return False
    return size > 0 and size % _SMALLEST_PAGE == 0 and header != SQLITE_HEADER


def is_new(path: Path) -> bool:
    """Nothing there yet: no file, or an empty one that SQLite has not written to."""
    if not path.exists():
        return True
    wal = path.with_name(path.name + "-wal")
    return path.is_file() and path.stat().st_size == 0 and not wal.exists()


def quote(text: str) -> str:
    """A SQL string literal; PRAGMA and ATTACH take no parameters, so keys are quoted."""
    return "'" + text.replace("'", "''") + "'"


def connect_keyed(path: Path, literal: str, *, timeout: float = 5.0) -> Any:
    """A ``sqlcipher3`` connection to ``path`` with its key given, before anything reads it."""
    module = cipher_module()
    connection = module.connect(str(path), timeout=timeout, check_same_thread=False)
    cursor = connection.cursor()
    try:
        # SQLCipher writes a wrong key's HMAC failures to stderr; the caller says it better.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(f"PRAGMA key = {quote(literal)}")
        # Sorts and temporary tables stay in memory: no temporary file can hold plain rows.
        cursor.execute("PRAGMA temp_store = MEMORY")
    finally:
        cursor.close()
    return connection


def check_key(path: Path, literal: str, what: str = "passphrase") -> None:
    """Raise ``WrongKey`` unless ``literal`` opens ``path``."""
    module = cipher_module()
    connection = connect_keyed(path, literal)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except module.DatabaseError as exc:
        if "not a database" in str(exc).lower():
            raise WrongKey(path, what) from exc
        raise DatabaseError(f"{path} could not be opened: {exc}.") from exc
    except module.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise DatabaseLocked(
                f"{path} is in use by another program; close it and try again."
            ) from exc
        raise DatabaseError(f"{path} could not be opened: {exc}.") from exc
    finally:
        connection.close()


def unlock(path: Path, credentials: Credentials | None = None) -> str:
    """The ``PRAGMA key`` text that opens the encrypted file ``path``, checked.

    Looked for in order: what the caller gives (a passphrase from ``--passphrase-file`` or
    a dialog, or a raw key), BRANCHBOOK_PASSPHRASE, the credential store; else ``KeyNeeded``.
    """
    credentials = credentials or Credentials()
    if credentials.key is not None:
        literal = keys.key_literal(credentials.key)
        check_key(path, literal, "key")
        return literal
    passphrase = credentials.passphrase or keys.passphrase_from_environment()
    if passphrase is not None:
        key = keys.key_from_passphrase(path, passphrase)
        literal = keys.key_literal(key) if key is not None else passphrase
        check_key(path, literal)
        return literal
    stored = keys.stored_key(path)
    if stored is not None:
        literal = keys.key_literal(stored)
        check_key(path, literal, "key kept in this computer's credential store")
        return literal
    raise KeyNeeded(path)


@dataclass(frozen=True)
class NewKey:
    literal: str
    recovery_key: str | None


def create_key(
    path: Path, credentials: Credentials | None = None, *, use_keyring: bool = False
) -> NewKey:
    """Make the key for a database about to be created encrypted, and keep it.

    A raw key is the caller's to keep. Otherwise a random key is wrapped under the
    passphrase (given or BRANCHBOOK_PASSPHRASE) and a recovery key; with no passphrase and
    ``use_keyring``, it goes into the credential store, with a recovery key beside it.
    """
    credentials = credentials or Credentials()
    if credentials.key is not None:
        return NewKey(keys.key_literal(credentials.key), None)
    passphrase = credentials.passphrase or keys.passphrase_from_environment()
    if passphrase is None and not (use_keyring and keys.credential_store_available()):
        raise KeyNeeded(path, creating=True)
    key = keys.generate_key()
    if passphrase is None:
        keys.store_key(path, key)
    recovery = keys.write_key_file(path, key, passphrase)
    return NewKey(keys.key_literal(key), recovery)


# Encrypting a plain database in place ------------------------------------------------------


@dataclass(frozen=True)
class EncryptOutcome:
    path: Path
    tables: int
    rows: int
    recovery_key: str | None
    copies: tuple[Path, ...] = ()  # safety copies beside it, encrypted too
    left_plain: tuple[Path, ...] = ()  # those that could not be (in use, disk full): say so


def encrypt_database(
    path: Path, credentials: Credentials | None = None, *, use_keyring: bool = False
) -> EncryptOutcome:
    """Encrypt the plain database ``path`` in place, or leave it exactly as it was.

    The encrypted copy is written beside it, checked (integrity and every table's row
    count), and only then moved over the original; the original's WAL files go with it.
    """
    path = path.resolve()
    if not path.is_file():
        raise DatabaseError(f"{path} does not exist.")
    if is_encrypted(path):
        raise DatabaseError(f"{path} is encrypted already.")
    partial = path.with_name(path.name + _PARTIAL_SUFFIX)
    for leftover in _with_journals(partial):
        leftover.unlink(missing_ok=True)
    new_key = create_key(path, credentials, use_keyring=use_keyring)
    try:
        counts = _export_encrypted(path, partial, new_key.literal)
        _check_copy(partial, new_key.literal, counts)
        try:
            _settle_wal(path)
            os.replace(partial, path)
        except PermissionError as exc:
            # Windows refuses to replace or delete a file another program holds open.
            raise DatabaseLocked(
                f"{path} is in use by another program; close it and try again."
            ) from exc
    except BaseException:
        for leftover in _with_journals(partial):
            leftover.unlink(missing_ok=True)
        # The original stays plain, so the key made for it would open nothing.
        keys.forget_key(path)
        raise
    copies, left_plain = _encrypt_safety_copies(path, new_key.literal)
    return EncryptOutcome(
        path, len(counts), sum(counts.values()), new_key.recovery_key, copies, left_plain
    )


# The copies Branchbook itself makes beside a database: before a schema upgrade (db.migrate)
# and before a restore (db.backup). Made while it was plain, they are plain.
_SAFETY_COPY_MARKS = (".before-upgrade-", ".before-restore-")


def safety_copies(path: Path) -> list[Path]:
    """The plain safety copies of ``path`` lying beside it."""
    found = []
    for candidate in path.parent.iterdir():
        name = candidate.name
        if not (name.startswith(path.stem) and name.endswith(path.suffix)):
            continue
        middle = name[len(path.stem) : len(name) - len(path.suffix) or None]
        marked = any(middle.startswith(mark) for mark in _SAFETY_COPY_MARKS)
        if marked and candidate.is_file() and not is_encrypted(candidate):
            found.append(candidate)
    return sorted(found)


def _encrypt_safety_copies(path: Path, literal: str) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Encrypt each plain safety copy in place under the database's key, and give it what
    opens it (the key file, the credential store's entry): a thief must not find the
    branch in plain text beside its encrypted file. One that fails stays as it was."""
    done: list[Path] = []
    failed: list[Path] = []
    stored = keys.stored_key(path)
    for copy in safety_copies(path):
        partial = copy.with_name(copy.name + _PARTIAL_SUFFIX)
        try:
            counts = _export_encrypted(copy, partial, literal)
            _check_copy(partial, literal, counts)
            for journal in _with_journals(copy)[1:]:
                journal.unlink(missing_ok=True)
            os.replace(partial, copy)
        except (OSError, DatabaseError, cipher_module().DatabaseError):
            for leftover in _with_journals(partial):
                leftover.unlink(missing_ok=True)
            failed.append(copy)
            continue
        keys.copy_key_file(path, copy)
        if stored is not None:
            keys.store_key(copy, stored)
        done.append(copy)
    return tuple(done), tuple(failed)


def _with_journals(path: Path) -> list[Path]:
    return [path] + [path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")]


def _export_encrypted(source: Path, target: Path, literal: str) -> dict[str, int]:
    module = cipher_module()
    # sqlcipher3 reads a plain file when no key is given; it then exports into the
    # attached, keyed file (SQLCipher's sqlcipher_export), schema, rows and user_version.
    connection = module.connect(str(source), timeout=5.0, isolation_level=None)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.execute(
            f"ATTACH DATABASE {quote(str(target))} AS encrypted KEY {quote(literal)}"
        )
        # Held until the copy is counted: nobody may write in between.
        connection.execute("BEGIN IMMEDIATE")
        counts = _row_counts(connection, "main")
        connection.execute("SELECT sqlcipher_export('encrypted')")
        copied = _row_counts(connection, "encrypted")
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE encrypted")
    except module.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise DatabaseLocked(
                f"{source} is in use by another program; close it and try again."
            ) from exc
        raise DatabaseError(f"{source} could not be encrypted: {exc}.") from exc
    except module.DatabaseError as exc:
        raise DatabaseError(f"{source} could not be encrypted: {exc}.") from exc
    finally:
        connection.close()
    if copied != counts:
        raise DatabaseError(f"{source} was not encrypted: the copy did not hold every row.")
    return counts


def table_row_counts(connection: Any, schema: str = "main") -> dict[str, int]:
    """Every ordinary table's row count, to check a copy holds every row (sqlite3 and
    sqlcipher3 connections alike)."""
    return _row_counts(connection, schema)


def _row_counts(connection: Any, schema: str) -> dict[str, int]:
    # Shadow tables of full-text indexes are plain tables here too, so they are counted.
    names = [
        name
        for (name,) in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
        for name in names
        if not _is_virtual(connection, schema, name)
    }


def _is_virtual(connection: Any, schema: str, name: str) -> bool:
    sql = connection.execute(
        f"SELECT sql FROM {schema}.sqlite_master WHERE name = ?", (name,)
    ).fetchone()[0]
    return bool(sql) and sql.upper().startswith("CREATE VIRTUAL")


def _check_copy(copy: Path, literal: str, counts: dict[str, int]) -> None:
    connection = connect_keyed(copy, literal)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            raise DatabaseError(f"The encrypted copy {copy} failed its integrity check.")
        if _row_counts(connection, "main") != counts:
            raise DatabaseError(f"The encrypted copy {copy} does not hold every row.")
    finally:
        connection.close()


def _settle_wal(path: Path) -> None:
    """Remove the plain file's WAL and shared-memory files before the encrypted file takes
    its name: a plain WAL beside an encrypted file would be read as part of it."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Our own connection checkpointed and closed it; a WAL with pages in it now means
        # another program has the database open and may still write.
        raise DatabaseLocked(f"{path} is in use by another program; close it and try again.")
    wal.unlink(missing_ok=True)
    path.with_name(path.name + "-shm").unlink(missing_ok=True)


# Copies and passphrases --------------------------------------------------------------------


def copy_encrypted(source: Path, literal: str, target: Path) -> None:
    """A consistent copy of the encrypted ``source`` in ``target``, under the same key.

    SQLite's online backup between two connections keyed alike (SQLCipher 4.3+), so the
    copy is encrypted page by page and nothing is written in the clear.
    """
    reader = connect_keyed(source, literal)
    try:
        writer = connect_keyed(target, literal)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()
    keys.copy_key_file(source, target)


def change_passphrase(path: Path, old: str, new: str) -> None:
    """Give the database a new passphrase; the old one, or the recovery key, unlocks it.

    The database's own key does not change, so the file is not rewritten: only its key
    file, atomically. A database keyed by a passphrase directly (no key file) is rekeyed.
    """
    if not new:
        raise DatabaseError("The new passphrase is empty.")
    key = keys.key_from_passphrase(path, old)
    if key is not None:
        check_key(path, keys.key_literal(key))
        keys.set_passphrase(path, key, new)
        return
    check_key(path, old)
    connection = connect_keyed(path, old)
    try:
        connection.execute(f"PRAGMA rekey = {quote(new)}")
    finally:
        connection.close()
