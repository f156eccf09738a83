"""People → Find duplicates: the pairs, the two records side by side, merging and setting
apart, on a real SQLite file; the search runs on the real worker thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import db.merge
from db.database import Database
from db.duplicates import (
    SAME_EMAIL,
    SAME_NAME_AND_POSTCODE,
    SIMILAR_NAMES_AT_ADDRESS,
    dismissed_pairs,
)
from db.errors import UserError
from db.merge_preview import merge_side
from db.models import Activity, Attendance, EmailAddress, Household, Meeting, Person, PhoneNumber
from db.people import list_people
from desktop import duplicates_window
from desktop.duplicates_model import DIFFERS_BACKGROUND
from desktop.duplicates_text import comparison_rows, merge_summary
from desktop.duplicates_window import DuplicatesWindow, ask_to_merge
from desktop.main_window import MainWindow
from tests.helpers.checks import dump_tables
from tests.helpers.table_contents import contents

SHOT = "/tmp/dup.png"


@pytest.fixture
def planted(database: Database) -> dict[str, int]:
    """Ann Jones twice (one email, one postcode), Jon and John Hale at one address, and
    Mary Hale, who is nobody's duplicate."""
    with database.session() as session:
        home = Household(line1="1 High Street", town="Leeds", postcode="LS1 1AA")
        mill = Household(line1="3 Mill Lane", town="Leeds", postcode="LS2 2BB")
        session.add_all([home, mill])
        ann = Person(
            first_name="Ann",
            last_name="Jones",
            status="member",
            membership_number="1001",
            joined_on=dt.date(2015, 3, 1),
            household=home,
        )
        ann.emails.append(EmailAddress(address="ann@example.org", is_primary=True))
        ann.phones.append(PhoneNumber(number="07700 900001", is_primary=True))
        ann_again = Person(
            first_name="Ann",
            last_name="Jones",
            status="contact",
            household=home,
            date_of_birth=dt.date(1970, 5, 4),
            notes="Met at the summer fete.",
        )
        ann_again.emails.append(EmailAddress(address="ANN@example.org ", is_primary=True))
        ann_again.phones.append(PhoneNumber(number="0113 496 0000", kind="home"))
        jon = Person(first_name="Jon", last_name="Hale", status="supporter", household=mill)
        john = Person(first_name="John", last_name="Hale", status="contact", household=mill)
        mary = Person(first_name="Mary", last_name="Hale", status="member", household=mill)
        session.add_all([ann, ann_again, jon, john, mary])
        meeting = Meeting(
            kind="branch", title="Branch meeting", starts_at=dt.datetime(2026, 1, 10, 19, 0)
        )
        session.add(meeting)
        session.flush()
        session.add(Attendance(meeting_id=meeting.id, person_id=ann_again.id, status="present"))
        session.add(
            Activity(person_id=ann_again.id, kind="leafleting", done_on=dt.date(2026, 2, 1))
        )
        session.flush()
        return {
            "ann": ann.id,
            "ann_again": ann_again.id,
            "jon": jon.id,
            "john": john.id,
            "mary": mary.id,
        }


@pytest.fixture
def window(database: Database, planted: dict[str, int], qtbot: QtBot) -> DuplicatesWindow:
    shown = DuplicatesWindow(database)
    qtbot.addWidget(shown)
    shown.resize(1120, 720)
    shown.show()
    qtbot.waitExposed(shown)
    assert shown.load()
    return shown


def listed(window: DuplicatesWindow) -> list[frozenset[int]]:
    return [frozenset(pair.ids) for pair in window.pairs.pairs()]


def select_pair(window: DuplicatesWindow, ids: set[int]) -> None:
    row = listed(window).index(frozenset(ids))
    window.ui.pairs_table.selectRow(row)


def comparison(window: DuplicatesWindow) -> dict[str, tuple[str, str, bool]]:
    model = window.comparison
    return {
        model.row(r).label: (model.row(r).left, model.row(r).right, model.row(r).differs)
        for r in range(model.rowCount())
    }


