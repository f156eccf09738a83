"""Backups of an encrypted (SQLCipher) database, and restores into one: never a plain copy.

``sqlcipher3`` can neither back up into a plain ``sqlite3`` connection nor serialise a
database, so an encrypted database's snapshot is an export (``sqlcipher_export``) into a
temporary file beside it under a fresh random key K: the image read back is SQLCipher's,
and ``db.backup_crypto`` seals it with K (K only ever inside the sealed part).

A restore writes the database anew under the key of the database it replaces, so that key,
and the ``.keys`` file that holds it, stay right: an encrypted database is never replaced
by a plain file. A plain database restored from an encrypted backup is written plain, as
it was before; a plain image restored into an encrypted database is encrypted on its way.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import keys
from db.backup_crypto import BackupDamaged
from db.database import Database
from db.encryption import (
    check_key,
    cipher_module,
    connect_keyed,
    is_encrypted,
    quote,
    table_row_counts,
    unlock,
)
from db.errors import Cancelled, DatabaseError, DatabaseLocked, UserError

# Shared with db.backup: its rotation clears a crash's leftovers by this prefix.
TEMP_PREFIX = ".branchbook-partial-"
IMAGE_SQLCIPHER = "sqlcipher"
PLAIN_BACKUP_REFUSED = (
    "An encrypted database can only be backed up with a passphrase; "
    "a backup without one would hold it readable."
)
_EXPORT = "branchbook_export"
_RESTORED = "branchbook_restored"
# SQLite virtual-machine steps between looks at Cancel while the export runs: often
# enough to stop within a few milliseconds, rarely enough to cost nothing.
_CANCEL_CHECK_STEPS = 10_000
_ROWS_PER_BATCH = 1000


@dataclass(frozen=True)
class CipherSnapshot:
    """An encrypted database's image, encrypted by SQLCipher under ``key``."""

    image: bytearray
    key: bytes
    revision: str | None
    people: int

    @property
    def secret(self) -> dict[str, Any]:
        """What the backup seals beside the image so that it can be opened again."""
        return {"image": IMAGE_SQLCIPHER, "key": self.key.hex()}


# backing up ------------------------------------------------------------------------------


