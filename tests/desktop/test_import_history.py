"""The Imports dialog: lists imports and undoes one, or says in a sentence why not."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.database import Database
from db.importing.workflow import run_import
from db.models import ImportBatch, Person
from desktop.import_history import ImportHistoryDialog
from tests.db.importing.test_apply import ANN, BOB, OPTIONS, prepared


def people(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def test_undo_from_the_window(qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    _, first = run_import(database, prepared(database, tmp_path / "a.csv", ANN), OPTIONS)
    _, second = run_import(database, prepared(database, tmp_path / "b.csv", BOB), OPTIONS)
    asked: list[str] = []
    dialog = ImportHistoryDialog(database, confirm=lambda q: asked.append(q) or True)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 2).text() == "b.csv"  # newest first
    assert dialog.undo_button.isEnabled()

    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert asked and "b.csv" in asked[0]
    assert [u.batch_id for u in dialog.undone] == [second.batch_id]
    assert people(database) == 1
    assert dialog.table.item(0, 3).text() == "undone"
    assert "removed 1 person" in dialog.message.text()
    dialog.table.selectRow(0)
    assert not dialog.undo_button.isEnabled()  # an undone import cannot be undone again
    assert first.batch_id != second.batch_id


def test_a_refused_undo_says_why_and_changes_nothing(
    qtbot: QtBot, database: Database, tmp_path: Path
) -> None:
    run_import(database, prepared(database, tmp_path / "a.csv", ANN), OPTIONS)
    with database.session() as session:
        session.scalars(select(Person)).one().last_name = "Smith"  # met and corrected since
    dialog = ImportHistoryDialog(database, confirm=lambda _q: True)
    qtbot.addWidget(dialog)
    dialog.undo_selected()
    assert "cannot be undone" in dialog.message.text()
    assert people(database) == 1


def test_saying_no_changes_nothing(qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    run_import(database, prepared(database, tmp_path / "a.csv", ANN), OPTIONS)
    dialog = ImportHistoryDialog(database, confirm=lambda _q: False)
    qtbot.addWidget(dialog)
    dialog.undo_selected()
    assert people(database) == 1 and dialog.undone == []


@pytest.fixture
def india_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A clock five and a half hours off UTC, whatever the season: stored UTC shows."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is Unix-only")
def test_when_is_on_this_computers_clock(
    qtbot: QtBot, database: Database, tmp_path: Path, india_time: None
) -> None:
    run_import(database, prepared(database, tmp_path / "a.csv", ANN), OPTIONS)
    with database.session() as session:
        stored = session.scalars(select(ImportBatch)).one().started_at  # naive UTC
    dialog = ImportHistoryDialog(database)
    qtbot.addWidget(dialog)
    local = stored + dt.timedelta(hours=5, minutes=30)
    assert dialog.table.item(0, 1).text() == f"{local:%d/%m/%Y %H:%M}"
