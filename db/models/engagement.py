"""What the branch knows about its people beyond contact details: unions and causes,
views on questions, and the work they put in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Timestamped, Versioned, allowed
from db.models.vocabulary import (
    ACTIVITY_KINDS,
    ANSWER_SOURCES,
    ORGANISATION_KINDS,
    QUESTION_KINDS,
)


class Organisation(Versioned, Base):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(allowed("kind", ORGANISATION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))


class Affiliation(Versioned, Base):
    """A person's tie to an organisation, with role and since-when."""

    __tablename__ = "affiliation"
    __table_args__ = (
        UniqueConstraint("person_id", "organisation_id", "since"),
        CheckConstraint("until IS NULL OR since IS NULL OR until >= since", name="until_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(120))
    since: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship()


class Question(Versioned, Timestamped, Base):
    """A question of the branch's own: a priority list, a stance, a 1-5 scale, free text."""

    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint(allowed("kind", QUESTION_KINDS), name="kind"),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    max_choices: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionOption.position"
    )


class QuestionOption(Versioned, Base):
    __tablename__ = "question_option"
    __table_args__ = (UniqueConstraint("question_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    question: Mapped[Question] = relationship(back_populates="options")


class Answer(Versioned, Base):
    """One dated, sourced answer. A changed view is a new row: the old one stays as history."""

    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint(allowed("source", ANSWER_SOURCES), name="source"),
        CheckConstraint("scale_value IS NULL OR scale_value BETWEEN 1 AND 5", name="scale_value"),
        Index("ix_answer_person_question", "person_id", "question_id", "answered_on"),
        Index("ix_answer_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    answered_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    scale_value: Mapped[int | None] = mapped_column(Integer)
    text_value: Mapped[str | None] = mapped_column(Text)

    choices: Mapped[list[AnswerChoice]] = relationship(cascade="all, delete-orphan")


class AnswerChoice(Base):
    __tablename__ = "answer_choice"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("question_option.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int | None] = mapped_column(Integer)


class Activity(Versioned, Base):
    """A stint of volunteering; one session with eight volunteers is eight rows."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint(allowed("kind", ACTIVITY_KINDS), name="kind"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),
        Index("ix_activity_person_date", "person_id", "done_on"),
        Index("ix_activity_date", "done_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    done_on: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    notes: Mapped[str | None] = mapped_column(Text)
