"""Where the database lives and how a location is chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.database import default_path, describe, open_database, resolve_url
from db.errors import DatabaseError


def test_the_default_is_a_file_in_the_users_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = resolve_url(None)
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database or "") == default_path()
    assert default_path().is_relative_to(tmp_path / "data")
    database = open_database()
    try:
        assert default_path().exists()
    finally:
        database.close()


def test_the_environment_variable_overrides_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANCHBOOK_DB", str(tmp_path / "branch.sqlite3"))
    assert describe(resolve_url(None)) == str(tmp_path / "branch.sqlite3")


def test_an_explicit_target_beats_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANCHBOOK_DB", str(tmp_path / "env.sqlite3"))
    assert describe(resolve_url(tmp_path / "flag.sqlite3")) == str(tmp_path / "flag.sqlite3")


def test_urls_pass_through_without_showing_passwords() -> None:
    url = resolve_url("postgresql+psycopg://officer:secret@localhost/branch")
    assert url.get_backend_name() == "postgresql"
    assert "secret" not in describe(url)


def test_an_unknown_kind_of_database_is_refused() -> None:
    with pytest.raises(DatabaseError, match="cannot use a 'mysql' database"):
        open_database("mysql://localhost/branch")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(tmp_path)
