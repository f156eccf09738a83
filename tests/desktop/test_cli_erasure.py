"""``branchbook erase``, ``retention`` and ``erasures`` on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "b.sqlite3")
    run(capsys, "--db", path, "demo", "--people", "150", "--seed", "4")
    return path


def test_erase_asks_first_then_removes_them_and_keeps_the_record(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    people = json.loads(run(capsys, "--db", db, "people", "find", "--json"))
    who = str(people["people"][0]["id"])
    # Not at a terminal and no --yes: refused in a sentence, nothing erased.
    assert main(["--db", db, "erase", who, "--reason", "Asked by email"]) == 1
    assert "Add --yes" in capsys.readouterr().err
    run(capsys, "--db", db, "person", "show", who)

    done = json.loads(
        run(capsys, "--db", db, "erase", who, "--reason", "Asked by email", "--yes", "--json")
    )

    assert done["people"] == 1 and done["removed"]["person"] == 1
    assert main(["--db", db, "person", "show", who]) == 1
    assert "Nobody is called or numbered" in capsys.readouterr().err
    (record,) = json.loads(run(capsys, "--db", db, "erasures", "--json"))
    assert (record["people"], record["reason"]) == (1, "Asked by email")
    assert "erasure 1 by" in run(capsys, "--db", db, "erasures")


def test_retention_lists_exports_and_erases_the_list(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = json.loads(run(capsys, "--db", db, "retention", "--years", "1", "--json"))
    assert listed["years"] == 1 and listed["people"]
    assert {p["status"] for p in listed["people"]} <= {"guest", "lapsed"}
    out = tmp_path / "review.xlsx"
    assert "the list is in" in run(capsys, "--db", db, "retention", "--years", "1", "-o", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["Id", "Name"]
    assert sheet.max_row == len(listed["people"]) + 1
    exports = json.loads(run(capsys, "--db", db, "exports", "--json"))
    assert exports[0]["kind"] == "retention review"
    assert exports[0]["people"] == len(listed["people"])

    done = json.loads(
        run(capsys, "--db", db, "retention", "--years", "1", "--erase", "--yes", "--json")
    )

    assert done["people"] == len(listed["people"])
    assert (
        json.loads(run(capsys, "--db", db, "retention", "--years", "1", "--json"))["people"] == []
    )
    (record,) = json.loads(run(capsys, "--db", db, "erasures", "--json"))
    assert record["reason"] == "Retention review: not seen for 1 year"


def test_the_period_is_stored(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(run(capsys, "--db", db, "retention", "--json"))["years"] == 3
    run(capsys, "--db", db, "retention", "--set-years", "6")
    assert json.loads(run(capsys, "--db", db, "retention", "--json"))["years"] == 6
