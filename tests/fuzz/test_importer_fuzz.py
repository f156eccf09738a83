"""The importer fed a small csv or xlsx with the usual headers and anything at all in its
cells: it imports, naming every value it could not use by file, row and column, or it refuses
in one sentence naming the file and leaves the database exactly as it was."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from db.database import open_database
from db.errors import UserError
from db.importing.workflow import ImportOptions, prepare_import, run_import
from tests.db.importing.people import add
from tests.fuzz.strategies import ANY_TEXT, DATE_TEXT, EXCEL_ERRORS, FUZZ_SLOW, TYPED
from tests.helpers.checks import dump_tables

HEADERS = (
    "Membership Number",
    "First Name",
    "Last Name",
    "Email",
    "Mobile",
    "Postcode",
    "Address Line 1",
    "Town",
    "Date of Birth",
    "Joined",
    "Status",
)
TODAY = dt.date(2026, 11, 27)
# Numbers the branch already holds, so that rows match, update and conflict as well as add.
KNOWN_NUMBERS = ["0001001", "0001002", "1003", "1001.0"]

TEXT_CELLS = st.one_of(
    TYPED, ANY_TEXT, DATE_TEXT, EXCEL_ERRORS, st.sampled_from(KNOWN_NUMBERS), st.just("")
)
# What an xlsx cell can hold: openpyxl refuses control characters, as Excel does.
XLSX_TEXT = TEXT_CELLS.map(lambda text: "".join(c for c in text if c >= " " or c in "\t\n\r"))
XLSX_CELLS = st.one_of(
    XLSX_TEXT,
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
)


def _rows(cells: st.SearchStrategy[object]) -> st.SearchStrategy[list[list[object]]]:
    return st.lists(st.lists(cells, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=4)


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A branch of three people, copied for every example."""
    path = tmp_path_factory.mktemp("fuzz-branch") / "branch.sqlite3"
    database = open_database(path, actor="fuzz")
    try:
        with database.session() as session:
            add(session, "Ann", "Abbott", number="0001001", email="ann@example.org")
            add(session, "Bob", "Baker", number="0001002", mobile="07700 900123")
            add(session, "Cat", "Cole", number="1003", postcode="LS6 4HA", status="lapsed")
    finally:
        database.close()
    return path


def _write_csv(path: Path, rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def _write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def _import_or_refuse(branch: Path, path: Path, rows: int, full_list: bool) -> None:
    copy = path.with_name("branch.sqlite3")
    shutil.copyfile(branch, copy)
    database = open_database(copy, actor="fuzz")
    try:
        before = dump_tables(database)
        try:
            prepared = prepare_import(database, path, today=TODAY)
            prepared.require_identity()
            plan, result = run_import(
                database, prepared, ImportOptions(full_list=full_list, today=TODAY)
            )
        except UserError as error:
            message = str(error)
            assert path.name in message, message
            assert message.endswith(".") and "\n" not in message, message
            assert dump_tables(database) == before
            event(f"refused: {type(error).__name__}")
            return
        for problem in plan.problems:
            sentence = problem.sentence()
            assert sentence.startswith(f"{path.name}, ") and ", row " in sentence, sentence
            assert ", column " in sentence and "\n" not in sentence, sentence
        created = result.counts.get("created", 0)
        assert 0 <= created <= rows
        people = len(dump_tables(database)["person"])
        assert people == len(before["person"]) + created
        event("imported, some people created" if created else "imported, nobody created")
    finally:
        database.close()
        # dump_tables leaves its connection to the collector; the folder goes next.
        gc.collect()


@FUZZ_SLOW
@given(rows=_rows(TEXT_CELLS), full_list=st.booleans())
def test_any_csv_is_imported_or_refused_in_a_sentence(
    branch: Path, rows: list[list[object]], full_list: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Members November.csv"
        _write_csv(path, rows)
        _import_or_refuse(branch, path, len(rows), full_list)


@FUZZ_SLOW
@given(rows=_rows(XLSX_CELLS), full_list=st.booleans())
def test_any_xlsx_is_imported_or_refused_in_a_sentence(
    branch: Path, rows: list[list[object]], full_list: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Members November.xlsx"
        _write_xlsx(path, rows)
        _import_or_refuse(branch, path, len(rows), full_list)
