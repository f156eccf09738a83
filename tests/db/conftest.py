"""PostgreSQL fixtures shared by the tests that run the core on a shared server.

Each test module using them starts its own throwaway server (``tests.helpers.postgres``);
each test gets a new, empty, migrated database on it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.database import Database, open_database
from tests.helpers import postgres

_names = itertools.count()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not postgres.available():
        if os.environ.get("CI"):
            raise RuntimeError("CI must install the PostgreSQL server (see .ci/run)")
        pytest.skip("PostgreSQL server binaries are not installed here")
    with postgres.running_server() as url:
        yield url


@pytest.fixture
def pg_database(server: str) -> Iterator[Database]:
    """A new, empty database on the shared server for each test."""
    name = f"branchbook_test_{next(_names)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    database = open_database(
        make_url(server).set(database=name).render_as_string(False), actor="officer"
    )
    yield database
    database.close()