def snapshot_encrypted(
    database: Database,
    passphrase: str | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CipherSnapshot:
    """A consistent image of the encrypted ``database``, under a new key, in memory.

    The export is one statement, so progress is reported before and after it; Cancel
    interrupts it, and the temporary file goes whatever happens.
    """
    if passphrase is None:
        raise UserError(PLAIN_BACKUP_REFUSED)
    path = database.path
    if path is None:
        raise UserError("Only a database kept in a file can be backed up here.")
    key = keys.generate_key()
    if progress is not None:
        progress(0, 1)
    temporary = _new_temporary(path.parent, path)
    try:
        revision, people = _export(database, temporary, keys.key_literal(key), cancelled)
        if cancelled is not None and cancelled():
            raise Cancelled()
        image = _read_whole(temporary)
    finally:
        _remove_with_journals(temporary)
    if progress is not None:
        progress(1, 1)
    return CipherSnapshot(image=image, key=key, revision=revision, people=people)


def _export(
    database: Database, target: Path, literal: str, cancelled: Callable[[], bool] | None
) -> tuple[str | None, int]:
    module = cipher_module()
    raw = database.engine.raw_connection()
    try:
        connection = raw.driver_connection
        if connection is None:
            raise DatabaseError(f"{database.location} could not be read.")
        attach = f"ATTACH DATABASE {quote(str(target))} AS {_EXPORT} KEY {quote(literal)}"
        connection.execute(attach)
        try:
            if cancelled is not None:
                connection.set_progress_handler(lambda: int(cancelled()), _CANCEL_CHECK_STEPS)
            try:
                # One read transaction: the export and the counts see the same moment.
                connection.execute("BEGIN")
                connection.execute(f"SELECT sqlcipher_export('{_EXPORT}')")
                revision, people = _describe(connection, _EXPORT)
                connection.execute("COMMIT")
            finally:
                # Cleared first: a handler still saying "stop" would interrupt the cleanup.
                connection.set_progress_handler(None, 0)
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
        finally:
            try:
                connection.execute(f"DETACH DATABASE {_EXPORT}")
            except module.Error:
                # Still attached: the pool must not hand this connection out again.
                raw.invalidate()
    except module.OperationalError as exc:
        if cancelled is not None and cancelled():
            raise Cancelled() from exc
        raise DatabaseError(f"{database.location} could not be read: {exc}.") from exc
    except module.DatabaseError as exc:
        raise DatabaseError(f"{database.location} could not be read: {exc}.") from exc
    finally:
        raw.close()
    return revision, people


def _describe(connection: Any, schema: str) -> tuple[str | None, int]:
    row = connection.execute(f"SELECT version_num FROM {schema}.alembic_version").fetchone()
    people = connection.execute(f"SELECT count(*) FROM {schema}.person").fetchone()[0]
    return (str(row[0]) if row else None), int(people)


# opening a backup ------------------------------------------------------------------------


def image_key(secret: dict[str, Any], name: str) -> bytes | None:
    """The key a backup's image is encrypted under, or None for a plain SQLite image."""
    kind = secret.get("image")
    if kind is None:
        return None
    damaged = BackupDamaged(f"{name} is damaged: its sealed description makes no sense.")
    if kind != IMAGE_SQLCIPHER:
        raise damaged
    try:
        key = bytes.fromhex(str(secret["key"]))
    except (KeyError, ValueError):
        raise damaged from None
    if len(key) != keys.KEY_BYTES:
        raise damaged
    return key


def check_cipher_image(image: bytes | bytearray, key: bytes, name: str) -> tuple[str | None, int]:
    """Check an encrypted image whole, as a plain one is checked: its revision and people.

    SQLCipher reads only files, so the image is written to the system's temporary folder
    for the check; it is encrypted there, and removed at once.
    """
    module = cipher_module()
    damaged = BackupDamaged(f"{name} is damaged: the database inside fails its check.")
    handle, staging_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part")
    staging = Path(staging_name)
    try:
        _write_file(handle, image)
        connection = connect_keyed(staging, keys.key_literal(key))
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise damaged
            return _describe(connection, "main")
        except module.DatabaseError:
            raise damaged from None
        finally:
            connection.close()
    finally:
        _remove_with_journals(staging)


# restoring -------------------------------------------------------------------------------


def restore_key(database_path: Path, given: str | None) -> str | None:
    """The ``PRAGMA key`` text the restored database is written under: the key of the
    encrypted database it replaces (``given``, else BRANCHBOOK_PASSPHRASE or the credential
    store); None when there is no encrypted database there."""
    if not is_encrypted(database_path):
        return None
    if given is None:
        return unlock(database_path)
    # A wrong key here would leave a restored database nobody can open.
    check_key(database_path, given, "key")
    return given


def write_restored(
    image: bytes | bytearray, image_key: bytes | None, target: Path, literal: str | None
) -> None:
    """Write the restored database into ``target``, an empty file beside the database,
    encrypted under ``literal`` (plain when None), and check it."""
    if image_key is not None:
        _reencrypt(image, image_key, target, literal)
    elif literal is not None:
        _encrypt_plain_image(image, target, literal)
    else:
        raise AssertionError("a plain image into a plain database is db.backup's own work")
    _check_restored(target, literal)


def _reencrypt(
    image: bytes | bytearray, image_key: bytes, target: Path, literal: str | None
) -> None:
    """The backup's image (under its own key) exported under the database's key."""
    module = cipher_module()
    staging = _new_temporary(target.parent, target)
    try:
        with staging.open("wb") as out:
            out.write(image)
        connection = connect_keyed(staging, keys.key_literal(image_key))
        connection.isolation_level = None
        try:
            # KEY '' makes the attached file plain: only when the database was plain.
            key = quote(literal if literal is not None else "")
            connection.execute(f"ATTACH DATABASE {quote(str(target))} AS {_RESTORED} KEY {key}")
            counts = table_row_counts(connection, "main")
            connection.execute(f"SELECT sqlcipher_export('{_RESTORED}')")
            copied = table_row_counts(connection, _RESTORED)
            connection.execute(f"DETACH DATABASE {_RESTORED}")
        except module.DatabaseError as exc:
            raise DatabaseError(f"The backup could not be written into place: {exc}.") from exc
        finally:
            connection.close()
    finally:
        _remove_with_journals(staging)
    if copied != counts:
        raise DatabaseError("The backup could not be written into place: rows went missing.")


def _encrypt_plain_image(image: bytes | bytearray, target: Path, literal: str) -> None:
    """A plain image written straight into an encrypted file, row by row.

    sqlcipher3 cannot deserialise, and the plain image must not touch the disk, so this
    does in Python what ``sqlcipher_export`` does: the tables and their rows, the
    sequence, the indexes, then the schema-only objects (views, triggers, virtual tables:
    their shadow tables are ordinary tables and were copied with the rest).
    """
    module = cipher_module()
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(image)
        writer = connect_keyed(target, literal)
        writer.isolation_level = None
        try:
            writer.execute("BEGIN")
            _copy_database(source, writer)
            writer.execute("COMMIT")
            copied = table_row_counts(writer, "main")
        except module.DatabaseError as exc:
            raise DatabaseError(f"The backup could not be encrypted into place: {exc}.") from exc
        finally:
            writer.close()
        if copied != table_row_counts(source, "main"):
            raise DatabaseError("The backup could not be encrypted into place: rows went missing.")
    except sqlite3.DatabaseError:
        raise BackupDamaged("The backup does not hold a database.") from None
    finally:
        source.close()


def _copy_database(source: sqlite3.Connection, writer: Any) -> None:
    schema = source.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY rowid"
    ).fetchall()
    tables = [
        (name, sql)
        for kind, name, _tbl, rootpage, sql in schema
        if kind == "table" and rootpage and not name.startswith("sqlite_")
    ]
    for _name, sql in tables:
        writer.execute(sql)
    for name, _sql in tables:
        _copy_rows(source, writer, name)
    if any(name == "sqlite_sequence" for _kind, name, *_rest in schema):
        writer.execute("DELETE FROM sqlite_sequence")
        writer.executemany(
            "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
            source.execute("SELECT name, seq FROM sqlite_sequence").fetchall(),
        )
    for kind, _name, _tbl, _rootpage, sql in schema:
        if kind == "index" and sql is not None:
            writer.execute(sql)
    # Their CREATE would make a virtual table's shadow tables again (they are copied
    # already) and are not needed for views and triggers: their schema rows are enough.
    writer.execute("PRAGMA writable_schema = ON")
    writer.executemany(
        "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, 0, ?)",
        [
            (kind, name, tbl, sql)
            for kind, name, tbl, rootpage, sql in schema
            if kind in ("view", "trigger") or (kind == "table" and not rootpage)
        ],
    )
    writer.execute("PRAGMA writable_schema = OFF")
    for setting in ("user_version", "application_id"):
        value = int(source.execute(f"PRAGMA {setting}").fetchone()[0])
        writer.execute(f"PRAGMA {setting} = {value}")


