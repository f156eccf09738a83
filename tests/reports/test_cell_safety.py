"""Formula injection: text that starts like a formula leaves every export as text, with
Excel's quote prefix, and reads back (and imports back) exactly as it went in."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from db.database import Database
from db.models import Household, Person, PhoneNumber
from reports.cell_safety import formula_like
from reports.people_export import export_people
from reports.segment_export import export_segment
from reports.xlsx_table import new_workbook, save_workbook, table_sheet, table_steps

DANGEROUS = [
    '=HYPERLINK("http://evil.example","Click")',
    "@SUM(A1:A9)",
    "-2+3",
    "+cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", [*DANGEROUS, "\t=1", "\r=1"])
def test_what_starts_like_a_formula_is_recognised(text: str) -> None:
    assert formula_like(text)


@pytest.mark.parametrize("text", ["Siân", "", "1 = 1", "O'Brien", "e@example.org"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not formula_like(text)


def _cells(path: Path) -> dict[str, openpyxl.cell.cell.Cell]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return {str(c.value): c for row in sheet.iter_rows() for c in row if c.value is not None}


def test_both_table_writers_keep_formulas_as_quoted_text(tmp_path: Path) -> None:
    rows = [[text, "plain", 3] for text in DANGEROUS] + [["line one\n=two", "x", 1]]
    columns = [("Text", 30), ("Other", 10), ("Number", 8)]
    slow = tmp_path / "slow.xlsx"
    book = new_workbook()
    table_sheet(book, "Rows", columns, rows)
    save_workbook(book, slow)
    fast = tmp_path / "fast.xlsx"
    for _step in table_steps(fast, "Rows", columns, rows):
        pass
    for path in (slow, fast):
        cells = _cells(path)
        for text in [*DANGEROUS, "line one\n=two"]:
            assert cells[text].data_type == "s", (path.name, text)
            assert cells[text].quotePrefix is (formula_like(text)), (path.name, text)
        assert cells["plain"].quotePrefix is False
        assert cells["3"].data_type == "n"


def test_a_hostile_name_leaves_the_people_and_segment_exports_as_text(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        session.add(
            Person(
                first_name='=HYPERLINK("http://evil.example","Click")',
                last_name="@SUM(A1:A9)",
                status="member",
                membership_number="-0001",
                household=Household(line1="+1 Street", postcode="CF10 1AA"),
                phones=[PhoneNumber(number="+44 7700 900123", kind="mobile", is_primary=True)],
            )
        )
    people = tmp_path / "people.xlsx"
    segment = tmp_path / "segment.xlsx"
    with database.session() as session:
        export_people(session, people)
        export_segment(session, "Everyone", segment)
    for path in (people, segment):
        cells = _cells(path)
        for text in ('=HYPERLINK("http://evil.example","Click")', "@SUM(A1:A9)", "+1 Street"):
            assert cells[text].data_type == "s" and cells[text].quotePrefix, (path.name, text)
        assert cells["+44 7700 900123"].quotePrefix  # unchanged, read back as it went out
