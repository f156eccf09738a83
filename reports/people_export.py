"""Everyone in the database as an Excel workbook that the importer reads back unchanged.

The columns carry the headers the importer recognises (``db.importing.header_names``) and
the values in the form it cleans them to: membership numbers as text, so "0805914" keeps
its zero; dates as real date cells; statuses as the words ``clean_status`` reads back. The
round trip is tested in tests/reports/test_people_export.py.

openpyxl lays out the workbook (styles, column widths, the bold and frozen header row, the
filter), but the people's rows are written here as SpreadsheetML text: openpyxl's
write-only mode builds and serialises an element per cell, about 20 us each with lxml or
without (measured), which for 100,000 people is over 30 seconds; the text costs about a
microsecond a cell, so the whole export takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from db.bulk import select_rows
from db.errors import Cancelled, UserError
from db.export_log import record_export
from db.models import (
    ContactPreference,
    EmailAddress,
    Household,
    Person,
    PhoneNumber,
    PollingDistrict,
    Ward,
)
from db.models.vocabulary import PERSON_STATUS_LABELS
from reports.cell_safety import FORMULA_STARTS, formula_like
from reports.xlsx_table import write_atomically

__all__ = ["COLUMNS", "Column", "export_people"]

Progress = Callable[[int, int], None]  # (people written, people in all)

TEXT = "text"
CODE = "code"  # text that looks like a number and must stay text: membership numbers
DATE = "date"


@dataclass(frozen=True)
class Column:
    header: str  # as db.importing.header_names knows it
    width: float  # in characters, as Excel counts them
    kind: str = TEXT


COLUMNS = (
    Column("Membership Number", 19, CODE),
    Column("Title", 7),
    Column("First Name", 15),
    # Not needed to match anyone, but without them a copy imported into a new database
    # would lose middle names, counties and lapse dates.
    Column("Middle Names", 15),
    Column("Last Name", 17),
    Column("Known As", 12),
    Column("Address Line 1", 28),
    Column("Address Line 2", 20),
    Column("Address Line 3", 16),
    Column("Town", 14),
    Column("County", 14),
    Column("Postcode", 10),
    Column("Ward", 18),
    Column("Polling District", 15),
    Column("Email", 34),
    Column("Mobile", 14),
    Column("Phone", 14),
    Column("Date of Birth", 13, DATE),
    Column("Joined", 11, DATE),
    Column("Lapsed", 11, DATE),
    Column("Status", 14),
    Column("Membership Type", 17),
    # Whether each channel may be used, so a list made from this file for a mailing can
    # leave out whoever said no; empty when nobody asked.
    Column("Post OK", 8),
    Column("Email OK", 9),
    Column("Phone OK", 9),
    Column("SMS OK", 8),
)
_CONSENT_ORDER = ("post", "email", "phone", "sms")

DATE_FORMAT = "dd/mm/yyyy"
SHEET_TITLE = "People"
_CHECK_EVERY = 2000  # rows between looks at the Cancel button
_FLUSH_EVERY = 1000  # rows gathered before they go to the compressor in one write


def export_people(
    session: Session,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write everyone to the workbook at ``path``; return how many people it holds.

    The workbook is written beside ``path`` under another name and moved over it only when
    complete, so a Cancel (``Cancelled``) or a failure leaves any earlier file as it was.
    Raises ``UserError`` when the file cannot be written (open in Excel, no such folder).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path.name} must end in .xlsx: Branchbook exports Excel workbooks.")
    _check(cancelled)
    rows = _people(session)
    _check(cancelled)
    write_atomically(path, lambda target: _write_workbook(target, rows, progress, cancelled))
    record_export(session, "people export", path, len(rows))
    if progress is not None:
        progress(len(rows), len(rows))
    return len(rows)


# --- Reading ----------------------------------------------------------------------------

Row = tuple[str | None, ...]


def _people(session: Session) -> list[Row]:
    """Everyone as the sheet's rows, in ``COLUMNS`` order and alphabetical order, from three
    SELECTs whatever the size. Dates stay ISO text until they are written."""
    emails = _first_of(
        select_rows(
            session,
            select(EmailAddress.person_id, EmailAddress.address).order_by(
                EmailAddress.is_primary.desc(), EmailAddress.id
            ),
        )
    )
    phones = select_rows(
        session,
        select(PhoneNumber.person_id, PhoneNumber.number, PhoneNumber.kind).order_by(
            PhoneNumber.is_primary.desc(), PhoneNumber.id
        ),
    )
    # The Mobile column is what the importer stores as a mobile; any other kind (home,
    # work, other) goes under Phone. Either way it compares digits, so nothing is added.
    mobiles = _first_of([(pid, number) for pid, number, kind in phones if kind == "mobile"])
    landlines = _first_of([(pid, number) for pid, number, kind in phones if kind != "mobile"])
    consents: dict[int, dict[str, str]] = {}
    for pid, channel, allowed in select_rows(
        session,
        select(ContactPreference.person_id, ContactPreference.channel, ContactPreference.allowed),
    ):
        consents.setdefault(pid, {})[channel] = "Yes" if allowed else "No"

    people = select_rows(
        session,
        select(
            Person.id,
            Person.membership_number,
            Person.title,
            Person.first_name,
            Person.middle_names,
            Person.last_name,
            Person.preferred_name,
            Household.line1,
            Household.line2,
            Household.line3,
            Household.town,
            Household.county,
            Household.postcode,
            Ward.name,
            # Its code, not its name: the importer finds a district by either, and codes
            # ("HA1") are what national lists and canvassing sheets print.
            PollingDistrict.code,
            # ISO text on every database, as db.importing.matching reads dates.
            cast(Person.date_of_birth, String),
            cast(Person.joined_on, String),
            cast(Person.lapsed_on, String),
            Person.status,
            Person.membership_type,
        )
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(Ward, Ward.id == Household.ward_id)
        .outerjoin(PollingDistrict, PollingDistrict.id == Household.polling_district_id)
        .order_by(Person.sort_key, Person.id),
    )
    rows: list[Row] = []
    for (
        pid, number, title, first, middle, last, known_as,
        line1, line2, line3, town, county, postcode, ward, district,
        born, joined, lapsed, status, membership_type,
    ) in people:  # fmt: skip
        rows.append(
            (
                number, title, first, middle, last, known_as,
                line1, line2, line3, town, county, postcode, ward, district,
                emails.get(pid), mobiles.get(pid), landlines.get(pid),
                born, joined, lapsed,
                PERSON_STATUS_LABELS.get(status, status), membership_type,
                *(consents.get(pid, {}).get(channel) for channel in _CONSENT_ORDER),
            )
        )  # fmt: skip
    return rows


def _first_of(pairs: Sequence[tuple[int, str]]) -> dict[int, str]:
    """Each person's first value from (person id, value) pairs in order of preference."""
    # Built backwards, so the preferred value is the last written for each person; in C.
    return dict(reversed(pairs))


