"""Cells and header rows read straight from the shared corpus of real files.

The corpus (../shared/corpus, described in its PROVENANCE.md) holds files that other
programs and people made. These helpers read them with the plainest tools (csv, calamine),
so the cleaning tests see the exact quirks: NBSP inside postcodes, text dates, lost zeros.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"the shared corpus is not here ({path})")
    return path


def csv_rows(name: str, *, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    with corpus_file(name).open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter))


def sheet_rows(name: str, sheet: int | str = 0) -> list[list[object]]:
    workbook = CalamineWorkbook.from_path(str(corpus_file(name)))
    if isinstance(sheet, int):
        found = workbook.get_sheet_by_index(sheet)
    else:
        found = workbook.get_sheet_by_name(sheet)
    return [list[object](row) for row in found.to_python()]


def column(rows: Sequence[Sequence[object]], index: int) -> list[object]:
    """One column's cells below the header row, short rows skipped."""
    return [row[index] for row in rows[1:] if len(row) > index]
