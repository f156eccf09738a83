"""``branchbook backup`` and ``branchbook restore`` on real files: a round trip, a rotated
folder and its listing, and one sentence (exit 1) or a usage error (exit 2) for mistakes."""

from __future__ import annotations

import gc
import json
import sqlite3
from pathlib import Path

import pytest

from db.backup_crypto import WRONG_PASSPHRASE
from db.database import Database
from desktop.cli import main
from desktop.cli_backup import PASSPHRASE_ENV
from tests.helpers.checks import dump_tables

PASSPHRASE = "the branch meets on thursdays"


@pytest.fixture
def db(demo_database: Database) -> str:
    demo_database.close()
    return str(demo_database.path)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_backup_then_restore_gives_back_every_row(
    db: str,
    demo_database: Database,
    passphrase_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump_tables(demo_database)
    target = tmp_path / "branch.bbk"
    out, _err = run(
        capsys,
        "--db",
        db,
        "backup",
        "-o",
        str(target),
        "--passphrase-file",
        str(passphrase_file),
        "--json",
    )
    document = json.loads(out)
    assert document["people"] == 400 and document["encrypted"] is True
    assert document["path"] == str(target) and document["removed"] == []
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM attendance")
    connection.close()
    gc.collect()  # dump_tables' connection must not hold the file open
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    out, _err = run(capsys, "--db", db, "restore", str(target), "--yes")
    assert out.startswith("Restored 400 people from branch.bbk (made on ")
    assert "The database as it was is kept as " in out
    assert dump_tables(demo_database) == before
    assert len(list(Path(db).parent.glob("demo.before-restore-*.sqlite3"))) == 1


def test_restore_onto_a_new_path_and_as_json(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    target = tmp_path / "branch.bbk"
    run(capsys, "--db", db, "backup", "-o", str(target))
    fresh = tmp_path / "new" / "branchbook.sqlite3"
    out, _err = run(capsys, "--db", str(fresh), "restore", str(target), "--yes", "--json")
    document = json.loads(out)
    assert document["database"] == str(fresh) and document["set_aside"] is None
    assert document["backup"]["people"] == 400
    out, _err = run(capsys, "--db", str(fresh), "info", "--json")
    assert json.loads(out)["people"] == 400


def test_a_passphrase_is_required_unless_no_encryption(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "branch.bbk"
    _out, err = run(capsys, "--db", db, "backup", "-o", str(target), code=1)
    assert err == (
        f"branchbook: Give the backup passphrase with --passphrase-file or {PASSPHRASE_ENV} "
        "(or --no-encryption).\n"
    )
    assert not target.exists()
    out, _err = run(capsys, "--db", db, "backup", "-o", str(target), "--no-encryption")
    assert out.endswith("NOT encrypted).\n")
    out, _err = run(capsys, "--db", str(tmp_path / "copy.sqlite3"), "restore", str(target), "--yes")
    assert out.startswith("Restored 400 people")


def test_a_wrong_passphrase_or_no_yes_is_one_sentence(
    db: str,
    tmp_path: Path,
    passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "branch.bbk"
    run(capsys, "--db", db, "backup", "-o", str(target), "--passphrase-file", str(passphrase_file))
    monkeypatch.setenv(PASSPHRASE_ENV, "somebody else's passphrase")
    _out, err = run(capsys, "--db", db, "restore", str(target), "--yes", code=1)
    assert err == f"branchbook: {WRONG_PASSPHRASE}\n"
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    _out, err = run(capsys, "--db", db, "restore", str(target), code=1)
    assert err == "branchbook: Add --yes to restore without being asked; nothing was changed.\n"
    assert list(Path(db).parent.glob("*before-restore*")) == []


def test_a_folder_of_backups_and_its_listing(
    db: str,
    tmp_path: Path,
    passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"not a backup")
    out, _err = run(
        capsys,
        "--db",
        db,
        "backup",
        "--folder",
        str(folder),
        "--passphrase-file",
        str(passphrase_file),
    )
    assert out.startswith(f"Backed up 400 people to {folder / 'branchbook-'}")
    out, _err = run(capsys, "backup", "list", str(folder))
    lines = out.splitlines()
    assert len(lines) == 2 and "400 people  encrypted" in lines[0]
    assert lines[1] == f"(1 backup in {folder})"
    listed = json.loads(run(capsys, "backup", "list", str(folder), "--json")[0])
    assert [Path(entry["path"]).name[:11] for entry in listed] == ["branchbook-"]
    assert (folder / "minutes.docx").exists()


def test_usage_errors_exit_2(
    db: str, tmp_path: Path, passphrase_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as neither:
        main(["--db", db, "backup"])
    assert neither.value.code == 2
    with pytest.raises(SystemExit) as both:
        main(
            [
                "--db",
                db,
                "backup",
                "-o",
                str(tmp_path / "b.bbk"),
                "--passphrase-file",
                str(passphrase_file),
                "--no-encryption",
            ]
        )
    assert both.value.code == 2
    capsys.readouterr()


def test_a_postgresql_database_is_sent_to_its_own_tools(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://officer@localhost:1/branch"
    (tmp_path / "b.bbk").write_bytes(b"x")
    _out, err = run(capsys, "--db", url, "restore", str(tmp_path / "b.bbk"), "--yes", code=1)
    assert "pg_restore" in err
