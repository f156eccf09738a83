"""People → Questions and answers…, driven as a secretary would, on a real database file:
the question bank kept, answers recorded for a person found by typing, a form imported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.database import Database
from db.people import NewPerson, add_person
from db.views import (
    add_question,
    answer_summary,
    list_questions,
    person_answers,
    record_answer,
)
from desktop.answer_dialog import AnswerDialog
from desktop.answer_value_widgets import (
    FreeTextEditor,
    MultipleChoiceEditor,
    ScaleEditor,
    SingleChoiceEditor,
)
from desktop.answers_import_dialog import FOLDER_KEY, AnswersImportDialog, split_problem
from desktop.main_window import MainWindow
from desktop.question_dialog import QuestionDialog
from desktop.question_table_model import QuestionTableModel
from desktop.questions_window import QuestionsWindow, summary_bars
from tests.helpers.table_contents import contents

TODAY = dt.date.today()
ISSUES = "Which issues matter most to you?"
PRIORITY = "What should the branch do first?"
SCALE = "How well is the council doing?"
FREE = "Anything else you would like to tell us?"


class Branch:
    def __init__(self, database: Database) -> None:
        with database.session() as session:
            self.sian = add_person(
                session, NewPerson("Siân", "Lloyd", status="member", email="sian@example.org")
            )
            self.bob = add_person(
                session, NewPerson("Bob", "Hale", status="member", email="bob@example.org")
            )
            self.cy = add_person(session, NewPerson("Cy", "Ward", status="supporter"))


@pytest.fixture
def branch(database: Database) -> Branch:
    return Branch(database)


@pytest.fixture
def bank(database: Database, branch: Branch) -> dict[str, int]:
    """Four questions, one of each kind, and a few answers."""
    with database.session() as session:
        ids = {
            "single": add_question(
                session, PRIORITY, "single choice", ["Housing", "Transport", "Parks"]
            ).id,
            "multiple": add_question(
                session, ISSUES, "multiple", ["Housing", "NHS", "Climate", "Jobs"], 2
            ).id,
            "scale": add_question(session, SCALE, "scale").id,
            "free": add_question(session, FREE, "free text").id,
        }
        old = TODAY - dt.timedelta(days=30)
        for person, value in ((branch.sian, "Housing"), (branch.bob, "Parks")):
            record_answer(session, person, ids["single"], value, source="doorstep", answered_on=old)
        record_answer(
            session, branch.bob, ids["single"], "Transport", source="phone", answered_on=TODAY
        )
        record_answer(
            session,
            branch.sian,
            ids["multiple"],
            ["NHS", "Housing"],
            source="meeting",
            answered_on=old,
        )
        record_answer(
            session, branch.bob, ids["multiple"], ["Housing"], source="meeting", answered_on=old
        )
        for person, point in ((branch.sian, 4), (branch.bob, 4), (branch.cy, 1)):
            record_answer(session, person, ids["scale"], point, source="phone", answered_on=old)
    return ids


@pytest.fixture
def questions(database: Database, qtbot: QtBot) -> QuestionsWindow:
    window = QuestionsWindow(database)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture(autouse=True)
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every one-sentence refusal shown, instead of a box that would wait for a click."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    return shown


def texts(database: Database) -> list[str]:
    with database.session() as session:
        return [q.text for q in list_questions(session)]


def answering(monkeypatch: pytest.MonkeyPatch, fill: Any) -> None:
    """The question dialog, filled in by ``fill`` and OK pressed, instead of shown."""

    def run(dialog: QuestionDialog) -> int:
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(QuestionDialog, "exec", run)


# --- the question bank --------------------------------------------------------------------


def test_the_question_model_keeps_qts_rules(
    bank: dict[str, int], database: Database, qtmodeltester: Any
) -> None:
    model = QuestionTableModel()
    qtmodeltester.check(model)
    with database.session() as session:
        model.set_questions(list_questions(session))
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.index(1, 1).data() == "Multiple choice (up to 2)"
    assert model.index(1, 2).data() == "Housing; NHS; Climate; Jobs"
    assert model.index(0, 3).data() == "2"


@pytest.mark.parametrize(
    ("kind", "options", "most", "shown"),
    [
        ("single_choice", "Housing\nTransport\n\nParks", 0, "Single choice"),
        ("multiple_choice", "Housing\nNHS\nClimate", 2, "Multiple choice (up to 2)"),
        ("scale", "", 0, "1–5 scale"),
        ("free_text", "", 0, "Free text"),
    ],
)
def test_a_question_of_each_kind_is_added(
    questions: QuestionsWindow,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    options: str,
    most: int,
    shown: str,
    qtbot: QtBot,
) -> None:
    def fill(dialog: QuestionDialog) -> None:
        assert dialog.windowTitle() == "Add a question"
        dialog.text_edit.setPlainText("Où est   la gare ?")
        dialog.set_kind(kind)
        assert dialog.options_edit.isVisibleTo(dialog) == (
            kind in ("single_choice", "multiple_choice")
        )
        assert dialog.max_choices.isVisibleTo(dialog) == (kind == "multiple_choice")
        dialog.options_edit.setPlainText(options)
        dialog.max_choices.setValue(most)

    answering(monkeypatch, fill)
    qtbot.mouseClick(questions.add_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        [added] = list_questions(session)
    assert (added.text, added.kind) == ("Où est la gare ?", kind)
    assert list(added.options) == [o for o in options.splitlines() if o]
    assert added.max_choices == (most or None)
    assert questions.model.index(0, 1).data() == shown
    assert questions.selected_id() == added.id
    assert questions.status.text() == "“Où est la gare ?” added at the end of the list."


def test_refusals_are_one_sentence_and_change_nothing(
    bank: dict[str, int], database: Database, warnings: list[str], qtbot: QtBot
) -> None:
    before = texts(database)
    dialog = QuestionDialog(database)
    qtbot.addWidget(dialog)
    dialog.text_edit.setPlainText("Which day suits you?")
    dialog.options_edit.setPlainText("Monday")
    dialog.accept()
    dialog.text_edit.setPlainText(PRIORITY.upper())
    dialog.options_edit.setPlainText("Yes\nNo")
    dialog.accept()
    assert warnings == [
        "A single choice question needs two options or more.",
        f"Question {bank['single']} asks that already: '{PRIORITY}'.",
    ]
    assert dialog.saved_id is None and dialog.result() != QDialog.DialogCode.Accepted
    assert texts(database) == before

    # Parks is someone's past answer: it cannot be taken away from them.
    with database.session() as session:
        [single] = [q for q in list_questions(session) if q.id == bank["single"]]
    editing = QuestionDialog(database, single)
    qtbot.addWidget(editing)
    assert not editing.kind_buttons["scale"].isEnabled()
    editing.options_edit.setPlainText("Housing\nTransport")
    editing.accept()
    assert warnings[-1] == (
        f"The option 'Parks' of '{PRIORITY}' is part of 1 answer, so it cannot be removed; "
        "rename it, or retire the question and ask a new one."
    )
    with database.session() as session:
        assert [q.options for q in list_questions(session) if q.id == bank["single"]] == [
            ("Housing", "Transport", "Parks")
        ]


def test_a_question_is_changed_retired_and_brought_back(
    bank: dict[str, int],
    questions: QuestionsWindow,
    database: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    questions.load()
    questions.select(bank["single"])

    def fill(dialog: QuestionDialog) -> None:
        assert dialog.windowTitle() == "Change a question"
        dialog.options_edit.setPlainText("Housing\nTransport\nParks\nSchools")
        assert dialog.kind() == "single_choice"

    answering(monkeypatch, fill)
    qtbot.keyClick(questions.table, Qt.Key.Key_F2)
    assert questions.model.index(0, 2).data() == "Housing; Transport; Parks; Schools"
    assert questions.status.text() == f"“{PRIORITY}” changed."

    qtbot.mouseClick(questions.retire_button, Qt.MouseButton.LeftButton)
    row = questions.model.row_of(bank["single"])
    assert row == 0
    assert questions.model.index(row, 0).data() == f"{PRIORITY}  (retired)"
    assert questions.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert questions.retire_button.text() == "B&ring back"
    assert questions.summary_title.text() == f"{PRIORITY}  (retired)"
    with database.session() as session:
        assert [q.active for q in list_questions(session)] == [False, True, True, True]

    qtbot.mouseClick(questions.retire_button, Qt.MouseButton.LeftButton)
    assert questions.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert questions.status.text() == f"“{PRIORITY}” is asked again."
    with database.session() as session:
        assert all(q.active for q in list_questions(session))


def test_questions_are_reordered(
    bank: dict[str, int], questions: QuestionsWindow, database: Database, qtbot: QtBot
) -> None:
    questions.load()
    questions.select(bank["free"])
    assert not questions.down_button.isEnabled()
    qtbot.mouseClick(questions.up_button, Qt.MouseButton.LeftButton)
    questions.table.setFocus()
    qtbot.keyClick(questions.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert texts(database) == [PRIORITY, FREE, ISSUES, SCALE]
    assert questions.selected_id() == bank["free"]
    assert questions.status.text() == f"“{FREE}” is now number 2 of 4."
    questions.select(bank["single"])
    assert not questions.up_button.isEnabled()
    qtbot.mouseClick(questions.down_button, Qt.MouseButton.LeftButton)
    assert texts(database) == [FREE, PRIORITY, ISSUES, SCALE]


@pytest.mark.parametrize("which", ["single", "multiple", "scale"])
def test_the_chart_shows_the_summarys_numbers(
    bank: dict[str, int], questions: QuestionsWindow, database: Database, which: str
) -> None:
    questions.load()
    questions.select(bank[which])
    with database.session() as session:
        summary = answer_summary(session, bank[which])
    bars = questions.chart.bars()
    if summary.options:
        assert [(b.label, b.value) for b in bars] == [(o.label, o.count) for o in summary.options]
    else:
        assert [(b.label, b.value) for b in bars] == [(str(p), n) for p, n in summary.scale]
    assert bars == summary_bars(summary)
    expected = {
        "single": ["1 (50%)", "1 (50%)", "0 (0%)"],  # Bob's later answer replaced Parks
        "multiple": [
            "2 (100%) · 1 first",
            "1 (50%) · 1 first",
            "0 (0%) · 0 first",
            "0 (0%) · 0 first",
        ],
        "scale": ["1 (33%)", "0 (0%)", "0 (0%)", "2 (67%)", "0 (0%)"],
    }[which]
    assert [b.text for b in bars] == expected
    assert questions.chart.isVisible()
    if which == "scale":
        assert (
            questions.summary_counts.text()
            == "3 people answer it now; the average is 3.0 out of 5."
        )
    if which == "single":
        assert "latest answer counts" in questions.chart_note.text()


def test_a_free_text_question_has_no_chart(
    bank: dict[str, int], questions: QuestionsWindow
) -> None:
    questions.load()
    questions.select(bank["free"])
    assert not questions.chart.isVisible()
    assert questions.summary_counts.text().startswith("0 people answer it now, in their own words")


# --- recording an answer --------------------------------------------------------------


def pick(dialog: AnswerDialog, typed: str) -> None:
    dialog.finder.set_text(typed)  # setText: typed keys with accents abort pytest-qt
    dialog.finder.pick_selected()


def test_answers_of_each_kind_are_recorded_for_a_person_found_by_typing(
    bank: dict[str, int], branch: Branch, database: Database, qtbot: QtBot
) -> None:
    dialog = AnswerDialog(database, question_id=bank["multiple"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.record_button.isEnabled()
    assert dialog.hint.text() == "Find who answered: type their name, then Enter."
    pick(dialog, "sian")
    assert dialog.person_id == branch.sian
    assert dialog.person_label.text() == "Answering: Siân Lloyd"

    # Multiple choice: ticked in rank order, at most two, the rest greyed.
    editor = dialog.editor
    assert isinstance(editor, MultipleChoiceEditor)
    editor.tick("Climate")
    editor.tick("Jobs")
    assert editor.value() == ["Climate", "Jobs"]
    greyed = [i.text() for i in editor.items() if not i.flags() & Qt.ItemFlag.ItemIsEnabled]
    assert greyed == ["Housing", "NHS"]
    editor.list.setCurrentRow(1)
    qtbot.mouseClick(editor.up, Qt.MouseButton.LeftButton)
    assert editor.value() == ["Jobs", "Climate"]
    assert [i.text() for i in editor.items()][:2] == ["1.  Jobs", "2.  Climate"]
    dialog.set_source("paper_form")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome.text() == (
        "Changed from NHS; Housing to Jobs; Climate for Siân Lloyd — the old answer is kept "
        "as history."
    )
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome.text() == (
        f"Unchanged: Siân Lloyd's answer Jobs; Climate was already recorded on "
        f"{TODAY.day} {TODAY:%B %Y}."
    )

    # Single choice: radio buttons.
    dialog.choose_question(bank["single"])
    single = dialog.editor
    assert isinstance(single, SingleChoiceEditor) and single.combo is None
    single.group.button(2).click()
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome.text() == (
        "Changed from Housing to Parks for Siân Lloyd — the old answer is kept as history."
    )

    # Scale: five buttons.  Free text: a box.  Both new for Cy.
    pick(dialog, "cy ward")
    dialog.choose_question(bank["scale"])
    scale = dialog.editor
    assert isinstance(scale, ScaleEditor)
    qtbot.mouseClick(scale.group.button(5), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.outcome.text()
        == "Changed from 1 to 5 for Cy Ward — the old answer is kept as history."
    )
    dialog.choose_question(bank["free"])
    free = dialog.editor
    assert isinstance(free, FreeTextEditor)
    assert not dialog.record_button.isEnabled()
    free.edit.setPlainText("More buses on Sundays, s’il vous plaît.")
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-3))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome.text() == (
        "New answer recorded for Cy Ward: More buses on Sundays, s’il vous plaît."
    )

    with database.session() as session:
        sian = {a.question_id: a for a in person_answers(session, branch.sian)}
        cy = {a.question_id: a for a in person_answers(session, branch.cy)}
    assert sian[bank["multiple"]].current.choices == ("Jobs", "Climate")
    assert sian[bank["multiple"]].current.source_label == "Paper form"
    assert [h.value for h in sian[bank["multiple"]].history] == ["NHS; Housing"]
    assert sian[bank["single"]].current.value == "Parks"
    assert cy[bank["scale"]].current.scale_value == 5
    assert cy[bank["free"]].current.answered_on == TODAY - dt.timedelta(days=3)
    assert cy[bank["free"]].current.source_label == "Paper form"


def test_a_refused_answer_is_one_sentence(
    bank: dict[str, int], branch: Branch, database: Database, qtbot: QtBot, warnings: list[str]
) -> None:
    dialog = AnswerDialog(database, question_id=bank["single"])
    qtbot.addWidget(dialog)
    pick(dialog, "bob")
    assert dialog.editor is not None
    dialog.editor.set_value("Housing")
    with database.session() as session:
        from db.views import retire_question

        retire_question(session, bank["single"])  # retired in another window meanwhile
    assert dialog.record() is None
    assert warnings == [f"'{PRIORITY}' is retired; bring it back before recording answers to it."]
    assert not dialog.outcome.isVisible()


def test_the_window_opens_the_answer_dialog_on_its_question_and_refreshes(
    bank: dict[str, int], branch: Branch, questions: QuestionsWindow, qtbot: QtBot
) -> None:
    questions.load()
    questions.select(bank["scale"])
    qtbot.mouseClick(questions.record_button, Qt.MouseButton.LeftButton)
    dialog = questions.findChild(AnswerDialog)
    assert isinstance(dialog, AnswerDialog) and dialog.isVisible()
    assert dialog.question() is not None and dialog.question().id == bank["scale"]  # type: ignore[union-attr]
    pick(dialog, "bob")
    assert dialog.editor is not None
    dialog.editor.set_value(2)
    dialog.record()
    assert (
        dialog.outcome.text()
        == "Changed from 4 to 2 for Bob Hale — the old answer is kept as history."
    )
    assert [b.value for b in questions.chart.bars()] == [1, 1, 0, 1, 0]
    dialog.reject()


# --- importing a form -------------------------------------------------------------------


def google_export(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Form responses 1"
    sheet.append(["Timestamp", "Email address", ISSUES, SCALE, "Your postcode"])
    day = dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(9, 41))
    sheet.append([day, "sian@example.org", "Climate, Jobs", 5, "CF10 1AA"])
    sheet.append([day, "bob@example.org", "Housing", "seven", None])
    sheet.append([day, "nobody@example.org", "NHS", 3, None])
    book.save(path)
    return path


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    def answer(_parent: QWidget, _caption: str, _folder: str, filters: str) -> tuple[str, str]:
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)


def test_a_google_form_is_checked_then_imported(
    bank: dict[str, int],
    branch: Branch,
    questions: QuestionsWindow,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    choose_file(monkeypatch, google_export(tmp_path / "Branch survey (Responses).xlsx"))
    questions.load()
    questions.select(bank["scale"])
    qtbot.mouseClick(questions.import_button, Qt.MouseButton.LeftButton)
    dialog = questions.findChild(AnswersImportDialog)
    assert isinstance(dialog, AnswersImportDialog) and dialog.isVisible()
    assert QSettings().value(FOLDER_KEY) == str(tmp_path)

    # The dry run: what would be recorded, the problems with row and column; nothing kept.
    assert dialog.summary.text() == (
        "Would record 3 answers from 2 of 3 responses. 2 problems to put right by hand "
        "(below); those are left out. Nothing is kept until you press Import."
    )
    problems = dialog.problems
    cells = [[problems.item(r, c).text() for c in range(3)] for r in range(problems.rowCount())]
    assert [row[:2] for row in cells] == [["3", f"D ({SCALE})"], ["4", ""]]
    assert "'seven' is not a whole number" in cells[0][2]
    assert cells[1][2].startswith("nobody@example.org matches nobody kept")
    found = dialog.columns
    assert [found.item(r, 0).text() for r in range(found.rowCount())] == ["C", "D"]
    assert dialog.import_button.text() == "&Import 3 answers"
    with database.session() as session:
        assert answer_summary(session, bank["scale"]).scale[4] == (5, 0)

    with database.session() as session:
        before = {a.question_id: a for a in person_answers(session, branch.sian)}
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith("Recorded 3 answers from 2 of 3 responses.")
    assert not dialog.import_button.isEnabled()
    with database.session() as session:
        summary = answer_summary(session, bank["scale"])
        sian = {a.question_id: a for a in person_answers(session, branch.sian)}
    assert summary.scale[4] == (5, 1)
    assert sian[bank["multiple"]].current.choices == ("Climate", "Jobs")
    assert sian[bank["multiple"]].current.source_label == "Online form"
    # The window shows the new counts at once.
    assert [b.value for b in questions.chart.bars()] == [p for _point, p in summary.scale]
    dialog.reject()

    # The whole import is one edit to take back: exactly the three rows it wrote go.
    assert questions.history.undo_action.text() == (
        "Undo import 3 answers from Branch survey (Responses).xlsx"
    )
    assert questions.history.undo()
    with database.session() as session:
        assert answer_summary(session, bank["scale"]).scale[4] == (5, 0)
        again = {a.question_id: a for a in person_answers(session, branch.sian)}
    # Her answer before the form is her current one again.
    assert again == before
    assert questions.history.redo()
    with database.session() as session:
        assert answer_summary(session, bank["scale"]).scale[4] == (5, 1)


def test_a_file_with_no_question_is_one_sentence(
    bank: dict[str, int],
    database: Database,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Timestamp", "Email address", "Favourite colour"])
    sheet.append([dt.datetime(2026, 1, 2, 10), "sian@example.org", "Green"])
    book.save(path)
    dialog = AnswersImportDialog(database, path)
    qtbot.addWidget(dialog)
    assert dialog.check() is None
    assert dialog.summary.text().startswith("other.xlsx, sheet 'Sheet': no column is headed")
    assert not dialog.import_button.isEnabled()


def test_problem_sentences_are_split_into_row_and_column() -> None:
    cell = split_problem("f.xlsx, row 7, column C ('Q one'): the question has no option 'X'.")
    assert (cell.row, cell.column, cell.text) == (
        "7",
        "C (Q one)",
        "The question has no option 'X'.",
    )
    skipped = split_problem("f.xlsx, row 9 has no name or email, so its answers cannot be given.")
    assert (skipped.row, skipped.column) == ("9", "")
    assert skipped.text.startswith("Has no name or email")
    assert split_problem("Something else.").text == "Something else."


# --- the People menu ---------------------------------------------------------------------


def test_the_people_menu_opens_the_window(database: Database, qtbot: QtBot) -> None:
    main = MainWindow(database)
    qtbot.addWidget(main)
    main.show()
    action = main.findChild(QAction, "questionsAction")
    assert isinstance(action, QAction)
    assert action in main.people_tool_actions
    assert action.text() == "&Questions and answers…"
    assert action.shortcut().toString() == "Ctrl+Shift+V"
    shortcuts = [
        a.shortcut().toString() for a in main.findChildren(QAction) if not a.shortcut().isEmpty()
    ]
    assert shortcuts.count("Ctrl+Shift+V") == 1
    action.trigger()
    window = main.findChild(QuestionsWindow)
    assert isinstance(window, QuestionsWindow) and window.isVisible()
    action.trigger()
    assert main.findChildren(QuestionsWindow) == [window]
    window.close()


def test_a_typed_up_paper_form_with_no_timestamps_takes_a_date(
    bank: dict[str, int], branch: Branch, database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "paper.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Email address", SCALE])
    sheet.append(["bob@example.org", 2])
    book.save(path)
    dialog = AnswersImportDialog(database, path)
    qtbot.addWidget(dialog)
    assert dialog.check() is None
    assert "has no Timestamp (Google Forms) or Completion time" in dialog.summary.text()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-1))
    dialog.use_date.setChecked(True)  # checks the file again, with that date
    assert dialog.summary.text().startswith("Would record 1 answer from 1 of 1 response.")
    assert dialog.import_now() is not None
    with database.session() as session:
        bob = {a.question_id: a for a in person_answers(session, branch.bob)}
    assert bob[bank["scale"]].current.answered_on == TODAY - dt.timedelta(days=1)
    assert bob[bank["scale"]].current.scale_value == 2


# --- undo and redo ------------------------------------------------------------------------


def undo_tip(window: QuestionsWindow) -> str:
    assert window.undo_button.text() == "Undo"
    return window.undo_button.toolTip()


def undone_and_redone(window: QuestionsWindow, database: Database, before: Any) -> None:
    """Undo puts every table back as ``before``; Redo makes the edit again, exactly."""
    after = contents(database)
    assert after != before
    assert window.undo()
    assert contents(database) == before
    assert window.redo_action.isEnabled() and window.redo_button.toolTip().startswith("Redo ")
    assert window.redo()
    assert contents(database) == after


def test_adding_a_question_is_undone_by_deleting_it(
    bank: dict[str, int],
    questions: QuestionsWindow,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    def fill(dialog: QuestionDialog) -> None:
        dialog.text_edit.setPlainText("Would you deliver leaflets in your street?")
        dialog.options_edit.setPlainText("Yes\nNo\nMaybe")

    answering(monkeypatch, fill)
    before = contents(database)
    assert not questions.undo_action.isEnabled()
    questions.add_question()
    assert undo_tip(questions) == "Undo add “Would you deliver leaflets in your stre…”"
    assert questions.undo_action.text() == undo_tip(questions)
    undone_and_redone(questions, database, before)
    assert questions.status.text() == "Redone: add “Would you deliver leaflets in your stre…”."
    assert texts(database)[-1] == "Would you deliver leaflets in your street?"


def test_an_answered_question_is_not_deleted_by_undo(
    bank: dict[str, int],
    branch: Branch,
    questions: QuestionsWindow,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    def fill(dialog: QuestionDialog) -> None:
        dialog.text_edit.setPlainText("Any comments?")
        dialog.set_kind("free_text")

    answering(monkeypatch, fill)
    questions.add_question()
    added = questions.selected_id()
    assert added is not None
    with database.session() as session:  # answered in the dialog of another window meanwhile
        record_answer(session, branch.bob, added, "No", source="doorstep", answered_on=TODAY)
    before = contents(database)
    assert not questions.undo()
    assert warnings == [
        "'Any comments?' has answers from 1 person, so it cannot be deleted; retire it instead."
    ]
    assert contents(database) == before
    assert not questions.undo_action.isEnabled() and not questions.redo_action.isEnabled()


def test_a_change_is_undone_back_to_the_question_as_it_was(
    bank: dict[str, int],
    questions: QuestionsWindow,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    def fill(dialog: QuestionDialog) -> None:
        dialog.text_edit.setPlainText("What should the branch do before May?")
        dialog.options_edit.setPlainText("housing\nParks\nSchools\nTransport")

    answering(monkeypatch, fill)
    questions.select(bank["single"])
    before = contents(database)
    qtbot.keyClick(questions.table, Qt.Key.Key_F2)
    assert undo_tip(questions) == (
        "Undo change the wording and options of “What should the branch do first?”"
    )
    undone_and_redone(questions, database, before)
    assert questions.selected_id() == bank["single"]


def test_a_refused_change_never_reaches_the_history(
    bank: dict[str, int],
    questions: QuestionsWindow,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    answering(monkeypatch, lambda dialog: dialog.options_edit.setPlainText("Housing\nTransport"))
    questions.select(bank["single"])
    before = contents(database)
    assert questions.edit_question() is None
    assert len(warnings) == 1 and "'Parks'" in warnings[0]
    assert questions.history.stack.count() == 0 and not questions.undo_action.isEnabled()
    assert contents(database) == before


def test_retiring_bringing_back_and_moving_are_undone(
    bank: dict[str, int], questions: QuestionsWindow, database: Database, qtbot: QtBot
) -> None:
    questions.select(bank["scale"])
    before = contents(database)
    qtbot.mouseClick(questions.retire_button, Qt.MouseButton.LeftButton)
    assert undo_tip(questions) == f"Undo retire “{SCALE}”"
    undone_and_redone(questions, database, before)

    before = contents(database)
    qtbot.mouseClick(questions.retire_button, Qt.MouseButton.LeftButton)
    assert undo_tip(questions) == f"Undo bring back “{SCALE}”"
    undone_and_redone(questions, database, before)

    before = contents(database)
    questions.table.setFocus()
    qtbot.keyClick(questions.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert texts(database) == [PRIORITY, SCALE, ISSUES, FREE]
    assert undo_tip(questions) == f"Undo move “{SCALE}” up"
    undone_and_redone(questions, database, before)
    assert questions.redo_button.toolTip() == "Redo"

    # The keys: Ctrl+Z undoes, Ctrl+Y and Ctrl+Shift+Z redo.
    qtbot.keyClick(questions.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert texts(database) == [PRIORITY, ISSUES, SCALE, FREE]
    assert questions.status.text() == f"Undone: move “{SCALE}” up."
    qtbot.keyClick(questions.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert texts(database) == [PRIORITY, SCALE, ISSUES, FREE]
    qtbot.keyClick(questions.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        questions.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert texts(database) == [PRIORITY, SCALE, ISSUES, FREE]


def test_an_answer_recorded_from_the_window_is_undone_row_and_all(
    bank: dict[str, int], branch: Branch, questions: QuestionsWindow, database: Database
) -> None:
    questions.select(bank["multiple"])
    dialog = questions.record_answer()
    pick(dialog, "sian")
    assert dialog.editor is not None
    dialog.editor.set_value(["Jobs", "Climate"])
    before = contents(database)
    assert dialog.record() is not None
    assert (
        undo_tip(questions)
        == "Undo record Siân Lloyd's answer to “Which issues matter most to you?”"
    )
    assert dialog.record() is not None and dialog.last is not None
    assert dialog.last.outcome == "unchanged"  # nothing written: nothing more to undo
    assert questions.history.stack.count() == 1
    undone_and_redone(questions, database, before)
    assert questions.undo()
    with database.session() as session:
        [held] = [
            a for a in person_answers(session, branch.sian) if a.question_id == bank["multiple"]
        ]
    assert held.current.value == "NHS; Housing"
    assert [b.value for b in questions.chart.bars()] == [
        b.value for b in summary_bars(answer_summary_of(database, bank["multiple"]))
    ]
    dialog.reject()


def answer_summary_of(database: Database, question_id: int) -> Any:
    with database.session() as session:
        return answer_summary(session, question_id)
