"""``branchbook import``: the same summary as the window, JSON for scripts, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from db.database import Database, open_database
from db.models import Person
from db.people import count_people
from desktop.cli import main
from tests.db.importing.people import write_csv

HEADER = ["Membership No", "Forename", "Surname", "Postcode", "Email", "DOB"]
ROWS = [
    {"Membership No": "0805914", "Forename": "Ann", "Surname": "Jones", "Postcode": "LS1 1AA"},
    {"Membership No": "0805915", "Forename": "Bob", "Surname": "Hale", "Postcode": "NOT A PC"},
    {"Membership No": "0805916", "Forename": "Cy", "Surname": "Ward", "DOB": "31/02/1980"},
]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main([*args, "--json"]) == 0
    out, err = capsys.readouterr()
    document: dict[str, object] = json.loads(out)
    return document


def people(path: Path, query: str = "") -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return count_people(session, query)
    finally:
        database.close()


def test_dry_run_then_import_then_undo(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database.path)
    database.close()
    file = str(write_csv(tmp_path / "members.csv", HEADER, ROWS))

    preview = run_json(capsys, "--db", db, "import", file, "--dry-run")
    assert (preview["created"], preview["batch_id"], preview["dry_run"]) == (3, None, True)
    assert people(Path(db)) == 0

    done = run_json(capsys, "--db", db, "import", file)
    assert done["created"] == 3 and isinstance(done["batch_id"], int)
    rejected = done["rejected"]
    assert isinstance(rejected, list)
    assert {(r["row"], r["column"], r["reason"]) for r in rejected} == {
        (3, "D (Postcode)", "is not a UK postcode"),
        (4, "F (DOB)", "is not a real date"),
    }
    assert people(Path(db), "jones") == 1

    again = run_json(capsys, "--db", db, "import", file)
    assert (again["created"], again["unchanged"], again["mapping_reused"]) == (0, 3, True)

    assert main(["--db", db, "import", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "members.csv" in listed and "3 created" in listed

    assert main(["--db", db, "import", "--undo", str(again["batch_id"])]) == 0
    assert main(["--db", db, "import", "--undo", str(done["batch_id"])]) == 0
    assert "removed 3 people" in capsys.readouterr().out
    assert people(Path(db)) == 0


def test_text_summary_names_rows_and_columns(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database.path)
    database.close()
    path = tmp_path / "members.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Members"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([row.get(name, "") for name in HEADER])
    workbook.save(path)

    assert main(["--db", db, "import", str(path), "--full-list"]) == 0
    out = capsys.readouterr().out
    assert "members.xlsx, sheet 'Members': 3 people read" in out
    assert "3 created" in out
    assert "members.xlsx, sheet 'Members', row 3, column D (Postcode): 'NOT A PC'" in out
    assert "undo with: branchbook import --undo 1" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04 this is not really a zip", "xlsx"),
        (b"Colour,Size\nred,5\nblue,6\n", "cannot be told apart"),
    ],
)
def test_bad_files_get_one_sentence_and_exit_1(
    database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    expected: str,
) -> None:
    db = str(database.path)
    database.close()
    path = tmp_path / ("bad.xlsx" if content.startswith(b"PK") else "bad.csv")
    path.write_bytes(content)
    assert main(["--db", db, "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("branchbook: ") and err.count("\n") == 1
    assert expected in err
    assert "Traceback" not in err


def test_usage_errors_exit_2(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(database.path)
    database.close()
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, "import"])
    assert stopped.value.code == 2
    assert "give the FILE" in capsys.readouterr().err


def test_unknown_mapping_and_batch(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database.path)
    database.close()
    file = str(write_csv(tmp_path / "members.csv", HEADER, ROWS))
    assert main(["--db", db, "import", file, "--mapping", "Nope"]) == 1
    assert "no saved column mapping called 'Nope'" in capsys.readouterr().err
    assert main(["--db", db, "import", "--undo", "7"]) == 1
    assert "There is no import 7" in capsys.readouterr().err


def test_export_corrections(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database.path)
    database.close()
    file = str(write_csv(tmp_path / "members.csv", HEADER, ROWS[:1]))
    assert main(["--db", db, "import", file]) == 0
    reopened = open_database(Path(db))
    try:
        with reopened.session() as session:
            session.scalars(select(Person)).one().last_name = "Jones-Smith"
    finally:
        reopened.close()
    capsys.readouterr()
    output = tmp_path / "corrections.xlsx"
    document = run_json(capsys, "--db", db, "export", "corrections", "-o", str(output))
    rows = document["rows"]
    assert isinstance(rows, list) and len(rows) == 1
    assert (rows[0]["national_value"], rows[0]["branch_value"]) == ("Jones", "Jones-Smith")
    assert output.stat().st_size > 0


def test_dry_run_with_a_report(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database.path)
    database.close()
    file = str(write_csv(tmp_path / "members.csv", HEADER, ROWS))
    report = tmp_path / "report.xlsx"
    assert main(["--db", db, "import", file, "--dry-run", "--report", str(report)]) == 0
    book = load_workbook(report)
    assert {"Summary", "Changes", "Problems"} <= set(book.sheetnames)
    problems = [[c.value for c in row] for row in book["Problems"].iter_rows(min_row=2)]
    assert any(row[3] == "D (Postcode)" and row[4] == "NOT A PC" for row in problems)
    assert people(Path(db)) == 0


def test_choose_says_whom_a_row_that_could_be_two_people_is(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.db.importing.people import add

    with database.session() as session:
        add(session, "John", "Smith", number="0805914")
        son = add(session, "John", "Smith", status="supporter")
    db = str(database.path)
    file = str(
        write_csv(
            tmp_path / "stall.csv",
            ["First Name", "Last Name", "Postcode", "Mobile"],
            [{"First Name": "John", "Last Name": "Smith", "Postcode": "LS1 1AA",
              "Mobile": "07700 900123"}],
        )
    )  # fmt: skip
    asked = run_json(capsys, "--db", db, "import", file, "--supporters", "--dry-run")
    assert (asked["ambiguous"], asked["updated"]) == (1, 0)
    done = run_json(capsys, "--db", db, "import", file, "--supporters", "--choose", f"2={son}")
    assert (done["ambiguous"], done["updated"]) == (0, 1)
    with database.session() as session:
        assert [phone.number for phone in session.get(Person, son).phones] == ["07700 900123"]  # type: ignore[union-attr]
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, "import", file, "--choose", "2=Smith"])
    assert exit_.value.code == 2
    assert "'2=Smith' is not ROW=PERSON" in capsys.readouterr().err
