"""Temporary files an interrupted operation left beside the database, removed at start-up.

Every long write in Branchbook goes to a temporary file first and is renamed into place at
the end; a crash, a flat battery or a killed process leaves that file behind. Some are
plain: a workbook of people's data half written, a database image on its way to a restore.
Issue 8 promises no plain copy is left behind, so the window sweeps them when it starts.

A folder of letters is built under a temporary name beside the folder the secretary chose,
which may be anywhere: while it is built, a marker beside the database names it
(``note_pending``), so the sweep that finds the marker old removes that folder too.

Only names Branchbook itself makes are touched, each matched whole (``NAMINGS``), and only
when older than ``STALE_AFTER``: a fresh one may belong to a Branchbook still at work (the
command line exporting while the window opens). The database's own journals (``-wal``,
``-shm``, ``-journal`` beside the database itself) are never touched: SQLite needs a hot
journal to put an interrupted transaction right. Anything else in the folder is left alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from db.backup_sqlcipher import TEMP_PREFIX
from db.keys import KEY_FILE_SUFFIX

__all__ = [
    "LETTERS_PREFIX",
    "NAMINGS",
    "PENDING_PREFIX",
    "STALE_AFTER",
    "Naming",
    "clear_pending",
    "note_pending",
    "remove_stale_files",
    "stale_files",
]

PENDING_PREFIX = ".branchbook-pending-"
LETTERS_PREFIX = ".letters-"
# A marker names only this: a folder tempfile.mkdtemp made with LETTERS_PREFIX.
_STAGING = re.compile(re.escape(LETTERS_PREFIX) + r"[a-z0-9_]+")

# Longer than any one operation takes at 100,000 people, short enough that a leftover does
# not outlive the day.
STALE_AFTER = dt.timedelta(hours=6)
_JOURNALS = r"(?:-journal|-wal|-shm)?"


@dataclass(frozen=True)
class Naming:
    """One kind of temporary file: its full-name pattern and who makes it."""

    pattern: str  # a regular expression for the whole name; ``{db}`` is the database's name
    made_by: str

    def matches(self, name: str, database_name: str) -> bool:
        pattern = self.pattern.replace("{db}", re.escape(database_name))
        return re.fullmatch(pattern, name) is not None


NAMINGS: tuple[Naming, ...] = (
    # A backup or restore's image (tempfile.mkstemp: prefix, random letters, ".part"), and the
    # journals SQLCipher keeps beside it while checking it.
    Naming(
        re.escape(TEMP_PREFIX) + r"[a-z0-9_]+\.part" + _JOURNALS, "db.backup, db.backup_sqlcipher"
    ),
    # A workbook, PDF or sign-in sheet written beside its target: ".<stem>.<8 hex>.tmp".
    Naming(r"\..+\.[0-9a-f]{8}\.tmp", "reports.xlsx_table"),
    # The encrypted copy of the database made while encrypting it in place.
    Naming(r"{db}\.encrypting" + _JOURNALS, "db.encryption"),
    # The key file's next version, written before it replaces the key file.
    Naming(r"{db}" + re.escape(KEY_FILE_SUFFIX) + r"\.partial", "db.keys"),
    # A folder of letters being written elsewhere (note_pending): the folder goes with it.
    Naming(re.escape(PENDING_PREFIX) + r"[a-z0-9_]+\.txt", "reports.mailing_output"),
)


def note_pending(database_path: Path | None, staging: Path) -> Path | None:
    """Leave word beside the database that ``staging`` is being written, so a start after a
    crash removes it; the marker, for ``clear_pending``. None for a database that is not a
    file: the writer's own clean-up is then all there is."""
    if database_path is None or not _STAGING.fullmatch(staging.name):
        return None
    # The name as the file system has it (os.fsencode): a folder name that is not UTF-8
    # on Linux is still written, and read back the same.
    named = os.fsencode(staging.resolve())
    try:
        handle, name = tempfile.mkstemp(
            prefix=PENDING_PREFIX, suffix=".txt", dir=database_path.parent
        )
    except OSError:
        return None  # a read-only database folder must not stop the letters
    with os.fdopen(handle, "wb") as stream:
        stream.write(named)
    return Path(name)


def clear_pending(marker: Path | None) -> None:
    if marker is not None:
        with contextlib.suppress(OSError):  # else swept at a later start
            marker.unlink(missing_ok=True)


def stale_files(
    database_path: Path, *, now: dt.datetime | None = None, older_than: dt.timedelta = STALE_AFTER
) -> list[Path]:
    """The temporary files beside ``database_path`` last written before ``older_than``
    ago; [] when its folder is missing or unreadable."""
    folder = database_path.parent
    cutoff = ((now or dt.datetime.now()) - older_than).timestamp()
    found: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        if not any(naming.matches(entry.name, database_path.name) for naming in NAMINGS):
            continue
        try:
            if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < cutoff:
                found.append(entry)
        except OSError:
            continue
    return sorted(found)


def remove_stale_files(
    database_path: Path, *, now: dt.datetime | None = None, older_than: dt.timedelta = STALE_AFTER
) -> list[Path]:
    """Delete ``stale_files``; the paths removed. One another program holds open (Windows)
    or that cannot be deleted is left for the next start."""
    removed: list[Path] = []
    for path in stale_files(database_path, now=now, older_than=older_than):
        if path.name.startswith(PENDING_PREFIX) and not _remove_staging(path):
            continue  # the folder it names is still there: try again next time
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _remove_staging(marker: Path) -> bool:
    """Remove the letters folder ``marker`` names; False if it is still there after."""
    try:
        with marker.open("rb") as stream:
            named = Path(os.fsdecode(stream.read(4096)))
    except (OSError, ValueError):
        return True  # nothing to go on: the marker alone goes
    if not named.is_absolute() or not _STAGING.fullmatch(named.name) or named.is_symlink():
        return True
    if not named.parent.is_dir():
        return False  # a USB stick unplugged, a share offline: try again next time
    if named.is_dir():
        shutil.rmtree(named, ignore_errors=True)
    return not named.exists()
