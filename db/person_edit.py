"""Editing one person: their details, emails and phones, and where they live.

Every edit returns what it replaced, so the window's Undo puts back exactly what was there
by making the reverse edit through the same functions; the audit trail records both.
A save over someone else's newer edit is refused (``expected_version``), never merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import Conflict, NotFound, UserError
from db.importing.normalise import normalise_email
from db.importing.phones import normalise_phone
from db.importing.postcodes import normalise_postcode
from db.models import EmailAddress, Household, Person, PhoneNumber
from db.models.vocabulary import EMAIL_KINDS, PERSON_STATUSES, PHONE_KINDS

__all__ = [
    "ADDRESS_FIELDS",
    "PERSON_FIELDS",
    "Contact",
    "FieldEdit",
    "add_contact",
    "edit_address",
    "edit_person",
    "move_to_household",
    "remove_contact",
    "set_primary",
]

# What the editor may change, and how each is labelled in messages.
PERSON_FIELDS: dict[str, str] = {
    "title": "title",
    "first_name": "first name",
    "middle_names": "middle names",
    "last_name": "last name",
    "preferred_name": "preferred name",
    "date_of_birth": "date of birth",
    "status": "status",
    "membership_number": "membership number",
    "membership_type": "membership type",
    "joined_on": "joined on",
    "lapsed_on": "lapsed on",
    "follow_up": "follow-up",
    "notes": "notes",
}
_DATES = {"date_of_birth", "joined_on", "lapsed_on"}
ADDRESS_FIELDS: dict[str, str] = {
    "line1": "first line",
    "line2": "second line",
    "line3": "third line",
    "town": "town",
    "county": "county",
    "postcode": "postcode",
}


@dataclass(frozen=True)
class FieldEdit:
    """Fields of one row before and after an edit; ``reverse`` undoes it."""

    table: str  # "person" or "household"
    row_id: int
    old: Mapping[str, Any]
    new: Mapping[str, Any]

    @property
    def reverse(self) -> Mapping[str, Any]:
        return self.old

    @property
    def changed(self) -> bool:
        return dict(self.old) != dict(self.new)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return person


def _check_version(row: Person | Household, expected: int | None, what: str) -> None:
    if expected is not None and row.version != expected:
        raise Conflict(
            f"Someone else changed {what} since you opened it; close it and open it again."
        )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise UserError(f"'{value}' is not text.")
    return " ".join(value.split()) or None


def _clean_person_value(session: Session, person: Person, name: str, value: Any) -> Any:
    label = PERSON_FIELDS[name]
    if name in _DATES:
        if value is not None and not isinstance(value, dt.date):
            raise UserError(f"The {label} must be a date.")
        return value
    if name == "follow_up":
        return bool(value)
    if name == "notes":
        return (value or "").strip() or None if isinstance(value, str | type(None)) else value
    cleaned = _text(value)
    if name in ("first_name", "last_name"):
        return cleaned or ""
    if name == "status" and cleaned not in PERSON_STATUSES:
        raise UserError(f"'{value}' is not a status; use one of {', '.join(PERSON_STATUSES)}.")
    if name == "membership_number" and cleaned is not None:
        holder = session.scalar(
            select(Person).where(Person.membership_number == cleaned, Person.id != person.id)
        )
        if holder is not None:
            raise Conflict(
                f"Membership number {cleaned} already belongs to {holder.full_name} "
                f"(id {holder.id})."
            )
    return cleaned


def edit_person(
    session: Session,
    person_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> FieldEdit:
    """Change some of a person's own details; what is left out stays as it was."""
    unknown = sorted(set(changes) - set(PERSON_FIELDS))
    if unknown:
        raise UserError(f"A person has no detail called {', '.join(unknown)}.")
    person = _person(session, person_id)
    _check_version(person, expected_version, "this person")
    cleaned = {
        name: _clean_person_value(session, person, name, value) for name, value in changes.items()
    }
    first = cleaned.get("first_name", person.first_name)
    last = cleaned.get("last_name", person.last_name)
    if not (first or last):
        raise UserError("A person needs a first name or a last name.")
    joined = cleaned.get("joined_on", person.joined_on)
    lapsed = cleaned.get("lapsed_on", person.lapsed_on)
    if joined is not None and lapsed is not None and lapsed < joined:
        raise UserError("A membership cannot lapse before it began.")
    old = {name: getattr(person, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(person, name, value)
    session.flush()
    return FieldEdit("person", person.id, old, cleaned)


def edit_address(
    session: Session,
    household_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> FieldEdit:
    """A new address for the whole household: everyone living there moves with it."""
    unknown = sorted(set(changes) - set(ADDRESS_FIELDS))
    if unknown:
        raise UserError(f"An address has no part called {', '.join(unknown)}.")
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(f"There is no household with id {household_id}.")
    _check_version(household, expected_version, "this address")
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        text = _text(value)
        if name == "postcode" and text is not None:
            postcode = normalise_postcode(text)
            if postcode.rejected or not postcode.value:
                raise UserError(f"'{text}' {postcode.problem or 'is not a postcode'}.")
            text = postcode.value
        cleaned[name] = text or "" if name == "line1" else text
    old = {name: getattr(household, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(household, name, value)
    session.flush()
    return FieldEdit("household", household.id, old, cleaned)


def move_to_household(
    session: Session, person_id: int, household_id: int | None, *, address: Mapping[str, Any] = {}
) -> int | None:
    """Move a person to another household (or, with ``address``, to a new one of their own);
    their previous household id, so the move can be undone."""
    person = _person(session, person_id)
    previous = person.household_id
    if household_id is None and address:
        household = Household(line1="")
        session.add(household)
        session.flush()
        edit_address(session, household.id, address)
        household_id = household.id
    elif household_id is not None and session.get(Household, household_id) is None:
        raise NotFound(f"There is no household with id {household_id}.")
    person.household_id = household_id
    session.flush()
    session.expire(person, ["household"])
    return previous


# Emails and phones -------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """One email address or phone number, as it was: enough to put it back exactly."""

    what: str  # "email" or "phone"
    id: int
    person_id: int
    value: str
    kind: str
    is_primary: bool


ContactModel = type[EmailAddress] | type[PhoneNumber]
_CONTACTS: dict[str, tuple[ContactModel, str, tuple[str, ...]]] = {
    "email": (EmailAddress, "address", EMAIL_KINDS),
    "phone": (PhoneNumber, "number", PHONE_KINDS),
}


def _contact_model(
    what: str,
) -> tuple[type[EmailAddress] | type[PhoneNumber], str, tuple[str, ...]]:
    if what not in _CONTACTS:
        raise UserError(f"'{what}' is neither email nor phone.")
    return _CONTACTS[what]


def _normalised(what: str, value: str) -> str:
    cleaned = normalise_email(value) if what == "email" else normalise_phone(value)
    if cleaned.rejected or not cleaned.value:
        noun = "an email address" if what == "email" else "a phone number"
        raise UserError(f"'{value.strip()}' {cleaned.problem or 'is not ' + noun}.")
    return str(cleaned.value)


def add_contact(
    session: Session,
    person_id: int,
    what: str,
    value: str,
    *,
    kind: str | None = None,
    primary: bool = False,
    restore_id: int | None = None,
) -> Contact:
    """Add an email address or phone number. The first one is primary; ``primary`` makes
    this one the primary instead. ``restore_id`` puts back one that Undo removed."""
    model, column, kinds = _contact_model(what)
    person = _person(session, person_id)
    normalised = _normalised(what, value)
    kind = kind or kinds[0]
    if kind not in kinds:
        raise UserError(f"'{kind}' is not a kind of {what}; use one of {', '.join(kinds)}.")
    existing = session.scalar(
        select(model).where(model.person_id == person.id, getattr(model, column) == normalised)
    )
    if existing is not None:
        raise Conflict(f"{person.full_name} already has {normalised}.")
    others = session.scalar(
        select(func.count()).select_from(model).where(model.person_id == person.id)
    )
    row = model(person_id=person.id, kind=kind, is_primary=False)
    setattr(row, column, normalised)
    if restore_id is not None:
        row.id = restore_id
    session.add(row)
    session.flush()
    if primary or not others:
        set_primary(session, what, row.id)
    return _as_contact(what, row)


def _contact_row(session: Session, what: str, contact_id: int) -> EmailAddress | PhoneNumber:
    model, _column, _kinds = _contact_model(what)
    row = cast("EmailAddress | PhoneNumber | None", session.get(model, contact_id))
    if row is None:
        raise NotFound(f"There is no {what} with id {contact_id}.")
    return row


def _as_contact(what: str, row: EmailAddress | PhoneNumber) -> Contact:
    value = row.address if isinstance(row, EmailAddress) else row.number
    return Contact(what, row.id, row.person_id, value, row.kind, row.is_primary)


def set_primary(session: Session, what: str, contact_id: int) -> int | None:
    """Make one address or number the person's primary; the previous primary's id."""
    model, _column, _kinds = _contact_model(what)
    row = _contact_row(session, what, contact_id)
    siblings: list[EmailAddress | PhoneNumber] = list(
        session.scalars(select(model).where(model.person_id == row.person_id))
    )
    previous = next((s.id for s in siblings if s.is_primary and s.id != row.id), None)
    for sibling in siblings:
        sibling.is_primary = sibling.id == row.id
    session.flush()
    return previous


def remove_contact(session: Session, what: str, contact_id: int) -> Contact:
    """Remove an address or number; what it was, for Undo. Removing the primary makes the
    oldest remaining one primary."""
    model, _column, _kinds = _contact_model(what)
    row = _contact_row(session, what, contact_id)
    removed = _as_contact(what, row)
    session.delete(row)
    session.flush()
    if removed.is_primary:
        heir = session.scalar(
            select(model.id).where(model.person_id == removed.person_id).order_by(model.id)
        )
        if heir is not None:
            set_primary(session, what, heir)
    return removed
