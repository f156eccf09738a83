"""The data-quality report read back: the counts and the lists to fix in the PDF's text
(pypdf), cut short in print and whole in the workbook (openpyxl), against a branch whose
every problem is known and against the demo branch's own lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.branch_settings import save_branch_settings
from db.data_quality import data_quality
from db.database import Database
from reports import data_quality_report
from reports.data_quality_report import write_data_quality_report
from tests.db.test_attendance_figures import HUONG, LUKASZ
from tests.db.test_data_quality_figures import TODAY, seed_quality
from tests.reports.test_attendance_report import assert_numbered, assert_well_formed
from tests.reports.test_membership_report import BRANCH, pages_text, table_row


@pytest.fixture
def known(database: Database) -> Database:
    seed_quality(database)
    with database.session() as session:
        save_branch_settings(session, BRANCH)
    return database


def test_the_pdf_holds_the_counts_and_the_lists(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "quality.pdf"
    with known.session() as session:
        written = write_data_quality_report(session, target, today=TODAY)
        ids = {i.name: i.person_id for i in data_quality(session, today=TODAY).postcodes}
    pages = pages_text(target.read_bytes())
    assert written.pages == len(pages)
    assert_numbered(pages)
    lines = [line for page in pages for line in page]
    text = " ".join(lines)
    assert "Data-quality report" in lines and "As on 1 July 2026" in text
    assert (
        "Of the 4 people the branch knows, 1 has an email address, a phone number and a "
        "postcode that are all sound, and every detail confirmed in the last 24 months; 3 "
        "have something to fix or confirm." in text
    )
    assert table_row(lines, "No email address", 2) == ["1", "25%"]
    assert table_row(lines, "Address not confirmed in 24 months", 2) == ["2", "50%"]
    assert table_row(lines, "A postcode that is not one", 2) == ["0", "0%"]
    for heading in (
        "Email addresses to fix (2)",
        "Phone numbers to fix (2)",
        "Addresses and postcodes to fix (3)",
        "Details to confirm (7)",
    ):
        assert heading in lines
    assert f"{HUONG} {ids[HUONG]} 'ls11aa' should be written LS1 1AA" in text
    assert f"Ann Able {ids['Ann Able']} Has no address" in text
    assert "Ben Bloggs" in text and "Membership last confirmed on 01/01/2020" in text
    # Łukasz has nothing to fix: he is on no list.
    assert LUKASZ not in text
    assert "the xlsx has them all" not in text


def test_each_list_is_cut_short_in_print(
    known: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_quality_report, "PRINTED_PER_LIST", 2)
    target = tmp_path / "quality.pdf"
    with known.session() as session:
        write_data_quality_report(session, target, today=TODAY)
    lines = [line for page in pages_text(target.read_bytes()) for line in page]
    assert lines.count("… and 1 more — the xlsx has them all.") == 1  # postcodes: 3
    assert "… and 5 more — the xlsx has them all." in lines  # unconfirmed: 7


def test_the_workbook_has_every_list_in_full(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "quality.xlsx"
    with known.session() as session:
        write_data_quality_report(session, target, today=TODAY)
        lists = data_quality(session, today=TODAY)
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Email", "Phone", "Postcode", "Unverified"]
    assert_well_formed(book)
    emails = list(book["Email"].iter_rows(min_row=2, values_only=True))
    assert emails == [(i.person_id, i.name, i.value, i.problem) for i in lists.emails]
    unverified = list(book["Unverified"].iter_rows(min_row=2, values_only=True))
    assert len(unverified) == len(lists.unverified) == 7
    ben = [row for row in unverified if row[1] == "Ben Bloggs" and row[2] == "membership"]
    assert ben == [(ben[0][0], "Ben Bloggs", "membership", dt.datetime(2020, 1, 1))]
    at = unverified.index(ben[0]) + 2
    assert book["Unverified"][f"D{at}"].number_format == "dd/mm/yyyy"
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["People known to the branch"] == 4
    assert summary["With complete, confirmed details"] == 1
    assert summary["No phone number"] == 1


def test_the_demo_branch_lists_match(demo_database: Database, tmp_path: Path) -> None:
    target = tmp_path / "demo.xlsx"
    today = dt.date(2026, 11, 1)
    with demo_database.session() as session:
        write_data_quality_report(session, target, today=today)
        lists = data_quality(session, today=today)
    book = load_workbook(target, read_only=True)
    for sheet, issues in (
        ("Email", lists.emails),
        ("Phone", lists.phones),
        ("Postcode", lists.postcodes),
        ("Unverified", lists.unverified),
    ):
        rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        assert [(r[0], r[1]) for r in rows] == [(i.person_id, i.name) for i in issues]
    book.close()
