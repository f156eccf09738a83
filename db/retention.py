"""Retention: guests and lapsed members not seen for N years, listed for review and erasure.

"Seen" is the latest sign of the person the branch holds: a meeting they came to or sent
apologies for, something they said at one, a stint of volunteering, an answer, a detail they
confirmed themselves, the day they joined or lapsed — or, with none of those, the day their
record was made. The list is one
query, so it stays instant at 100,000 people. How many years is the branch's policy, kept
with the data (``Setting``), three unless changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, Subquery, func, literal, select, type_coerce, union_all
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import (
    Activity,
    Answer,
    Attendance,
    Contribution,
    DetailVerification,
    Meeting,
    Person,
    Setting,
)
from db.models.vocabulary import PERSON_STATUS_LABELS

__all__ = [
    "DEFAULT_YEARS",
    "RETAINED_STATUSES",
    "RetentionCandidate",
    "get_retention_years",
    "retention_candidates",
    "set_retention_years",
]

DEFAULT_YEARS = 3
MAX_YEARS = 50
RETAINED_STATUSES = ("guest", "lapsed")  # the people a retention policy reviews
_SETTING_KEY = "retention.years"
_FROM_THEM = ("in_person", "phone_call", "email_reply", "form")


@dataclass(frozen=True)
class RetentionCandidate:
    person_id: int
    name: str
    status: str
    last_seen: dt.date
    how: str  # what the last sign of them was

    @property
    def status_label(self) -> str:
        return PERSON_STATUS_LABELS.get(self.status, self.status)


def get_retention_years(session: Session) -> int:
    value = session.scalar(select(Setting.value).where(Setting.key == _SETTING_KEY))
    try:
        years = int(value) if value is not None else DEFAULT_YEARS
    except ValueError:
        return DEFAULT_YEARS
    return years if 1 <= years <= MAX_YEARS else DEFAULT_YEARS


def set_retention_years(session: Session, years: int) -> bool:
    """Store the branch's retention period; True when it changed."""
    if not 1 <= years <= MAX_YEARS:
        raise UserError(f"Keep people for between 1 and {MAX_YEARS} years, not {years}.")
    stored = session.get(Setting, _SETTING_KEY)
    if stored is not None and stored.value == str(years):
        return False
    if stored is None:
        session.add(Setting(key=_SETTING_KEY, value=str(years)))
    else:
        stored.value = str(years)
    session.flush()
    return True


def cutoff_for(years: int, today: dt.date) -> dt.date:
    """The day ``years`` before ``today`` (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _signs() -> Subquery:
    """(person_id, day, how) for every dated sign of anyone."""
    day = func.date  # SQLite stores datetimes as text; date() compares them as days
    return union_all(
        select(
            Attendance.person_id,
            type_coerce(day(Meeting.starts_at), Date).label("day"),
            literal("a meeting").label("how"),
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.status != "absent"),
        select(
            Contribution.person_id, type_coerce(day(Meeting.starts_at), Date), literal("a meeting")
        ).join(Meeting, Meeting.id == Contribution.meeting_id),
        select(Activity.person_id, Activity.done_on, literal("volunteering")),
        select(Answer.person_id, Answer.answered_on, literal("an answer")),
        # Only what came from the person: the national list re-sending a lapsed member's
        # address every month is no sign of them, nor is a letter coming back.
        select(
            DetailVerification.person_id,
            DetailVerification.verified_on,
            literal("details confirmed"),
        ).where(DetailVerification.source.in_(_FROM_THEM)),
        select(Person.id, Person.joined_on, literal("joined")).where(Person.joined_on.isnot(None)),
        select(Person.id, Person.lapsed_on, literal("lapsed")).where(Person.lapsed_on.isnot(None)),
    ).subquery("signs")


def retention_candidates(
    session: Session,
    years: int | None = None,
    *,
    today: dt.date | None = None,
    statuses: tuple[str, ...] = RETAINED_STATUSES,
) -> list[RetentionCandidate]:
    """Everyone of ``statuses`` with no sign of them in the last ``years`` (default: the
    branch's policy), longest unseen first."""
    years = get_retention_years(session) if years is None else years
    if not 1 <= years <= MAX_YEARS:
        raise UserError(f"Keep people for between 1 and {MAX_YEARS} years, not {years}.")
    cutoff = cutoff_for(years, today or dt.date.today())
    signs = _signs()
    last = (
        select(signs.c.person_id, func.max(signs.c.day).label("day"))
        .group_by(signs.c.person_id)
        .subquery("last")
    )
    # The day the record was made counts only when nothing else is dated: an import makes
    # a record for someone who lapsed years before it.
    seen = func.coalesce(last.c.day, type_coerce(func.date(Person.created_at), Date))
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name, Person.status, last.c.day, seen)
        .outerjoin(last, last.c.person_id == Person.id)
        .where(Person.status.in_(statuses), seen < cutoff)
        .order_by(seen, Person.sort_key, Person.id)
    ).all()
    hows = _hows(session, {int(pid): day for pid, *_, day, _ in rows if day is not None})
    return [
        RetentionCandidate(
            int(pid),
            f"{first} {last_name}".strip(),
            status,
            seen_on,
            hows.get(int(pid), "record made") if day is not None else "record made",
        )
        for pid, first, last_name, status, day, seen_on in rows
    ]


def _hows(session: Session, last_seen: dict[int, dt.date]) -> dict[int, str]:
    """What each person's last sign was, for the few hundred or thousand listed."""
    if not last_seen:
        return {}
    signs = _signs()
    found: dict[int, str] = {}
    ids = sorted(last_seen)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for pid, day, how in session.execute(
            select(signs.c.person_id, signs.c.day, signs.c.how).where(signs.c.person_id.in_(chunk))
        ):
            if day == last_seen[int(pid)]:
                found.setdefault(int(pid), str(how))
    return found
