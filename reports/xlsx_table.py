"""Plain tables as xlsx for Excel users: a bold frozen header, set widths, text kept as text.

Shared by the exports and reports. Every string is written as a text cell: openpyxl would
read "=HYPERLINK(...)" from a membership list as a live formula. The workbook is saved
beside the target and moved over it at the end, so a failure never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import secrets
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from db.errors import Cancelled, UserError
from reports.cell_safety import formula_like

__all__ = [
    "Column",
    "new_workbook",
    "run_steps",
    "save_workbook",
    "table_sheet",
    "table_steps",
    "write_atomically",
    "write_atomically_steps",
]

Column = tuple[str, int]  # heading, width in characters
R = TypeVar("R")
_CELL_LIMIT = 32_767  # Excel refuses a longer cell
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "dd/mm/yyyy"


def new_workbook() -> Any:
    return Workbook(write_only=True)


def table_sheet(
    book: Any, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]
) -> None:
    """A sheet holding ``rows`` under ``columns``; dates get a UK date format."""
    sheet = book.create_sheet(title[:31])
    # Widths and the frozen pane must be set before the first row is streamed out.
    for number, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def save_workbook(book: Any, path: Path) -> None:
    """Save ``book`` to ``path`` in one rename (see ``write_atomically``)."""
    write_atomically(path, book.save)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Have ``write`` fill a new file beside ``path``, then move it over ``path``.

    A Cancel or a failure inside ``write`` removes the new file and leaves any earlier
    one as it was. Every way the file cannot be saved is one ``UserError`` sentence.
    """

    def steps(target: Path) -> Iterator[None]:
        write(target)
        yield from ()

    for _ in write_atomically_steps(path, steps):
        pass


def run_steps(
    steps: Generator[tuple[int, int, str], None, R],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    cancel_message: str = "The export was cancelled; no file was written.",
) -> R:
    """Run a ``*_steps`` writer to its end for a caller without a window, or a job:
    ``progress`` is told each step, and ``cancelled()`` turning true closes the steps (which
    removes the half-written file) and raises ``Cancelled``. Returns what the steps return."""
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as finished:
                result: R = finished.value
                return result
            if progress is not None:
                progress(*step)
            if cancelled is not None and cancelled():
                raise Cancelled(cancel_message)
    finally:
        steps.close()


def _temporary_beside(path: Path) -> Path:
    """A new empty file in the target's folder: moving it over the target is then a rename.

    Made with an exclusive open rather than ``tempfile.mkstemp``, whose files only their
    owner may read: the saved file keeps the permissions any new file in that folder gets.
    """
    while True:
        temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp")
        try:
            temporary.open("xb").close()
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise UserError(
                f"The folder {path.parent} does not exist, so {path.name} cannot be saved there."
            ) from None
        except PermissionError:
            raise UserError(
                f"Branchbook may not save files in {path.parent}; choose another folder for "
                f"{path.name}."
            ) from None
        return temporary


def _cell(sheet: Any, value: object) -> Any:
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _DATE_FORMAT
        return cell
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > _CELL_LIMIT:
        text = text[: _CELL_LIMIT - 1] + "…"
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if "\n" in text:
        cell.alignment = _WRAP
    if formula_like(text):
        cell.quotePrefix = True
    return cell


# --- A large table, fast ------------------------------------------------------------------
#
# table_sheet costs about 25 us a cell: openpyxl builds and serialises an element for each
# (the bench database's 59,453 members, 15 columns: 23 to 29 s, measured). table_steps
# writes the same sheet, the same cells and styles, with openpyxl laying out only the frame
# (widths, frozen header, filter, styles) and the rows written here as SpreadsheetML text,
# as reports/people_export.py does: the same export then takes about 3 s, half of it the
# query. It is a generator, so a window can show its progress and stop it.

