"""One person's full record read back: everything the dossier holds is in the PDF's text
(pypdf) and in the workbook (openpyxl), with the person found the way the command line
finds them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.branch_settings import save_branch_settings
from db.database import Database
from db.errors import NotFound
from db.models import CustomFieldValue, Person
from db.organisations import add_organisation, affiliate
from db.question_bank import add_question
from db.tags import tag_people
from db.verification import mark_verified, set_contact_preference
from db.views import record_answer
from reports.person_report import record_tables, write_person_report
from tests.db.test_activity_figures import seed_activities
from tests.db.test_attendance_figures import HUONG, LUKASZ, TODAY
from tests.reports.test_attendance_report import assert_numbered, assert_well_formed
from tests.reports.test_membership_report import BRANCH, pages_text


@pytest.fixture
def known(database: Database) -> dict[str, int]:
    ids = seed_activities(database)
    with database.session() as session:
        save_branch_settings(session, BRANCH)
        lukasz = ids["Łukasz"]
        union = add_organisation(session, "Unite the Union", "trade_union")
        affiliate(session, lukasz, union, "Shop steward", dt.date(2019, 5, 1))
        tag_people(session, "Driver", [lukasz])
        mark_verified(session, lukasz, "address", "in person", on=dt.date(2026, 2, 10))
        set_contact_preference(session, lukasz, "email", True, how="Said so at a meeting")
        question = add_question(
            session, "Support for a four-day week?", "single choice", ["Support", "Oppose"]
        ).id
        for day, value in ((dt.date(2026, 1, 5), "Oppose"), (dt.date(2026, 4, 1), "Support")):
            record_answer(session, lukasz, question, value, source="doorstep", answered_on=day)
        session.add(CustomFieldValue(person_id=lukasz, name="Shirt size", value="XL"))
    return ids


def test_the_pdf_holds_everything(
    database: Database, known: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "record.pdf"
    with database.session() as session:
        written = write_person_report(session, target, "lukasz wojcik", today=TODAY)
    assert written.figures.detail.id == known["Łukasz"]
    pages = pages_text(target.read_bytes())
    assert written.pages == len(pages)
    assert_numbered(pages)
    lines = [line for page in pages for line in page]
    text = " ".join(lines)
    assert "Personal record" in lines
    assert f"{LUKASZ} · id {known['Łukasz']} · Printed 1 July 2026" in text
    assert f"Name {LUKASZ}" in text and "Membership number L1" in text
    assert "Joined 1 Jan 2020" in text and "Tags Driver" in text
    assert "Email yes" in text and "Said so at a meeting" in text
    assert "Address 10 Feb 2026 In person" in text
    assert "Unite the Union Trade union Shop steward 1 May 2019" in text
    assert "Support for a four-day week? Support 1 Apr 2026 Doorstep" in text
    assert "Support for a four-day week? (earlier) Oppose 5 Jan 2026 Doorstep" in text
    assert "10 Jan 2026 Canvassing 2.50 Ward 3" in text
    assert "14 Apr 2026 April branch meeting Attended" in text
    assert "Shirt size XL" in text
    assert "Letters sent" in lines  # none sent: the heading says nothing is recorded
    assert "Nothing recorded." in lines
    assert HUONG not in text.replace(BRANCH.imprint, "")  # only this person's record


def test_the_workbook_has_a_sheet_per_table(
    database: Database, known: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "record.xlsx"
    with database.session() as session:
        written = write_person_report(session, target, "L1", today=TODAY)
    book = load_workbook(target)
    assert book.sheetnames == [t.sheet for t in record_tables(written.figures)]
    assert_well_formed(book)
    details = dict(book["Details"].iter_rows(min_row=2, values_only=True))
    assert details["Name"] == LUKASZ
    assert details["Joined"] == dt.datetime(2020, 1, 1)
    activities = list(book["Activities"].iter_rows(min_row=2, values_only=True))
    assert activities[0] == (dt.datetime(2026, 3, 5), "Canvassing", None, None)
    assert (dt.datetime(2026, 1, 10), "Canvassing", 2.5, "Ward 3") in activities
    assert book["Activities"]["A2"].number_format == "dd/mm/yyyy"
    contact = list(book["Contact"].iter_rows(min_row=2, values_only=True))
    assert contact[0][:2] == ("Email", "yes")
    meetings = list(book["Meetings"].iter_rows(min_row=2, values_only=True))
    assert [m[1] for m in meetings if m[2] == "Attended"] == [
        "April branch meeting",
        "General committee",
        "February branch meeting",
    ]


def test_the_history_of_changes_is_in_it(
    database: Database, known: dict[str, int], tmp_path: Path
) -> None:
    with database.session() as session:
        person = session.get(Person, known["Huong"])
        assert person is not None
        person.notes = "Prefers Vietnamese"
    target = tmp_path / "huong.xlsx"
    with database.session() as session:
        write_person_report(session, target, str(known["Huong"]), today=TODAY)
    history = list(load_workbook(target)["History"].iter_rows(min_row=2, values_only=True))
    assert ("tester", "update", "notes", None, "Prefers Vietnamese") in [row[1:] for row in history]


def test_nobody_by_that_name_is_one_sentence(database: Database, tmp_path: Path) -> None:
    target = tmp_path / "nobody.pdf"
    with database.session() as session, pytest.raises(NotFound, match="Nobody is called"):
        write_person_report(session, target, "Nobody Atall")
    assert not target.exists()
