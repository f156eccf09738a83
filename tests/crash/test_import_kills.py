"""``branchbook import`` of an 800-row list killed at 18 moments from start-up to the end:
every time the branch opens, passes SQLite's checks and holds the whole import or none of it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from db.models import ImportBatch
from tests.crash.conftest import LIST_ROWS
from tests.crash.kills import (
    INTERRUPTED_SHARE,
    cli,
    copy_database,
    kill_spread,
    opened_and_sound,
    table_counts,
    timed_alongside,
)
from tests.helpers.checks import dump_tables

KILLS = 18
SEED = 5_001


def test_a_killed_import_leaves_all_of_its_batch_or_none(
    crash_branch: Path,
    member_list: Path,
    startup_seconds: float,
    tmp_path: Path,
) -> None:
    with opened_and_sound(copy_database(crash_branch, tmp_path)) as database:
        before = dump_tables(database)
    before_counts = table_counts(tmp_path / "branch.sqlite3")

    def prepare(folder: Path) -> list[str]:
        return cli("--db", copy_database(crash_branch, folder), "import", member_list)

    finished = timed_alongside(prepare, tmp_path)
    finished_path = finished.folder / "branch.sqlite3"
    after = table_counts(finished_path)
    with opened_and_sound(finished_path) as database, database.session() as session:
        rows_read = session.scalars(select(ImportBatch.row_count)).one()
    # The list must add thousands of people, or the kills below would interrupt nothing.
    assert after["person"] - before_counts["person"] > LIST_ROWS * 0.95
    assert after["import_batch"] == before_counts["import_batch"] + 1

    moments, runs = kill_spread(prepare, SEED, KILLS, (startup_seconds, finished.seconds), tmp_path)

    outcomes: Counter[str] = Counter()
    for run in runs:
        path = run.folder / "branch.sqlite3"
        with opened_and_sound(path) as database:
            counts = table_counts(path)
            if counts["import_batch"] == before_counts["import_batch"]:
                # Not a row of the batch, not even the saved column mapping.
                assert dump_tables(database) == before, run.folder
                outcomes["none"] += 1
            else:
                assert counts == after, run.folder
                with database.session() as session:
                    batch = session.scalars(select(ImportBatch)).one()
                assert (batch.status, batch.row_count) == ("committed", rows_read)
                assert batch.finished_at is not None
                outcomes["all"] += 1
    # Shown with -rP: how many kills left the whole import, and how many left none of it.
    print(f"import kills at {[round(m, 2) for m in moments]}s: {dict(outcomes)}")
    assert sum(run.interrupted for run in runs) >= KILLS * INTERRUPTED_SHARE, moments
