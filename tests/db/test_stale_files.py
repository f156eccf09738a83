"""Temporary files an interrupted operation left beside the database: the ones Branchbook
made and that are older than the cutoff are removed; fresh ones, the database's own journals
and every other file are kept. The temporaries are made by the code that really makes them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from db.backup_sqlcipher import TEMP_PREFIX
from db.database import Database
from db.stale_files import (
    LETTERS_PREFIX,
    STALE_AFTER,
    note_pending,
    remove_stale_files,
    stale_files,
)
from reports.xlsx_table import _temporary_beside

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime.now()
OLD = (NOW - STALE_AFTER - dt.timedelta(minutes=5)).timestamp()


def aged(*paths: Path) -> None:
    for path in paths:
        os.utime(path, (OLD, OLD))


def leftovers(folder: Path, database_name: str) -> dict[str, Path]:
    """One of each kind of temporary, made as its maker makes it."""
    handle, backup_part = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
    os.close(handle)
    part = Path(backup_part)
    made = {
        "backup image": part,
        "its journal": part.with_name(part.name + "-journal"),
        "workbook": _temporary_beside(folder / "Members 2026-05-01.xlsx"),
        "encrypting": folder / f"{database_name}.encrypting",
        "encrypting wal": folder / f"{database_name}.encrypting-wal",
        "key file": folder / f"{database_name}.keys.partial",
    }
    for path in made.values():
        path.touch()
    return made


def test_old_leftovers_go_and_everything_else_stays(database: Database, tmp_path: Path) -> None:
    path = database.path
    assert path is not None
    database.close()  # before the journals are made: closing removes its own
    folder = path.parent
    old = leftovers(folder, path.name)
    keep = [
        path,
        path.with_name(path.name + "-wal"),  # the database's own journals, however old
        path.with_name(path.name + "-shm"),
        path.with_name(path.name + "-journal"),
        path.with_name(path.name + ".keys"),
        folder / "branchbook.before-upgrade-0004-20260101.sqlite3",
        folder / "other.sqlite3.encrypting",  # another database's: not this one's to sweep
        folder / "notes.tmp",
        folder / ".people.xlsx.tmp",  # no eight-digit hex stamp: not ours
        folder / ".branchbook-partial-abcd1234.txt",
        folder / "people.xlsx",
    ]
    for file in keep:
        file.touch()
    (folder / ".letters-ab12cd34").mkdir()  # a folder: never removed
    (folder / ".branchbook-partial-zz.part").mkdir()
    aged(*old.values(), *keep)

    removed = remove_stale_files(path, now=NOW)

    assert sorted(removed) == sorted(old.values())
    assert not any(p.exists() for p in old.values())
    assert all(file.exists() for file in keep)
    assert (folder / ".letters-ab12cd34").is_dir()


def test_fresh_leftovers_are_kept_for_a_branchbook_still_at_work(tmp_path: Path) -> None:
    database = tmp_path / "branch.sqlite3"
    fresh = leftovers(tmp_path, database.name)
    assert stale_files(database, now=NOW) == []
    assert remove_stale_files(database) == []
    assert all(p.exists() for p in fresh.values())


def test_a_missing_folder_is_nothing_to_do(tmp_path: Path) -> None:
    assert remove_stale_files(tmp_path / "not here" / "branch.sqlite3") == []


_KILLED_MID_EXPORT = """
import os, sys
from pathlib import Path
from reports.xlsx_table import write_atomically_steps

def steps(temporary):
    temporary.write_bytes(b"Sian,Llyr-Jones,CF10 1AA" * 1000)
    yield 1
    os._exit(9)  # the battery runs flat half way

for _ in write_atomically_steps(Path(sys.argv[1]), steps):
    pass
"""


def test_a_workbook_left_half_written_by_a_killed_export_is_swept(tmp_path: Path) -> None:
    database = tmp_path / "branch.sqlite3"
    target = tmp_path / "members.xlsx"
    run = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_EXPORT, str(target)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert run.returncode == 9
    [half_written] = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert b"Llyr-Jones" in half_written.read_bytes() and not target.exists()
    assert remove_stale_files(database) == []  # minutes old: it might be someone's export
    aged(half_written)
    assert remove_stale_files(database) == [half_written]
    assert list(tmp_path.iterdir()) == []


def test_a_marker_removes_only_the_letters_folder_it_names(tmp_path: Path) -> None:
    database = tmp_path / "data" / "branch.sqlite3"
    database.parent.mkdir()
    chosen = tmp_path / "Documents"
    chosen.mkdir()
    staging = Path(tempfile.mkdtemp(prefix=LETTERS_PREFIX, dir=chosen))
    (staging / "1 Ms Sian Llyr-Jones.pdf").write_bytes(b"%PDF-1.4 plain letter")
    old_marker = note_pending(database, staging)
    # A marker someone edited to name another folder: the folder stays, the marker goes.
    elsewhere = note_pending(database, Path(tempfile.mkdtemp(prefix=LETTERS_PREFIX, dir=chosen)))
    assert old_marker is not None and elsewhere is not None
    elsewhere.write_text(str(chosen), encoding="utf-8")
    fresh_staging = Path(tempfile.mkdtemp(prefix=LETTERS_PREFIX, dir=chosen))
    fresh_marker = note_pending(database, fresh_staging)
    aged(old_marker, elsewhere)

    removed = remove_stale_files(database, now=NOW)

    assert sorted(removed) == sorted([old_marker, elsewhere])
    assert not staging.exists()
    assert chosen.is_dir() and fresh_staging.is_dir()  # a mailing still being written
    assert fresh_marker is not None and fresh_marker.exists()


def test_no_marker_for_a_folder_that_is_not_a_letters_staging_folder(tmp_path: Path) -> None:
    assert note_pending(tmp_path / "branch.sqlite3", tmp_path / "Documents") is None
    assert note_pending(None, tmp_path / ".letters-abc123") is None


def test_a_marker_waits_while_its_folder_cannot_be_reached(tmp_path: Path) -> None:
    database = tmp_path / "branch.sqlite3"
    stick = tmp_path / "USB stick"
    stick.mkdir()
    staging = Path(tempfile.mkdtemp(prefix=LETTERS_PREFIX, dir=stick))
    marker = note_pending(database, staging)
    assert marker is not None
    aged(marker)
    stick.rename(tmp_path / "unplugged")  # the folder it names is nowhere to be found
    assert remove_stale_files(database, now=NOW) == []
    assert marker.exists()
    (tmp_path / "unplugged").rename(stick)  # plugged in again
    assert remove_stale_files(database, now=NOW) == [marker]
    assert not staging.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux names may be bytes, not text")
def test_a_folder_name_that_is_not_utf8_is_still_swept(tmp_path: Path) -> None:
    database = tmp_path / "branch.sqlite3"
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/Lettres \xe9t\xe9"))  # Latin-1 bytes
    odd.mkdir()
    staging = Path(tempfile.mkdtemp(prefix=LETTERS_PREFIX, dir=odd))
    marker = note_pending(database, staging)
    assert marker is not None
    aged(marker)
    assert remove_stale_files(database, now=NOW) == [marker]
    assert not staging.exists() and odd.is_dir()
