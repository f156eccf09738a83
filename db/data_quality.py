"""Lists of people whose details need a look: no or a broken email address, phone number or
postcode, and details nobody has confirmed for a long time.

Each list is one or two whole-table reads, checked in Python by the importer's own
normalisers (so "invalid" means what the importer would reject), never a query a person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, func, literal, select
from sqlalchemy.orm import Session

from db.bulk import select_rows
from db.importing.normalise import normalise_email
from db.importing.phones import normalise_phone
from db.importing.postcodes import normalise_postcode
from db.models import DetailVerification, EmailAddress, Household, Person, PhoneNumber
from db.models.vocabulary import DETAIL_GROUPS

# Most stored values are plainly fine; these patterns accept only values the importer's
# normalisers accept unchanged (a strict subset), so the normalisers see only the rest.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_PLAIN_MOBILE = re.compile(r"07(?:[1-57-9]\d|624)\d \d{6}")


@dataclass(frozen=True)
class QualityIssue:
    """One person's one problem: ``value`` is what is stored (None when nothing is)."""

    person_id: int
    name: str
    detail: str  # email, phone, postcode, or a group of details: address, membership ...
    value: str | None
    problem: str


@dataclass(frozen=True)
class DataQuality:
    emails: list[QualityIssue]
    phones: list[QualityIssue]
    postcodes: list[QualityIssue]
    unverified: list[QualityIssue]

    def counts(self) -> dict[str, int]:
        return {
            "emails": len(self.emails),
            "phones": len(self.phones),
            "postcodes": len(self.postcodes),
            "unverified": len(self.unverified),
        }


def _names(session: Session) -> dict[int, tuple[str, str]]:
    """Everyone's name and sort key: one read serves every list."""
    rows = select_rows(
        session,
        select(Person.id, Person.first_name, Person.last_name, Person.sort_key),
    )
    return {pid: (f"{first} {last}".strip(), key) for pid, first, last, key in rows}


def _sorted(issues: list[QualityIssue], names: dict[int, tuple[str, str]]) -> list[QualityIssue]:
    return sorted(issues, key=lambda i: (names[i.person_id][1], i.person_id, i.detail))


def email_issues(
    session: Session, names: dict[int, tuple[str, str]] | None = None
) -> list[QualityIssue]:
    """People with no email address, or one the importer would not accept."""
    names = names if names is not None else _names(session)
    held: dict[int, list[str]] = defaultdict(list)
    for person_id, address in select_rows(
        session, select(EmailAddress.person_id, EmailAddress.address)
    ):
        held[person_id].append(address)
    issues: list[QualityIssue] = []
    for person_id, (name, _) in names.items():
        addresses = held.get(person_id)
        if not addresses:
            issues.append(QualityIssue(person_id, name, "email", None, "has no email address"))
            continue
        for address in addresses:
            problem = _email_problem(address)
            if problem is not None:
                issues.append(QualityIssue(person_id, name, "email", address, problem))
    return _sorted(issues, names)


def _email_problem(address: str) -> str | None:
    if _PLAIN_EMAIL.fullmatch(address):
        return None
    cleaned = normalise_email(address)
    return f"'{address}' {cleaned.problem}" if cleaned.rejected else None


def phone_issues(
    session: Session, names: dict[int, tuple[str, str]] | None = None
) -> list[QualityIssue]:
    """People with no phone number, or one the importer would not accept."""
    names = names if names is not None else _names(session)
    held: dict[int, list[str]] = defaultdict(list)
    for person_id, number in select_rows(
        session, select(PhoneNumber.person_id, PhoneNumber.number)
    ):
        held[person_id].append(number)
    issues: list[QualityIssue] = []
    for person_id, (name, _) in names.items():
        own = held.get(person_id)
        if not own:
            issues.append(QualityIssue(person_id, name, "phone", None, "has no phone number"))
            continue
        for number in own:
            problem = _phone_problem(number)
            if problem is not None:
                issues.append(QualityIssue(person_id, name, "phone", number, problem))
    return _sorted(issues, names)


def _phone_problem(number: str) -> str | None:
    if _PLAIN_MOBILE.fullmatch(number):
        return None
    cleaned = normalise_phone(number)
    return f"'{number}' {cleaned.problem}" if cleaned.rejected else None


def postcode_issues(
    session: Session, names: dict[int, tuple[str, str]] | None = None
) -> list[QualityIssue]:
    """People with no address, an address without a postcode, or a postcode that is not
    one (or not written as one: "ls11aa" is LS1 1AA)."""
    names = names if names is not None else _names(session)
    postcodes = dict(
        select_rows(
            session,
            select(Person.id, Household.postcode).join(
                Household, Household.id == Person.household_id
            ),
        )
    )
    issues: list[QualityIssue] = []
    for person_id, (name, _) in names.items():
        if person_id not in postcodes:
            issues.append(QualityIssue(person_id, name, "postcode", None, "has no address"))
            continue
        postcode = postcodes[person_id]
        problem = _postcode_problem(postcode)
        if problem is not None:
            shown = postcode if postcode is not None and postcode.strip() else None
            issues.append(QualityIssue(person_id, name, "postcode", shown, problem))
    return _sorted(issues, names)


