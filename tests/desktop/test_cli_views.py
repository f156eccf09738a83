"""``branchbook question``, ``answer add`` and ``answers-import`` on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.database import Database, open_database
from db.models import Answer
from db.people import NewPerson, add_person
from desktop.cli import main
from tests.db.importing.people import write_csv

ISSUES = "Top three local issues"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def answers(db: str) -> int:
    database = open_database(db)
    try:
        with database.session() as session:
            return session.scalar(select(func.count()).select_from(Answer)) or 0
    finally:
        database.close()


@pytest.fixture
def db(database: Database) -> str:
    with database.session() as session:
        add_person(
            session,
            NewPerson(
                "Ann",
                "Jones",
                status="member",
                membership_number="0805914",
                email="ann@example.org",
            ),
        )
        add_person(session, NewPerson("Siân", "Llŷr", status="supporter"))
    path = str(database.path)
    database.close()
    return path


def test_questions_and_answers(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    issues = run(
        capsys, "--db", db, "question", "add", ISSUES, "--kind", "multiple choice",
        "--option", "Housing, rent and repairs", "--option", "Transport", "--option", "NHS",
        "--option", "Schools", "--max-choices", "3",
    ).strip()  # fmt: skip
    added = json.loads(
        run(capsys, "--db", db, "question", "add", "Support for a four-day week", "--kind",
            "scale", "--json")
    )  # fmt: skip
    assert added["kind"] == "scale" and issues.isdigit()

    listing = run(capsys, "--db", db, "question", "list")
    assert f"{ISSUES}  (multiple choice, up to 3; 0 answered)" in listing
    assert "- Housing, rent and repairs" in listing

    out = run(
        capsys, "--db", db, "answer", "add", "--question", ISSUES,
        "--value", "Housing, rent and repairs, NHS", "--value", "Transport",
        "--source", "doorstep", "--date", "2026-10-14", "0805914",
    )  # fmt: skip
    assert out == (
        f"Ann Jones, '{ISSUES}': Housing, rent and repairs; NHS; Transport (recorded).\n"
    )
    again = json.loads(
        run(
            capsys, "--db", db, "answer", "add", "--question", issues,
            "--value", "Housing, rent and repairs,NHS,Transport",
            "--source", "doorstep", "--date", "2026-10-14", "ann jones", "--json",
        )
    )  # fmt: skip
    assert (again["outcome"], again["written"]) == ("unchanged", False)
    out = run(
        capsys, "--db", db, "answer", "add", "--question", str(added["id"]), "--value", "4",
        "siân llŷr",
    )  # fmt: skip
    assert "Siân Llŷr, 'Support for a four-day week': 4 (recorded)." in out
    assert answers(db) == 2

    summary = json.loads(run(capsys, "--db", db, "question", "summary", ISSUES, "--json"))
    assert summary["respondents"] == 1
    assert [(o["label"], o["count"]) for o in summary["options"]] == [
        ("Housing, rent and repairs", 1),
        ("Transport", 1),
        ("NHS", 1),
        ("Schools", 0),
    ]
    document = json.loads(run(capsys, "--db", db, "question", "list", "--json"))
    assert [q["respondents"] for q in document] == [1, 1]

    assert "retired" in run(capsys, "--db", db, "question", "retire", ISSUES)
    assert "[retired]" in run(capsys, "--db", db, "question", "list")


def test_refusals_exit_1_with_one_sentence(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", db, "question", "add", "Support for a four-day week", "--kind", "scale")
    err = refused(
        capsys, "--db", db, "answer", "add", "--question", "Support for a four-day week",
        "--value", "7", "0805914",
    )  # fmt: skip
    assert err == "branchbook: 'Support for a four-day week' is a 1–5 scale; 7 is outside it.\n"
    err = refused(
        capsys, "--db", db, "answer", "add", "--question", "Parking", "--value", "1", "0805914"
    )
    assert "no question with the id or text 'Parking'" in err
    err = refused(
        capsys, "--db", db, "answer", "add", "--question", "1", "--value", "3", "Nobody Here"
    )
    assert "Nobody is called or numbered 'Nobody Here'" in err
    err = refused(capsys, "--db", db, "question", "add", "Colour", "--kind", "single choice")
    assert "needs two options or more" in err
    assert answers(db) == 0

    # Mistyped: argparse's usage error, exit 2.
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, "answer", "add", "--question", "1", "0805914"])
    assert stopped.value.code == 2
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, "answer", "add", "--question", "1", "--value", "3", "--date", "14/10"])
    assert stopped.value.code == 2


def test_answers_import(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "--db", db, "question", "add", ISSUES, "--kind", "multiple",
        "--option", "Housing", "--option", "NHS", "--option", "Transport")  # fmt: skip
    path = write_csv(
        tmp_path / "Survey (Responses).csv",
        ["Timestamp", "Email address", ISSUES],
        [
            {"Timestamp": "14/10/2026 09:41:22", "Email address": "ann@example.org",
             ISSUES: "NHS, Housing"},
            {"Timestamp": "15/10/2026 10:00:00", "Email address": "who@example.org",
             ISSUES: "NHS"},
            {"Timestamp": "16/10/2026 10:00:00", "Email address": "ann@example.org",
             ISSUES: "Parking"},
        ],
    )  # fmt: skip
    dry = json.loads(run(capsys, "--db", db, "answers-import", str(path), "--dry-run", "--json"))
    assert (dry["recorded"], dry["dry_run"]) == (1, True)
    assert answers(db) == 0

    out = run(capsys, "--db", db, "answers-import", str(path))
    assert out.startswith(
        "Survey (Responses).csv: recorded 1 answer from 2 of 3 responses; 0 already "
        "recorded; 2 problems to put right by hand."
    )
    assert "row 3: who@example.org matches nobody kept" in out
    assert "row 4, column C ('Top three local issues'): the question has no option 'Parking'" in out
    assert answers(db) == 1
    document = json.loads(run(capsys, "--db", db, "answers-import", str(path), "--json"))
    assert (document["recorded"], document["unchanged"]) == (0, 1)
    assert len(document["problems"]) == 2

    missing = refused(capsys, "--db", db, "answers-import", str(tmp_path / "nothing.xlsx"))
    assert "nothing.xlsx" in missing and missing.count("\n") == 1
