"""The branch's question bank: its own questions, their kinds and options, in its order.

Answers live in ``db.views``; a question that has answers keeps the options they chose and
its kind (retire it and ask a new one instead), so no answer ever loses its meaning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import Conflict, NotFound, UserError
from db.folding import fold
from db.models import Answer, AnswerChoice, Question, QuestionOption
from db.models.vocabulary import QUESTION_KINDS

__all__ = [
    "CHOICE_KINDS",
    "KIND_LABELS",
    "Changed",
    "OptionState",
    "QuestionState",
    "QuestionView",
    "add_question",
    "delete_question",
    "edit_question",
    "find_question",
    "get_question",
    "list_questions",
    "question_state",
    "reorder_questions",
    "restore_question",
    "retire_question",
]

KIND_LABELS = {
    "single_choice": "Single choice",
    "multiple_choice": "Multiple choice",
    "scale": "1–5 scale",
    "free_text": "Free text",
}
# The ways a secretary names a kind, folded: "multiple", "1-5 scale", "free text".
_KIND_WORDS = {
    **{fold(kind): kind for kind in QUESTION_KINDS},
    **{fold(label): kind for kind, label in KIND_LABELS.items()},
    "single": "single_choice",
    "choice": "single_choice",
    "multiple": "multiple_choice",
    "multi": "multiple_choice",
    "ranked": "multiple_choice",
    "1 5": "scale",
    "scale 1 5": "scale",
    "1 to 5": "scale",
    "scale 1 to 5": "scale",
    "rating": "scale",
    "text": "free_text",
    "free": "free_text",
}
CHOICE_KINDS = ("single_choice", "multiple_choice")
_MAX_TEXT = 500
_MAX_LABEL = 200


@dataclass(frozen=True)
class QuestionView:
    id: int
    text: str
    kind: str
    kind_label: str
    max_choices: int | None
    active: bool
    position: int
    options: tuple[str, ...]
    respondents: int  # people with an answer to it


@dataclass(frozen=True)
class Changed:
    """What an edit changed: the question's id and the names of the fields that now differ
    (empty when it asked for what was there already, and nothing was written)."""

    id: int
    changed: tuple[str, ...]


@dataclass(frozen=True)
class OptionState:
    id: int
    label: str
    position: int


@dataclass(frozen=True)
class QuestionState:
    """A question's own row and options as stored, ids included: what ``restore_question``
    needs to put it back exactly (an undone edit, or a deleted question)."""

    id: int
    text: str
    kind: str
    max_choices: int | None
    active: bool
    position: int
    created_at: dt.datetime
    options: tuple[OptionState, ...]


# --- the questions ------------------------------------------------------------------------


def add_question(
    session: Session,
    text: str,
    kind: str,
    options: Sequence[str] = (),
    max_choices: int | None = None,
) -> QuestionView:
    """A new question at the end of the list; choice questions need two options or more."""
    text = _question_text(session, text, None)
    kind = _kind(kind)
    labels = _labels(kind, options)
    _check_max_choices(kind, max_choices, len(labels))
    last = session.scalar(select(func.max(Question.position)))
    question = Question(
        text=text,
        kind=kind,
        max_choices=max_choices,
        active=True,
        position=0 if last is None else last + 1,
        options=[QuestionOption(label=label, position=i) for i, label in enumerate(labels)],
    )
    session.add(question)
    session.flush()
    return _view(question, 0)


_KEEP: Final = object()  # edit_question's "leave max_choices as it is"


def edit_question(
    session: Session,
    question_id: int,
    *,
    text: str | None = None,
    options: Sequence[str] | None = None,
    max_choices: int | None | object = _KEEP,
) -> Changed:
    """Change a question's wording, options (the full list, in order) or max choices.

    An option someone has chosen cannot be removed: their answers would lose it. Its kind
    never changes; retire the question and ask a new one instead.
    """
    question = get_question(session, question_id)
    changed: list[str] = []
    if text is not None:
        text = _question_text(session, text, question.id)
        if text != question.text:
            question.text = text
            changed.append("text")
    count = len(question.options)
    if options is not None:
        if _set_options(session, question, _labels(question.kind, options)):
            changed.append("options")
        count = len(options)
    wanted = question.max_choices if max_choices is _KEEP else max_choices
    if not (wanted is None or isinstance(wanted, int)):
        raise TypeError("max_choices is a whole number or None")
    _check_max_choices(question.kind, wanted, count)
    if wanted != question.max_choices:
        question.max_choices = wanted
        changed.append("max_choices")
    session.flush()
    return Changed(question.id, tuple(changed))


def _set_options(session: Session, question: Question, labels: list[str]) -> bool:
    """Give ``question`` these options in this order; True when anything changed."""
    existing = {fold(option.label): option for option in question.options}
    wanted = {fold(label) for label in labels}
    removed = [option for key, option in existing.items() if key not in wanted]
    _refuse_chosen(session, question, removed)
    before = [(option.label, option.position) for option in question.options]
    for option in removed:
        question.options.remove(option)
    kept: list[QuestionOption] = []
    for position, label in enumerate(labels):
        found = existing.get(fold(label))
        if found is None:
            option = QuestionOption(label=label)
        else:
            option = found
            if option.label != label:
                option.label = label  # the same option, its spelling corrected
        option.position = position
        kept.append(option)
    question.options = kept
    return before != [(option.label, option.position) for option in kept]


def _refuse_chosen(session: Session, question: Question, removed: list[QuestionOption]) -> None:
    """An option someone chose cannot be removed: their answers would lose it."""
    if not removed:
        return
    chosen = session.execute(
        select(QuestionOption.label, func.count())
        .join(AnswerChoice, AnswerChoice.option_id == QuestionOption.id)
        .where(QuestionOption.id.in_([option.id for option in removed if option.id]))
        .group_by(QuestionOption.id, QuestionOption.label)
        .order_by(QuestionOption.position)
    ).first()
    if chosen is not None:
        label, times = chosen
        raise Conflict(
            f"The option '{label}' of '{question.text}' is part of {times:,} "
            f"{'answer' if times == 1 else 'answers'}, so it cannot be removed; rename "
            "it, or retire the question and ask a new one."
        )


def retire_question(session: Session, question_id: int, *, retired: bool = True) -> Changed:
    """Stop asking a question (its answers stay); ``retired=False`` brings it back."""
    question = get_question(session, question_id)
    if question.active == (not retired):
        return Changed(question.id, ())
    question.active = not retired
    session.flush()
    return Changed(question.id, ("active",))


def reorder_questions(session: Session, question_ids: Sequence[int]) -> tuple[int, ...]:
    """Put these questions in this order, in the places they held between them (so a window
    showing only the active ones can move them without touching the retired); returns the
    ids of those that moved."""
    if len(set(question_ids)) != len(question_ids):
        raise UserError("A question can appear only once in a new order.")
    questions = {
        q.id: q for q in session.scalars(select(Question).where(Question.id.in_(question_ids)))
    }
    missing = [str(qid) for qid in question_ids if qid not in questions]
    if missing:
        raise NotFound(f"There is no question {', '.join(missing)}.")
    slots = sorted(questions[qid].position for qid in question_ids)
    moved = []
    for qid, position in zip(question_ids, slots, strict=True):
        if questions[qid].position != position:
            questions[qid].position = position
            moved.append(qid)
    session.flush()
    return tuple(moved)


def question_state(session: Session, question_id: int) -> QuestionState:
    """The question as stored now, to put back later with ``restore_question``."""
    question = get_question(session, question_id)
    return QuestionState(
        question.id,
        question.text,
        question.kind,
        question.max_choices,
        question.active,
        question.position,
        question.created_at,
        tuple(OptionState(o.id, o.label, o.position) for o in question.options),
    )


def delete_question(session: Session, question_id: int) -> QuestionState:
    """Delete a question nobody has answered (undoing its addition); returns what it was.
    One with answers is refused: retire it instead, and its answers keep their meaning."""
    question = get_question(session, question_id)
    people = _respondents(session, question.id)
    if people:
        raise Conflict(
            f"'{question.text}' has answers from {people:,} "
            f"{'person' if people == 1 else 'people'}, so it cannot be deleted; retire it instead."
        )
    state = question_state(session, question_id)
    session.delete(question)
    session.flush()
    return state


def restore_question(session: Session, state: QuestionState) -> QuestionView:
    """Make question ``state.id`` exactly as ``state`` says: put it back with the same ids
    when it was deleted, else give it back that text, options (by id), max choices, place
    and whether it is asked. An option someone has chosen since is not removed (refused)."""
    text = _question_text(session, state.text, state.id)
    question = session.get(Question, state.id)
    if question is None:
        question = Question(id=state.id, kind=state.kind, created_at=state.created_at)
        session.add(question)
    elif question.kind != state.kind:
        raise Conflict(f"Question {state.id} is now a different kind of question.")
    question.text, question.max_choices = text, state.max_choices
    question.active, question.position = state.active, state.position
    wanted = {option.id for option in state.options}
    removed = [option for option in question.options if option.id not in wanted]
    _refuse_chosen(session, question, removed)
    for option in removed:
        question.options.remove(option)
    session.flush()
    by_id = {option.id: option for option in question.options}
    kept: list[QuestionOption] = []
    for saved in state.options:
        option = by_id.get(saved.id) or QuestionOption(id=saved.id)
        option.label, option.position = saved.label, saved.position
        kept.append(option)
    question.options = kept
    session.flush()
    return _view(question, _respondents(session, question.id))


def list_questions(session: Session, *, include_retired: bool = True) -> list[QuestionView]:
    """The question bank in its order; three queries whatever the number of answers."""
    query = select(Question).order_by(Question.position, Question.id)
    if not include_retired:
        query = query.where(Question.active.is_(True))
    questions = list(session.scalars(query))
    respondents = dict(
        session.execute(
            select(Answer.question_id, func.count(func.distinct(Answer.person_id))).group_by(
                Answer.question_id
            )
        ).all()
    )
    return [_view(question, respondents.get(question.id, 0)) for question in questions]


def find_question(session: Session, ref: str | int) -> QuestionView:
    """The question a command names: by id, by its exact text, else by its text in any case
    and with or without accents and punctuation, when only one question fits."""
    if isinstance(ref, int) or ref.strip().isdigit():
        question = session.get(Question, int(ref))
        if question is not None:
            return _view(question, _respondents(session, question.id))
    text = str(ref).strip()
    question = session.scalar(select(Question).where(Question.text == text))
    if question is None:
        wanted = fold(text)
        fits = [q for q in session.scalars(select(Question)) if fold(q.text) == wanted]
        if len(fits) == 1:
            question = fits[0]
    if question is None:
        raise NotFound(f"There is no question with the id or text '{text}'.")
    return _view(question, _respondents(session, question.id))


# --- helpers ------------------------------------------------------------------------------


def get_question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(f"There is no question {question_id}.")
    return question


def _respondents(session: Session, question_id: int) -> int:
    return (
        session.scalar(
            select(func.count(func.distinct(Answer.person_id))).where(
                Answer.question_id == question_id
            )
        )
        or 0
    )


def _view(question: Question, respondents: int) -> QuestionView:
    return QuestionView(
        question.id,
        question.text,
        question.kind,
        KIND_LABELS[question.kind],
        question.max_choices,
        question.active,
        question.position,
        tuple(option.label for option in question.options),
        respondents,
    )


def _question_text(session: Session, text: str, own_id: int | None) -> str:
    text = " ".join(text.split())
    if not text:
        raise UserError("A question needs some words.")
    if len(text) > _MAX_TEXT:
        raise UserError(f"A question can be at most {_MAX_TEXT} characters; this is {len(text)}.")
    wanted = fold(text)
    for qid, other in session.execute(select(Question.id, Question.text)):
        if qid != own_id and fold(other) == wanted:
            raise Conflict(f"Question {qid} asks that already: '{other}'.")
    return text


def _kind(kind: str) -> str:
    found = _KIND_WORDS.get(fold(kind))
    if found is None:
        raise UserError(
            f"'{kind}' is not a kind of question; use single choice, multiple choice, "
            "scale (1 to 5) or free text."
        )
    return found


def _labels(kind: str, options: Sequence[str]) -> list[str]:
    labels = [" ".join(label.split()) for label in options]
    if kind not in CHOICE_KINDS:
        if labels:
            raise UserError(f"A {KIND_LABELS[kind].lower()} question has no options.")
        return []
    if len([label for label in labels if label]) < 2:
        raise UserError(f"A {KIND_LABELS[kind].lower()} question needs two options or more.")
    seen: dict[str, str] = {}
    for label in labels:
        if not label:
            raise UserError("An option needs some words.")
        if len(label) > _MAX_LABEL:
            raise UserError(f"An option can be at most {_MAX_LABEL} characters: '{label[:40]}…'.")
        if ";" in label:
            # Microsoft Forms joins choices with ";": a label holding one could not be read back.
            raise UserError(f"An option cannot hold a semicolon: '{label}'.")
        if fold(label) in seen:
            raise UserError(f"The option '{label}' is given twice.")
        seen[fold(label)] = label
    return labels


def _check_max_choices(kind: str, max_choices: int | None, options: int) -> None:
    if max_choices is None:
        return
    if kind != "multiple_choice":
        if kind == "single_choice" and max_choices == 1:
            return
        raise UserError("Only a multiple choice question takes a maximum number of choices.")
    if not 1 <= max_choices <= options:
        raise UserError(
            f"A question with {options} options can allow from 1 to {options} choices, "
            f"not {max_choices}."
        )
