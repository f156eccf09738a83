"""``branchbook segment`` on a real file: save, list, count, export, delete; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.database import Database
from db.people import NewPerson, add_person
from desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_segments_from_the_command_line(
    database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with database.session() as session:
        add_person(session, NewPerson("Ann", "Jones", status="member", membership_type="Standard"))
        add_person(session, NewPerson("Bob", "Hale", status="member", membership_type="Reduced"))
        add_person(session, NewPerson("Cat", "Hale", status="supporter"))
    db = str(database.path)
    database.close()

    rules = tmp_path / "rules.json"
    rules.write_text('{"rule": "membership_type", "in": ["Standard"]}', encoding="utf-8")
    assert "Created segment 'Standard'" in run(
        capsys,
        "--db",
        db,
        "segment",
        "save",
        "Standard",
        "--rules",
        str(rules),
        "--description",
        "Full rate",
    )
    inline = '{"not": {"rule": "segment", "name": "Standard"}}'
    run(capsys, "--db", db, "segment", "save", "Others", "--rules", inline)

    listed = json.loads(run(capsys, "--db", db, "segment", "list", "--json"))
    counts = {row["name"]: (row["builtin"], row["count"]) for row in listed}
    assert counts["Members"] == (True, 2)
    assert counts["Standard"] == (False, 1)
    assert counts["Others"] == (False, 2)
    assert "Supporters" in run(capsys, "--db", db, "segment", "list")

    assert run(capsys, "--db", db, "segment", "count", "members").strip() == "2"
    assert json.loads(run(capsys, "--db", db, "segment", "count", "Others", "--json"))["count"] == 2

    target = tmp_path / "members.xlsx"
    assert "2 people written" in run(
        capsys, "--db", db, "segment", "export", "Members", "-o", str(target)
    )
    names = [row[1] for row in load_workbook(target).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Bob", "Ann"]

    # Mistakes: one sentence on stderr and exit 1; nothing changed.
    assert main(["--db", db, "segment", "delete", "Standard"]) == 1
    assert "'Others' uses 'Standard'" in capsys.readouterr().err
    assert (
        main(["--db", db, "segment", "save", "Bad", "--rules", '{"rule": "tag", "name": "X"}']) == 1
    )
    assert capsys.readouterr().err.strip() == "branchbook: There is no tag called 'X'."
    assert main(["--db", db, "segment", "count", "Nobody"]) == 1
    assert "no segment called 'Nobody'" in capsys.readouterr().err
    assert main(["--db", db, "segment", "delete", "Members"]) == 1
    assert "built in" in capsys.readouterr().err
    assert main(["--db", db, "segment", "save", "X", "--rules", str(tmp_path / "no.json")]) == 1
    assert "There is no rules file" in capsys.readouterr().err

    assert "Deleted" in run(capsys, "--db", db, "segment", "delete", "Others")
    assert "Deleted" in run(capsys, "--db", db, "segment", "delete", "Standard")
    with pytest.raises(SystemExit) as usage:
        main(["--db", db, "segment", "export", "Members"])
    assert usage.value.code == 2
