"""Undoing a merge puts both records back exactly; a later edit to the kept one stops it."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import select

from db.database import Database
from db.duplicates import dismissed_pairs, mark_not_duplicate
from db.errors import Conflict
from db.models import AuditEntry, EmailAddress, Meeting, Person
from db.people import list_people
from db.unmerge import MergeSnapshot, merge_undoably, unmerge
from tests.db.test_merge import _person_tables, _two_records
from tests.helpers.checks import dump_tables
from tests.helpers.table_contents import contents


def _everything(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but the audit trail, every column (versions and timestamps too)."""
    tables = dump_tables(database)
    del tables["audit_entry"]
    return tables


def _search_index_is_sound(database: Database) -> None:
    assert database.path is not None
    with sqlite3.connect(database.path) as connection:
        # An external-content index checks itself against the person table.
        connection.execute("INSERT INTO person_fts(person_fts) VALUES ('integrity-check')")


def _merged(database: Database) -> tuple[int, int, MergeSnapshot, dict[str, list[Any]]]:
    with database.session() as session:
        keep_id, other_id, _ids = _two_records(session)
        third = Person(first_name="Bob", last_name="Jones")
        fourth = Person(first_name="Cat", last_name="Jones")
        session.add_all([third, fourth])
        session.flush()
        mark_not_duplicate(session, other_id, third.id)
        mark_not_duplicate(session, keep_id, fourth.id)
    before = _everything(database)
    with database.session() as session:
        other_audit = session.scalars(
            select(AuditEntry.id).where(AuditEntry.person_id == other_id)
        ).all()
        assert other_audit  # its insert, at least: it must go back to other
        _result, snapshot = merge_undoably(session, keep_id, other_id)
    assert set(snapshot.audit_ids) == set(other_audit)
    assert _everything(database) != before
    return keep_id, other_id, snapshot, before


def test_the_snapshot_holds_one_of_every_kind_of_linked_row(database: Database) -> None:
    _keep_id, other_id, snapshot, _before = _merged(database)
    for table in _person_tables():
        if table.name == "audit_entry":
            continue  # not a foreign key: its ids are kept apart
        rows = snapshot.before.linked[table.name]
        assert any(row["person_id"] == other_id for row in rows), table.name
    assert len(snapshot.before.settings) == 2
    assert set(snapshot.before.people) == {_keep_id, other_id}


def test_unmerge_puts_the_database_back_exactly(database: Database) -> None:
    keep_id, other_id, snapshot, before = _merged(database)
    with database.session() as session:
        result = unmerge(session, snapshot)
    assert result.restored["person"] == 2
    assert _everything(database) == before
    _search_index_is_sound(database)
    with database.session() as session:
        found = {row.id for row in list_people(session, "Jones")}
        assert {keep_id, other_id} <= found
        # Only other has the middle name; the merge had given it to keep as well.
        assert [row.id for row in list_people(session, "Mary")] == [other_id]
        assert [row.id for row in list_people(session, "222")] == [other_id]
        trail = session.scalars(select(AuditEntry.id).where(AuditEntry.person_id == other_id)).all()
        assert set(snapshot.audit_ids) <= set(trail)
        undone = session.scalars(select(AuditEntry).where(AuditEntry.action == "rollback")).one()
        assert undone.person_id == keep_id
        assert undone.summary is not None
        assert undone.summary.startswith(
            f"Undid the merge of Anne Mary Jones (id {other_id}) into Ann Jones (id {keep_id})"
        )
        assert len(dismissed_pairs(session)) == 2


def test_redo_merges_again_to_the_same_result(database: Database) -> None:
    keep_id, other_id, snapshot, before = _merged(database)
    merged = contents(database)
    with database.session() as session:
        unmerge(session, snapshot)
    with database.session() as session:
        _result, again = merge_undoably(session, keep_id, other_id)
    # Only keep's updated_at is new.
    assert contents(database) == merged
    with database.session() as session:
        unmerge(session, again)
    assert _everything(database) == before


def test_a_later_edit_to_keep_stops_the_unmerge(database: Database) -> None:
    keep_id, _other_id, snapshot, _before = _merged(database)
    with database.session() as session:
        keep = session.get(Person, keep_id)
        assert keep is not None
        keep.notes = "Phoned after the merge."
    changed = dump_tables(database)
    with database.session() as session, pytest.raises(Conflict) as refused:
        unmerge(session, snapshot)
    assert str(refused.value).startswith(f"Ann Jones (id {keep_id}) has been changed since")
    assert dump_tables(database) == changed


def test_a_later_row_of_keep_stops_the_unmerge(database: Database) -> None:
    keep_id, _other_id, snapshot, _before = _merged(database)
    with database.session() as session:
        meeting = session.scalars(select(Meeting)).first()
        assert meeting is not None
        session.delete(meeting)  # keep's attendance at it goes with it
    changed = dump_tables(database)
    with database.session() as session, pytest.raises(Conflict):
        unmerge(session, snapshot)
    assert dump_tables(database) == changed


def test_an_id_taken_since_the_merge_stops_the_unmerge(database: Database) -> None:
    _keep_id, _other_id, snapshot, _before = _merged(database)
    folded = {row["id"] for row in snapshot.before.linked["email_address"]} - {
        row["id"] for row in snapshot.after.linked["email_address"]
    }
    assert len(folded) == 1  # ANN@example.org, one address with keep's
    with database.session() as session:  # SQLite hands a freed id out again
        someone = session.scalars(select(Person).where(Person.first_name == "Bob")).one()
        session.add(EmailAddress(id=folded.pop(), person_id=someone.id, address="bob@example.org"))
    changed = dump_tables(database)
    with database.session() as session, pytest.raises(Conflict) as refused:
        unmerge(session, snapshot)
    assert str(refused.value).startswith("An email address added since the merge")
    assert dump_tables(database) == changed
