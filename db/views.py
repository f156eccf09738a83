"""What people think: each person's dated, sourced answers to the branch's questions.

The question bank itself is ``db.question_bank``; its functions are offered here too, so a
window or command has one module to turn to for views.

A changed view is a new answer row and the old one stays as history, so the branch can see
who moved and when. A person's current answer to a question is their latest by date (then
by the order it was recorded). Recording the answer that person already gave that day again
writes nothing: a form export imported twice, or a doorstep sheet typed up twice, is safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.errors import Conflict, NotFound, UserError
from db.folding import fold
from db.models import Answer, AnswerChoice, Person, Question, QuestionOption
from db.models.vocabulary import ANSWER_SOURCE_LABELS, ANSWER_SOURCES
from db.question_bank import (
    CHOICE_KINDS,
    KIND_LABELS,
    Changed,
    QuestionState,
    QuestionView,
    add_question,
    delete_question,
    edit_question,
    find_question,
    get_question,
    list_questions,
    question_state,
    reorder_questions,
    restore_question,
    retire_question,
)

__all__ = [
    "KIND_LABELS",
    "AnswerState",
    "AnswerSummary",
    "AnswerValue",
    "Changed",
    "CheckedValue",
    "InvalidAnswer",
    "OptionCount",
    "PersonAnswer",
    "QuestionState",
    "QuestionView",
    "Recorded",
    "Value",
    "add_question",
    "answer_source",
    "answer_summary",
    "check_value",
    "delete_answer",
    "delete_question",
    "edit_question",
    "find_question",
    "list_questions",
    "person_answers",
    "question_state",
    "record_answer",
    "reorder_questions",
    "restore_answer",
    "restore_question",
    "retire_question",
    "save_answer",
    "split_choices",
    "current_answer",
]

Value = str | int | float | Sequence[str]


class InvalidAnswer(UserError):
    """An answer the question cannot take: an unknown option, a scale outside 1-5..."""


@dataclass(frozen=True)
class Recorded:
    answer_id: int  # the new row; when ``outcome`` is "unchanged", the row already there
    person_id: int
    question_id: int
    # "new": their first answer; "changed": differs from the answer they held; "confirmed":
    # the same view given again on another day; "earlier": an answer dated before their
    # current one, kept as history; "unchanged": already recorded that day, nothing written.
    outcome: str
    value: str  # as the secretary reads it: "Housing; Transport", "4", the text

    @property
    def written(self) -> bool:
        return self.outcome != "unchanged"


@dataclass(frozen=True)
class AnswerValue:
    answer_id: int
    answered_on: dt.date
    source: str
    source_label: str
    choices: tuple[str, ...]  # option labels, in rank order
    scale_value: int | None
    text_value: str | None
    value: str  # as the secretary reads it


@dataclass(frozen=True)
class PersonAnswer:
    question_id: int
    question: str
    kind: str
    active: bool
    current: AnswerValue
    history: tuple[AnswerValue, ...]  # the earlier answers, newest first


@dataclass(frozen=True)
class OptionCount:
    option_id: int
    label: str
    count: int  # people whose current answer chose it
    first_choice: int  # of them, how many ranked it first


@dataclass(frozen=True)
class AnswerSummary:
    question_id: int
    text: str
    kind: str
    respondents: int  # people with a current answer
    options: tuple[OptionCount, ...]  # choice questions, in the question's order
    scale: tuple[tuple[int, int], ...]  # scale questions: (1..5, people)
    mean: float | None  # scale questions with answers


@dataclass(frozen=True)
class AnswerState:
    """One answer row as stored, its choices as (option id, rank): what ``restore_answer``
    needs to put it back exactly."""

    id: int
    person_id: int
    question_id: int
    answered_on: dt.date
    source: str
    scale_value: int | None
    text_value: str | None
    choices: tuple[tuple[int, int | None], ...]


# --- answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedValue:
    """A value as it is stored: a scale value, a text, or options in rank order."""

    scale_value: int | None = None
    text_value: str | None = None
    option_ids: tuple[int, ...] = ()


def record_answer(
    session: Session,
    person_id: int,
    question_id: int,
    value: Value,
    *,
    source: str,
    answered_on: dt.date,
) -> Recorded:
    """Record what ``person_id`` answered ``question_id`` on ``answered_on``.

    Raises ``InvalidAnswer`` (one sentence, nothing written) for a value the question cannot
    take: an unknown option, a scale outside 1-5, more choices than it allows.
    """
    if session.get(Person, person_id) is None:
        raise NotFound(f"There is no person {person_id}.")
    question = get_question(session, question_id)
    if not question.active:
        raise Conflict(
            f"'{question.text}' is retired; bring it back before recording answers to it."
        )
    source = answer_source(source)
    if answered_on > dt.date.today():
        raise InvalidAnswer(f"An answer cannot be dated {answered_on:%d %B %Y}, in the future.")
    problem = check_value(question, value)
    if isinstance(problem, str):
        raise InvalidAnswer(f"'{question.text}' {problem}.")
    return save_answer(session, person_id, question, problem, source, answered_on)


def answer_source(source: str) -> str:
    """The stored name of a source the secretary names ("paper form" is paper_form)."""
    wanted = fold(source)
    for key, label in ANSWER_SOURCE_LABELS.items():
        if wanted in (fold(key), fold(label)):
            return key
    raise InvalidAnswer(
        f"'{source}' is not where an answer can come from; use one of "
        f"{', '.join(s.replace('_', ' ') for s in ANSWER_SOURCES)}."
    )


def check_value(question: Question, value: Value) -> CheckedValue | str:
    """``value`` as ``question`` stores it, or what is wrong with it: a clause that follows
    the question's text ("has no option 'Parking'; its options are ...")."""
    parts = [value] if isinstance(value, str | int | float) else list(value)
    if all(isinstance(p, str) and not p.strip() for p in parts):
        return "needs an answer; leave it out rather than record an empty one"
    if question.kind == "scale":
        if len(parts) != 1:
            return f"is a 1–5 scale and takes one number; {len(parts)} were given"
        number = _whole_number(parts[0])
        if number is None:
            return f"is a 1–5 scale; '{parts[0]}' is not a whole number from 1 to 5"
        if not 1 <= number <= 5:
            return f"is a 1–5 scale; {number} is outside it"
        return CheckedValue(scale_value=number)
    if question.kind == "free_text":
        if len(parts) != 1:
            return f"takes one text; {len(parts)} were given"
        return CheckedValue(text_value=str(parts[0]).strip())
    labels = [option.label for option in question.options]
    chosen: list[str] = []
    for part in parts:
        chosen.extend(split_choices(str(part), labels))
    by_fold = {fold(option.label): option for option in question.options}
    picked: list[QuestionOption] = []
    for label in chosen:
        option = by_fold.get(fold(label))
        if option is None:
            return f"has no option '{label}'; its options are {'; '.join(labels)}"
        if option in picked:
            return f"was given '{option.label}' twice"
        picked.append(option)
    allowed = 1 if question.kind == "single_choice" else question.max_choices or len(labels)
    if len(picked) > allowed:
        takes = "one choice" if allowed == 1 else f"at most {allowed} choices"
        return f"takes {takes}; {len(picked)} were given ({'; '.join(chosen)})"
    return CheckedValue(option_ids=tuple(option.id for option in picked))


