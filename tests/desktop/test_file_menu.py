"""File → Imports…, Export people…, Export corrections for the region…: every operation the
core offers on imports and exports, reached from the window and driven as a secretary would."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import desktop.export_actions
from db.corrections import list_corrections
from db.database import Database
from db.importing.workflow import run_import
from db.models import Person
from desktop.export_actions import XLSX_FILTER, default_export_path
from desktop.import_history import ImportHistoryDialog
from desktop.jobs import Job, JobOutcome
from desktop.main_window import MainWindow
from reports.corrections_export import COLUMNS as CORRECTION_COLUMNS
from reports.people_export import COLUMNS as PEOPLE_COLUMNS
from tests.db.importing.test_apply import ANN, BOB, OPTIONS, prepared


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: notes what it was offered, answers
    ``answer`` (an empty string is the secretary pressing Cancel)."""

    def __init__(self, answer: Path | str) -> None:
        self.answer = str(answer)
        self.offered: list[tuple[str, str, str]] = []

    def __call__(self, _parent: QWidget, caption: str, directory: str, filters: str) -> Any:
        self.offered.append((caption, directory, filters))
        return self.answer, filters if self.answer else ""


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *rest: shown.append(text)
    )
    return shown


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A folder of its own, so a listing shows exactly what an export left behind."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def people_in(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()


def test_the_file_menu_reaches_the_import_and_export_operations(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions() if not action.isSeparator()]
    for action in (
        window.import_action,
        window.imports_action,
        window.export_people_action,
        window.export_corrections_action,
    ):
        assert action.text() in texts
        assert action.isEnabled()
    assert window.export_people_action.shortcut().toString() == "Ctrl+E"


def test_export_people_writes_everyone_where_the_secretary_chose(
    window: MainWindow, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save = SaveDialog(exports / "everyone")  # typed without .xlsx
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)

    window.export_people_action.trigger()

    caption, offered, filters = save.offered[0]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert caption == "Export people"
    assert Path(offered) == Path(documents) / f"Branchbook people {dt.date.today():%Y-%m-%d}.xlsx"
    assert filters == XLSX_FILTER == "Excel workbook (*.xlsx)"
    written = exports / "everyone.xlsx"
    rows = sheet_rows(written, "People")
    people = people_in(window.database)
    assert rows[0] == tuple(column.header for column in PEOPLE_COLUMNS)
    assert len(rows) == people + 1
    assert window.statusBar().currentMessage() == f"Wrote {people:,} people to {written}"
    assert os.listdir(exports) == ["everyone.xlsx"]  # and no temporary left beside it


def test_cancelling_the_export_writes_nothing(
    window: MainWindow, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_job = desktop.export_actions.run_job

    def cancel_at_once(parent: QWidget, title: str, job: Job, **options: Any) -> JobOutcome:
        # As if Cancel were pressed the moment the job began: the export's own first look.
        def cancelled_job(progress: Any, _cancelled: Callable[[], bool]) -> Any:
            return job(progress, lambda: True)

        return real_run_job(parent, title, cancelled_job, **options)

    monkeypatch.setattr(desktop.export_actions, "run_job", cancel_at_once)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveDialog(exports / "people.xlsx"))

    window.export_people_action.trigger()

    assert os.listdir(exports) == []  # no workbook, no half-written temporary
    assert window.statusBar().currentMessage() == "Cancelled: no file was written."


