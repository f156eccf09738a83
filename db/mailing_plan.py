"""A mailing planned before anything prints: which template, to whom, who is left out and
which variants of the letter there are, so the secretary can look at every variant and any
recipient's letter first.

``plan_mailing`` is what the window, the command line and the tests all call: it checks the
template (a problem stops it, with its line), reads the segment's people in bulk, fills the
template for each and groups households as ``db.mailing_data.plan_letters`` describes.
Nothing is written: ``record_mailing`` does that once the PDF is being made.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.letter_templates import compile_template
from db.mailing_data import (
    LeftOut,
    Letter,
    gather_recipients,
    plan_letters,
    record_mailing,
    segment_sets,
)
from db.models import Segment
from db.segments import segment_ids

__all__ = ["MailingPlan", "Variant", "plan_mailing", "record_plan"]


@dataclass(frozen=True)
class Variant:
    """One distinct letter text (merge values aside): how many letters and people get it,
    and the first letter that has it, to preview."""

    name: str
    letters: int
    people: int
    first: int  # index into MailingPlan.letters


@dataclass(frozen=True)
class MailingPlan:
    template_name: str
    template_id: int | None  # None for a template read from a file
    segment_name: str
    segment_id: int | None
    per_household: bool
    today: dt.date
    letters: tuple[Letter, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def recipients(self) -> int:
        return sum(len(letter.person_ids) for letter in self.letters)

    @property
    def title(self) -> str:
        return f"{self.template_name} to {self.segment_name}"

    def variants(self) -> list[Variant]:
        """Every variant: the one most people get first, then in the order they first come
        (``db.person_mailings`` numbers a recorded mailing's variants the same way)."""
        letters: Counter[str] = Counter()
        people: Counter[str] = Counter()
        first: dict[str, int] = {}
        for index, letter in enumerate(self.letters):
            letters[letter.variant] += 1
            people[letter.variant] += len(letter.person_ids)
            first.setdefault(letter.variant, index)
        return [
            Variant(name, count, people[name], first[name]) for name, count in letters.most_common()
        ]

    def left_out_reasons(self) -> dict[str, int]:
        return dict(Counter(left.reason for left in self.left_out))


def plan_mailing(
    session: Session,
    *,
    template_name: str,
    body: str,
    segment: str,
    template_id: int | None = None,
    per_household: bool = False,
    today: dt.date | None = None,
) -> MailingPlan:
    """The letters ``body`` makes for the people in ``segment`` today; a template problem
    or an unknown segment is a ``UserError`` before any person is read."""
    day = today or dt.date.today()
    template = compile_template(body)
    people = segment_ids(session, segment, day)
    gathered = gather_recipients(session, people, today=day)
    sets = segment_sets(session, template.segments, people, day)
    letters = plan_letters(
        gathered, template, per_household=per_household, segments=sets, today=day
    )
    segment_id = session.scalar(select(Segment.id).where(Segment.name == segment))
    return MailingPlan(
        template_name=template_name,
        template_id=template_id,
        segment_name=segment,
        segment_id=segment_id,
        per_household=per_household,
        today=day,
        letters=tuple(letters),
        left_out=gathered.left_out,
    )


def record_plan(session: Session, plan: MailingPlan) -> int:
    """Record that ``plan``'s letters were sent, in the caller's transaction; the mailing's id."""
    return record_mailing(
        session,
        title=plan.title,
        letters=plan.letters,
        left_out=len(plan.left_out),
        per_household=plan.per_household,
        template_id=plan.template_id,
        segment_id=plan.segment_id,
    )