def split_choices(text: str, labels: Sequence[str]) -> list[str]:
    """The options a cell names: one label, or several joined by ";" (Microsoft Forms) or
    ", " (Google Forms, the command line). Commas inside a label ("Housing, rent and
    repairs") stay: pieces are joined back together wherever they make a label."""
    text = text.strip()
    known = {fold(label) for label in labels}
    if fold(text) in known:
        return [text]
    if ";" in text:
        return [part.strip() for part in text.split(";") if part.strip()]
    pieces = [piece.strip() for piece in text.split(",")]
    found: list[str] = []
    start = 0
    while start < len(pieces):
        # The longest run of pieces that is a label; else the piece alone, to be refused.
        end = next(
            (
                end
                for end in range(len(pieces), start, -1)
                if fold(", ".join(pieces[start:end])) in known
            ),
            start + 1,
        )
        found.append(", ".join(pieces[start:end]))
        start = end
    return [piece for piece in found if piece]


def save_answer(
    session: Session,
    person_id: int,
    question: Question,
    checked: CheckedValue,
    source: str,
    answered_on: dt.date,
) -> Recorded:
    """Write an answer already checked (by ``check_value``), unless the same answer is the
    last one recorded that day. For callers that have checked person and question already."""
    shown = _shown(question, checked)
    earlier = session.execute(
        select(Answer.id, Answer.answered_on, Answer.scale_value, Answer.text_value)
        .where(Answer.person_id == person_id, Answer.question_id == question.id)
        .order_by(Answer.answered_on.desc(), Answer.id.desc())
    ).all()
    current = earlier[0] if earlier else None
    that_day = next((row for row in earlier if row.answered_on == answered_on), None)
    if that_day is not None and _stored(session, *_key(that_day)) == checked:
        return Recorded(that_day.id, person_id, question.id, "unchanged", shown)
    if current is None:
        outcome = "new"
    elif answered_on < current.answered_on:
        outcome = "earlier"
    elif _stored(session, *_key(current)) == checked:
        outcome = "confirmed"
    else:
        outcome = "changed"
    multiple = question.kind == "multiple_choice"
    answer = Answer(
        person_id=person_id,
        question_id=question.id,
        answered_on=answered_on,
        source=source,
        scale_value=checked.scale_value,
        text_value=checked.text_value,
        choices=[
            AnswerChoice(option_id=option_id, rank=rank if multiple else None)
            for rank, option_id in enumerate(checked.option_ids, start=1)
        ],
    )
    session.add(answer)
    session.flush()
    return Recorded(answer.id, person_id, question.id, outcome, shown)


