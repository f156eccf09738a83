"""Running ``branchbook`` in a child process and killing it part-way, and what is checked after.

A kill is ``Popen.kill()``: SIGKILL on POSIX and TerminateProcess on Windows, so nothing in
the child (no ``finally``, no ``atexit``, no rollback) runs. Whatever is on disk afterwards
is what a flat battery or a forced shutdown would leave.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from db.database import Database, open_database

REPOSITORY = Path(__file__).resolve().parents[2]
# At least this share of a test's kills must interrupt the child, or it tested little; the rest
# may finish first when a run is quicker than the one that was timed.
INTERRUPTED_SHARE = 0.5
# Two children at a time: each is single-threaded, CI has two cores, and the kills then cost
# half the wall time.
WORKERS = 2
# Every command writes in its last moments (the transaction's commit, the file's rename),
# which kills spread evenly would seldom hit. A quarter of them are spread over the last
# tenth of the run instead: run times vary more than that window is long, so some land
# before the write, some in it, and some after the child has finished.
END_SHARE = 0.25
END_FROM, END_TO = 0.90, 1.02


def cli(*args: str | Path) -> list[str]:
    """The ``branchbook`` command as a child process runs it, whatever the platform."""
    return [sys.executable, "-m", "desktop.cli", *(str(arg) for arg in args)]


@dataclass(frozen=True)
class Run:
    """One child: how long it ran and whether it was still running when it was killed."""

    folder: Path
    seconds: float
    interrupted: bool


def _start(
    argv: Sequence[str], folder: Path, env: dict[str, str] | None
) -> subprocess.Popen[bytes]:
    # Output to files, not pipes: a child blocked on a full pipe would be killed at a
    # moment that says nothing about the operation.
    with (folder / "stdout.txt").open("wb") as out, (folder / "stderr.txt").open("wb") as err:
        return subprocess.Popen(
            list(argv),
            cwd=REPOSITORY,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )


def run_to_the_end(argv: Sequence[str], folder: Path, env: dict[str, str] | None = None) -> Run:
    """Run a child to completion (it must succeed) and time it."""
    started = time.monotonic()
    child = _start(argv, folder, env)
    code = child.wait(timeout=120)
    seconds = time.monotonic() - started
    if code != 0:
        error = (folder / "stderr.txt").read_text(encoding="utf-8", errors="replace")
        raise AssertionError(f"{' '.join(argv)} failed ({code}): {error}")
    return Run(folder, seconds, interrupted=False)


def timed_alongside(
    prepare: Callable[[Path], list[str]], root: Path, env: dict[str, str] | None = None
) -> Run:
    """Run the command to the end in as many folders as there are workers, side by side as
    the kills will run (two at once are each slower than one alone), and time it.

    The first folder's run is returned, to compare killed runs with, and the mean time."""

    def one(index: int) -> Run:
        folder = root / f"finished-{index}"
        folder.mkdir()
        return run_to_the_end(prepare(folder), folder, env)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = list(pool.map(one, range(WORKERS)))
    return Run(runs[0].folder, sum(run.seconds for run in runs) / len(runs), interrupted=False)


def run_and_kill(
    argv: Sequence[str], folder: Path, after: float, env: dict[str, str] | None = None
) -> Run:
    """Start a child and kill it ``after`` seconds later, unless it has finished by then."""
    started = time.monotonic()
    child = _start(argv, folder, env)
    try:
        # Waited for, not slept through: a child that ends first says when it ended.
        code = child.wait(timeout=max(after - (time.monotonic() - started), 0))
    except subprocess.TimeoutExpired:
        child.kill()
        code = child.wait(timeout=120)
    # A clean run exits 0; a killed one with -SIGKILL on POSIX, 1 on Windows.
    return Run(folder, time.monotonic() - started, interrupted=code != 0)


def kill_moments(seed: int, count: int, start: float, duration: float) -> list[float]:
    """``count`` seeded moments in a ``duration``-long run: most from ``start`` to the end,
    one in each of as many equal slices, so early, middle and late are all hit; the rest
    in the same way over the last tenth, where the run writes."""
    rng = random.Random(seed)
    # Start-up is timed on its own, and on a busy machine it can take nearly as long as a
    # short command: the window never shrinks below the second half of the run.
    start = min(start, duration / 2)
    at_end = round(count * END_SHARE)
    return _spread(rng, count - at_end, start, duration * END_FROM) + _spread(
        rng, at_end, duration * END_FROM, duration * END_TO
    )


def _spread(rng: random.Random, count: int, first: float, last: float) -> list[float]:
    width = (last - first) / max(count, 1)
    return [first + width * (slice_ + rng.random()) for slice_ in range(count)]


def kill_many(
    prepare: Callable[[Path], list[str]],
    moments: Sequence[float],
    root: Path,
    env: dict[str, str] | None = None,
) -> list[Run]:
    """For each moment: a fresh folder made ready by ``prepare`` (which returns the command),
    the command started there and killed at that moment."""

    def one(index: int, moment: float) -> Run:
        folder = root / f"kill-{index:02d}"
        folder.mkdir()
        return run_and_kill(prepare(folder), folder, moment, env)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, range(len(moments)), moments))


def kill_spread(
    prepare: Callable[[Path], list[str]],
    seed: int,
    count: int,
    timing: tuple[float, float],
    root: Path,
    env: dict[str, str] | None = None,
) -> tuple[list[float], list[Run]]:
    """``count`` kills (``kill_moments`` over ``timing``: start-up and run seconds), and
    the moments and runs. The timing was taken a little earlier on a machine other tests
    share; when the children then ran so much faster that fewer than INTERRUPTED_SHARE of
    the kills found them still running, the kills are spread once more over the run time
    those children took, so the kills interrupt something whatever the load did."""
    start, duration = timing
    moments = kill_moments(seed, count, start, duration)
    runs = kill_many(prepare, moments, root, env)
    finished = sorted(run.seconds for run in runs if not run.interrupted)
    if len(runs) - len(finished) >= count * INTERRUPTED_SHARE:
        return moments, runs
    again = root / "again"
    again.mkdir()
    duration = finished[len(finished) // 2]
    more = kill_moments(seed + 1, count, min(start, duration / 2), duration)
    return moments + more, runs + kill_many(prepare, more, again, env)


def copy_database(template: Path, folder: Path, name: str = "branch.sqlite3") -> Path:
    # A cleanly closed template has no WAL beside it, so the one file is the whole database.
    assert not template.with_name(template.name + "-wal").exists()
    target = folder / name
    shutil.copyfile(template, target)
    return target


@contextmanager
def opened_and_sound(path: Path) -> Iterator[Database]:
    """The database as the next start would open it, after SQLite's own checks pass."""
    database = open_database(path, actor="crash-test")
    try:
        with database.session() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        yield database
    finally:
        database.close()


def table_counts(path: Path) -> dict[str, int]:
    """Every table's row count, the search index's own tables left out."""
    # closing(), not the connection's own "with", which commits but leaves it open.
    with closing(sqlite3.connect(path)) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'person_fts%'"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }


def leftovers(folder: Path, pattern: str) -> list[Path]:
    """Temporary files a killed child could not remove (nothing runs after SIGKILL)."""
    return sorted(folder.glob(pattern))


def child_env(**extra: str) -> dict[str, str]:
    """The test's environment (its throwaway home) plus ``extra``."""
    return {**os.environ, **extra}
