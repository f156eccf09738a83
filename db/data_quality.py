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
            if _PLAIN_EMAIL.fullmatch(address):
                continue
            cleaned = normalise_email(address)
            if cleaned.rejected:
                issues.append(
                    QualityIssue(
                        person_id, name, "email", address, f"'{address}' {cleaned.problem}"
                    )
                )
    return _sorted(issues, names)


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
            if _PLAIN_MOBILE.fullmatch(number):
                continue
            cleaned = normalise_phone(number)
            if cleaned.rejected:
                issues.append(
                    QualityIssue(person_id, name, "phone", number, f"'{number}' {cleaned.problem}")
                )
    return _sorted(issues, names)


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
        if postcode is None or not postcode.strip():
            issues.append(QualityIssue(person_id, name, "postcode", None, "has no postcode"))
            continue
        cleaned = normalise_postcode(postcode)
        if cleaned.rejected:
            problem = f"'{postcode}' {cleaned.problem}"
        elif cleaned.value != postcode:
            problem = f"'{postcode}' should be written {cleaned.value}"
        else:
            continue
        issues.append(QualityIssue(person_id, name, "postcode", postcode, problem))
    return _sorted(issues, names)


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
        holders = _HOLDERS[group]()
        verified = DetailVerification.person_id == holders.c.id, DetailVerification.detail == group
        recent = select(DetailVerification.id).where(
            *verified, DetailVerification.verified_on >= literal(cutoff, Date)
        )
        last = select(func.max(DetailVerification.verified_on)).where(*verified)
        rows = select_rows(
            session,
            select(holders.c.id, last.scalar_subquery()).where(~recent.exists()),
        )
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