def delete_answer(session: Session, answer_id: int) -> AnswerState:
    """Delete exactly one answer row (undoing its recording); returns what it was. The
    person's earlier answer to the question, if any, is their current one again."""
    answer = session.get(Answer, answer_id)
    if answer is None:
        raise NotFound(f"There is no answer {answer_id}; it may have been deleted already.")
    state = AnswerState(
        answer.id,
        answer.person_id,
        answer.question_id,
        answer.answered_on,
        answer.source,
        answer.scale_value,
        answer.text_value,
        tuple(sorted((c.option_id, c.rank) for c in answer.choices)),
    )
    session.delete(answer)
    session.flush()
    return state


def restore_answer(session: Session, state: AnswerState) -> int:
    """Put back an answer ``delete_answer`` removed, with its id; refused when its person,
    question or a chosen option is gone meanwhile, or the row is there already."""
    if session.get(Answer, state.id) is not None:
        raise Conflict(f"Answer {state.id} is there already.")
    if session.get(Person, state.person_id) is None:
        raise NotFound(f"There is no person {state.person_id}: the answer cannot be put back.")
    question = get_question(session, state.question_id)
    options = {option.id for option in question.options}
    if any(option_id not in options for option_id, _rank in state.choices):
        raise Conflict(
            f"An option of '{question.text}' that the answer chose is gone: it cannot be put back."
        )
    session.add(
        Answer(
            id=state.id,
            person_id=state.person_id,
            question_id=state.question_id,
            answered_on=state.answered_on,
            source=state.source,
            scale_value=state.scale_value,
            text_value=state.text_value,
            choices=[AnswerChoice(option_id=o, rank=rank) for o, rank in state.choices],
        )
    )
    session.flush()
    return state.id


def _stored(session: Session, answer_id: int, scale: int | None, text: str | None) -> CheckedValue:
    options = session.scalars(
        select(AnswerChoice.option_id)
        .where(AnswerChoice.answer_id == answer_id)
        .order_by(AnswerChoice.rank, AnswerChoice.option_id)
    ).all()
    return CheckedValue(scale, text, tuple(options))


def _key(
    row: Row[int, dt.date, int | None, str | None],
) -> tuple[int, int | None, str | None]:
    return row[0], row[2], row[3]