T = TypeVar("T")
_CHECK_EVERY = 2000  # rows between one progress report and the next
_FLUSH_EVERY = 1000  # rows gathered before they go to the compressor in one write
# What needs more than copying into an XML text node: markup characters, the control
# characters XML forbids (dropped, as _cell drops them), and a carriage return.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's day 0 is 30 December 1899 (day 60 is the 29 February 1900 that never was).
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_EXCEL_LEAP_BUG = 60
_EXCEL_FIRST_DAY = dt.date(1900, 1, 1)


def write_atomically_steps(path: Path, steps: Callable[[Path], Iterator[T]]) -> Iterator[T]:
    """``write_atomically`` for long work: yields what ``steps(temporary)`` yields while it
    fills the new file, then moves it over ``path``. Stopping the iteration (closing the
    generator) removes the new file and leaves any earlier one as it was."""
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a file name to save to.")
    temporary = _temporary_beside(path)
    try:
        try:
            yield from steps(temporary)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise UserError(
                    f"There is no room left on the disk to save {path.name}."
                ) from error
            raise
        try:
            os.replace(temporary, path)
        except PermissionError:
            # Windows refuses to replace a file another program holds open.
            raise UserError(
                f"{path.name} is open in another program, probably Excel; close it and save again."
            ) from None
    finally:
        temporary.unlink(missing_ok=True)


def _rows_label(done: int, total: int) -> str:
    return f"Writing {done:,} of {total:,} rows…"


def table_steps(
    path: Path,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    *,
    label: Callable[[int, int], str] = _rows_label,
) -> Iterator[tuple[int, int, str]]:
    """A workbook at ``path`` of one sheet holding ``rows`` under ``columns``, as
    ``table_sheet`` lays it out, with a filter on every column; saved atomically. Yields
    (rows written, rows, ``label(done, total)``) as it goes, the last with every row."""
    yield from tables_steps(path, [Table(title, columns, rows)], label=label)


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook ``tables_steps`` writes."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]


def tables_steps(
    path: Path,
    tables: Sequence[Table],
    *,
    label: Callable[[int, int], str] = _rows_label,
) -> Iterator[tuple[int, int, str]]:
    """``table_steps`` for a workbook of several sheets, in order; the progress counts the
    rows of every sheet together."""
    total = sum(len(table.rows) for table in tables)

    def fill(target: Path) -> Iterator[tuple[int, int, str]]:
        frame, parts, styles = _tables_frame(tables)
        with (
            zipfile.ZipFile(io.BytesIO(frame)) as source,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
        ):
            for info in source.infolist():
                if info.filename not in parts:
                    package.writestr(info, source.read(info))
            before = 0
            for table, part in zip(tables, parts, strict=True):
                head, tail = _split_sheet(source.read(part).decode("utf-8"))
                # No force_zip64: some Excel versions call zip64 workbooks damaged, and a
                # sheet of this kind stays far below the 2 GB that would need it.
                with package.open(part, "w") as stream:
                    stream.write(head.encode("utf-8"))
                    count = len(table.rows)
                    for done, chunk in _table_rows(table.rows, styles):
                        stream.write(chunk.encode("utf-8"))
                        if done % _CHECK_EVERY == 0 or done == count:
                            yield before + done, total, label(before + done, total)
                    stream.write(tail.encode("utf-8"))
                before += len(table.rows)
        if total == 0:
            yield 0, 0, label(0, 0)

    yield from write_atomically_steps(path, fill)


@dataclass(frozen=True)
class _Styles:
    date: int  # style ids in the workbook's styles.xml, as openpyxl registered them
    moment: int
    wrap: int
    quoted: int  # text that starts like a formula (reports.cell_safety)
    quoted_wrap: int


