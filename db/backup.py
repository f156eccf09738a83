"""Backups of the database file, and restoring one: sealed, rotated, never a plain copy.

A backup is a snapshot taken through SQLite's online backup API into memory (page by page,
so writers are held up for one step at most and progress can be shown), serialised, and
sealed by ``db.backup_crypto`` into a temporary file beside the target that then replaces
it: the plain database never touches the disk, and a cancelled or failed backup leaves
nothing. A restore checks the whole image before it touches anything, and sets the current
database aside rather than overwriting it, so a restore can itself be undone. An encrypted
database is snapshotted, and restored into, by ``db.backup_sqlcipher``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from db import backup_sqlcipher as cipher
from db.backup_crypto import (
    MAGIC,
    BackupDamaged,
    Header,
    check_new_passphrase,
    read_header,
    read_sealed,
    split_secret,
    write_sealed,
)
from db.backup_sqlcipher import TEMP_PREFIX as TEMP_PREFIX  # re-exported: tests and callers
from db.database import Database
from db.encryption import NewKey, create_key
from db.errors import Cancelled, DatabaseError, DatabaseLocked, DatabaseTooNew, UserError
from db.keys import Credentials, forget_key
from db.schema import SCHEMA_HEAD, stored_revision

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
Image = bytes | bytearray

SUFFIX = ".bbk"
POSTGRESQL_REFUSED = "Back up a shared PostgreSQL database with the server's own tools (pg_dump)."
# 2,048 pages of 4 KiB: each step holds the source's read lock for a few milliseconds.
PAGES_PER_STEP = 2048
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_OWN_NAME = re.compile(r"^branchbook-(\d{4}-\d{2}-\d{2}-\d{6})\.bbk$")
_PROGRESS_TOTAL = 100
_SNAPSHOT_SHARE = 50  # of the progress bar; sealing and writing take the rest


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file says about itself (readable without its passphrase)."""

    path: Path
    created_at: dt.datetime
    schema_revision: str | None
    people: int
    source_name: str
    encrypted: bool
    size_bytes: int


@dataclass(frozen=True)
class FolderBackup:
    backup: BackupInfo
    removed: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class OpenedBackup:
    """A backup decrypted and checked, ready to be put in place of the database."""

    info: BackupInfo
    image: Image
    # Set when the image is SQLCipher's, encrypted under this key (an encrypted database's).
    image_key: bytes | None = None


@dataclass(frozen=True)
class RestoreInfo:
    database_path: Path
    set_aside: Path | None
    backup: BackupInfo
    # Shown once: the new key's recovery key, when an encrypted database's backup was
    # restored where there was no database and so was given a key of its own.
    recovery_key: str | None = None


# making a backup ------------------------------------------------------------------------


