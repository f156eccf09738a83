"""What the secretary sees of two records before merging them: each one's details (as the
detail pane shows them) and how many rows of each kind it holds, which is what a merge moves.

The counts are keyed by table name, as ``MergeResult.moved`` is, so one set of words serves
the comparison and the summary after the merge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFound
from db.models import (
    Activity,
    Affiliation,
    Answer,
    Attendance,
    Contribution,
    CustomFieldValue,
    DetailVerification,
    MailingRecipient,
    Person,
    PersonTag,
)
from db.people import PersonDetail, person_detail

# Every kind of row a merge moves besides emails, phones and preferences (which
# ``PersonDetail`` lists), in the order the comparison shows them.
COUNTED: tuple[Any, ...] = (
    Attendance,
    Contribution,
    Answer,
    Activity,
    Affiliation,
    MailingRecipient,
    PersonTag,
    CustomFieldValue,
    DetailVerification,
)


@dataclass(frozen=True)
class MergeSide:
    """One of the two records: ``counts`` maps a table name to that person's rows in it."""

    detail: PersonDetail
    first_name: str
    middle_names: str | None
    last_name: str
    added_on: dt.date
    counts: dict[str, int]


def merge_side(session: Session, person_id: int, *, today: dt.date | None = None) -> MergeSide:
    """One record as the duplicates window compares it; every count in one statement."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    detail = person_detail(session, person_id, today=today)
    counts = [
        select(func.count()).select_from(model).where(model.person_id == person_id)
        for model in COUNTED
    ]
    row = session.execute(select(*(count.scalar_subquery() for count in counts))).one()
    return MergeSide(
        detail=detail,
        first_name=person.first_name,
        middle_names=person.middle_names,
        last_name=person.last_name,
        added_on=person.created_at.date(),
        counts={model.__tablename__: int(n or 0) for model, n in zip(COUNTED, row, strict=True)},
    )
