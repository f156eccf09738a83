"""People and files for the importer's tests: a person added as a secretary would, a csv
written as a national office would send it."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from db.models import EmailAddress, Household, Person, PhoneNumber


def write_csv(path: Path, header: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    """``rows`` (header -> cell; missing cells empty) under ``header``, as UTF-8 csv."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def add(
    session: Session,
    first: str,
    last: str,
    *,
    number: str | None = None,
    line1: str = "1 High Street",
    town: str | None = "Leeds",
    postcode: str | None = "LS1 1AA",
    email: str | None = None,
    mobile: str | None = None,
    status: str = "member",
    preferred: str | None = None,
    notes: str | None = None,
) -> int:
    person = Person(
        first_name=first,
        last_name=last,
        membership_number=number,
        status=status,
        preferred_name=preferred,
        notes=notes,
        household=Household(line1=line1, town=town, postcode=postcode),
    )
    if email:
        person.emails.append(EmailAddress(address=email, is_primary=True))
    if mobile:
        person.phones.append(PhoneNumber(number=mobile, is_primary=True))
    session.add(person)
    session.flush()
    return person.id
