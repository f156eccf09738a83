"""What else happens at the door: walk-ins, whether the meeting is quorate, and asking a
member whose details have not been confirmed for a year whether they still hold.

A walk-in gets a person of their own (a guest, or a supporter when they ask to hear from
the branch), flagged for follow-up and checked in, in one commit: the short form at the
door is never lost to a later crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.attendance_tally import anonymous_counts
from db.errors import UserError
from db.importing.normalise import normalise_email
from db.importing.phones import normalise_phone
from db.importing.postcodes import normalise_postcode
from db.meetings import check_in
from db.models import (
    Attendance,
    ContactPreference,
    DetailVerification,
    EmailAddress,
    Household,
    Meeting,
    Person,
    PhoneNumber,
    Setting,
)
from db.models.vocabulary import MEETING_KINDS

__all__ = [
    "Arrival",
    "Quorum",
    "WalkIn",
    "arrivals",
    "confirm_address",
    "quorum",
    "quorums",
    "set_quorum",
    "stale_address_question",
    "walk_in",
]

_QUORUM_KEY = "quorum.{}"
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class WalkIn:
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    postcode: str | None = None
    keep_in_touch: bool = False  # consent to hear from the branch: a supporter, not a guest


@dataclass(frozen=True)
class Quorum:
    needed: int | None  # None: no quorum set for this kind of meeting
    present: int

    @property
    def quorate(self) -> bool | None:
        return None if self.needed is None else self.present >= self.needed


@dataclass(frozen=True)
class Arrival:
    person_id: int
    name: str
    checked_in_at: dt.datetime | None  # naive UTC; None when marked present without a time

    @property
    def local_time(self) -> dt.datetime | None:
        """When they arrived on this computer's clock."""
        if self.checked_in_at is None:
            return None
        return self.checked_in_at.replace(tzinfo=dt.UTC).astimezone()


def arrivals(session: Session, meeting_id: int) -> list[Arrival]:
    """Who is in, the latest arrival first; anyone present without a time comes last."""
    rows = session.execute(
        select(
            Person.id,
            Person.first_name,
            Person.middle_names,
            Person.last_name,
            Attendance.checked_in_at,
        )
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.meeting_id == meeting_id, Attendance.status == "present")
        .order_by(
            Attendance.checked_in_at.is_(None),
            Attendance.checked_in_at.desc(),
            Attendance.id.desc(),
        )
    )
    # Named as check_in names them, so a line added at the door matches a reloaded one.
    return [
        Arrival(person_id, " ".join(part for part in parts if part), at)
        for person_id, *parts, at in rows
    ]


def walk_in(session: Session, meeting_id: int, form: WalkIn) -> int:
    """Add someone who came without being on any list, check them in; their id."""
    first, last = form.first_name.strip(), form.last_name.strip()
    if not (first or last):
        raise UserError("A walk-in needs a name.")
    email = _checked(normalise_email(form.email), "email address") if form.email else None
    phone = _checked(normalise_phone(form.phone), "phone number") if form.phone else None
    postcode = _checked(normalise_postcode(form.postcode), "postcode") if form.postcode else None
    person = Person(
        first_name=first,
        last_name=last,
        status="supporter" if form.keep_in_touch else "guest",
        follow_up=True,
        notes=f"Walked in to meeting {meeting_id}.",
    )
    if postcode:
        person.household = Household(line1="", postcode=postcode)
    if email:
        person.emails.append(EmailAddress(address=email, is_primary=True))
    if phone:
        person.phones.append(PhoneNumber(number=phone, is_primary=True))
    for channel in ("email", "phone", "post"):
        person.contact_preferences.append(
            ContactPreference(channel=channel, allowed=form.keep_in_touch, how="Asked at the door")
        )
    session.add(person)
    session.flush()
    check_in(session, meeting_id, person.id, method="manual")
    return person.id


def set_quorum(session: Session, kind: str, needed: int | None) -> None:
    """The number present a kind of meeting needs; None removes it."""
    if kind not in MEETING_KINDS:
        raise UserError(
            f"'{kind}' is not a kind of meeting; use one of {', '.join(MEETING_KINDS)}."
        )
    if needed is not None and needed < 1:
        raise UserError("A quorum is at least one person.")
    key = _QUORUM_KEY.format(kind)
    row = session.get(Setting, key)
    if needed is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=key, value=str(needed)))
    else:
        row.value = str(needed)
    session.flush()


def quorums(session: Session) -> dict[str, int | None]:
    """The quorum of every kind of meeting (None: none set), for the settings dialog."""
    keys = {_QUORUM_KEY.format(kind): kind for kind in MEETING_KINDS}
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(keys)))
    stored = {key: value for key, value in rows}
    return {
        kind: int(stored[key]) if stored.get(key, "").isdigit() else None
        for key, kind in keys.items()
    }


def quorum(session: Session, meeting_id: int) -> Quorum:
    kind = session.scalar(select(Meeting.kind).where(Meeting.id == meeting_id))
    if kind is None:
        raise UserError(f"There is no meeting {meeting_id}.")
    stored = session.get(Setting, _QUORUM_KEY.format(kind))
    named = session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.meeting_id == meeting_id, Attendance.status == "present")
    )
    erased = sum(
        n for _, status, _, n in anonymous_counts(session, [meeting_id]) if status == "present"
    )
    needed = int(stored.value) if stored is not None and stored.value.isdigit() else None
    return Quorum(needed, int(named or 0) + erased)


def stale_address_question(
    session: Session, person_id: int, *, today: dt.date | None = None
) -> str | None:
    """ "Still at 12 Acacia Road?" when a member's address was last confirmed over a year
    ago (or never); None when it is fresh, or there is no address to ask about."""
    today = today or dt.date.today()
    person = session.get(Person, person_id)
    if person is None or person.household is None or not person.household.line1:
        return None
    if person.status != "member":
        return None
    last = session.scalar(
        select(func.max(DetailVerification.verified_on)).where(
            DetailVerification.person_id == person_id, DetailVerification.detail == "address"
        )
    )
    if last is not None and today - last <= STALE_AFTER:
        return None
    return f"Still at {person.household.line1}?"


def confirm_address(session: Session, person_id: int, *, today: dt.date | None = None) -> None:
    """The one-click answer "yes": the address is verified in person today."""
    session.add(
        DetailVerification(
            person_id=person_id,
            detail="address",
            verified_on=today or dt.date.today(),
            source="in_person",
            note="Confirmed at the door",
        )
    )
    session.flush()


def _checked(cleaned: object, what: str) -> str:
    value = getattr(cleaned, "value", None)
    if getattr(cleaned, "rejected", False) or not value:
        problem = getattr(cleaned, "problem", None) or "cannot be used"
        raise UserError(f"That {what} {problem}.")
    return str(value)
