"""Logging a session for several people picked by typing, and the Activities window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.activities import log_activity
from db.database import Database
from db.models import Activity, Person
from db.people import NewPerson, add_person
from desktop.activities_window import ActivitiesWindow
from desktop.activity_dialog import LogActivityDialog
from desktop.main_window import MainWindow

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {
            first: add_person(session, NewPerson(first, last, status="member"))
            for first, last in (
                ("Siân", "Evans"),
                ("Łukasz", "Nowak"),
                ("Bríd", "O'Brien"),
                ("Tom", "Evans"),
            )
        }


def activity_rows(database: Database) -> list[tuple[int, str, dt.date, Decimal | None]]:
    with database.session() as session:
        return [
            (row.person_id, row.kind, row.done_on, row.hours)
            for row in session.scalars(select(Activity).order_by(Activity.id))
        ]


def pick(dialog: LogActivityDialog, qtbot: QtBot, typed: str) -> None:
    """Type (setText: keyClicks with accents aborts the run) and press Enter."""
    dialog.picker.finder.set_text(typed)
    qtbot.keyClick(dialog.picker.finder.search, Qt.Key.Key_Return)


def test_one_session_for_three_people_picked_by_typing_records_three_rows(
    database: Database, people: dict[str, int], qtbot: QtBot
) -> None:
    dialog = LogActivityDialog(database, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.date_edit.date().toPython() == TODAY  # today unless changed
    dialog.set_kind("leafleting")
    dialog.hours_edit.setText("2.5")
    dialog.notes_edit.setText("Riverside ward")
    for typed in ("sian", "lukasz", "obrien"):
        pick(dialog, qtbot, typed)
        # Enter added the match; it did not press Record.
        assert dialog.isVisible()
        assert dialog.picker.finder.search.text() == ""
    assert dialog.picker.names() == ["Siân Evans", "Łukasz Nowak", "Bríd O'Brien"]
    assert dialog.ok_button.text() == "Record for 3 people"
    assert activity_rows(database) == []

    dialog.ok_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert activity_rows(database) == [
        (people[first], "leafleting", TODAY, Decimal("2.50"))
        for first in ("Siân", "Łukasz", "Bríd")
    ]
    assert dialog.summary() == "Leafleting on Fri 27 Nov 2026 recorded for 3 people."


def test_double_click_adds_a_match_and_delete_takes_one_off(
    database: Database, people: dict[str, int], qtbot: QtBot
) -> None:
    dialog = LogActivityDialog(database, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    finder = dialog.picker.finder
    finder.set_text("evans")
    assert finder.matches.count() == 2
    assert finder.hint.text() == "2 matches."
    finder.matches.itemDoubleClicked.emit(finder.matches.item(1))
    pick(dialog, qtbot, "evans")  # the first match this time
    pick(dialog, qtbot, "tom evans")  # already on the list: said, not added twice
    assert "on the list already" in finder.hint.text()
    assert sorted(dialog.picker.names()) == ["Siân Evans", "Tom Evans"]

    chosen = dialog.picker.chosen
    chosen.setFocus()
    chosen.setCurrentRow(0)
    qtbot.keyClick(chosen, Qt.Key.Key_Delete)
    assert len(dialog.picker.person_ids()) == 1


def test_bad_hours_say_so_in_one_sentence_and_record_nothing(
    database: Database, people: dict[str, int], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))
    dialog = LogActivityDialog(database, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    for typed in ("sian", "tom"):
        pick(dialog, qtbot, typed)
    dialog.hours_edit.setText("two")

    dialog.ok_button.click()

    assert shown == ["'two' is not a number of hours."]
    assert dialog.isVisible()  # still open, to be corrected
    assert activity_rows(database) == []

    dialog.hours_edit.setText("30")
    dialog.ok_button.click()
    assert shown[-1] == "30 hours is more than a day; give the hours of one session."
    assert activity_rows(database) == []


def test_nobody_chosen_is_refused(
    database: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    dialog = LogActivityDialog(database, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.ok_button.click()
    assert shown == ["An activity needs at least one person."]


def test_the_activities_window_deletes_a_session_whole_and_undoes_it(
    database: Database, people: dict[str, int], qtbot: QtBot
) -> None:
    with database.session() as session:
        log_activity(session, "canvassing", dt.date(2026, 11, 21), "3", list(people.values()))
        log_activity(session, "street_stall", dt.date(2026, 10, 3), None, [people["Tom"]])
        log_activity(session, "admin", dt.date(2025, 1, 3), "1", [people["Tom"]])  # too old
    window = ActivitiesWindow(database, today=TODAY)
    qtbot.addWidget(window)
    window.show()

    table = window.table
    assert table.topLevelItemCount() == 3
    first = table.topLevelItem(0)
    assert first is not None
    assert [first.text(c) for c in range(5)] == [
        "Sat 21 Nov 2026",
        "Canvassing",
        "3",
        "4",
        "Siân Evans, Tom Evans, Łukasz Nowak, Bríd O'Brien",  # the people list's order
    ]
    hours = {bar.label: bar.value for bar in window.chart.bars()}
    assert hours["Canvassing"] == 12.0
    assert hours["Admin"] == 0.0  # older than twelve months
    window.measure_combo.setCurrentIndex(window.measure_combo.findData("people"))
    assert {bar.label: bar.text for bar in window.chart.bars()}["Canvassing"] == "4"

    assert not window.delete_button.isEnabled()
    table.setCurrentItem(first)
    window.delete_button.click()
    assert len(activity_rows(database)) == 2
    assert table.topLevelItemCount() == 2
    assert "for 4 people" in window.status.text()
    assert window.undo_button.isEnabled()

    window.undo_button.click()
    rows = activity_rows(database)
    assert len(rows) == 6
    assert sorted(pid for pid, kind, _on, _h in rows if kind == "canvassing") == sorted(
        people.values()
    )
    assert table.topLevelItemCount() == 3

    window.redo()  # deleted again, by its new ids
    assert len(activity_rows(database)) == 2


def test_logging_from_the_window_shows_the_new_session(
    database: Database, people: dict[str, int], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = ActivitiesWindow(database, today=TODAY)
    qtbot.addWidget(window)

    def fill_and_record(dialog: LogActivityDialog) -> int:
        dialog.picker.add_person(people["Tom"], "Tom Evans")
        dialog.hours_edit.setText("1.5")
        dialog.record()
        return int(dialog.result())

    monkeypatch.setattr(LogActivityDialog, "exec", fill_and_record)
    window.log_button.click()
    assert window.table.topLevelItemCount() == 1
    assert window.status.text() == (
        "Canvassing on Fri 27 Nov 2026 recorded for 1 person. Ctrl+Z takes it back."
    )
    assert window.undo_button.text().startswith("&Undo log canvassing on")
    window.undo_button.click()  # the session logged by mistake is taken back
    assert activity_rows(database) == []
    assert window.table.topLevelItemCount() == 0
    window.redo()
    assert [(pid, kind) for pid, kind, _on, _h in activity_rows(database)] == [
        (people["Tom"], "canvassing")
    ]


def test_the_people_menu_logs_through_the_activities_window_so_it_can_be_undone(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with window.database.session() as session:
        before = session.scalar(select(func.count()).select_from(Activity))
        someone = session.scalars(select(Person.id).limit(1)).one()

    def fill_and_record(dialog: LogActivityDialog) -> int:
        dialog.picker.add_person(someone, "Someone")
        dialog.record()
        return int(dialog.result())

    monkeypatch.setattr(LogActivityDialog, "exec", fill_and_record)
    next(a for a in window.people_tool_actions if a.objectName() == "logActivityAction").trigger()
    shown = window.findChild(ActivitiesWindow, ActivitiesWindow.OBJECT_NAME)
    assert shown is not None and shown.undo_button.isEnabled()
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == before + 1
    shown.undo_button.click()
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == before
    shown.close()


def test_the_people_menu_opens_the_activity_tools(window: MainWindow, qtbot: QtBot) -> None:
    actions = {action.objectName(): action for action in window.people_tool_actions}
    expected = {
        "logActivityAction": ("&Log an activity…", "Ctrl+Shift+L"),
        "activitiesAction": ("A&ctivities…", "Ctrl+Shift+A"),
        "tagsAction": ("&Tags…", "Ctrl+Shift+T"),
        "organisationsAction": ("&Organisations and unions…", "Ctrl+Shift+O"),
    }
    for name, (text, shortcut) in expected.items():
        assert actions[name].text() == text
        assert actions[name].shortcut().toString() == shortcut
        assert actions[name].statusTip()
    # No shortcut is taken twice in the main window.
    keys = [
        action.shortcut().toString()
        for action in window.findChildren(type(actions["tagsAction"]))
        if not action.shortcut().isEmpty()
    ]
    assert len(keys) == len(set(keys))
    # No two People menu entries share an accelerator letter.
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&People")
    letters = [a.text().split("&")[1][0].lower() for a in menu.actions() if "&" in a.text()]
    assert len(letters) == len(set(letters))

    actions["activitiesAction"].trigger()
    shown = window.findChild(ActivitiesWindow, ActivitiesWindow.OBJECT_NAME)
    assert shown is not None and shown.isVisible()
    assert shown.table.topLevelItemCount() > 0  # the demo branch canvasses
    actions["activitiesAction"].trigger()  # raised, not a second one
    assert len(window.findChildren(ActivitiesWindow)) == 1
    shown.close()
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity))


def test_a_long_list_of_names_is_cut_short() -> None:
    from desktop.activities_window import who_text

    assert who_text(("A", "B", "C", "D")) == "A, B, C, D"
    assert who_text(("A", "B", "C", "D", "E", "F")) == "A, B, C and 3 more"
