"""Corrections flow back up: what the branch changed or verified since the last national list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from db.corrections import list_corrections
from db.database import Database
from db.importing.workflow import run_import
from db.models import DetailVerification, EmailAddress, Person
from reports.corrections_export import export_corrections
from tests.db.importing.people import add
from tests.db.importing.test_apply import ANN, BOB, OPTIONS, prepared


def test_changes_and_verifications_since_the_last_import(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        # Edited before the national list came in: the list already reflects it.
        early = add(session, "Eve", "Early", number="0700009", line1="3 Other Road")
        session.get_one(Person, early).last_name = "Earlier"
        add(session, "Sue", "Porter", status="supporter")
    run_import(database, prepared(database, tmp_path / "m.csv", ANN, BOB), OPTIONS)

    with database.session() as session:
        ann = session.scalars(select(Person).where(Person.membership_number == "0805914")).one()
        bob = session.scalars(select(Person).where(Person.membership_number == "0805915")).one()
        ann.last_name = "Jones-Smith"
        assert ann.household is not None
        ann.household.line1 = "1a High Street"  # Bob lives there too
        ann.emails.append(EmailAddress(address="ann.new@example.org"))
        bob.first_name = "Robert"
        bob.first_name = "Bob"  # and straight back: nothing to report
        session.add(
            DetailVerification(
                person_id=bob.id,
                detail="phone",
                verified_on=dt.date.today(),
                source="phone_call",
                note="rang him",
            )
        )
        supporter = session.scalars(select(Person).where(Person.last_name == "Porter")).one()
        supporter.last_name = "Porter-Hale"  # not on the national list: never reported
        ann_id, bob_id = ann.id, bob.id

    with database.session() as session:
        found = list_corrections(session)
    assert found.since is not None
    rows = {(c.person_id, c.field): c for c in found.rows}
    assert set(rows) == {
        (ann_id, "Last name"),
        (ann_id, "Address line 1"),
        (ann_id, "Email"),
        (bob_id, "Address line 1"),
        (bob_id, "Phone"),
    }
    last = rows[(ann_id, "Last name")]
    assert (last.membership_number, last.national_value, last.branch_value) == (
        "0805914",
        "Jones",
        "Jones-Smith",
    )
    assert last.changed_by == "tester" and last.changed_at is not None
    assert rows[(ann_id, "Email")].national_value is None
    assert rows[(ann_id, "Email")].branch_value == "ann.new@example.org"
    assert rows[(bob_id, "Address line 1")].national_value == "1 High Street"
    phone = rows[(bob_id, "Phone")]
    assert phone.how == "Phone call: rang him" and phone.verified_on == dt.date.today()
    assert phone.national_value == phone.branch_value  # confirmed, not changed

    output = tmp_path / "corrections.xlsx"
    with database.session() as session:
        export_corrections(session, output)
    sheet = load_workbook(output)["Corrections"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:5] == [
        "Membership Number",
        "Name",
        "Field",
        "National List Value",
        "Branch Value",
    ]
    assert ["0805914", "Ann Jones-Smith", "Last name", "Jones", "Jones-Smith"] in [
        row[:5] for row in values
    ]
    assert len(values) == 1 + len(found.rows)


def test_since_a_date_reaches_back_before_the_import(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        early = add(session, "Eve", "Early", number="0700009", line1="3 Other Road")
        session.get_one(Person, early).last_name = "Earlier"
    run_import(database, prepared(database, tmp_path / "m.csv", ANN), OPTIONS)
    with database.session() as session:
        assert list_corrections(session).rows == []
        found = list_corrections(session, dt.datetime(2000, 1, 1))
    assert [(c.field, c.national_value, c.branch_value) for c in found.rows] == [
        ("Last name", "Early", "Earlier")
    ]
