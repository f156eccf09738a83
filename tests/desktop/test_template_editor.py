"""Mailings → Letter templates…: writing a letter with the toolbar, the live check, saving
what the text form says, refusing a broken template, the unsaved-changes prompt, delete."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.database import Database
from db.letter_templates import get_template, list_templates, save_template
from desktop.template_editor import (
    LETTER_TAB,
    TEXT_TAB,
    TemplateEditorWindow,
    open_template_editor,
)

_Button = QMessageBox.StandardButton
WELCOME = "Dear {{ first_name }},\n\nWelcome to the branch.\n"


def _open(
    database: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> TemplateEditorWindow:
    window = TemplateEditorWindow(database)
    # qtbot closes the window after the test: changes left unsaved are let go, or the
    # close would wait on the question with nobody to answer it.
    qtbot.addWidget(
        window,
        before_close_func=lambda _w: monkeypatch.setattr(
            QMessageBox, "question", lambda *_args: _Button.Discard
        ),
    )
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def editor(
    database: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> TemplateEditorWindow:
    return _open(database, qtbot, monkeypatch)


@pytest.fixture
def with_welcome(
    database: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> TemplateEditorWindow:
    with database.session() as session:
        save_template(session, "Welcome", WELCOME)
        save_template(session, "Reminder", "Dear {{ salutation }},\n\nDo renew.\n")
    return _open(database, qtbot, monkeypatch)


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_rest: Any) -> Any:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_r: shown.append(text))
    return shown


def _stored(database: Database) -> dict[str, str]:
    with database.session() as session:
        return {t.name: get_template(session, t.name)[1] for t in list_templates(session)}


def _click(qtbot: QtBot, window: TemplateEditorWindow, action: Any) -> None:
    button = window.ui.toolbar.widgetForAction(action)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_letter_written_with_the_toolbar_is_stored_as_its_text(
    editor: TemplateEditorWindow,
    database: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert editor.current is None and editor.ui.template_list.count() == 0
    qtbot.keyClicks(editor.ui.name_edit, "AGM letter")
    text = editor.ui.editor
    qtbot.keyClicks(text, "Dear ")
    editor.ui.field_actions["first_name"].trigger()
    qtbot.keyClicks(text, ",")
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.keyClicks(text, "We meet on ")
    _click(qtbot, editor, editor.ui.bold_action)
    qtbot.keyClicks(text, "Tuesday")
    _click(qtbot, editor, editor.ui.bold_action)
    qtbot.keyClicks(text, ".")
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.keyClicks(text, "Members vote on the budget.")
    offered: list[list[str]] = []

    def pick(_parent: QWidget, _title: str, _label: str, items: list[str], *_rest: Any) -> Any:
        offered.append(list(items))
        return "Members", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    _click(qtbot, editor, editor.ui.only_action)
    assert "Members" in offered[0]
    assert editor.isWindowModified()
    assert editor.windowTitle().startswith("AGM letter[*]")

    expected = (
        "Dear {{ first_name }},\n\n"
        "We meet on **Tuesday**.\n\n"
        '{% if in_segment("Members") %}\n'
        "Members vote on the budget.\n"
        "{% endif %}\n"
    )
    qtbot.waitUntil(lambda: editor.ui.text_edit.toPlainText() == expected)
    assert editor.ui.problems.text() == "Ready to print."
    editor.activateWindow()
    qtbot.waitActive(editor)
    qtbot.keyClick(text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _stored(database) == {"AGM letter": expected}
    assert not editor.isWindowModified()
    assert editor.current == "AGM letter" and editor.ui.name_edit.isReadOnly()
    assert editor.ui.template_list.currentItem().text() == "AGM letter"  # type: ignore[union-attr]


def test_an_unknown_field_is_shown_with_its_line_and_save_refuses(
    editor: TemplateEditorWindow,
    database: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = _warnings(monkeypatch)
    editor.ui.name_edit.setText("Broken")
    editor.ui.editor.insertPlainText("Dear {{ first_name }},")
    qtbot.keyClick(editor.ui.editor, Qt.Key.Key_Return)
    editor.ui.editor.insertPlainText("Hello {{ frist_name }}.")
    qtbot.waitUntil(lambda: "frist_name" in editor.ui.problems.text())
    assert editor.ui.problems.text().startswith("Line 3: there is no field called 'frist_name'")
    marked = [s.cursor.selectedText() for s in editor.ui.editor.extraSelections()]
    assert marked == ["Hello {{ frist_name }}."]
    marked = [s.cursor.selectedText() for s in editor.ui.text_edit.extraSelections()]
    assert marked == ["Hello {{ frist_name }}."]
    assert not editor.save()
    assert len(shown) == 1 and shown[0].startswith("Line 3: there is no field called 'frist_name'")
    assert _stored(database) == {}
    assert editor.isWindowModified()


def test_loading_leaves_nothing_to_undo_and_typing_can_be_undone(
    with_welcome: TemplateEditorWindow, qtbot: QtBot
) -> None:
    window = with_welcome
    assert window.current == "Reminder"  # the first by name
    window.ui.template_list.setCurrentRow(1)
    assert window.current == "Welcome"
    document = window.ui.editor.document()
    assert not document.isUndoAvailable()
    assert window.current_text() == WELCOME and not window.isWindowModified()
    window.ui.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.ui.editor, " Come soon.")
    assert window.isWindowModified()
    qtbot.keyClick(window.ui.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_text() == WELCOME
    assert not window.isWindowModified()
    assert not document.isUndoAvailable()  # back to the load, and no further


def test_the_text_tab_edits_the_letter_both_ways(
    with_welcome: TemplateEditorWindow, qtbot: QtBot
) -> None:
    window = with_welcome
    window.ui.template_list.setCurrentRow(1)
    window.ui.tabs.setCurrentIndex(TEXT_TAB)
    assert window.ui.text_edit.toPlainText() == WELCOME
    assert not window.ui.bold_action.isEnabled()
    changed = "Dear {{ first_name }},\n\nWelcome, **Siân Llŷr-Jones**.\n- one\n- two\n"
    window.ui.text_edit.setPlainText(changed)
    window.ui.tabs.setCurrentIndex(LETTER_TAB)
    settled = "Dear {{ first_name }},\n\nWelcome, **Siân Llŷr-Jones**.\n\n- one\n- two\n"
    assert window.current_text() == settled
    assert window.ui.text_edit.toPlainText() == settled
    block = window.ui.editor.document().findBlockByNumber(2)
    assert block.text() == "one" and block.textList() is not None
    # The switch back is one undoable step in the letter.
    window.ui.editor.undo()
    assert window.current_text() == WELCOME


def test_bullets_toggle_on_the_chosen_paragraphs(
    editor: TemplateEditorWindow, qtbot: QtBot
) -> None:
    for line in ("Bring:", "a pen", "a friend"):
        editor.ui.editor.insertPlainText(line)
        qtbot.keyClick(editor.ui.editor, Qt.Key.Key_Return)
    cursor = editor.ui.editor.textCursor()
    cursor.setPosition(editor.ui.editor.document().findBlockByNumber(1).position())
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    editor.ui.editor.setTextCursor(cursor)
    _click(qtbot, editor, editor.ui.bullet_action)
    # The empty paragraph the last Return made is where the selection ends: not taken.
    assert editor.current_text() == "Bring:\n\n- a pen\n- a friend\n"
    _click(qtbot, editor, editor.ui.bullet_action)
    assert editor.current_text() == "Bring:\n\na pen\n\na friend\n"


def test_not_for_segment_wraps_a_bullet_list_and_quotes_the_name(
    with_welcome: TemplateEditorWindow,
) -> None:
    window = with_welcome
    window.load(None, "Intro.\n\n- one\n- two\n\nEnd.\n")
    cursor = window.ui.editor.textCursor()
    document = window.ui.editor.document()
    cursor.setPosition(document.findBlockByNumber(1).position())
    cursor.setPosition(
        document.findBlockByNumber(2).position() + 1, QTextCursor.MoveMode.KeepAnchor
    )
    window.ui.editor.setTextCursor(cursor)
    assert window.wrap_in_segment(negate=True, segment='The "A" team')
    assert window.current_text() == (
        'Intro.\n\n{% if not in_segment("The \\"A\\" team") %}\n- one\n- two\n{% endif %}\n\nEnd.\n'
    )
    window.ui.editor.undo()
    assert window.current_text() == "Intro.\n\n- one\n- two\n\nEnd.\n"


def test_switching_with_changes_asks_first(
    with_welcome: TemplateEditorWindow, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = with_welcome
    window.ui.editor.insertPlainText("Changed. ")
    asked = _answer(monkeypatch, _Button.Cancel)
    window.ui.template_list.setCurrentRow(1)
    assert asked == ["Save the changes to “Reminder”?"]
    assert window.current == "Reminder" and window.current_text().startswith("Changed.")
    assert window.ui.template_list.currentItem().text() == "Reminder"  # type: ignore[union-attr]

    _answer(monkeypatch, _Button.Discard)
    window.ui.template_list.setCurrentRow(1)
    assert window.current == "Welcome" and window.current_text() == WELCOME
    assert _stored(database)["Reminder"] == "Dear {{ salutation }},\n\nDo renew.\n"

    window.ui.editor.insertPlainText("Hello. ")
    _answer(monkeypatch, _Button.Save)
    window.ui.template_list.setCurrentRow(0)
    assert window.current == "Reminder"
    assert _stored(database)["Welcome"] == "Hello. " + WELCOME


def test_closing_with_changes_can_be_cancelled(
    with_welcome: TemplateEditorWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = with_welcome
    window.ui.editor.insertPlainText("Unsaved. ")
    _answer(monkeypatch, _Button.Cancel)
    assert not window.close()
    assert window.isVisible()
    _answer(monkeypatch, _Button.Discard)
    assert window.close()


def test_duplicate_then_delete(
    with_welcome: TemplateEditorWindow, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = with_welcome
    window.ui.template_list.setCurrentRow(1)
    assert window.duplicate()
    assert window.current is None and window.ui.name_edit.text() == "Copy of Welcome"
    assert window.isWindowModified()
    assert window.save()
    assert _stored(database)["Copy of Welcome"] == WELCOME

    asked = _answer(monkeypatch, _Button.No)
    assert not window.delete_current()
    assert "Copy of Welcome" in _stored(database)
    asked = _answer(monkeypatch, _Button.Yes)
    assert window.delete_current()
    assert asked[0].startswith("Delete the letter template “Copy of Welcome”?")
    assert set(_stored(database)) == {"Reminder", "Welcome"}
    names = [window.ui.template_list.item(i).text() for i in range(2)]  # type: ignore[union-attr]
    assert names == ["Reminder", "Welcome"] and window.ui.template_list.count() == 2
    assert window.current == "Reminder"
    assert window.ui.undo_delete_button.isVisible()

    assert window.undo_delete()
    assert _stored(database)["Copy of Welcome"] == WELCOME
    assert window.current == "Copy of Welcome" and not window.isWindowModified()
    assert not window.ui.undo_delete_button.isVisible()
    assert window.ui.template_list.count() == 3


def test_saving_a_new_template_over_an_old_name_asks(
    with_welcome: TemplateEditorWindow, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = with_welcome
    window.new_template()
    window.ui.name_edit.setText("Welcome")
    window.ui.editor.insertPlainText("New words.")
    _answer(monkeypatch, _Button.No)
    assert not window.save()
    assert _stored(database)["Welcome"] == WELCOME
    _answer(monkeypatch, _Button.Yes)
    assert window.save()
    assert _stored(database)["Welcome"] == "New words.\n"


def test_the_opener_keeps_one_window(database: Database, qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    first = open_template_editor(parent, database)
    assert first.isVisible() and first.windowTitle().endswith("Letter templates — Branchbook")
    assert open_template_editor(parent, database) is first
    first.close()


def test_ctrl_b_and_ctrl_i_format_what_is_typed_next(
    editor: TemplateEditorWindow, qtbot: QtBot
) -> None:
    editor.activateWindow()
    qtbot.waitActive(editor)
    text = editor.ui.editor
    text.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClicks(text, "Come ")
    qtbot.keyClick(text, Qt.Key.Key_B, ctrl)
    assert editor.ui.bold_action.isChecked()
    qtbot.keyClicks(text, "early")
    qtbot.keyClick(text, Qt.Key.Key_B, ctrl)
    qtbot.keyClicks(text, " and ")
    qtbot.keyClick(text, Qt.Key.Key_I, ctrl)
    qtbot.keyClicks(text, "hungry")
    qtbot.keyClick(text, Qt.Key.Key_I, ctrl)
    qtbot.keyClicks(text, ".")
    assert editor.current_text() == "Come **early** and *hungry*.\n"


def test_what_will_not_print_as_shown_is_said_but_can_be_saved(
    editor: TemplateEditorWindow, database: Database, qtbot: QtBot
) -> None:
    editor.ui.name_edit.setText("Sums")
    qtbot.keyClicks(editor.ui.editor, "Tickets cost 2 * 3 * 1 pounds.")
    editor.refresh()
    assert editor.ui.problems.text().startswith("Paragraph 1 will not print quite as shown")
    editor.ui.tabs.setCurrentIndex(TEXT_TAB)
    editor.insert_field("today")
    assert editor.ui.text_edit.toPlainText() == "{{ today }}Tickets cost 2 * 3 * 1 pounds.\n"
    assert editor.save()
    assert _stored(database) == {"Sums": "{{ today }}Tickets cost 2 * 3 * 1 pounds.\n"}
