"""Shared fixtures: real SQLite files in temporary folders, never the user's own database."""

from __future__ import annotations

import os

# Before anything imports Qt: CI has no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("BRANCHBOOK_DB", None)

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.database import Database, open_database

DEMO_PEOPLE = 400
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """platformdirs and QSettings write under a throwaway home, not the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("BRANCHBOOK_DB", raising=False)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database in a real file."""
    db = open_database(tmp_path / "branchbook.sqlite3", actor="tester")
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo branch built once per test run; tests get copies of the file."""
    import datetime as dt

    from db.demo import load_demo

    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    db = open_database(path, actor="tester")
    load_demo(db, people=DEMO_PEOPLE, seed=DEMO_SEED, as_of=dt.date(2026, 11, 1))
    db.close()
    return path


@pytest.fixture
def demo_database(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    db = open_database(path, actor="tester")
    yield db
    db.close()
