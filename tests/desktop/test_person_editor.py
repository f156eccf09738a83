"""The person editor, driven as the secretary drives it: every edit reaches the database, and
Undo puts the database back exactly as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.database import Database
from db.models import ContactPreference, DetailVerification, EmailAddress, Household, Person
from db.people import NewPerson, add_person
from db.person_edit import edit_person, move_to_household
from db.person_record import person_record
from db.verification import set_contact_preference
from desktop.main_window import MainWindow
from desktop.person_editor import PersonEditor, parse_date
from desktop.person_editor_household import HouseholdSearchDialog, NewAddressDialog
from desktop.person_editor_layout import TABS
from tests.helpers.table_contents import contents


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    """Ann (a member, with an email) and Bob (her partner) at one address; Cy elsewhere."""
    with database.session() as session:
        ann = add_person(
            session,
            NewPerson(
                "Ann", "Jones", "member", membership_number="100001", email="ann@example.org"
            ),
        )
        bob = add_person(session, NewPerson("Bob", "Jones", "contact"))
        cy = add_person(session, NewPerson("Cy", "Ellis", "supporter"))
        move_to_household(session, ann, None, address={"line1": "1 High St", "postcode": "cf101aa"})
        home = session.get_one(Person, ann).household_id
        move_to_household(session, bob, home)
        move_to_household(session, cy, None, address={"line1": "9 Low Rd", "postcode": "CF11 9ZZ"})
    return {"ann": ann, "bob": bob, "cy": cy}


@pytest.fixture
def editor(database: Database, people: dict[str, int], qtbot: QtBot) -> PersonEditor:
    window = PersonEditor(database, people["ann"])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))
    return shown


def person(database: Database, person_id: int) -> Person:
    with database.session() as session:
        return session.get_one(Person, person_id)


def type_into(qtbot: QtBot, editor: PersonEditor, field: str, text: str) -> None:
    """Select the field's text, type over it and press Enter, as at the keyboard."""
    edit = editor.ui.text_fields[field]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_a_field_is_saved_on_enter_and_undo_puts_everything_back(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    before = contents(database)
    type_into(qtbot, editor, "preferred_name", "Annie")
    assert person(database, people["ann"]).preferred_name == "Annie"
    assert editor.undo_action.text() == "Undo change preferred name"
    assert editor.stack.count() == 1

    editor.undo_action.trigger()
    assert contents(database) == before
    assert editor.ui.text_fields["preferred_name"].text() == ""
    assert editor.redo_action.text() == "Redo change preferred name"
    assert not editor.undo_action.isEnabled()

    editor.redo_action.trigger()
    assert person(database, people["ann"]).preferred_name == "Annie"
    assert editor.ui.text_fields["preferred_name"].text() == "Annie"


def test_one_command_per_change_not_per_keystroke(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    edit = editor.ui.text_fields["membership_type"]
    edit.setFocus()
    qtbot.keyClicks(edit, "Standard")
    assert person(database, people["ann"]).membership_type is None  # not yet: still typing
    editor.ui.text_fields["title"].setFocus()  # leaving the field saves
    assert person(database, people["ann"]).membership_type == "Standard"
    assert editor.stack.count() == 1
    # Leaving again, unchanged, makes no second command.
    edit.setFocus()
    editor.ui.text_fields["title"].setFocus()
    assert editor.stack.count() == 1


def test_ctrl_z_in_an_untouched_field_undoes_the_last_edit(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    type_into(qtbot, editor, "preferred_name", "Annie")
    title = editor.ui.text_fields["title"]
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert person(database, people["ann"]).preferred_name is None
    qtbot.keyClick(title, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert person(database, people["ann"]).preferred_name == "Annie"
    # While typing, Ctrl+Z is the field's own: it takes back the typing, not the last edit.
    qtbot.keyClicks(title, "Dr")
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert title.text() == ""
    assert person(database, people["ann"]).preferred_name == "Annie"


def test_dates_status_follow_up_and_notes(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    before = contents(database)
    type_into(qtbot, editor, "joined_on", "3/4/2019")
    editor.ui.status.setCurrentIndex(editor.ui.status.findData("lapsed"))
    editor.ui.status.activated.emit(editor.ui.status.currentIndex())
    editor.ui.follow_up.click()
    editor.ui.notes.setPlainText("Has a car; Welsh speaker")
    editor.ui.notes.document().setModified(True)
    editor.commit_pending()
    ann = person(database, people["ann"])
    assert (ann.joined_on, ann.status, ann.follow_up, ann.notes) == (
        dt.date(2019, 4, 3),
        "lapsed",
        True,
        "Has a car; Welsh speaker",
    )
    assert editor.stack.count() == 4
    assert editor.undo_action.text() == "Undo change notes"
    for _ in range(4):
        editor.undo()
    assert contents(database) == before


def test_a_date_that_is_no_date_gets_one_sentence_and_changes_nothing(
    database: Database, editor: PersonEditor, qtbot: QtBot, warnings_shown: list[str]
) -> None:
    before = contents(database)
    type_into(qtbot, editor, "date_of_birth", "31/02/1980")
    assert warnings_shown == [
        "'31/02/1980' is not a date: type the date of birth as day/month/year, like 25/12/1980."
    ]
    assert editor.ui.text_fields["date_of_birth"].text() == ""
    assert editor.stack.count() == 0
    assert contents(database) == before


def test_parse_date_reads_what_people_type() -> None:
    assert parse_date("25/12/1980", "x") == dt.date(1980, 12, 25)
    assert parse_date("1980-12-25", "x") == dt.date(1980, 12, 25)
    assert parse_date("25 Dec 1980", "x") == dt.date(1980, 12, 25)
    assert parse_date("  ", "x") is None


def test_a_rule_the_core_enforces_is_refused_with_its_sentence(
    database: Database, people: dict[str, int], editor: PersonEditor, warnings_shown: list[str]
) -> None:
    for field in ("last_name", "first_name"):  # Jones goes; Ann cannot then
        editor.ui.text_fields[field].setText("")
        editor.ui.text_fields[field].setModified(True)
        editor.commit_pending()
    assert warnings_shown == ["A person needs a first name or a last name."]
    assert editor.ui.text_fields["first_name"].text() == "Ann"
    assert person(database, people["ann"]).first_name == "Ann"
    assert editor.stack.count() == 1


# Contacts -----------------------------------------------------------------------------


def emails(database: Database, person_id: int) -> list[tuple[int, str, str, bool]]:
    with database.session() as session:
        rows = session.scalars(
            select(EmailAddress).where(EmailAddress.person_id == person_id).order_by("id")
        )
        return [(e.id, e.address, e.kind, e.is_primary) for e in rows]


def test_emails_added_made_main_and_removed_each_undone_to_the_same_row(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    box = editor.ui.emails
    start = contents(database)
    first = emails(database, people["ann"])
    box.new_value.setText("  Ann.Jones@Work.example ")
    box.new_kind.setCurrentIndex(box.kinds.index("work"))
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    added = emails(database, people["ann"])
    assert [(a, k, p) for _i, a, k, p in added] == [
        ("ann@example.org", "home", True),
        ("ann.jones@work.example", "work", False),
    ]
    assert box.new_value.text() == ""
    assert box.list.topLevelItemCount() == 2
    assert editor.undo_action.text() == "Undo add email ann.jones@work.example"

    box.list.setCurrentItem(box.list.topLevelItem(1))
    qtbot.mouseClick(box.primary_button, Qt.MouseButton.LeftButton)
    assert [p for *_rest, p in emails(database, people["ann"])] == [False, True]
    assert editor.undo_action.text() == "Undo make ann.jones@work.example the main email"

    box.list.setCurrentItem(box.list.topLevelItem(1))
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert [(a, p) for _i, a, _k, p in emails(database, people["ann"])] == [
        ("ann@example.org", True)
    ]
    assert editor.undo_action.text() == "Undo remove email ann.jones@work.example"

    editor.undo()  # the same row back, main again
    assert [(i, a, k, p) for i, a, k, p in emails(database, people["ann"])] == [
        (added[0][0], "ann@example.org", "home", False),
        (added[1][0], "ann.jones@work.example", "work", True),
    ]
    editor.undo()
    editor.undo()
    assert emails(database, people["ann"]) == first
    assert contents(database) == start  # the search text too: the address is not findable
    editor.redo()  # the address comes back with the id it had
    assert emails(database, people["ann"])[1][0] == added[1][0]


def test_a_phone_is_added_and_its_kind_changed(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    box = editor.ui.phones
    box.new_value.setText("07700 900123")
    qtbot.keyClick(box.new_value, Qt.Key.Key_Return)
    record = person_record_of(database, people["ann"])
    assert [(p.kind, p.is_primary) for p in record.phones] == [("mobile", True)]
    box.list.setCurrentItem(box.list.topLevelItem(0))
    box.kind.setCurrentIndex(box.kinds.index("home"))
    box.kind.activated.emit(box.kind.currentIndex())
    assert person_record_of(database, people["ann"]).phones[0].kind == "home"
    assert editor.undo_action.text().startswith("Undo call ")
    editor.undo()
    assert person_record_of(database, people["ann"]).phones[0].kind == "mobile"


def person_record_of(database: Database, person_id: int) -> Any:
    with database.session() as session:
        return person_record(session, person_id)


def test_a_bad_email_is_refused_in_one_sentence(
    database: Database, editor: PersonEditor, warnings_shown: list[str]
) -> None:
    before = contents(database)
    editor.ui.emails.new_value.setText("ann at example")
    editor.ui.emails.add_button.click()
    assert len(warnings_shown) == 1 and "ann at example" in warnings_shown[0]
    assert editor.ui.emails.new_value.text() == "ann at example"  # kept to correct
    assert contents(database) == before and editor.stack.count() == 0


# Verified and preferences -------------------------------------------------------------


def test_mark_verified_in_one_click_and_undo(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    before = contents(database)
    assert editor.ui.verified_on["address"].text() == "Never"
    assert editor.ui.verify_how["address"].currentText() == "In person"
    qtbot.mouseClick(editor.ui.verify_buttons["address"], Qt.MouseButton.LeftButton)
    with database.session() as session:
        rows = session.scalars(select(DetailVerification)).all()
        assert [(r.person_id, r.detail, r.source, r.verified_on) for r in rows] == [
            (people["ann"], "address", "in_person", dt.date.today())
        ]
    assert editor.ui.verified_on["address"].text() == f"{dt.date.today():%d %b %Y}"
    assert editor.ui.verified_how["address"].text() == "In person"
    assert editor.undo_action.text() == "Undo mark address verified"
    editor.undo()
    assert contents(database) == before
    assert editor.ui.verified_on["address"].text() == "Never"

    editor.ui.verify_how["phone"].setCurrentText("Rang her back")
    editor.mark_verified("phone")
    assert editor.ui.verified_how["phone"].text() == "Other (Rang her back)"


def test_a_preference_change_and_its_how_are_undone_exactly(
    database: Database, people: dict[str, int], editor: PersonEditor
) -> None:
    recorded = dt.datetime(2024, 3, 1, 19, 30)
    with database.session() as session:
        set_contact_preference(session, people["ann"], "email", True, how="AGM form", at=recorded)
    editor.reload()
    assert editor.ui.answers["email"].currentText() == "Allowed"
    assert editor.ui.answer_how["email"].text() == "AGM form"
    assert editor.ui.answer_when["email"].text() == "01 Mar 2024"
    before = contents(database)

    answer = editor.ui.answers["email"]
    answer.setCurrentIndex(answer.findData(False))
    editor.ui.answer_how["email"].setText("Asked on the phone")
    answer.activated.emit(answer.currentIndex())
    with database.session() as session:
        row = session.scalars(select(ContactPreference)).one()
        assert (row.allowed, row.how) == (False, "Asked on the phone")
    assert editor.undo_action.text() == "Undo set Email to not allowed"
    editor.undo()
    assert contents(database) == before  # recorded_at too

    sms = editor.ui.answers["sms"]
    sms.setCurrentIndex(sms.findData(True))
    sms.activated.emit(sms.currentIndex())
    how = editor.ui.answer_how["sms"]
    how.setText("Texted back YES")
    how.editingFinished.emit()
    assert editor.undo_action.text() == "Undo change how the SMS answer was recorded"
    editor.undo()
    editor.undo()
    assert contents(database) == before


# Household ----------------------------------------------------------------------------


def test_a_new_address_for_the_household_moves_everyone_living_there(
    database: Database, people: dict[str, int], editor: PersonEditor, qtbot: QtBot
) -> None:
    before = contents(database)
    assert editor.ui.residents.topLevelItem(0).text(0) == "Bob Jones"
    editor.ui.address_fields["line1"].setText("22 New Road")
    editor.ui.address_fields["postcode"].setText("cf24 3aa")
    qtbot.mouseClick(editor.ui.save_address, Qt.MouseButton.LeftButton)
    for who in ("ann", "bob"):
        record = person_record_of(database, people[who])
        assert (record.household.line1, record.household.postcode) == ("22 New Road", "CF24 3AA")
    assert person_record_of(database, people["cy"]).household.line1 == "9 Low Rd"
    assert editor.ui.address_fields["postcode"].text() == "CF24 3AA"
    assert editor.undo_action.text() == "Undo change the household's address"
    editor.undo()
    assert contents(database) == before


def test_moving_out_and_back_leaves_no_empty_household(
    database: Database,
    people: dict[str, int],
    editor: PersonEditor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = contents(database)

    def filled(dialog: NewAddressDialog) -> int:
        dialog.fields["line1"].setText("Flat 2, 5 Station Rd")
        dialog.fields["postcode"].setText("CF5 1AB")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NewAddressDialog, "exec", filled)
    editor.move_out()
    ann, bob = person_record_of(database, people["ann"]), person_record_of(database, people["bob"])
    assert ann.household.line1 == "Flat 2, 5 Station Rd" and ann.household.others == []
    assert bob.household.line1 == "1 High St"
    assert editor.undo_action.text() == "Undo move out to a new address"
    editor.undo()
    assert contents(database) == before
    editor.redo()
    assert person_record_of(database, people["ann"]).household.postcode == "CF5 1AB"


def test_moving_into_a_household_found_by_a_residents_name(
    database: Database,
    people: dict[str, int],
    editor: PersonEditor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = contents(database)

    def chose(dialog: HouseholdSearchDialog) -> int:
        dialog.search.setText("ellis")
        assert dialog.results.count() == 1
        assert "9 Low Rd" in dialog.results.item(0).text()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(HouseholdSearchDialog, "exec", chose)
    editor.move_household()
    assert person_record_of(database, people["ann"]).household.line1 == "9 Low Rd"
    assert editor.ui.residents.topLevelItem(0).text(0) == "Cy Ellis"
    assert editor.undo_action.text() == "Undo move to 9 Low Rd, CF11 9ZZ"
    editor.undo()
    assert contents(database) == before


# Someone else's edit -------------------------------------------------------------------


def test_a_stale_save_shows_the_sentence_and_reloads(
    database: Database,
    people: dict[str, int],
    editor: PersonEditor,
    qtbot: QtBot,
    warnings_shown: list[str],
) -> None:
    type_into(qtbot, editor, "title", "Dr")
    with database.session() as session:  # another officer, another laptop
        edit_person(session, people["ann"], {"preferred_name": "Nan"})
    type_into(qtbot, editor, "preferred_name", "Annie")
    assert warnings_shown == [
        "Someone else changed this person since you opened it; close it and open it again."
    ]
    assert person(database, people["ann"]).preferred_name == "Nan"
    assert editor.ui.text_fields["preferred_name"].text() == "Nan"  # reloaded
    assert editor.stack.count() == 0  # our Undo could now undo their work
    type_into(qtbot, editor, "preferred_name", "Annie")  # now it saves
    assert person(database, people["ann"]).preferred_name == "Annie"


def test_an_undo_over_someone_elses_edit_is_refused(
    database: Database,
    people: dict[str, int],
    editor: PersonEditor,
    qtbot: QtBot,
    warnings_shown: list[str],
) -> None:
    type_into(qtbot, editor, "preferred_name", "Annie")
    with database.session() as session:
        edit_person(session, people["ann"], {"preferred_name": "Nan"})
    editor.undo_action.trigger()
    assert warnings_shown == [
        "Someone else changed this person since you opened it; close it and open it again."
    ]
    assert person(database, people["ann"]).preferred_name == "Nan"
    assert editor.ui.text_fields["preferred_name"].text() == "Nan"
    assert editor.stack.count() == 0 and not editor.undo_action.isEnabled()


# History and the main window ------------------------------------------------------------


def test_history_shows_the_edits_newest_first(
    database: Database, editor: PersonEditor, qtbot: QtBot
) -> None:
    type_into(qtbot, editor, "preferred_name", "Annie")
    type_into(qtbot, editor, "preferred_name", "Nan")
    editor.ui.tabs.setCurrentWidget(editor.ui.pages["history"])
    first = editor.ui.history.topLevelItem(0)
    assert [first.text(i) for i in (1, 2, 3, 4)] == ["tester", "preferred name", "Annie", "Nan"]
    editor.undo()  # the history follows the edits while it shows
    first = editor.ui.history.topLevelItem(0)
    assert [first.text(i) for i in (2, 3, 4)] == ["preferred name", "Nan", "Annie"]


def test_the_main_window_opens_the_editor_and_follows_its_edits(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.table.selectRow(0)
    person_id = window.selected_person_id()
    assert person_id is not None
    assert window.edit_person_action.shortcut().toString() == "F2"
    window.edit_person_action.trigger()
    editors = window.findChildren(PersonEditor)
    assert len(editors) == 1 and editors[0].person_id == person_id
    editor = editors[0]
    qtbot.waitExposed(editor)
    window.edit_person()  # the same person again: the same window, raised
    assert window.findChildren(PersonEditor) == [editor]
    with qtbot.waitSignal(editor.changed) as signal:
        type_into(qtbot, editor, "membership_type", "Student")
    assert signal.args == [person_id]
    new_last = "Aaaron"  # sorts first: the list follows the edit
    type_into(qtbot, editor, "last_name", new_last)
    assert window.model.index(0, 0).data() == new_last
    assert window.selected_person_id() == person_id
    assert new_last in window.detail.toPlainText()
    editor.close()


def test_the_editor_remembers_its_size(
    database: Database, people: dict[str, int], qtbot: QtBot
) -> None:
    first = PersonEditor(database, people["ann"])
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 560)
    first.close()
    second = PersonEditor(database, people["bob"])
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 560)


def test_every_tab_lays_out(
    database: Database, people: dict[str, int], editor: PersonEditor, tmp_path: Path
) -> None:
    """Screenshots for a person to look at (``/tmp/editor_<tab>.png``), at the size a
    1366x768 laptop gives the window."""
    with database.session() as session:
        set_contact_preference(session, people["ann"], "email", True, how="AGM form")
        set_contact_preference(session, people["ann"], "phone", False, how="Said no at the door")
    editor.mark_verified("email", on=dt.date(2025, 2, 1))
    editor.ui.phones.new_value.setText("07700 900123")
    editor.ui.phones.add_button.click()
    editor.resize(780, 600)
    for index, key in enumerate(TABS):
        editor.ui.tabs.setCurrentIndex(index)
        picture = editor.grab()
        assert picture.save(str(tmp_path / f"editor_{key}.png"))
        picture.save(f"/tmp/editor_{key}.png")  # to look at after a run
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 2
