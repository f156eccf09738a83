"""Record what someone answered: who (found by typing), which question, their answer in the
widget that fits the question's kind, where it came from and when.

Each Record is one short transaction through ``db.views.record_answer``; the dialog then
says what happened in a sentence (a new answer, a changed view with the old one kept, the
same answer again, nothing new) and stays open, so a pile of paper forms is typed up in one
sitting. A refusal from the core is shown in one sentence and nothing is written. Each
answer written is announced (``answered``), so the questions window can undo exactly that row.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import UserError
from db.models.vocabulary import ANSWER_SOURCE_LABELS
from db.question_bank import QuestionView
from db.views import Recorded, list_questions, person_answers, record_answer
from desktop.answer_value_widgets import ValueEditor, editor_for
from desktop.errors import show_error
from desktop.person_picker import PersonSearch

# Sources a person's answer is typed in from; "import" is what an import writes.
SOURCES = [key for key in ANSWER_SOURCE_LABELS if key != "import"]
_OK_STYLE = "color: #1b5e20; font-weight: bold;"
_HINT_STYLE = "color: #555;"


def outcome_sentence(name: str, done: Recorded, before: str | None, day: dt.date) -> str:
    """What recording did, said as the secretary would say it."""
    when = f"{day.day} {day:%B %Y}"
    value, held = _short(done.value), _short(before or "")
    if done.outcome == "new":
        return _ended(f"New answer recorded for {name}: {value}")
    if done.outcome == "changed":
        return f"Changed from {held} to {value} for {name} — the old answer is kept as history."
    if done.outcome == "confirmed":
        return f"{name} gave the same answer as before ({value}); noted again on {when}."
    if done.outcome == "earlier":
        return (
            f"Recorded as an earlier answer of {name}'s ({value}); their current answer, "
            f"{held}, stays."
        )
    return f"Unchanged: {name}'s answer {value} was already recorded on {when}."


def _short(text: str, most: int = 80) -> str:
    """A long free-text answer quoted by its start."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _ended(sentence: str) -> str:
    return sentence if sentence.endswith((".", "!", "?", "…")) else sentence + "."


