"""Every table's rows but the audit trail's and the bookkeeping columns: an undone edit must
leave these exactly as they were before it."""

from __future__ import annotations

import sqlite3
from typing import Any

from db.database import Database
from tests.helpers.checks import dump_tables

# Bookkeeping that every write moves on, whatever it wrote.
IGNORED_COLUMNS = frozenset({"version", "updated_at"})


def contents(
    database: Database, ignoring: frozenset[str] | set[str] = frozenset()
) -> dict[str, list[tuple[Any, ...]]]:
    assert database.path is not None
    with sqlite3.connect(database.path) as connection:
        columns = {
            table: [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    kept: dict[str, list[tuple[Any, ...]]] = {}
    for table, rows in dump_tables(database).items():
        if table == "audit_entry":
            continue
        ignored = IGNORED_COLUMNS | ignoring
        keep = [i for i, name in enumerate(columns[table]) if name not in ignored]
        kept[table] = sorted((tuple(row[i] for i in keep) for row in rows), key=repr)
    return kept
