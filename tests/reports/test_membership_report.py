"""The membership report read back: the PDF's text (pypdf) and the workbook's cells
(openpyxl) hold the figures the database gives, names print intact, and the shared report
document numbers its pages "Page X of Y" with the letterhead first and the imprint on each."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.platypus import Flowable

from db.branch_settings import BranchSettings, save_branch_settings
from db.database import Database
from db.errors import UserError
from db.membership_figures import membership_figures
from reports.membership_report import MembershipReport, write_membership_report
from reports.report_document import ReportDocument
from tests.db.test_membership_figures import END, LAZ, MON, START, TODAY, seed_known_branch

BRANCH = BranchSettings(
    branch_name="Cangen Môn a Łódź",
    address="1 Stryd Fawr, Llangefni, LL77 7AA",
    email="ysgrifennydd@example.org",
    imprint="Promoted by Nguyễn Thị Hương on behalf of Cangen Môn, 1 Stryd Fawr, Llangefni",
)
_NUMBER = re.compile(r"^[+-]?[\d,]+%?$")


def pages_text(data: bytes) -> list[list[str]]:
    """Each page's text as stripped, non-empty lines: pypdf gives a table cell a line."""
    reader = PdfReader(io.BytesIO(data))
    return [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in reader.pages
    ]


def table_row(lines: list[str], label: str, cells: int) -> list[str]:
    """The ``cells`` values after ``label`` where it starts a table row: the last such place,
    since a chart (which comes before its table) prints its labels too."""
    for index in reversed(range(len(lines))):
        line = lines[index]
        following = lines[index + 1 : index + 1 + cells]
        if line == label and len(following) == cells and all(_NUMBER.match(v) for v in following):
            return following
    raise AssertionError(f"no table row {label!r} in {lines}")


@pytest.fixture
def known(database: Database) -> Database:
    seed_known_branch(database)
    with database.session() as session:
        save_branch_settings(session, BRANCH)
    return database


