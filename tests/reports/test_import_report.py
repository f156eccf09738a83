"""The import report: a real file imported into a real database, the xlsx read back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from db.database import Database
from db.importing.apply import Decisions
from db.importing.workflow import ImportOptions, prepare_import, preview_import, run_import
from db.models import DetailVerification, Person
from reports.import_report import write_import_report

HEADER = ["Membership Number", "First Name", "Last Name", "Address", "Postcode", "Email"]
NOW = dt.datetime(2026, 3, 1, 14, 30)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


@pytest.fixture
def second_month(database: Database, tmp_path: Path) -> Path:
    """Last month's list already imported, Ann's email checked by phone; this month's file."""
    first = write_csv(
        tmp_path / "members-2026-02.csv",
        [
            ["A001", "Ann", "Lee", "1 High Street", "LS1 1AA", "ann@example.org"],
            ["A002", "Tom", "Jones", "2 Mill Lane", "LS2 2BB", "tom@example.org"],
        ],
    )
    run_import(database, prepare_import(database, first))
    with database.session() as session:
        ann = session.query(Person).filter_by(membership_number="A001").one()
        session.add(
            DetailVerification(
                person_id=ann.id,
                detail="email",
                verified_on=dt.date(2026, 2, 10),
                source="phone_call",
            )
        )
    return write_csv(
        tmp_path / "members-2026-03.csv",
        [
            ["A001", "Ann", "Lee", "1 High Street", "LS1 1AA", "ann.lee@example.org"],
            ["A002", "Tom", "Jones", "9 New Road", "LS2 2BB", "tom@example.org"],
            [],
            ["A003", "Zoë", "Ødegaard", "3 Park Row", "=XX1", "zoe@example.org"],
            ["A004", "Sam", "Hill", "4 Low Lane", "LS4 4DD", "sam@example.org"],
        ],
    )


def test_a_preview_report_says_nothing_was_written(
    database: Database, second_month: Path, tmp_path: Path
) -> None:
    prepared = prepare_import(database, second_month)
    plan = preview_import(database, prepared, ImportOptions())
    report = tmp_path / "preview.xlsx"
    write_import_report(report, prepared, plan, None, now=NOW)

    summary = dict(row[:2] for row in sheet_rows(report, "Summary")[1:] if row[0] != "Columns")
    assert summary["Report"] == "Preview: nothing was written to the database"
    assert summary["File"] == "members-2026-03.csv"
    assert summary["Checksum (SHA-256)"] == prepared.checksum
    assert summary["Date"] == NOW
    assert summary["New people"] == 2
    assert summary["People updated"] == 1  # Ann's only change is a kept conflict
    assert summary["Conflicts (the branch's own value kept)"] == 1
    assert summary["Values rejected"] == 1
    assert "Import batch" not in summary
    changes = sheet_rows(report, "Changes")
    assert changes[0][:5] == ("Row", "Action", "Person id", "Name", "Field")
    ann = [row for row in changes if row[3] == "Ann Lee"]
    assert [(row[1], row[4], row[5], row[6], row[7]) for row in ann] == [
        ("update", "email", None, "ann.lee@example.org", "yes, branch's kept")
    ]


def test_an_import_report_accounts_for_every_row(
    database: Database, second_month: Path, tmp_path: Path
) -> None:
    prepared = prepare_import(database, second_month)
    decisions = Decisions(left_out_rows=frozenset({6}))
    plan, result = run_import(database, prepared, ImportOptions(), decisions)
    report = tmp_path / "import.xlsx"
    write_import_report(report, prepared, plan, result, decisions=decisions, now=NOW)

    summary = sheet_rows(report, "Summary")
    values = dict(row[:2] for row in summary[1:] if row[0] != "Columns")
    assert values["Report"] == "Import"
    assert values["Import batch"] == result.batch_id
    assert values["New people"] == 1
    assert values["Rows left out by you"] == 1
    assert values["Rows skipped"] == 1
    assert ("Columns", 'Column E "Postcode": postcode') in summary

    changes = sheet_rows(report, "Changes")[1:]
    by_name = {row[3]: row for row in changes}
    assert by_name["Sam Hill"][:2] == (6, "left out (create)")
    assert by_name["Zoë Ødegaard"][:2] == (5, "create")
    tom = by_name["Tom Jones"]
    assert (tom[1], tom[4], tom[7]) == ("update", "address", "no")
    assert tom[6] == "9 New Road, LS2 2BB"
    assert by_name["Ann Lee"][7] == "yes, branch's value kept"

    problems = sheet_rows(report, "Problems")
    assert problems[0] == ("File", "Sheet", "Row", "Column", "Value", "Reason", "Rejected")
    assert problems[1:] == [
        (
            "members-2026-03.csv",
            "members-2026-03.csv",
            5,
            "E (Postcode)",
            "=XX1",
            "is not a UK postcode",
            "yes",
        )
    ]
    assert sheet_rows(report, "Skipped rows") == [("Row", "Reason"), (4, "blank row")]


def test_the_report_looks_like_a_report(
    database: Database, second_month: Path, tmp_path: Path
) -> None:
    prepared = prepare_import(database, second_month)
    plan = preview_import(database, prepared)
    report = tmp_path / "preview.xlsx"
    write_import_report(report, prepared, plan, None)

    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["Summary", "Changes", "Problems", "Skipped rows"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 7
    # A value from the file that looks like a formula comes back as the text it was.
    value = book["Problems"]["E2"]
    assert (value.value, value.data_type) == ("=XX1", "s")
    assert book["Changes"].column_dimensions["I"].width == 60
