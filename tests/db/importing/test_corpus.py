"""Every file of the shared corpus (made by Excel, LibreOffice, Numbers, Google Sheets,
council and CRM software; see PROVENANCE.md there) yields a table or one clear sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.errors import UserError
from db.importing.readers import read_workbook
from db.importing.table import ABOVE_HEADER, BLANK_ROW, TOTALS_ROW, Table, find_table
from db.importing.workbook import Workbook, is_cell_error

# The repository's sibling folder shared/corpus (CI has it).
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
FILES = sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []
CORPUS_FILES = [path for path in FILES if path.name != "PROVENANCE.md"]

# Files that hold no table of anything, and say so.
REFUSED = {
    "gsheets_DataTypesFormats.xlsx": "no header row found",  # label/value pairs
    "sheetjs_1904_datesystem.xlsx": "no header row found",  # five rows of dates
    "messytables_weird_head_padding_semicolon.csv": "no header row found",  # a cross-table
}


def test_the_corpus_is_there() -> None:
    assert CORPUS.is_dir(), f"the shared corpus is missing: {CORPUS}"
    assert len(CORPUS_FILES) >= 30


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_each_file_gives_a_table_or_one_sentence(path: Path) -> None:
    try:
        table = find_table(read_workbook(path))
    except UserError as error:
        message = str(error)
        assert path.name in message
        assert message.endswith(".")
        assert "\n" not in message
        assert path.name in REFUSED, f"refused: {message}"
        assert REFUSED[path.name] in message
        return
    assert path.name not in REFUSED
    assert table.headers and table.rows
    assert len(table.rows) == len(table.row_numbers)
    assert all(len(row) == len(table.headers) for row in table.rows)
    assert all(header and header == header.strip() for header in table.headers)
    assert len({header.casefold() for header in table.headers}) == len(table.headers)
    assert table.row_numbers == sorted(table.row_numbers)
    assert table.row_numbers[0] > table.header_row
    assert not set(table.row_numbers) & {number for number, _ in table.skipped}


def table_of(name: str, sheet: str | None = None) -> Table:
    return find_table(read_workbook(CORPUS / name), sheet)


def workbook_of(name: str) -> Workbook:
    return read_workbook(CORPUS / name)


def column(table: Table, header: str) -> list[object]:
    index = table.headers.index(header)
    return [row[index] for row in table.rows]


def test_uk_500_old_mac_csv_with_cr_line_endings() -> None:
    table = table_of("uk-500_briandunning_CR.csv")
    assert table.header_row == 1
    assert len(table.rows) == 500
    assert "PostCode" in table.headers
    assert table.rows[0][:2] == ["Aleshia", "Tomkiewicz"]
    assert column(table, "Telephone1")[0] == "01835-703597"  # text, leading zero kept
    assert column(table, "Company")[0] == "Alan D Rosenburg Cpa Pc"


def test_people_100() -> None:
    table = table_of("people-100_datablist.csv")
    assert len(table.rows) == 100
    assert table.headers[-1] == "Job Title"


def test_file_examples_with_blank_and_numeric_a1() -> None:
    thousand = table_of("file_example_XLS_1000.xls")
    assert len(thousand.rows) == 1000
    assert thousand.headers[:3] == ["Column A", "First Name", "Last Name"]
    ten = table_of("file_example_XLSX_10_calc.xlsx")
    assert ten.headers[0] == "0"
    assert len(ten.rows) == 9


def test_employee_table_stops_before_its_totals_row() -> None:
    table = table_of("Employee_Sample_Data_table_totals.xlsx")
    # Six nameless subtotal rows ("count" under Bonus) sit among the 1,000 people.
    assert len(table.rows) == 1000
    assert table.row_numbers[-1] == 1007
    assert (1008, TOTALS_ROW) in table.skipped
    assert [reason for _, reason in table.skipped] == [TOTALS_ROW] * 7
    assert all(row[0] for row in table.rows)
    assert isinstance(column(table, "Hire Date")[0], dt.date)


def test_mockaroo_person_list() -> None:
    table = table_of("MOCK_DATA_mockaroo.xlsx")
    assert table.headers == ["seq", "first", "last", "email", "gender"]
    assert len(table.rows) == 1000


def test_staffs_moorlands_title_row_then_header_on_row_2() -> None:
    table = table_of("dc_StaffsMoorlands_FOI_title_row.xlsx")
    assert table.header_row == 2
    assert table.headers == ["Name", "Address"]
    assert table.skipped == [(1, ABOVE_HEADER), (3, BLANK_ROW)]
    assert len(table.rows) == 74


def test_wychavon_dos_csv_decodes_nbsp_in_postcodes() -> None:
    workbook = workbook_of("dc_Wychavon_polling_places_dos.csv")
    assert workbook.encoding == "cp850"
    table = find_table(workbook)
    cells = [cell for row in table.rows for cell in row if isinstance(cell, str)]
    assert not any("\xff" in cell or "ÿ" in cell for cell in cells)
    assert sum("\xa0" in cell for cell in column(table, "Address") if isinstance(cell, str)) > 80
    assert any(is_cell_error(cell) for cell in cells)  # the #VALUE! Excel left in the data
    assert (2, BLANK_ROW) in table.skipped
    assert len(table.rows) == 91
    assert table.headers[-1] == "Column F"  # the trailing empty header over "lat, long"


def test_isle_of_wight_cp1252_decodes() -> None:
    workbook = workbook_of("dc_IsleOfWight_cp1252_nbsp.csv")
    assert workbook.encoding == "cp1252"
    table = find_table(workbook)
    addresses = [cell for cell in column(table, "Column D") if isinstance(cell, str)]
    assert sum("\xa0" in cell for cell in addresses) == 66
    assert not any("á" in cell for cell in addresses)
    assert len(table.rows) == 73


def test_xpress_windows_1252_tab_separated() -> None:
    workbook = workbook_of("dc_xpress_encoding-windows1252.tsv")
    assert (workbook.encoding, workbook.delimiter) == ("cp1252", "\t")
    table = find_table(workbook)
    assert len(table.headers) == 38
    assert any(cell == "Lôn Capel / Chapel Lane" for row in table.rows for cell in row)


def test_preston_utf8_bom() -> None:
    workbook = workbook_of("dc_Preston_Polling_Stations_bom.csv")
    assert workbook.encoding == "utf-8-sig"
    table = find_table(workbook)
    assert table.headers[0] == "ps_polling_area"
    assert len(table.rows) == 83


def test_barnet_numbers_csv_with_mixed_line_endings() -> None:
    table = table_of("dc_Barnet_PollingPlaces-Table_1_numbers.csv")
    assert len(table.rows) == 93
    assert any("’" in cell for row in table.rows for cell in row if isinstance(cell, str))


def test_numbers_attendance_header_on_row_2_and_its_total_row() -> None:
    table = table_of("numbers_Attendance.xlsx")
    assert table.header_row == 2
    assert table.headers[:2] == ["Date", "Ben Ashley"]  # the newline in the cell collapsed
    assert len(table.rows) == 23
    assert table.skipped == [(26, TOTALS_ROW)]


def test_sheet_visibility_never_picks_a_hidden_sheet() -> None:
    workbook = workbook_of("sheetjs_sheet_visibility.xlsx")
    assert [sheet.hidden for sheet in workbook.sheets] == [False, True, True]
    assert find_table(workbook).sheet == "Visible"
    assert find_table(workbook, sheet="veryhidden").sheet == "VeryHidden"


def test_1904_workbook_reads_its_dates() -> None:
    workbook = workbook_of("sheetjs_1904_datesystem.xlsx")
    assert workbook.date1904
    dates = [row[1] for row in workbook.sheets[0].rows]
    assert dates == [
        dt.date(1904, 1, 2),
        dt.date(1904, 1, 12),
        dt.date(1904, 4, 21),
        dt.date(1907, 1, 16),
        dt.date(1934, 6, 3),
    ]


def test_mendip_merged_header_and_totals_row() -> None:
    wells = table_of("dc_Mendip_merged_header_formulas.xlsx")
    assert wells.sheet == "Wells"
    assert wells.headers[:4] == ["Column A", "Column B", "PD letters", "PD letters (2)"]
    assert "Polling Place (2)" in wells.headers
    other = table_of("dc_Mendip_merged_header_formulas.xlsx", sheet="s + f")
    assert other.skipped == [(71, TOTALS_ROW)]
    assert len(other.rows) == 69


def test_westminster_second_sheet_has_a_merged_title_row() -> None:
    assert len(table_of("dc_Westminster_Polling_stations_2015.xls").rows) == 60
    mapped = table_of("dc_Westminster_Polling_stations_2015.xls", sheet="MappedData")
    assert mapped.header_row == 2
    assert mapped.skipped == [(1, ABOVE_HEADER)]
    assert len(mapped.rows) == 64


def test_contact_lists_from_apache_poi() -> None:
    contacts = table_of("poi_51626_contact.xlsx")
    assert column(contacts, "Postal Code")[0] == "04001"
    assert (2, BLANK_ROW) in contacts.skipped
    wide = table_of("poi_33082_wide_contact.xls")
    assert wide.header_row == 2
    assert len(wide.headers) == 78


def test_civicrm_duplicate_last_name() -> None:
    table = table_of("civicrm_individual_locations_with_related.csv")
    assert table.headers[1] == "Last Name"
    assert "Last Name (2)" in table.headers


def test_rct_data_in_unnamed_columns_is_kept() -> None:
    table = table_of("dc_RCT_POLLINGSTATIONS_148cols.xlsx")
    assert table.header_row == 1
    assert len(table.rows) == 179
    assert table.headers[:2] == ["POLLING DISTRICT", "Column B"]
    assert "UPRN" in table.headers


def test_semicolon_csv_and_ods_with_a_blank_row() -> None:
    thunderbird = workbook_of("thunderbird_csv_semicolon.csv")
    assert thunderbird.delimiter == ";"
    assert len(find_table(thunderbird).rows) == 2
    ods = table_of("messytables_blank_line.ods")
    assert ods.headers == ["Name", "Age", "When"]
    assert ods.skipped == [(4, BLANK_ROW)]
    assert ods.rows[-1] == ["Ian", 34.0, dt.date(2015, 11, 11)]


def test_jethro_all_commas_row_is_blank() -> None:
    table = table_of("jethro_sample_import.csv")
    assert (18, BLANK_ROW) in table.skipped
    assert len(table.rows) == 26


def test_google_sheets_csv_keeps_zip_codes_as_written() -> None:
    table = table_of("gsheets_Untitled_spreadsheet_-_Sheet1.csv")
    assert len(table.rows) == 60
    assert "6106" in column(table, "zip_code")
