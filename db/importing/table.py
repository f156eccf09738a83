"""Finding the table of people in a workbook: which sheet, which header, which rows.

Everything here is structure, not meaning: rows are kept or skipped whole (blank rows,
totals rows, a repeated header), and each skip is recorded with the row number the
secretary sees in Excel, so the preview can account for every row of the file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from db.errors import UserError
from db.importing.gc_pause import paused_gc
from db.importing.header_row import (
    HEADER_SEARCH_ROWS,
    HeaderGuess,
    find_header,
    header_names,
    header_values,
    label_text,
    people_score,
)
from db.importing.workbook import Cell, Sheet, Workbook, is_blank

# "Total", "TOTALS", "Grand total", "Sub-total", "Total members: 1234".
_TOTAL_LABEL = re.compile(r"\s*(grand\s+|sub\s*-?\s*)?totals?\b", re.IGNORECASE)
# Words a totals row puts in any cell (Excel's table totals row writes "COUNT" or "SUM").
_TOTAL_WORD = re.compile(
    r"\s*((grand\s+|sub\s*-?\s*)?totals?|sum|count|average|avg|mean)\b", re.IGNORECASE
)
_NUMBER_TEXT = re.compile(r"[-+]?[£$€]?\d[\d,]*(\.\d+)?")
# Totals at the end are looked for among this many last rows.
_TAIL_TOTALS = 3

BLANK_ROW = "blank row"
TOTALS_ROW = "totals row"
ABOVE_HEADER = "above the header row (a title or notes)"
REPEATED_HEADER = "repeats the header row"
SECOND_HEADER = "second row of the header"


@dataclass(frozen=True)
class Table:
    file: str
    sheet: str
    header_row: int  # 1-based, as Excel shows it
    headers: list[str]  # cleaned, unique, never empty
    rows: list[list[Cell]]  # data rows only, each as wide as ``headers``; empty cells None
    row_numbers: list[int]  # 1-based sheet row of each data row
    skipped: list[tuple[int, str]]  # (row number, why), in row order
    columns: list[int]  # 0-based sheet column of each header, for "column J" in messages
    date1904: bool = False  # the workbook's date system, for reading date serials


@dataclass(frozen=True)
class SheetSummary:
    name: str
    hidden: bool
    rows: int  # non-empty rows below the header; 0 when no header was found
    looks_like_people: bool
    header_row: int | None = None  # 1-based
    score: float = 0.0  # how strongly it looks like a list of people


def list_sheets(workbook: Workbook) -> list[SheetSummary]:
    """Every sheet, hidden ones included, with what the wizard shows about it."""
    return [_summarise(sheet) for sheet in workbook.sheets]


def find_table(workbook: Workbook, sheet: str | None = None) -> Table:
    """The table of people: on the named sheet, or else on the visible sheet that looks most
    like a list of people. A hidden sheet is only ever read when it is named."""
    chosen = _sheet_named(workbook, sheet) if sheet is not None else _best_sheet(workbook)
    guess = find_header(chosen)
    if guess is None:
        raise UserError(_no_header(workbook, chosen))
    return _build(workbook, chosen, guess)


def _sheet_named(workbook: Workbook, name: str) -> Sheet:
    wanted = name.strip().casefold()
    for sheet in workbook.sheets:
        if sheet.name.strip().casefold() == wanted:
            return sheet
    names = ", ".join(
        f"'{sheet.name}'" + (" (hidden)" if sheet.hidden else "") for sheet in workbook.sheets
    )
    raise UserError(f"{workbook.file} has no sheet called '{name}'; its sheets are {names}.")


def _best_sheet(workbook: Workbook) -> Sheet:
    visible = [sheet for sheet in workbook.sheets if not sheet.hidden]
    summaries = [(_summarise(sheet, count_limit=50), sheet) for sheet in visible]
    people = [(summary, sheet) for summary, sheet in summaries if summary.looks_like_people]
    if people:
        # max() keeps the first of equals: the earlier sheet wins a tie.
        return max(people, key=lambda pair: pair[0].score)[1]
    for summary, sheet in summaries:
        if summary.header_row is not None:
            return sheet
    hidden_tables = [
        sheet.name
        for sheet in workbook.sheets
        if sheet.hidden and _has_data(sheet) and find_header(sheet) is not None
    ]
    if hidden_tables:
        raise UserError(
            f"{workbook.file}: no visible sheet holds a table, but the hidden sheet "
            f"'{hidden_tables[0]}' does; choose that sheet by name to import it."
        )
    with_data = [sheet for sheet in visible if _has_data(sheet)]
    if not with_data:
        raise UserError(f"{workbook.file} holds no data: every sheet is empty.")
    return with_data[0]  # find_table explains why it holds no table


def _summarise(sheet: Sheet, count_limit: int | None = None) -> SheetSummary:
    guess = find_header(sheet) if _has_data(sheet) else None
    if guess is None:
        return SheetSummary(sheet.name, sheet.hidden, 0, False)
    values = header_values(sheet, guess.index, guess.height)
    headers = [label_text(value) for value in values]
    strength, looks_like_people = people_score(headers)
    rows = 0
    for row in sheet.rows[guess.index + guess.height :]:
        if any(not is_blank(value) for value in row):
            rows += 1
            if count_limit is not None and rows >= count_limit:
                break
    score = strength * (1 + min(rows, 50) / 50)
    return SheetSummary(sheet.name, sheet.hidden, rows, looks_like_people, guess.index + 1, score)


def _has_data(sheet: Sheet) -> bool:
    return any(any(not is_blank(value) for value in row) for row in sheet.rows)


def _where(workbook: Workbook, sheet: Sheet) -> str:
    if workbook.kind == "csv":
        return workbook.file
    return f"{workbook.file}, sheet '{sheet.name}'"


def _no_header(workbook: Workbook, sheet: Sheet) -> str:
    where = _where(workbook, sheet)
    filled = [row for row in sheet.rows if any(not is_blank(value) for value in row)]
    if not filled:
        return f"{where} is empty."
    if len(filled) == 1:
        return f"{where} holds a single row and no list of people below it."
    searched = (
        f"the first {HEADER_SEARCH_ROWS} rows"
        if len(sheet.rows) > HEADER_SEARCH_ROWS
        else f"its {len(sheet.rows)} rows"
    )
    return (
        f"{where}: no header row found in {searched}; the list needs one row of column "
        "names (such as First Name, Last Name, Postcode) above the rows of people."
    )


def _build(workbook: Workbook, sheet: Sheet, guess: HeaderGuess) -> Table:
    """The header and every data row below it, in one pass over the rows."""
    with paused_gc():
        return _build_rows(workbook, sheet, guess)


def _build_rows(workbook: Workbook, sheet: Sheet, guess: HeaderGuess) -> Table:
    index = guess.index
    values = header_values(sheet, index, guess.height)
    named = [column for column, value in enumerate(values) if not is_blank(value)]
    first, end = named[0], named[-1] + 1
    body = sheet.rows[index + guess.height :]
    # Columns beyond the last header that hold data are kept (named "Column J"); columns
    # before the first header are kept only if they hold data. Empty ones are dropped.
    for row in body:
        if len(row) > end:
            tail = row[end:]
            # Counting "" and None runs in C; only a row with something there is looked at.
            if tail.count("") + tail.count(None) < len(tail):
                end = max(end, _last_filled(row) + 1)
        if first and any(not is_blank(value) for value in row[:first]):
            first = next(c for c, value in enumerate(row[:first]) if not is_blank(value))
    width = end - first
    columns = list(range(first, end))
    header_text = [label_text(values[c]) if c < len(values) else "" for c in columns]
    # Columns with no header that stay empty all the way down (spacer columns) are dropped
    # at the end; the list shrinks as data turns up, so a normal list pays nothing.
    unnamed = [i for i, text in enumerate(header_text) if not text]

    skipped: list[tuple[int, str]] = [
        (number, ABOVE_HEADER)
        for number, row in enumerate(sheet.rows[:index], start=1)
        if any(not is_blank(value) for value in row)
    ]
    skipped.extend((number, SECOND_HEADER) for number in range(index + 2, index + guess.height + 1))
    rows: list[list[Cell]] = []
    row_numbers: list[int] = []
    blanks: list[int] = []  # blank rows not yet known to lie inside the data
    after_totals = False
    header_labels = {text for text in header_text if text}
    tidy = _shared_text(body, first, end).get
    # The loop below runs once per row of the file, so it sticks to C-level list methods
    # (map, count) and looks closer only at rows that might be something else.
    for number, source in enumerate(body, start=index + guess.height + 1):
        cells = source[first:end] if first or len(source) != width else source
        row = list(map(tidy, cells, cells))
        if len(row) < width:
            row.extend([None] * (width - len(row)))
        if row.count(None) == width:
            blanks.append(number)
            continue
        lead = row[0]
        if (
            after_totals
            or lead is None
            or (type(lead) is str and (not _plain_start(lead) or lead in header_labels))
        ):
            # Led by an empty cell, by spaces, by a word a totals row starts with, or by a
            # header label: look closer.
            if all(is_blank(value) for value in row):
                blanks.append(number)
                continue
            lead = next(value for value in row if not is_blank(value))
            reason = _skip_reason(row, lead, header_labels, header_text, after_totals)
            if reason is not None:
                skipped.append((number, reason))
                after_totals = after_totals or reason == TOTALS_ROW
                continue
        if blanks:
            skipped.extend((blank, BLANK_ROW) for blank in blanks)
            blanks.clear()
        if unnamed:
            unnamed = [i for i in unnamed if is_blank(row[i])]
        rows.append(row)
        row_numbers.append(number)
    _drop_tail_totals(rows, row_numbers, skipped)
    if unnamed:
        keep = [i for i in range(width) if i not in set(unnamed)]
        columns = [columns[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    headers = header_names(values, columns)
    skipped.sort()
    if not rows:
        raise UserError(
            f"{_where(workbook, sheet)}: the header is on row {index + 1} but no rows of "
            "people follow it."
        )
    return Table(
        file=workbook.file,
        sheet=sheet.name,
        header_row=index + 1,
        headers=headers,
        rows=rows,
        row_numbers=row_numbers,
        skipped=skipped,
        columns=columns,
        date1904=workbook.date1904,
    )


def _last_filled(row: list[Cell]) -> int:
    for column in range(len(row) - 1, -1, -1):
        if not is_blank(row[column]):
            return column
    return -1


def _shared_text(body: list[list[Cell]], first: int, end: int) -> dict[Cell, Cell]:
    """How a table's rows are tidied, cell by cell, with ``dict.get(cell, cell)``.

    calamine and csv give an empty cell as ""; a table gives it as None. And they give each
    cell its own object: "Leeds" or "Member" 100,000 times over. Text that recurs in the
    first rows (towns, wards, statuses, first names) is kept as one object each, which
    halves the cells of a 100,000-row list (82 MB to 40 MB, kept to the end of an import),
    and the cleaning finds them by identity, their hashes known. Only text is shared: 1,
    1.0 and True are equal but are not the same cell, so no number may stand for another.
    """
    seen = Counter(
        value for row in body[:_SAMPLE_ROWS] for value in row[first:end] if type(value) is str
    )
    shared: dict[Cell, Cell] = {text: text for text, count in seen.items() if count > 1}
    shared[""] = None
    return shared


# Rows whose recurring text is shared: enough for the values a list repeats.
_SAMPLE_ROWS = 2000


def _plain_start(text: str) -> bool:
    """True for text that cannot begin a totals row or hide an empty row: the usual case."""
    return bool(text) and text[0] not in _SUSPECT_STARTS


_SUSPECT_STARTS = frozenset("TtGgSs \t\u00a0\r\n")


def _skip_reason(
    row: list[Cell],
    lead: Cell,
    header_labels: set[str],
    header_text: list[str],
    after_totals: bool,
) -> str | None:
    text = lead if isinstance(lead, str) else ""
    if text and _TOTAL_LABEL.match(text) and _labels_a_total(text, row):
        return TOTALS_ROW
    if row[0] is None and _is_subtotal(row):
        return TOTALS_ROW
    if text in header_labels and [label_text(value) for value in row] == header_text:
        return REPEATED_HEADER  # page headers of a list pasted from several printouts
    if after_totals and sum(1 for value in row if not is_blank(value)) < 2:
        return "below the totals row (a note)"
    return None


def _is_subtotal(row: list[Cell]) -> bool:
    """A group's subtotal inside the list: no name, a few numbers and a word such as COUNT
    under one of them (what Excel's Subtotal command and table totals rows write)."""
    filled = [value for value in row if not is_blank(value)]
    return (
        len(filled) <= len(row) / 2
        and any(_number(value) is not None for value in filled)
        and any(_is_total_word(value) for value in filled)
    )


def _is_total_word(value: Cell) -> bool:
    return isinstance(value, str) and bool(_TOTAL_WORD.fullmatch(value.strip().rstrip(":")))


def _labels_a_total(lead: str, row: list[Cell]) -> bool:
    """ "Total", "Total members: 1234" or "Total" over sums, but not a person's row whose
    first cell happens to start with the word ("Total Politics Ltd", then names)."""
    if _TOTAL_LABEL.fullmatch(lead.strip().rstrip(":")) or any(ch.isdigit() for ch in lead):
        return True
    texts = sum(1 for value in row if isinstance(value, str) and not is_blank(value))
    return texts == 1


def _drop_tail_totals(
    rows: list[list[Cell]], row_numbers: list[int], skipped: list[tuple[int, str]]
) -> None:
    """A totals row of formulas at the end, with no label in front ("=SUM(J2:J70)" alone,
    or Excel's table totals row: a sum under Salary and "COUNT" under Bonus)."""
    for _ in range(_TAIL_TOTALS):
        if len(rows) < 3 or not _is_tail_total(rows[-1], rows[:-1]):
            return
        rows.pop()
        skipped.append((row_numbers.pop(), TOTALS_ROW))


def _is_tail_total(row: list[Cell], above: list[list[Cell]]) -> bool:
    recent = above[-200:]
    filled: Counter[int] = Counter()
    for other in recent:
        filled.update(c for c, value in enumerate(other) if not is_blank(value))
    core = sorted(c for c, count in filled.items() if count >= 0.9 * len(recent))
    if not core:
        return False
    # A person's row fills the columns nearly every row fills; a totals row leaves the
    # names empty and fills only the columns it adds up.
    nameless = is_blank(row[core[0]])
    sparse = sum(1 for c in core if is_blank(row[c])) >= len(core) / 2
    for column, value in enumerate(row):
        if (nameless or sparse) and _is_total_word(value):
            return True
        number = _number(value)
        if sparse and number is not None and _adds_up(number, [r[column] for r in above]):
            return True
    return False


def _adds_up(total: float, column: list[Cell]) -> bool:
    """Whether ``total`` is the column's sum, or its count of filled or ticked cells."""
    numbers = [n for n in (_number(value) for value in column) if n is not None]
    if len(numbers) >= 2 and math.isclose(total, math.fsum(numbers), rel_tol=1e-9, abs_tol=0.005):
        return True
    filled = sum(1 for value in column if not is_blank(value))
    ticked = sum(1 for value in column if value is True)
    return total in (filled, ticked) and total > 1


def _number(value: Cell) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return float(re.sub(r"[,£$€]", "", value.strip()))
    return None
