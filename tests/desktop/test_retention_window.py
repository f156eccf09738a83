"""Retention review and erasing from the window, on a real SQLite file and the real worker
thread; only the modal questions (the erase dialog's answer, file and message boxes) are
answered by the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.database import Database
from db.erasure import list_erasures
from db.models import Person
from db.retention import get_retention_years, retention_candidates
from desktop.erasure_dialog import EraseDialog
from desktop.main_window import MainWindow
from desktop.retention_window import RetentionWindow

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: said.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: pytest.fail(text))
    return said


def _answer_erase(monkeypatch: pytest.MonkeyPatch, reason: str, seen: list[str]) -> None:
    """Answer the erase dialog as the secretary would; ``seen`` gets what it said."""

    def exec_(dialog: EraseDialog) -> int:
        seen.extend(label.text() for label in dialog.findChildren(QLabel))
        assert not dialog.erase_button.isEnabled()
        dialog.reason.setText(reason)
        assert not dialog.erase_button.isEnabled()  # the tick is needed too
        dialog.understood.setChecked(True)
        assert dialog.erase_button.isEnabled()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(EraseDialog, "exec", exec_)


@pytest.fixture
def review(demo_database: Database, qtbot: QtBot) -> RetentionWindow:
    shown = RetentionWindow(demo_database, today=TODAY)
    qtbot.addWidget(shown)
    shown.show()
    assert shown.check()
    return shown


def test_the_list_is_the_branchs_period_and_ticked_people_are_erased(
    review: RetentionWindow,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    told: list[str],
    tmp_path: Path,
) -> None:
    with demo_database.session() as session:
        expected = retention_candidates(session, 3, today=TODAY)
        people_before = session.scalar(select(func.count()).select_from(Person))
    assert review.years.value() == 3 and not review.keep_button.isEnabled()
    assert [c.person_id for c in review.model.people] == [c.person_id for c in expected]
    assert len(expected) > 2
    assert review.shown.text().startswith(f"{len(expected):,} people not seen for 3 years; 0")
    assert not review.erase_button.isEnabled()
    review.grab().save(str(tmp_path / "retention.png"))

    # An undo step in another window, which could put erased details back.
    keeper = QWidget()
    stack = QUndoStack(keeper)
    stack.push(QUndoCommand("Merge two people"))
    keeper.show()

    model = review.model
    for row in (0, 1):
        assert model.setData(
            model.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    assert "2 ticked" in review.shown.text() and review.erase_button.isEnabled()
    chosen = {c.person_id for c in model.ticked_people()}
    seen: list[str] = []
    _answer_erase(monkeypatch, "Retention review, committee of 20 November", seen)

    review.erase_ticked()

    assert "<b>Erase 2 people?</b>" in seen
    assert told and told[-1].startswith("Erased 2 people")
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == people_before - 2
        assert all(session.get(Person, pid) is None for pid in chosen)
        (record,) = list_erasures(session)
    assert record.reason == "Retention review, committee of 20 November"
    assert len(model.people) == len(expected) - 2 and not model.ticked
    assert review.erasures.rowCount() == 1
    assert review.erasures.item(0, 3).text() == record.reason
    assert stack.count() == 0
    keeper.deleteLater()


def test_thinking_better_of_it_erases_nobody(
    review: RetentionWindow, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    review.model.tick_all(True)
    assert review.erase_button.isEnabled()
    monkeypatch.setattr(EraseDialog, "exec", lambda _d: QDialog.DialogCode.Rejected.value)
    review.erase_ticked()
    with demo_database.session() as session:
        assert list_erasures(session) == []
        assert all(session.get(Person, c.person_id) for c in review.model.people)


def test_the_period_can_become_the_branchs(
    review: RetentionWindow, demo_database: Database
) -> None:
    review.set_years(1)  # as a pause after the arrows does
    with demo_database.session() as session:
        one_year = retention_candidates(session, 1, today=TODAY)
    assert len(review.model.people) == len(one_year)
    assert review.keep_button.isEnabled()
    review.keep_button.click()
    with demo_database.session() as session:
        assert get_retention_years(session) == 1
    assert not review.keep_button.isEnabled()


def test_the_list_exports_to_a_workbook(
    review: RetentionWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "review.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "Excel workbook (*.xlsx)")
    )
    review.export()
    sheet = openpyxl.load_workbook(target).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [c.name for c in review.model.people]


def test_erase_person_from_the_people_menu(
    window: MainWindow,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    told: list[str],
) -> None:
    window.table.selectRow(0)
    person_id = window.selected_person_id()
    assert person_id is not None
    seen: list[str] = []
    _answer_erase(monkeypatch, "Asked in person at the AGM", seen)
    action = window.findChild(QAction, "erasePersonAction")
    assert action is not None
    action.trigger()
    assert any(text.startswith("This removes for good: 1 person") for text in seen)
    with demo_database.session() as session:
        assert session.get(Person, person_id) is None
    assert window.selected_person_id() != person_id


def test_data_protection_opens_the_review(window: MainWindow, qtbot: QtBot) -> None:
    action = window.findChild(QAction, "retentionAction")
    assert action is not None and action in window.privacy_menu.actions()
    action.trigger()
    shown = window.findChild(RetentionWindow)
    assert shown is not None and shown.isVisible()
    assert shown.model.people or "Nobody has gone unseen" in shown.shown.text()
    action.trigger()  # raised, not a second one
    assert len(window.findChildren(RetentionWindow)) == 1
    shown.close()


def test_arrow_clicks_work_the_list_out_once_they_pause(
    review: RetentionWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[int] = []
    monkeypatch.setattr(review, "check", lambda: checked.append(review.years.value()) or True)
    review.years.setValue(2)
    review.years.setValue(1)
    assert checked == [] and review.keep_button.isEnabled()
    qtbot.waitUntil(lambda: checked == [1], timeout=3000)
