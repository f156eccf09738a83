"""The schema revision this program expects, readable without loading Alembic.

Alembic takes a third of a second to import; a database that is already up to date (the
usual case) must not pay that at every start. ``SCHEMA_HEAD`` is checked against the
migration scripts by the test suite, so it cannot drift.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

SCHEMA_HEAD = "0005"


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, or None when it has none yet."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
