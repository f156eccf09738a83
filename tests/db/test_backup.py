"""Backups: sealed with a passphrase, restored row for row, rotated, and never a plain copy
on disk; a wrong passphrase, a damaged file or a busy database is one sentence."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

import db.backup as backup_module
from db.backup import (
    POSTGRESQL_REFUSED,
    TEMP_PREFIX,
    backup_if_due,
    backup_info,
    backup_name,
    backup_to_folder,
    backups_to_keep,
    bring_up_to_date,
    due_for_daily,
    list_backups,
    make_backup,
    open_backup,
    own_backups,
    prune_backups,
    restore_backup,
)
from db.backup_crypto import (
    MAGIC,
    WRONG_PASSPHRASE,
    BackupDamaged,
    WrongPassphrase,
    write_sealed,
)
from db.database import Database, open_database
from db.errors import Cancelled, DatabaseLocked, DatabaseTooNew, UserError
from db.models import Person
from tests.helpers.checks import dump_tables

PASSPHRASE = "a long walk to the polling station"


@pytest.fixture
def backup_file(demo_database: Database, tmp_path: Path) -> Path:
    target = tmp_path / "out" / "branch.bbk"
    target.parent.mkdir()
    make_backup(demo_database, target, passphrase=PASSPHRASE)
    return target


def _change_everything(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE person SET first_name = 'Changed' WHERE id % 3 = 0")
        connection.execute("DELETE FROM attendance")
        connection.execute("INSERT INTO tag (name, version) VALUES ('after the backup', 1)")
    connection.close()


def test_a_restore_gives_back_every_row_of_every_table(
    demo_database: Database, tmp_path: Path
) -> None:
    before = dump_tables(demo_database)
    target = tmp_path / "branch.bbk"
    info = make_backup(demo_database, target, passphrase=PASSPHRASE)
    assert info.encrypted and info.people == 400 and info.source_name == "demo.sqlite3"
    assert info.schema_revision is not None
    demo_database.close()
    path = demo_database.path
    assert path is not None
    _change_everything(path)
    assert dump_tables(demo_database) != before
    # dump_tables leaves its connection to the garbage collector; open, it would (rightly)
    # make the restore refuse, as it does for any other program holding the file.
    gc.collect()

    restored = restore_backup(target, path, passphrase=PASSPHRASE)

    assert dump_tables(demo_database) == before
    assert restored.backup.people == 400
    assert restored.set_aside is not None and restored.set_aside.name.startswith(
        "demo.before-restore-"
    )
    assert restored.set_aside.suffix == ".sqlite3"
    # The set-aside file holds the database as it was just before: the restore can be undone.
    with sqlite3.connect(restored.set_aside) as aside:
        assert aside.execute("SELECT count(*) FROM attendance").fetchone() == (0,)
    aside.close()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(TEMP_PREFIX)] == []
    bring_up_to_date(demo_database)
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 400
    reopened = open_database(path)
    try:
        with reopened.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        reopened.close()


def test_a_restore_onto_a_new_laptop_needs_no_database_there(
    backup_file: Path, demo_database: Database, tmp_path: Path
) -> None:
    fresh = tmp_path / "new laptop" / "branchbook.sqlite3"
    restored = restore_backup(backup_file, fresh, passphrase=PASSPHRASE)
    assert restored.set_aside is None
    copy = open_database(fresh)
    try:
        assert dump_tables(copy) == dump_tables(demo_database)
    finally:
        copy.close()


def test_the_backup_file_holds_no_plain_database_and_no_names(
    backup_file: Path, demo_database: Database
) -> None:
    with demo_database.session() as session:
        names = session.execute(select(Person.last_name, Person.first_name).limit(50)).all()
    data = backup_file.read_bytes()
    assert data.startswith(MAGIC)
    assert b"SQLite format 3" not in data
    for last, first in names:
        assert last.encode() not in data and first.encode() not in data
    header = backup_info(backup_file)
    assert header.encrypted and header.people == 400


def test_no_plain_copy_appears_on_disk_while_the_backup_is_made(
    demo_database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    seen: list[bytes] = []

    def look(_done: int, _total: int, _label: str) -> None:
        for path in folder.iterdir():
            seen.append(path.read_bytes()[:16])

    make_backup(demo_database, folder / "b.bbk", passphrase=PASSPHRASE, progress=look)
    assert seen, "the folder was looked at while the backup was written"
    assert all(not head.startswith(b"SQLite format 3") for head in seen)


def test_a_wrong_passphrase_is_one_sentence(backup_file: Path, tmp_path: Path) -> None:
    with pytest.raises(WrongPassphrase) as caught:
        open_backup(backup_file, passphrase="not the one we used at all")
    assert str(caught.value) == WRONG_PASSPHRASE
    assert WRONG_PASSPHRASE == "The passphrase is not right, or the backup file is damaged."
    with pytest.raises(WrongPassphrase, match="is encrypted: give the passphrase"):
        open_backup(backup_file, passphrase=None)


@pytest.mark.parametrize("where", ["payload", "metadata", "tag"])
def test_a_damaged_file_is_the_same_sentence(backup_file: Path, where: str) -> None:
    data = bytearray(backup_file.read_bytes())
    metadata = data.index(b'"people"') + 2  # still JSON, but not what was sealed
    position = {"payload": len(data) // 2, "metadata": metadata, "tag": len(data) - 3}[where]
    data[position] ^= 0x01
    backup_file.write_bytes(bytes(data))
    with pytest.raises(WrongPassphrase) as caught:
        open_backup(backup_file, passphrase=PASSPHRASE)
    assert str(caught.value) == WRONG_PASSPHRASE


def test_a_short_or_foreign_file_is_one_sentence(backup_file: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.bbk"
    cut.write_bytes(backup_file.read_bytes()[:5000])
    with pytest.raises(BackupDamaged, match=r"^cut\.bbk is damaged: it is cut short\.$"):
        open_backup(cut, passphrase=PASSPHRASE)
    foreign = tmp_path / "photo.bbk"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(UserError, match=r"^photo\.bbk is not a Branchbook backup\.$"):
        open_backup(foreign, passphrase=PASSPHRASE)
    with pytest.raises(UserError, match="does not exist"):
        open_backup(tmp_path / "missing.bbk", passphrase=PASSPHRASE)


def test_without_a_passphrase_the_header_says_so_and_damage_is_still_caught(
    demo_database: Database, tmp_path: Path
) -> None:
    target = tmp_path / "plain.bbk"
    info = make_backup(demo_database, target, passphrase=None)
    assert not info.encrypted and not backup_info(target).encrypted
    assert open_backup(target, passphrase=None).info.people == 400
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(BackupDamaged, match="do not match its checksum"):
        open_backup(target, passphrase=None)


def test_a_short_passphrase_is_refused_before_anything_is_written(
    demo_database: Database, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="at least 8 characters"):
        make_backup(demo_database, tmp_path / "b.bbk", passphrase="short")
    assert not (tmp_path / "b.bbk").exists()


@pytest.mark.parametrize("stage", ["Copying", "Encrypting"])
def test_a_cancelled_backup_leaves_no_file(
    demo_database: Database, tmp_path: Path, stage: str
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
            demo_database, folder, passphrase=PASSPHRASE, progress=progress, cancelled=lambda: stop
        )
    assert [p.name for p in folder.iterdir()] == ["branchbook-2026-01-01-120000.bbk"]


def test_the_backup_never_overwrites_the_database(demo_database: Database) -> None:
    assert demo_database.path is not None
    with pytest.raises(UserError, match="is the database itself"):
        make_backup(demo_database, demo_database.path, passphrase=PASSPHRASE)


def test_a_missing_folder_asks_for_the_usb_stick(demo_database: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="plug the stick in"):
        backup_to_folder(demo_database, tmp_path / "E", passphrase=PASSPHRASE)


def test_a_postgresql_database_is_refused_in_one_sentence() -> None:
    url = make_url("postgresql+psycopg://officer@server/branch")
    shared = Database(url=url, engine=create_engine("sqlite://"), actor="officer")
    with pytest.raises(UserError) as caught:
        make_backup(shared, Path("unused.bbk"), passphrase=PASSPHRASE)
    assert str(caught.value) == POSTGRESQL_REFUSED


def test_a_restore_is_refused_while_another_program_has_the_database_open(
    backup_file: Path, demo_database: Database
) -> None:
    path = demo_database.path
    assert path is not None
    before = dump_tables(demo_database)
    other = sqlite3.connect(path)  # idle, but open: it would go on writing to the old file
    other.execute("SELECT count(*) FROM person").fetchone()
    try:
        demo_database.close()
        with pytest.raises(DatabaseLocked, match="is open in another Branchbook window"):
            restore_backup(backup_file, path, passphrase=PASSPHRASE)
    finally:
        other.close()
    assert dump_tables(demo_database) == before
    leftovers = [p.name for p in path.parent.iterdir() if "before-restore" in p.name]
    assert leftovers == []
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(TEMP_PREFIX)] == []


def test_a_backup_from_a_newer_branchbook_is_refused(
    demo_database: Database, tmp_path: Path
) -> None:
    assert demo_database.path is not None
    demo_database.close()
    with sqlite3.connect(demo_database.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    newer = open_database(demo_database.path, upgrade=False)
    try:
        make_backup(newer, tmp_path / "newer.bbk", passphrase=PASSPHRASE)
    finally:
        newer.close()
    with pytest.raises(DatabaseTooNew, match="made by a newer Branchbook"):
        open_backup(tmp_path / "newer.bbk", passphrase=PASSPHRASE)


# rotation ------------------------------------------------------------------------------


def _expected_keep(stamps: list[dt.datetime]) -> set[dt.datetime]:
    """The policy said another way: by day, then by week, each newest first."""
    by_day: dict[dt.date, dt.datetime] = {}
    for stamp in stamps:
        by_day[stamp.date()] = max(stamp, by_day.get(stamp.date(), stamp))
    days = sorted(by_day, reverse=True)
    daily = {by_day[day] for day in days[:7]}
    older = [s for s in stamps if s.date() < days[6]] if len(days) > 7 else []
    by_week: dict[tuple[int, int], dt.datetime] = {}
    for stamp in older:
        week = stamp.isocalendar()[:2]
        by_week[week] = max(stamp, by_week.get(week, stamp))
    weekly = {by_week[week] for week in sorted(by_week, reverse=True)[:4]}
    return daily | weekly


def test_rotation_over_sixty_days_keeps_seven_daily_and_four_weekly(
    backup_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    strangers = {
        "holiday.jpg": b"\xff\xd8 a photo",
        "branchbook-notes.txt": b"minutes",
        "branchbook-2026-01-05-090000.bbk": b"someone else's file with our kind of name",
        "branchbook-2026-01-05.bbk": MAGIC + b" not our dated name",
    }
    for name, data in strangers.items():
        (folder / name).write_bytes(data)
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    made: list[dt.datetime] = []
    for day in range(60):
        if day % 9 == 4:
            continue  # the laptop stayed shut that day
        for hour in (0, 8) if day % 2 else (0,):
            when = start + dt.timedelta(days=day, hours=hour)
            shutil.copyfile(backup_file, folder / backup_name(when))
            made.append(when)
            prune_backups(folder)
            assert len(list_backups(folder)) <= 11
    kept = {when for when, _path in own_backups(folder)}
    assert kept == _expected_keep(made)
    assert len(kept) == 11
    for name, data in strangers.items():
        assert (folder / name).read_bytes() == data


def test_the_policy_on_a_small_example() -> None:
    def at(day: int, hour: int = 12) -> dt.datetime:
        return dt.datetime(2026, 3, 1, hour) + dt.timedelta(days=day)

    stamps = [at(d) for d in range(0, 30)] + [at(29, 18)]
    keep = backups_to_keep(stamps)
    daily = {at(d) for d in range(23, 29)} | {at(29, 18)}
    # 2026-03-24 (day 23) is a Tuesday: the weeks before begin with its own Monday, day 22.
    weekly = {at(22), at(21), at(14), at(7)}
    assert keep == daily | weekly


def test_backup_to_folder_names_and_rotates_real_backups(
    demo_database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    now = dt.datetime(2026, 11, 27, 18, 30, 5)
    done = backup_to_folder(demo_database, folder, passphrase=PASSPHRASE, now=now)
    assert done.backup.path.name == "branchbook-2026-11-27-183005.bbk"
    assert done.removed == []
    assert [info.path for info in list_backups(folder)] == [done.backup.path]


def test_due_for_daily_and_backup_if_due(
    backup_file: Path, demo_database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    now = dt.datetime(2026, 11, 27, 18, 0, 0)
    assert due_for_daily(folder, now)
    (folder / backup_name(now)).write_bytes(b"not ours, though named like ours")
    assert due_for_daily(folder, now)
    shutil.copyfile(backup_file, folder / backup_name(now - dt.timedelta(days=1)))
    assert due_for_daily(folder, now)
    first = backup_if_due(demo_database, folder, passphrase=PASSPHRASE, now=now)
    assert first is not None and not due_for_daily(folder, now)
    later = now + dt.timedelta(hours=2)
    assert backup_if_due(demo_database, folder, passphrase=PASSPHRASE, now=later) is None
    closing = backup_if_due(demo_database, folder, passphrase=PASSPHRASE, now=later, closing=True)
    assert closing is not None and closing.backup.path.name == backup_name(later)


def test_cancel_stops_the_copy_between_steps(
    demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 8)
    steps: list[int] = []

    def progress(done: int, _total: int) -> None:
        steps.append(done)

    with pytest.raises(Cancelled):
        backup_module._read_snapshot(
            demo_database, progress=progress, cancelled=lambda: len(steps) >= 3
        )
    assert len(steps) == 3
    image = backup_module._read_snapshot(demo_database)
    assert image[:16] == b"SQLite format 3\x00" and image[18:20] == b"\x01\x01"


def test_a_backup_whose_database_fails_its_check_is_refused(
    demo_database: Database, tmp_path: Path
) -> None:
    image = backup_module._read_snapshot(demo_database)
    page_size = int.from_bytes(image[16:18], "big")
    for page in range(1, 4):
        image[page * page_size] = 0x00  # no valid b-tree page type
    target = tmp_path / "broken.bbk"
    with target.open("wb") as out:
        write_sealed(out, image, {"created_at": "2026-11-27T18:00:00+00:00"}, PASSPHRASE)
    with pytest.raises(BackupDamaged, match=r"^broken\.bbk is damaged"):
        open_backup(target, passphrase=PASSPHRASE)


def test_a_restore_that_fails_at_the_last_step_leaves_the_branch_where_it_was(
    demo_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The current file is given a second name before the restored one replaces it, never
    moved away: the database's own path holds the whole branch at every moment."""
    import db.backup as backup_module

    target = tmp_path / "branch.bbk"
    make_backup(demo_database, target, passphrase=PASSPHRASE)
    demo_database.close()
    path = demo_database.path
    assert path is not None
    _change_everything(path)
    before = dump_tables(demo_database)
    gc.collect()
    real_replace = os.replace
    seen: list[bool] = []

    def replace(source: object, destination: object) -> None:
        if Path(str(destination)) == path:
            seen.append(path.exists())  # the branch is still there as the swap begins
            raise OSError(28, "No space left on device")
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_module.os, "replace", replace)
    with pytest.raises(UserError):
        restore_backup(target, path, passphrase=PASSPHRASE)
    assert seen == [True]
    monkeypatch.undo()
    assert dump_tables(demo_database) == before
    gc.collect()
    leftovers = [p.name for p in path.parent.iterdir() if "before-restore" in p.name]
    assert leftovers == [] and not any(
        p.name.startswith(TEMP_PREFIX) for p in path.parent.iterdir()
    )
