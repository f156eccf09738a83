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
from tests.db.test_activity_figures import seed_activities
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
    names = ["membership", "attendance", "activities", "views", "data-quality", "person"]
    assert [line.split()[0] for line in text.splitlines()] == names
    assert text.startswith("membership    members at the start and end of a period")
    listed = json.loads(run(capsys, "--db", db, "report", "list", "--json"))
    assert [entry["name"] for entry in listed] == names
    assert "joiners and leavers by month" in listed[0]["description"]
    assert [(e["takes_period"], e["needs_person"]) for e in listed] == [
        (True, False),
        (True, False),
        (True, False),
        (False, False),
        (False, False),
        (False, True),
    ]


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


@pytest.fixture
def branch(database: Database) -> str:
    seed_activities(database)
    path = str(database.path)
    database.close()
    return path


FIRST_HALF = ("--from", "2026-01-01", "--to", "2026-06-30")


def test_attendance_report(branch: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pdf = tmp_path / "attendance.pdf"
    document = json.loads(
        run(capsys, "--db", branch, "report", "attendance", *FIRST_HALF, "-o", str(pdf), "--json")
    )
    assert document["report"] == "attendance" and document["format"] == "pdf"
    assert document["pages"] == len(PdfReader(pdf).pages)
    assert [m["present"] for m in document["meetings"]] == [3, 1, 2, 1]
    assert (document["attendances"], document["members_not_attending"]) == (7, 2)
    assert document["average_present"] == 1.75
    xlsx = tmp_path / "attendance.xlsx"
    text = run(capsys, "--db", branch, "report", "attendance", *FIRST_HALF, "-o", str(xlsx))
    assert text == (
        f"Attendance report for 1 January 2026 to 30 June 2026 written to {xlsx}: "
        "4 meetings, 7 attendances, 2 members came to none.\n"
    )
    assert load_workbook(xlsx)["Summary"]["B7"].value == 7


def test_activities_report(branch: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    xlsx = tmp_path / "activities.xlsx"
    text = run(capsys, "--db", branch, "report", "activities", *FIRST_HALF, "-o", str(xlsx))
    assert text == (
        f"Activity report for 1 January 2026 to 30 June 2026 written to {xlsx}: "
        "10.25 hours by 3 volunteers over 4 sessions.\n"
    )
    pdf = tmp_path / "activities.pdf"
    document = json.loads(
        run(capsys, "--db", branch, "report", "activities", *FIRST_HALF, "-o", str(pdf), "--json")
    )
    assert (document["turnouts"], document["hours"], document["people"]) == (6, "10.25", 3)
    assert [v["name"] for v in document["volunteers"]][:2] == ["Nguyễn Thị Hương", "Łukasz Wójcik"]


def test_views_report_takes_no_period(
    branch: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf = tmp_path / "views.pdf"
    text = run(capsys, "--db", branch, "report", "views", "-o", str(pdf))
    assert text == f"Views summary written to {pdf}, 1 page: 0 questions, answered by 0 people.\n"
    with pytest.raises(SystemExit) as stopped:
        main(["--db", branch, "report", "views", "--from", "2026-01-01", "-o", str(pdf)])
    assert stopped.value.code == 2
    assert "unrecognized arguments: --from" in capsys.readouterr().err


def test_data_quality_report(
    branch: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    xlsx = tmp_path / "quality.xlsx"
    document = json.loads(
        run(capsys, "--db", branch, "report", "data-quality", "-o", str(xlsx), "--json")
    )
    assert document["report"] == "data-quality" and document["people"] == 8
    # Nobody in the attendance seed has an email address, a phone or an address.
    assert document["counts"]["emails"] == document["counts"]["phones"] == 8
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Summary", "Email", "Phone", "Postcode", "Unverified"]
    assert book["Email"].max_row == 9


def test_person_report(branch: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pdf = tmp_path / "record.pdf"
    text = run(
        capsys, "--db", branch, "report", "person", "--person", "Łukasz Wójcik", "-o", str(pdf)
    )
    assert text.startswith(f"Personal record of Łukasz Wójcik (id 1) written to {pdf}, ")
    assert text.endswith(": 0 answers, 3 activities, 3 meeting entries, 0 letters, 21 changes.\n")
    assert "Łukasz Wójcik" in PdfReader(pdf).pages[0].extract_text()
    document = json.loads(
        run(capsys, "--db", branch, "report", "person", "--person", "L1", "-o", str(pdf), "--json")
    )
    assert document["detail"]["full_name"] == "Łukasz Wójcik"
    assert len(document["activities"]) == 3


def test_person_report_needs_a_person_who_exists(
    branch: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "record.pdf"
    with pytest.raises(SystemExit) as stopped:
        main(["--db", branch, "report", "person", "-o", str(target)])
    assert stopped.value.code == 2
    assert "the following arguments are required: --person" in capsys.readouterr().err
    assert main(["--db", branch, "report", "person", "--person", "Nobody", "-o", str(target)]) == 1
    assert capsys.readouterr().err == "branchbook: Nobody is called or numbered 'Nobody'.\n"
    assert not target.exists()


def test_every_report_file_is_in_the_export_log(tmp_path: Path) -> None:
    from db.database import open_database
    from db.demo import load_demo
    from db.export_log import list_exports

    path = tmp_path / "branch.sqlite3"
    database = open_database(path, actor="tester")
    load_demo(database, people=200, seed=2)
    database.close()
    assert main(["--db", str(path), "report", "data-quality", "-o", str(tmp_path / "dq.xlsx")]) == 0
    assert main(["--db", str(path), "report", "views", "-o", str(tmp_path / "views.pdf")]) == 0
    database = open_database(path, actor="tester")
    try:
        with database.session() as session:
            logged = list_exports(session)
    finally:
        database.close()
    assert [(line.kind, Path(line.file_name).name) for line in logged] == [
        ("views summary", "views.pdf"),
        ("data-quality report", "dq.xlsx"),
    ]
    assert logged[1].people > 0 and logged[0].people == 0