# --- Writing ----------------------------------------------------------------------------


def _write_workbook(
    target: Path, rows: list[Row], progress: Progress | None, cancelled: Callable[[], bool] | None
) -> None:
    frame, sheet_part, styles = _frame(len(rows))
    with (
        zipfile.ZipFile(io.BytesIO(frame)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
    ):
        for info in source.infolist():
            if info.filename != sheet_part:
                package.writestr(info, source.read(info))
                continue
            head, tail = _split_sheet(source.read(info).decode("utf-8"))
            # No force_zip64: some Excel versions call zip64 workbooks damaged, and the
            # sheet stays far below the 2 GB that needs it (100,000 people: 110 MB).
            with package.open(sheet_part, "w") as stream:
                stream.write(head.encode("utf-8"))
                for chunk in _sheet_rows(rows, styles, progress, cancelled):
                    stream.write(chunk.encode("utf-8"))
                stream.write(tail.encode("utf-8"))


@dataclass(frozen=True)
class _Styles:
    date: int  # style ids in the workbook's styles.xml, as openpyxl registered them
    code: int
    quoted: int  # text that starts like a formula (reports.cell_safety)
    quoted_code: int


def _frame(count: int) -> tuple[bytes, str, _Styles]:
    """The workbook without its people: header row, widths, frozen pane, filter and the
    styles the rows use, as openpyxl writes them. Returns the package, the name of the
    sheet's part in it, and the style ids."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    date = WriteOnlyCell(sheet)
    date.number_format = DATE_FORMAT
    # "@": a number typed over one in Excel stays text, leading zeros and all.
    code = WriteOnlyCell(sheet)
    code.number_format = "@"
    quoted, quoted_code = WriteOnlyCell(sheet), WriteOnlyCell(sheet)
    quoted.quotePrefix = True
    quoted_code.number_format = "@"
    quoted_code.quotePrefix = True
    styles = _Styles(
        date=date.style_id,
        code=code.style_id,
        quoted=quoted.style_id,
        quoted_code=quoted_code.style_id,
    )
    bold = Font(name="Calibri", size=11, bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), sheet.path.lstrip("/"), styles


def _split_sheet(xml: str) -> tuple[str, str]:
    """The sheet's XML before and after the place the people's rows go."""
    end = "</sheetData>"
    if xml.count(end) != 1:
        raise RuntimeError(f"openpyxl wrote a sheet without one {end}: {xml[:200]!r}")
    head, tail = xml.split(end)
    return head, end + tail


def _sheet_rows(
    rows: list[Row],
    styles: _Styles,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[str]:
    """The people's ``<row>`` elements, a chunk at a time, from sheet row 2."""
    letters = [get_column_letter(index) for index in range(1, len(COLUMNS) + 1)]
    kinds = [column.kind for column in COLUMNS]
    total = len(rows)
    chunk: list[str] = []
    append = chunk.append
    for done, row in enumerate(rows):
        if done % _CHECK_EVERY == 0:
            _check(cancelled)
            if progress is not None:
                progress(done, total)
        number = done + 2
        append(f'<row r="{number}">')
        # One look at the whole row: most rows need no escaping at all.
        plain = _SPECIAL.search("\n".join(filter(None, row))) is None
        for letter, kind, value in zip(letters, kinds, row, strict=True):
            if not value:
                continue
            if kind == DATE:
                append(_date_cell(f"{letter}{number}", value, styles.date))
                continue
            text = value if plain else _escaped(value)
            if value[0] in _FORMULA_FIRST and formula_like(value):
                style = f' s="{styles.quoted_code if kind == CODE else styles.quoted}"'
            else:
                style = f' s="{styles.code}"' if kind == CODE else ""
            # xml:space="preserve" always: Excel would trim spaces at either end otherwise,
            # and looking for them costs more than the few bytes (compressed) it adds.
            append(
                f'<c r="{letter}{number}"{style} t="inlineStr">'
                f'<is><t xml:space="preserve">{text}</t></is></c>'
            )
        append("</row>")
        if done % _FLUSH_EVERY == _FLUSH_EVERY - 1:
            yield "".join(chunk)
            chunk.clear()
    _check(cancelled)
    yield "".join(chunk)


# Excel's day 0 is 30 December 1899 (day 60 is the 29 February 1900 that never was).
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_EXCEL_LEAP_BUG = 60
_EXCEL_FIRST_DAY = dt.date(1900, 1, 1)


def _date_cell(reference: str, iso: str, style: int) -> str:
    day = dt.date.fromisoformat(iso)
    if day < _EXCEL_FIRST_DAY:
        # Excel has no dates before 1900: written as text, the importer reads it (and
        # rejects it as before 1900) rather than a meaningless negative number.
        return f'<c r="{reference}" t="inlineStr"><is><t>{day:%d/%m/%Y}</t></is></c>'
    serial = day.toordinal() - _EXCEL_EPOCH
    if serial <= _EXCEL_LEAP_BUG:
        serial -= 1
    return f'<c r="{reference}" s="{style}"><v>{serial}</v></c>'


_FORMULA_FIRST = frozenset(start[0] for start in FORMULA_STARTS)
# Characters XML 1.0 forbids outright; dropped, as the importer drops control characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What needs more than copying into an XML text node: markup characters, forbidden ones,
# and a carriage return (which an XML reader would turn into a line feed).
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escaped(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    text = _FORBIDDEN.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("The export was cancelled; no file was written.")