class AnswerDialog(QDialog):
    recorded = Signal(int)  # the question's id, after an answer was written
    answered = Signal(object)  # the same moment: what was written (a ``Recorded``), for Undo

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        question_id: int | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.today = today or dt.date.today()
        self.person_id: int | None = None
        self.person_name = ""
        self.editor: ValueEditor | None = None
        self.last: Recorded | None = None
        self.setObjectName("answerDialog")
        self.setWindowTitle("Record an answer")
        with database.session() as session:
            self.questions: list[QuestionView] = list_questions(session, include_retired=False)
        self._build()
        self._fill_questions(question_id)
        self._update()
        self.resize(640, 560)

    # layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.finder = PersonSearch(self.database, self)
        self.finder.matches.setMinimumHeight(90)
        self.finder.picked.connect(self.choose_person)
        self.person_label = QLabel("Nobody chosen yet: type a name, then Enter.")
        self.person_label.setObjectName("chosenPerson")
        self.person_label.setStyleSheet(_HINT_STYLE)
        who = QGroupBox("&Who answered")
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(self.finder, 1)
        who_layout.addWidget(self.person_label)

        self.question_combo = QComboBox()
        self.question_combo.setObjectName("questionCombo")
        self.question_combo.setMinimumContentsLength(30)
        self.question_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.question_combo.currentIndexChanged.connect(lambda _i: self._question_changed())
        self.answer_box = QGroupBox("Their &answer")
        self.answer_layout = QVBoxLayout(self.answer_box)

        self.source_combo = QComboBox()
        self.source_combo.setObjectName("sourceCombo")
        for key in SOURCES:
            self.source_combo.addItem(ANSWER_SOURCE_LABELS[key], key)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("answeredOn")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        self.date_edit.setDate(QDate(self.today.year, self.today.month, self.today.day))
        where = QHBoxLayout()
        where.addWidget(self.source_combo)
        when_label = QLabel("&on")
        when_label.setBuddy(self.date_edit)
        where.addWidget(when_label)
        where.addWidget(self.date_edit)
        where.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Question:", self.question_combo)
        source_label = QLabel("&Given at:")
        source_label.setBuddy(self.source_combo)
        form.addRow(source_label, where)

        self.hint = QLabel(" ")
        self.hint.setObjectName("answerHint")
        self.hint.setStyleSheet(_HINT_STYLE)
        self.hint.setWordWrap(True)
        self.outcome = QLabel("")
        self.outcome.setObjectName("answerOutcome")
        self.outcome.setStyleSheet(_OK_STYLE)
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.record_button = buttons.addButton("&Record", QDialogButtonBox.ButtonRole.ActionRole)
        self.record_button.setObjectName("recordAnswerButton")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(lambda: self.record())
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(who, 1)
        layout.addLayout(form)
        layout.addWidget(self.answer_box, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.setFocusProxy(self.finder)
        for signal in (self.source_combo.currentIndexChanged, self.date_edit.dateChanged):
            signal.connect(lambda *_: self._update())

    def _fill_questions(self, question_id: int | None) -> None:
        self.question_combo.blockSignals(True)
        for question in self.questions:
            self.question_combo.addItem(question.text, question.id)
            self.question_combo.setItemData(
                self.question_combo.count() - 1,
                f"{question.text} ({question.kind_label})",
                Qt.ItemDataRole.ToolTipRole,
            )
        if question_id is not None and self.question_combo.findData(question_id) >= 0:
            self.question_combo.setCurrentIndex(self.question_combo.findData(question_id))
        self.question_combo.blockSignals(False)
        self._question_changed()

    # choosing ------------------------------------------------------------------------

    def question(self) -> QuestionView | None:
        chosen = self.question_combo.currentData()
        return next((q for q in self.questions if q.id == chosen), None)

    def choose_person(self, person_id: int, name: str) -> None:
        self.person_id, self.person_name = person_id, name
        self.person_label.setText(f"Answering: {name}")
        self.person_label.setStyleSheet("font-weight: bold;")
        self._update()

    def choose_question(self, question_id: int) -> None:
        self.question_combo.setCurrentIndex(self.question_combo.findData(question_id))

    def _question_changed(self) -> None:
        if self.editor is not None:
            self.answer_layout.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
        question = self.question()
        if question is None:
            self.answer_box.setTitle("Their &answer")
        else:
            self.answer_box.setTitle(f"Their &answer ({question.kind_label.lower()})")
            self.editor = editor_for(question)
            self.editor.changed.connect(self._update)
            self.answer_layout.addWidget(self.editor)
        self._update()

    def source(self) -> str:
        return str(self.source_combo.currentData())

    def set_source(self, key: str) -> None:
        self.source_combo.setCurrentIndex(self.source_combo.findData(key))

    def answered_on(self) -> dt.date:
        date = self.date_edit.date()
        return dt.date(date.year(), date.month(), date.day())

    def _missing(self) -> str | None:
        if not self.questions:
            return "There are no questions to answer yet: add one in the questions window."
        if self.person_id is None:
            return "Find who answered: type their name, then Enter."
        if self.editor is None or self.editor.value() is None:
            return "Give their answer to record it."
        return None

    def _update(self) -> None:
        missing = self._missing()
        self.record_button.setEnabled(missing is None)
        self.hint.setText(missing or "Press Record to keep this answer.")

    # recording -----------------------------------------------------------------------

    def record(self) -> Recorded | None:
        question, value = self.question(), self.editor.value() if self.editor else None
        if self.person_id is None or question is None or value is None:
            return None
        day = self.answered_on()
        try:
            with self.database.session() as session:
                held = next(
                    (
                        a.current.value
                        for a in person_answers(session, self.person_id)
                        if a.question_id == question.id
                    ),
                    None,
                )
                done = record_answer(
                    session,
                    self.person_id,
                    question.id,
                    value,
                    source=self.source(),
                    answered_on=day,
                )
        except UserError as error:
            show_error(self, error)
            return None
        self.last = done
        self.outcome.setText(outcome_sentence(self.person_name, done, held, day))
        self.outcome.show()
        if done.written:
            self.answered.emit(done)
            self.recorded.emit(question.id)
        return done