def _copy_rows(source: sqlite3.Connection, writer: Any, table: str) -> None:
    name = _identifier(table)
    cursor = source.execute(f"SELECT * FROM {name}")
    columns = [_identifier(column[0]) for column in cursor.description]
    marks = ", ".join("?" for _column in columns)
    insert = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"
    while batch := cursor.fetchmany(_ROWS_PER_BATCH):
        writer.executemany(insert, batch)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_restored(target: Path, literal: str | None) -> None:
    module = cipher_module()
    connection = (
        connect_keyed(target, literal)
        if literal is not None
        else module.connect(str(target), check_same_thread=False)
    )
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except module.DatabaseError:
        problems = ["unreadable"]
    finally:
        connection.close()
    if problems != ["ok"]:
        raise DatabaseError("The restored database failed its check; nothing was changed.")


def take_over(path: Path, literal: str | None, in_use: DatabaseLocked) -> None:
    """Refuse if another program has the database open; else fold its WAL into the file so
    that the one file set aside holds everything, and no stale WAL meets the restored one.

    Leaving WAL mode needs every other connection gone, so it doubles as the check that
    nobody else has the file open, even idle; BEGIN IMMEDIATE then checks for a writer.
    An encrypted file (``literal`` its key) is opened through SQLCipher, the same way.
    """
    module: Any = sqlite3 if literal is None else cipher_module()
    try:
        if literal is None:
            connection = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        else:
            connection = connect_keyed(path, literal, timeout=0.5)
            connection.isolation_level = None
    except module.Error:
        return  # not openable at all: nothing to fold in, and setting it aside is right
    try:
        mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise in_use
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except module.OperationalError as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise in_use from exc
        raise DatabaseError(f"{path} could not be set aside: {exc}.") from exc
    except module.DatabaseError:
        pass  # not a database (damaged): restoring over it is the point; it is set aside
    finally:
        connection.close()


def keep_key_with(database_path: Path, aside: Path) -> None:
    """Give the encrypted file set aside what opens it: a copy of the key file, and the
    credential store's entry when the key is kept there."""
    keys.copy_key_file(database_path, aside)
    stored = keys.stored_key(database_path)
    if stored is not None:
        # The recovery key in the copied key file still opens it if the store refuses.
        with suppress(DatabaseError):
            keys.store_key(aside, stored)


def forget_key_of(aside: Path) -> None:
    """Undo ``keep_key_with`` when the set-aside file goes back where it was."""
    keys.forget_key(aside)


# files -----------------------------------------------------------------------------------


def _new_temporary(folder: Path, beside: Path) -> Path:
    try:
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(
            f"Branchbook could not write a temporary file beside {beside}: {exc.strerror}."
        ) from exc
    # Closed at once: SQLCipher opens the (empty) file itself, and Windows would not let
    # it while we held it.
    os.close(handle)
    return Path(name)


def _write_file(handle: int, data: bytes | bytearray) -> None:
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _read_whole(path: Path) -> bytearray:
    size = path.stat().st_size
    image = bytearray(size)
    with path.open("rb") as source:
        read = source.readinto(image)
    if read != size:
        raise DatabaseError(f"{path} could not be read back whole.")
    return image


def _remove_with_journals(path: Path) -> None:
    for ending in ("", "-journal", "-wal", "-shm"):
        with suppress(OSError):
            path.with_name(path.name + ending).unlink(missing_ok=True)
