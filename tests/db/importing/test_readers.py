"""Readers: real files written here with openpyxl and csv, good ones and bad ones."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from db.errors import UserError
from db.importing.csv_reader import choose_delimiter, choose_encoding
from db.importing.readers import read_workbook
from db.importing.table import find_table
from db.importing.workbook import CellError, column_letter, is_blank, is_cell_error
from db.importing.xlsx_package import column_index


def write_members_xlsx(path: Path, *, date1904: bool = False) -> Path:
    """A membership workbook with the things real ones have: dates, text numbers with
    leading zeros, a merged header, a formula, an error cell and a hidden sheet."""
    book = OpenpyxlWorkbook()
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.title = "Members"
    sheet.append(["Membership Number", "First Name", "Address", None, "Joined", "Fee", "Check"])
    sheet.merge_cells("C1:D1")
    sheet.append(["0805914", "Siân", "1 High St", "Leeds", dt.datetime(2019, 3, 1), 5, "=F2*2"])
    sheet.append(["0000123", "Łukasz", "2 Low Rd", "York", dt.date(2020, 7, 4), 7.5, "#VALUE!"])
    hidden = book.create_sheet("Old list")
    hidden.sheet_state = "hidden"
    hidden.append(["First Name", "Last Name"])
    hidden.append(["Zoë", "Evans"])
    book.save(path)
    return path


def write_text(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_one_sentence_naming(error: pytest.ExceptionInfo[UserError], path: Path) -> None:
    message = str(error.value)
    assert path.name in message
    assert message.endswith(".")
    assert "\n" not in message
    assert "Traceback" not in message
    # A second sentence would start after a full stop, a space and a capital letter.
    assert not re.search(r"[.!?] [A-Z]", message), message


# --- xlsx -------------------------------------------------------------------------------


def test_xlsx_keeps_raw_values_merges_hidden_sheets_and_errors(tmp_path: Path) -> None:
    book = read_workbook(write_members_xlsx(tmp_path / "members.xlsx"))
    assert book.kind == "xlsx"
    assert not book.date1904
    assert [(sheet.name, sheet.hidden) for sheet in book.sheets] == [
        ("Members", False),
        ("Old list", True),
    ]
    members = book.sheets[0]
    assert members.merged == [(0, 2, 0, 3)]
    first, second = members.rows[1], members.rows[2]
    assert first[0] == "0805914"  # text stays text, leading zero and all
    assert first[1] == "Siân"
    assert first[4] == dt.date(2019, 3, 1)  # calamine gives a midnight datetime as a date
    assert first[5] == 5.0  # and a whole number as a float
    assert is_blank(first[6])  # a formula openpyxl wrote has no cached value
    assert second[6] == CellError("#VALUE!")
    assert is_cell_error(second[6])
    assert str(second[6]) == "#VALUE!"


def test_xlsx_in_the_1904_date_system(tmp_path: Path) -> None:
    book = read_workbook(write_members_xlsx(tmp_path / "mac.xlsx", date1904=True))
    assert book.date1904
    assert book.sheets[0].rows[1][4] == dt.date(2019, 3, 1)


def test_an_xlsx_saved_with_an_xls_name_is_read_by_its_content(tmp_path: Path) -> None:
    xlsx = write_members_xlsx(tmp_path / "members.xlsx")
    renamed = xlsx.rename(tmp_path / "members.xls")
    book = read_workbook(renamed)
    assert book.kind == "xlsx"
    assert book.sheets[0].rows[1][0] == "0805914"


def test_error_cells_are_found_in_every_sheet_and_position(tmp_path: Path) -> None:
    book = OpenpyxlWorkbook()
    first = book.active
    assert first is not None
    first.append(["Name", "Number"])
    first.append(["Ann", "#N/A"])
    second = book.create_sheet("Second")
    second.append(["Name", "Number"])
    for row in range(2, 40):
        second.append([f"Person {row}", "#DIV/0!" if row == 37 else row])
    book.save(tmp_path / "errors.xlsx")
    sheets = read_workbook(tmp_path / "errors.xlsx").sheets
    assert sheets[0].rows[1][1] == CellError("#N/A")
    assert sheets[1].rows[36][1] == CellError("#DIV/0!")  # sheet row 37
    assert sum(isinstance(cell, CellError) for row in sheets[1].rows for cell in row) == 1


def test_column_letters_round_trip() -> None:
    for index in (0, 1, 25, 26, 27, 51, 52, 701, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(0) == "A"
    assert column_letter(26) == "AA"
    assert column_letter(147) == "ER"


# --- csv --------------------------------------------------------------------------------


def rows_of(path: Path) -> list[list[object]]:
    return list(read_workbook(path).sheets[0].rows)


def test_utf8_csv(tmp_path: Path) -> None:
    path = write_text(tmp_path / "a.csv", "Name,Town\nSiân,Llŷn\nŁukasz,Łódź\n".encode())
    book = read_workbook(path)
    assert book.encoding == "utf-8"
    assert book.sheets[0].name == "a.csv"
    assert book.sheets[0].rows == [["Name", "Town"], ["Siân", "Llŷn"], ["Łukasz", "Łódź"]]


def test_utf8_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write_text(tmp_path / "bom.csv", b"\xef\xbb\xbfName,Postcode\r\nZo\xc3\xab,LS1 1AA\r\n")
    book = read_workbook(path)
    assert book.encoding == "utf-8-sig"
    assert book.sheets[0].rows == [["Name", "Postcode"], ["Zoë", "LS1 1AA"]]


def test_cp1252_csv_with_pound_sign_and_nbsp(tmp_path: Path) -> None:
    data = b"Name,Postcode,Fee\r\nSi\xe2n,PO30\xa03AD,\xa35\r\nCaf\xe9 Owner,PO33\xa02BN,\xa312\r\n"
    book = read_workbook(write_text(tmp_path / "ansi.csv", data))
    assert book.encoding == "cp1252"
    assert book.sheets[0].rows[1] == ["Siân", "PO30\xa03AD", "£5"]
    assert book.sheets[0].rows[2] == ["Café Owner", "PO33\xa02BN", "£12"]


def test_dos_csv_with_nbsp_as_byte_ff(tmp_path: Path) -> None:
    # Excel's "CSV (MS-DOS)": NBSP is 0xFF and é is 0x82 in code page 850.
    data = (
        b'Name,Address\r\nAbbey Caf\x82,"Abbey Road, Pershore, WR10\xff1DF"\r\nHall,WR11\xff4XX\r\n'
    )
    book = read_workbook(write_text(tmp_path / "dos.csv", data))
    assert book.encoding == "cp850"
    rows = book.sheets[0].rows
    assert rows[1] == ["Abbey Café", "Abbey Road, Pershore, WR10\xa01DF"]
    assert rows[2] == ["Hall", "WR11\xa04XX"]


def test_encoding_choice_in_order() -> None:
    assert choose_encoding("x.csv", b"plain") == "utf-8"
    assert choose_encoding("x.csv", b"\xef\xbb\xbfplain") == "utf-8-sig"
    assert choose_encoding("x.csv", "Siân".encode()) == "utf-8"
    assert choose_encoding("x.csv", "Siân".encode("utf-16")) == "utf-16"
    assert choose_encoding("x.csv", b"L\xf4n Capel") == "cp1252"  # cp850 would say L¶n
    assert choose_encoding("x.csv", b"caf\x81") == "cp850"  # 0x81 means nothing in cp1252


def test_semicolon_and_tab_delimiters(tmp_path: Path) -> None:
    semicolon = write_text(
        tmp_path / "semi.csv", b"Name;Address;Postcode\nAnn;1 High St, Leeds;LS1 1AA\n"
    )
    assert read_workbook(semicolon).delimiter == ";"
    assert rows_of(semicolon)[1] == ["Ann", "1 High St, Leeds", "LS1 1AA"]
    tab = write_text(tmp_path / "tab.txt", b"Name\tAddress\nAnn\t1 High St, Leeds\n")
    assert read_workbook(tab).delimiter == "\t"
    assert rows_of(tab)[1] == ["Ann", "1 High St, Leeds"]


def test_delimiter_is_the_one_that_splits_lines_consistently() -> None:
    # Commas inside the addresses vary from line to line; semicolons do not.
    sample = "Name;Address;Town\nAnn;1 High St, Flat 2;Leeds\nBob;3 Low Rd;York\nCy;a, b, c;Hull\n"
    assert choose_delimiter(sample) == ";"
    assert choose_delimiter("Name,Town\nAnn,Leeds\n") == ","
    assert choose_delimiter("just one column\nAnn\n") == ","


def test_excel_sep_line_names_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    path = write_text(tmp_path / "sep.csv", b"sep=;\r\nName;Town\r\nAnn;Leeds\r\n")
    book = read_workbook(path)
    assert book.delimiter == ";"
    assert book.sheets[0].rows == [["Name", "Town"], ["Ann", "Leeds"]]


@pytest.mark.parametrize("ending", [b"\r", b"\r\n", b"\n"], ids=["CR only", "CRLF", "LF"])
def test_line_endings(tmp_path: Path, ending: bytes) -> None:
    data = ending.join([b'"First","Last"', b'"Ann","Lee"', b'"Bob","Ray"']) + ending
    assert rows_of(write_text(tmp_path / "e.csv", data)) == [
        ["First", "Last"],
        ["Ann", "Lee"],
        ["Bob", "Ray"],
    ]


def test_mixed_line_endings_and_no_final_newline(tmp_path: Path) -> None:
    data = b"First,Last\r\nAnn,Lee\nBob,Ray\rCy,Fox"
    assert rows_of(write_text(tmp_path / "mixed.csv", data)) == [
        ["First", "Last"],
        ["Ann", "Lee"],
        ["Bob", "Ray"],
        ["Cy", "Fox"],
    ]


def test_quoted_fields_keep_embedded_newlines_and_delimiters(tmp_path: Path) -> None:
    data = b'Name,Address\r\n"Lee, Ann","1 High St\r\nLeeds"\r\nBob,"2 Low Rd\nYork"\r\n'
    assert rows_of(write_text(tmp_path / "q.csv", data)) == [
        ["Name", "Address"],
        ["Lee, Ann", "1 High St\r\nLeeds"],
        ["Bob", "2 Low Rd\nYork"],
    ]


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    path = write_text(tmp_path / "unicode.txt", "Name\tTown\r\nSiân\tBangor\r\n".encode("utf-16"))
    book = read_workbook(path)
    assert book.delimiter == "\t"
    assert book.sheets[0].rows == [["Name", "Town"], ["Siân", "Bangor"]]


def test_a_long_cell_of_32000_characters_is_kept(tmp_path: Path) -> None:
    note = "x" * 32_000
    path = write_text(tmp_path / "long.csv", f"Name,Notes\nAnn,{note}\n".encode())
    assert rows_of(path)[1] == ["Ann", note]


# --- refusals ---------------------------------------------------------------------------


def refused(path: Path, **kwargs: int) -> pytest.ExceptionInfo[UserError]:
    with pytest.raises(UserError) as error:
        read_workbook(path, **kwargs)
    assert_one_sentence_naming(error, path)
    return error


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.xls"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    assert "empty" in str(refused(write_text(tmp_path / name, b"")).value)


def test_csv_of_empty_lines(tmp_path: Path) -> None:
    assert "no data" in str(refused(write_text(tmp_path / "blank.csv", b"\r\n,,,\r\n  \r\n")).value)


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    assert "not an Excel" in str(refused(write_text(tmp_path / "random.xlsx", data)).value)


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = write_members_xlsx(tmp_path / "whole.xlsx").read_bytes()
    cut = write_text(tmp_path / "cut.xlsx", whole[: len(whole) // 2])
    assert "damaged or incomplete" in str(refused(cut).value)


def test_xlsx_with_a_corrupt_sheet(tmp_path: Path) -> None:
    source = write_members_xlsx(tmp_path / "good.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(source) as good, zipfile.ZipFile(broken, "w") as bad:
        for item in good.infolist():
            data = good.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # well-zipped, badly-formed XML
            bad.writestr(item, data)
    refused(broken)


def test_text_file_named_xls(tmp_path: Path) -> None:
    path = write_text(tmp_path / "members.xls", b"Name,Town\r\nAnn,Leeds\r\n")
    assert "rename it to end in .csv" in str(refused(path).value)


def test_web_page_named_xls(tmp_path: Path) -> None:
    path = write_text(tmp_path / "export.xls", b"<html><body><table><tr><td>Ann</td></tr>")
    assert "web page" in str(refused(path).value)


def test_nul_bytes_in_csv(tmp_path: Path) -> None:
    path = write_text(tmp_path / "nul.csv", b"Name,Town\r\nAnn,Le\x00eds\r\n")
    assert "NUL" in str(refused(path).value)


def test_password_protected_workbook(tmp_path: Path) -> None:
    # Excel encrypts an xlsx into an OLE compound file holding an EncryptedPackage stream.
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016)
    ole += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
    path = write_text(tmp_path / "locked.xlsx", bytes(ole))
    assert "password" in str(refused(path).value)


def test_word_document_saved_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "word-processor" in str(refused(path).value)


@pytest.mark.parametrize("name", ["notes.pdf", "members.numbers", "README"])
def test_files_that_are_no_spreadsheet_by_name(tmp_path: Path, name: str) -> None:
    refused(write_text(tmp_path / name, b"%PDF-1.4"))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    refused(tmp_path / "gone.xlsx")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    refused(folder)


def test_unclosed_quote(tmp_path: Path) -> None:
    lines = [b"Name,Notes", b'Ann,"never closed'] + [b"Bob,fine"] * 200
    path = write_text(tmp_path / "quote.csv", b"\r\n".join(lines))
    assert "line 2" in str(refused(path).value)


def test_too_many_rows(tmp_path: Path) -> None:
    data = b"Name\r\n" + b"Ann\r\n" * 30
    assert "more than 20 rows" in str(
        refused(write_text(tmp_path / "big.csv", data), max_rows=20).value
    )
    xlsx = write_members_xlsx(tmp_path / "big.xlsx")
    assert "3 rows" in str(refused(xlsx, max_rows=2).value)


# --- mangled files ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("good")
    xlsx = write_members_xlsx(folder / "members.xlsx").read_bytes()
    csv = "Membership Number,First Name,Postcode\r\n0805914,Siân,LS1 1AA\r\n".encode()
    return {".xlsx": xlsx, ".csv": csv}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    extension=st.sampled_from([".xlsx", ".csv", ".xls"]),
    source=st.sampled_from([".xlsx", ".csv"]),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=8)), max_size=6),
    truncate=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_mangled_files_are_read_or_refused_in_a_sentence(
    tmp_path: Path,
    good_files: dict[str, bytes],
    extension: str,
    source: str,
    cuts: list[tuple[int, bytes]],
    truncate: int | None,
) -> None:
    data = bytearray(good_files[source])
    for position, replacement in cuts:
        position %= max(len(data), 1)
        data[position : position + len(replacement)] = replacement
    if truncate is not None:
        del data[truncate:]
    path = tmp_path / f"mangled{extension}"
    path.write_bytes(bytes(data))
    try:
        find_table(read_workbook(path))
    except UserError as error:
        message = str(error)
        assert path.name in message
        assert "\n" not in message


def test_password_protected_ods(tmp_path: Path) -> None:
    path = tmp_path / "locked.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:file-entry manifest:full-path="content.xml">'
            "<manifest:encryption-data/></manifest:file-entry>",
        )
        archive.writestr("content.xml", b"\x93\x12encrypted")
    assert "password" in str(refused(path).value)
