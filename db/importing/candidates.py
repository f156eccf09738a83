"""From a table and its column mapping to clean candidate people, each problem with a reason.

Nothing here touches the database: this is everything the importer can know from the file
alone. Matching the candidates to people already known, and merging, come after.

The work goes column by column, not row by row: each column's cells are cleaned in one loop
(identical cells, such as the same town or "Member" 100,000 times, are cleaned once), and
the people are put together from the cleaned columns at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from db.importing.candidate_columns import (
    DAY_FIRST,
    GUESSED,
    MIXED,
    MONTH_FIRST,
    NO_TEXT_DATES,
    Problem,
    ProblemCollector,
    clean_column,
    date_notes,
    date_order,
    membership_numbers,
)
from db.importing.candidate_values import (
    MAX_LENGTHS,
    Quick,
    address_cleaner,
    clean_status,
    date_cleaner,
    name_cleaner,
    plain_email,
    quick_address,
    quick_date,
    quick_email,
    quick_name,
    quick_text,
    split_full_name,
    text_cleaner,
)
from db.importing.cleaned import Cleaned
from db.importing.columns import ColumnMapping, recognise
from db.importing.gc_pause import paused_gc
from db.importing.header_names import CONSENT_FIELDS
from db.importing.normalise import (
    clean_name,
    clean_text,
    normalise_phone,
    normalise_postcode,
    parse_consent,
)
from db.importing.phones import plain_phone
from db.importing.postcodes import plain_postcode
from db.importing.table import Table
from db.importing.workbook import Cell

__all__ = ["NO_IDENTITY", "Candidate", "CandidateSet", "Problem", "clean_table"]

T = TypeVar("T")


# Not frozen: a frozen dataclass sets each of its 24 fields through object.__setattr__,
# 0.6 s of a 100,000-row import; nothing changes a candidate once made (the planner's
# merges use dataclasses.replace), and its dicts made it unhashable anyway.
@dataclass(slots=True)
class Candidate:
    """One person as the file describes them, every value cleaned (None: empty or rejected).
    Treated as immutable: make a changed copy with ``dataclasses.replace``."""

    row: int  # 1-based sheet row
    membership_number: str | None = None
    title: str | None = None
    first_name: str | None = None
    middle_names: str | None = None
    last_name: str | None = None
    preferred_name: str | None = None
    address_lines: tuple[str, ...] = ()
    town: str | None = None
    county: str | None = None
    postcode: str | None = None
    ward: str | None = None
    polling_district: str | None = None
    emails: tuple[str, ...] = ()
    mobile: str | None = None
    phone: str | None = None
    date_of_birth: dt.date | None = None
    joined_on: dt.date | None = None
    lapsed_on: dt.date | None = None
    status: str | None = None  # one of PERSON_STATUSES, or None
    membership_type: str | None = None
    notes: str | None = None
    consents: dict[str, bool] = field(default_factory=dict)  # channel -> allowed, if stated
    custom: dict[str, str] = field(default_factory=dict)  # header -> text, unmapped columns


@dataclass(frozen=True)
class CandidateSet:
    candidates: list[Candidate]
    problems: list[Problem]  # in row order, then column order
    # Rows of the sheet that are no candidate, with why: the table's (blank, totals, title
    # rows) and rows that name nobody. With ``candidates`` they account for every row.
    skipped_rows: list[tuple[int, str]]
    mapping: ColumnMapping
    # How text dates such as 03/02/2024 were read: True day-first, False month-first, None
    # when the date columns disagree or one holds both orders (its ambiguous dates rejected).
    day_first: bool | None
    date1904: bool
    notes: list[str] = field(default_factory=list)  # file-level remarks, one sentence each


NO_IDENTITY = "has no name, email address or membership number"

# Each field's cleaner, and what it gives the plainest cells without a Cleaned (or None).
_SIMPLE_FIELDS: dict[str, tuple[Callable[[object], Cleaned[Any]], Quick | None]] = {
    "title": (name_cleaner("title"), quick_name("title")),
    "first_name": (name_cleaner("first_name"), quick_name("first_name")),
    "middle_names": (name_cleaner("middle_names"), quick_name("middle_names")),
    "last_name": (name_cleaner("last_name"), quick_name("last_name")),
    "preferred_name": (name_cleaner("preferred_name"), quick_name("preferred_name")),
    "town": (text_cleaner("town"), quick_text("town")),
    "county": (text_cleaner("county"), quick_text("county")),
    "postcode": (normalise_postcode, plain_postcode),
    "ward": (text_cleaner("ward"), quick_text("ward")),
    "polling_district": (text_cleaner("polling_district"), quick_text("polling_district")),
    "mobile": (normalise_phone, plain_phone),
    "phone": (normalise_phone, plain_phone),
    "status": (clean_status, None),  # a handful of distinct values
    "membership_type": (text_cleaner("membership_type"), quick_text("membership_type")),
    "notes": (lambda value: clean_text(value, multiline=True), quick_text(None)),
    "full_name": (
        lambda value: clean_name(value, recase_capitals=True, max_length=MAX_LENGTHS["first_name"]),
        quick_name("first_name"),
    ),
}
_ADDRESS_FIELDS = ("address_line1", "address_line2", "address_line3")
_DATE_FIELDS = ("date_of_birth", "joined_on", "lapsed_on")
# Mapped fields a Candidate has no place for: kept with the custom fields, by header.
_KEPT_AS_CUSTOM = frozenset({"branch"})


def clean_table(
    table: Table,
    mapping: ColumnMapping | None = None,
    *,
    date1904: bool | None = None,
    today: dt.date | None = None,
) -> CandidateSet:
    """Every data row of ``table`` as a candidate person, or skipped with the reason.

    ``mapping`` defaults to the one ``recognise`` makes from the headers; ``date1904`` overrides the
    date system the table carries from its workbook. Never raises on what the cells hold.
    """
    if mapping is None:
        mapping = recognise(table.headers)
    if len(mapping.fields) != len(table.headers):
        raise ValueError("the column mapping was made for a table with other columns")
    today = today or dt.date.today()
    with paused_gc():
        return _clean(table, mapping, table.date1904 if date1904 is None else date1904, today)


def _clean(table: Table, mapping: ColumnMapping, date1904: bool, today: dt.date) -> CandidateSet:
    problems = ProblemCollector(table)
    mapped = mapping.mapped()
    columns: dict[str, list[Any]] = {}

    # The table turned round once, in C: each column's cells as one tuple.
    cells: list[tuple[Cell, ...]] = (
        list(zip(*table.rows, strict=True)) if table.rows else [()] * len(table.headers)
    )

    def clean(
        column: int,
        cleaner: Callable[[object], Cleaned[T]],
        quick: Callable[[object], T | None] | None = None,
    ) -> list[T | None]:
        return clean_column(cells[column], column, cleaner, problems, quick)

    for name, (cleaner, quick) in _SIMPLE_FIELDS.items():
        if name in mapped:
            columns[name] = clean(mapped[name], cleaner, quick)
    if "membership_number" in mapped:
        columns["membership_number"] = membership_numbers(
            cells[mapped["membership_number"]], mapped["membership_number"], problems
        )

    # Each date column's order from its own dates; a column that cannot tell borrows the
    # order the file's other date columns agree on, and only then is day-first assumed.
    found = {name: date_order(cells[mapped[name]]) for name in _DATE_FIELDS if name in mapped}
    clear = {order for order in found.values() if order in (DAY_FIRST, MONTH_FIRST)}
    borrowed = clear.pop() == DAY_FIRST if len(clear) == 1 else None
    orders: list[bool | None] = []
    guessed: list[str] = []
    mixed: list[str] = []
    for name, order in found.items():
        column = mapped[name]
        day_first: bool | None
        if order == MIXED:
            mixed.append(problems.label(column))
            day_first = None
        elif order in (DAY_FIRST, MONTH_FIRST):
            day_first = order == DAY_FIRST
        elif borrowed is not None:
            day_first = borrowed
        else:
            day_first = True
            if order == GUESSED:
                guessed.append(problems.label(column))
        if order != NO_TEXT_DATES:
            orders.append(day_first)
        columns[name] = clean(
            column,
            date_cleaner(name, date1904=date1904, day_first=day_first, today=today),
            quick_date(name, today=today),
        )

    addresses = [
        clean(mapped[name], address_cleaner, quick_address)
        for name in _ADDRESS_FIELDS
        if name in mapped
    ]
    # "Email 2", "Work Email": further email columns that recognise() passed over.
    email_columns = sorted(
        ([mapped["email"]] if "email" in mapped else [])
        + [rival.column for rival in mapping.passed_over if rival.field == "email"]
    )
    emails = [clean(column, quick_email, plain_email) for column in email_columns]
    consents = [
        (channel, clean(mapped[name], parse_consent))
        for channel, name in CONSENT_FIELDS.items()
        if name in mapped
    ]
    custom_columns = {c for c in mapping.kept_columns() if c not in email_columns}
    custom_columns.update(mapped[name] for name in _KEPT_AS_CUSTOM if name in mapped)
    custom = [
        (table.headers[c], clean(c, _custom_text, _plain_custom)) for c in sorted(custom_columns)
    ]

    candidates, unnamed = _assemble(
        table, mapping, columns, addresses, emails, consents, custom, problems
    )
    return CandidateSet(
        candidates=candidates,
        problems=problems.sorted(),
        skipped_rows=sorted([*table.skipped, *unnamed]),
        mapping=mapping,
        day_first=None if mixed or len(set(orders)) > 1 else (orders or [True])[0],
        date1904=date1904,
        notes=date_notes(table, guessed, mixed),
    )


def _custom_text(value: object) -> Cleaned[str]:
    return clean_text(value, multiline=True)


_plain_custom = quick_text(None)


def _assemble(
    table: Table,
    mapping: ColumnMapping,
    columns: dict[str, list[Any]],
    addresses: list[list[str | None]],
    emails: list[list[str | None]],
    consents: list[tuple[str, list[bool | None]]],
    custom: list[tuple[str, list[str | None]]],
    problems: ProblemCollector,
) -> tuple[list[Candidate], list[tuple[int, str]]]:
    """The candidates from the cleaned columns; rows that name nobody are skipped."""
    count = len(table.rows)
    nothing: list[Any] = [None] * count
    full_column = mapping.column_of("full_name")
    names = ("membership_number", "title", "first_name", "middle_names", "last_name")
    number_, title_, first_, middle_, last_ = (columns.get(name, nothing) for name in names)
    fulls, preferreds = columns.get("full_name", nothing), columns.get("preferred_name", nothing)
    others = [
        columns.get(name, nothing)
        for name in (
            "town", "county", "postcode", "ward", "polling_district", "mobile", "phone",
            "date_of_birth", "joined_on", "lapsed_on", "status", "membership_type", "notes",
        )
    ]  # fmt: skip
    email_tuples = _combined(emails, count, addresses=False)
    address_tuples = _combined(addresses, count, addresses=True)
    candidates: list[Candidate] = []
    skipped: list[tuple[int, str]] = []
    # One pass down all the columns at once: per row, only tuple unpacking and the Candidate.
    for index, (
        row, number, title, first, middle, last, full, preferred, found_emails, lines,
        town, county, postcode, ward, district, mobile, phone,
        born, joined, lapsed, status, membership_type, notes,
    ) in enumerate(
        zip(
            table.row_numbers, number_, title_, first_, middle_, last_, fulls, preferreds,
            email_tuples, address_tuples, *others, strict=True,
        )
    ):  # fmt: skip
        if full is not None and first is None and last is None:
            split = split_full_name(full)
            title = title or split.title
            first, last = split.first, split.last
            if split.problem is not None and full_column is not None:
                problems.add(index, full_column, full, split.problem, False)
        if not (first or last or preferred or number or found_emails):
            skipped.append((row, NO_IDENTITY))
            continue
        candidates.append(
            Candidate(
                row,
                number,
                title,
                first,
                middle,
                last,
                preferred,
                lines,
                town,
                county,
                postcode,
                ward,
                district,
                found_emails,
                mobile,
                phone,
                born,
                joined,
                lapsed,
                status,
                membership_type,
                notes,
                # A comprehension costs a call even over nothing: most lists have neither.
                {ch: ok for ch, column in consents if (ok := column[index]) is not None}
                if consents
                else {},
                {h: text for h, column in custom if (text := column[index]) is not None}
                if custom
                else {},
            )
        )
    return candidates, skipped


def _combined(
    columns: list[list[str | None]], count: int, *, addresses: bool
) -> list[tuple[str, ...]]:
    """Per row, the non-empty values of several columns in order: for addresses one entry
    per line (a cell can hold several), for emails each address once."""
    if not columns:
        return [()] * count
    if addresses and any("\n" in value for column in columns for value in column if value):
        return [
            tuple(line for value in values if value for line in value.split("\n") if line)
            for values in zip(*columns, strict=True)
        ]
    if len(columns) == 1:
        return [(value,) if value else () for value in columns[0]]
    if addresses:
        return [tuple(filter(None, values)) for values in zip(*columns, strict=True)]
    return [tuple(dict.fromkeys(filter(None, values))) for values in zip(*columns, strict=True)]
