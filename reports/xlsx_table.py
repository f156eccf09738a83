"""Plain tables as xlsx for Excel users: a bold frozen header, set widths, text kept as text.

Shared by the exports and reports. Every string is written as a text cell: openpyxl would
read "=HYPERLINK(...)" from a membership list as a live formula. The workbook is saved
beside the target and moved over it at the end, so a failure never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from db.errors import UserError

__all__ = ["Column", "new_workbook", "save_workbook", "table_sheet", "write_atomically"]

Column = tuple[str, int]  # heading, width in characters
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
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a file name to save to.")
    temporary = _temporary_beside(path)
    try:
        try:
            write(temporary)
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
    return cell
