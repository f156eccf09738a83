"""The people kept, read while the file is parsed, are used only while nothing has changed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import Database
from db.importing.known_snapshot import Known, KnownSnapshot
from db.importing.workflow import PreparedImport, prepare_import, preview_import, run_import
from db.models import Person
from tests.db.importing.people import add, write_csv
from tests.db.importing.test_apply import ANN, BOB, HEADER, OPTIONS, TODAY


def _prepare(database: Database, tmp_path: Path, *rows: dict[str, str]) -> PreparedImport:
    return prepare_import(database, write_csv(tmp_path / "list.csv", HEADER, rows), today=TODAY)


def _taken(database: Database, snapshot: KnownSnapshot) -> Known | None:
    with database.session() as session:
        known = snapshot.take(session)
        session.rollback()
    return known


def _read_ahead_of_cat(database: Database, tmp_path: Path) -> PreparedImport:
    """Cat kept, then a list read: what was read beside the file holds Cat."""
    with database.session() as session:
        add(session, "Cat", "Smith", number="0000001")
    found = _prepare(database, tmp_path, ANN)
    assert found.known is not None
    known = _taken(database, found.known)
    assert known is not None and known.index.by_number == {"0000001": 1}
    return found


def test_the_snapshot_is_used_until_someone_commits(database: Database, tmp_path: Path) -> None:
    found = _read_ahead_of_cat(database, tmp_path)
    assert found.known is not None
    # A preview writes nothing, so the run still uses what was read during the parse.
    preview_import(database, found, OPTIONS)
    assert _taken(database, found.known) is not None
    with database.session() as session:
        add(session, "Dan", "Smith", number="0000002")
    assert _taken(database, found.known) is None


def test_a_member_added_after_the_file_was_read_is_matched_not_added_again(
    database: Database, tmp_path: Path
) -> None:
    found = _prepare(database, tmp_path, ANN)
    # Added in the window while the preview was open: the snapshot no longer holds.
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914")
    plan, result = run_import(database, found, OPTIONS)
    assert result.counts["created"] == 0
    assert [row.person_id for row in plan.rows] == [ann]
    with database.session() as session:
        assert session.scalars(select(Person.id)).all() == [ann]


def test_a_household_made_after_the_file_was_read_is_joined(
    database: Database, tmp_path: Path
) -> None:
    found = _prepare(database, tmp_path, BOB)
    with database.session() as session:
        ann = add(session, "Ann", "Jones", line1="1 High Street", postcode="LS1 1AA")
        household = session.get(Person, ann).household_id  # type: ignore[union-attr]
    _plan, result = run_import(database, found, OPTIONS)
    assert result.counts["created"] == 1
    with database.session() as session:
        bob = session.scalars(select(Person).where(Person.first_name == "Bob")).one()
        assert bob.household_id == household


def test_an_encrypted_database_is_read_ahead_too(tmp_path: Path) -> None:
    from db.database import open_database
    from db.keys import Credentials, generate_key

    database = open_database(
        tmp_path / "branch.sqlite3", credentials=Credentials(key=generate_key())
    )
    try:
        assert database.encrypted
        _read_ahead_of_cat(database, tmp_path)
    finally:
        database.close()


def test_the_import_lets_go_of_the_file_when_it_is_done(database: Database, tmp_path: Path) -> None:
    found = _prepare(database, tmp_path, ANN)
    assert found.known is not None
    assert _taken(database, found.known) is not None  # the reading has ended
    assert found.known.holds_file_open
    run_import(database, found, OPTIONS)
    # Closed: Windows could not replace the file (a restore) while it was open.
    assert not found.known.holds_file_open
    assert _taken(database, found.known) is None


def test_closed_while_still_reading_it_lets_go_when_the_reading_ends(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add(session, "Cat", "Smith", number="0000001")
    snapshot = KnownSnapshot(database)
    snapshot.close()  # as when the file turns out not to be a spreadsheet
    assert _taken(database, snapshot) is None  # waits for the reading to end
    assert not snapshot.holds_file_open


def test_a_file_that_cannot_be_read_is_one_sentence_as_before(
    database: Database, tmp_path: Path
) -> None:
    from db.errors import UserError

    bad = tmp_path / "members.xlsx"
    bad.write_bytes(b"not a workbook at all")
    running = set(threading.enumerate())
    with pytest.raises(UserError, match="members.xlsx"):
        prepare_import(database, bad)
    for thread in set(threading.enumerate()) - running:
        thread.join(timeout=30)  # the reading beside it ends on its own
        assert not thread.is_alive()
