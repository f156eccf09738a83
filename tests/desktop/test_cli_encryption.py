"""``branchbook encrypt``, ``change-passphrase``, ``--passphrase-file`` and
BRANCHBOOK_PASSPHRASE, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from db import keys
from db.database import Database
from db.encryption import is_encrypted
from desktop.cli import main
from tests.db.test_encryption import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_passphrase_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture
def demo_file(demo_database: Database) -> Path:
    path = demo_database.path
    assert path is not None
    demo_database.close()
    return path


def passphrase_file(folder: Path, passphrase: str, name: str = "pass.txt") -> Path:
    file = folder / name
    file.write_text(passphrase + "\n", encoding="utf-8")
    return file


def test_encrypt_then_every_command_takes_the_passphrase_file(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = passphrase_file(tmp_path, "a long walk to the polling station")
    assert main(["--db", str(demo_file), "info"]) == 0
    assert "Encryption:  not encrypted" in capsys.readouterr().out

    assert main(["--db", str(demo_file), "encrypt", "--passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert "is encrypted now" in out
    recovery = out.strip().splitlines()[-1].strip()
    assert len(recovery.split("-")) == 8
    assert is_encrypted(demo_file)

    assert main(["--db", str(demo_file), "--passphrase-file", str(secret), "info", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["encrypted"] is True and document["people"] > 0
    assert main(["--db", str(demo_file), "--passphrase-file", str(secret), "info"]) == 0
    assert "Encryption:  encrypted (SQLCipher)" in capsys.readouterr().out
    assert main(["--db", str(demo_file), "--passphrase-file", str(secret), "people", "find"]) == 0
    assert "people)" in capsys.readouterr().out


def test_no_passphrase_is_one_sentence_and_exit_1(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring: object
) -> None:
    secret = passphrase_file(tmp_path, "right words")
    assert main(["--db", str(demo_file), "--passphrase-file", str(secret), "encrypt"]) == 0
    capsys.readouterr()
    assert main(["--db", str(demo_file), "info"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"branchbook: {demo_file} is encrypted: give its passphrase "
        "(--passphrase-file FILE or BRANCHBOOK_PASSPHRASE).\n"
    )
    wrong = passphrase_file(tmp_path, "wrong words", "wrong.txt")
    assert main(["--db", str(demo_file), "--passphrase-file", str(wrong), "info"]) == 1
    assert capsys.readouterr().err == (
        f"branchbook: The passphrase for {demo_file} is not right.\n"
    )


def test_headless_use_reads_the_environment_variable(
    demo_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "from the environment")
    assert main(["--db", str(demo_file), "encrypt", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["recovery_key"] and document["rows"] > 0
    assert main(["--db", str(demo_file), "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["encrypted"] is True


def test_encrypt_with_no_passphrase_and_no_keyring_flag_says_what_to_give(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(demo_file), "encrypt"]) == 1
    assert "--keyring" in capsys.readouterr().err
    assert not is_encrypted(demo_file)


def test_encrypt_into_the_credential_store(
    demo_file: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    assert main(["--db", str(demo_file), "encrypt", "--keyring"]) == 0
    assert "credential store" in capsys.readouterr().out
    assert memory_keyring.secrets
    assert main(["--db", str(demo_file), "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["encrypted"] is True


def test_change_passphrase(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = passphrase_file(tmp_path, "old words")
    new = passphrase_file(tmp_path, "new words", "new.txt")
    assert main(["--db", str(demo_file), "encrypt", "--passphrase-file", str(old)]) == 0
    args = ["--db", str(demo_file), "--passphrase-file", str(old)]
    assert main([*args, "change-passphrase", "--new-passphrase-file", str(new)]) == 0
    capsys.readouterr()
    assert main([*args, "info"]) == 1
    assert "is not right" in capsys.readouterr().err
    assert main(["--db", str(demo_file), "--passphrase-file", str(new), "info"]) == 0


def test_a_real_process_prints_one_sentence_and_no_sqlcipher_noise(
    demo_file: Path, tmp_path: Path
) -> None:
    secret = passphrase_file(tmp_path, "right words")
    assert main(["--db", str(demo_file), "encrypt", "--passphrase-file", str(secret)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(demo_file), "info"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**_environment(), keys.PASSPHRASE_ENV: "wrong words"},
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"branchbook: The passphrase for {demo_file} is not right.\n"


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != keys.PASSPHRASE_ENV}


def test_a_new_database_made_with_a_passphrase_prints_its_recovery_key_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.sqlite3"
    secret = passphrase_file(tmp_path, "a brand new branch")
    assert main(["--db", str(path), "--passphrase-file", str(secret), "info", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["encrypted"] is True
    assert "created encrypted" in err and "Recovery key" in err
    recovery = err.strip().splitlines()[-1].strip()
    assert main(["--db", str(path), "--passphrase-file", str(secret), "info"]) == 0
    assert "Recovery key" not in capsys.readouterr().err
    file = passphrase_file(tmp_path, recovery, "recovery.txt")
    assert main(["--db", str(path), "--passphrase-file", str(file), "info"]) == 0


def test_the_users_own_new_database_is_encrypted_when_there_is_a_passphrase(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.database import default_path

    monkeypatch.setattr(keys, "credential_store_available", lambda: False)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "the secretary's words")
    assert main(["info"]) == 0
    err = capsys.readouterr().err
    assert "was created encrypted" in err and "Recovery key" in err
    assert is_encrypted(default_path())


def test_with_nowhere_to_keep_a_key_it_is_made_plain_and_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.database import default_path

    monkeypatch.setattr(keys, "credential_store_available", lambda: False)
    assert main(["info"]) == 0
    err = capsys.readouterr().err
    assert "was created unencrypted" in err and "'branchbook encrypt'" in err
    assert default_path().exists() and not is_encrypted(default_path())
    assert main(["info"]) == 0  # said once, when it was made
    assert "unencrypted" not in capsys.readouterr().err
