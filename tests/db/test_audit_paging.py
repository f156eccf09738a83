"""The audit trail read as the window reads it: page after page by seeking past the last
line shown (lines written in the same second included), who appears in it, and one line's
changes whole."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from db.audit_log import AuditFilter, audit_actors, audit_changes, audit_count, audit_lines
from db.database import Database
from db.models import AuditEntry, Person
from tests.helpers.mailing_people import seed_branch

SAME_SECOND = dt.datetime(2025, 3, 1, 9, 30)


def _bulk_trail(database: Database, count: int) -> None:
    """``count`` lines, in runs of ten written in the same second, as an import writes them."""
    rows = [
        {
            "at": SAME_SECOND - dt.timedelta(seconds=number // 10),
            "actor": "importer" if number % 3 else "secretary",
            "action": "update",
            "table_name": "person",
            "summary": f"line {number}",
        }
        for number in range(count)
    ]
    with database.session() as session:
        session.execute(insert(AuditEntry), rows)


def test_seeking_page_by_page_gives_every_line_once_in_the_order_of_one_read(
    database: Database,
) -> None:
    _bulk_trail(database, 95)
    with database.session() as session:
        whole = audit_lines(session, limit=1000)
        pages = audit_lines(session, limit=20)
        while len(pages) < len(whole):
            more = audit_lines(session, limit=20, after=pages[-1])
            assert more, "a page came back empty before the end"
            pages += more
    assert [line.id for line in pages] == [line.id for line in whole]
    assert len({line.id for line in pages}) == 95


def test_seeking_keeps_to_the_filter(database: Database) -> None:
    _bulk_trail(database, 60)
    where = AuditFilter(actor="secretary")
    with database.session() as session:
        first = audit_lines(session, where, limit=7)
        rest = audit_lines(session, where, limit=100, after=first[-1])
        total = audit_count(session, where)
    assert len(first) + len(rest) == total == 20
    assert {line.actor for line in first + rest} == {"secretary"}


def test_actors_are_everyone_in_the_trail_once(database: Database) -> None:
    _bulk_trail(database, 12)
    with database.session() as session:
        assert audit_actors(session) == ["importer", "secretary"]


def test_a_lines_changes_read_whole_where_the_list_cuts_them(database: Database) -> None:
    branch = seed_branch(database)
    notes = "Asked about the housing motion at length. " * 5
    with database.session() as session:
        person = session.get(Person, branch["Zoë Ó Dúnlaing"])
        assert person is not None
        person.notes = notes
        person.first_name = "Zoe"
    with database.session() as session:
        line = audit_lines(session, AuditFilter(person_id=branch["Zoë Ó Dúnlaing"]), limit=1)[0]
        changes = audit_changes(session, line.id)
    assert "…" in line.detail
    assert [(c.column, c.old, c.new) for c in changes] == [
        ("first name", "Zoë", "Zoe"),
        ("notes", "—", notes),
    ]
