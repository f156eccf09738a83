"""A segment's people as an Excel workbook: the people list's columns, with how to reach them.

Contact preferences are kept to: an email address or phone number is left blank for someone
who said no to that channel, and the "Said no to" column names every channel refused (a
refused post still shows the address, which places the person, but says so).

One sheet named for the segment, alphabetical like the list, a bold frozen header with a
filter on every column, dates as real date cells (Excel sorts and filters them as dates).
The people are chosen in SQL by ``db.segments``; this module only lays them out, and
``reports.xlsx_table.table_steps`` writes them: quickly (60,000 people in a few seconds) and
step by step, so the segments window shows its progress and can stop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.export_log import record_export
from db.models import (
    ContactPreference,
    Household,
    Person,
    PhoneNumber,
    PollingDistrict,
    Ward,
)
from db.models.vocabulary import CHANNEL_LABELS, PERSON_STATUS_LABELS
from db.people import primary_email
from db.segments import Definition, segment_condition
from reports.xlsx_table import Column, run_steps, table_steps

__all__ = ["COLUMNS", "Progress", "export_segment", "export_steps"]

Progress = Callable[[int, int, str], None]  # (done, total, label)

COLUMNS: tuple[Column, ...] = (
    ("Last name", 18),
    ("First name", 15),
    ("Known as", 12),
    ("Status", 14),
    ("Membership number", 19),
    ("Membership type", 16),
    ("Ward", 18),
    ("Polling district", 15),
    ("Postcode", 10),
    ("Email", 32),
    ("Phone", 15),
    ("Address", 40),
    ("Joined", 11),
    ("Lapsed", 11),
    ("Said no to", 14),
)


def export_segment(
    session: Session,
    segment: Definition,
    path: Path,
    *,
    today: dt.date | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the people in ``segment`` (a name or rules) to the workbook at ``path``; how
    many. ``export_steps`` run to the end, for a caller without a window: ``progress`` is
    told each step, and ``cancelled()`` turning true stops the export (``Cancelled``)."""
    steps = export_steps(session, segment, path, today=today, title=title)
    return run_steps(steps, progress=progress, cancelled=cancelled)


def export_steps(
    session: Session,
    segment: Definition,
    path: Path,
    *,
    today: dt.date | None = None,
    title: str | None = None,
) -> Generator[tuple[int, int, str], None, int]:
    """The export as (done, total, label) steps; returns how many people it wrote. Saved
    beside ``path`` and moved over it at the end, so a failure, or stopping the steps,
    leaves any earlier file as it was."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path.name} must end in .xlsx: Branchbook exports Excel workbooks.")
    yield 0, 0, "Finding the people…"
    condition = segment_condition(session, segment, today)
    # Through the connection: plain rows, without the ORM's per-row work (a second per 60,000).
    query = _people_select().where(condition)
    refused: dict[int, list[str]] = {}
    for pid, channel in session.connection().execute(
        select(ContactPreference.person_id, ContactPreference.channel)
        .join(Person, Person.id == ContactPreference.person_id)
        .where(condition, ContactPreference.allowed.is_(False))
        .order_by(ContactPreference.person_id, ContactPreference.channel)
    ):
        refused.setdefault(pid, []).append(channel)
    rows = [_row(values, refused) for values in session.connection().execute(query)]
    name = title or (segment if isinstance(segment, str) else "Segment")
    yield from table_steps(path, _sheet_title(name), COLUMNS, rows, label=_writing)
    record_export(session, "segment export", path, len(rows), segment=name)
    return len(rows)


def _writing(done: int, total: int) -> str:
    return f"Writing {done:,} of {total:,} {'person' if total == 1 else 'people'}…"


def _people_select() -> Select[*tuple[Any, ...]]:
    email = primary_email()
    phone = (
        select(PhoneNumber.number)
        .where(PhoneNumber.person_id == Person.id)
        .order_by(PhoneNumber.is_primary.desc(), PhoneNumber.id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            Person.id,
            Person.last_name,
            Person.first_name,
            Person.preferred_name,
            Person.status,
            Person.membership_number,
            Person.membership_type,
            Ward.name,
            PollingDistrict.code,
            Household.postcode,
            email,
            phone,
            Household.line1,
            Household.line2,
            Household.line3,
            Household.town,
            Household.county,
            Person.joined_on,
            Person.lapsed_on,
        )
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(Ward, Ward.id == Household.ward_id)
        .outerjoin(PollingDistrict, PollingDistrict.id == Household.polling_district_id)
        .order_by(Person.sort_key, Person.id)
    )


def _row(values: tuple[Any, ...], refused: dict[int, list[str]]) -> list[object]:
    pid = values[0]
    last, first, known, status, number, kind, ward, district, postcode, email, phone = values[1:12]
    address = ", ".join(str(part) for part in values[12:17] if part)
    joined, lapsed = values[17:19]
    said_no = refused.get(pid, [])
    if "email" in said_no:
        email = None
    if "phone" in said_no:
        phone = None
    shown_status = PERSON_STATUS_LABELS.get(str(status), str(status))
    return [
        last,
        first,
        known,
        shown_status,
        number,
        kind,
        ward,
        district,
        postcode,
        email,
        phone,
        address,
        joined,
        lapsed,
        ", ".join(CHANNEL_LABELS[channel] for channel in said_no) or None,
    ]


def _sheet_title(name: str) -> str:
    # Excel refuses these characters in a sheet's name.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in name).strip()
    return cleaned[:31] or "Segment"
