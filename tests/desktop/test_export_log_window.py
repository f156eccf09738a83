"""File → Data protection → Export log…: the files real exports wrote, newest first, with
their segment and head count, narrowed by date; read-only."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from db.database import Database
from db.models import ExportLog
from desktop.export_log_window import ExportLogWindow
from desktop.main_window import MainWindow
from reports.people_export import export_people
from reports.segment_export import export_segment
from tests.helpers.mailing_people import seed_branch


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's clock on UK time, whatever the machine running the tests is set to."""
    if not hasattr(time, "tzset"):
        pytest.skip("the time zone cannot be changed here (Windows)")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def exported(database: Database, tmp_path: Path) -> Database:
    """The small branch exported twice today, and one file logged in 2024."""
    seed_branch(database)
    with database.session() as session:
        export_people(session, tmp_path / "people.xlsx")
        export_segment(session, "Members", tmp_path / "members.xlsx")
        session.execute(
            insert(ExportLog).values(
                at=dt.datetime(2024, 6, 3, 10, 0),
                actor="chair",
                kind="labels",
                file_name=str(tmp_path / "old labels.pdf"),
                segment="Members",
                people=120,
            )
        )
    return database


def rows(window: ExportLogWindow) -> list[list[str]]:
    model = window.model
    return [
        [str(model.data(model.index(row, column))) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_the_files_real_exports_wrote_are_listed_newest_first(
    exported: Database, tmp_path: Path, qtbot: QtBot, qtmodeltester: Any, london: None
) -> None:
    window = ExportLogWindow(exported)
    qtbot.addWidget(window)
    assert [row[1:] for row in rows(window)] == [
        ["tester", "segment export", "Members", "4", str(tmp_path / "members.xlsx")],
        ["tester", "people export", "", "8", str(tmp_path / "people.xlsx")],
        ["chair", "labels", "Members", "120", str(tmp_path / "old labels.pdf")],
    ]
    assert rows(window)[2][0] == "03/06/2024 11:00"  # in BST, on the laptop's clock
    assert window.count_label.text() == "3 files, newest first"
    model = window.model
    alignment = model.data(model.index(0, 4), Qt.ItemDataRole.TextAlignmentRole)
    assert isinstance(alignment, Qt.AlignmentFlag) and alignment & Qt.AlignmentFlag.AlignRight
    assert not model.flags(model.index(0, 5)) & Qt.ItemFlag.ItemIsEditable
    qtmodeltester.check(model)


def test_the_dates_narrow_the_list(exported: Database, qtbot: QtBot, london: None) -> None:
    window = ExportLogWindow(exported)
    qtbot.addWidget(window)
    window.dates.set_range(dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert [row[2] for row in rows(window)] == ["labels"]
    assert window.count_label.text() == "1 file in those days, of 3"
    window.dates.set_range(dt.date.today(), None)
    assert [row[2] for row in rows(window)] == ["segment export", "people export"]
    window.dates.set_range(None, dt.date(2024, 6, 2))
    assert rows(window) == []
    # Midnight at the start of 3 June in BST is 23:00 UTC on the 2nd.
    assert window.dates.bounds() == (None, dt.datetime(2024, 6, 2, 23, 0))


def test_an_empty_log_says_so(database: Database, qtbot: QtBot) -> None:
    window = ExportLogWindow(database)
    qtbot.addWidget(window)
    assert rows(window) == []
    assert window.count_label.text() == "No file has been exported yet."


def test_the_file_menu_opens_one_export_log(window: MainWindow) -> None:
    action = next(a for a in window.privacy_menu.actions() if a.objectName() == "exportLogAction")
    action.trigger()
    opened = window.findChildren(ExportLogWindow)
    assert len(opened) == 1 and opened[0].isVisible()
    action.trigger()
    assert window.findChildren(ExportLogWindow) == opened
    opened[0].close()
