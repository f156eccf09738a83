"""Dates from spreadsheets: date cells, Excel serial numbers and the ways people write them.

A UK file never gets day and month swapped silently. Text such as 03/02/2026 is read
day-first unless the caller says the column is month-first; a value that only makes sense
the other way round (02/25/2026 in a day-first column) is rejected with both readings shown,
never quietly turned round. ``detect_day_first`` looks at a whole column to tell which.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from db.importing.cleaned import Cleaned, cell_text, spreadsheet_error, squash

# Excel's day 1 is 1900-01-01 and it believes 1900 was a leap year (Lotus 1-2-3's bug, kept
# for compatibility), so serials from 61 on are one day ahead of a plain count.
_EXCEL_1900_EARLY = dt.date(1899, 12, 31)
_EXCEL_1900 = dt.date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
# Macs before Excel 2011 counted from 1904-01-01 as day 0.
_EXCEL_1904 = dt.date(1904, 1, 1)
_LAST_SERIAL_1900 = (dt.date.max - _EXCEL_1900).days

# A whole number in this range is a year someone typed, not a serial (they mean 1904-1906).
_YEARS = range(1800, 2201)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

_TIME = r"(?:[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AP]M|Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}", re.IGNORECASE)
_NUMERIC = re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}|\d{{2}}){_TIME}", re.IGNORECASE)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY_MONTH_YEAR = re.compile(
    rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/.]*([a-z]+)\.?,?[\s\-/.]+(\d{{4}}|\d{{2}})",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"{_WEEKDAY}([a-z]+)\.?[\s\-]+(\d{{1,2}})(?:st|nd|rd|th)?,?[\s\-]+(\d{{4}})", re.IGNORECASE
)
_COMPACT = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")
_MONTH_YEAR = re.compile(r"(?:\d{1,2}[/.\-]\d{4}|\d{4}[/.\-]\d{1,2}|[a-z]+\.?[\s\-/,]+\d{4})", re.I)

_EMPTY: Cleaned[dt.date] = Cleaned(None)
_MAX_LENGTH = 60


def parse_date(
    value: object,
    *,
    date1904: bool = False,
    day_first: bool | None = True,
    today: dt.date | None = None,
    future_years: int = 0,
) -> Cleaned[dt.date]:
    """A calendar date, or rejected (value None) with the reason.

    ``date1904``: the workbook counts serials from 1904 (old Mac Excel). ``day_first``:
    how to read 03/02/2026 — True (UK, 3 Feb), False (US, 2 Mar) or None when the column
    does not say, which rejects every value that could be read both ways.
    Two-digit years are this century up to this year (+ ``future_years``, for expiry
    dates), the last century after it: 01/02/45 is 1945, 01/02/19 is 2019.
    """
    if value is None:
        return _EMPTY
    if isinstance(value, dt.datetime):
        return Cleaned(value.date())
    if isinstance(value, dt.date):
        return Cleaned(value)
    if isinstance(value, dt.time):
        return Cleaned(None, "is a time of day, not a date", rejected=True)
    if isinstance(value, dt.timedelta):
        return Cleaned(None, "is a length of time, not a date", rejected=True)
    if isinstance(value, bool):
        return Cleaned(None, "is not a date", rejected=True)
    if isinstance(value, int | float):
        return from_excel_serial(value, date1904=date1904)
    text = squash(cell_text(value))
    if not text:
        return _EMPTY
    return _from_text(text, day_first, today or dt.date.today(), future_years)


def from_excel_serial(serial: float, *, date1904: bool = False) -> Cleaned[dt.date]:
    """The date an Excel serial number stands for (the time of day is dropped)."""
    if isinstance(serial, float) and not math.isfinite(serial):
        return Cleaned(None, "is not a date", rejected=True)
    if serial == int(serial) and int(serial) in _YEARS:
        return Cleaned(None, f"is only a year ({int(serial)}), not a date", rejected=True)
    if serial < 0 or serial > _LAST_SERIAL_1900:
        return Cleaned(None, "is a number, not a date", rejected=True)
    day = int(serial)
    if date1904:
        return Cleaned(_EXCEL_1904 + dt.timedelta(days=day))
    if day == 0:
        return Cleaned(None, "is a number, not a date", rejected=True)
    if day == _EXCEL_FAKE_LEAP_DAY:
        return Cleaned(None, "is 29 Feb 1900, a day that never was", rejected=True)
    if day < _EXCEL_FAKE_LEAP_DAY:
        return Cleaned(_EXCEL_1900_EARLY + dt.timedelta(days=day))
    return Cleaned(_EXCEL_1900 + dt.timedelta(days=day))


def detect_day_first(values: Iterable[object]) -> bool | None:
    """Whether a column's numeric dates are clearly day-first (True: some 25/12/2025),
    clearly month-first (False: some 12/25/2025), or cannot tell (None: every value reads
    both ways, or the column holds both kinds; ``date_order_evidence`` says which)."""
    day_first, month_first = date_order_evidence(values)
    if day_first and month_first:
        return None
    if day_first:
        return True
    if month_first:
        return False
    return None


def date_order_evidence(values: Iterable[object]) -> tuple[int, int]:
    """How many text dates in a column only read day-first (25/12/2025) and how many only
    read month-first (12/25/2025). (0, 0): no evidence either way; both above 0: a mix."""
    day_first = month_first = 0
    for value in values:
        if not isinstance(value, str) or len(value) > _MAX_LENGTH:
            continue
        match = _NUMERIC.fullmatch(value.strip())
        if not match:
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second >= 1:
            day_first += 1
        elif second > 12 >= first >= 1:
            month_first += 1
    return day_first, month_first


def _from_text(
    text: str, day_first: bool | None, today: dt.date, future_years: int
) -> Cleaned[dt.date]:
    error = spreadsheet_error(text)
    if error:
        return Cleaned(None, error, rejected=True)
    if len(text) > _MAX_LENGTH:
        return Cleaned(None, "is not a date", rejected=True)

    if match := _ISO.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        if year == 0:
            return Cleaned(None, f"has no year ({text} means the year is unknown)", rejected=True)
        return _real(year, month, day)
    if match := _NUMERIC.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        year = _full_year(match[3], today, future_years)
        return _day_and_month(first, second, year, day_first)
    if (match := _DAY_MONTH_YEAR.fullmatch(text)) and (named := _MONTHS.get(match[2].lower())):
        return _real(_full_year(match[3], today, future_years), named, int(match[1]))
    if (match := _MONTH_DAY_YEAR.fullmatch(text)) and (named := _MONTHS.get(match[1].lower())):
        return _real(int(match[3]), named, int(match[2]))
    if match := _COMPACT.fullmatch(text):
        return _real(int(match[1]), int(match[2]), int(match[3]))
    if text.isascii() and text.isdigit() and int(text) in _YEARS:
        return Cleaned(None, f"is only a year ({text}), not a date", rejected=True)
    if _MONTH_YEAR.fullmatch(text):
        return Cleaned(None, "has no day of the month", rejected=True)
    return Cleaned(None, "is not a date", rejected=True)


def _full_year(digits: str, today: dt.date, future_years: int) -> int:
    if len(digits) == 4:
        return int(digits)
    pivot = min(today.year % 100 + max(future_years, 0), 99)
    century = today.year // 100 * 100
    year = int(digits)
    return century + year if year <= pivot else century - 100 + year


def _day_and_month(first: int, second: int, year: int, day_first: bool | None) -> Cleaned[dt.date]:
    as_day_first = _date_or_none(year, second, first)
    as_month_first = _date_or_none(year, first, second)
    if as_day_first is not None and as_month_first is not None and as_day_first != as_month_first:
        # Both readings are real dates: the column's order decides, or nobody can.
        if day_first is None:
            return Cleaned(
                None,
                f"could be {_short(as_day_first)} or {_short(as_month_first)}; "
                f"write it as {as_day_first.isoformat()} or {as_month_first.isoformat()}",
                rejected=True,
            )
        return Cleaned(as_day_first if day_first else as_month_first)
    # One reading at most (or both the same day, as 03/03/2026).
    chosen = as_day_first or as_month_first
    if chosen is None:
        return Cleaned(None, "is not a real date", rejected=True)
    read_day_first = as_day_first is not None
    if day_first is None or as_day_first == as_month_first or day_first == read_day_first:
        return Cleaned(chosen)
    order = "month-first, as in a US file" if day_first else "day-first, unlike its column"
    return Cleaned(
        None, f"is {order} ({_short(chosen)}?); write it as {chosen.isoformat()}", rejected=True
    )


def _real(year: int, month: int, day: int) -> Cleaned[dt.date]:
    found = _date_or_none(year, month, day)
    if found is None:
        return Cleaned(None, "is not a real date", rejected=True)
    return Cleaned(found)


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _short(day: dt.date) -> str:
    """3 Feb 2026: a month by name, so it cannot be misread either way."""
    return f"{day.day} {_MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"
