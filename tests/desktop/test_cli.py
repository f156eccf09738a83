"""The ``branchbook`` command: headless, one sentence on errors, right exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from db.database import Database, open_database
from db.people import NewPerson, add_person
from desktop.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_info_reports_location_schema_and_counts(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(demo_database.path)
    demo_database.close()
    assert main(["--db", path, "info", "--json"]) == 0
    out, err = capsys.readouterr()
    info = json.loads(out)
    assert info["location"] == path
    assert info["schema_revision"] == info["schema_head"] == "0005"
    assert info["people"] > info["members"] > 0
    assert info["households"] > 0 and info["meetings"] > 0
    assert err == ""


def test_headless_commands_never_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        f"assert main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'info']) == 0\n"
        f"assert main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'people', 'find', 'x']) == 0\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT:' + ','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "QT:"


def test_demo_then_find_and_show_a_person(tmp_path: Path) -> None:
    db = str(tmp_path / "branch.sqlite3")
    demo = run("--db", db, "demo", "--people", "120", "--seed", "3", "--json")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["people"] == 120
    found = run("--db", db, "people", "find", "lukasz", "wojcik", "--json")
    assert found.returncode == 0, found.stderr
    people = json.loads(found.stdout)["people"]
    assert [p["first_name"] for p in people] == ["Łukasz"]
    shown = run("--db", db, "person", "show", str(people[0]["id"]))
    assert shown.returncode == 0
    assert shown.stdout.startswith("Łukasz Wójcik")


def test_demo_refuses_a_database_that_holds_people(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(demo_database.path)
    demo_database.close()
    before = Path(path).read_bytes()
    assert main(["--db", path, "demo"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("branchbook: This database already holds")
    assert len(err.strip().splitlines()) == 1
    assert Path(path).read_bytes() == before


def test_settings_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert (
        main(
            [
                "--db",
                db,
                "settings",
                "set",
                "branch_name=Millbrook & District",
                "imprint=Promoted by A. Secretary",
            ]
        )
        == 0
    )
    assert main(["--db", db, "settings", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["branch_name"] == "Millbrook & District"
    assert shown["imprint"] == "Promoted by A. Secretary"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["settings", "set", "colour=red"], "'colour=red' is not a setting"),
        (["person", "show", "Nobody Atall"], "Nobody is called or numbered 'Nobody Atall'."),
    ],
)
def test_user_errors_are_one_sentence_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["--db", str(tmp_path / "e.sqlite3"), *args]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "members.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 100)
    result = run("--db", str(bad), "info")
    assert result.returncode == 1
    assert (
        result.stderr == f"branchbook: {bad} is not a Branchbook database (or it is encrypted).\n"
    )


def test_an_ambiguous_name_lists_the_candidates(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite3")
    database = open_database(db)
    with database.session() as session:
        for number in ("1001", "1002"):
            add_person(session, NewPerson("Ann", "Example", "member", membership_number=number))
    database.close()
    result = run("--db", db, "person", "show", "ann example")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "branchbook: 'ann example' matches 2 people; name one by id."
    assert "membership number 1001" in lines[1] and "membership number 1002" in lines[2]


@pytest.mark.parametrize("args", [["frobnicate"], ["demo", "--people", "0"], ["info", "--bogus"]])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "u.sqlite3"), *args)
    assert result.returncode == 2
    assert "usage: branchbook" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_sweeps_what_a_killed_run_left_beside_the_database(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt
    import os

    from db.stale_files import STALE_AFTER

    assert database.path is not None
    database.close()
    leftover = database.path.with_name(".people.0badc0de.tmp")  # a workbook half written
    fresh = database.path.with_name(".people.1badc0de.tmp")  # one being written right now
    leftover.write_bytes(b"Sian,Llyr-Jones,CF10 1AA")
    fresh.write_bytes(b"Sian,Llyr-Jones,CF10 1AA")
    old = (dt.datetime.now() - STALE_AFTER - dt.timedelta(minutes=1)).timestamp()
    os.utime(leftover, (old, old))
    assert main(["--db", str(database.path), "info"]) == 0
    capsys.readouterr()
    assert not leftover.exists()
    assert fresh.exists()