def test_cancelling_the_save_dialog_does_nothing(
    window: MainWindow, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save = SaveDialog("")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    window.export_people_action.trigger()
    window.export_corrections_action.trigger()
    assert len(save.offered) == 2
    assert os.listdir(exports) == []
    assert window.statusBar().currentMessage() == ""


def test_a_file_that_cannot_be_written_is_one_sentence(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors_shown: list[str]
) -> None:
    missing = tmp_path / "no such folder" / "people.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveDialog(missing))
    window.export_people_action.trigger()
    assert errors_shown == [
        f"The folder {missing.parent} does not exist, so people.xlsx cannot be saved there."
    ]
    assert window.statusBar().currentMessage() == ""


def test_an_added_xlsx_asks_before_replacing_another_file(
    window: MainWindow, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The save dialog asked about "people", not about the "people.xlsx" the export adds.
    earlier = exports / "people.xlsx"
    earlier.write_bytes(b"last month's")
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveDialog(exports / "people"))
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _parent, _title, text, *rest: asked.append(text) or QMessageBox.StandardButton.No,
    )
    window.export_people_action.trigger()
    assert asked == [f"people.xlsx already exists in {exports}. Replace it?"]
    assert earlier.read_bytes() == b"last month's"
    assert os.listdir(exports) == ["people.xlsx"]


def test_export_corrections_writes_them_and_says_how_many_since_when(
    window: MainWindow, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save = SaveDialog(exports / "for the region.xlsx")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    with window.database.session() as session:
        expected = list_corrections(session)
    assert expected.rows, "the demo branch should have corrections to send"
    people = len({row.person_id for row in expected.rows})

    window.export_corrections_action.trigger()

    assert Path(save.offered[0][1]).name == (
        f"Branchbook corrections {dt.date.today():%Y-%m-%d}.xlsx"
    )
    written = exports / "for the region.xlsx"
    rows = sheet_rows(written, "Corrections")
    assert rows[0] == tuple(heading for heading, _width in CORRECTION_COLUMNS)
    assert len(rows) == len(expected.rows) + 1
    assert window.statusBar().currentMessage() == (
        f"Wrote {len(expected.rows):,} corrections for {people:,} people, since records "
        f"began (no national list has been imported yet), to {written}"
    )


def test_corrections_since_a_national_list_name_its_date(
    database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(database, prepared(database, tmp_path / "national.csv", ANN), OPTIONS)
    with database.session() as session:
        since = list_corrections(session).since
    assert since is not None
    window = MainWindow(database)
    qtbot.addWidget(window)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveDialog(tmp_path / "c.xlsx"))

    window.export_corrections_action.trigger()

    local = since.replace(tzinfo=dt.UTC).astimezone()
    assert window.statusBar().currentMessage() == (
        f"Wrote 0 corrections for 0 people, since the national list imported on "
        f"{local:%d/%m/%Y at %H:%M}, to {tmp_path / 'c.xlsx'}"
    )
    assert len(sheet_rows(tmp_path / "c.xlsx", "Corrections")) == 1  # the header alone


def test_an_import_undone_from_the_window_leaves_the_list_up_to_date(
    database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(database, prepared(database, tmp_path / "a.csv", ANN), OPTIONS)
    _, second = run_import(database, prepared(database, tmp_path / "b.csv", BOB), OPTIONS)
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    assert window.model.total == 2
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)

    window.imports_action.trigger()
    dialog = window.findChild(ImportHistoryDialog)
    assert isinstance(dialog, ImportHistoryDialog) and dialog.isVisible()
    assert [dialog.table.item(row, 2).text() for row in range(2)] == ["b.csv", "a.csv"]
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert window.model.total == 2  # the list waits for the dialog to close
    dialog.reject()

    assert window.model.total == people_in(database) == 1
    assert window.count_label.text() == "1 people"
    assert window.statusBar().currentMessage() == f"Undid import {second.batch_id}."


def test_closing_the_imports_dialog_without_undoing_leaves_the_list_alone(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshed: list[None] = []
    monkeypatch.setattr(window, "refresh", lambda: refreshed.append(None))
    dialog = window.show_imports()
    assert dialog.table.rowCount() == 0
    assert dialog.message.text() == "Nothing has been imported yet."
    dialog.reject()
    assert refreshed == []


def test_the_default_name_is_dated_and_in_documents() -> None:
    path = default_export_path("Branchbook people", dt.date(2026, 3, 9))
    assert path.name == "Branchbook people 2026-03-09.xlsx"
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert path.parent == Path(documents)
