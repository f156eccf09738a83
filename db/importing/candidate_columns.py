"""Cleaning a table column by column, and the problems found on the way.

Each cell of the file passes through ``clean_column`` once, so it is kept lean: an empty
cell costs one comparison and a value seen before in the column is not cleaned again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import TypeVar

from db.importing.candidate_values import plain_membership_number, quick_membership_number
from db.importing.cleaned import Cleaned, cell_text, squash
from db.importing.normalise import (
    date_order_evidence,
    membership_width,
    restore_width,
)
from db.importing.table import Table
from db.importing.workbook import CellError, column_letter

T = TypeVar("T")

# Longest value a sentence quotes in full; a 32,000-character cell is shown by its start.
_QUOTE_LIMIT = 60
# "03/02/2024": a numeric date whose day and month could be swapped.
_TWO_WAY_DATE = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2}(?:\d{2})?\b")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    column: str  # Excel letter and header: "F (Postcode)"
    value: str  # the cell as text, as the file held it (tidied of surrounding spaces)
    reason: str  # a clause: "is not a UK postcode"
    rejected: bool  # True: the value was not used; False: used, but a person should look

    def sentence(self) -> str:
        """One sentence saying what and where, for the preview and the command line."""
        value = self.value
        if len(value) > _QUOTE_LIMIT:
            value = value[: _QUOTE_LIMIT - 1] + "…"
        # A csv file's only sheet is named after the file: saying it twice helps nobody.
        where = self.file if self.sheet == self.file else f"{self.file}, sheet '{self.sheet}'"
        return f"{where}, row {self.row}, column {self.column}: '{value}' {self.reason}."


class ProblemCollector:
    """Problems as they turn up, with what is needed to sort them into reading order."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.found: list[tuple[int, int, Problem]] = []

    def label(self, column: int) -> str:
        return f"{column_letter(self.table.columns[column])} ({self.table.headers[column]})"

    def add(self, index: int, column: int, raw: object, reason: str, rejected: bool) -> None:
        problem = Problem(
            self.table.file,
            self.table.sheet,
            self.table.row_numbers[index],
            self.label(column),
            squash(cell_text(raw)),
            reason,
            rejected,
        )
        self.found.append((index, column, problem))

    def sorted(self) -> list[Problem]:
        self.found.sort(key=lambda item: (item[0], item[1]))
        return [problem for _, _, problem in self.found]


def clean_column(
    cells: Sequence[object],
    column: int,
    cleaner: Callable[[object], Cleaned[T]],
    problems: ProblemCollector,
    quick: Callable[[object], T | None] | None = None,
) -> list[T | None]:
    """One column's cleaned values (None where empty or rejected), its problems collected.

    Runs for every cell of the file, so each distinct value is cleaned once (the same town,
    status or date recurs thousands of times) and the per-cell work is done by C loops:
    ``dict.fromkeys`` to find the distinct values, ``map`` to spread their results.
    ``quick`` (see ``candidate_values``) answers for the plainest values first, so only the
    rest pay for a ``Cleaned``.
    """
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:  # an unhashable cell
        return _clean_cell_by_cell(column, cells, cleaner, problems)
    # 1, 1.0 and True are equal dictionary keys but not equal cells ("1" is no "TRUE"), so
    # a column mixing kinds of number goes cell by cell. A column with any number has one
    # among its distinct values, so only then are all its cells looked at.
    if set(map(type, distinct)) & _NUMBERS and len(set(map(type, cells)) & _NUMBERS) > 1:
        return _clean_cell_by_cell(column, cells, cleaner, problems)
    distinct.pop(None, None)
    values: dict[object, T | None]
    if quick is None:
        values, unsure = {}, list(distinct)
    else:
        values = dict(zip(distinct, map(quick, distinct), strict=True))
        unsure = [raw for raw, value in values.items() if value is None]
    troubled: dict[object, Cleaned[T]] = {}
    for raw in unsure:
        result = _clean_cell(raw, cleaner)
        values[raw] = None if result.rejected else result.value
        if result.problem is not None:
            troubled[raw] = result
    if troubled:
        for index in compress(range(len(cells)), map(troubled.__contains__, cells)):
            raw = cells[index]
            result = troubled[raw]
            assert result.problem is not None
            problems.add(index, column, raw, result.problem, result.rejected)
    return list(map(values.get, cells))


