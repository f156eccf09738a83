"""Undoing an import: everything it wrote goes, unless something happened since."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import Database
from db.errors import Conflict, NotFound
from db.importing.undo import UndoResult, undo_import
from db.importing.workflow import ImportOptions, run_import
from db.models import Attendance, ImportBatch, Meeting, Person
from db.people import count_people
from tests.db.importing.people import add
from tests.db.importing.test_apply import ANN, BOB, OPTIONS, TODAY, dump, prepared

BOOKKEEPING = ("import_batch", "import_change", "import_source", "audit_entry")


def without_bookkeeping(tables: dict[str, list[object]]) -> dict[str, list[object]]:
    return {name: rows for name, rows in tables.items() if name not in BOOKKEEPING}


def test_undo_removes_the_people_an_import_created(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add(session, "Cat", "Brown", number="0700001")
    before = without_bookkeeping(dump(database))
    _, result = run_import(database, prepared(database, tmp_path / "m.csv", ANN, BOB), OPTIONS)

    with database.session() as session:
        undone = undo_import(session, result.batch_id)
    assert (undone.removed, undone.restored) == (2, 0)
    assert without_bookkeeping(dump(database)) == before
    with database.session() as session:
        batch = session.get_one(ImportBatch, result.batch_id)
        assert batch.status == "rolled_back" and batch.undone_at is not None
        assert count_people(session, "jones") == 0


def test_undo_puts_back_what_an_import_changed(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add(session, "Ann", "Jones", number="0805914", email="ann@example.org", status="lapsed")
        add(session, "Cat", "Brown", number="0700001", line1="5 Park Road")
    before = content(database)
    changed = {**ANN, "Last Name": "Smith", "Address Line 1": "9 Mill Lane", "Email": "a@b.org"}
    found = prepared(database, tmp_path / "m.csv", changed)
    _, result = run_import(database, found, ImportOptions(full_list=True, today=TODAY))
    assert result.counts["updated"] == 1 and result.counts["lapsed"] == 1

    with database.session() as session:
        undone = undo_import(session, result.batch_id)
    assert undone.restored == 2
    assert content(database) == before
    with database.session() as session:
        assert count_people(session, "smith") == 0
        assert count_people(session, "jones") == 1


def content(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """What the branch knows, without bookkeeping: an undo is itself an edit, so the rows it
    puts back carry a newer version and time. A household the import moved someone out of
    is kept, empty."""
    assert database.path is not None
    with sqlite3.connect(database.path) as connection:
        found = {}
        for table in ("person", "household", "email_address", "phone_number"):
            columns = [
                name
                for _, name, *_ in connection.execute(f"PRAGMA table_info({table})")
                if name not in ("version", "created_at", "updated_at")
            ]
            found[table] = sorted(
                connection.execute(f"SELECT {', '.join(columns)} FROM {table}"), key=repr
            )
        return found


def test_undo_refuses_when_an_edit_since_would_be_overwritten(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914")
    found = prepared(database, tmp_path / "m.csv", {**ANN, "Last Name": "Smith"})
    _, result = run_import(database, found, OPTIONS)
    with database.session() as session:
        session.get_one(Person, ann).last_name = "Smyth"  # the branch corrects the list
    before = dump(database)

    with pytest.raises(Conflict) as refused, database.session() as session:
        undo_import(session, result.batch_id)
    message = str(refused.value)
    assert "Ann Smyth's last name" in message and "cannot be undone" in message
    assert dump(database) == before


def test_undo_refuses_to_delete_someone_met_since(database: Database, tmp_path: Path) -> None:
    _, result = run_import(database, prepared(database, tmp_path / "m.csv", ANN), OPTIONS)
    with database.session() as session:
        ann = session.scalars(select(Person.id)).one()
        meeting = Meeting(kind="branch", title="Branch meeting", starts_at=_noon())
        session.add(meeting)
        session.flush()
        session.add(Attendance(meeting_id=meeting.id, person_id=ann, status="present"))
    before = dump(database)
    with pytest.raises(Conflict, match="Ann Jones \\(added by it\\)"), database.session() as s:
        undo_import(s, result.batch_id)
    assert dump(database) == before


def test_undo_refuses_twice_and_unknown_batches(database: Database, tmp_path: Path) -> None:
    _, result = run_import(database, prepared(database, tmp_path / "m.csv", ANN), OPTIONS)
    with database.session() as session:
        undo_import(session, result.batch_id)
    with pytest.raises(Conflict, match="already undone"), database.session() as session:
        undo_import(session, result.batch_id)
    with pytest.raises(NotFound, match="no import 99"), database.session() as session:
        undo_import(session, 99)


def test_undo_of_an_earlier_import_waits_for_the_later_one(
    database: Database, tmp_path: Path
) -> None:
    _, first = run_import(database, prepared(database, tmp_path / "a.csv", ANN), OPTIONS)
    _, second = run_import(
        database, prepared(database, tmp_path / "b.csv", {**ANN, "Last Name": "Smith"}), OPTIONS
    )
    later = f"imported again by import {second.batch_id}"
    with pytest.raises(Conflict, match=later), database.session() as session:
        undo_import(session, first.batch_id)
    with database.session() as session:
        undo_import(session, second.batch_id)
    with database.session() as session:
        undo_import(session, first.batch_id)
        assert session.scalars(select(Person.id)).all() == []


def _noon() -> dt.datetime:
    return dt.datetime(2026, 3, 1, 12, 0)


def test_the_undo_is_told_in_a_sentence() -> None:
    assert UndoResult(3, 1, 1, "Nov.xlsx").describe() == (
        "Undid import 3 (Nov.xlsx): removed 1 person it had added and put back 1 person's details."
    )
    assert (
        UndoResult(4, 2, 0, "Dec.csv")
        .describe()
        .endswith("removed 2 people it had added and put back 0 people's details.")
    )
