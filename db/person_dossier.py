"""Everything Branchbook holds about one person, in one document: what ``branchbook person
show --json`` prints, and what a subject access request would be answered from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.activities import ActivityRow, person_activities
from db.engagement import Engagement, engagement_levels
from db.models import CustomFieldValue
from db.organisations import AffiliationRow, person_affiliations
from db.participation import PersonParticipation, person_participation
from db.people import PersonDetail, person_detail
from db.person_history import HistoryLine, person_history
from db.person_mailings import MailingLine, person_mailings
from db.tags import person_tags
from db.verification import Preference, Verified, contact_preferences, last_verified
from db.views import PersonAnswer, person_answers

__all__ = ["Dossier", "person_dossier"]


@dataclass(frozen=True)
class Dossier:
    detail: PersonDetail
    preferences: dict[str, Preference]
    verified: dict[str, Verified]
    tags: list[str]
    affiliations: list[AffiliationRow]
    answers: list[PersonAnswer]
    activities: list[ActivityRow]
    engagement: Engagement | None
    participation: PersonParticipation
    kept_columns: dict[str, str | None]  # columns of imported lists with no home of their own
    mailings: list[MailingLine]  # the letters they were sent, newest first
    history: list[HistoryLine]


def person_dossier(
    session: Session, person_id: int, *, today: dt.date | None = None, history: int = 200
) -> Dossier:
    """Raises NotFound for an unknown id (from ``person_detail``)."""
    detail = person_detail(session, person_id, today=today)
    kept = session.execute(
        select(CustomFieldValue.name, CustomFieldValue.value)
        .where(CustomFieldValue.person_id == person_id)
        .order_by(CustomFieldValue.name)
    )
    return Dossier(
        detail=detail,
        preferences=contact_preferences(session, person_id),
        verified=last_verified(session, person_id),
        tags=person_tags(session, person_id),
        affiliations=person_affiliations(session, person_id, today=today),
        answers=person_answers(session, person_id),
        activities=person_activities(session, person_id),
        engagement=engagement_levels(session, [person_id], today=today).get(person_id),
        participation=person_participation(session, person_id, today=today),
        kept_columns={name: value for name, value in kept},
        mailings=person_mailings(session, person_id, limit=history),
        history=person_history(session, person_id, limit=history),
    )
