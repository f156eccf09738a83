"""Add a question to the bank, or change one's wording, options and maximum choices.

The dialog writes through ``db.question_bank`` itself when OK is pressed: a refusal (a
question asked already, one option, an option someone chose removed) is shown in one
sentence and the dialog stays open with what was typed, the database unchanged. A change
keeps the question as it was before and after (``before``/``after``), for the window's Undo.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import UserError
from db.question_bank import (
    CHOICE_KINDS,
    KIND_LABELS,
    QuestionState,
    QuestionView,
    add_question,
    edit_question,
    question_state,
)
from desktop.errors import show_error

KIND_HINTS = {
    "single_choice": "people pick one option",
    "multiple_choice": "people tick several, first choice first",
    "scale": "a number from 1 to 5",
    "free_text": "people answer in their own words",
}


class QuestionDialog(QDialog):
    """``question`` None adds a new one; otherwise its kind is shown but cannot change."""

    def __init__(
        self,
        database: Database,
        question: QuestionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.question = question
        self.saved_id: int | None = None  # the question added or edited, once OK worked
        self.changed: tuple[str, ...] = ()
        self.before: QuestionState | None = None  # a change: the question as it was
        self.after: QuestionState | None = None  # and as it is now
        self.setObjectName("questionDialog")
        self.setWindowTitle("Add a question" if question is None else "Change a question")
        self.setMinimumWidth(520)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("questionText")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(
            "As people are asked it, e.g. “Which issues matter most?”"
        )
        self.text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

        self.kinds = QButtonGroup(self)
        kind_box = QVBoxLayout()
        kind_box.setSpacing(2)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for i, (kind, label) in enumerate(KIND_LABELS.items()):
            button = QRadioButton(f"{label} — {KIND_HINTS[kind]}")
            button.setObjectName(f"kind_{kind}")
            self.kinds.addButton(button, i)
            self.kind_buttons[kind] = button
            kind_box.addWidget(button)

        self.options_edit = QPlainTextEdit()
        self.options_edit.setObjectName("questionOptions")
        self.options_edit.setTabChangesFocus(True)
        self.options_edit.setPlaceholderText("One option a line, in the order to offer them")
        self.options_label = QLabel("&Options:")
        self.options_label.setBuddy(self.options_edit)

        self.max_choices = QSpinBox()
        self.max_choices.setObjectName("maxChoices")
        self.max_choices.setRange(0, 50)
        self.max_choices.setSpecialValueText("No limit")
        self.max_choices.setMaximumWidth(120)
        self.max_choices.setToolTip("How many options one person may tick; 0 is no limit.")
        self.max_label = QLabel("&Most choices:")
        self.max_label.setBuddy(self.max_choices)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Question:", self.text_edit)
        form.addRow("Kind:", kind_box)
        form.addRow(self.options_label, self.options_edit)
        form.addRow(self.max_label, self.max_choices)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add question" if question is None else "Save")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

        self.kinds.idToggled.connect(lambda _id, _on: self._kind_changed())
        if question is None:
            self.kind_buttons["single_choice"].setChecked(True)
        else:
            self._fill(question)
        self._kind_changed()
        self.text_edit.setFocus()

    def _fill(self, question: QuestionView) -> None:
        self.text_edit.setPlainText(question.text)
        self.kind_buttons[question.kind].setChecked(True)
        for button in self.kind_buttons.values():
            button.setEnabled(button is self.kind_buttons[question.kind])
        self.options_edit.setPlainText("\n".join(question.options))
        self.max_choices.setValue(question.max_choices or 0)
        if question.respondents:
            n = question.respondents
            self.note.setText(
                f"{n:,} {'person has' if n == 1 else 'people have'}"
                " answered this question: rename an option rather than remove it, and to ask "
                "something different, retire it and add a new question."
            )
        else:
            self.note.setText("Its kind cannot change: retire it and add a new question instead.")

    # reading the form ----------------------------------------------------------------

    def kind(self) -> str:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def set_kind(self, kind: str) -> None:
        self.kind_buttons[kind].setChecked(True)

    def options(self) -> list[str]:
        if self.kind() not in CHOICE_KINDS:
            return []
        return [
            line.strip() for line in self.options_edit.toPlainText().splitlines() if line.strip()
        ]

    def chosen_max(self) -> int | None:
        if self.kind() != "multiple_choice":
            return None
        return self.max_choices.value() or None

    def _kind_changed(self) -> None:
        kind = self.kind()
        choice = kind in CHOICE_KINDS
        self.options_label.setVisible(choice)
        self.options_edit.setVisible(choice)
        self.max_label.setVisible(kind == "multiple_choice")
        self.max_choices.setVisible(kind == "multiple_choice")
        self.adjustSize()

    # writing -------------------------------------------------------------------------

    def accept(self) -> None:
        text = self.text_edit.toPlainText()
        try:
            with self.database.session() as session:
                if self.question is None:
                    added = add_question(
                        session, text, self.kind(), self.options(), self.chosen_max()
                    )
                    self.saved_id, self.changed = added.id, ("added",)
                else:
                    before = question_state(session, self.question.id)
                    done = edit_question(
                        session,
                        self.question.id,
                        text=text,
                        options=self.options() if self.question.kind in CHOICE_KINDS else None,
                        max_choices=self.chosen_max(),
                    )
                    self.saved_id, self.changed = done.id, done.changed
                    self.before, self.after = before, question_state(session, done.id)
        except UserError as error:
            show_error(self, error)
            return
        super().accept()
