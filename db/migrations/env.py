"""Alembic environment: always called with a connection from db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from db.migrate import include_object
from db.models import Base


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
