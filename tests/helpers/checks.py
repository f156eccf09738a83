"""Checks that hold on every backend, shared by the SQLite and PostgreSQL tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm.exc import StaleDataError

from db.database import Database
from db.migrate import include_object
from db.models import Base, Person


def schema_differences(database: Database) -> list[object]:
    """What Alembic would change to make the database match the models: nothing, we hope."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": include_object,
                "target_metadata": Base.metadata,
            },
        )
        return list(compare_metadata(context, Base.metadata))


def assert_stale_save_refused(database: Database, person_id: int) -> None:
    """Two officers open the same person; the second save, over the first, is refused."""
    first, second = database.new_session(), database.new_session()
    try:
        mine, theirs = first.get(Person, person_id), second.get(Person, person_id)
        assert mine is not None and theirs is not None
        # Neither holds a transaction open while editing, as in the window.
        first.commit()
        second.commit()
        mine.notes = "Has a car"
        first.commit()
        theirs.notes = "Welsh speaker"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    with database.session() as session:
        person = session.get(Person, person_id)
        assert person is not None and person.notes == "Has a car"


def dump_tables(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, straight from the file, for "nothing changed" comparisons."""
    assert database.path is not None
    # closing(): a sqlite3 connection's own ``with`` only commits, and one left open for the
    # garbage collector makes a restore (rightly) say the database is in use.
    with closing(sqlite3.connect(database.path)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'person_fts%'"
            )
        ]
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