def person_answers(session: Session, person_id: int) -> list[PersonAnswer]:
    """Each question the person has answered, in the bank's order: the current answer and
    the earlier ones. Two queries."""
    if session.get(Person, person_id) is None:
        raise NotFound(f"There is no person {person_id}.")
    rows = session.execute(
        select(
            Answer.id,
            Answer.question_id,
            Answer.answered_on,
            Answer.source,
            Answer.scale_value,
            Answer.text_value,
            Question.text,
            Question.kind,
            Question.active,
        )
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.person_id == person_id)
        .order_by(Question.position, Question.id, Answer.answered_on.desc(), Answer.id.desc())
    ).all()
    labels: dict[int, list[str]] = {}
    for answer_id, label in session.execute(
        select(AnswerChoice.answer_id, QuestionOption.label)
        .join(QuestionOption, QuestionOption.id == AnswerChoice.option_id)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.person_id == person_id)
        .order_by(AnswerChoice.answer_id, AnswerChoice.rank, QuestionOption.position)
    ):
        labels.setdefault(answer_id, []).append(label)
    grouped: dict[int, list[AnswerValue]] = {}
    about: dict[int, tuple[str, str, bool]] = {}
    for row in rows:
        choices = tuple(labels.get(row.id, ()))
        value = "; ".join(choices) if choices else str(row.scale_value or row.text_value or "")
        grouped.setdefault(row.question_id, []).append(
            AnswerValue(
                row.id,
                row.answered_on,
                row.source,
                ANSWER_SOURCE_LABELS.get(row.source, row.source),
                choices,
                row.scale_value,
                row.text_value,
                value,
            )
        )
        about[row.question_id] = (row.text, row.kind, row.active)
    return [
        PersonAnswer(qid, *about[qid], current=values[0], history=tuple(values[1:]))
        for qid, values in grouped.items()
    ]


def current_answer(answer: Any) -> ColumnElement[bool]:
    """``answer`` (``Answer`` or an alias of it) is its person's current answer to its
    question: no answer of theirs to it is later by date, or the same day and recorded
    later. A probe of ix_answer_person_question per answer, cheaper than a window over all."""
    later = aliased(Answer)
    return ~(
        select(later.id)
        .where(
            later.person_id == answer.person_id,
            later.question_id == answer.question_id,
            or_(
                later.answered_on > answer.answered_on,
                and_(later.answered_on == answer.answered_on, later.id > answer.id),
            ),
        )
        .exists()
    )


def answer_summary(session: Session, question_id: int) -> AnswerSummary:
    """How the people who answered ``question_id`` answer it now (their current answers):
    people per option, or per point of the scale. One grouped query over the answers: about
    half a second for 100,000 people each choosing three options."""
    question = get_question(session, question_id)
    is_current = and_(Answer.question_id == question.id, current_answer(Answer))
    options: tuple[OptionCount, ...] = ()
    scale: tuple[tuple[int, int], ...] = ()
    mean = None
    if question.kind in CHOICE_KINDS:
        # Single choice keeps no rank: its one option is the first choice.
        first = case((or_(AnswerChoice.rank == 1, AnswerChoice.rank.is_(None)), 1), else_=0)
        counted = {
            option_id: (n, firsts)
            for option_id, n, firsts in session.execute(
                select(AnswerChoice.option_id, func.count(), func.sum(first))
                .join(Answer, Answer.id == AnswerChoice.answer_id)
                .where(is_current)
                .group_by(AnswerChoice.option_id)
            )
        }
        options = tuple(
            OptionCount(option.id, option.label, *counted.get(option.id, (0, 0)))
            for option in question.options
        )
        # Every choice answer has exactly one first choice, so no second count is needed.
        total = sum(option.first_choice for option in options)
    else:
        counts: dict[int | None, int] = dict(
            session.execute(
                select(Answer.scale_value, func.count())
                .where(is_current)
                .group_by(Answer.scale_value)
            ).all()
        )
        total = sum(counts.values())
        if question.kind == "scale":
            scale = tuple((point, counts.get(point, 0)) for point in range(1, 6))
            scored = sum(n for _, n in scale)
            mean = sum(p * n for p, n in scale) / scored if scored else None
    return AnswerSummary(question.id, question.text, question.kind, total, options, scale, mean)


# --- helpers ------------------------------------------------------------------------------


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _shown(question: Question, checked: CheckedValue) -> str:
    if checked.option_ids:
        labels = {option.id: option.label for option in question.options}
        return "; ".join(labels[oid] for oid in checked.option_ids)
    if checked.scale_value is not None:
        return str(checked.scale_value)
    return checked.text_value or ""
