"""Phone numbers: one display format, the zero Excel dropped restored, problems named."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from db.importing import phones
from db.importing.phones import LANDLINE, MOBILE, normalise_phone
from tests.db.importing.corpus_cells import column, csv_rows, sheet_rows


@pytest.mark.parametrize(
    ("cell", "shown", "kind"),
    [
        ("07700 900123", "07700 900123", MOBILE),
        ("07700900123", "07700 900123", MOBILE),
        # The leading zero a number cell (calamine: float) or its CSV text lost.
        (7700900123, "07700 900123", MOBILE),
        (7700900123.0, "07700 900123", MOBILE),
        ("7700900123", "07700 900123", MOBILE),
        (1134960123.0, "0113 496 0123", LANDLINE),
        ("+44 7700 900123", "07700 900123", MOBILE),
        ("+44 (0)7700 900123", "07700 900123", MOBILE),
        ("+44 07700 900123", "07700 900123", MOBILE),
        ("0044 7700 900123", "07700 900123", MOBILE),
        ("447700900123", "07700 900123", MOBILE),  # +44 typed into Excel, + lost
        ("0113 496 0123", "0113 496 0123", LANDLINE),
        ("(0113) 496-0123", "0113 496 0123", LANDLINE),
        ("0113/496 0123", "0113 496 0123", LANDLINE),
        ("01835-703597", "01835 703597", LANDLINE),  # uk-500's style
        ("020 7946 0018", "020 7946 0018", LANDLINE),
        ("02079460018", "020 7946 0018", LANDLINE),
        ("015394 12345", "015394 12345", LANDLINE),  # six-digit area code
        ("016977 3456", "016977 3456", LANDLINE),  # ten digits: phonenumbers decides
        ("01481 926553", "01481 926553", LANDLINE),  # Guernsey, on +44
        ("07624 123456", "07624 123456", MOBILE),  # Isle of Man mobile
        ("0800 123456", "0800 123456", None),
        ("0300 123 4567", "0300 123 4567", None),
        ("Tel: 0113 496 0123", "0113 496 0123", LANDLINE),
        ("mob. 07700900123", "07700 900123", MOBILE),
        ("\xa007700\xa0900123 ", "07700 900123", MOBILE),
        # Extensions are kept, always written the same way.
        ("020 7946 0018 x45", "020 7946 0018 ext. 45", LANDLINE),
        ("020 7946 0018 ext 45", "020 7946 0018 ext. 45", LANDLINE),
        ("020 7946 0018, extension 45", "020 7946 0018 ext. 45", LANDLINE),
        ("020 7946 0018 #45", "020 7946 0018 ext. 45", LANDLINE),
        # Foreign numbers written with their country code: international format.
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89", LANDLINE),
        ("+33123456789", "+33 1 23 45 67 89", LANDLINE),
        ("0033 1 23 45 67 89", "+33 1 23 45 67 89", LANDLINE),
        ("+61 418 649 196", "+61 418 649 196", MOBILE),
        ("+1 801-555-7712 x4563", "+1 801-555-7712 ext. 4563", None),
    ],
)
def test_numbers_come_out_in_one_format_with_their_kind(
    cell: object, shown: str, kind: str | None
) -> None:
    result = normalise_phone(cell)
    assert (result.value, result.problem, result.rejected, result.kind) == (
        shown,
        None,
        False,
        kind,
    )


NOT_UK = "is not a UK phone number (a foreign one needs its country code)"


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("0418649196", NOT_UK),  # Jethro's Australian mobiles, no +61
        ("9799 6548", NOT_UK),  # and landlines without their area code
        ("001-084-906-7849x73518", "is not a valid phone number"),
        ("(341)594-6554x44657", NOT_UK),
        ("7700 900123", "has no leading 0 (is it 07700 900123?)"),  # typed, not lost
        ("01421-132652", "is not a valid UK phone number"),  # no such area code
        ("01714-737668", "has London's code from before 2000 (now 020 7473 7668?)"),
        ("0181 898 0469", "has London's code from before 2000 (now 020 8898 0469?)"),
        ("077009001234", "has too many digits for a UK phone number"),
        ("#VALUE!", "is the spreadsheet error #VALUE!, not a value"),
        ("call after 6", "is not a phone number"),
        ("+", "is not a phone number"),
        (-7700900123, "is not a phone number"),
        (7700900123.5, "is not a phone number"),
        (float("nan"), "is not a phone number"),
        (float("inf"), "is not a phone number"),
        (True, "is not a phone number"),
        ("0" * 100, "is too long to be a phone number"),
    ],
)
def test_numbers_that_cannot_be_dialled_are_flagged_and_kept(cell: object, problem: str) -> None:
    result = normalise_phone(cell)
    assert result.rejected
    assert result.problem == problem
    assert result.kind is None
    if isinstance(cell, str):
        assert result.value == " ".join(cell.split())


def test_two_numbers_in_one_cell_keep_the_first_and_name_the_rest() -> None:
    result = normalise_phone("07700 900123; 0113 496 0123")
    assert (result.value, result.kind, result.rejected) == ("07700 900123", MOBILE, False)
    assert result.problem == "also holds another number (0113 496 0123), left out"
    result = normalise_phone("07700 900123 / 0113 496 0123 or 020 7946 0018")
    assert result.value == "07700 900123"
    assert result.problem == "also holds other numbers (0113 496 0123, 020 7946 0018), left out"


def test_two_numbers_whose_first_is_bad_are_flagged_whole() -> None:
    # Apache POI's contact file: US numbers, no country code, in a UK import.
    cell = "801-555-7712x4563;801-555-9999"
    result = normalise_phone(cell)
    assert result.rejected and result.value == cell
    assert result.problem == f"holds 2 numbers and the first {NOT_UK}"


@pytest.mark.parametrize("cell", [None, "", "  ", "\xa0"])
def test_an_empty_cell_is_no_number_and_no_problem(cell: object) -> None:
    assert normalise_phone(cell) == phones.CleanedPhone(None)


def test_the_quick_paths_agree_with_phonenumbers_on_every_valid_uk_number() -> None:
    # One random number per four-digit prefix of 01, 02 and 07, plus the six-digit areas:
    # where phonenumbers calls a number valid, the display is phonenumbers' own.
    rng = random.Random(20260501)
    prefixes = [*range(1000, 3000), *range(7000, 8000)]
    numbers = [f"0{p}{rng.randrange(10**6):06d}" for p in prefixes]
    numbers += [f"0{p}{rng.randrange(10**5):05d}" for p in (13873, 15242, 15396, 16974, 19467)]
    checked = 0
    for number in numbers:
        parsed = phonenumbers.parse(number, "GB")
        if not phonenumbers.is_valid_number(parsed):
            continue
        checked += 1
        expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert normalise_phone(number).value == expected, number
    assert checked > 1000


def test_typical_uk_numbers_never_wait_for_phonenumbers(monkeypatch: pytest.MonkeyPatch) -> None:
    # What keeps 100,000 numbers under a second: mobiles and landlines with a known area
    # code are decided by regular expressions alone.
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("phonenumbers.parse was called")

    monkeypatch.setattr(phonenumbers, "parse", refuse)
    for cell in ("07700 900123", 7700900123.0, "+44 (0)7700 900123", "0113 496 0123 x12"):
        assert not normalise_phone(cell).rejected
    for cell in ("01835-703597", "020 7946 0018", "015394 12345", "01421-132652"):
        normalise_phone(cell)


def test_uk_500_landlines_are_read_or_flagged_one_by_one() -> None:
    rows = csv_rows("uk-500_briandunning_CR.csv")
    cells = [*column(rows, 7), *column(rows, 8)]
    results = [normalise_phone(cell) for cell in cells]
    assert normalise_phone("01835-703597").value == "01835 703597"
    accepted = [r for r in results if not r.rejected]
    # Invented sample numbers: most have a real area code, some do not.
    assert len(accepted) > 800
    assert all(r.kind == LANDLINE for r in accepted)
    problems = {r.problem for r in results if r.rejected}
    assert problems <= {
        "is not a valid UK phone number",
        *(r.problem for r in results if r.problem and "London" in r.problem),
    }


def test_jethro_australian_numbers_are_all_flagged_as_foreign() -> None:
    rows = csv_rows("jethro_sample_import.csv")
    cells = [c for i in (8, 9, 10) for c in column(rows, i) if c]
    assert len(cells) > 50
    assert {normalise_phone(c).problem for c in cells} == {NOT_UK}


def test_datablist_us_numbers_with_x_extensions_never_crash() -> None:
    rows = csv_rows("people-100_datablist.csv")
    results = [normalise_phone(c) for c in column(rows, 6)]
    accepted = [r.value for r in results if not r.rejected and r.value]
    # "001-447-699-7998x88612": dialled from the UK, 001 is +1; the extension survives.
    assert "+1 447-699-7998 ext. 88612" in accepted
    assert all(r.problem for r in results if r.rejected)


def test_poi_contact_file_phone_cells() -> None:
    rows = sheet_rows("poi_51626_contact.xlsx")
    office = rows[2][9]
    assert office == "801-555-7712x4563;801-555-9999"
    assert normalise_phone(office).problem == f"holds 2 numbers and the first {NOT_UK}"