_NUMBERS = frozenset({bool, int, float})


def _clean_cell_by_cell(
    column: int,
    cells: Sequence[object],
    cleaner: Callable[[object], Cleaned[T]],
    problems: ProblemCollector,
) -> list[T | None]:
    out: list[T | None] = [None] * len(cells)
    for index, raw in enumerate(cells):
        if raw is None:
            continue
        result = _clean_cell(raw, cleaner)
        if result.problem is not None:
            problems.add(index, column, raw, result.problem, result.rejected)
        if not result.rejected:
            out[index] = result.value
    return out


def _clean_cell(raw: object, cleaner: Callable[[object], Cleaned[T]]) -> Cleaned[T]:
    if isinstance(raw, CellError):
        # Whatever code the file wrote: the normalisers only know Excel's usual ones.
        return Cleaned(None, f"is the spreadsheet error {raw.code}, not a value", rejected=True)
    return cleaner(raw)


def membership_numbers(
    cells: Sequence[object], column: int, problems: ProblemCollector
) -> list[str | None]:
    numbers = clean_column(
        cells, column, quick_membership_number, problems, plain_membership_number
    )
    width = membership_width(numbers)
    if width is None:
        return numbers
    # Only a number cell lost zeros (a spreadsheet stored 0805914 as 805914); a text cell in
    # a workbook holds what was typed. A csv is all text, and often saved from a sheet that
    # had already dropped them.
    text_file = problems.table.file.lower().endswith((".csv", ".tsv", ".txt"))
    for index, number in enumerate(numbers):
        if (
            number is not None
            and len(number) < width
            and number.isdigit()
            and (text_file or not isinstance(cells[index], str))
        ):
            restored = restore_width(number, width)
            if restored.problem is not None:
                problems.add(index, column, cells[index], restored.problem, False)
            numbers[index] = restored.value
    return numbers


DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
GUESSED = "guessed day-first"
MIXED = "mixed"
NO_TEXT_DATES = "no text dates that could be read either way"


def date_order(cells: Sequence[object]) -> str:
    """How the column's text dates are written, from the dates that read only one way."""
    texts = [cell for cell in cells if type(cell) is str]
    day_first, month_first = date_order_evidence(texts)
    if day_first and month_first:
        return MIXED
    if day_first:
        return DAY_FIRST
    if month_first:
        return MONTH_FIRST
    if any(_reads_both_ways(text) for text in texts):
        return GUESSED
    return NO_TEXT_DATES


def _reads_both_ways(text: object) -> bool:
    match = _TWO_WAY_DATE.match(text) if isinstance(text, str) else None
    return (
        match is not None
        and match[1] != match[2]
        and 1 <= int(match[1]) <= 12 >= int(match[2]) >= 1
    )


def date_notes(table: Table, guessed: list[str], mixed: list[str]) -> list[str]:
    where = table.file if table.sheet == table.file else f"{table.file}, sheet '{table.sheet}'"
    notes = []
    if guessed:
        notes.append(
            f"{where}: nothing in column{'s' * (len(guessed) > 1)} {_and(guessed)} shows "
            "whether dates such as 03/02/2024 are day-first or month-first, so they were "
            "read day-first, as in the UK (3 Feb 2024)."
        )
    for label in mixed:
        notes.append(
            f"{where}: column {label} holds dates written day-first (25/12/2024) and "
            "month-first (12/25/2024), so dates that could be read either way were left out."
        )
    return notes


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
