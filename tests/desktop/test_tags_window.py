"""The Tags window: tags with counts, new, rename and delete, and tagging by typing names."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

from db.database import Database
from db.people import NewPerson, add_person
from db.tags import add_tag, list_tags, people_with_tag, rename_tag, tag_people
from desktop.tags_window import TagsWindow
from tests.helpers.table_contents import contents


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    with database.session() as session:
        found = {
            first: add_person(session, NewPerson(first, last))
            for first, last in (("Siân", "Evans"), ("Llŷr", "Jones"), ("Zoë", "Price"))
        }
        tag_people(session, "has a car", [found["Zoë"]])
    return found


@pytest.fixture
def tags(database: Database, people: dict[str, int], qtbot: QtBot) -> TagsWindow:
    window = TagsWindow(database)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))
    return shown


def shown_tags(window: TagsWindow) -> list[tuple[str, str]]:
    items = [window.tag_list.topLevelItem(i) for i in range(window.tag_list.topLevelItemCount())]
    return [(item.text(0), item.text(1)) for item in items if item is not None]


def carriers(window: TagsWindow) -> list[str]:
    return [window.carriers.item(i).text() for i in range(window.carriers.count())]


def counts(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {tag.name: tag.people for tag in list_tags(session)}


def test_tags_are_listed_with_counts_and_their_carriers(tags: TagsWindow) -> None:
    assert shown_tags(tags) == [("has a car", "1")]
    assert tags.selected_tag() == "has a car"
    assert carriers(tags) == ["Zoë Price"]
    assert tags.carriers_box.title() == "Who has “has a car” (1)"


def test_a_new_tag_given_to_people_picked_by_typing(
    database: Database, people: dict[str, int], tags: TagsWindow, messages: list[str]
) -> None:
    tags.new_tag("  Welsh   speaker ")
    assert tags.selected_tag() == "Welsh speaker"
    assert shown_tags(tags) == [("has a car", "1"), ("Welsh speaker", "0")]
    assert not tags.tag_button.isEnabled()  # nobody picked yet

    for typed in ("sian", "llyr", "zoe"):
        tags.picker.finder.set_text(typed)
        tags.picker.finder.pick_selected()
    assert tags.picker.names() == ["Siân Evans", "Llŷr Jones", "Zoë Price"]
    tags.tag_button.click()

    assert counts(database) == {"has a car": 1, "Welsh speaker": 3}
    assert carriers(tags) == ["Siân Evans", "Llŷr Jones", "Zoë Price"]
    assert tags.status.text() == "Gave “Welsh speaker” to 3 people."
    assert tags.picker.person_ids() == []  # ready for the next lot

    # Picked again and untagged; the one who never had it is said so.
    tags.picker.add_person(people["Llŷr"], "Llŷr Jones")
    tags.tag_list.setCurrentItem(tags.tag_list.topLevelItem(0))
    assert tags.selected_tag() == "has a car"
    tags.untag_button.click()
    assert tags.status.text() == "Took “has a car” off 0 people; 1 person did not have it."

    tags.new_tag("welsh SPEAKER")  # one tag whatever its case
    assert messages == ["There is already a tag 'Welsh speaker'."]


def test_carriers_selected_lose_the_tag(
    database: Database, people: dict[str, int], tags: TagsWindow
) -> None:
    tags.carriers.item(0).setSelected(True)
    tags.untag_selected_button.click()
    assert counts(database) == {"has a car": 0}
    assert carriers(tags) == []
    assert tags.carriers_note.text() == "Nobody has this tag yet."


def test_renaming_a_tag_keeps_its_people(
    database: Database, people: dict[str, int], tags: TagsWindow, messages: list[str]
) -> None:
    tags.rename_selected("Car owner")
    assert counts(database) == {"Car owner": 1}
    assert shown_tags(tags) == [("Car owner", "1")]
    assert tags.status.text() == "Renamed “has a car” to “Car owner”; everyone keeps it."
    with database.session() as session:
        assert people_with_tag(session, "Car owner") == [people["Zoë"]]

    tags.new_tag("Gyrrwr")
    tags.rename_selected("car OWNER")
    assert messages == ["There is already a tag 'Car owner'."]
    assert set(counts(database)) == {"Car owner", "Gyrrwr"}


def test_deleting_a_tag_asks_first_naming_how_many_carry_it(
    database: Database,
    people: dict[str, int],
    tags: TagsWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent: object, _title: str, text: str, *_rest: object) -> object:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    tags.delete_selected()
    assert asked == ["Delete the tag “has a car”? 1 person carries it, and will lose it."]
    assert counts(database) == {"has a car": 1}  # No: nothing changed

    answer = QMessageBox.StandardButton.Yes
    tags.delete_button.click()
    assert counts(database) == {}
    assert shown_tags(tags) == []
    assert tags.status.text() == (
        "Deleted the tag “has a car”; 1 person lost it. Ctrl+Z brings it back."
    )
    assert not tags.delete_button.isEnabled()


def undo_text(window: TagsWindow) -> str:
    return window.history.undo_action.text()


def undone_and_redone(database: Database, window: TagsWindow, before: object) -> None:
    """Undo: the database exactly as before the edit; Redo: exactly as after it."""
    after = contents(database)
    assert after != before
    window.history.undo_action.trigger()
    assert contents(database) == before
    assert window.history.redo_action.isEnabled()
    window.history.redo_action.trigger()
    assert contents(database) == after


def test_each_tag_edit_is_undone_and_redone(
    database: Database,
    people: dict[str, int],
    tags: TagsWindow,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not tags.history.undo_action.isEnabled()
    assert undo_text(tags) == "Undo"

    before = contents(database)
    tags.new_tag(" Welsh  speaker")
    assert undo_text(tags) == "Undo new tag “Welsh speaker”"
    undone_and_redone(database, tags, before)
    assert tags.selected_tag() == "Welsh speaker"

    before = contents(database)
    for who in ("Siân", "Llŷr", "Zoë"):
        tags.picker.add_person(people[who], who)
    tags.tag_button.click()  # Zoë is tagged now; the others were
    assert undo_text(tags) == "Undo give “Welsh speaker” to 3 people"
    undone_and_redone(database, tags, before)
    assert carriers(tags) == ["Siân Evans", "Llŷr Jones", "Zoë Price"]

    before = contents(database)
    tags.carriers.item(1).setSelected(True)
    tags.untag_selected_button.click()
    assert undo_text(tags) == "Undo take “Welsh speaker” off 1 person"
    undone_and_redone(database, tags, before)

    before = contents(database)
    tags.rename_selected("Siaradwr Cymraeg")
    assert undo_text(tags) == "Undo rename tag “Welsh speaker” to “Siaradwr Cymraeg”"
    assert tags.history.undo_action.iconText() == "Undo"  # the button stays short
    undone_and_redone(database, tags, before)
    assert tags.status.text().startswith("Redone: rename tag “Welsh speaker”")

    # Undoing a delete puts back the same tag, with the same id, on the same people.
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    with database.session() as session:
        tag_ids = {tag.name: tag.id for tag in list_tags(session)}
    before = contents(database)
    tags.reload(select="Siaradwr Cymraeg")
    tags.delete_selected()
    assert undo_text(tags) == "Undo delete tag “Siaradwr Cymraeg”"
    undone_and_redone(database, tags, before)
    tags.history.undo_action.trigger()
    with database.session() as session:
        assert {tag.name: tag.id for tag in list_tags(session)} == tag_ids
        assert len(people_with_tag(session, "Siaradwr Cymraeg")) == 2
    assert ("Siaradwr Cymraeg", "2") in shown_tags(tags)

    # Undone all the way back to where the window began.
    while tags.history.undo_action.isEnabled():
        tags.history.undo_action.trigger()
    assert counts(database) == {"has a car": 1}
    assert messages == []


def test_a_refused_or_empty_tag_edit_never_reaches_the_stack(
    database: Database, people: dict[str, int], tags: TagsWindow, messages: list[str]
) -> None:
    tags.new_tag("Gyrrwr")
    count = tags.history.stack.count()
    tags.new_tag("HAS A CAR")
    tags.rename_selected("has a car")
    tags.rename_selected(" ")
    tags.rename_selected("Gyrrwr")  # no change at all
    tags.picker.add_person(people["Llŷr"], "Llŷr Jones")
    tags.untag_button.click()  # Llŷr never had it
    assert messages == [
        "There is already a tag 'has a car'.",
        "There is already a tag 'has a car'.",
        "A tag needs a label.",
    ]
    assert tags.history.stack.count() == count
    assert undo_text(tags) == "Undo new tag “Gyrrwr”"


def test_an_undo_the_database_no_longer_allows_is_refused_and_forgets_the_history(
    database: Database, people: dict[str, int], tags: TagsWindow, messages: list[str]
) -> None:
    tags.new_tag("Gyrrwr")
    with database.session() as session:  # someone else, meanwhile
        tag_people(session, "Gyrrwr", [people["Siân"]])
        add_tag(session, "Plaid")
        rename_tag(session, "Plaid", "Plaid Cymru")
    before = contents(database)
    tags.history.undo_action.trigger()
    assert messages == ["1 person has the tag 'Gyrrwr' now, so it was kept."]
    assert contents(database) == before
    assert not tags.history.undo_action.isEnabled()
    assert not tags.history.redo_action.isEnabled()
    assert ("Plaid Cymru", "0") in shown_tags(tags)  # the window shows the database now


def test_ctrl_z_and_ctrl_y_in_the_window(
    database: Database, people: dict[str, int], tags: TagsWindow, qtbot: QtBot
) -> None:
    from PySide6.QtCore import Qt

    tags.new_tag("Gyrrwr")
    tags.tag_list.setFocus()
    qtbot.keyClick(tags.tag_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert set(counts(database)) == {"has a car"}
    qtbot.keyClick(tags.tag_list, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert set(counts(database)) == {"has a car", "Gyrrwr"}
    assert tags.findChild(QToolButton, "undoActionButton").toolTip() == "Undo new tag “Gyrrwr”"
