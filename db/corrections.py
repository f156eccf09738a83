"""What the branch knows better than the national list: corrections to send back up.

Since the last national import, every national-list detail the branch changed by hand
(from the audit trail) or confirmed itself (a local ``DetailVerification``) is one row:
membership number, field, the list's value, the branch's value, and when and how it was
verified. Only people with a membership number are listed: the regional office knows no
one else. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.bulk import chunked
from db.models import (
    AuditEntry,
    DetailVerification,
    EmailAddress,
    Household,
    ImportBatch,
    Person,
    PhoneNumber,
)
from db.models.vocabulary import VERIFICATION_SOURCE_LABELS
from db.people import household_residents

__all__ = ["Correction", "Corrections", "list_corrections"]

# National-list fields, by table and column, with the words the office reads and the
# group of details a verification vouches for.
_PERSON_FIELDS = {
    "title": ("Title", "membership"),
    "first_name": ("First name", "membership"),
    "middle_names": ("Middle names", "membership"),
    "last_name": ("Last name", "membership"),
    "date_of_birth": ("Date of birth", "membership"),
    "membership_number": ("Membership number", "membership"),
    "membership_type": ("Membership type", "membership"),
    "status": ("Status", "membership"),
    "joined_on": ("Joined", "membership"),
}
_HOUSEHOLD_FIELDS = {
    "line1": ("Address line 1", "address"),
    "line2": ("Address line 2", "address"),
    "line3": ("Address line 3", "address"),
    "town": ("Town", "address"),
    "county": ("County", "address"),
    "postcode": ("Postcode", "address"),
}
_GROUP_LABELS = {
    "address": "Address",
    "email": "Email",
    "phone": "Phone",
    "membership": "Membership details",
}


@dataclass(frozen=True)
class Correction:
    person_id: int
    membership_number: str
    name: str
    field: str
    national_value: str | None  # what the list said (None: it had nothing)
    branch_value: str | None  # what the branch holds now (None: removed)
    changed_at: dt.datetime | None  # the branch's last edit of it, if it edited it
    changed_by: str | None
    verified_on: dt.date | None  # the branch's latest confirmation, if any
    how: str | None  # how it was confirmed ("In person", "Phone call"...)


@dataclass(frozen=True)
class Corrections:
    since: dt.datetime | None  # the last national import's end; None: all history
    rows: list[Correction]


def list_corrections(session: Session, since: dt.datetime | None = None) -> Corrections:
    """Corrections since ``since`` (default: the end of the last national-list import)."""
    if since is None:
        since = session.scalar(
            select(ImportBatch.finished_at)
            .where(ImportBatch.status == "committed", ImportBatch.supporters.is_(False))
            .order_by(ImportBatch.finished_at.desc())
            .limit(1)
        )
    edits = _edits(session, since)
    verified = _verifications(session, since)
    people = _people(session, {pid for pid, *_ in edits} | {pid for pid, _ in verified})
    rows: list[Correction] = []
    covered: set[tuple[int, str]] = set()
    for (pid, field, group, _), edit in sorted(edits.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        person = people.get(pid)
        if person is None or edit.first_old == edit.last_new:
            continue
        check = verified.get((pid, group))
        covered.add((pid, group))
        rows.append(
            Correction(
                pid,
                person["number"],
                person["name"],
                field,
                edit.first_old,
                edit.last_new,
                edit.at,
                edit.actor,
                check[0] if check else None,
                check[1] if check else None,
            )
        )
    current = _current(session, [pid for pid, group in verified if (pid, group) not in covered])
    for (pid, group), (verified_on, how) in sorted(verified.items()):
        person = people.get(pid)
        if person is None or (pid, group) in covered:
            continue
        value = current.get((pid, group))
        rows.append(
            Correction(
                pid,
                person["number"],
                person["name"],
                _GROUP_LABELS[group],
                value,
                value,
                None,
                None,
                verified_on,
                how,
            )
        )
    rows.sort(key=lambda c: (c.name.casefold(), c.membership_number, c.field))
    return Corrections(since, rows)


@dataclass
class _Edit:
    first_old: str | None
    last_new: str | None
    at: dt.datetime
    actor: str


def _edits(session: Session, since: dt.datetime | None) -> dict[tuple[int, str, str, int], _Edit]:
    """(person, field label, group, row) -> the first value before and the last after."""
    statement = (
        select(
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.table_name,
            AuditEntry.row_id,
            AuditEntry.person_id,
            AuditEntry.changes,
        )
        .where(
            AuditEntry.batch_id.is_(None),
            AuditEntry.action.in_(("insert", "update", "delete")),
            AuditEntry.table_name.in_(("person", "household", "email_address", "phone_number")),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    entries = list(session.execute(statement))
    households = household_residents(
        session, {row_id for _, _, _, table, row_id, *_ in entries if table == "household"}
    )
    moves = {
        hid
        for _, _, _, table, _, _, text in entries
        if table == "person" and text and "household_id" in text
        for hid in json.loads(text).get("household_id", ())
    }
    addresses = _addresses(session, moves)
    found: dict[tuple[int, str, str, int], _Edit] = {}
    for at, actor, action, table, row_id, person_id, text in entries:
        changes: dict[str, list[Any]] = json.loads(text or "{}")
        for pid, label, group, old, new in _fields(
            action, table, row_id, person_id, changes, households, addresses
        ):
            key = (pid, label, group, row_id or 0)
            edit = found.get(key)
            if edit is None:
                found[key] = _Edit(_text(old), _text(new), at, actor)
            else:
                found[key] = replace(edit, last_new=_text(new), at=at, actor=actor)
    return found


def _fields(
    action: str,
    table: str,
    row_id: int | None,
    person_id: int | None,
    changes: dict[str, list[Any]],
    households: dict[int, list[int]],
    addresses: dict[int, str],
) -> Iterator[tuple[int, str, str, Any, Any]]:
    if table == "person" and action == "update" and person_id is not None:
        for column, (old, new) in changes.items():
            if column in _PERSON_FIELDS:
                label, group = _PERSON_FIELDS[column]
                yield person_id, label, group, old, new
            elif column == "household_id":
                # Moved to another household: the addresses, not the ids, go to the office.
                yield person_id, "Address", "address", addresses.get(old), addresses.get(new)
    elif table == "household" and action == "update" and row_id is not None:
        for column, (old, new) in changes.items():
            if column in _HOUSEHOLD_FIELDS:
                label, group = _HOUSEHOLD_FIELDS[column]
                for pid in households.get(row_id, ()):
                    yield pid, label, group, old, new
    elif table in ("email_address", "phone_number") and person_id is not None:
        column = "address" if table == "email_address" else "number"
        label, group = ("Email", "email") if table == "email_address" else ("Phone", "phone")
        if column in changes:
            old, new = changes[column]
            yield person_id, label, group, old, new


def _verifications(
    session: Session, since: dt.datetime | None
) -> dict[tuple[int, str], tuple[dt.date, str]]:
    """(person, detail group) -> the latest local confirmation: (date, how)."""
    statement = (
        select(
            DetailVerification.person_id,
            DetailVerification.detail,
            DetailVerification.verified_on,
            DetailVerification.source,
            DetailVerification.note,
        )
        .where(DetailVerification.source != "national_list")
        .order_by(DetailVerification.verified_on, DetailVerification.id)
    )
    if since is not None:
        statement = statement.where(DetailVerification.verified_on >= since.date())
    found: dict[tuple[int, str], tuple[dt.date, str]] = {}
    for pid, detail, verified_on, source, note in session.execute(statement):
        how = VERIFICATION_SOURCE_LABELS.get(source, source)
        found[(pid, detail)] = (verified_on, f"{how}: {note}" if note else how)
    return found


def _people(session: Session, ids: set[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    ordered = sorted(ids)
    for chunk in chunked(ordered):
        for pid, number, first, last in session.execute(
            select(Person.id, Person.membership_number, Person.first_name, Person.last_name).where(
                Person.id.in_(chunk), Person.membership_number.is_not(None)
            )
        ):
            found[pid] = {"number": number or "", "name": f"{first} {last}".strip()}
    return found


def _addresses(session: Session, ids: set[Any]) -> dict[int, str]:
    wanted = sorted(i for i in ids if isinstance(i, int))
    found: dict[int, str] = {}
    for chunk in chunked(wanted):
        for hid, l1, l2, l3, town, postcode in session.execute(
            select(
                Household.id,
                Household.line1,
                Household.line2,
                Household.line3,
                Household.town,
                Household.postcode,
            ).where(Household.id.in_(chunk))
        ):
            found[hid] = ", ".join(p for p in (l1, l2, l3, town, postcode) if p)
    return found


def _current(session: Session, ids: list[int]) -> dict[tuple[int, str], str | None]:
    """Each person's details as the branch holds them now, one line per group."""
    found: dict[tuple[int, str], str | None] = {}
    for chunk in chunked(ids):
        homes: dict[int, int | None] = {}
        for pid, number, status, kind, hid in session.execute(
            select(
                Person.id,
                Person.membership_number,
                Person.status,
                Person.membership_type,
                Person.household_id,
            ).where(Person.id.in_(chunk))
        ):
            homes[pid] = hid
            found[(pid, "membership")] = ", ".join(p for p in (number, status, kind) if p)
        addresses = _addresses(session, set(homes.values()))
        for pid, hid in homes.items():
            found[(pid, "address")] = (addresses.get(hid) if hid is not None else None) or None
        for model, column, group in (
            (EmailAddress, EmailAddress.address, "email"),
            (PhoneNumber, PhoneNumber.number, "phone"),
        ):
            values: dict[int, list[str]] = {}
            for pid, value in session.execute(
                select(model.person_id, column).where(model.person_id.in_(chunk)).order_by(model.id)
            ):
                values.setdefault(pid, []).append(value)
            for pid, listed in values.items():
                found[(pid, group)] = ", ".join(listed)
    return found


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)
