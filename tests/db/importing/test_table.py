"""Finding the table: sheets and rows built in memory, plus a few real files for merges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from db.errors import UserError
from db.importing.readers import read_workbook
from db.importing.table import (
    ABOVE_HEADER,
    BLANK_ROW,
    REPEATED_HEADER,
    SECOND_HEADER,
    TOTALS_ROW,
    Table,
    find_table,
    list_sheets,
)
from db.importing.workbook import Cell, Sheet, Workbook

HEADER: list[Cell] = ["Membership No", "First Name", "Last Name", "Postcode", "Joined"]


def person(number: int) -> list[Cell]:
    return [
        f"{number:07d}",
        f"Name{number}",
        f"Surname{number}",
        f"LS{number % 9} 1AA",
        dt.date(2020, 1, 1 + number % 28),
    ]


def people(count: int, start: int = 1) -> list[list[Cell]]:
    return [person(number) for number in range(start, start + count)]


def book(
    *sheets: Sheet | list[list[Cell]], kind: str = "xlsx", name: str = "members.xlsx"
) -> Workbook:
    built = [
        sheet if isinstance(sheet, Sheet) else Sheet(f"Sheet{i}", False, sheet, [])
        for i, sheet in enumerate(sheets, start=1)
    ]
    return Workbook(Path(name), built, False, kind=kind)


def assert_every_row_accounted_for(table: Table, sheet_rows: int) -> None:
    """Each row below the header is data or skipped, once, except blank rows at the end."""
    below = set(range(table.header_row + 1, sheet_rows + 1))
    data = set(table.row_numbers)
    skipped = {number for number, _ in table.skipped if number > table.header_row}
    assert not data & skipped
    assert data | skipped <= below
    assert table.row_numbers == sorted(table.row_numbers)
    assert all(len(row) == len(table.headers) for row in table.rows)
    assert len(set(name.casefold() for name in table.headers)) == len(table.headers)


def test_a_plain_list() -> None:
    rows = [HEADER, *people(3)]
    table = find_table(book(rows))
    assert table.file == "members.xlsx"
    assert table.sheet == "Sheet1"
    assert table.header_row == 1
    assert table.headers == HEADER
    assert table.rows == people(3)
    assert table.row_numbers == [2, 3, 4]
    assert table.skipped == []
    assert table.columns == [0, 1, 2, 3, 4]


def test_title_rows_notes_and_blank_rows_above_the_header() -> None:
    rows: list[list[Cell]] = [
        ["FOI ref 2024/117", None, None, None, None],
        [None, None, None, None, None],
        ["Branch:", "Leeds North", None, None, None],
        ["Extracted:", dt.date(2024, 3, 1), None, None, None],
        [],
        HEADER,
        *people(4),
    ]
    table = find_table(book(rows))
    assert table.header_row == 6
    assert table.headers == HEADER
    assert len(table.rows) == 4
    assert table.skipped == [(1, ABOVE_HEADER), (3, ABOVE_HEADER), (4, ABOVE_HEADER)]
    assert_every_row_accounted_for(table, len(rows))


def test_a_merged_title_row_is_not_the_header() -> None:
    rows: list[list[Cell]] = [["Members at 1 March", None, None, None, None], HEADER, *people(2)]
    sheet = Sheet("Members", False, rows, merged=[(0, 0, 0, 4)])
    table = find_table(book(sheet))
    assert table.header_row == 2


@pytest.mark.parametrize(
    "totals",
    [
        ["Total", None, None, None, None],
        ["Total members: 1234", None, None, None, None],
        ["Grand total", 3, None, None, None],
        [None, "TOTALS", None, None, None],
        ["Sub-total", None, None, None, None],
    ],
)
def test_totals_rows_end_the_list(totals: list[Cell]) -> None:
    rows = [HEADER, *people(3), totals, [None] * 5, ["Source: membership system", None]]
    table = find_table(book(rows))
    assert len(table.rows) == 3
    assert (5, TOTALS_ROW) in table.skipped
    assert (7, "below the totals row (a note)") in table.skipped
    assert_every_row_accounted_for(table, len(rows))


def test_a_row_of_sums_with_no_label_at_the_end() -> None:
    header: list[Cell] = ["Name", "Email", "Donation", "Events"]
    rows: list[list[Cell]] = [
        header,
        ["Ann", "ann@example.org", 10.0, 1.0],
        ["Bob", "bob@example.org", 25.5, 2.0],
        ["Cy", "cy@example.org", 4.5, 1.0],
        [None, None, 40.0, 4.0],
    ]
    table = find_table(book(rows))
    assert [row[0] for row in table.rows] == ["Ann", "Bob", "Cy"]
    assert table.skipped == [(5, TOTALS_ROW)]


def test_excel_table_totals_row_with_count() -> None:
    rows: list[list[Cell]] = [
        ["Name", "Ward", "Salary"],
        *[[f"P{i}", "Headingley", 100.0 * i] for i in range(1, 6)],
        [None, "COUNT", 5.0],
    ]
    table = find_table(book(rows))
    assert len(table.rows) == 5
    assert table.skipped == [(7, TOTALS_ROW)]


def test_an_organisation_named_total_is_a_person_row() -> None:
    rows: list[list[Cell]] = [
        ["Organisation", "Contact", "Email"],
        ["Total Politics Ltd", "Ann Lee", "ann@example.org"],
        ["Unison", "Bob Ray", "bob@example.org"],
    ]
    table = find_table(book(rows))
    assert len(table.rows) == 2
    assert table.skipped == []


def test_the_last_person_is_not_a_totals_row() -> None:
    rows = [HEADER, *people(5), ["0000099", None, None, None, None]]
    assert len(find_table(book(rows)).rows) == 6


def test_blank_rows_inside_are_skipped_and_trailing_ones_ignored() -> None:
    rows = [
        HEADER,
        *people(2),
        [None, "", None],
        ["\xa0", "  ", None, None, None],  # NBSP-padded "empty" cells
        *people(2, start=3),
        [],
        ["", "", "", "", ""],
    ]
    table = find_table(book(rows))
    assert table.row_numbers == [2, 3, 6, 7]
    assert table.skipped == [(4, BLANK_ROW), (5, BLANK_ROW)]


def test_header_cells_duplicate_blank_numeric_and_spaced() -> None:
    header: list[Cell] = [0.0, "Last Name", None, "last name", "Post\ncode", "Known\xa0 As "]
    rows: list[list[Cell]] = [
        header,
        [1.0, "Lee", "x", "Ray", "LS1 1AA", "Annie"],
        [2.0, "Fox", "y", "Day", "LS2 2BB", None],
    ]
    table = find_table(book(rows))
    assert table.headers == ["0", "Last Name", "Column C", "last name (2)", "Post code", "Known As"]


def test_generated_names_never_collide() -> None:
    rows: list[list[Cell]] = [["Column B", None, "Name"], ["a", "b", "c"], ["d", "e", "f"]]
    assert find_table(book(rows)).headers == ["Column B", "Column B (2)", "Name"]


def test_empty_cells_become_none_and_ragged_rows_are_padded() -> None:
    rows: list[list[Cell]] = [
        ["Name", "Email", "Phone"],
        ["Ann", "", "0113 496 0000"],
        ["Bob"],
        ["Cy", "cy@example.org", "", "", ""],
    ]
    table = find_table(book(rows, kind="csv", name="list.csv"))
    assert table.rows == [
        ["Ann", None, "0113 496 0000"],
        ["Bob", None, None],
        ["Cy", "cy@example.org", None],
    ]


def test_trailing_empty_columns_are_dropped_but_unnamed_data_is_kept() -> None:
    rows: list[list[Cell]] = [
        [None, "Name", "Email", None, None, None, None],
        [None, "Ann", "ann@example.org", None, "note", None, ""],
        [None, "Bob", "bob@example.org", None, None, None, ""],
    ]
    table = find_table(book(rows))
    # Column A and D hold nothing: dropped. Column E holds a note: kept, named for itself.
    assert table.headers == ["Name", "Email", "Column E"]
    assert table.columns == [1, 2, 4]
    assert table.rows == [["Ann", "ann@example.org", "note"], ["Bob", "bob@example.org", None]]


def test_a_repeated_header_inside_the_data_is_skipped() -> None:
    rows = [HEADER, *people(2), HEADER, *people(2, start=3)]
    table = find_table(book(rows))
    assert len(table.rows) == 4
    assert table.skipped == [(4, REPEATED_HEADER)]


def test_a_two_row_header_is_joined() -> None:
    rows: list[list[Cell]] = [
        [None, "Origination", "Number of"],
        ["Originator", "Amount", "Deals"],
        ["Pollan", 104298.0, 13.0],
        ["McCaffrey", 8452.0, 3.0],
    ]
    table = find_table(book(rows))
    assert table.header_row == 1
    assert table.headers == ["Originator", "Origination Amount", "Number of Deals"]
    assert table.skipped == [(2, SECOND_HEADER)]
    assert table.row_numbers == [3, 4]


def test_header_in_an_all_text_table_is_the_first_row() -> None:
    rows: list[list[Cell]] = [["Name", "Address"], ["St Mary's Hall", "Church St, Leek"]]
    rows += [[f"Hall {i}", f"{i} Road, Leek"] for i in range(20)]
    assert find_table(book(rows)).header_row == 1


def test_csv_text_numbers_and_dates_tell_the_header_from_the_data() -> None:
    rows: list[list[Cell]] = [
        ["Membership list", "", ""],
        ["", "", ""],
        ["Number", "Name", "Joined"],
        ["0805914", "Ann Lee", "01/03/2019"],
        ["0805915", "Bob Ray", "02/03/2019"],
    ]
    table = find_table(book(rows, kind="csv", name="list.csv"))
    assert table.header_row == 3
    assert table.rows[0] == ["0805914", "Ann Lee", "01/03/2019"]


def test_merged_header_cells_spread_over_their_span(tmp_path: Path) -> None:
    workbook = OpenpyxlWorkbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Address", None, "Postcode"])
    sheet.merge_cells("B1:C1")
    sheet.append(["Ann", "1 High St", "Leeds", "LS1 1AA"])
    sheet.append(["Bob", "2 Low Rd", "York", "YO1 1AA"])
    workbook.save(tmp_path / "merged.xlsx")
    table = find_table(read_workbook(tmp_path / "merged.xlsx"))
    assert table.headers == ["Name", "Address", "Address (2)", "Postcode"]


def test_the_people_sheet_is_chosen_over_a_notes_sheet() -> None:
    notes = Sheet("Notes", False, [["Topic", "Detail"], ["AGM", "March"], ["Fees", "April"]], [])
    members = Sheet("Members", False, [HEADER, *people(5)], [])
    assert find_table(book(notes, members)).sheet == "Members"


def test_a_hidden_sheet_is_never_chosen_silently() -> None:
    hidden = Sheet("All members", True, [HEADER, *people(50)], [])
    visible = Sheet("Ward", False, [["First Name", "Surname"], ["Ann", "Lee"]], [])
    workbook = book(hidden, visible)
    assert find_table(workbook).sheet == "Ward"
    assert find_table(workbook, sheet="all MEMBERS").sheet == "All members"


def test_only_a_hidden_sheet_holds_a_table() -> None:
    hidden = Sheet("Data", True, [HEADER, *people(3)], [])
    cover = Sheet("Cover", False, [["Membership list"]], [])
    with pytest.raises(UserError, match="hidden sheet 'Data'"):
        find_table(book(cover, hidden))


def test_an_unknown_sheet_name_lists_the_sheets() -> None:
    workbook = book(
        Sheet("Members", False, [HEADER, *people(1)], []),
        Sheet("Old", True, [HEADER, *people(1)], []),
    )
    with pytest.raises(UserError) as error:
        find_table(workbook, sheet="Lapsed")
    assert str(error.value) == (
        "members.xlsx has no sheet called 'Lapsed'; its sheets are 'Members', 'Old' (hidden)."
    )


def test_no_header_row() -> None:
    rows: list[list[Cell]] = [[float(n), dt.date(1904, 1, 1) + dt.timedelta(n)] for n in range(50)]
    with pytest.raises(UserError) as error:
        find_table(book(Sheet("Sheet1", False, rows, [])))
    message = str(error.value)
    assert message.startswith(
        "members.xlsx, sheet 'Sheet1': no header row found in the first 40 rows; "
    )
    assert message.endswith(".")
    assert "\n" not in message
    with pytest.raises(UserError, match="no header row found in its 5 rows; "):
        find_table(book(Sheet("Sheet1", False, rows[:5], [])))


def test_a_single_column_list() -> None:
    rows: list[list[Cell]] = [["Email"], ["ann@example.org"], ["bob@example.org"]]
    table = find_table(book(rows, kind="csv", name="emails.csv"))
    assert table.headers == ["Email"]
    assert table.rows == [["ann@example.org"], ["bob@example.org"]]


def test_no_header_row_in_a_csv_names_the_file_once() -> None:
    with pytest.raises(UserError, match=r"^list\.csv: no header row found"):
        find_table(book([["1", "2"], ["3", "4"]], kind="csv", name="list.csv"))


def test_a_header_with_nobody_below_it() -> None:
    with pytest.raises(UserError, match="single row"):
        find_table(book([HEADER]))


def test_empty_workbook() -> None:
    with pytest.raises(UserError, match="every sheet is empty"):
        find_table(book([], [[None, ""]]))


def test_list_sheets_for_the_wizard() -> None:
    workbook = book(
        Sheet("Cover", False, [["Membership list"]], []),
        Sheet("Members", False, [["Title row"], HEADER, *people(7)], []),
        Sheet("Old", True, [HEADER, *people(2)], []),
    )
    summaries = list_sheets(workbook)
    assert [(s.name, s.hidden, s.rows, s.looks_like_people, s.header_row) for s in summaries] == [
        ("Cover", False, 0, False, None),
        ("Members", False, 7, True, 2),
        ("Old", True, 2, True, 1),
    ]


def test_a_group_label_merged_over_a_second_header_row(tmp_path: Path) -> None:
    workbook = OpenpyxlWorkbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Number", "Address", None, "Joined"])
    sheet.append([None, "Line 1", "Town", None])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("A1:A2")
    sheet.append([805914, "1 High St", "Leeds", dt.date(2019, 3, 1)])
    sheet.append([805915, "2 Low Rd", "York", dt.date(2020, 7, 4)])
    workbook.save(tmp_path / "two_rows.xlsx")
    table = find_table(read_workbook(tmp_path / "two_rows.xlsx"))
    assert table.headers == ["Number", "Address Line 1", "Address Town", "Joined"]
    assert table.row_numbers == [3, 4]


def test_a_first_person_with_text_in_a_number_column_is_not_a_header_row() -> None:
    rows = [HEADER, ["n/a", "Ann", "Lee", "unknown", "not yet"], *people(3)]
    table = find_table(book(rows))
    assert table.headers == HEADER
    assert table.row_numbers == [2, 3, 4, 5]
