"""When each group of a person's details was last confirmed, and how; and which channels
they may be contacted by.

A verification is history, never overwritten: "mark verified" adds a line. A letter
returned undelivered is recorded the same way but counts against the address, not for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFound, UserError
from db.folding import fold
from db.models import ContactPreference, DetailVerification, Person, utcnow
from db.models.vocabulary import (
    CHANNELS,
    DETAIL_GROUPS,
    VERIFICATION_SOURCE_LABELS,
    VERIFICATION_SOURCES,
)

__all__ = [
    "Preference",
    "Verified",
    "contact_preferences",
    "last_verified",
    "mark_verified",
    "set_contact_preference",
    "unmark_verified",
    "verification_source",
]

# A returned letter says the address is wrong: it is recorded, but vouches for nothing.
DOUBTING_SOURCES = {"letter_returned"}


@dataclass(frozen=True)
class Verified:
    id: int
    detail: str
    verified_on: dt.date
    source: str
    note: str | None

    @property
    def source_label(self) -> str:
        return VERIFICATION_SOURCE_LABELS.get(self.source, self.source)

    @property
    def doubted(self) -> bool:
        return self.source in DOUBTING_SOURCES


def verification_source(how: str) -> tuple[str, str | None]:
    """``how`` as typed ("in person", "Phone call", "national_list", or anything else) as a
    source and a note: words that are no known source are kept as the note of "other"."""
    wanted = fold(how).replace("_", " ")
    for source in VERIFICATION_SOURCES:
        if wanted in (fold(source).replace("_", " "), fold(VERIFICATION_SOURCE_LABELS[source])):
            return source, None
    text = " ".join(how.split())
    if not text:
        raise UserError("Say how the details were confirmed (for example: in person).")
    return "other", text[:200]


def mark_verified(
    session: Session,
    person_id: int,
    detail: str,
    how: str,
    *,
    on: dt.date | None = None,
    note: str | None = None,
) -> Verified:
    """Record that a group of details (address, email, phone, membership) was confirmed."""
    if detail not in DETAIL_GROUPS:
        raise UserError(
            f"'{detail}' is not a group of details; use one of {', '.join(DETAIL_GROUPS)}."
        )
    if session.get(Person, person_id) is None:
        raise NotFound(f"There is no person with id {person_id}.")
    source, how_note = verification_source(how)
    row = DetailVerification(
        person_id=person_id,
        detail=detail,
        verified_on=on or dt.date.today(),
        source=source,
        note=note or how_note,
    )
    session.add(row)
    session.flush()
    return Verified(row.id, row.detail, row.verified_on, row.source, row.note)


def unmark_verified(session: Session, verification_id: int) -> None:
    """Take back a verification recorded by mistake (the window's Undo)."""
    row = session.get(DetailVerification, verification_id)
    if row is None:
        raise NotFound(f"There is no verification {verification_id}.")
    session.delete(row)
    session.flush()


def last_verified(session: Session, person_id: int) -> dict[str, Verified]:
    """The latest verification of each group of details that has one."""
    rows = session.scalars(
        select(DetailVerification)
        .where(DetailVerification.person_id == person_id)
        .order_by(DetailVerification.verified_on, DetailVerification.id)
    )
    latest: dict[str, Verified] = {}
    for row in rows:
        latest[row.detail] = Verified(row.id, row.detail, row.verified_on, row.source, row.note)
    return latest


@dataclass(frozen=True)
class Preference:
    channel: str
    allowed: bool
    recorded_at: dt.datetime
    how: str | None


def contact_preferences(session: Session, person_id: int) -> dict[str, Preference]:
    rows = session.scalars(
        select(ContactPreference).where(ContactPreference.person_id == person_id)
    )
    return {
        row.channel: Preference(row.channel, row.allowed, row.recorded_at, row.how) for row in rows
    }


def set_contact_preference(
    session: Session,
    person_id: int,
    channel: str,
    allowed: bool | None,
    *,
    how: str | None = None,
    at: dt.datetime | None = None,
) -> Preference | None:
    """Record whether a channel may be used (None: no answer recorded); what was recorded
    before, for Undo."""
    if channel not in CHANNELS:
        raise UserError(f"'{channel}' is not a channel; use one of {', '.join(CHANNELS)}.")
    if session.get(Person, person_id) is None:
        raise NotFound(f"There is no person with id {person_id}.")
    row = session.scalar(
        select(ContactPreference).where(
            ContactPreference.person_id == person_id, ContactPreference.channel == channel
        )
    )
    before = None if row is None else Preference(row.channel, row.allowed, row.recorded_at, row.how)
    if allowed is None:
        if row is not None:
            session.delete(row)
    else:
        if row is None:
            row = ContactPreference(person_id=person_id, channel=channel)
            session.add(row)
        row.allowed = allowed
        row.how = " ".join((how or "").split()) or None
        row.recorded_at = at or utcnow()
    session.flush()
    return before
