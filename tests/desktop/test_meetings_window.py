"""The meetings window: the list, the agenda, and keeping the ledger from the keyboard."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.database import Database
from db.meeting_ledger import LedgerLine, ledger
from db.meetings import attendance_summary, list_meetings
from db.models import AgendaItem
from desktop.main_window import MainWindow
from desktop.meetings_window import (
    AgendaItemDialog,
    CopyMeetingDialog,
    MeetingsWindow,
    one_month_later,
)

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
