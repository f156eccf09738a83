"""The door check-in screen, driven from the keyboard as at a real door."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.database import Database
from db.meetings import QR_PREFIX, NewMeeting, add_meeting, attendance_summary, check_in
from db.people import NewPerson, add_person
from desktop.checkin_window import (
    AddMeetingDialog,
    CheckInWindow,
    ChooseMeetingDialog,
    next_thursday_evening,
)
from desktop.main_window import MainWindow

# The README's screenshots are refreshed only when asked (BRANCHBOOK_SCREENSHOTS=1): a test
# run must not change files in the checkout.
REPO_SCREENSHOTS = Path(__file__).resolve().parents[2] / "resources" / "screenshots"


def screenshot_folder(tmp_path: Path) -> Path:
    return REPO_SCREENSHOTS if os.environ.get("BRANCHBOOK_SCREENSHOTS") else tmp_path


@pytest.fixture
def meeting(database: Database) -> int:
    with database.session() as session:
        for first, last, number in [
            ("Ann", "Jones", "100001"),
            ("Annabel", "Jonas", "100002"),
            ("Bob", "Smith", "100003"),
        ]:
            add_person(session, NewPerson(first, last, "member", membership_number=number))
        return add_meeting(
            session, NewMeeting("December branch meeting", dt.datetime(2026, 12, 3, 19, 30))
        )


@pytest.fixture
def door(database: Database, meeting: int, qtbot: QtBot) -> CheckInWindow:
    window = CheckInWindow(database, meeting)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def person_id(database: Database, number: str) -> int:
    from sqlalchemy import select

    from db.models import Person

    with database.session() as session:
        found = session.scalar(select(Person.id).where(Person.membership_number == number))
    assert found is not None
    return found


def present(database: Database, meeting: int) -> list[str]:
    with database.session() as session:
        return [name for _pid, name in attendance_summary(session, meeting).present]


def shown_in(door: CheckInWindow) -> list[str]:
    """The names in the "who is in" list, top first; each line starts with its time."""
    lines = [door.present_list.item(i).text() for i in range(door.present_list.count())]
    assert all(re.match(r"\d\d:\d\d   \S", line) for line in lines), lines
    return [line[8:] for line in lines]


def test_the_screen_shows_the_meeting_and_has_the_search_focused(door: CheckInWindow) -> None:
    assert door.title_label.text() == "December branch meeting"
    assert "3 December 2026, 19:30" in door.date_label.text()
    assert door.count_label.text() == "0 present"
    assert door.focusWidget() is door.search


def test_typing_shows_matches_with_the_first_selected(door: CheckInWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(door.search, "ann jon")
    qtbot.waitUntil(lambda: door.matches.count() > 0)
    shown = [door.matches.item(i).text() for i in range(door.matches.count())]
    assert [line.split("  ·  ") for line in shown] == [
        ["Annabel Jonas", "100002"],  # alphabetical by surname, as the people list
        ["Ann Jones", "100001"],
    ]
    assert door.matches.currentRow() == 0


def test_typing_a_name_and_enter_checks_them_in(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    qtbot.keyClicks(door.search, "ann jones")
    qtbot.keyClick(door.search, Qt.Key.Key_Return)  # before the debounce: still the match
    assert present(database, meeting) == ["Ann Jones"]
    assert door.message.text() == "Ann Jones is in"
    assert door.search.text() == ""
    assert door.count_label.text() == "1 present"
    assert shown_in(door) == ["Ann Jones"]


def test_down_moves_the_selection_before_enter(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    qtbot.keyClicks(door.search, "jon")
    qtbot.keyClick(door.search, Qt.Key.Key_Down)
    second = door.matches.item(1).text().split("  ")[0]
    qtbot.keyClick(door.search, Qt.Key.Key_Up)
    qtbot.keyClick(door.search, Qt.Key.Key_Down)
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert present(database, meeting) == [second]


def test_the_same_person_twice_is_already_in_and_makes_no_twin(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    for _ in range(2):
        qtbot.keyClicks(door.search, "100001")
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert door.message.text() == "Ann Jones was already checked in"
    assert present(database, meeting) == ["Ann Jones"]
    assert door.count_label.text() == "1 present"
    assert door.present_list.count() == 1


def test_a_scanned_code_checks_in_directly(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    bob = person_id(database, "100003")
    qtbot.keyClicks(door.search, f"{QR_PREFIX}{bob}")
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert present(database, meeting) == ["Bob Smith"]
    assert door.message.text() == "Bob Smith is in"
    assert door.matches.count() == 0


def test_an_unknown_code_is_one_sentence(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    qtbot.keyClicks(door.search, f"{QR_PREFIX}99999")
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    text = door.message.text()
    assert text == f"The code '{QR_PREFIX}99999' names nobody in this database."
    assert "Traceback" not in text
    assert door.search.text() == ""
    assert present(database, meeting) == []


def test_no_match_says_so(door: CheckInWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(door.search, "zzzz")
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert door.message.text() == "No one matches “zzzz”."
    assert door.search.text() == "zzzz"


def test_undo_removes_the_last_check_in(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    for number in ("100001", "100003"):
        qtbot.keyClicks(door.search, number)
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert door.count_label.text() == "2 present"
    qtbot.keyClick(door.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert present(database, meeting) == ["Ann Jones"]
    assert door.count_label.text() == "1 present"
    assert shown_in(door) == ["Ann Jones"]
    assert "Bob Smith" in door.message.text()
    door.undo_button.click()
    assert present(database, meeting) == []
    assert door.count_label.text() == "0 present"
    assert not door.undo_button.isEnabled()


def test_double_click_checks_in(
    door: CheckInWindow, database: Database, meeting: int, qtbot: QtBot
) -> None:
    qtbot.keyClicks(door.search, "bob")
    door.search_now()
    item = door.matches.item(0)
    door.matches.itemDoubleClicked.emit(item)
    assert present(database, meeting) == ["Bob Smith"]


def test_f11_toggles_full_screen_and_escape_leaves_it(door: CheckInWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(door.search, Qt.Key.Key_F11)
    qtbot.waitUntil(door.isFullScreen)
    qtbot.keyClick(door.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not door.isFullScreen())
    assert door.isVisible()


def test_next_thursday_evening() -> None:
    assert next_thursday_evening(dt.date(2026, 11, 27)) == dt.datetime(2026, 12, 3, 19, 30)
    assert next_thursday_evening(dt.date(2026, 12, 3)) == dt.datetime(2026, 12, 10, 19, 30)


def test_the_meetings_menu_adds_a_meeting_and_opens_the_door(
    database: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = MainWindow(database)
    qtbot.addWidget(main)

    def fill_and_accept(dialog: AddMeetingDialog) -> int:
        dialog.title_edit.setText("Winter social")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("social"))
        dialog.venue_edit.setText("Miners' Hall")
        return AddMeetingDialog.DialogCode.Accepted.value

    monkeypatch.setattr(AddMeetingDialog, "exec", fill_and_accept)
    main.add_meeting_action.trigger()
    assert "1 meetings" in main.status_label.text()

    monkeypatch.setattr(
        ChooseMeetingDialog, "exec", lambda _d: ChooseMeetingDialog.DialogCode.Accepted.value
    )
    main.checkin_action.trigger()
    door = main.checkin_window
    assert door is not None
    assert door.title_label.text() == "Winter social"
    assert "Social" in door.date_label.text()
    assert "Miners' Hall" in door.date_label.text()
    door.close()
    qtbot.waitUntil(lambda: main.checkin_window is None)


def test_screenshot_of_the_door(demo_database: Database, qtbot: QtBot, tmp_path: Path) -> None:
    with demo_database.session() as session:
        meeting = add_meeting(
            session, NewMeeting("December branch meeting", dt.datetime(2026, 12, 3, 19, 30))
        )
        from db.people import list_people

        for row in list_people(session, "", limit=5):
            check_in(session, meeting, row.id)
    door = CheckInWindow(demo_database, meeting)
    qtbot.addWidget(door)
    door.resize(1100, 720)
    door.show()
    qtbot.waitExposed(door)
    qtbot.keyClicks(door.search, "ja")
    door.search_now()
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    qtbot.keyClicks(door.search, "smi")
    door.search_now()
    assert door.count_label.text() == "6 present"
    assert door.grab().save(str(screenshot_folder(tmp_path) / "checkin.png"))


def test_quorum_shows_beside_the_count(database: Database, meeting: int, qtbot: QtBot) -> None:
    from db.door import set_quorum

    with database.session() as session:
        set_quorum(session, "branch", 2)
        check_in(session, meeting, person_id(database, "100001"))
    window = CheckInWindow(database, meeting)
    qtbot.addWidget(window)
    assert window.count_label.text() == "1 present · 1 short of quorum"
    window._check_in(code=f"{QR_PREFIX}{person_id(database, '100003')}")
    assert window.count_label.text() == "2 present · quorate"


def test_an_old_address_is_asked_about_and_confirmed(
    database: Database, meeting: int, door: CheckInWindow
) -> None:
    from sqlalchemy import select

    from db.door import stale_address_question
    from db.models import Household, Person

    bob = person_id(database, "100003")
    with database.session() as session:
        session.scalars(select(Person).where(Person.id == bob)).one().household = Household(
            line1="12 Acacia Road", postcode="LS6 1AA"
        )
    door._check_in(code=f"{QR_PREFIX}{bob}")
    assert door.confirm_button.isVisibleTo(door)
    assert door.confirm_button.text().startswith("Still at 12 Acacia Road?")
    door.confirm_stale_address()
    assert not door.confirm_button.isVisibleTo(door)
    with database.session() as session:
        assert stale_address_question(session, bob) is None


def test_a_walk_in_is_checked_in_from_the_short_form(
    database: Database, meeting: int, door: CheckInWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.walk_in_dialog import WalkInDialog

    def filled(dialog: WalkInDialog) -> int:
        dialog.first_name.setText("Zoe")
        dialog.last_name.setText("New")
        dialog.email.setText("zoe@example.org")
        dialog.keep_in_touch.setChecked(True)
        return int(WalkInDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(WalkInDialog, "exec", filled)
    door.add_walk_in()
    assert "Zoe New is in (walk-in)" in door.message.text()
    assert present(database, meeting) == ["Zoe New"]
    assert door.count_label.text() == "1 present"
    door.undo_last()
    assert present(database, meeting) == []


def test_who_is_in_lists_the_latest_arrival_first_with_its_time(
    database: Database, meeting: int, qtbot: QtBot
) -> None:
    ann, bob = person_id(database, "100001"), person_id(database, "100003")
    with database.session() as session:
        check_in(session, meeting, bob, at=dt.datetime(2026, 12, 3, 19, 5))
        check_in(session, meeting, ann, at=dt.datetime(2026, 12, 3, 19, 20))
    window = CheckInWindow(database, meeting)
    qtbot.addWidget(window)
    assert shown_in(window) == ["Ann Jones", "Bob Smith"]
    # Stored as UTC; shown on this computer's clock.
    local = dt.datetime(2026, 12, 3, 19, 20, tzinfo=dt.UTC).astimezone()
    assert window.present_list.item(0).text().startswith(f"{local:%H:%M}")
    qtbot.keyClicks(window.search, "100002")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert shown_in(window) == ["Annabel Jonas", "Ann Jones", "Bob Smith"]


def test_check_ins_made_elsewhere_appear_on_the_next_refresh(
    database: Database, meeting: int, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.checkin_window as door_module

    monkeypatch.setattr(door_module, "REFRESH_MS", 50)
    window = CheckInWindow(database, meeting)
    qtbot.addWidget(window)
    window.show()
    # A second laptop at another door, or what happened while this one slept.
    with database.session() as session:
        check_in(session, meeting, person_id(database, "100003"))
    qtbot.waitUntil(lambda: window.count_label.text() == "1 present", timeout=3000)
    assert shown_in(window) == ["Bob Smith"]


def test_many_matches_show_how_many_and_ask_for_more_letters(
    door: CheckInWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.door_search
    import desktop.checkin_window as door_module

    door.search.setText("jon")
    door.search_now()
    assert door.hint.text() == "2 matches"
    monkeypatch.setattr(door_module, "MATCHES", 1)
    door.search_now()
    assert door.hint.text() == "The first 1 of 2 matches"
    assert door.matches.item(0).text().startswith("Annabel Jonas")
    monkeypatch.setattr(db.door_search, "READABLE", 1)
    door.search_now()
    assert door.hint.text() == "2 people match: type more of the name"
    assert door.matches.count() == 1
    qtbot.keyClick(door.search, Qt.Key.Key_Escape)
    assert door.hint.text() == ""
