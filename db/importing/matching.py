"""Who each row of an imported list is: the people already known, read in a few SELECTs.

Everything the planner needs about the stored people is read once into dictionaries, so
matching 100,000 rows costs dictionary look-ups, never a query per row. Nothing is written.

Matching follows the issue: membership number first, else email, else name and postcode.
A row that could be two or more people is ambiguous and is never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, String, cast, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql._typing import _ColumnExpressionArgument

from db.bulk import select_rows
from db.folding import fold
from db.importing.candidates import Candidate
from db.models import DetailVerification, EmailAddress, Household, Person, PhoneNumber

__all__ = [
    "BY_EMAIL",
    "BY_NAME",
    "BY_NUMBER",
    "Folded",
    "Known",
    "Match",
    "PeopleIndex",
    "digits",
    "fit_by_name",
    "load_index",
]

BY_NUMBER = "membership number"
BY_EMAIL = "email"
BY_NAME = "name and postcode"

_NOT_DIGITS = re.compile(r"\D+")

NameKey = tuple[str, str, str]  # folded first (or preferred) name, last name, postcode


class Known(NamedTuple):
    """One stored person, with their household's address, as the planner compares them."""

    id: int
    title: str | None
    first_name: str
    middle_names: str | None
    last_name: str
    preferred_name: str | None
    date_of_birth: str | None  # dates as ISO text: see _date_text
    status: str
    membership_number: str | None
    membership_type: str | None
    joined_on: str | None
    lapsed_on: str | None
    household_id: int | None
    line1: str | None
    line2: str | None
    line3: str | None
    town: str | None
    postcode: str | None


class Folded(dict[str, str]):
    """``fold`` remembered: names, towns and postcodes repeat thousands of times in a list,
    and a look-up that hits costs a tenth of folding again."""

    def __missing__(self, text: str) -> str:
        folded = self[text] = fold(text)
        return folded


@dataclass(frozen=True, slots=True)
class Match:
    """Whom a row is: one person, several (ambiguous), or nobody yet."""

    person_id: int | None = None
    matched_by: str | None = None
    candidates: tuple[int, ...] = ()  # two or more: the people an ambiguous row could be
    note: str | None = None


_NOBODY = Match()  # frozen, so one serves every row that matches nobody


@dataclass
class PeopleIndex:
    people: dict[int, Known] = field(default_factory=dict)
    by_number: dict[str, int] = field(default_factory=dict)
    by_email: dict[str, list[int]] = field(default_factory=dict)
    by_name: dict[NameKey, list[int]] = field(default_factory=dict)
    # Most people have one address and one number: a tuple holds one in a quarter of a
    # set's memory, and is searched as fast at these sizes.
    emails: dict[int, tuple[str, ...]] = field(default_factory=dict)
    phones: dict[int, tuple[str, ...]] = field(default_factory=dict)  # digits only
    # (person id, detail group) the branch itself verified: from any source but the list.
    locally_verified: set[tuple[int, str]] = field(default_factory=set)
    folded: Folded = field(default_factory=Folded)

    def name_keys(self, candidate: Candidate) -> set[NameKey]:
        """The row's name-and-postcode keys: its first name and its preferred name, each
        with the last name and postcode (or none), folded. Empty without a last name."""
        if not candidate.last_name:
            return set()
        folded = self.folded
        # No postcode is a value too: a list without postcodes (a sign-up sheet, an old
        # spreadsheet) imported twice must find the people its first import added.
        postcode, last = folded[candidate.postcode or ""], folded[candidate.last_name]
        first, preferred = candidate.first_name, candidate.preferred_name
        if first:
            key = (folded[first], last, postcode)
            if preferred and preferred != first:
                return {key, (folded[preferred], last, postcode)}
            return {key}
        if preferred:
            return {(folded[preferred], last, postcode)}
        # A one-word name ("Bob") is a last name with no first name, stored as such.
        return {("", last, postcode)}

    def match(self, candidate: Candidate, keys: set[NameKey]) -> Match:
        """Whom ``candidate`` is; ``keys`` are its ``name_keys``."""
        number = candidate.membership_number
        if number is not None:
            person_id = self.by_number.get(number)
            if person_id is not None:
                # The number is the national list's own key: it wins, but a shared or
                # mistyped email pointing elsewhere is worth a look, so it is noted.
                # Loops, not comprehensions: this runs for every row of a re-import.
                elsewhere: set[int] = set()
                for email in candidate.emails:
                    for other in self.by_email.get(email.lower(), ()):
                        if other != person_id:
                            elsewhere.add(other)
                note = None
                if elsewhere:
                    note = (
                        f"Matched by membership number {number}; its email address belongs "
                        f"to {_people(sorted(elsewhere))}, which was not followed."
                    )
                return Match(person_id, BY_NUMBER, (), note)

        sharing: set[int] = set()
        for email in candidate.emails:
            sharing.update(self.by_email.get(email.lower(), ()))
        ids = self._compatible(sharing, number)
        if len(ids) == 1:
            return Match(ids[0], BY_EMAIL)
        if ids:
            return Match(
                None,
                BY_EMAIL,
                tuple(ids),
                f"Its email address is shared by {_people(ids)}; choose one or add a new person.",
            )

        named: set[int] = set()
        for key in keys:
            named.update(self.by_name.get(key, ()))
        ids = self._compatible(named, number)
        if len(ids) == 1:
            return Match(ids[0], BY_NAME)
        if ids:
            return fit_by_name(ids)
        return _NOBODY

    def _compatible(self, ids: set[int], number: str | None) -> list[int]:
        """The people the row may be: someone holding another membership number is another
        person (a couple sharing one email address, a father and son at one address)."""
        if not ids:
            return []
        if number is None:
            return sorted(ids)
        people = self.people
        return sorted(pid for pid in ids if people[pid].membership_number in (None, number))


