"""The same core on a shared PostgreSQL server: migrations, constraints, search, demo data."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import create_engine, func, select, text

from db.database import Database
from db.errors import Conflict
from db.info import database_info
from db.models import Person
from db.people import NewPerson, add_person, count_people, list_people
from db.schema import SCHEMA_HEAD
from tests.helpers import postgres
from tests.helpers.checks import assert_stale_save_refused, schema_differences

if not postgres.available():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install the PostgreSQL server (see .ci/run)")
    pytest.skip("PostgreSQL server binaries are not installed here", allow_module_level=True)


def test_migrations_build_the_models_schema_on_postgresql(pg_database: Database) -> None:
    assert schema_differences(pg_database) == []
    info = database_info(pg_database)
    assert (info.backend, info.schema_revision, info.people) == ("postgresql", SCHEMA_HEAD, 0)


def test_duplicate_membership_numbers_and_stale_saves_are_refused(pg_database: Database) -> None:
    with pg_database.session() as session:
        person_id = add_person(
            session, NewPerson("Siân", "Llŷr-Jones", "member", membership_number="0805914")
        )
    with (
        pytest.raises(Conflict, match="already belongs to Siân Llŷr-Jones"),
        pg_database.session() as session,
    ):
        add_person(session, NewPerson("Sian", "Jones", "member", membership_number="0805914"))

    assert_stale_save_refused(pg_database, person_id)


def test_search_forgives_accents_and_apostrophes_on_postgresql(pg_database: Database) -> None:
    with pg_database.session() as session:
        for first, last in [
            ("Siân", "Llŷr-Jones"),
            ("Łukasz", "Wójcik"),
            ("Seán", "O'Brien"),
            ("Zoë", "Ødegaard"),
        ]:
            add_person(session, NewPerson(first, last, "member"))
    with pg_database.session() as session:
        for query, expected in [
            ("sian", "Siân"),
            ("lukasz", "Łukasz"),
            ("obrien", "Seán"),
            ("o brien", "Seán"),
            ("odegaard", "Zoë"),
        ]:
            rows = list_people(session, query)
            assert [row.first_name for row in rows] == [expected], query
            assert count_people(session, query) == 1


def test_demo_data_loads_on_postgresql(pg_database: Database) -> None:
    from db.demo import load_demo

    summary = load_demo(pg_database, people=200, seed=5, as_of=dt.date(2026, 11, 1))
    with pg_database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == summary.people == 200
        # Ids were supplied by the generator; the sequence must still hand out fresh ones.
        new_id = add_person(session, NewPerson("After", "Demo", "supporter"))
        assert new_id > 200
        assert count_people(session, "lukasz wojcik") == 1


def test_the_door_carries_on_after_the_server_dropped_its_connections(
    server: str, pg_database: Database
) -> None:
    """A laptop that slept finds its pooled connections closed by the server; the next
    check-in must simply work, and nothing checked in before is lost."""
    from db.door import arrivals
    from db.meetings import NewMeeting, add_meeting, check_in

    with pg_database.session() as session:
        meeting = add_meeting(session, NewMeeting("AGM", dt.datetime(2026, 12, 3, 19, 30)))
        ann, bob = (
            add_person(session, NewPerson(first, "Jones", "member")) for first in ("Ann", "Bob")
        )
        check_in(session, meeting, ann)
    name = pg_database.engine.url.database
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        dropped = connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    admin.dispose()
    assert dropped >= 1  # the pooled connection really was cut
    with pg_database.session() as session:
        check_in(session, meeting, bob)
    with pg_database.session() as session:
        assert sorted(a.name for a in arrivals(session, meeting)) == ["Ann Jones", "Bob Jones"]


def test_retention_and_erasure_work_on_the_shared_server(pg_database: Database) -> None:
    from db.attendance_figures import attendance_figures
    from db.demo import load_demo
    from db.erasure import erase_people, list_erasures
    from db.retention import retention_candidates

    load_demo(pg_database, people=200, seed=5, as_of=dt.date(2026, 11, 1))
    with pg_database.session() as session:
        before = attendance_figures(session, dt.date(2000, 1, 1), dt.date(2030, 1, 1))
        due = retention_candidates(session, 1, today=dt.date(2026, 11, 28))
        people = session.scalar(select(func.count()).select_from(Person))
    assert due

    done = erase_people(pg_database, [c.person_id for c in due], "Retention review")
    assert done.anonymous_attendance > 0  # meetings some of them came to, long ago

    with pg_database.session() as session:
        after = attendance_figures(session, dt.date(2000, 1, 1), dt.date(2030, 1, 1))
        assert session.scalar(select(func.count()).select_from(Person)) == people - len(due)
        assert retention_candidates(session, 1, today=dt.date(2026, 11, 28)) == []
        assert [e.people for e in list_erasures(session)] == [done.people] == [len(due)]
    assert [(m.present, m.apologies) for m in after.meetings] == [
        (m.present, m.apologies) for m in before.meetings
    ]