def test_planted_pairs_are_listed_most_likely_first(
    window: DuplicatesWindow, planted: dict[str, int], qtmodeltester: Any
) -> None:
    pairs = window.pairs.pairs()
    assert listed(window) == [
        frozenset((planted["ann"], planted["ann_again"])),
        frozenset((planted["jon"], planted["john"])),
    ]
    ann_pair = pairs[0]
    assert ann_pair.reasons == (SAME_EMAIL, SAME_NAME_AND_POSTCODE, SIMILAR_NAMES_AT_ADDRESS)
    # The member with a number is the one suggested to keep, on the left.
    assert ann_pair.keep.id == planted["ann"]
    model = window.pairs
    assert model.index(0, 0).data() == f"Ann Jones (id {planted['ann']})"
    assert model.index(0, 1).data() == f"Ann Jones (id {planted['ann_again']})"
    assert model.index(0, 2).data() == "; ".join(ann_pair.reasons)
    assert model.index(0, 3).data() == "100%"
    assert "membership number 1001" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "2 pairs" in window.ui.intro.text()
    qtmodeltester.check(model)
    qtmodeltester.check(window.comparison)


def test_the_two_records_are_side_by_side_with_differences_highlighted(
    window: DuplicatesWindow, planted: dict[str, int], qtbot: QtBot
) -> None:
    select_pair(window, {planted["ann"], planted["ann_again"]})
    lines = comparison(window)
    assert lines["Record"][0].startswith(f"id {planted['ann']},")
    assert lines["Record"][1].startswith(f"id {planted['ann_again']},")
    assert lines["First name"] == ("Ann", "Ann", False)
    assert lines["Status"] == ("Member", "Contact", True)
    assert lines["Membership number"] == ("1001", "—", True)
    assert lines["Date of birth"] == ("—", "04/05/1970", True)
    assert lines["Address"] == ("1 High Street, Leeds, LS1 1AA",) * 2 + (False,)
    assert lines["Email"] == ("ann@example.org (main)", "ANN@example.org (main)", False)
    assert lines["Phone"] == ("07700 900001 (mobile, main)", "0113 496 0000 (home)", True)
    assert lines["Notes"] == ("—", "Met at the summer fete.", True)
    assert lines["Meetings on record"] == ("0", "1", False)
    assert lines["Activities"] == ("0", "1", False)
    assert lines["Lives with"][0] == f"Ann Jones (id {planted['ann_again']}, Contact)"
    assert not lines["Lives with"][2]  # follows from the address

    model = window.comparison
    labels = [model.row(r).label for r in range(model.rowCount())]
    status, first = labels.index("Status"), labels.index("First name")
    background = model.index(status, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color() == DIFFERS_BACKGROUND
    assert model.index(first, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert (
        model.headerData(1, Qt.Orientation.Horizontal) == f"Left: Ann Jones (id {planted['ann']})"
    )
    assert "They differ in" in window.ui.compare_title.text()
    assert window.ui.merge_left_button.isEnabled()

    window.grab().save(SHOT)


def test_merge_into_left_moves_everything_and_the_pair_goes(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        duplicates_window,
        "ask_to_merge",
        lambda _parent, question, _details: asked.append(question) or True,
    )
    changed: list[bool] = []
    window._changed = lambda: changed.append(True)
    keep, other = planted["ann"], planted["ann_again"]
    select_pair(window, {keep, other})
    window.ui.merge_left_button.click()

    assert asked == [
        f"Everything of Ann Jones (id {other}) moves to Ann Jones (id {keep}); "
        f"id {other} is deleted."
    ]
    assert changed == [True]
    with database.session() as session:
        assert session.get(Person, other) is None
        person = session.get(Person, keep)
        assert person is not None
        assert person.status == "member" and person.membership_number == "1001"
        assert person.date_of_birth == dt.date(1970, 5, 4)  # filled in from the other
        assert sorted(p.number for p in person.phones) == ["0113 496 0000", "07700 900001"]
        assert [e.address for e in person.emails] == ["ann@example.org"]  # one address, once
        assert "Met at the summer fete." in (person.notes or "")
        assert (
            session.scalar(
                select(func.count()).select_from(Activity).where(Activity.person_id == keep)
            )
            == 1
        )
        assert (
            session.scalar(
                select(func.count()).select_from(Attendance).where(Attendance.person_id == keep)
            )
            == 1
        )
    # The pair has gone; the next one is chosen; the summary says what moved.
    assert listed(window) == [frozenset((planted["jon"], planted["john"]))]
    assert window.selected_pair() is not None
    assert window.last_result is not None
    summary = window.ui.result.text()
    assert window.ui.result.isVisible()
    assert summary == merge_summary(window.last_result)
    assert f"Merged Ann Jones (id {other}) into Ann Jones (id {keep})." in summary
    assert "1 activity" in summary and "1 meeting on record" in summary
    assert "date of birth" in summary  # filled in
    assert "status Member / Contact" in summary  # a clash, in the notes
    assert "1 pair " in window.ui.intro.text()
    window.grab().save("/tmp/dup-merged.png")


def test_merge_into_right_keeps_the_right_record(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        duplicates_window, "ask_to_merge", lambda _p, question, _d: asked.append(question) or True
    )
    jon, john = planted["jon"], planted["john"]
    select_pair(window, {jon, john})
    pair = window.selected_pair()
    assert pair is not None
    left, right = pair.keep.id, pair.other.id
    window.ui.merge_right_button.click()
    assert asked[0].startswith(f"Everything of {pair.keep.name} (id {left}) moves to")
    with database.session() as session:
        assert session.get(Person, left) is None
        assert session.get(Person, right) is not None
    assert frozenset((jon, john)) not in listed(window)


def test_saying_no_to_the_confirmation_changes_nothing(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(duplicates_window, "ask_to_merge", lambda *_args: False)
    before = dump_tables(database)
    window.ui.merge_left_button.click()
    assert dump_tables(database) == before
    assert len(listed(window)) == 2 and not window.ui.result.isVisible()


def test_the_confirmation_is_a_question_with_cancel_the_default(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, str, str]] = []

    def answer(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        seen.append((box.text(), box.informativeText(), default.text() if default else ""))
        wanted = next(b for b in box.findChildren(QPushButton) if b.text() == button_text)
        wanted.click()

    QTimer.singleShot(0, lambda: answer("Merge"))
    assert ask_to_merge(parent, "Everything of A moves to B.", "Details.")
    QTimer.singleShot(0, lambda: answer("Cancel"))
    assert not ask_to_merge(parent, "Everything of A moves to B.", "Details.")
    assert seen[0][:2] == ("Everything of A moves to B.", "Details.")
    assert seen[0][2] == "Cancel"


def test_not_the_same_person_hides_the_pair_next_time(
    window: DuplicatesWindow, database: Database, planted: dict[str, int], qtbot: QtBot
) -> None:
    jon, john = planted["jon"], planted["john"]
    select_pair(window, {jon, john})
    window.ui.not_same_button.click()
    assert frozenset((jon, john)) not in listed(window)
    with database.session() as session:
        assert (min(jon, john), max(jon, john)) in dismissed_pairs(session)
        assert session.get(Person, jon) is not None and session.get(Person, john) is not None
    again = DuplicatesWindow(database)
    qtbot.addWidget(again)
    again.show()
    assert again.load()
    assert listed(again) == [frozenset((planted["ann"], planted["ann_again"]))]


def test_a_merge_refused_half_way_leaves_the_database_as_it_was(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(duplicates_window, "ask_to_merge", lambda *_args: True)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))

    def refuse(*_args: object) -> None:  # after details, emails, activities have moved
        raise UserError("Ann Jones cannot be merged just now.")

    monkeypatch.setattr(db.merge, "_notes", refuse)
    select_pair(window, {planted["ann"], planted["ann_again"]})
    before = dump_tables(database)
    assert window.merge_into_left() is None
    assert shown == ["Ann Jones cannot be merged just now."]
    assert dump_tables(database) == before
    assert len(listed(window)) == 2 and window.last_result is None


def test_a_record_gone_since_the_search_is_refused_with_one_sentence(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(duplicates_window, "ask_to_merge", lambda *_args: True)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    select_pair(window, {planted["jon"], planted["john"]})
    pair = window.selected_pair()
    assert pair is not None
    with database.session() as session:  # another officer merged it away meanwhile
        gone = session.get(Person, pair.other.id)
        session.delete(gone)
    before = dump_tables(database)
    window.ui.merge_left_button.click()
    assert shown == [f"There is no person with id {pair.other.id} to merge."]
    assert dump_tables(database) == before


def test_comparison_rows_cover_every_counted_kind(
    database: Database, planted: dict[str, int]
) -> None:
    with database.session() as session:
        left = merge_side(session, planted["ann"])
        right = merge_side(session, planted["ann_again"])
    rows = comparison_rows(left, right)
    assert right.counts["activity"] == 1 and right.counts["attendance"] == 1
    assert [r.label for r in rows if not r.compared][0] == "Record"
    assert len({r.label for r in rows}) == len(rows)


def test_the_people_menu_opens_find_duplicates(window_main: MainWindow, qtbot: QtBot) -> None:
    action = window_main.findChild(type(window_main.find_action), "findDuplicatesAction")
    assert action is not None
    assert action.shortcut().toString() == "Ctrl+Shift+D"
    assert action in window_main.people_tool_actions
    action.trigger()
    opened = [w for w in window_main.findChildren(DuplicatesWindow) if w.isVisible()]
    assert len(opened) == 1
    assert "Looking" not in opened[0].ui.intro.text()  # the search has run
    action.trigger()  # a second time: the same window, raised
    assert [w for w in window_main.findChildren(DuplicatesWindow) if w.isVisible()] == opened
    opened[0].close()


@pytest.fixture
def window_main(demo_database: Database, qtbot: QtBot) -> MainWindow:
    main = MainWindow(demo_database)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


# --- Undo and redo ---------------------------------------------------------------------------


def _contents(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    tables = dump_tables(database)
    del tables["audit_entry"]  # the merge and its undoing are on the trail
    return tables


def test_a_merge_is_undone_with_ctrl_z_and_redone_with_ctrl_shift_z(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    monkeypatch.setattr(duplicates_window, "ask_to_merge", lambda *_args: True)
    keep, other = planted["ann"], planted["ann_again"]
    ann = frozenset((keep, other))
    before_pairs = listed(window)
    before = _contents(database)
    assert not window.history.undo_action.isEnabled()
    select_pair(window, set(ann))
    window.ui.merge_left_button.click()
    assert ann not in listed(window)
    merged = contents(database)  # without versions and updated_at: a redo moves them on
    assert window.history.undo_action.text() == (
        f"Undo merge Ann Jones (id {other}) into Ann Jones (id {keep})"
    )
    undo_button = window.findChild(QToolButton, "undoActionButton")
    assert undo_button is not None and undo_button.toolTip() == window.history.undo_action.text()

    qtbot.keyClick(window.ui.pairs_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _contents(database) == before
    assert listed(window) == before_pairs  # the pair is back, where it was
    assert window.selected_pair() is not None and frozenset(window.selected_pair().ids) == ann
    assert not window.ui.result.isVisible()
    assert window.statusBar().currentMessage() == (
        f"Undone: merge Ann Jones (id {other}) into Ann Jones (id {keep})."
    )
    assert window.history.redo_action.text() == (
        f"Redo merge Ann Jones (id {other}) into Ann Jones (id {keep})"
    )
    with database.session() as session:
        assert session.get(Person, other) is not None
        assert [p.id for p in list_people(session, "Ann Jones")] == sorted((keep, other))

    qtbot.keyClick(
        window.ui.pairs_table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert ann not in listed(window)
    assert contents(database) == merged
    assert window.ui.result.isVisible() and window.last_result is not None
    with database.session() as session:
        assert session.get(Person, other) is None
    # And back once more with Ctrl+Z, then Ctrl+Y.
    window.history.undo_action.trigger()
    assert _contents(database) == before
    qtbot.keyClick(window.ui.pairs_table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert ann not in listed(window)


def test_not_the_same_person_is_undone_and_the_pair_is_listed_again(
    window: DuplicatesWindow, database: Database, planted: dict[str, int], qtmodeltester: Any
) -> None:
    jon, john = planted["jon"], planted["john"]
    hale = frozenset((jon, john))
    before_pairs = listed(window)
    select_pair(window, set(hale))
    window.ui.not_same_button.click()
    assert hale not in listed(window)
    assert window.history.undo_action.text().startswith("Undo “not the same person” for ")
    assert window.history.undo()
    assert listed(window) == before_pairs
    qtmodeltester.check(window.pairs)  # rows put back are inserted as a model should
    with database.session() as session:
        assert dismissed_pairs(session) == set()
    assert window.history.redo()
    assert hale not in listed(window)
    with database.session() as session:
        assert dismissed_pairs(session) == {(min(jon, john), max(jon, john))}


def test_an_unmerge_after_keep_was_edited_is_refused_in_one_sentence(
    window: DuplicatesWindow,
    database: Database,
    planted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(duplicates_window, "ask_to_merge", lambda *_args: True)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    keep, other = planted["ann"], planted["ann_again"]
    select_pair(window, {keep, other})
    window.ui.merge_left_button.click()
    with database.session() as session:  # another officer edits Ann meanwhile
        person = session.get(Person, keep)
        assert person is not None
        person.notes = "Rang to say she has moved."
    edited = dump_tables(database)
    assert not window.history.undo()
    assert shown == [
        f"Ann Jones (id {keep}) has been changed since the merge, so undoing it now would "
        "lose that change; edit the record by hand instead."
    ]
    assert dump_tables(database) == edited
    assert not window.history.undo_action.isEnabled()  # the history no longer fits
    assert frozenset((keep, other)) not in listed(window)
