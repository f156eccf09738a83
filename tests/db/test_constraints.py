"""The database keeps its data honest on its own, and the core explains refusals."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from db.database import Database
from db.errors import Conflict, UserError
from db.models import Attendance, AuditEntry, EmailAddress, Meeting, Person, utcnow
from db.people import NewPerson, add_person
from tests.helpers.checks import assert_stale_save_refused


def test_a_duplicate_membership_number_is_refused_naming_its_holder(database: Database) -> None:
    with database.session() as session:
        add_person(session, NewPerson("Siân", "Llŷr-Jones", "member", membership_number="0805914"))
    with pytest.raises(Conflict) as caught, database.session() as session:
        add_person(session, NewPerson("Sian", "Jones", "member", membership_number="0805914"))
    assert "Membership number 0805914 already belongs to Siân Llŷr-Jones" in str(caught.value)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_the_database_itself_refuses_a_duplicate_membership_number(database: Database) -> None:
    with database.session() as session:
        session.add(
            Person(first_name="A", last_name="B", status="member", membership_number="0805914")
        )
    with pytest.raises(IntegrityError, match="UNIQUE"), database.session() as session:
        session.add(
            Person(first_name="C", last_name="D", status="member", membership_number="0805914")
        )


def test_membership_numbers_keep_their_leading_zeros(database: Database) -> None:
    with database.session() as session:
        person_id = add_person(session, NewPerson("A", "B", "member", membership_number="007"))
    with database.session() as session:
        assert session.get(Person, person_id).membership_number == "007"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("table", "values"),
    [
        (
            "person",
            "(first_name, last_name, status, follow_up, sort_key, search_text, version) "
            "VALUES ('A', 'B', 'president', 0, '', '', 1)",
        ),
        (
            "meeting",
            "(kind, title, starts_at, version, created_at, updated_at) "
            "VALUES ('picnic', 'x', '2026-01-01', 1, '2026-01-01', '2026-01-01')",
        ),
        (
            "email_address",
            "(person_id, address, kind, is_primary, version) "
            "VALUES (424242, 'a@b.org', 'home', 1, 1)",
        ),
        (
            "person",
            "(first_name, last_name, status, follow_up, sort_key, search_text, version, "
            "joined_on, lapsed_on) VALUES ('A', 'B', 'lapsed', 0, '', '', 1, "
            "'2020-01-01', '2019-01-01')",
        ),
    ],
    ids=["unknown status", "unknown meeting kind", "email for nobody", "lapsed before joined"],
)
def test_kinds_statuses_and_references_are_checked(
    database: Database, table: str, values: str
) -> None:
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text(f"INSERT INTO {table} {values}"))


def test_one_attendance_per_person_per_meeting(database: Database) -> None:
    with database.session() as session:
        person = Person(first_name="A", last_name="B", status="member")
        meeting = Meeting(kind="branch", title="November branch meeting", starts_at=utcnow())
        session.add_all([person, meeting])
        session.flush()
        session.add(Attendance(meeting_id=meeting.id, person_id=person.id, status="present"))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(Attendance(meeting_id=meeting.id, person_id=person.id, status="present"))


def test_a_stale_save_is_refused(database: Database) -> None:
    with database.session() as session:
        person_id = add_person(session, NewPerson("Ann", "Example", "member"))
    assert_stale_save_refused(database, person_id)


def test_every_edit_is_audited_with_old_and_new_values(database: Database) -> None:
    with database.session() as session:
        person_id = add_person(session, NewPerson("Ann", "Example", "member", email="ann@x.org"))
    with database.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.last_name = "Exemplar"
    with database.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.person_id == person_id).order_by(AuditEntry.id)
        ).all()
    assert [(e.action, e.table_name) for e in entries] == [
        ("insert", "person"),
        ("insert", "email_address"),
        ("update", "person"),
    ]
    assert all(e.actor == "tester" for e in entries)
    assert json.loads(entries[-1].changes or "{}") == {"last_name": ["Example", "Exemplar"]}


def test_a_failed_unit_of_work_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(UserError), database.session() as session:
        add_person(session, NewPerson("Ann", "Example", "member"))
        add_person(session, NewPerson("", " ", "member"))
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert session.scalar(select(func.count()).select_from(EmailAddress)) == 0