def _tables_frame(tables: Sequence[Table]) -> tuple[bytes, list[str], _Styles]:
    """The workbook without its rows, as openpyxl writes it; the names of the sheets' parts
    in the package, in order; and the style ids the rows use (shared by every sheet)."""
    book = Workbook(write_only=True)
    sheets = []
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        for number, (_heading, width) in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        header = []
        for heading, _width in table.columns:
            cell = WriteOnlyCell(sheet, value=heading)
            cell.font = _BOLD
            header.append(cell)
        sheet.append(header)
        sheets.append(sheet)
    first = sheets[0]
    date, moment, wrap = WriteOnlyCell(first), WriteOnlyCell(first), WriteOnlyCell(first)
    quoted, quoted_wrap = WriteOnlyCell(first), WriteOnlyCell(first)
    date.number_format = _DATE_FORMAT
    moment.number_format = "dd/mm/yyyy hh:mm"
    wrap.alignment = _WRAP
    quoted.quotePrefix = True
    quoted_wrap.quotePrefix = True
    quoted_wrap.alignment = _WRAP
    styles = _Styles(
        date=date.style_id,
        moment=moment.style_id,
        wrap=wrap.style_id,
        quoted=quoted.style_id,
        quoted_wrap=quoted_wrap.style_id,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), [sheet.path.lstrip("/") for sheet in sheets], styles


def _split_sheet(xml: str) -> tuple[str, str]:
    """The sheet's XML before and after the place the rows go."""
    end = "</sheetData>"
    if xml.count(end) != 1:
        raise RuntimeError(f"openpyxl wrote a sheet without one {end}: {xml[:200]!r}")
    head, tail = xml.split(end)
    return head, end + tail


def _table_rows(rows: Sequence[Sequence[object]], styles: _Styles) -> Iterator[tuple[int, str]]:
    """(rows done, their ``<row>`` elements) a chunk at a time, from sheet row 2; a chunk
    ends at every multiple of ``_CHECK_EVERY`` rows, so progress can be reported there."""
    letters: list[str] = []
    chunk: list[str] = []
    append = chunk.append
    for done, row in enumerate(rows, start=1):
        number = done + 1
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        append(f'<row r="{number}">')
        for letter, value in zip(letters, row, strict=False):
            if value is None or value == "":
                continue
            append(_xml_cell(f"{letter}{number}", value, styles))
        append("</row>")
        if done % _FLUSH_EVERY == 0:
            yield done, "".join(chunk)
            chunk.clear()
    yield len(rows), "".join(chunk)


def _xml_cell(reference: str, value: object, styles: _Styles) -> str:
    """One ``<c>``, as ``_cell`` would have openpyxl write it."""
    if isinstance(value, str):
        if _SPECIAL.search(value) is not None:
            value = _escaped(value)
        if len(value) > _CELL_LIMIT:
            value = value[: _CELL_LIMIT - 1] + "…"
        wrapped = "\n" in value
        if formula_like(value):
            style = f' s="{styles.quoted_wrap if wrapped else styles.quoted}"'
        else:
            style = f' s="{styles.wrap}"' if wrapped else ""
        # xml:space="preserve": Excel would trim spaces at either end otherwise.
        return (
            f'<c r="{reference}"{style} t="inlineStr">'
            f'<is><t xml:space="preserve">{value}</t></is></c>'
        )
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        day = _serial(value.date())
        if day is None:
            return _xml_cell(reference, f"{value:%d/%m/%Y %H:%M}", styles)
        fraction = (value - value.replace(hour=0, minute=0, second=0, microsecond=0)) / (
            dt.timedelta(days=1)
        )
        return f'<c r="{reference}" s="{styles.moment}"><v>{day + fraction!r}</v></c>'
    if isinstance(value, dt.date):
        day = _serial(value)
        if day is None:
            return _xml_cell(reference, f"{value:%d/%m/%Y}", styles)
        return f'<c r="{reference}" s="{styles.date}"><v>{day}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return _xml_cell(reference, str(value), styles)


def _serial(day: dt.date) -> int | None:
    """Excel's number for ``day``; None before 1900, which Excel has no dates for."""
    if day < _EXCEL_FIRST_DAY:
        return None
    serial = day.toordinal() - _EXCEL_EPOCH
    return serial - 1 if serial <= _EXCEL_LEAP_BUG else serial


def _escaped(text: str) -> str:
    text = _FORBIDDEN.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")
