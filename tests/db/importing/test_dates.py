"""Dates: cells, Excel serials in both systems, and text that never swaps day and month."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.importing.dates import (
    date_order_evidence,
    detect_day_first,
    from_excel_serial,
    parse_date,
)
from tests.db.importing.corpus_cells import column, csv_rows, sheet_rows

TODAY = dt.date(2026, 5, 1)
D = dt.date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (D(2019, 7, 4), D(2019, 7, 4)),
        (dt.datetime(2019, 7, 4, 15, 30), D(2019, 7, 4)),
        ("2019-07-04", D(2019, 7, 4)),
        ("2019-07-04 00:00:00", D(2019, 7, 4)),
        ("2019-07-04T10:15:00Z", D(2019, 7, 4)),
        ("2019/7/4", D(2019, 7, 4)),
        ("04/07/2019", D(2019, 7, 4)),
        ("4/7/2019", D(2019, 7, 4)),
        ("04.07.2019", D(2019, 7, 4)),
        ("04-07-2019", D(2019, 7, 4)),
        ("03/02/2026", D(2026, 2, 3)),  # day first: 3 Feb, never 2 Mar
        ("15/10/2017", D(2017, 10, 15)),
        ("23/05/19", D(2019, 5, 23)),  # Xpress' dd/mm/yy
        ("01/02/45", D(1945, 2, 1)),  # two-digit year after this year's: last century
        ("01/02/26", D(2026, 2, 1)),
        ("4-Jul-2019", D(2019, 7, 4)),
        ("04-jul-19", D(2019, 7, 4)),
        ("4 July 2019", D(2019, 7, 4)),
        ("4th July 2019", D(2019, 7, 4)),
        ("Thursday 4 July 2019", D(2019, 7, 4)),
        ("1st Sept 2019", D(2019, 9, 1)),
        ("July 4, 2019", D(2019, 7, 4)),  # month named: no doubt about the order
        ("20190704", D(2019, 7, 4)),
        (" 04/07/2019\xa0", D(2019, 7, 4)),
        (43831, D(2020, 1, 1)),  # Excel serial, 1900 system
        (43831.0, D(2020, 1, 1)),
        (43831.75, D(2020, 1, 1)),  # the time of day is dropped
        (61, D(1900, 3, 1)),
        (59, D(1900, 2, 28)),
        (1, D(1900, 1, 1)),
    ],
)
def test_dates_are_read(cell: object, expected: dt.date) -> None:
    result = parse_date(cell, today=TODAY)
    assert (result.value, result.problem, result.rejected) == (expected, None, False)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        # A value only valid month-first, in a day-first (UK) column: flagged, not swapped.
        ("02/25/2026", "is month-first, as in a US file (25 Feb 2026?); write it as 2026-02-25"),
        ("3/30/16", "is month-first, as in a US file (30 Mar 2016?); write it as 2016-03-30"),
        ("0000-07-04", "has no year (0000-07-04 means the year is unknown)"),  # ChurchCRM
        ("2020", "is only a year (2020), not a date"),  # ChurchCRM's bare years
        (2020, "is only a year (2020), not a date"),
        (2020.0, "is only a year (2020), not a date"),
        ("07/2019", "has no day of the month"),
        ("Jul-2019", "has no day of the month"),
        ("July 2019", "has no day of the month"),
        ("31/02/2020", "is not a real date"),
        ("13/13/2020", "is not a real date"),
        ("2019-02-29", "is not a real date"),
        ("#VALUE!", "is the spreadsheet error #VALUE!, not a value"),
        ("next Tuesday", "is not a date"),
        ("4/1-6/1", "is not a date"),  # Enron's TERM column
        (60, "is 29 Feb 1900, a day that never was"),  # Lotus 1-2-3's leap-year bug
        (0, "is a number, not a date"),
        (-5, "is a number, not a date"),
        (10**20, "is a number, not a date"),
        (float("nan"), "is not a date"),
        (float("-inf"), "is not a date"),
        (True, "is not a date"),
        (dt.time(9, 30), "is a time of day, not a date"),
        (dt.timedelta(days=3), "is a length of time, not a date"),
    ],
)
def test_doubtful_dates_are_rejected_with_the_reason(cell: object, problem: str) -> None:
    result = parse_date(cell, today=TODAY)
    assert (result.value, result.problem, result.rejected) == (None, problem, True)


@pytest.mark.parametrize("cell", [None, "", "  ", "\xa0"])
def test_an_empty_cell_is_no_date_and_no_problem(cell: object) -> None:
    result = parse_date(cell)
    assert (result.value, result.problem, result.rejected) == (None, None, False)


def test_the_column_order_decides_only_values_that_read_both_ways() -> None:
    # Month-first column (a US file): read so, and a day-first value is the odd one out.
    assert parse_date("03/02/2026", day_first=False).value == D(2026, 3, 2)
    assert parse_date("02/25/2026", day_first=False).value == D(2026, 2, 25)
    assert parse_date("25/02/2026", day_first=False).problem == (
        "is day-first, unlike its column (25 Feb 2026?); write it as 2026-02-25"
    )
    # Order unknown: a value that reads both ways is a question for the secretary.
    result = parse_date("03/02/2026", day_first=None)
    assert result.rejected and result.problem == (
        "could be 3 Feb 2026 or 2 Mar 2026; write it as 2026-02-03 or 2026-03-02"
    )
    assert parse_date("25/02/2026", day_first=None).value == D(2026, 2, 25)
    assert parse_date("03/03/2026", day_first=None).value == D(2026, 3, 3)


def test_two_digit_years_for_expiry_dates_may_lie_ahead() -> None:
    assert parse_date("31/12/27", today=TODAY).value == D(1927, 12, 31)
    assert parse_date("31/12/27", today=TODAY, future_years=5).value == D(2027, 12, 31)
    assert parse_date("31/12/45", today=TODAY, future_years=5).value == D(1945, 12, 31)


def test_excel_1904_serials_match_what_excel_for_mac_shows() -> None:
    # SheetJS' 1904.xlsx: column A holds the serial, column B the same cell as a date.
    rows = sheet_rows("sheetjs_1904_datesystem.xlsx")
    assert [row[0] for row in rows] == [1.0, 11.0, 111.0, 1111.0, 11111.0]
    for serial, shown, *_ in rows:
        assert isinstance(serial, float)
        assert parse_date(serial, date1904=True).value == shown
    assert parse_date(11111, date1904=True).value == D(1934, 6, 3)
    assert from_excel_serial(0, date1904=True).value == D(1904, 1, 1)


@given(st.dates(min_value=D(1900, 3, 1)))
def test_a_1900_serial_is_the_day_excel_shows(day: dt.date) -> None:
    serial = (day - D(1899, 12, 30)).days
    if 1800 <= serial <= 2200:
        return  # read as a bare year, tested above
    assert parse_date(serial).value == day
    assert parse_date(float(serial) + 0.5).value == day


@given(st.dates(min_value=D(1000, 1, 1)))
def test_dates_written_out_come_back(day: dt.date) -> None:
    assert parse_date(day.isoformat()).value == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year:04d}").value == day
    assert parse_date(f"{day.month}/{day.day}/{day.year:04d}", day_first=False).value == day
    assert parse_date(f"{day.day} {day:%B} {day.year:04d}").value == day


@given(st.one_of(st.dates(), st.datetimes()))
def test_date_cells_are_taken_as_they_are(cell: dt.date) -> None:
    expected = cell.date() if isinstance(cell, dt.datetime) else cell
    assert parse_date(cell).value == expected


def test_detect_day_first_reads_the_whole_column() -> None:
    assert detect_day_first(["03/02/2026", "25/02/2026"]) is True
    assert detect_day_first(["03/02/2026", "02/25/2026"]) is False
    assert detect_day_first(["03/02/2026", "04/05/2026"]) is None  # every value reads both ways
    assert detect_day_first(["25/02/2026", "02/25/2026"]) is None  # mixed: a person decides
    assert detect_day_first(["2026-02-25", "", None, 43831.0]) is None
    # The two kinds of None: no evidence, or evidence both ways.
    assert date_order_evidence(["03/02/2026", "04/05/2026"]) == (0, 0)
    assert date_order_evidence(["25/02/2026", "26/02/2026", "02/25/2026"]) == (2, 1)


def test_file_examples_text_dates_are_day_first() -> None:
    # file-examples.com (LibreOffice .xls): the Date column is text dd/mm/yyyy.
    dates = column(sheet_rows("file_example_XLS_1000.xls"), 6)
    assert len(dates) == 1000 and dates[0] == "15/10/2017"
    assert detect_day_first(dates) is True
    results = [parse_date(d) for d in dates]
    assert all(r.ok for r in results)
    assert results[0].value == D(2017, 10, 15)


def test_barnet_numbers_export_is_month_first_and_never_swapped_silently() -> None:
    dates = column(csv_rows("dc_Barnet_PollingPlaces-Table_1_numbers.csv"), 8)
    assert set(dates) == {"3/30/16"}
    assert detect_day_first(dates) is False
    assert parse_date("3/30/16").rejected  # a UK reading is refused, not swapped
    assert parse_date("3/30/16", day_first=False).value == D(2016, 3, 30)


def test_xpress_two_digit_years() -> None:
    rows = csv_rows("dc_xpress_encoding-windows1252.tsv", encoding="cp1252", delimiter="\t")
    assert {parse_date(d).value for d in column(rows, 0)} == {D(2019, 5, 23)}


def test_churchcrm_unknown_and_bare_years() -> None:
    births = column(csv_rows("churchcrm_test_import.csv"), 8)
    assert parse_date(births[0]).value == D(2001, 7, 4)
    assert births[1] == "0000-07-04" and parse_date(births[1]).rejected
    bare = csv_rows("churchcrm_test_import_bareyear.csv")
    assert parse_date(bare[1][3]).problem == "is only a year (2020), not a date"
    assert parse_date(bare[2][7]).problem == "is only a year (2019), not a date"


def test_employee_sample_date_cells_and_empty_strings() -> None:
    rows = sheet_rows("Employee_Sample_Data_table_totals.xlsx")
    hired = [parse_date(c) for c in column(rows, 8)[:1006]]
    exits = [parse_date(c) for c in column(rows, 13)[:1006]]
    assert all(r.ok for r in hired + exits)  # '' cells are empty, not problems
    assert sum(r.value is not None for r in hired) == 1000
    assert sum(r.value is not None for r in exits) == 85


def test_datablist_iso_dates_of_birth() -> None:
    births = column(csv_rows("people-100_datablist.csv"), 7)
    assert all(parse_date(b).ok for b in births)
