"""Bringing a database's schema to the version this program expects, safely.

The schema exists only through the Alembic revisions under ``db/migrations``. Opening a
database that is behind first copies the file (SQLite online backup, consistent even in WAL
mode), then upgrades in one transaction with foreign-key enforcement off, as SQLite's own
procedure for schema changes asks, checking the keys before it commits.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DBAPIError

from db.database import Database, describe, explain_dbapi_error, make_engine, sqlite_path
from db.errors import DatabaseError, DatabaseTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# FTS5 keeps its index in shadow tables that the models do not describe.
SEARCH_INDEX_PREFIX = "person_fts"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """What Alembic compares: everything but the search index's own tables."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX_PREFIX))


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class UpgradeOutcome:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def upgrade_database(database: Database, target: str = "head") -> UpgradeOutcome | None:
    """Upgrade to ``target``; None when there was nothing to do."""
    url = database.url
    engine = make_engine(url, foreign_keys=False, pooled=False)
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
            known = {rev.revision for rev in script_directory().walk_revisions()}
            if current is not None and current not in known:
                raise DatabaseTooNew(
                    f"{describe(url)} was saved by a newer Branchbook (schema {current}); "
                    "install the newer version to open it."
                )
            if current is None and inspect(connection).get_table_names():
                raise DatabaseError(
                    f"{describe(url)} is a database, but not a Branchbook one; choose another file."
                )
            connection.rollback()
            wanted = head_revision() if target == "head" else target
            if current == wanted:
                return None
            backup = backup_before_upgrade(database, current)
            config = alembic_config()
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                _check_foreign_keys(connection)
        return UpgradeOutcome(current, wanted, backup)
    except DBAPIError as exc:
        raise explain_dbapi_error(exc, url) from exc
    finally:
        engine.dispose()


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table = broken[0][0]
        raise DatabaseError(
            f"The schema upgrade was stopped: {len(broken)} rows in {table} would point at "
            "nothing. The database is unchanged."
        )


def backup_before_upgrade(database: Database, current: str | None) -> Path | None:
    """Copy a SQLite file that already holds data before its schema is touched."""
    path = sqlite_path(database.url)
    if path is None or current is None or not path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.before-upgrade-{current}-{stamp}{path.suffix}")
    if database.encrypted:
        from db.encryption import copy_encrypted

        # Under the database's own key: a plain copy would undo the encryption.
        assert database.url.password is not None
        copy_encrypted(path, database.url.password, backup)
        return backup
    source = sqlite3.connect(str(path))
    try:
        target = sqlite3.connect(str(backup))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return backup
