"""What a cell normaliser returns, and the plain-text helpers every normaliser shares.

A raw cell arrives as python-calamine or the csv module hands it over. calamine gives whole
numbers as floats (805914.0) and midnight datetimes as dates; csv gives text. The normalisers
take ``object`` rather than ``Cell``: a reader may hand over more kinds (a duration, an error
cell object whose ``str`` is ``#VALUE!``), and anything unexpected is read as its text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from db.importing.workbook import ERROR_CODES

# Covariant: a Cleaned[str] is a Cleaned[object] (the fields are read-only).
T = TypeVar("T", covariant=True)

# The usual raw cell; see the module note on why the normalisers accept any object.
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(frozen=True, slots=True)
class Cleaned(Generic[T]):
    """One cleaned cell.

    - ``value`` set, ``problem`` None: clean, store it.
    - ``value`` set, ``problem`` set, not ``rejected``: usable, but a person should look
      (the second of two phone numbers was left out; a leading zero was restored).
    - ``rejected``: not usable as it stands. ``value`` is the original text, tidied of
      surrounding spaces, for text fields, and None where no original fits the type (dates,
      yes/no); ``problem`` says why.
    - ``value`` None and no ``problem``: the cell was empty.

    ``problem`` is one short clause ("is not a UK postcode"); the caller names the file,
    sheet, row and column in front of it.
    """

    value: T | None
    problem: str | None = None
    rejected: bool = False

    @property
    def ok(self) -> bool:
        """Clean: nothing for a person to look at (an empty cell is ok)."""
        return self.problem is None


# Excel's error values, matched whatever their case in a csv.
_ERRORS_UPPER = frozenset(code.upper() for code in ERROR_CODES)

# Characters that take no room and only get in the way: zero-width spaces and joiners, the
# byte-order mark a UTF-8 file can carry into its first cell, and the soft hyphen.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")

# Python refuses to turn an int of more than 4,300 digits into text (a guard against slow
# conversion); no spreadsheet holds one, but a normaliser must not raise on it.
_MAX_INT_BITS = 14_000


def squash(text: str) -> str:
    """Text on one line: invisible characters gone, every run of whitespace (tabs, newlines,
    non-breaking spaces) one ordinary space, none at either end."""
    return " ".join(_INVISIBLE.sub("", text).split())


def cell_text(value: object) -> str:
    """A cell as the text a person would see in it, unchanged otherwise.

    Whole floats lose the ".0" calamine adds (805914.0 -> "805914").
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:
            return "(a number of thousands of digits)"
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    try:
        return str(value)
    except Exception:  # a reader's own cell object with a broken __str__: still no crash
        return f"({type(value).__name__})"


def spreadsheet_error(text: str) -> str | None:
    """The problem clause if the text is an Excel error value such as ``#VALUE!``."""
    stripped = text.strip()
    if stripped.upper() in _ERRORS_UPPER:
        return f"is the spreadsheet error {stripped}, not a value"
    return None
