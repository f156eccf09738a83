"""The Tags window: tags with counts, new, rename and delete, and tagging by typing names."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from db.database import Database
from db.people import NewPerson, add_person
from db.tags import list_tags, people_with_tag, tag_people
from desktop.tags_window import TagsWindow


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
    assert tags.status.text() == "Deleted the tag “has a car”; 1 person lost it."
    assert not tags.delete_button.isEnabled()
