"""The uniform in-memory model every reader produces: a workbook of sheets of raw cells.

Cells keep what the file held. python-calamine gives whole numbers as floats (805914.0),
midnight datetimes as dates, durations as timedeltas and empty cells as ``""``; the csv
module gives text. Cleaning comes later, column by column, where the column's meaning is
known; the readers only make sure nothing is lost (an Excel error stays recognisable
instead of looking like an empty cell).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CellError:
    """An Excel error value such as ``#VALUE!`` or ``#N/A``: the cell held no usable data."""

    code: str

    def __str__(self) -> str:
        return self.code


Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | CellError | None

# What Excel, LibreOffice and Google Sheets write for a formula that failed. In a csv they
# arrive as plain text; ``is_cell_error`` recognises both forms.
ERROR_CODES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#ERROR!",
        "Err:502",
        "Err:504",
        "Err:508",
        "Err:511",
        "Err:522",
    }
)


def is_cell_error(value: Cell) -> bool:
    """True for an Excel error cell, or for error text that a csv export kept (``#VALUE!``)."""
    if isinstance(value, CellError):
        return True
    return isinstance(value, str) and value.strip() in ERROR_CODES


def is_blank(value: Cell) -> bool:
    """Empty, or only spaces: NBSP-padded "empty" cells count as empty too."""
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


@dataclass(frozen=True)
class Sheet:
    """One sheet as the file holds it.

    ``rows[0]`` is the sheet's first row (row 1 in Excel), also when the used area starts
    lower, so an index plus one is always the row number the secretary sees. Rows can be of
    different lengths (csv); an empty cell is ``None`` or ``""``.
    """

    name: str
    hidden: bool
    rows: list[list[Cell]]
    # (first_row, first_col, last_row, last_col), 0-based and inclusive; empty when the
    # format does not record merges (csv, ods, xlsb).
    merged: list[tuple[int, int, int, int]]


@dataclass(frozen=True)
class Workbook:
    path: Path
    sheets: list[Sheet]
    # The workbook counts dates from 1904 (old Mac Excel). Date cells are already converted
    # by the reader; this matters only for a number that the cleaning decides is a date.
    # Known for xlsx/xlsm; False where the format does not say (csv, xls, ods, xlsb).
    date1904: bool
    kind: str = ""  # "xlsx", "xls", "ods", "xlsb" or "csv"
    encoding: str | None = None  # csv only: the decoding that was chosen
    delimiter: str | None = None  # csv only

    @property
    def file(self) -> str:
        """The file name as messages show it."""
        return self.path.name


def column_letter(index: int) -> str:
    """The Excel name of a 0-based column: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
