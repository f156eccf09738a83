"""Alembic environment: always called with a connection from db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from db.models import Base

# FTS5 keeps its index in shadow tables that the models do not describe.
SEARCH_INDEX_PREFIX = "person_fts"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX_PREFIX))


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Branchbook migrations run through db.migrate, which passes a connection.")
run_migrations(connection)
