"""The activity and volunteering report read back: the PDF's text (pypdf) and the workbook's
cells (openpyxl) hold the sums of activities whose figures are known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.activity_figures import activity_figures
from db.branch_settings import save_branch_settings
from db.database import Database
from reports.activity_report import hours_text, write_activity_report
from tests.db.test_activity_figures import seed_activities
from tests.db.test_attendance_figures import END, HUONG, LUKASZ, START, TODAY
from tests.reports.test_attendance_report import assert_numbered, assert_well_formed
from tests.reports.test_membership_report import BRANCH, pages_text, table_row


@pytest.fixture
def known(database: Database) -> Database:
    seed_activities(database)
    with database.session() as session:
        save_branch_settings(session, BRANCH)
    return database


def test_hours_print_without_trailing_noughts() -> None:
    assert [hours_text(Decimal(h)) for h in ("1075.50", "63.25", "439.00", "0.00")] == [
        "1,075.5",
        "63.25",
        "439",
        "0",
    ]


def test_the_pdf_holds_the_known_figures(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "activities.pdf"
    with known.session() as session:
        written = write_activity_report(session, target, start=START, end=END, today=TODAY)
    pages = pages_text(target.read_bytes())
    assert written.pages == len(pages)
    assert_numbered(pages)
    lines = [line for page in pages for line in page]
    text = " ".join(lines)
    assert "Activity and volunteering report" in lines
    assert (
        "3 volunteers gave 10.25 hours over 4 sessions (6 turn-outs). Most hours went on "
        "canvassing: 5." in text
    )
    # Sessions, turn-outs, hours, volunteers.
    assert table_row(lines, "Canvassing", 4) == ["2", "3", "5", "2"]
    assert table_row(lines, "Leafleting", 4) == ["1", "2", "2", "2"]
    assert "Admin 1 1 3.25 1" in text
    assert "All activity 4 6 10.25 3" in text
    # Month: turn-outs, hours, volunteers.
    assert table_row(lines, "January 2026", 3) == ["2", "5", "2"]
    assert table_row(lines, "April 2026", 3) == ["0", "0", "0"]
    # Volunteers, most hours first, names intact.
    assert (
        f"{HUONG} 2 5.75 Canvassing, Admin 30 Jun 2026 "
        f"{LUKASZ} 3 3.5 Canvassing, Leafleting 5 Mar 2026 "
        "Ann Able 1 1 Leafleting 1 Feb 2026" in text
    )
    assert "1 turn-out was logged without hours." in text


def test_the_workbook_has_real_numbers_and_dates(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "activities.xlsx"
    with known.session() as session:
        write_activity_report(session, target, start=START, end=END, today=TODAY)
        figures = activity_figures(session, START, END)
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Kinds", "Months", "Volunteers"]
    assert_well_formed(book)
    kinds = {row[0]: row[1:] for row in book["Kinds"].iter_rows(min_row=2, values_only=True)}
    assert kinds["Canvassing"] == (2, 3, 5, 2)
    assert kinds["Admin"] == (1, 1, 3.25, 1)
    months = list(book["Months"].iter_rows(min_row=2, values_only=True))
    assert months[0] == (dt.datetime(2026, 1, 1), 2, 5, 2)
    assert book["Months"]["A2"].number_format == "dd/mm/yyyy"
    volunteers = list(book["Volunteers"].iter_rows(min_row=2, values_only=True))
    assert volunteers == [
        (
            v.name,
            v.turnouts,
            float(v.hours),
            ", ".join(v.kinds),
            dt.datetime(*v.last_on.timetuple()[:3]),
        )
        for v in figures.volunteers
    ]
    assert volunteers[0][:3] == (HUONG, 2, 5.75)
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert (summary["Hours"], summary["Sessions"], summary["Turn-outs without hours"]) == (
        10.25,
        4,
        1,
    )


def test_nothing_logged_says_so(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "empty.pdf"
    with known.session() as session:
        write_activity_report(
            session, target, start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), today=TODAY
        )
    pages = pages_text(target.read_bytes())
    assert len(pages) == 1 and "No activity was logged in the period." in pages[0]
