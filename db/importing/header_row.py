"""Which row of a sheet names the columns, and what each column is then called.

A header is a row of short labels over rows of data. Two things tell it from the rows
around it. Contrast: a label sits over a column of numbers or dates ("Joined" over dates),
while a data row holds numbers where its neighbours do. Repetition: labels do not recur in
the column below, while data does (the same town, ward or status on many rows). Title rows
("FOI-SM0125/15", a merged banner) and metadata blocks ("Region:", "Deutschland") are too
narrow to cover the table's columns, so they are never candidates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from db.folding import fold
from db.importing.workbook import Cell, CellError, Sheet, column_letter, is_blank

# How far down a header may sit below titles and notes.
HEADER_SEARCH_ROWS = 40
# Rows below a candidate that are compared with it.
_BODY_SAMPLE = 20
_MAX_LABEL = 80
# Digits with the punctuation of numbers, phone numbers and dates: "0805914", "1,234.50",
# "01835-703597", "15/10/2017", "(341)594-6554x44657".
_NUMBER_LIKE = re.compile(r"(?=.*\d)[\d\s.,:;/\\\-+()£$€%x#]+", re.IGNORECASE)
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d.*)?")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class HeaderGuess:
    index: int  # 0-based row of the header
    height: int = 1  # rows the header takes: 2 when a second row of labels completes it
    contrast: int = 0
    coverage: float = 0.0


@dataclass(frozen=True)
class _Assessment:
    labels: int
    contrast: int
    repeats: int
    coverage: float


def find_header(sheet: Sheet) -> HeaderGuess | None:
    """The most header-like row among the first rows of ``sheet``, or None.

    The row with the most contrast, less repetition, wins; the first of equals, so in a
    table of text alone (names and addresses) the header is the first row that covers it.
    """
    rows = sheet.rows
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    spans = _merged_spans(sheet, limit)
    single_column = _widest(rows[: limit + _BODY_SAMPLE]) <= 1
    best: HeaderGuess | None = None
    best_score = -math.inf
    for index in range(limit):
        found = _assess(rows, index, spans.get(index, ()), single_column)
        if found is None or (found.coverage < 0.5 and found.contrast == 0):
            continue
        score = found.contrast - found.repeats
        if score > best_score:
            best, best_score = HeaderGuess(index, 1, found.contrast, found.coverage), score
    if best is None:
        return None
    # A second row of labels straight below, itself over numbers or dates, completes the
    # header when it names columns the first left unnamed ("Origination" over "Amount",
    # "Address" merged over "Line 1", "Line 2"); its labels are joined to the first row's.
    # A row of a complete header's table is never taken for one: it names nothing new.
    height = 1
    named = _filled_columns(rows[best.index])
    grouped = {c for first, last in spans.get(best.index, ()) for c in range(first, last + 1)}
    while height < 3 and best.index + height < len(rows):
        below = best.index + height
        found = _assess(rows, below, spans.get(below, ()), single_column, labels_only=True)
        filled = _filled_columns(rows[below])
        adds = filled - named
        # Over text columns only a merged group label vouches for a second row, and only
        # when that row names nothing but the group's columns: a data row fills the others.
        vouched = found is not None and (found.contrast > 0 or filled <= grouped)
        if found is None or not vouched or found.repeats or not adds:
            break
        named |= adds
        height += 1
    return HeaderGuess(best.index, height, best.contrast, best.coverage)


def _filled_columns(row: list[Cell]) -> set[int]:
    return {column for column, value in enumerate(row) if not is_blank(value)}


def _assess(
    rows: list[list[Cell]],
    index: int,
    spans: Sequence[tuple[int, int]],
    single_column: bool,
    labels_only: bool = False,
) -> _Assessment | None:
    """How the row at ``index`` compares with the rows below it; None if it is no header."""
    row = rows[index]
    filled = [column for column, value in enumerate(row) if not is_blank(value)]
    if not filled:
        return None
    labels = {column for column in filled if is_label(row[column])}
    if labels_only:
        if len(labels) < len(filled):
            return None
    elif single_column:
        if len(labels) != 1 or len(filled) != 1:
            return None
    elif len(labels) < 2 or len(labels) < 0.6 * len(filled):
        return None
    # A copy of this row further down (page headers of pasted printouts) says nothing.
    body = [below for below in _body_below(rows, index) if below != row]
    if not body:
        return None
    covered = set(filled)
    for first, last in spans:
        covered.update(range(first, last + 1))
    body_columns = _body_columns(body)
    coverage = len(covered & body_columns) / len(body_columns) if body_columns else 0.0
    contrast = 0
    repeats = 0
    for column in filled:
        below = [r[column] for r in body if column < len(r) and not is_blank(r[column])]
        if not below:
            continue
        if column in labels and _mostly_not_text(below):
            contrast += 1
        if row[column] in below:
            repeats += 1
    return _Assessment(len(labels), contrast, repeats, coverage)


def is_label(value: Cell) -> bool:
    """Short text that is not a number, a date or an email address: a column's name."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (
        0 < len(text) <= _MAX_LABEL
        and "@" not in text
        and not _NUMBER_LIKE.fullmatch(text)
        and not _DATE_LIKE.fullmatch(text)
    )


