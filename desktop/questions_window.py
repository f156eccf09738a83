"""People → Questions and answers…: the branch's question bank and what people answer.

Each change (add, change, retire, bring back, move) is one short transaction through
``db.question_bank``, committed at once; a refusal is shown in one sentence and nothing is
written. Choosing a question shows its answer summary (``db.views.answer_summary``) as bars.
Answers are recorded one at a time in ``AnswerDialog``, or imported from a form's export in
``AnswersImportDialog``. The widgets are laid out in ``questions_layout``.

Every change, and every answer recorded in the dialog it opens, can be undone (Ctrl+Z) and
redone (Ctrl+Shift+Z, Ctrl+Y); the button's tooltip names what. An import is not on that
history: it is checked and confirmed first, as a batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QWidget

from db.database import Database
from db.importing.answers import AnswersImport
from db.question_bank import QuestionView
from db.views import AnswerSummary, Recorded, answer_summary, list_questions
from desktop.answer_dialog import AnswerDialog
from desktop.answers_import_dialog import AnswersImportDialog, import_answers_from_file
from desktop.bar_chart import Bar
from desktop.question_dialog import QuestionDialog
from desktop.questions_commands import (
    AddQuestion,
    EditQuestion,
    ImportAnswers,
    MoveQuestion,
    QuestionCommand,
    RecordAnswer,
    RetireQuestion,
)
from desktop.questions_layout import QuestionsLayout
from desktop.undo_history import CoreCommand, UndoHistory
from desktop.window_state import (
    raise_open,
    restore_geometry,
    restore_splitter,
    save_geometry,
    save_splitter,
)

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SETTINGS_KEY = "QuestionsWindow"
_OK_STYLE = "color: #1b5e20;"


def open_questions_window(window: MainWindow) -> QuestionsWindow:
    """The questions window, one at a time, owned by the main window."""
    existing = raise_open(window, QuestionsWindow)
    if existing is not None:
        return existing
    questions = QuestionsWindow(window.database, window)
    questions.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    questions.show()
    return questions


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def summary_bars(summary: AnswerSummary) -> list[Bar]:
    """One bar an option (or a point of the scale): people whose current answer chose it."""
    whole = summary.respondents
    if summary.kind == "multiple_choice":
        return [
            Bar(
                o.label,
                o.count,
                f"{o.count:,} ({percent(o.count, whole)}) · {o.first_choice:,} first",
            )
            for o in summary.options
        ]
    if summary.options:
        return [
            Bar(o.label, o.count, f"{o.count:,} ({percent(o.count, whole)})")
            for o in summary.options
        ]
    return [
        Bar(str(point), people, f"{people:,} ({percent(people, whole)})")
        for point, people in summary.scale
    ]


def summary_counts(summary: AnswerSummary) -> str:
    n = summary.respondents
    people = f"{n:,} {'person answers' if n == 1 else 'people answer'} it now"
    if summary.kind == "multiple_choice":
        return f"{people}; each can tick several, so the bars add up to more."
    if summary.kind == "scale" and summary.mean is not None:
        return f"{people}; the average is {summary.mean:.1f} out of 5."
    if summary.kind == "free_text":
        return f"{people}, in their own words (see each person's answers)."
    return f"{people}."


class QuestionsWindow(QuestionsLayout):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.summary: AnswerSummary | None = None
        self.setObjectName("questionsWindow")
        self.setWindowTitle("Questions and answers — Branchbook")
        self.setMinimumSize(820, 480)
        self.resize(1180, 680)
        self.history = UndoHistory(self, database, self._refresh)
        self.undo_action, self.redo_action = self.history.actions()
        self.addActions([self.undo_action, self.redo_action])
        self.history.said.connect(self.say)
        self.undo_button.setDefaultAction(self.undo_action)
        self.redo_button.setDefaultAction(self.redo_action)
        restore_geometry(self, SETTINGS_KEY)
        restore_splitter(self.splitter, SETTINGS_KEY)
        self._connect()
        self.load()
        if self.model.rowCount():
            self.select(self.model.questions[0].id)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.table.doubleClicked.connect(lambda _index: self.edit_question())
        for button, act in (
            (self.add_button, self.add_question),
            (self.edit_button, self.edit_question),
            (self.retire_button, self.toggle_retired),
            (self.up_button, lambda: self.move_question(-1)),
            (self.down_button, lambda: self.move_question(1)),
            (self.record_button, self.record_answer),
            (self.import_button, self.import_answers),
        ):
            button.clicked.connect(lambda _checked=False, act=act: act())
        for key, act in (
            ("F2", self.edit_question),
            ("Alt+Up", lambda: self.move_question(-1)),
            ("Alt+Down", lambda: self.move_question(1)),
        ):
            QShortcut(QKeySequence(key), self.table, act).setContext(
                Qt.ShortcutContext.WidgetShortcut
            )

    # the list ------------------------------------------------------------------------

    def load(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        with self.database.session() as session:
            questions = list_questions(session)
        self.model.set_questions(questions)
        if keep is not None and self.model.row_of(keep) is not None:
            self.select(keep)
        else:
            self._chosen()

    def select(self, question_id: int) -> None:
        row = self.model.row_of(question_id)
        if row is None:
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._chosen()

    def selected(self) -> QuestionView | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.question_at(index.row()) if index.isValid() else None

    def selected_id(self) -> int | None:
        question = self.selected()
        return question.id if question else None

    def _chosen(self) -> None:
        question = self.selected()
        row = self.model.row_of(question.id) if question else None
        self.edit_button.setEnabled(question is not None)
        self.retire_button.setEnabled(question is not None)
        self.retire_button.setText("B&ring back" if question and not question.active else "&Retire")
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row + 1 < self.model.rowCount())
        self.show_summary(question)

    def show_summary(self, question: QuestionView | None) -> None:
        if question is None:
            self.summary = None
            self.summary_title.setText("No question chosen")
            self.summary_counts.setText(
                "Add the branch's first question: what it wants to know about its people."
                if not self.model.rowCount()
                else "Choose a question to see how people answer it."
            )
            self.chart.set_bars([])
            self.chart.setVisible(False)
            self.chart_note.clear()
            return
        with self.database.session() as session:
            summary = answer_summary(session, question.id)
        self.summary = summary
        retired = "" if question.active else "  (retired)"
        self.summary_title.setText(f"{summary.text}{retired}")
        self.summary_counts.setText(summary_counts(summary))
        charted = summary.kind != "free_text"
        self.chart.setVisible(charted)
        self.chart.set_bars(summary_bars(summary) if charted else [])
        notes = []
        if summary.kind == "multiple_choice":
            notes.append("“first” counts those who put it first.")
        if summary.respondents:
            notes.append("Each person's latest answer counts; earlier ones are kept as history.")
        self.chart_note.setText(" ".join(notes))

    def say(self, sentence: str) -> None:
        self.status.setStyleSheet(_OK_STYLE)
        self.status.setText(sentence)

    # undo ----------------------------------------------------------------------------

    def _refresh(self, command: CoreCommand) -> None:
        self.load(select_id=command.question_id if isinstance(command, QuestionCommand) else None)

    def undo(self) -> bool:
        return self.history.undo()

    def redo(self) -> bool:
        return self.history.redo()

    # changing the bank ---------------------------------------------------------------

    def add_question(self) -> int | None:
        return self._question_dialog(None)

    def edit_question(self) -> int | None:
        question = self.selected()
        if question is None:
            return None
        return self._question_dialog(question)

    def _question_dialog(self, question: QuestionView | None) -> int | None:
        dialog = QuestionDialog(self.database, question, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved_id is None:
                return None
            saved, changed = dialog.saved_id, dialog.changed
            before, after = dialog.before, dialog.after
            typed = dialog.text_edit.toPlainText()
        finally:
            dialog.deleteLater()
        if question is None:
            self.history.push_done(AddQuestion(saved, typed))
        elif changed and before is not None and after is not None:
            self.history.push_done(EditQuestion(before, after, changed))
        self.load(select_id=saved)
        text = self.model.question_at(self.model.row_of(saved) or 0)
        name = f"“{text.text}”" if text else "The question"
        if question is None:
            self.say(f"{name} added at the end of the list.")
        elif changed:
            self.say(f"{name} changed.")
        else:
            self.say("Nothing changed.")
        return saved

    def toggle_retired(self) -> None:
        question = self.selected()
        if question is None:
            return
        command = RetireQuestion(question.id, question.text, retired=question.active)
        if not self.history.run(command):
            return
        if question.active:
            self.say(f"“{question.text}” is retired: no longer asked; its answers are kept.")
        else:
            self.say(f"“{question.text}” is asked again.")

    def move_question(self, step: int) -> None:
        question = self.selected()
        if question is None:
            return
        ids = [q.id for q in self.model.questions]
        row = ids.index(question.id)
        target = row + step
        if not 0 <= target < len(ids):
            return
        before = list(ids)
        ids[row], ids[target] = ids[target], ids[row]
        if self.history.run(MoveQuestion(question.id, question.text, before, ids, step < 0)):
            self.say(f"“{question.text}” is now number {target + 1} of {len(ids)}.")

    # answers -------------------------------------------------------------------------

    def record_answer(self) -> AnswerDialog:
        question = self.selected()
        dialog = AnswerDialog(
            self.database, self, question.id if question and question.active else None
        )
        dialog.answered.connect(lambda done: self._answered(dialog, done))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def _answered(self, dialog: AnswerDialog, done: Recorded) -> None:
        """An answer the dialog wrote: on this window's history, exactly that row to undo."""
        asked = next((q.text for q in dialog.questions if q.id == done.question_id), "")
        self.history.push_done(RecordAnswer(done, dialog.person_name, asked))

    def import_answers(self) -> AnswersImportDialog | None:
        return import_answers_from_file(self, self.database, self._imported)

    def _imported(self, done: AnswersImport) -> None:
        """A form's answers written: on this window's history, exactly those rows to undo."""
        command = ImportAnswers(done)
        if command.changed:
            self.history.push_done(command)
        else:
            self.load()

    def closeEvent(self, event: QCloseEvent) -> None:
        save_geometry(self, SETTINGS_KEY)
        save_splitter(self.splitter, SETTINGS_KEY)
        super().closeEvent(event)
