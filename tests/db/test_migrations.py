"""The schema exists only through migrations, and opening a database upgrades it safely."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from db.database import Database, open_database
from db.errors import DatabaseError, DatabaseTooNew
from db.migrate import head_revision, script_directory, upgrade_database
from db.models import Base
from db.schema import SCHEMA_HEAD
from tests.helpers.checks import schema_differences


def test_models_and_migration_head_agree(database: Database) -> None:
    assert schema_differences(database) == []


def test_revision_chain_is_linear() -> None:
    scripts = script_directory()
    revisions = list(scripts.walk_revisions())
    assert scripts.get_heads() == [head_revision()] == [SCHEMA_HEAD]
    assert len(scripts.get_bases()) == 1
    for revision in revisions:
        assert not revision.is_merge_point
        assert len(revision.nextrev) <= 1, f"{revision.revision} branches"
    files = sorted(p.name for p in Path(scripts.versions).glob("*.py"))
    assert len(files) == len(revisions)


def test_a_new_database_is_at_head_with_every_table(database: Database) -> None:
    with database.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = {
            row[0]
            for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    assert revision == head_revision()
    assert set(Base.metadata.tables) <= tables
    assert "person_fts" in tables


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(database: Database) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_opening_an_older_database_copies_it_then_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = open_database(path, upgrade=False)
    upgrade_database(old, target="0001")
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (first_name, last_name, status, follow_up, sort_key, "
                "search_text, version) VALUES ('Siân', 'Evans', 'member', 0, 'evans sian', "
                "'sian evans', 1)"
            )
        )
    old.close()

    reopened = open_database(path)
    try:
        with reopened.engine.connect() as connection:
            assert (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                == head_revision()
            )
            # The search index built by the later revision covers people already there.
            found = connection.execute(
                text("SELECT rowid FROM person_fts WHERE person_fts MATCH 'sian*'")
            ).all()
            assert len(found) == 1
    finally:
        reopened.close()

    backups = list(tmp_path.glob("old.before-upgrade-0001-*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT first_name FROM person").fetchall() == [("Siân",)]
    finally:
        copy.close()


def test_a_database_at_head_is_not_copied_again(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite3"
    open_database(path).close()
    open_database(path).close()
    assert [p.name for p in tmp_path.iterdir() if "before-upgrade" in p.name] == []


def test_a_database_from_a_newer_branchbook_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer Branchbook"):
        open_database(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(DatabaseError, match="not a Branchbook one"):
        open_database(path)


def test_a_file_that_is_not_a_database_gets_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list: milk, eggs\n" * 200)
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    assert str(caught.value) == f"{path} is not a Branchbook database (or it is encrypted)."
