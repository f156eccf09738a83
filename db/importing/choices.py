"""The people a row could be, described so the secretary can say which one it is."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Person

__all__ = ["describe_people"]


def describe_people(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """One line per person by id: name, membership, address and email, as far as kept."""
    people = session.scalars(
        select(Person)
        .where(Person.id.in_(list(ids)))
        .options(selectinload(Person.household), selectinload(Person.emails))
    )
    described: dict[int, str] = {}
    for person in people:
        name = " ".join(
            part for part in (person.title, person.first_name, person.last_name) if part
        )
        membership = person.status
        if person.membership_number:
            membership += f" {person.membership_number}"
        parts = [f"{name} (person {person.id}, {membership})"]
        household = person.household
        if household is not None:
            parts.append(", ".join(p for p in (household.line1, household.postcode) if p))
        parts.extend(email.address for email in person.emails[:1])
        described[person.id] = " · ".join(part for part in parts if part)
    return described