def _mostly_not_text(values: list[Cell]) -> bool:
    """Numbers, dates and yes/no, as cells or as csv text that spells them."""
    typed = 0
    for value in values:
        if isinstance(value, str):
            text = value.strip()
            if _NUMBER_LIKE.fullmatch(text) or _DATE_LIKE.fullmatch(text):
                typed += 1
        elif not isinstance(value, CellError):
            typed += 1
    return typed >= 0.6 * len(values)


def _body_below(rows: list[list[Cell]], index: int) -> list[list[Cell]]:
    body: list[list[Cell]] = []
    # Bounded, so a sheet of many empty rows below a title is not searched to its end.
    for row in rows[index + 1 : index + 1 + 10 * _BODY_SAMPLE]:
        if any(not is_blank(value) for value in row):
            body.append(row)
            if len(body) == _BODY_SAMPLE:
                break
    return body


def _body_columns(body: list[list[Cell]]) -> set[int]:
    """Columns that hold something in at least a third of the rows: the table's columns."""
    counts: Counter[int] = Counter()
    for row in body:
        counts.update(column for column, value in enumerate(row) if not is_blank(value))
    needed = max(1, math.ceil(len(body) / 3))
    return {column for column, count in counts.items() if count >= needed}


def _widest(rows: list[list[Cell]]) -> int:
    return max((sum(1 for value in row if not is_blank(value)) for row in rows), default=0)


