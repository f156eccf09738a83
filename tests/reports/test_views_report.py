"""The views summary read back: every question's current answers in the PDF's text (pypdf)
and the workbook's cells (openpyxl), and no one's name anywhere in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.branch_settings import save_branch_settings
from db.database import Database
from reports.views_report import common_texts, write_views_report
from tests.db.test_attendance_figures import HUONG, LUKASZ
from tests.db.test_views_figures import ISSUES, LATER, NEXT, SCORE, WEEK, seed_views
from tests.reports.test_attendance_report import assert_numbered, assert_well_formed
from tests.reports.test_membership_report import BRANCH, pages_text, table_row


@pytest.fixture
def known(database: Database) -> Database:
    seed_views(database)
    with database.session() as session:
        save_branch_settings(session, BRANCH)
    return database


def test_free_text_is_counted_in_any_case_and_spacing() -> None:
    day = dt.date(2026, 1, 1)
    newest_first = [(day, " bus  ROUTES "), (day, "Libraries"), (day, "Bus routes")]
    assert common_texts(newest_first) == [("Bus routes", 2), ("Libraries", 1)]


def test_the_pdf_holds_every_question(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "views.pdf"
    with known.session() as session:
        written = write_views_report(session, target, today=LATER)
    pages = pages_text(target.read_bytes())
    assert written.pages == len(pages)
    assert_numbered(pages)
    lines = [line for page in pages for line in page]
    text = " ".join(lines)
    assert "Views summary" in lines and "As on 1 May 2026" in text
    assert f"1. {WEEK}" in lines and "Single choice: 3 people answered." in text
    assert table_row(lines, "Support", 2) == ["2", "67%"]
    assert table_row(lines, "Oppose", 2) == ["1", "33%"]
    assert table_row(lines, "Answered", 2) == ["3", "100%"]
    # Most chosen first: people, share, ranked first.
    assert f"2. {ISSUES}" in lines
    assert table_row(lines, "Housing", 3) == ["3", "100%", "2"]
    assert table_row(lines, "NHS", 3) == ["2", "67%", "1"]
    assert table_row(lines, "Transport", 3) == ["0", "0%", "0"]
    assert f"3. {SCORE}" in lines and "The average is 3.3 out of 5." in text
    assert table_row(lines, "4", 2) == ["2", "67%"]
    assert f"4. {NEXT}" in lines and "Bus routes 2 Housing repairs 1" in text
    assert "5. An old question (retired)" in text
    # Views, not people: no one who answered is named (the imprint's promoter is no one).
    for name in (LUKASZ, HUONG, "Ann Able", "Ben Bloggs"):
        assert name not in text.replace(BRANCH.imprint, "")


def test_the_workbook_has_real_numbers(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "views.xlsx"
    with known.session() as session:
        write_views_report(session, target, today=LATER)
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Questions", "Answers", "Free text"]
    assert_well_formed(book)
    questions = list(book["Questions"].iter_rows(min_row=2, values_only=True))
    assert questions[0] == (WEEK, "Single choice", "no", 3, None)
    assert questions[2] == (SCORE, "1–5 scale", "no", 3, 3.33)
    answers = list(book["Answers"].iter_rows(min_row=2, values_only=True))
    assert (WEEK, "Support", 2, 0.6667, None) in answers
    assert (ISSUES, "Housing", 3, 1, 2) in answers
    assert (SCORE, 4, 2, 0.6667, None) in answers
    free = list(book["Free text"].iter_rows(min_row=2, values_only=True))
    assert free[0] == (NEXT, dt.datetime(2026, 5, 1), "Housing repairs")
    assert book["Free text"]["B2"].number_format == "dd/mm/yyyy"
    assert len(free) == 3
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["People who answered at least one"] == 4
