"""``branchbook report`` on a real database file: the list, the membership report as PDF and
xlsx, and one sentence (exit 1) or a usage error (exit 2) for what the user got wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db.database import Database
from desktop.cli import main
from tests.db.test_membership_figures import seed_known_branch


@pytest.fixture
def db(database: Database) -> str:
    seed_known_branch(database)
    path = str(database.path)
    database.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_report_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = run(capsys, "--db", db, "report", "list")
    assert text.startswith("membership  members at the start and end of a period")
    listed = json.loads(run(capsys, "--db", db, "report", "list", "--json"))
    assert [entry["name"] for entry in listed] == ["membership"]
    assert "joiners and leavers by month" in listed[0]["description"]


def test_membership_report_as_pdf_and_xlsx(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf = tmp_path / "members.pdf"
    period = ("--from", "2026-01-01", "--to", "2026-06-30")
    document = json.loads(
        run(capsys, "--db", db, "report", "membership", *period, "-o", str(pdf), "--json")
    )
    assert document["format"] == "pdf"
    assert document["file"] == str(pdf)
    assert document["pages"] == len(PdfReader(pdf).pages) >= 2
    assert document["period"] == {"start": "2026-01-01", "end": "2026-06-30"}
    assert (document["members_at_start"], document["joined"], document["left"]) == (4, 3, 2)
    assert (document["members_at_end"], document["net_change"]) == (5, 1)
    assert [m["joined"] for m in document["months"]] == [1, 1, 0, 0, 0, 1]

    xlsx = tmp_path / "members.XLSX"
    text = run(capsys, "--db", db, "report", "membership", *period, "-o", str(xlsx))
    assert text == (
        f"Membership report for 1 January 2026 to 30 June 2026 written to {xlsx}: "
        "4 members at the start, 3 joined, 2 lapsed, 5 at the end.\n"
    )
    assert load_workbook(xlsx)["Summary"]["B10"].value == 5


def test_the_default_period_ends_today(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "members.pdf"
    document = json.loads(
        run(capsys, "--db", db, "report", "membership", "-o", str(target), "--json")
    )
    today = dt.date.today()
    assert document["period"]["end"] == today.isoformat()
    assert len(document["months"]) == 12
    assert target.read_bytes().startswith(b"%PDF")


def test_a_bad_extension_is_one_sentence_and_writes_nothing(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "members.docx"
    assert main(["--db", db, "report", "membership", "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "branchbook: members.docx must end in .pdf or .xlsx: a report is written as a PDF to "
        "print or an Excel workbook.\n"
    )
    assert not target.exists()


def test_a_period_backwards_is_one_sentence(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "members.pdf"
    args = ["--db", db, "report", "membership", "--from", "2026-05-01", "--to", "2026-01-01"]
    assert main([*args, "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give --from before --to" in err
    assert not target.exists()


def test_a_bad_date_or_report_name_is_a_usage_error(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = str(tmp_path / "members.pdf")
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, "report", "membership", "--from", "2026-13-01", "-o", target])
    assert stopped.value.code == 2
    assert "'2026-13-01' is not a date like 2026-11-27" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, "report", "treasurer", "-o", target])
    assert stopped.value.code == 2
    assert "invalid choice: 'treasurer'" in capsys.readouterr().err
