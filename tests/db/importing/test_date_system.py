"""A workbook's date system travels with its table, so serial dates read right by default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from db.importing.candidates import clean_table
from db.importing.readers import read_workbook
from db.importing.table import find_table


def test_a_1904_workbook_serial_date_is_read_in_its_own_system(tmp_path: Path) -> None:
    book = OpenpyxlWorkbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.append(["First Name", "Last Name", "Membership Number", "Joined"])
    # A plain number in a date column: its meaning depends on the workbook's system.
    sheet.append(["Siân", "Llŷr-Jones", "0805914", 43000])
    sheet.append(["Seán", "O'Brien", "0805915", 43001])
    path = tmp_path / "mac.xlsx"
    book.save(path)

    table = find_table(read_workbook(path))
    assert table.date1904 is True
    people = clean_table(table, today=dt.date(2026, 11, 27)).candidates
    expected = dt.date(1904, 1, 1) + dt.timedelta(days=43000)
    assert [p.joined_on for p in people] == [expected, expected + dt.timedelta(days=1)]