def make_backup(
    database: Database,
    target: Path,
    *,
    passphrase: str | None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    now: dt.datetime | None = None,
) -> BackupInfo:
    """Seal a snapshot of ``database`` into ``target`` (replaced whole, or not at all)."""
    if passphrase is not None:
        check_new_passphrase(passphrase)
    source = database.path
    if source is not None and target.resolve() == source.resolve():
        raise UserError(f"{target} is the database itself; choose another file for the backup.")
    if target.is_dir():
        raise UserError(f"{target} is a folder; give the backup a file name.")
    _require_folder(target.parent)
    report = progress or _ignore

    def snapshot_step(done: int, total: int) -> None:
        report(done * _SNAPSHOT_SHARE // max(total, 1), _PROGRESS_TOTAL, "Copying the database…")

    image: Image
    secret: dict[str, object] | None = None
    if database.encrypted:
        snap = cipher.snapshot_encrypted(
            database, passphrase, progress=snapshot_step, cancelled=cancelled
        )
        image, secret, revision, people = snap.image, snap.secret, snap.revision, snap.people
    else:
        image = _read_snapshot(database, progress=snapshot_step, cancelled=cancelled)
        revision, people = _describe_image(image, "the database")
    created = (now or dt.datetime.now()).astimezone().replace(microsecond=0)
    metadata = {
        "created_at": created.isoformat(),
        "schema_revision": revision,
        "people": people,
        "source_name": source.name if source is not None else "",
    }
    label = "Encrypting and writing the backup…" if passphrase else "Writing the backup…"

    def seal_step(done: int, total: int) -> None:
        share = _PROGRESS_TOTAL - _SNAPSHOT_SHARE
        report(_SNAPSHOT_SHARE + done * share // max(total, 1), _PROGRESS_TOTAL, label)

    _write_atomically(
        target,
        lambda out: write_sealed(out, image, metadata, passphrase, seal_step, cancelled, secret),
    )
    report(_PROGRESS_TOTAL, _PROGRESS_TOTAL, "Backup written")
    return _info(target, read_header(target))


def _read_snapshot(
    database: Database,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Cancel | None = None,
) -> Image:
    """A consistent, plain image of the whole database, in memory (an encrypted one's is
    ``db.backup_sqlcipher``'s work)."""
    if database.url.get_backend_name() == "postgresql":
        raise UserError(POSTGRESQL_REFUSED)
    if database.url.get_backend_name() != "sqlite" or database.path is None:
        raise UserError("Only a database kept in a file can be backed up here.")

    def step(_status: int, remaining: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()  # sqlite3 stops the backup and passes this on
        if progress is not None:
            progress(total - remaining, total)

    raw = database.engine.raw_connection()
    try:
        source = raw.driver_connection
        if not isinstance(source, sqlite3.Connection):
            # make_backup sends an encrypted database to db.backup_sqlcipher instead.
            raise AssertionError("a plain snapshot of an encrypted database was asked for")
        memory = sqlite3.connect(":memory:")
        try:
            source.backup(memory, pages=PAGES_PER_STEP, progress=step)
            serialized = memory.serialize()
        except sqlite3.OperationalError as exc:
            raise DatabaseError(f"{database.location} could not be read: {exc}.") from exc
        finally:
            memory.close()
    finally:
        raw.close()
    # Copied only once the in-memory database is gone: at 100,000 people each copy is
    # 120 MB, and an old laptop should not hold three at once.
    image = bytearray(serialized)
    del serialized
    # The image keeps the source's WAL marker (header bytes 18-19), and SQLite refuses to
    # open a WAL image in memory ("unable to open database file"), which a restore must do
    # to check it. Marked as a rollback-journal file it opens anywhere; Branchbook turns
    # WAL back on when it opens the restored file.
    if len(image) >= 20 and image[18] == 2:
        image[18] = image[19] = 1
    return image


def _describe_image(image: Image, what: str) -> tuple[str | None, int]:
    """The schema revision and the number of people the image holds."""
    connection = _deserialize(image)
    try:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            people = connection.execute("SELECT count(*) FROM person").fetchone()[0]
        except sqlite3.DatabaseError:
            raise BackupDamaged(f"{what} is not a Branchbook database.") from None
    finally:
        connection.close()
    return (row[0] if row else None), int(people)


def _deserialize(image: Image) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(image)
    except sqlite3.DatabaseError:
        connection.close()
        raise BackupDamaged("The backup does not hold a database.") from None
    return connection


def _write_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """``write`` into a temporary file beside ``target``, then swap it in whole."""
    try:
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _write_error(target, exc) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_error(target: Path, exc: OSError) -> UserError:
    if isinstance(exc, PermissionError):
        return UserError(f"Branchbook may not write in {target.parent}; choose another folder.")
    if exc.errno == 28:  # ENOSPC, the same number on Windows' C runtime
        return UserError(f"There is no room left in {target.parent} for {target.name}.")
    return UserError(f"{target} could not be written: {exc.strerror or exc}.")


def _require_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise UserError(
            f"The folder {folder} is not there; if it is on a USB stick, plug the stick in."
        )


def _ignore(_done: int, _total: int, _label: str) -> None:
    pass


def _info(path: Path, header: Header) -> BackupInfo:
    meta = header.metadata
    try:
        created = dt.datetime.fromisoformat(str(meta["created_at"]))
        people = int(meta.get("people", 0))
    except (KeyError, ValueError, TypeError):
        raise BackupDamaged(f"{path.name} is damaged: its description cannot be read.") from None
    revision = meta.get("schema_revision")
    return BackupInfo(
        path=path,
        created_at=created,
        schema_revision=str(revision) if revision is not None else None,
        people=people,
        source_name=str(meta.get("source_name", "")),
        encrypted=header.encrypted,
        size_bytes=path.stat().st_size,
    )


def backup_info(path: Path) -> BackupInfo:
    """What a backup says about itself, without its passphrase (not yet verified)."""
    return _info(path, read_header(path))


# restoring -----------------------------------------------------------------------------


def open_backup(
    source: Path,
    *,
    passphrase: str | None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
) -> OpenedBackup:
    """Decrypt and check a backup: whole, unaltered, a sound Branchbook database this
    program can open. Nothing on disk changes."""
    report = progress or _ignore

    def step(done: int, total: int) -> None:
        report(done, max(total, 1), "Decrypting and checking the backup…")

    header, payload = read_sealed(source, passphrase, step, cancelled)
    secret, image = split_secret(header, payload, source.name)
    key = cipher.image_key(secret, source.name)
    if key is not None:
        revision, _people = cipher.check_cipher_image(image, key, source.name)
        _require_known_revision(revision, source.name)
        return OpenedBackup(_info(source, header), image, key)
    connection = _deserialize(image)
    try:
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError:
            problems = ["unreadable"]
    finally:
        connection.close()
    if problems != ["ok"]:
        raise BackupDamaged(f"{source.name} is damaged: the database inside fails its check.")
    revision, _people = _describe_image(image, source.name)
    _require_known_revision(revision, source.name)
    return OpenedBackup(_info(source, header), image)


def _require_known_revision(revision: str | None, name: str) -> None:
    from db.migrate import script_directory

    known = {rev.revision for rev in script_directory().walk_revisions()}
    if revision is not None and revision not in known:
        raise DatabaseTooNew(
            f"{name} was made by a newer Branchbook (schema {revision}); "
            "install the newer version to restore it."
        )


def restore_opened(
    opened: OpenedBackup,
    database_path: Path,
    *,
    now: dt.datetime | None = None,
    key: str | None = None,
    credentials: Credentials | None = None,
) -> RestoreInfo:
    """Put a checked backup in place of the database file, setting the current one aside.

    An encrypted database stays encrypted under its own key: ``key`` (its ``PRAGMA key``
    text), else BRANCHBOOK_PASSPHRASE or the credential store. Where there is no database
    yet (a new laptop), the backup of an encrypted one is encrypted under a new key, kept
    as a new database's is (``credentials``' passphrase, else BRANCHBOOK_PASSPHRASE, else
    the credential store): an encrypted branch never comes back as a plain file. Nothing
    else may have the database open: the caller closes its own connections first.
    """
    if database_path.is_dir():
        raise UserError(f"{database_path} is a folder, not a database file.")
    try:
        database_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"Cannot create the folder {database_path.parent}: {exc.strerror}."
        ) from exc
    # Known before anything is written: a locked database's key is asked for first.
    literal = cipher.restore_key(database_path, key)
    new_key: NewKey | None = None
    if literal is None and opened.image_key is not None and not database_path.exists():
        new_key = create_key(database_path, credentials, use_keyring=True)
        literal = new_key.literal
    # Written beside the database first, so a full disk fails before anything is moved.
    try:
        handle, name = tempfile.mkstemp(
            prefix=TEMP_PREFIX, suffix=".part", dir=database_path.parent
        )
    except OSError as exc:
        if new_key is not None:
            forget_key(database_path)
        raise _write_error(database_path, exc) from exc
    temporary = Path(name)
    set_aside: Path | None = None
    try:
        _write_image(handle, temporary, opened, literal)
        if database_path.exists():
            cipher.take_over(database_path, literal, _in_use(database_path))
            aside = _set_aside_name(database_path, now or dt.datetime.now())
            # A second name for the current file, not a move: the database's own path holds
            # a whole database at every moment, so a restore killed half way (a flat laptop)
            # can never leave the branch opening empty.
            _link_or_copy(database_path, aside)
            set_aside = aside
            if literal is not None:
                cipher.keep_key_with(database_path, aside)
        _remove_journals(database_path)
        os.replace(temporary, database_path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if new_key is not None:  # no database came of it: its key must not linger
            forget_key(database_path)
        if set_aside is not None:  # the current file was not replaced: no copy is needed
            set_aside.unlink(missing_ok=True)
            cipher.forget_key_of(set_aside)
        if isinstance(exc, OSError):
            raise _write_error(database_path, exc) from exc
        raise
    return RestoreInfo(
        database_path=database_path,
        set_aside=set_aside,
        backup=opened.info,
        recovery_key=new_key.recovery_key if new_key is not None else None,
    )


def restore_backup(
    source: Path,
    database_path: Path,
    *,
    passphrase: str | None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    now: dt.datetime | None = None,
    key: str | None = None,
) -> RestoreInfo:
    """Replace the database file with a backup; the current file is kept beside it."""
    opened = open_backup(source, passphrase=passphrase, progress=progress, cancelled=cancelled)
    return restore_opened(opened, database_path, now=now, key=key)


def _write_image(handle: int, temporary: Path, opened: OpenedBackup, literal: str | None) -> None:
    """The restored database's file: the plain image as it is, else through SQLCipher."""
    if opened.image_key is not None or literal is not None:
        os.close(handle)
        cipher.write_restored(opened.image, opened.image_key, temporary, literal)
        return
    with os.fdopen(handle, "wb") as out:
        out.write(opened.image)
        out.flush()
        os.fsync(out.fileno())


def _in_use(path: Path) -> DatabaseLocked:
    return DatabaseLocked(
        f"{path} is open in another Branchbook window or program; close it and try again."
    )


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (instant, no space), or a copy where the disk
    has no hard links (FAT on a USB stick)."""
    try:
        os.link(source, target)
    except PermissionError as exc:
        raise _in_use(source) from exc
    except OSError:
        shutil.copy2(source, target)


def _set_aside_name(path: Path, now: dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    suffix = path.suffix or ".sqlite3"
    candidate = path.with_name(f"{path.stem}.before-restore-{stamp}{suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.before-restore-{stamp}-{number}{suffix}")
        number += 1
    return candidate


def _remove_journals(path: Path) -> None:
    # A journal left beside the path belongs to the file set aside; SQLite would apply it
    # to the restored file.
    for ending in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + ending).unlink(missing_ok=True)


def bring_up_to_date(database: Database) -> None:
    """After a restore: drop connections to the old file, and upgrade an older backup's
    schema exactly as opening it would."""
    database.close()
    with database.engine.connect() as connection:
        revision = stored_revision(connection)
    if revision != SCHEMA_HEAD:
        from db.migrate import upgrade_database

        upgrade_database(database)
        database.close()


# a folder of rotated backups ------------------------------------------------------------


def backup_name(when: dt.datetime) -> str:
    return f"branchbook-{when:%Y-%m-%d-%H%M%S}{SUFFIX}"


def own_backups(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """Branchbook's dated backups in ``folder``, newest first: a name of our pattern and
    our magic at the start, so a stranger's file is never taken for one of ours."""
    found: list[tuple[dt.datetime, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _OWN_NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            when = dt.datetime.strptime(match.group(1), "%Y-%m-%d-%H%M%S")
            with path.open("rb") as source:
                if source.read(len(MAGIC)) != MAGIC:
                    continue
        except (ValueError, OSError):
            continue
        found.append((when, path))
    found.sort(reverse=True)
    return found


def backups_to_keep(
    stamps: list[dt.datetime], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY
) -> set[dt.datetime]:
    """The newest backup of each of the last ``daily`` days that have one, then the newest
    of each of the ``weekly`` ISO weeks before those that have one."""
    keep: set[dt.datetime] = set()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for stamp in sorted(stamps, reverse=True):
        day = stamp.date()
        if len(days) < daily or day in days:
            if day not in days:
                days.add(day)
                keep.add(stamp)
            continue
        year, week, _weekday = day.isocalendar()
        if (year, week) not in weeks and len(weeks) < weekly:
            weeks.add((year, week))
            keep.add(stamp)
    return keep


def prune_backups(folder: Path) -> list[Path]:
    """Delete our own backups the rotation no longer keeps, and our partial files a crash
    left; never any other file. The paths removed."""
    backups = own_backups(folder)
    keep = backups_to_keep([when for when, _path in backups])
    removed: list[Path] = []
    for when, path in backups:
        if when not in keep:
            try:
                path.unlink()
            except OSError:
                continue  # in use or read-only: the next rotation tries again
            removed.append(path)
    stale = dt.datetime.now().timestamp() - 24 * 3600
    for partial in folder.glob(f"{TEMP_PREFIX}*.part"):
        try:
            if partial.stat().st_mtime < stale:
                partial.unlink()
        except OSError:
            continue
    return removed


def backup_to_folder(
    database: Database,
    folder: Path,
    *,
    passphrase: str | None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
) -> FolderBackup:
    """A dated backup in ``folder``, then the folder's rotation."""
    when = now or dt.datetime.now()
    _require_folder(folder)
    info = make_backup(
        database,
        folder / backup_name(when),
        passphrase=passphrase,
        progress=progress,
        cancelled=cancelled,
        now=when,
    )
    return FolderBackup(info, prune_backups(folder))


def due_for_daily(folder: Path, now: dt.datetime) -> bool:
    """No backup of ours in ``folder`` made today."""
    return all(when.date() != now.date() for when, _path in own_backups(folder))


def backup_if_due(
    database: Database,
    folder: Path,
    *,
    passphrase: str | None,
    closing: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
) -> FolderBackup | None:
    """The automatic backup: always when the window closes, else once a day. None when
    none was due."""
    when = now or dt.datetime.now()
    if not closing and not due_for_daily(folder, when):
        return None
    return backup_to_folder(
        database, folder, passphrase=passphrase, now=when, progress=progress, cancelled=cancelled
    )


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup of ours in ``folder``, newest first, as each describes itself."""
    listed: list[BackupInfo] = []
    for _when, path in own_backups(folder):
        try:
            listed.append(backup_info(path))
        except UserError:
            continue
    return listed