def load_index(session: Session) -> PeopleIndex:
    """Everyone the database knows, in dictionaries: four SELECTs whatever the size."""
    index = PeopleIndex()
    people = index.people
    by_number = index.by_number
    by_name: defaultdict[NameKey, list[int]] = defaultdict(list)
    folded = index.folded
    # Once per person kept, so the plain row is read by position (a Known's fields are
    # properties, each a call), and the dictionaries are filled by C loops where they can be.
    # The driver makes a new string for every value read, though towns, postcodes, first
    # names, dates and statuses repeat thousands of times: each is kept once (60 of the
    # 220 MB that 100,000 people took, while the file is being read beside them).
    fetched = select_rows(session, _PEOPLE)
    share: Callable[[Any, Any], Any] = {}.setdefault
    rows = list(map(Known._make, map(map, repeat(share), fetched, fetched)))
    del fetched, share
    people.update(zip(map(_ROW_ID, rows), rows, strict=True))
    by_number.update((row.membership_number, row.id) for row in rows if row.membership_number)
    for pid, first, last, preferred, postcode in map(_NAME_PARTS, rows):
        if last:
            key_last, key_postcode = folded[last], folded[postcode or ""]
            by_name[(folded[first] if first else "", key_last, key_postcode)].append(pid)
            if preferred and preferred != first:
                by_name[(folded[preferred], key_last, key_postcode)].append(pid)
    index.by_name = dict(by_name)

    by_email: defaultdict[str, list[int]] = defaultdict(list)
    emails: defaultdict[int, list[str]] = defaultdict(list)
    for pid, address in select_rows(session, select(EmailAddress.person_id, EmailAddress.address)):
        # Stored lower-case already; lower() again costs little and forgives old rows.
        address = address.lower()
        by_email[address].append(pid)
        emails[pid].append(address)
    index.by_email = dict(by_email)
    index.emails = dict(zip(emails, map(tuple, emails.values()), strict=True))
    del emails

    phones: defaultdict[int, list[str]] = defaultdict(list)
    for pid, number in select_rows(session, select(PhoneNumber.person_id, PhoneNumber.number)):
        # digits(), without its call for the usual "07700 900123".
        spaced = number.replace(" ", "")
        phones[pid].append(spaced if spaced.isdigit() and spaced.isascii() else digits(number))
    index.phones = dict(zip(phones, map(tuple, phones.values()), strict=True))

    index.locally_verified = {
        (pid, detail)
        for pid, detail in select_rows(
            session,
            select(DetailVerification.person_id, DetailVerification.detail)
            .where(DetailVerification.source != literal("national_list"))
            .distinct(),
        )
    }
    return index


_ID = Known._fields.index("id")
_ROW_ID = itemgetter(_ID)
_NAME_PARTS = itemgetter(
    *map(Known._fields.index, ("id", "first_name", "last_name", "preferred_name", "postcode"))
)


def _date_text(column: _ColumnExpressionArgument[Any]) -> ColumnElement[str]:
    # ISO text on every database: SQLite keeps it so, and no date is parsed per row.
    return cast(column, String)


_PEOPLE = select(
    Person.id,
    Person.title,
    Person.first_name,
    Person.middle_names,
    Person.last_name,
    Person.preferred_name,
    _date_text(Person.date_of_birth),
    Person.status,
    Person.membership_number,
    Person.membership_type,
    _date_text(Person.joined_on),
    _date_text(Person.lapsed_on),
    Person.household_id,
    Household.line1,
    Household.line2,
    Household.line3,
    Household.town,
    Household.postcode,
).outerjoin(Household, Household.id == Person.household_id)


def digits(number: str) -> str:
    """A phone number reduced to its digits, so "07700 900123" equals "07700-900123"."""
    # Most numbers are kept as "07700 900123": spaces are then all there is to take out.
    spaced = number.replace(" ", "")
    if spaced.isascii() and spaced.isdigit():
        return spaced
    return _NOT_DIGITS.sub("", number)


def fit_by_name(ids: list[int]) -> Match:
    """A row whose name and postcode fit two or more people (``ids``, sorted): asked about."""
    return Match(
        None,
        BY_NAME,
        tuple(ids),
        f"Its name and postcode fit {_people(ids)}; choose one or add a new person.",
    )


def _people(ids: list[int]) -> str:
    if len(ids) == 1:
        return f"person {ids[0]}"
    return f"{len(ids)} people (ids {', '.join(map(str, ids))})"