def _postcode_problem(postcode: str | None) -> str | None:
    if postcode is None or not postcode.strip():
        return "has no postcode"
    cleaned = normalise_postcode(postcode)
    if cleaned.rejected:
        return f"'{postcode}' {cleaned.problem}"
    if cleaned.value != postcode:
        return f"'{postcode}' should be written {cleaned.value}"
    return None


def unverified_details(
    session: Session,
    *,
    months: int = 24,
    today: dt.date | None = None,
    groups: tuple[str, ...] = DETAIL_GROUPS,
    names: dict[int, tuple[str, str]] | None = None,
) -> list[QualityIssue]:
    """Details nobody has confirmed in ``months`` months, by group: the address of people
    with one, the email and phone of people with them, and the membership of people with
    a membership number. Never confirmed counts as unconfirmed.

    The database finds them: one index probe per person on (person, detail, verified_on),
    rather than reading every verification ever made into Python.
    """
    names = names if names is not None else _names(session)
    cutoff = _months_before(today or dt.date.today(), months)
    issues: list[QualityIssue] = []
    for group in groups:
        holders, verified, unconfirmed = _unconfirmed(group, cutoff)
        last = select(func.max(DetailVerification.verified_on)).where(*verified)
        rows = select_rows(session, select(holders.c.id, last.scalar_subquery()).where(unconfirmed))
        for person_id, day in rows:
            if person_id not in names:
                continue
            if isinstance(day, str):  # straight from SQLite's driver: the stored text
                day = dt.date.fromisoformat(day)
            problem = (
                f"{group} never confirmed"
                if day is None
                else f"{group} last confirmed on {day:%d/%m/%Y}"
            )
            shown = day.isoformat() if day is not None else None
            issues.append(QualityIssue(person_id, names[person_id][0], group, shown, problem))
    return _sorted(issues, names)


def _unconfirmed(group: str, cutoff: dt.date) -> tuple[Any, tuple[Any, Any], Any]:
    """The holders of ``group``'s details, what ties a verification to one of them, and the
    condition that none was made since ``cutoff``."""
    holders = _HOLDERS[group]()
    verified = DetailVerification.person_id == holders.c.id, DetailVerification.detail == group
    recent = select(DetailVerification.id).where(
        *verified, DetailVerification.verified_on >= literal(cutoff, Date)
    )
    return holders, verified, ~recent.exists()


def problem_people(
    session: Session, *, months: int = 24, today: dt.date | None = None
) -> dict[str, set[int]]:
    """Who is in each list — "emails", "phones", "postcodes", "unverified" — and in "any":
    the same checks as the lists, for counting, without building and sorting a line per
    problem (the dashboard's chart, 6 s at 100,000 people that way)."""
    everyone = {pid for (pid,) in select_rows(session, select(Person.id))}
    found: dict[str, set[int]] = {}
    with_email: set[int] = set()
    bad: set[int] = set()
    for pid, address in select_rows(session, select(EmailAddress.person_id, EmailAddress.address)):
        with_email.add(pid)
        if _email_problem(address) is not None:
            bad.add(pid)
    found["emails"] = (everyone - with_email) | bad
    with_phone: set[int] = set()
    bad = set()
    for pid, number in select_rows(session, select(PhoneNumber.person_id, PhoneNumber.number)):
        with_phone.add(pid)
        if _phone_problem(number) is not None:
            bad.add(pid)
    found["phones"] = (everyone - with_phone) | bad
    housed = select(Person.id, Household.postcode).join(
        Household, Household.id == Person.household_id
    )
    housed_ids: set[int] = set()
    bad = set()
    for pid, postcode in select_rows(session, housed):
        housed_ids.add(pid)
        if _postcode_problem(postcode) is not None:
            bad.add(pid)
    found["postcodes"] = (everyone - housed_ids) | bad
    cutoff = _months_before(today or dt.date.today(), months)
    unverified: set[int] = set()
    for group in DETAIL_GROUPS:
        holders, _verified, unconfirmed = _unconfirmed(group, cutoff)
        unverified.update(
            pid for (pid,) in select_rows(session, select(holders.c.id).where(unconfirmed))
        )
    found["unverified"] = unverified & everyone
    found["any"] = set().union(*found.values())
    return found


# Who each group of details can be confirmed for: nobody confirms an email they lack.
_HOLDERS = {
    "address": lambda: select(Person.id).where(Person.household_id.is_not(None)).subquery(),
    "email": lambda: select(EmailAddress.person_id.label("id")).distinct().subquery(),
    "phone": lambda: select(PhoneNumber.person_id.label("id")).distinct().subquery(),
    "membership": lambda: select(Person.id).where(Person.membership_number.is_not(None)).subquery(),
}


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last_day in (day.day, 30, 29, 28):  # 31 March less a month is 28 or 29 February
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def data_quality(
    session: Session, *, months: int = 24, today: dt.date | None = None
) -> DataQuality:
    """Every list at once, sharing one read of everyone's names."""
    names = _names(session)
    return DataQuality(
        emails=email_issues(session, names),
        phones=phone_issues(session, names),
        postcodes=postcode_issues(session, names),
        unverified=unverified_details(session, months=months, today=today, names=names),
    )