def _merged_spans(sheet: Sheet, limit: int) -> dict[int, list[tuple[int, int]]]:
    """Row -> the column spans of horizontal merges whose value sits in that row."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for first_row, first_col, _last_row, last_col in sheet.merged:
        if first_row < limit and last_col > first_col:
            spans.setdefault(first_row, []).append((first_col, last_col))
    return spans


def header_values(sheet: Sheet, index: int, height: int = 1) -> list[Cell]:
    """The header's cells, each merged cell's value spread over its whole span, and the
    labels of a two-row header joined per column ("Origination Amount")."""
    values = _row_values(sheet, index)
    for extra in range(index + 1, index + height):
        for column, value in enumerate(_row_values(sheet, extra)):
            if is_blank(value):
                continue
            if column >= len(values):
                values.extend([None] * (column + 1 - len(values)))
            above, text = values[column], label_text(value)
            if is_blank(above):
                values[column] = value
            elif label_text(above) != text:  # a cell merged down both rows is said once
                values[column] = f"{label_text(above)} {text}"
    return values


def _row_values(sheet: Sheet, index: int) -> list[Cell]:
    values = list(sheet.rows[index])
    for first_row, first_col, last_row, last_col in sheet.merged:
        if not first_row <= index <= last_row:
            continue
        anchor = (
            sheet.rows[first_row][first_col] if first_col < len(sheet.rows[first_row]) else None
        )
        if is_blank(anchor):
            continue
        if len(values) <= last_col:
            values.extend([None] * (last_col + 1 - len(values)))
        for column in range(first_col, last_col + 1):
            if is_blank(values[column]):
                values[column] = anchor
    return values


def header_names(values: Sequence[Cell], columns: Sequence[int]) -> list[str]:
    """Clean, unique, never-empty names for the header cells in ``columns``.

    A blank cell is named for its column ("Column C"); a repeated name gets a number
    ("Last Name", "Last Name (2)"), compared without case as the column matcher will.
    """
    names: list[str] = []
    taken: set[str] = set()
    for column in columns:
        value = values[column] if column < len(values) else None
        base = label_text(value) or f"Column {column_letter(column)}"
        name, number = base, 1
        while name.casefold() in taken:
            number += 1
            name = f"{base} ({number})"
        taken.add(name.casefold())
        names.append(name)
    return names


def label_text(value: Cell) -> str:
    """A header cell as one line of text: whitespace (newlines, NBSP) collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))  # the LibreOffice sample's A1 = 0 is "0", not "0.0"
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    return " ".join(_INVISIBLE.sub("", text).split())


# Header words that say a sheet lists people, with how strongly. Folded, spaces removed.
_PEOPLE_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "firstname",
        "first",
        "forename",
        "forenames",
        "givenname",
        "christianname",
        "surname",
        "lastname",
        "last",
        "familyname",
        "fullname",
        "displayname",
        "membername",
        "contact",
        "contactname",
        "preferredname",
        "knownas",
    ),
    "email": ("email", "emailaddress", "primaryemail", "mail"),
    "postcode": ("postcode", "postalcode", "zip", "zipcode", "postcodezip"),
    "membership": (
        "membershipnumber",
        "membershipno",
        "membershipid",
        "membernumber",
        "memberno",
        "memberid",
        "membership",
    ),
    "phone": ("phone", "telephone", "mobile", "tel", "homephone", "mobilephone", "cell"),
    "address": ("address", "address1", "addressline1", "street", "streetaddress"),
    "birth": ("dob", "dateofbirth", "birthdate", "birthday"),
}
_PEOPLE_WEIGHTS = {
    "name": 3,
    "membership": 3,
    "email": 2,
    "postcode": 2,
    "phone": 1,
    "address": 1,
    "birth": 1,
}
_UNAMBIGUOUS_FIRST_WORDS = frozenset(
    {"email", "phone", "telephone", "mobile", "postcode", "address", "surname", "forename"}
)
_KEY_TO_KIND = {word: kind for kind, words in _PEOPLE_WORDS.items() for word in words}


def people_score(headers: Sequence[str]) -> tuple[int, bool]:
    """How strongly the headers say "a list of people", and whether they say it at all.

    A sheet of people names them, or gives emails or membership numbers; addresses and
    postcodes alone describe buildings (the polling-station files).
    """
    kinds: set[str] = set()
    for header in headers:
        words = fold(header).split()
        key = "".join(words)
        kind = _KEY_TO_KIND.get(key)
        if kind is None and words:
            # "First Name (legal)", "Home Phone 2", "E-mail Address (work)": the first two
            # words decide, or a first word that cannot mean anything else.
            kind = _KEY_TO_KIND.get("".join(words[:2]))
            if kind is None and words[0] in _UNAMBIGUOUS_FIRST_WORDS:
                kind = _KEY_TO_KIND[words[0]]
        if kind is not None:
            kinds.add(kind)
    score = sum(_PEOPLE_WEIGHTS[kind] for kind in kinds)
    return score, score >= 3 and bool(kinds & {"name", "email", "membership"})
