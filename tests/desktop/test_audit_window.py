"""File → Data protection → Audit trail…: the lines real edits wrote, newest first, narrowed
in SQL, read a page at a time, exported to a workbook that is itself logged; and nothing in
the window can change a line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

import desktop.audit_window as audit_module
from db.audit_log import AuditFilter, audit_count
from db.database import Database, open_database
from db.export_log import list_exports
from db.models import AuditEntry, Person
from desktop.audit_window import AuditWindow
from desktop.jobs import Job, JobOutcome
from desktop.log_filters import ANYONE, _ChoosePerson
from desktop.log_table import PAGE_SIZE
from desktop.main_window import MainWindow
from tests.helpers.mailing_people import Branch, seed_branch


def rename(database: Database, person_id: int, first: str) -> None:
    with database.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.first_name = first


@pytest.fixture
def branch(database: Database) -> Branch:
    """The small branch, then Siân renamed by the secretary and back by the treasurer."""
    seeded = seed_branch(database)
    rename(database, seeded["Siân Llŷr-Jones"], "Sian")
    treasurer = open_database(database.url.database, actor="treasurer")
    try:
        rename(treasurer, seeded["Siân Llŷr-Jones"], "Siân")
    finally:
        treasurer.close()
    return seeded


@pytest.fixture
def trail(database: Database, branch: Branch, qtbot: QtBot) -> AuditWindow:
    window = AuditWindow(database)
    qtbot.addWidget(window)
    window.show()
    return window


def shown(window: AuditWindow, column: int) -> list[str]:
    model = window.model
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


def test_the_lines_real_edits_wrote_are_shown_newest_first_with_old_and_new(
    trail: AuditWindow, database: Database
) -> None:
    with database.session() as session:
        everything = audit_count(session)
    assert trail.model.rowCount() == trail.model.total == everything
    assert shown(trail, 1)[:2] == ["treasurer", "tester"]
    assert shown(trail, 4)[:2] == ["Siân Llŷr-Jones", "Siân Llŷr-Jones"]
    assert shown(trail, 5)[:2] == ["first name: Sian → Siân", "first name: Siân → Sian"]
    assert trail.count_label.text() == f"{everything:,} lines, newest first"
    trail.table.selectRow(0)
    assert "treasurer, update person about Siân Llŷr-Jones" in trail.detail.text()
    assert "first name: Sian → Siân" in trail.detail.text()


def test_each_filter_narrows_the_count_in_sql(
    trail: AuditWindow, database: Database, branch: Branch
) -> None:
    with database.session() as session:
        everything = audit_count(session)
    assert not trail.actor_combo.loaded  # read only when the list is opened
    trail.actor_combo.choose("treasurer")
    assert shown(trail, 5) == ["first name: Sian → Siân"]
    assert trail.count_label.text() == f"1 of {everything:,} lines match"

    assert [trail.actor_combo.itemText(i) for i in range(3)] == [ANYONE, "tester", "treasurer"]
    trail.actor_combo.choose(None)
    trail.person.set_person(branch["Łukasz Wójcik"], "Łukasz Wójcik")
    assert set(shown(trail, 4)) == {"Łukasz Wójcik"}
    with database.session() as session:
        about_him = audit_count(session, AuditFilter(person_id=branch["Łukasz Wójcik"]))
    assert trail.model.total == about_him > 0

    trail.person.set_person(None, "")
    trail.find_edit.setText("wójcik")  # typed text waits for a pause; Enter reads at once
    trail.find_edit.returnPressed.emit()
    assert set(shown(trail, 4)) == {"Łukasz Wójcik", "Agnieszka Wójcik"}

    trail.find_edit.clear()
    trail.dates.set_range(dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    assert trail.model.rowCount() == 0
    assert trail.count_label.text() == f"No line of {everything:,} matches."
    assert not trail.export_button.isEnabled()
    today = dt.date.today()
    trail.dates.set_range(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    assert trail.model.total == everything


def test_a_long_trail_is_read_a_page_at_a_time(
    database: Database, qtbot: QtBot, qtmodeltester: Any
) -> None:
    moment = dt.datetime(2025, 5, 1, 12, 0)
    rows = [
        # Ten lines to a second, as a bulk write makes them: pages must not split them wrongly.
        {"at": moment - dt.timedelta(seconds=n // 10), "actor": "importer", "action": "update",
         "table_name": "person", "summary": f"line {n}"}
        for n in range(PAGE_SIZE * 2 + 55)
    ]  # fmt: skip
    with database.session() as session:
        session.execute(insert(AuditEntry), rows)
    window = AuditWindow(database)
    qtbot.addWidget(window)
    model = window.model
    assert model.total == len(rows)
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == len(rows)
    # Older seconds further down; within a second, the line written last first.
    newest_first = sorted(range(len(rows)), key=lambda n: (n // 10, -n))
    assert shown(window, 5) == [f"line {n}" for n in newest_first]
    qtmodeltester.check(model)


def test_nothing_in_the_window_can_edit_a_line(trail: AuditWindow) -> None:
    model = trail.model
    for column in range(model.columnCount()):
        flags = model.flags(model.index(0, column))
        assert not flags & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 0), "changed", Qt.ItemDataRole.EditRole)
    assert trail.table.editTriggers() == trail.table.EditTrigger.NoEditTriggers
    before = shown(trail, 5)
    trail.table.setCurrentIndex(model.index(0, 5))
    trail.table.edit(model.index(0, 5))
    assert shown(trail, 5) == before


def answer_save(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    offered: list[str] = []

    def save(_parent: QWidget, _caption: str, directory: str, _filters: str) -> tuple[str, str]:
        offered.append(directory)
        return str(path), "Excel workbook (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    return offered


def test_export_writes_the_lines_the_filters_keep_and_logs_the_file(
    trail: AuditWindow, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "trail.xlsx"
    target.parent.mkdir()
    offered = answer_save(monkeypatch, target)
    trail.find_edit.setText("Sian")
    trail.refresh()
    assert trail.model.total == 2

    assert trail.export() == target

    assert Path(offered[0]).name == f"Branchbook audit trail {dt.date.today().isoformat()}"
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    assert [row[1:] for row in rows[1:]] == [
        ("tester", "update", "person", "Siân Llŷr-Jones", "first name: Siân → Sian"),
        ("treasurer", "update", "person", "Siân Llŷr-Jones", "first name: Sian → Siân"),
    ]
    assert trail.message.text() == f"Wrote 2 lines to {target}"
    assert sorted(p.name for p in target.parent.iterdir()) == ["trail.xlsx"]
    with database.session() as session:
        logged = list_exports(session)
    assert [(line.kind, line.file_name, line.actor) for line in logged] == [
        ("audit trail", str(target), "tester")
    ]


def test_a_cancelled_export_leaves_no_file_and_no_log_line(
    trail: AuditWindow, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "trail.xlsx"
    answer_save(monkeypatch, target)

    def cancel_at_once(_parent: QWidget, _title: str, job: Job, **_options: Any) -> JobOutcome:
        outcome = JobOutcome()
        try:
            outcome.result = job(lambda *_args: None, lambda: True)
        except BaseException as exc:  # noqa: BLE001 - what run_job hands back
            outcome.error = exc
        return outcome

    monkeypatch.setattr(audit_module, "run_job", cancel_at_once)
    assert trail.export() is None
    assert trail.message.text() == "Cancelled: no file was written."
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".*.tmp")) == []
    with database.session() as session:
        assert list_exports(session) == []


def open_from_menu(window: MainWindow, object_name: str) -> Callable[[], None]:
    menu = window.privacy_menu
    action = next(a for a in menu.actions() if a.objectName() == object_name)
    return action.trigger


def test_the_file_menu_opens_one_audit_window(window: MainWindow, qtbot: QtBot) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert window.privacy_menu.menuAction() in file_menu.actions()
    open_from_menu(window, "auditTrailAction")()
    first = window.findChildren(AuditWindow)
    assert len(first) == 1 and first[0].isVisible()
    assert first[0].model.total >= 1
    open_from_menu(window, "auditTrailAction")()
    assert window.findChildren(AuditWindow) == first
    first[0].close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert window.findChildren(AuditWindow) == []


def test_the_person_is_chosen_by_typing_their_name(
    trail: AuditWindow, branch: Branch, monkeypatch: pytest.MonkeyPatch
) -> None:
    def type_and_pick(dialog: _ChoosePerson) -> int:
        dialog.search.set_text("lukasz")  # typed as at the door: no accent, no Ł
        dialog.search.pick_selected()
        return dialog.result()

    monkeypatch.setattr(_ChoosePerson, "exec", type_and_pick)
    trail.person.choose_button.click()
    assert trail.person.person_id == branch["Łukasz Wójcik"]
    assert "Łukasz Wójcik" in trail.person.name_label.text()
    assert set(shown(trail, 4)) == {"Łukasz Wójcik"}
    trail.person.clear_button.click()
    assert trail.person.person_id is None and len(set(shown(trail, 4))) > 1
