"""``branchbook backup`` and ``branchbook restore`` killed at 10 moments each, from start-up to
the end: the branch always opens and passes SQLite's checks; a backup never changes it and
its file is either absent or whole; a restore leaves either the branch as it was or the
backup, with the branch as it was kept whole beside it."""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from db.backup import TEMP_PREFIX, make_backup, open_backup
from db.database import open_database
from tests.crash.conftest import PEOPLE
from tests.crash.kills import (
    INTERRUPTED_SHARE,
    child_env,
    cli,
    copy_database,
    kill_spread,
    leftovers,
    opened_and_sound,
    timed_alongside,
)
from tests.helpers.checks import dump_tables

KILLS = 10
BACKUP_SEED = 5_003
RESTORE_SEED = 5_004
PASSPHRASE = "a long walk to the polling station"
BACKUP = "branch.bbk"


def test_a_killed_backup_leaves_the_branch_as_it_was_and_no_half_backup(
    crash_branch: Path, startup_seconds: float, tmp_path: Path
) -> None:
    env = child_env(BRANCHBOOK_BACKUP_PASSPHRASE=PASSPHRASE)
    with opened_and_sound(copy_database(crash_branch, tmp_path)) as database:
        before = dump_tables(database)

    def prepare(folder: Path) -> list[str]:
        return cli("--db", copy_database(crash_branch, folder), "backup", "-o", folder / BACKUP)

    finished = timed_alongside(prepare, tmp_path, env)
    assert open_backup(finished.folder / BACKUP, passphrase=PASSPHRASE).info.people == PEOPLE

    moments, runs = kill_spread(
        prepare, BACKUP_SEED, KILLS, (startup_seconds, finished.seconds), tmp_path, env
    )

    outcomes: Counter[str] = Counter()
    for run in runs:
        with opened_and_sound(run.folder / "branch.sqlite3") as database:
            assert dump_tables(database) == before, run.folder
        written = run.folder / BACKUP
        if written.exists():
            # Decrypted and checked page by page: a torn file would fail here.
            assert open_backup(written, passphrase=PASSPHRASE).info.people == PEOPLE
            outcomes["backup whole"] += 1
        else:
            outcomes["no backup"] += 1
        # Sealed, so a leftover holds nothing readable; it never has the backup's own name.
        outcomes["partial files left"] += len(leftovers(run.folder, f"{TEMP_PREFIX}*"))
    print(f"backup kills at {[round(m, 2) for m in moments]}s: {dict(outcomes)}")
    assert sum(run.interrupted for run in runs) >= KILLS * INTERRUPTED_SHARE, moments


@pytest.fixture(scope="module")
def branch_backup(crash_branch: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crash branch, sealed as a backup."""
    target = tmp_path_factory.mktemp("crash-backup") / BACKUP
    database = open_database(crash_branch, actor="crash-test")
    try:
        make_backup(database, target, passphrase=PASSPHRASE)
    finally:
        database.close()
    return target


def _changed_branch(crash_branch: Path, folder: Path) -> Path:
    """The branch after a month of work, so the backup and the live file differ."""
    path = copy_database(crash_branch, folder)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE person SET notes = 'Seen at the stall' WHERE id % 3 = 0")
        connection.execute("DELETE FROM attendance WHERE id % 2 = 0")
    return path


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with opened_and_sound(path) as database:
        dump = dump_tables(database)
    # dump_tables leaves its connection to the garbage collector; still open, it would make
    # the restore refuse, as it rightly does for any program holding the file.
    gc.collect()
    return dump


def test_a_killed_restore_leaves_the_branch_or_the_backup_and_loses_neither(
    crash_branch: Path, branch_backup: Path, startup_seconds: float, tmp_path: Path
) -> None:
    env = child_env(BRANCHBOOK_BACKUP_PASSPHRASE=PASSPHRASE)
    as_it_was = _dump(_changed_branch(crash_branch, tmp_path))

    def prepare(folder: Path) -> list[str]:
        return cli("--db", _changed_branch(crash_branch, folder), "restore", branch_backup, "--yes")

    finished = timed_alongside(prepare, tmp_path, env)
    restored = _dump(finished.folder / "branch.sqlite3")
    assert restored != as_it_was

    moments, runs = kill_spread(
        prepare, RESTORE_SEED, KILLS, (startup_seconds, finished.seconds), tmp_path, env
    )

    outcomes: Counter[str] = Counter()
    for run in runs:
        path = run.folder / "branch.sqlite3"
        set_aside = list(run.folder.glob("branch.before-restore-*.sqlite3"))
        # A missing file would open as a new, empty branch: the secretary's data only in a
        # file with a name they have never seen.
        assert path.exists(), f"{run.folder}: the database is gone (set aside: {set_aside})"
        now = _dump(path)
        if now == as_it_was:
            outcomes["as it was"] += 1
        else:
            assert now == restored, run.folder
            assert [_dump(aside) for aside in set_aside] == [as_it_was], run.folder
            outcomes["restored"] += 1
        outcomes["plain partial files left"] += len(leftovers(run.folder, f"{TEMP_PREFIX}*"))
    print(f"restore kills at {[round(m, 2) for m in moments]}s: {dict(outcomes)}")
    assert sum(run.interrupted for run in runs) >= KILLS * INTERRUPTED_SHARE, moments
