"""The meetings window: the list, the agenda, and keeping the ledger from the keyboard."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QToolBar,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.database import Database
from db.meeting_ledger import LedgerLine, ledger
from db.meetings import NewMeeting, attendance_summary, check_in, list_meetings, meeting_form
from db.models import AgendaItem, Person
from desktop.checkin_window import AddMeetingDialog
from desktop.main_window import MainWindow
from desktop.meeting_dialogs import (
    AgendaItemDialog,
    CopyMeetingDialog,
    MeetingDialog,
    one_month_later,
    to_qt,
)
from desktop.meetings_window import MeetingsWindow
from tests.helpers.table_contents import contents

# Refreshed only when asked (BRANCHBOOK_SCREENSHOTS=1): a test run must not change the checkout.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "resources" / "screenshots"
NOW = dt.datetime(2026, 11, 1, 12, 0)  # the demo branch's "today"


@pytest.fixture
def window(demo_database: Database, qtbot: QtBot) -> MeetingsWindow:
    shown = MeetingsWindow(demo_database, now=NOW)
    qtbot.addWidget(shown)
    shown.resize(1280, 760)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


@pytest.fixture
def past_meeting(window: MeetingsWindow, demo_database: Database) -> int:
    """The latest past meeting (people were there), selected."""
    with demo_database.session() as session:
        meeting = list_meetings(session, upcoming=False, now=NOW)[0].id
    window.select_meeting(meeting)
    return meeting


@pytest.fixture
def branch_meeting(window: MeetingsWindow, demo_database: Database) -> int:
    """The latest past branch meeting (an agenda, and people who took part), selected."""
    with demo_database.session() as session:
        past = list_meetings(session, upcoming=False, now=NOW)
    meeting = next(m.id for m in past if m.kind == "branch")
    window.select_meeting(meeting)
    return meeting


def lines(database: Database, meeting: int) -> list[LedgerLine]:
    with database.session() as session:
        return ledger(session, meeting)


def agenda_titles(database: Database, meeting: int) -> list[tuple[str, str, str | None]]:
    with database.session() as session:
        return [
            (item.title, item.kind, item.motion_text)
            for item in session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting)
                .order_by(AgendaItem.position)
            )
        ]


def add_motion(window: MeetingsWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill_and_accept(dialog: AgendaItemDialog) -> int:
        assert dialog.motion
        dialog.title_edit.setText("Support the bus campaign")
        dialog.motion_edit.setPlainText("This branch backs the campaign for the 56 bus.")
        return AgendaItemDialog.DialogCode.Accepted.value

    monkeypatch.setattr(AgendaItemDialog, "exec", fill_and_accept)
    window.add_motion_button.click()


def test_the_list_shows_upcoming_soonest_first_then_past_latest_first(
    window: MeetingsWindow, demo_database: Database
) -> None:
    with demo_database.session() as session:
        upcoming = list_meetings(session, upcoming=True, now=NOW)
        past = list_meetings(session, upcoming=False, now=NOW)
    assert upcoming and past
    assert window.listed_meetings() == [
        None,
        *[m.id for m in upcoming],
        None,
        *[m.id for m in past],
    ]
    starts = [m.starts_at for m in upcoming]
    assert starts == sorted(starts)
    starts = [m.starts_at for m in past]
    assert starts == sorted(starts, reverse=True)
    first_past = window.meeting_list.item(len(upcoming) + 2).text()
    assert past[0].title in first_past
    assert past[0].kind_label in first_past
    assert f"{past[0].present} present, {past[0].apologies} apologies" in first_past


def test_check_in_at_the_door_opens_for_the_selected_meeting(
    window: MeetingsWindow, past_meeting: int
) -> None:
    window.door_button.click()
    assert window.door is not None
    assert window.door.meeting_id == past_meeting
    assert window.door.isVisible()
    window.close()  # takes the door with it
    assert window.door is None or not window.door.isVisible()


def test_add_a_motion_to_the_agenda(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_motion(window, monkeypatch)
    assert agenda_titles(demo_database, past_meeting)[-1] == (
        "Support the bus campaign",
        "motion",
        "This branch backs the campaign for the 56 bus.",
    )
    assert window.agenda_list.currentItem().text().endswith("Motion: Support the bus campaign")


def test_p_records_proposed_against_the_selected_motion(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    add_motion(window, monkeypatch)
    before = len(lines(demo_database, past_meeting))
    window.attendees.setCurrentRow(1)
    person = int(window.attendees.currentItem().data(Qt.ItemDataRole.UserRole))
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_P)
    after = lines(demo_database, past_meeting)
    assert len(after) == before + 1
    added = [line for line in after if line.kind == "proposed"]
    assert [(a.person_id, a.agenda_item) for a in added] == [(person, "Support the bus campaign")]
    assert window.ledger_table.rowCount() == len(after)
    assert "Proposed a motion" in window.status.text()


def test_proposed_against_a_plain_item_is_refused_with_a_sentence(
    window: MeetingsWindow, past_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    before = lines(demo_database, past_meeting)
    window.agenda_list.setCurrentRow(0)  # the meeting as a whole: no motion
    window.attendees.setCurrentRow(0)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_P)
    assert window.status.text() == "Proposed a motion needs the motion it was for."
    assert lines(demo_database, past_meeting) == before


def test_s_then_delete_removes_the_line(
    window: MeetingsWindow, past_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    before = lines(demo_database, past_meeting)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)
    after = lines(demo_database, past_meeting)
    assert len(after) == len(before) + 1
    (spoke,) = [line for line in after if line not in before]
    row = next(
        r
        for r in range(window.ledger_table.rowCount())
        if window.ledger_table.item(r, 0).data(Qt.ItemDataRole.UserRole) == spoke.id
    )
    window.ledger_table.selectRow(row)
    window.ledger_table.setFocus()
    qtbot.keyClick(window.ledger_table, Qt.Key.Key_Delete)
    assert lines(demo_database, past_meeting) == before
    assert window.ledger_table.rowCount() == len(before)


def test_copy_makes_a_meeting_a_month_later_with_the_same_agenda(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_motion(window, monkeypatch)
    with demo_database.session() as session:
        source = attendance_summary(session, past_meeting).meeting
    seen: list[dt.datetime] = []

    def accept(dialog: CopyMeetingDialog) -> int:
        seen.append(dialog.starts_at())
        return CopyMeetingDialog.DialogCode.Accepted.value

    monkeypatch.setattr(CopyMeetingDialog, "exec", accept)
    window.copy_button.click()
    assert seen == [one_month_later(source.starts_at)]
    copy = window.selected_meeting()
    assert copy is not None and copy != past_meeting
    with demo_database.session() as session:
        copied = attendance_summary(session, copy).meeting
    assert (copied.title, copied.kind, copied.starts_at) == (
        source.title,
        source.kind,
        seen[0],
    )
    assert agenda_titles(demo_database, copy) == agenda_titles(demo_database, past_meeting)


def test_one_month_later_keeps_the_time_and_clamps_the_day() -> None:
    assert one_month_later(dt.datetime(2026, 1, 31, 19, 30)) == dt.datetime(2026, 2, 28, 19, 30)
    assert one_month_later(dt.datetime(2026, 12, 3, 19, 30)) == dt.datetime(2027, 1, 3, 19, 30)


def test_the_meetings_menu_and_toolbar_open_the_window(
    demo_database: Database, qtbot: QtBot
) -> None:
    main = MainWindow(demo_database)
    qtbot.addWidget(main)
    assert "meetings" not in main.coming_actions
    toolbar = main.findChild(QToolBar, "mainToolbar")
    assert main.meetings_action in toolbar.actions()
    assert main.meetings_action.isEnabled()
    main.meetings_action.trigger()
    opened = main.meetings_window
    assert isinstance(opened, MeetingsWindow)
    assert opened.isVisible()
    assert opened.selected_meeting() is not None
    main.meetings_action.trigger()
    assert main.meetings_window is opened
    opened.close()


def test_screenshot_of_the_meetings_window(
    window: MeetingsWindow, demo_database: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    with demo_database.session() as session:
        past = list_meetings(session, upcoming=False, now=NOW)
    # The latest past branch meeting: an agenda with motions, and people who took part.
    window.select_meeting(next(m.id for m in past if m.kind == "branch"))
    window.agenda_list.setCurrentRow(1)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)
    folder = SCREENSHOTS if os.environ.get("BRANCHBOOK_SCREENSHOTS") else tmp_path
    assert window.grab().save(str(folder / "meetings.png"))


def meeting_now(database: Database, meeting: int) -> NewMeeting:
    with database.session() as session:
        return meeting_form(session, meeting)


def ledger_row(window: MeetingsWindow, contribution: int) -> int:
    row = window.ledger_table.row_of(contribution)
    assert row is not None
    return row


def test_edit_a_meeting_from_its_dialog(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = meeting_now(demo_database, past_meeting)
    assert before.ends_at is not None
    later = dt.datetime(2026, 12, 10, 19, 0)
    seen: list[NewMeeting] = []

    def edit_and_accept(dialog: MeetingDialog) -> int:
        seen.append(dialog.meeting())  # as it opened: filled in from the meeting
        dialog.title_edit.setText("Cyfarfod y gangen: Siân's motion")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("general_committee"))
        dialog.starts_edit.setDateTime(to_qt(later))
        dialog.venue_edit.setText("Neuadd Llŷr")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(MeetingDialog, "exec", edit_and_accept)
    window.edit_button.click()
    assert seen == [before]
    assert meeting_now(demo_database, past_meeting) == NewMeeting(
        "Cyfarfod y gangen: Siân's motion",
        later,
        "general_committee",
        "Neuadd Llŷr",
        later + (before.ends_at - before.starts_at),  # it keeps its length
    )
    # Moved into the future, it is listed among the upcoming meetings, and still chosen.
    listed = window.listed_meetings()
    assert listed.index(past_meeting) < listed.index(None, 1)
    assert window.selected_meeting() == past_meeting
    assert "Cyfarfod y gangen" in window.title_label.text()
    assert "Neuadd Llŷr" in window.title_label.text()
    assert window.status.text() == "Saved the meeting “Cyfarfod y gangen: Siân's motion”."


def test_ctrl_e_and_a_double_click_open_the_edit_dialog(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    before = meeting_now(demo_database, past_meeting)
    opened: list[str] = []

    def look_and_cancel(dialog: MeetingDialog) -> int:
        opened.append(dialog.title_edit.text())
        dialog.title_edit.setText("Not saved")
        return MeetingDialog.DialogCode.Rejected.value

    monkeypatch.setattr(MeetingDialog, "exec", look_and_cancel)
    window.meeting_list.setFocus()
    qtbot.keyClick(window.meeting_list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    item = window.meeting_list.currentItem()
    centre = window.meeting_list.visualItemRect(item).center()
    # A double-click is a click and then a double-click on the same item, as a mouse sends.
    qtbot.mouseClick(window.meeting_list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(window.meeting_list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [before.title, before.title]
    assert meeting_now(demo_database, past_meeting) == before  # cancelled: nothing saved


def test_a_refused_meeting_edit_says_why_and_changes_nothing(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = meeting_now(demo_database, past_meeting)

    def blank_title(dialog: MeetingDialog) -> int:
        dialog.title_edit.setText("   ")
        dialog.venue_edit.setText("Somewhere else")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(MeetingDialog, "exec", blank_title)
    window.edit_button.click()
    assert window.status.text() == "A meeting needs a title."
    assert meeting_now(demo_database, past_meeting) == before


def test_f2_edits_an_agenda_item_and_delete_removes_an_unused_one(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    add_motion(window, monkeypatch)  # the new motion is selected
    opened: list[tuple[str, str, str]] = []

    def reword(dialog: AgendaItemDialog) -> int:
        opened.append(
            (dialog.windowTitle(), dialog.title_edit.text(), dialog.motion_edit.toPlainText())
        )
        dialog.title_edit.setText("Save the 56 bus")
        dialog.motion_edit.setPlainText("This branch backs Zoë's campaign for the 56 bus.")
        return AgendaItemDialog.DialogCode.Accepted.value

    monkeypatch.setattr(AgendaItemDialog, "exec", reword)
    window.agenda_list.setFocus()
    qtbot.keyClick(window.agenda_list, Qt.Key.Key_F2)
    assert opened == [
        (
            "Edit a motion",
            "Support the bus campaign",
            "This branch backs the campaign for the 56 bus.",
        )
    ]
    assert agenda_titles(demo_database, past_meeting)[-1] == (
        "Save the 56 bus",
        "motion",
        "This branch backs Zoë's campaign for the 56 bus.",
    )
    assert window.agenda_list.currentItem().text().endswith("Motion: Save the 56 bus")

    # Nobody took part under it yet, so Delete takes it off the agenda.
    count = len(agenda_titles(demo_database, past_meeting))
    qtbot.keyClick(window.agenda_list, Qt.Key.Key_Delete)
    assert len(agenda_titles(demo_database, past_meeting)) == count - 1
    assert window.status.text() == "Took “Save the 56 bus” off the agenda."


def test_an_agenda_item_with_contributions_is_not_removed(
    window: MeetingsWindow, branch_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    window.agenda_list.setCurrentRow(1)
    item = window.selected_agenda_item()
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)  # someone spoke under item 1
    before = agenda_titles(demo_database, branch_meeting)
    window.remove_item_button.click()
    assert "cannot be removed while" in window.status.text()
    assert agenda_titles(demo_database, branch_meeting) == before
    assert window.selected_agenda_item() == item
    window.agenda_list.setCurrentRow(0)  # the meeting as a whole is no item to edit
    assert not window.edit_item_button.isEnabled()
    assert not window.remove_item_button.isEnabled()


def test_type_a_note_in_the_ledger(
    window: MeetingsWindow, past_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_Q)
    (asked,) = [line for line in lines(demo_database, past_meeting) if line.kind == "question"]
    table = window.ledger_table
    table.selectRow(ledger_row(window, asked.id))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)  # opens the note, whichever column is current
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Asked about the bus")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The editor's Enter saves once the event loop turns (Qt queues it).
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    [saved] = [line for line in lines(demo_database, past_meeting) if line.id == asked.id]
    assert saved.note == "Asked about the bus"
    row = ledger_row(window, asked.id)
    assert table.item(row, 3).text() == "Asked about the bus"
    assert window.status.text().endswith("note “Asked about the bus”.")

    # Enter opens it too; a name outside ASCII is set as the editor would commit it.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    table.item(row, 3).setText("  Siân asked about Łukasz's bus  ")
    [saved] = [line for line in lines(demo_database, past_meeting) if line.id == asked.id]
    assert saved.note == "Siân asked about Łukasz's bus"
    assert table.item(row, 3).text() == "Siân asked about Łukasz's bus"  # as saved


def test_change_what_a_line_records(
    window: MeetingsWindow, past_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    window.agenda_list.setCurrentRow(0)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)
    before = lines(demo_database, past_meeting)
    (spoke,) = [line for line in before if line.kind == "spoke" and line.agenda_item is None][-1:]
    table = window.ledger_table
    row = ledger_row(window, spoke.id)
    table.selectRow(row)
    table.setFocus()

    # A letter with the ledger focused changes the line: Q, a question.
    qtbot.keyClick(table, Qt.Key.Key_Q)
    after = {line.id: line for line in lines(demo_database, past_meeting)}
    assert after[spoke.id].kind == "question"
    assert table.item(row, 1).text() == "Asked a question"
    assert window.status.text() == f"{spoke.name}: Asked a question."

    # Proposing needs a motion: refused, said, and the line shows what is saved.
    qtbot.keyClick(table, Qt.Key.Key_P)
    assert window.status.text() == "Proposed a motion needs the motion it was for."
    assert lines(demo_database, past_meeting) == list(after.values())
    assert table.item(row, 1).text() == "Asked a question"

    # The What column offers every way of taking part; choosing one saves it.
    table.setCurrentCell(row, 1)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = table.findChild(QComboBox, "kindCombo")
    assert combo is not None and combo.currentData() == "question"
    combo.setCurrentIndex(combo.findData("chaired"))
    combo.activated.emit(combo.currentIndex())
    changed = {line.id: line for line in lines(demo_database, past_meeting)}
    assert changed[spoke.id].kind == "chaired"
    assert table.item(row, 1).text() == "Chaired"
    assert {k: v for k, v in changed.items() if k != spoke.id} == {
        k: v for k, v in after.items() if k != spoke.id
    }


def test_screenshots_of_editing(
    window: MeetingsWindow,
    branch_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    folder = Path(os.environ.get("BRANCHBOOK_EDIT_SHOTS", tmp_path))
    grabbed: list[bool] = []

    def show_and_accept(dialog: MeetingDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.title_edit.setText("December branch meeting — Siân's report")
        dialog.venue_edit.setText("Neuadd Llŷr, Y Felinheli")
        grabbed.append(dialog.grab().save(str(folder / "edit-meeting-dialog.png")))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(MeetingDialog, "exec", show_and_accept)
    window.edit_button.click()
    window.agenda_list.setCurrentRow(1)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)
    window.ledger_table.selectRow(window.ledger_table.rowCount() - 1)
    window.ledger_table.item(window.ledger_table.rowCount() - 1, 3).setText("On the bus routes")
    assert grabbed == [True]
    assert window.grab().save(str(folder / "meetings-after-edit.png"))


# --- undo and redo ------------------------------------------------------------------------


def undo_tip(window: MeetingsWindow) -> str:
    assert window.undo_button.text() == "Undo"
    assert window.undo_action.text() == window.undo_button.toolTip()
    return window.undo_button.toolTip()


def undone_and_redone(window: MeetingsWindow, database: Database, before: object) -> None:
    """Undo puts every table back as ``before``; Redo makes the edit again, exactly."""
    after = contents(database)
    assert after != before
    assert window.undo()
    assert contents(database) == before
    assert window.redo_button.toolTip().startswith("Redo ")
    assert window.redo()
    assert contents(database) == after


def test_adding_a_meeting_is_undone_by_deleting_it(
    window: MeetingsWindow, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: AddMeetingDialog) -> int:
        dialog.title_edit.setText("Cyfarfod Siân")
        return AddMeetingDialog.DialogCode.Accepted.value

    monkeypatch.setattr(AddMeetingDialog, "exec", fill)
    before = contents(demo_database)
    assert not window.undo_action.isEnabled()
    window.add_button.click()
    added = window.selected_meeting()
    assert undo_tip(window) == "Undo add the meeting “Cyfarfod Siân”"
    undone_and_redone(window, demo_database, before)
    assert window.selected_meeting() == added
    assert window.status.text() == "Redone: add the meeting “Cyfarfod Siân”."

    # Someone checked in meanwhile (at the door): the meeting is no longer deleted by Undo.
    assert added is not None
    with demo_database.session() as session:
        check_in(session, added, attendance_people(demo_database)[0])
    before = contents(demo_database)
    assert not window.undo()
    assert window.status.text() == "“Cyfarfod Siân” cannot be deleted: 1 person is recorded at it."
    assert contents(demo_database) == before
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()


def attendance_people(database: Database) -> list[int]:
    with database.session() as session:
        return list(session.scalars(select(Person.id).order_by(Person.id).limit(3)))


def test_editing_and_copying_a_meeting_are_undone(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def edit(dialog: MeetingDialog) -> int:
        dialog.title_edit.setText("Branch meeting (moved)")
        dialog.starts_edit.setDateTime(to_qt(dt.datetime(2026, 12, 10, 19, 0)))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(MeetingDialog, "exec", edit)
    before = contents(demo_database)
    window.edit_button.click()
    assert undo_tip(window) == "Undo edit the meeting “Branch meeting (moved)”"
    undone_and_redone(window, demo_database, before)
    assert window.selected_meeting() == past_meeting

    monkeypatch.setattr(
        CopyMeetingDialog, "exec", lambda _d: CopyMeetingDialog.DialogCode.Accepted.value
    )
    before = contents(demo_database)
    window.copy_button.click()
    assert undo_tip(window) == "Undo copy “Branch meeting (moved)” to Sun 10 Jan 2027"
    undone_and_redone(window, demo_database, before)


def test_agenda_edits_are_undone(
    window: MeetingsWindow,
    past_meeting: int,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    before = contents(demo_database)
    add_motion(window, monkeypatch)
    assert undo_tip(window) == "Undo add the motion “Support the bus campaign”"
    undone_and_redone(window, demo_database, before)
    motion = window.selected_agenda_item()

    def reword(dialog: AgendaItemDialog) -> int:
        dialog.title_edit.setText("Save the 56 bus")
        return AgendaItemDialog.DialogCode.Accepted.value

    monkeypatch.setattr(AgendaItemDialog, "exec", reword)
    before = contents(demo_database)
    window.agenda_list.setFocus()
    qtbot.keyClick(window.agenda_list, Qt.Key.Key_F2)
    assert undo_tip(window) == "Undo edit the agenda item “Support the bus campaign”"
    undone_and_redone(window, demo_database, before)

    # Taken off, then put back with the same id, in the same place.
    window.agenda_list.setCurrentRow(1)
    first = window.selected_agenda_item()
    assert first is not None and motion is not None
    before = contents(demo_database)
    titles = agenda_titles(demo_database, past_meeting)
    window.remove_item_button.click()
    assert undo_tip(window) == f"Undo take “{titles[0][0]}” off the agenda"
    qtbot.keyClick(window.agenda_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert contents(demo_database) == before
    assert agenda_titles(demo_database, past_meeting) == titles
    assert window.selected_agenda_item() == first


def test_ledger_edits_are_undone_from_the_keyboard(
    window: MeetingsWindow, branch_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    window.agenda_list.setCurrentRow(1)
    item = window.selected_agenda_item()
    window.attendees.setCurrentRow(1)
    person = window.attendees.currentItem().text()
    before = contents(demo_database)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)
    assert undo_tip(window) == f"Undo record {person} spoke"
    # Still the same item and person: the next letter records for them again.
    assert window.selected_agenda_item() == item
    assert window.attendees.currentItem().text() == person
    qtbot.keyClick(window.attendees, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert contents(demo_database) == before
    assert window.status.text() == f"Undone: record {person} spoke."
    qtbot.keyClick(window.attendees, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    spoke = max(line.id for line in lines(demo_database, branch_meeting))
    assert window.attendees.currentItem().text() == person

    # Q on the ledger: a question instead; Ctrl+Z: spoke again.
    table = window.ledger_table
    table.selectRow(ledger_row(window, spoke))
    table.setFocus()
    before = contents(demo_database)
    qtbot.keyClick(table, Qt.Key.Key_Q)
    assert undo_tip(window) == f"Undo record {person} asked a question instead"
    undone_and_redone(window, demo_database, before)
    window.undo()
    assert table.item(ledger_row(window, spoke), 1).text() == "Spoke"

    # A note typed, then undone.
    before = contents(demo_database)
    table.item(ledger_row(window, spoke), 3).setText("On the 56 bus")
    assert undo_tip(window) == f"Undo change the note of {person}'s line"
    undone_and_redone(window, demo_database, before)

    # Deleted, then put back: the same row.
    table.selectRow(ledger_row(window, spoke))
    table.setFocus()
    before = contents(demo_database)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert undo_tip(window) == f"Undo delete “{person}: Spoke”"
    undone_and_redone(window, demo_database, before)
    assert window.undo()
    assert table.row_of(spoke) is not None


def test_a_refused_ledger_edit_never_reaches_the_history(
    window: MeetingsWindow, past_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    window.agenda_list.setCurrentRow(0)
    before = contents(demo_database)
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_P)  # proposed, but no motion chosen
    assert window.status.text() == "Proposed a motion needs the motion it was for."
    assert window.history.stack.count() == 0 and not window.undo_action.isEnabled()
    assert contents(demo_database) == before


def test_the_doors_ctrl_z_undoes_only_its_check_in(
    window: MeetingsWindow, past_meeting: int, demo_database: Database, qtbot: QtBot
) -> None:
    window.attendees.setFocus()
    qtbot.keyClick(window.attendees, Qt.Key.Key_S)
    ours = contents(demo_database)["contribution"]
    with demo_database.session() as session:
        came = {pid for pid, _name in attendance_summary(session, past_meeting).present}
        number = next(
            p.membership_number
            for p in session.scalars(select(Person).where(Person.membership_number.is_not(None)))
            if p.id not in came
        )
    door = window.open_door()
    assert door is not None
    door.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is door)
    qtbot.keyClicks(door.search, number)
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    checked_in = contents(demo_database)["attendance"]
    qtbot.keyClick(door.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(contents(demo_database)["attendance"]) == len(checked_in) - 1  # the door's
    assert contents(demo_database)["contribution"] == ours  # not ours
    assert window.history.stack.count() == 1 and window.history.stack.canUndo()
