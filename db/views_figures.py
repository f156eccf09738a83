"""The views summary's figures: for every question in the bank, how the people who answered
it answer it now (``db.views.answer_summary``), and for a free-text question what they
wrote, newest first, without their names: the summary is about views, not people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Answer, Person
from db.question_bank import QuestionView, list_questions
from db.views import AnswerSummary, answer_summary, current_answer

__all__ = ["QuestionFigures", "ViewsFigures", "views_figures"]


@dataclass(frozen=True)
class QuestionFigures:
    question: QuestionView
    summary: AnswerSummary
    texts: tuple[tuple[dt.date, str], ...]  # free text: current answers, newest first

    @property
    def respondents(self) -> int:
        return self.summary.respondents


@dataclass(frozen=True)
class ViewsFigures:
    counted_on: dt.date
    people: int  # everyone the branch knows, for the share who answered
    respondents: int  # people who answered at least one question
    questions: tuple[QuestionFigures, ...]  # in the bank's order; retired ones too


def views_figures(session: Session, *, today: dt.date | None = None) -> ViewsFigures:
    """Every question's current answers, counted in one grouped query per question."""
    found = []
    for question in list_questions(session, include_retired=True):
        texts: tuple[tuple[dt.date, str], ...] = ()
        if question.kind == "free_text":
            texts = tuple(
                (day, text)
                for day, text in session.execute(
                    select(Answer.answered_on, Answer.text_value)
                    .where(
                        Answer.question_id == question.id,
                        Answer.text_value.is_not(None),
                        current_answer(Answer),
                    )
                    .order_by(Answer.answered_on.desc(), Answer.id.desc())
                )
                if text and text.strip()
            )
        found.append(QuestionFigures(question, answer_summary(session, question.id), texts))
    people = session.scalar(select(func.count()).select_from(Person)) or 0
    respondents = session.scalar(select(func.count(func.distinct(Answer.person_id)))) or 0
    return ViewsFigures(today or dt.date.today(), int(people), int(respondents), tuple(found))
