"""Meetings → Import attendance…, driven as a secretary would: a real workbook, a real
database file, the rows the importer could not place resolved in the result dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.database import Database
from db.meetings import NewMeeting, add_meeting, attendance_summary
from db.models import Attendance
from db.people import NewPerson, add_person
from desktop.attendance_import_dialog import (
    FOLDER_KEY,
    AttendanceResultDialog,
    summary_text,
)
from desktop.checkin_window import ChooseMeetingDialog
from desktop.main_window import MainWindow

HEADER = ["Timestamp", "Name", "Email address", "Membership number"]


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Form responses 1"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


class Branch:
    def __init__(self, database: Database) -> None:
        with database.session() as session:
            self.ann = add_person(
                session, NewPerson("Ann", "Jones", status="member", membership_number="0805914")
            )
            self.bob = add_person(
                session, NewPerson("Bob", "Hale", status="member", email="bob@example.org")
            )
            self.cy_member = add_person(session, NewPerson("Cy", "Ward", status="member"))
            self.cy_supporter = add_person(session, NewPerson("Cy", "Ward", status="supporter"))
            self.joanne = add_person(session, NewPerson("Joanne", "Bloggs", status="member"))
            self.other = add_meeting(session, NewMeeting("Earlier", dt.datetime(2026, 1, 8, 19)))
            self.meeting = add_meeting(
                session, NewMeeting("December branch meeting", dt.datetime(2026, 12, 3, 19, 30))
            )


@pytest.fixture
def branch(database: Database) -> Branch:
    return Branch(database)


@pytest.fixture
def main(database: Database, branch: Branch, qtbot: QtBot) -> MainWindow:
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def chosen_meeting(monkeypatch: pytest.MonkeyPatch, branch: Branch) -> list[str]:
    """ChooseMeetingDialog answers with the December meeting; notes the title it showed."""
    titles: list[str] = []

    def choose(dialog: ChooseMeetingDialog) -> int:
        titles.append(dialog.windowTitle())
        dialog.combo.setCurrentIndex(dialog.combo.findData(branch.meeting))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChooseMeetingDialog, "exec", choose)
    return titles


def open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    offered: list[str] = []

    def answer(_parent: QWidget, _caption: str, folder: str, filters: str) -> tuple[str, str]:
        offered.append(filters)
        offered.append(folder)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    return offered


def present(database: Database, meeting: int) -> list[int]:
    with database.session() as session:
        return sorted(pid for pid, _name in attendance_summary(session, meeting).present)


def test_attendance_imported_and_the_rest_resolved_in_the_dialog(
    main: MainWindow,
    branch: Branch,
    chosen_meeting: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    sheet = write_xlsx(
        tmp_path / "signed in.xlsx",
        [
            ["03/12/2026 19:02", "Ann Jones", None, "0805914"],
            ["03/12/2026 19:05", "Robert Hale", "BOB@example.org", None],
            ["03/12/2026 19:06", "Cy Ward", None, None],
            ["03/12/2026 19:10", "Jo Bloggs", "jo@example.org", None],
        ],
    )
    offered = open_file(monkeypatch, sheet)
    assert main.import_attendance_action in main.menuBar().actions()[2].menu().actions()

    main.import_attendance_action.trigger()

    dialog = main.findChild(AttendanceResultDialog)
    assert isinstance(dialog, AttendanceResultDialog) and dialog.isVisible()
    assert chosen_meeting == ["Import attendance"]
    assert "*.xlsx" in offered[0] and "*.ods" in offered[0] and "*.csv" in offered[0]
    assert present(main.database, branch.meeting) == [branch.ann, branch.bob]
    assert dialog.summary.text().startswith("Checked in 2; 0 were already in. 2 rows fit")
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert rows == [
        ["4", "Cy Ward", "", "Could be 2 people", "To resolve"],
        ["5", "Jo Bloggs", "jo@example.org", "Matches nobody", "To resolve"],
    ]

    # Row 4: the two Cy Wards are offered; the supporter is the one who came.
    assert dialog.current_row() == 0
    offered_people = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert offered_people == ["Cy Ward (Member)", "Cy Ward (Supporter)"]
    assert not dialog.check_in_button.isEnabled()
    dialog.people.setCurrentRow(1)
    qtbot.mouseClick(dialog.check_in_button, Qt.MouseButton.LeftButton)
    assert table.item(0, 4).text() == "Checked in: Cy Ward (Supporter)"

    # Row 5 comes up next: found by searching, picked, checked in.
    assert dialog.current_row() == 1
    assert dialog.resolver.title() == "Who is row 5?"
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "bloggs")
    found = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert found == ["Joanne Bloggs — Member"]
    qtbot.mouseClick(dialog.check_in_button, Qt.MouseButton.LeftButton)
    assert table.item(1, 4).text() == "Checked in: Joanne Bloggs — Member"
    assert not dialog.check_in_button.isEnabled()

    assert present(main.database, branch.meeting) == sorted(
        [branch.ann, branch.bob, branch.cy_supporter, branch.joanne]
    )
    assert present(main.database, branch.other) == []
    assert QSettings().value(FOLDER_KEY) == str(tmp_path)
    dialog.reject()


def test_importing_the_same_sheet_again_checks_nobody_in_twice(
    main: MainWindow,
    branch: Branch,
    chosen_meeting: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    sheet = write_xlsx(tmp_path / "in.xlsx", [["", "Ann Jones", None, "0805914"]])
    open_file(monkeypatch, sheet)
    first = main.import_attendance()
    assert first is not None
    first.reject()
    again = main.import_attendance()
    assert again is not None
    assert again.summary.text() == "Checked in 0; 1 was already in. Every row was matched."
    assert not hasattr(again, "table")
    again.reject()


def test_a_bad_file_is_one_sentence_and_changes_nothing(
    main: MainWindow,
    branch: Branch,
    chosen_meeting: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    broken = tmp_path / "attendance.xlsx"
    broken.write_bytes(b"this is not a workbook")
    open_file(monkeypatch, broken)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))

    assert main.import_attendance() is None

    assert len(shown) == 1 and "attendance.xlsx" in shown[0]
    assert shown[0].count(". ") == 0 and shown[0].endswith(".")
    with main.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert main.findChild(AttendanceResultDialog) is None


def test_cancelling_the_file_dialog_does_nothing(
    main: MainWindow, chosen_meeting: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: ("", ""))
    assert main.import_attendance() is None
    assert chosen_meeting == ["Import attendance"]


def test_with_no_meetings_the_secretary_is_told_to_add_one(
    database: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(database)
    qtbot.addWidget(window)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(ChooseMeetingDialog, "exec", lambda _d: pytest.fail("asked anyway"))
    assert window.import_attendance() is None
    assert told == ["There are no meetings yet: add one first (Meetings menu)."]


def test_the_summary_says_when_rows_are_left() -> None:
    from db.importing.attendance import AttendanceImport, RowToResolve

    row = RowToResolve(7, "Zoe New", (), None, (), "Row 7: Zoe New matches nobody kept.")
    left = AttendanceImport(checked_in=1, already=3, to_resolve=[row])
    assert summary_text(left) == (
        "Checked in 1; 3 were already in. 1 row fits nobody or more than one person: choose a "
        "row, find who it is and check them in, or leave it."
    )
