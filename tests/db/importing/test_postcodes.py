"""UK postcodes: canonical spelling, impossible shapes flagged with the original kept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.importing.postcodes import POSTCODE_PATTERN, is_postcode, normalise_postcode
from tests.db.importing.corpus_cells import csv_rows, sheet_rows


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  ec1a\xa01bb ", "EC1A 1BB"),  # non-breaking space, as Excel's CSV writes it
        ("W1A 0AX", "W1A 0AX"),
        ("m1 1ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("N1C 4AG", "N1C 4AG"),
        ("CF44\u202f9BJ", "CF44 9BJ"),  # narrow no-break space
        ("DE6\t2GD", "DE6 2GD"),
        ("SW1A  1AA", "SW1A 1AA"),
        ("S W 1 A 1 A A", "SW1A 1AA"),
        ("sw1a\u200b1aa", "SW1A 1AA"),  # zero-width space from a web form
        ("\ufeffLL19 7NU", "LL19 7NU"),  # the byte-order mark a first cell can carry
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        ("BFPO 57", "BFPO 57"),
        ("bfpo57", "BFPO 57"),
    ],
)
def test_postcodes_are_upper_case_with_one_space(cell: str, expected: str) -> None:
    assert normalise_postcode(cell) == normalise_postcode(expected)
    result = normalise_postcode(cell)
    assert (result.value, result.problem, result.rejected) == (expected, None, False)


@pytest.mark.parametrize(
    ("cell", "kept", "problem"),
    [
        # Westminster's file: letter I typed for digit 1. Suggested, never applied.
        ("SWIV 3AL", "SWIV 3AL", "is not a UK postcode (did you mean SW1V 3AL?)"),
        ("WR9\xa0ODY", "WR9 ODY", "is not a UK postcode (did you mean WR9 0DY?)"),
        # Google Sheets' CSV: a Connecticut ZIP code that lost its leading zero.
        (6106, "6106", "is not a UK postcode (it has no letters)"),
        (6106.0, "6106", "is not a UK postcode (it has no letters)"),
        ("6106", "6106", "is not a UK postcode (it has no letters)"),
        ("04001", "04001", "is not a UK postcode (it has no letters)"),
        ("#VALUE!", "#VALUE!", "is the spreadsheet error #VALUE!, not a value"),
        ("Q1 1AA", "Q1 1AA", "is not a UK postcode"),  # Q never starts a postcode
        ("SW1A 1AC", "SW1A 1AC", "is not a UK postcode"),  # C never in the inward code
        ("SW1A-1AA", "SW1A-1AA", "is not a UK postcode"),  # only spaces are tidied
        ("AB1 2C", "AB1 2C", "is not a UK postcode"),
        ("SW1A 1AAA", "SW1A 1AAA", "is not a UK postcode"),
        ("Churchill Gardens Estate, SWIV 3AL", "Churchill Gardens Estate, SWIV 3AL",
         "is not a UK postcode"),
        (dt.date(2020, 1, 1), "2020-01-01", "is a date, not a postcode"),
        (True, "TRUE", "is not a UK postcode"),
    ],
)  # fmt: skip
def test_impossible_postcodes_are_flagged_and_kept_as_written(
    cell: object, kept: str, problem: str
) -> None:
    result = normalise_postcode(cell)
    assert (result.value, result.problem, result.rejected) == (kept, problem, True)


@pytest.mark.parametrize("cell", [None, "", "   ", "\xa0\t"])
def test_an_empty_cell_is_no_postcode_and_no_problem(cell: object) -> None:
    result = normalise_postcode(cell)
    assert (result.value, result.problem, result.rejected) == (None, None, False)


def _mangled(canonical: str, data: st.DataObject) -> str:
    """The same postcode as people type it: any case, spaces anywhere or nowhere."""
    chars = [c.lower() if data.draw(st.booleans()) else c for c in canonical.replace(" ", "")]
    spaces = st.sampled_from(["", "", " ", "\xa0", "\t", "  "])
    return data.draw(spaces) + "".join(c + data.draw(spaces) for c in chars)


@given(st.from_regex(POSTCODE_PATTERN, fullmatch=True), st.data())
def test_any_valid_postcode_however_typed_comes_back_canonical(
    canonical: str, data: st.DataObject
) -> None:
    result = normalise_postcode(_mangled(canonical, data))
    assert result.value == canonical
    assert result.ok


@given(st.text())
def test_normalising_twice_is_normalising_once(text: str) -> None:
    once = normalise_postcode(text)
    if once.value is not None:
        assert normalise_postcode(once.value) == once


@given(st.one_of(st.text(), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 abc\xa0")))
def test_an_accepted_postcode_always_matches_the_canonical_pattern(text: str) -> None:
    result = normalise_postcode(text)
    if result.value is not None and not result.rejected:
        assert is_postcode(result.value)
        assert POSTCODE_PATTERN.fullmatch(result.value)


def test_isle_of_wight_postcodes_with_non_breaking_spaces_are_all_read() -> None:
    # cp1252 CSV from Excel: 66 postcodes with byte 0xA0 (NBSP) between the halves.
    rows = csv_rows("dc_IsleOfWight_cp1252_nbsp.csv", encoding="cp1252")
    tails = [row[3].rsplit(",", 1)[-1] for row in rows[1:] if len(row) > 3]
    with_nbsp = [tail for tail in tails if "\xa0" in tail]
    assert len(with_nbsp) == 66
    accepted = [normalise_postcode(t).value for t in with_nbsp if normalise_postcode(t).ok]
    assert len(accepted) == 65 and all(is_postcode(str(v)) for v in accepted)
    results = {tail.strip(): normalise_postcode(tail) for tail in with_nbsp}
    assert results["PO30\xa03AD"].value == "PO30 3AD"
    # The one left is a real typing mistake in the council's file: digit 0 for letter O.
    assert results["P033\xa02QF"].problem == "is not a UK postcode (did you mean PO33 2QF?)"


def test_wychavon_dos_postcodes_read_but_the_letter_o_for_zero_is_flagged() -> None:
    # Excel "CSV (MS-DOS)": byte 0xFF is NBSP in code page 437.
    rows = csv_rows("dc_Wychavon_polling_places_dos.csv", encoding="cp437")
    tails = [row[2].rsplit(",", 1)[-1] for row in rows[2:]]
    flagged = [tail.strip() for tail in tails if normalise_postcode(tail).rejected]
    assert flagged == ["WR9\xa0ODY"]
    assert len(tails) - len(flagged) == 90


def test_westminster_swiv_typo_is_flagged_not_corrected() -> None:
    rows = sheet_rows("dc_Westminster_Polling_stations_2015.xls", "MappedData")
    addresses = [str(row[2]) for row in rows if "SWIV" in str(row[2])]
    assert len(addresses) == 1
    result = normalise_postcode(addresses[0].rsplit(",", 1)[-1])
    assert result.rejected and result.value == "SWIV 3AL"
    assert result.problem == "is not a UK postcode (did you mean SW1V 3AL?)"


def test_staffordshire_moorlands_nbsp_postcodes_in_an_xlsx() -> None:
    rows = sheet_rows("dc_StaffsMoorlands_FOI_title_row.xlsx")
    tails = [str(row[1]).rsplit(",", 1)[-1] for row in rows[3:] if "\xa0" in str(row[1])]
    flagged = {
        t.strip(): normalise_postcode(t).problem for t in tails if normalise_postcode(t).rejected
    }
    assert sum(normalise_postcode(t).ok for t in tails) == 58
    # Letter O typed for digit 0 five times in the council's own list: each caught.
    assert flagged == {
        "SK17\xa0ORH": "is not a UK postcode (did you mean SK17 0RH?)",
        "SK17\xa0OSW": "is not a UK postcode (did you mean SK17 0SW?)",
        "SK17\xa0OES": "is not a UK postcode (did you mean SK17 0ES?)",
        "SK7\xa0ONZ": "is not a UK postcode (did you mean SK7 0NZ?)",
        "SK17\xa0OJJ": "is not a UK postcode (did you mean SK17 0JJ?)",
    }


def test_zip_codes_that_lost_their_zeros_are_not_uk_postcodes() -> None:
    rows = csv_rows("gsheets_Untitled_spreadsheet_-_Sheet1.csv")
    zips = [row[9] for row in rows[1:] if row[9]]
    assert "6106" in zips
    assert all(normalise_postcode(z).rejected for z in zips)


def test_every_postcode_in_the_uk_500_sample_is_accepted() -> None:
    rows = csv_rows("uk-500_briandunning_CR.csv")
    assert len(rows) == 501
    assert all(normalise_postcode(row[6]).ok for row in rows[1:])
