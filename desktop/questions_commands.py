"""The questions window's undoable edits, each a ``CoreCommand`` calling ``db.views``.

Adding and changing a question, recording an answer and importing a form's answers are done
by their dialogs (which stay open on a refusal) and handed over done; retiring and moving are
applied by the window.
Undo makes the reverse from what the core returned: a deleted question or answer is put back
with the same ids, an edited one as it was stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from db.importing.answers import AnswersImport
from db.views import (
    AnswerState,
    QuestionState,
    Recorded,
    delete_answer,
    delete_question,
    reorder_questions,
    restore_answer,
    restore_question,
    retire_question,
)
from desktop.undo_history import CoreCommand

_LONGEST = 40
_FIELD_WORDS = {"text": "wording", "options": "options", "max_choices": "most choices"}


def quoted(text: str) -> str:
    """A question as an undo menu names it: quoted, a long one by its start."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= _LONGEST else text[: _LONGEST - 1].rstrip() + '…'}”"


def joined(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class QuestionCommand(CoreCommand):
    def __init__(self, text: str, question_id: int) -> None:
        super().__init__(text)
        self.question_id = question_id


class AddQuestion(QuestionCommand):
    """Added by the dialog; undone, deleted (only while nobody has answered it)."""

    def __init__(self, question_id: int, text: str) -> None:
        super().__init__(f"add {quoted(text)}", question_id)
        self.deleted: QuestionState | None = None

    def forward(self, session: Session) -> None:
        assert self.deleted is not None
        restore_question(session, self.deleted)

    def backward(self, session: Session) -> None:
        self.deleted = delete_question(session, self.question_id)


class EditQuestion(QuestionCommand):
    """Changed by the dialog; undone, the question as it was stored before."""

    def __init__(self, before: QuestionState, after: QuestionState, fields: Sequence[str]) -> None:
        words = joined([_FIELD_WORDS.get(name, name) for name in fields] or ["nothing"])
        super().__init__(f"change the {words} of {quoted(before.text)}", before.id)
        self.before, self.after = before, after

    def forward(self, session: Session) -> None:
        restore_question(session, self.after)

    def backward(self, session: Session) -> None:
        restore_question(session, self.before)


class RetireQuestion(QuestionCommand):
    """Retire a question, or (``retired`` False) bring it back; undone, the reverse."""

    def __init__(self, question_id: int, text: str, *, retired: bool) -> None:
        verb = "retire" if retired else "bring back"
        super().__init__(f"{verb} {quoted(text)}", question_id)
        self.retired = retired
        self._changed = True

    @property
    def changed(self) -> bool:
        return self._changed

    def forward(self, session: Session) -> None:
        done = retire_question(session, self.question_id, retired=self.retired)
        self._changed = bool(done.changed)

    def backward(self, session: Session) -> None:
        retire_question(session, self.question_id, retired=not self.retired)


class MoveQuestion(QuestionCommand):
    """Put the questions in a new order; undone, the order before."""

    def __init__(
        self, question_id: int, text: str, before: Sequence[int], after: Sequence[int], up: bool
    ) -> None:
        super().__init__(f"move {quoted(text)} {'up' if up else 'down'}", question_id)
        self.before, self.after = list(before), list(after)

    def forward(self, session: Session) -> None:
        reorder_questions(session, self.after)

    def backward(self, session: Session) -> None:
        reorder_questions(session, self.before)


class RecordAnswer(QuestionCommand):
    """Recorded by the answer dialog; undone, exactly that answer row is deleted."""

    def __init__(self, recorded: Recorded, name: str, question: str) -> None:
        super().__init__(f"record {name}'s answer to {quoted(question)}", recorded.question_id)
        self.answer_id = recorded.answer_id
        self.deleted: AnswerState | None = None

    def forward(self, session: Session) -> None:
        assert self.deleted is not None
        restore_answer(session, self.deleted)

    def backward(self, session: Session) -> None:
        self.deleted = delete_answer(session, self.answer_id)


class ImportAnswers(CoreCommand):
    """A form's answers, imported by the import dialog; undone, exactly the rows it wrote
    are deleted (each person's earlier answer is current again), redone, put back."""

    def __init__(self, imported: AnswersImport) -> None:
        count = len(imported.answer_ids)
        super().__init__(
            f"import {count:,} {'answer' if count == 1 else 'answers'} from {imported.file}"
        )
        self.answer_ids = imported.answer_ids
        self.deleted: list[AnswerState] = []

    @property
    def changed(self) -> bool:
        return bool(self.answer_ids)

    def forward(self, session: Session) -> None:
        for state in self.deleted:
            restore_answer(session, state)

    def backward(self, session: Session) -> None:
        self.deleted = [delete_answer(session, answer_id) for answer_id in self.answer_ids]
