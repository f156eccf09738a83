"""``branchbook audit`` and ``branchbook exports`` on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_the_trail_lists_exports_and_the_exports_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.sqlite3")
    run(capsys, "--db", db, "demo", "--people", "120", "--seed", "4")
    run(capsys, "--db", db, "settings", "set", "branch_name=Riverside")
    lines = json.loads(run(capsys, "--db", db, "audit", "list", "--json", "--limit", "5"))
    assert lines["total"] >= 2 and len(lines["lines"]) <= 5
    newest = lines["lines"][0]
    assert newest["what"] == "setting" and "branch name" not in newest["detail"]
    assert "Riverside" in newest["detail"]
    text = run(capsys, "--db", db, "audit", "list", "--find", "riverside")
    assert "Riverside" in text
    assert run(capsys, "--db", db, "audit", "list", "--from", "2999-01-01") == (
        "The audit trail is empty.\n"
    )
    out = tmp_path / "trail.xlsx"
    assert "lines of the audit trail written to" in run(
        capsys, "--db", db, "audit", "export", "-o", str(out)
    )
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.max_row == lines["total"] + 1
    exports = json.loads(run(capsys, "--db", db, "exports", "--json"))
    assert [(e["kind"], Path(e["file_name"]).name) for e in exports] == [
        ("audit trail", "trail.xlsx")
    ]
