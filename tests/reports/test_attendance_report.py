"""The attendance report read back: the PDF's text (pypdf) and the workbook's cells (openpyxl)
hold the figures of a branch whose attendance is known, names print intact, and a long list
is cut short in print but whole in the workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from db.branch_settings import save_branch_settings
from db.database import Database
from reports import attendance_report
from reports.attendance_report import write_attendance_report
from tests.db.test_attendance_figures import END, HUONG, LUKASZ, START, TODAY, seed_meetings
from tests.reports.test_membership_report import BRANCH, pages_text, table_row


def following(lines: list[str], label: str, count: int) -> list[str]:
    """The ``count`` lines after the last line that is ``label``."""
    index = len(lines) - 1 - lines[::-1].index(label)
    return lines[index + 1 : index + 1 + count]


def assert_well_formed(book: Any) -> None:
    """Every sheet: a frozen header row, a filter over the whole table, set widths."""
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        assert sheet.column_dimensions["A"].width >= 10, sheet.title


def assert_numbered(pages: list[list[str]]) -> None:
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert BRANCH.imprint in page


@pytest.fixture
def known(database: Database) -> Database:
    seed_meetings(database)
    with database.session() as session:
        save_branch_settings(session, BRANCH)
    return database


def test_the_pdf_holds_the_known_figures(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "attendance.pdf"
    with known.session() as session:
        written = write_attendance_report(session, target, start=START, end=END, today=TODAY)
    assert written.format == "pdf"
    pages = pages_text(target.read_bytes())
    assert written.pages == len(pages)
    assert_numbered(pages)
    lines = [line for page in pages for line in page]
    text = " ".join(lines)
    assert pages[0][0] == BRANCH.branch_name
    assert "Attendance report" in lines and "1 January 2026 to 30 June 2026" in text
    assert (
        "The branch held 4 meetings in the period: 7 attendances by 4 different people, "
        "and 2 apologies. Of the 5 members on 30 June 2026, 3 came to at least one meeting "
        "and 2 to none." in text
    )
    # Date, meeting, kind, then present, apologies, absent and whether quorate (a cell
    # that wraps reads as two lines).
    for row in (
        "10 Feb 2026 February branch meeting Branch meeting 3 1 2 yes (3)",
        "5 Mar 2026 General committee General committee 1 0 1",
        "14 Apr 2026 April branch meeting Branch meeting 2 1 2 no (3)",
        "30 Jun 2026 Summer social Social 1 0 –",
        "All meetings 7 2",
    ):
        assert row in text
    # Top attenders: meetings attended, apologies; the names in their own letters.
    assert table_row(lines, LUKASZ, 2) == ["3", "0"]
    assert table_row(lines, HUONG, 2) == ["1", "1"]
    assert "Members who came to no meeting (2)" in lines
    assert following(lines, "Ben Bloggs", 2) == ["B1", "1 Nov 2025"]
    assert following(lines, "Eve Evans", 1) == ["never"]
    assert "more — the xlsx has them all" not in text


def test_a_long_list_is_cut_short_in_print(
    known: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attendance_report, "PRINTED_ABSENTEES", 1)
    target = tmp_path / "attendance.pdf"
    with known.session() as session:
        write_attendance_report(session, target, start=START, end=END, today=TODAY)
    lines = [line for page in pages_text(target.read_bytes()) for line in page]
    assert "Ben Bloggs" in lines and "Eve Evans" not in lines
    assert "… and 1 more — the xlsx has them all." in lines


def test_the_workbook_has_real_numbers_and_dates(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "attendance.xlsx"
    with known.session() as session:
        written = write_attendance_report(session, target, start=START, end=END, today=TODAY)
    assert written.format == "xlsx" and written.pages is None
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Meetings", "Top attenders", "Came to none"]
    assert_well_formed(book)
    meetings = list(book["Meetings"].iter_rows(min_row=2, values_only=True))
    assert meetings[0] == (
        dt.datetime(2026, 2, 10, 19, 30),
        "February branch meeting",
        "Branch meeting",
        3,
        1,
        5,
        2,
        3,
        "yes",
    )
    assert meetings[3] == (
        dt.datetime(2026, 6, 30, 20),
        "Summer social",
        "Social",
        1,
        0,
        None,
        None,
        None,
        None,
    )
    assert book["Meetings"]["A2"].number_format == "dd/mm/yyyy hh:mm"
    top = list(book["Top attenders"].iter_rows(min_row=2, values_only=True))
    assert top[0] == (LUKASZ, 3, 0, dt.datetime(2026, 4, 14, 19, 30))
    none = list(book["Came to none"].iter_rows(min_row=2, values_only=True))
    assert none == [
        ("Ben Bloggs", "B1", None, dt.datetime(2025, 11, 1, 19)),
        ("Eve Evans", None, None, None),
    ]
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Period from"] == dt.datetime(2026, 1, 1)
    assert (summary["Meetings held"], summary["Attendances"]) == (4, 7)
    assert summary["Present on average"] == 1.8
    assert summary["Members who came to none"] == 2


def test_a_period_without_meetings_says_so(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "empty.pdf"
    with known.session() as session:
        write_attendance_report(
            session, target, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30), today=TODAY
        )
    pages = pages_text(target.read_bytes())
    assert len(pages) == 1 and "No meetings were held in the period." in pages[0]
