"""The letters a person was sent: which mailing, when, and which variant of the letter,
numbered as the mailing window numbers them (most people first), so "variant 2 of 7" in a
member's record is the "Variant 2" the secretary previewed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Mailing, MailingRecipient

__all__ = ["MailingLine", "person_mailings", "variant_numbers"]


@dataclass(frozen=True)
class MailingLine:
    mailing_id: int
    sent_at: dt.datetime  # naive UTC
    title: str
    per_household: bool
    variant: str
    variant_number: int  # 1 is the variant most people got
    variants: int


def variant_numbers(
    session: Session, mailing_ids: list[int]
) -> dict[tuple[int, str], tuple[int, int]]:
    """(mailing id, variant) -> (its number, how many variants the mailing had)."""
    counted = session.execute(
        select(
            MailingRecipient.mailing_id,
            MailingRecipient.variant,
            func.count(),
            func.min(MailingRecipient.id),
        )
        .where(MailingRecipient.mailing_id.in_(mailing_ids))
        .group_by(MailingRecipient.mailing_id, MailingRecipient.variant)
    ).all()
    numbers: dict[tuple[int, str], tuple[int, int]] = {}
    for mailing_id in mailing_ids:
        # Recipients are written in the mailing's order: the lowest id is its first letter.
        own = sorted((-n, first, v) for m, v, n, first in counted if m == mailing_id)
        for number, (_n, _first, variant) in enumerate(own, start=1):
            numbers[(mailing_id, variant)] = (number, len(own))
    return numbers


def person_mailings(session: Session, person_id: int, *, limit: int = 20) -> list[MailingLine]:
    """The newest ``limit`` mailings the person was in, newest first."""
    rows = session.execute(
        select(
            Mailing.id, Mailing.created_at, Mailing.title, Mailing.mode, MailingRecipient.variant
        )
        .join(MailingRecipient, MailingRecipient.mailing_id == Mailing.id)
        .where(MailingRecipient.person_id == person_id)
        .order_by(Mailing.created_at.desc(), Mailing.id.desc())
        .limit(limit)
    ).all()
    numbers = variant_numbers(session, [row[0] for row in rows])
    return [
        MailingLine(mid, at, title, mode == "household", variant, *numbers[(mid, variant)])
        for mid, at, title, mode, variant in rows
    ]