def test_the_pdf_holds_the_known_figures(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "membership.pdf"
    with known.session() as session:
        written = write_membership_report(session, target, start=START, end=END, today=TODAY)
    assert written.format == "pdf"
    pages = pages_text(target.read_bytes())
    assert written.pages == len(pages)
    lines = [line for page in pages for line in page]
    text = "\n".join(lines)
    assert "Membership report" in text
    assert "1 January 2026 to 30 June 2026" in text
    assert "The branch had 4 members on 31 December 2025 and 5 on 30 June 2026" in text.replace(
        "\n", " "
    )
    assert table_row(lines, "February 2026", 3) == ["1", "0", "+1"]
    assert table_row(lines, "March 2026", 3) == ["0", "1", "-1"]
    assert table_row(lines, "Whole period", 3) == ["3", "2", "+1"]
    # Members, joined, lapsed, net change, lapsed members, supporters.
    assert table_row(lines, MON, 6) == ["3", "1", "0", "+1", "2", "0"]
    assert table_row(lines, LAZ, 6) == ["1", "2", "2", "0", "2", "1"]
    assert table_row(lines, "All wards", 6) == ["5", "3", "2", "+1", "4", "1"]
    assert table_row(lines, "Lapsed member", 1) == ["4"]
    assert table_row(lines, "Everyone", 1) == ["13"]
    assert table_row(lines, "Standard", 2) == ["2", "40%"]
    assert table_row(lines, "75 and over", 1) == ["1"]
    # The letterhead, the names and the imprint in their own letters, not boxes.
    assert pages[0][0] == BRANCH.branch_name
    assert (
        "Promoted by Nguyễn Thị Hương on behalf of Cangen Môn, 1 Stryd Fawr, Llangefni"
        in (pages[0])
    )


def test_every_page_says_page_x_of_y_and_carries_the_imprint(known: Database) -> None:
    with known.session() as session:
        figures = membership_figures(session, START, END, today=TODAY)
    pages = pages_text(MembershipReport(figures, BRANCH, printed_on=TODAY).render())
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert BRANCH.imprint in page
    # Later pages have a running head instead of the letterhead.
    assert pages[1][:2] == [BRANCH.branch_name, "Membership report"]
    assert "Printed 1 July 2026" in "\n".join(pages[0])


def test_the_demo_branch_figures_match_the_database(
    demo_database: Database, tmp_path: Path
) -> None:
    start, end, today = dt.date(2025, 11, 1), dt.date(2026, 10, 31), dt.date(2026, 11, 1)
    target = tmp_path / "demo.pdf"
    with demo_database.session() as session:
        figures = membership_figures(session, start, end, today=today)
        write_membership_report(session, target, start=start, end=end, today=today)
    lines = [line for page in pages_text(target.read_bytes()) for line in page]
    for month in figures.months:
        net = f"{month.net_change:+}" if month.net_change else "0"
        expected = [str(month.joined), str(month.left), net]
        assert table_row(lines, f"{month.month:%B %Y}", 3) == expected
    for ward in figures.wards:
        assert table_row(lines, ward.ward, 6)[0] == f"{ward.members:,}"
        assert table_row(lines, ward.ward, 6)[5] == f"{ward.supporters:,}"
    for status in figures.statuses:
        assert table_row(lines, status.label, 1) == [f"{status.people:,}"]
    assert f"{figures.members_at_end:,}" in lines


def test_the_workbook_has_real_numbers_and_dates(known: Database, tmp_path: Path) -> None:
    target = tmp_path / "membership.xlsx"
    with known.session() as session:
        written = write_membership_report(session, target, start=START, end=END, today=TODAY)
    assert written.format == "xlsx" and written.pages is None
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Months", "Wards", "Statuses", "Types", "Ages"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + (
            f"{sheet.max_row}"
        )
        assert sheet.column_dimensions["A"].width > 10
    months = list(book["Months"].iter_rows(values_only=True))
    assert months[0] == ("Month", "Joined", "Lapsed", "Net change")
    assert months[2] == (dt.datetime(2026, 2, 1), 1, 0, 1)
    assert len(months) == 7
    assert book["Months"]["A2"].number_format == "dd/mm/yyyy"
    wards = {row[0]: row[1:] for row in book["Wards"].iter_rows(min_row=2, values_only=True)}
    assert wards[MON] == (3, 1, 0, 1, 2, 0)
    assert wards[LAZ] == (1, 2, 2, 0, 2, 1)
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Branch"] == BRANCH.branch_name
    assert summary["Period from"] == dt.datetime(2026, 1, 1)
    assert summary["Net change"] == 1
    assert summary["Members on 30 June 2026"] == 5


def test_a_file_that_is_neither_pdf_nor_xlsx_is_refused(known: Database, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with known.session() as session, pytest.raises(UserError, match=r"\.pdf or \.xlsx"):
        write_membership_report(session, folder / "membership.docx", start=START, end=END)
    assert list(folder.iterdir()) == []


class _Long(ReportDocument):
    title = "Long report"

    def body(self) -> list[Flowable]:
        rows = [(f"Row {n}", n) for n in range(150)]
        return [self.table(["Name", "Number"], rows, [80, 60], total=("All", 150))]


def test_the_report_document_numbers_its_pages_and_leaves_out_an_empty_imprint(
    tmp_path: Path,
) -> None:
    branch = BranchSettings(branch_name="Llŷr Branch")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "long.pdf"
    report = _Long(branch, "Spring 2026", printed_on=TODAY)
    pages = report.write(target)
    text = pages_text(target.read_bytes())
    assert pages == len(text) >= 3
    assert [p[-1] for p in text] == [f"Page {n} of {pages}" for n in range(1, pages + 1)]
    assert text[0][:3] == ["Llŷr Branch", "Long report", "Spring 2026 · Printed 1 July 2026"]
    # The heading row repeats on every page the table runs onto.
    assert all("Name" in page and "Number" in page for page in text)
    assert not any(line.startswith("Promoted") for page in text for line in page)
    assert [p.name for p in folder.iterdir()] == ["long.pdf"]  # nothing left beside it
