"""What the person editor reads and the two small edits it needs beyond ``db.person_edit``:
one person's whole editable record as plain data, the households a person could move to,
changing the kind of an email or phone, and removing a household nobody lives in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFound, UserError
from db.models import EmailAddress, Household, Person, PhoneNumber
from db.models.vocabulary import EMAIL_KINDS, PERSON_STATUS_LABELS, PHONE_KINDS
from db.people import list_people
from db.person_edit import Contact
from db.verification import Preference, Verified, contact_preferences, last_verified

__all__ = [
    "HouseholdChoice",
    "HouseholdRecord",
    "PersonRecord",
    "Resident",
    "discard_empty_household",
    "household_choices",
    "person_record",
    "set_contact_kind",
]


@dataclass(frozen=True)
class Resident:
    id: int
    name: str
    status_label: str


@dataclass(frozen=True)
class HouseholdRecord:
    id: int
    version: int
    line1: str
    line2: str | None
    line3: str | None
    town: str | None
    county: str | None
    postcode: str | None
    ward: str | None
    polling_district: str | None
    others: list[Resident]  # everyone else living there

    @property
    def lines(self) -> list[str]:
        parts = (self.line1, self.line2, self.line3, self.town, self.county, self.postcode)
        return [part for part in parts if part]


@dataclass(frozen=True)
class PersonRecord:
    """Everything the editor shows and edits about one person, read in one unit of work."""

    id: int
    version: int
    full_name: str
    title: str | None
    first_name: str
    middle_names: str | None
    last_name: str
    preferred_name: str | None
    date_of_birth: dt.date | None
    status: str
    membership_number: str | None
    membership_type: str | None
    joined_on: dt.date | None
    lapsed_on: dt.date | None
    follow_up: bool
    notes: str | None
    emails: list[Contact]
    phones: list[Contact]
    household: HouseholdRecord | None
    preferences: dict[str, Preference]
    verified: dict[str, Verified]

    @property
    def status_label(self) -> str:
        return PERSON_STATUS_LABELS.get(self.status, self.status)


def _household(session: Session, person: Person) -> HouseholdRecord | None:
    household = person.household
    if household is None:
        return None
    others = [
        Resident(p.id, p.full_name, PERSON_STATUS_LABELS.get(p.status, p.status))
        for p in sorted(household.people, key=lambda p: (p.sort_key, p.id))
        if p.id != person.id
    ]
    return HouseholdRecord(
        id=household.id,
        version=household.version,
        line1=household.line1,
        line2=household.line2,
        line3=household.line3,
        town=household.town,
        county=household.county,
        postcode=household.postcode,
        ward=household.ward.name if household.ward else None,
        polling_district=household.polling_district.code if household.polling_district else None,
        others=others,
    )


def person_record(session: Session, person_id: int) -> PersonRecord:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    emails = [
        Contact("email", e.id, person.id, e.address, e.kind, e.is_primary) for e in person.emails
    ]
    phones = [
        Contact("phone", p.id, person.id, p.number, p.kind, p.is_primary) for p in person.phones
    ]
    return PersonRecord(
        id=person.id,
        version=person.version,
        full_name=person.full_name,
        title=person.title,
        first_name=person.first_name,
        middle_names=person.middle_names,
        last_name=person.last_name,
        preferred_name=person.preferred_name,
        date_of_birth=person.date_of_birth,
        status=person.status,
        membership_number=person.membership_number,
        membership_type=person.membership_type,
        joined_on=person.joined_on,
        lapsed_on=person.lapsed_on,
        follow_up=bool(person.follow_up),
        notes=person.notes,
        emails=emails,
        phones=phones,
        household=_household(session, person),
        preferences=contact_preferences(session, person.id),
        verified=last_verified(session, person.id),
    )


@dataclass(frozen=True)
class HouseholdChoice:
    """A household someone could move to: its address and who lives there."""

    id: int
    address: str
    residents: list[str]


def household_choices(
    session: Session, query: str, *, exclude: int | None = None, limit: int = 30
) -> list[HouseholdChoice]:
    """Households of the people matching ``query`` (a name, postcode, email...)."""
    if not query.strip():
        return []
    people = list_people(session, query, limit=limit * 3)
    ids = [row.id for row in people]
    wanted = session.scalars(
        select(Person.household_id).where(Person.id.in_(ids), Person.household_id.is_not(None))
    ).all()
    order = list(dict.fromkeys(h for h in wanted if h is not None and h != exclude))[:limit]
    if not order:
        return []
    households = {
        h.id: h for h in session.scalars(select(Household).where(Household.id.in_(order)))
    }
    choices = []
    for household_id in order:
        household = households[household_id]
        parts = (household.line1, household.line2, household.town, household.postcode)
        residents = [p.full_name for p in sorted(household.people, key=lambda p: p.sort_key)]
        choices.append(HouseholdChoice(household_id, ", ".join(p for p in parts if p), residents))
    return choices


_KINDS: dict[str, tuple[type[EmailAddress] | type[PhoneNumber], tuple[str, ...]]] = {
    "email": (EmailAddress, EMAIL_KINDS),
    "phone": (PhoneNumber, PHONE_KINDS),
}


def set_contact_kind(session: Session, what: str, contact_id: int, kind: str) -> str:
    """Call an email address or phone number home, work, mobile...; the kind it had."""
    if what not in _KINDS:
        raise UserError(f"'{what}' is neither email nor phone.")
    model, kinds = _KINDS[what]
    if kind not in kinds:
        raise UserError(f"'{kind}' is not a kind of {what}; use one of {', '.join(kinds)}.")
    row = cast("EmailAddress | PhoneNumber | None", session.get(model, contact_id))
    if row is None:
        raise NotFound(f"There is no {what} with id {contact_id}.")
    previous = row.kind
    row.kind = kind
    session.flush()
    return previous


def discard_empty_household(session: Session, household_id: int) -> bool:
    """Remove a household nobody lives in (one made by a move that was then undone);
    whether it was removed. A household with anyone in it is kept."""
    household = session.get(Household, household_id)
    if household is None:
        return False
    residents = session.scalar(
        select(func.count()).select_from(Person).where(Person.household_id == household_id)
    )
    if residents:
        return False
    session.delete(household)
    session.flush()
    return True
