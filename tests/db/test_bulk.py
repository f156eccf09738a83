"""Bulk inserts store exactly what an ORM write stores, and roll back with the session."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from db.bulk import insert_rows
from db.database import Database
from db.models import Activity, Base, Person

VALUES = {
    "first_name": "Siân",
    "last_name": "Llŷr-Jones",
    "status": "member",
    "membership_number": "0805914",
    "joined_on": dt.date(2019, 5, 1),
    "follow_up": True,
    "sort_key": "llyrjones sian",
    "search_text": "sian llyr jones llyrjones",
}


def raw_rows(database: Database, table: str) -> list[tuple[object, ...]]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def test_bulk_rows_are_stored_as_the_orm_stores_them(database: Database) -> None:
    stamp = dt.datetime(2026, 11, 27, 19, 30)
    with database.session() as session:
        orm = Person(**VALUES, created_at=stamp, updated_at=stamp)
        session.add(orm)
        session.flush()
        session.add(
            Activity(
                person_id=orm.id,
                kind="canvassing",
                done_on=dt.date(2026, 1, 3),
                hours=Decimal("2.50"),
            )
        )
        insert_rows(
            session,
            Base.metadata.tables["person"],
            [{**VALUES, "membership_number": "0805915", "created_at": stamp, "updated_at": stamp}],
        )
        insert_rows(
            session,
            Base.metadata.tables["activity"],
            [
                {
                    "person_id": orm.id,
                    "kind": "canvassing",
                    "done_on": dt.date(2026, 1, 3),
                    "hours": Decimal("2.50"),
                }
            ],
        )
    people = raw_rows(database, "person")
    activities = raw_rows(database, "activity")
    columns = [c.name for c in Base.metadata.tables["person"].columns]
    number, search = columns.index("membership_number"), columns.index("search_text")
    first, second = (list(row) for row in people)
    assert first[number] == "0805914" and second[number] == "0805915"
    # Ids and numbers differ by design, and the ORM indexes the number in search_text
    # itself (a bulk writer supplies its own); nothing else may differ.
    for row in (first, second):
        row[0] = row[number] = row[search] = None
    assert first == second
    assert activities[0][1:] == activities[1][1:]


def test_bulk_rows_are_searchable_and_roll_back_with_the_session(database: Database) -> None:
    rows = [{**VALUES, "membership_number": f"{i:07d}"} for i in range(1200)]
    with pytest.raises(RuntimeError), database.session() as session:
        insert_rows(session, Base.metadata.tables["person"], rows)
        found = session.execute(
            text("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'llyrj*'")
        ).scalar()
        assert found == 1200
        raise RuntimeError("cancelled")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0
