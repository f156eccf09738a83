"""The date parser and the phone and postcode cleaners, fed whatever a cell can hold: each
gives a value or a rejection that says why, never an exception; what they give back they
give back unchanged when fed it again; and a date written any usual way reads as itself."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from db.importing.cleaned import Cleaned
from db.importing.dates import parse_date
from db.importing.phones import LANDLINE, MOBILE, normalise_phone
from db.importing.postcodes import POSTCODE_PATTERN, normalise_postcode
from tests.fuzz.strategies import CELLS, FUZZ

REGIONS = st.sampled_from(["GB", "IE", "FR", "US", "DE"])
DAYS = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


def _is_clause(problem: str | None) -> bool:
    """A rejection's reason is one clause the caller puts in its sentence ("is not a date")."""
    return bool(problem) and problem == str(problem).strip() and "\n" not in str(problem)


def _well_formed(result: Cleaned[object]) -> None:
    if result.rejected:
        assert _is_clause(result.problem), result
    elif result.problem is not None:
        assert _is_clause(result.problem) and result.value is not None, result


@FUZZ
@given(
    cell=CELLS,
    day_first=st.sampled_from([True, False, None]),
    date1904=st.booleans(),
    today=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    future_years=st.integers(0, 120),
)
def test_any_cell_is_a_date_or_a_reason(
    cell: object, day_first: bool | None, date1904: bool, today: dt.date, future_years: int
) -> None:
    result = parse_date(
        cell, day_first=day_first, date1904=date1904, today=today, future_years=future_years
    )
    _well_formed(result)
    if result.rejected:
        assert result.value is None
    else:
        assert result.value is None or type(result.value) is dt.date
    if isinstance(result.value, dt.date):
        # Whatever it was read from, the date written as Branchbook writes it reads the same.
        assert parse_date(result.value.isoformat(), day_first=None).value == result.value


@FUZZ
@given(day=DAYS, today=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_date_written_any_usual_way_reads_as_itself(day: dt.date, today: dt.date) -> None:
    spelled = [
        day.isoformat(),
        f"{day.day} {day:%B} {day.year}",
        f"{day.day}{_ordinal(day.day)} {day:%b} {day.year}",
        f"{day:%A}, {day.day} {day:%B} {day.year}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
    ]
    for text in spelled:
        assert parse_date(text, today=today).value == day, text
    us = f"{day.month}/{day.day}/{day.year}"
    assert parse_date(us, day_first=False, today=today).value == day


@FUZZ
@given(day=DAYS.filter(lambda d: d.day <= 12 and d.day != d.month))
def test_a_date_readable_both_ways_is_never_guessed(day: dt.date) -> None:
    text = f"{day.day:02d}/{day.month:02d}/{day.year}"
    unsure = parse_date(text, day_first=None)
    assert unsure.rejected and unsure.value is None
    assert day.isoformat() in str(unsure.problem)
    assert parse_date(text, day_first=True).value == day
    assert parse_date(text, day_first=False).value == day.replace(month=day.day, day=day.month)


def _ordinal(number: int) -> str:
    if number in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


@FUZZ
@given(cell=CELLS, region=REGIONS)
def test_any_cell_is_a_phone_number_or_a_reason_and_cleaning_twice_changes_nothing(
    cell: object, region: str
) -> None:
    result = normalise_phone(cell, region=region)
    _well_formed(result)
    assert result.kind in (MOBILE, LANDLINE, None)
    if result.value is not None and not result.rejected:
        # One display format: a number kept with a digit from another script (07700 90012٣)
        # would never match the same number typed on a UK keyboard.
        assert str(result.value).isascii(), result
        again = normalise_phone(result.value, region=region)
        assert (again.value, again.rejected, again.kind) == (result.value, False, result.kind)


@FUZZ
@given(
    mobile=st.from_regex(r"07[1-57-9][0-9]{2} ?[0-9]{6}", fullmatch=True),
    position=st.integers(0, 11),
    digit=st.sampled_from("٠١٢٣٤٥٦٧٨٩０１２３４５６７８９"),
)
def test_a_mobile_with_a_digit_from_another_script_is_refused(
    mobile: str, position: int, digit: str
) -> None:
    places = [index for index, char in enumerate(mobile) if char.isdigit()]
    index = places[position % len(places)]
    written = mobile[:index] + digit + mobile[index + 1 :]
    result = normalise_phone(written)
    assert (result.value, result.rejected) == (written, True)


@FUZZ
@given(
    digits=st.from_regex(r"7[1-57-9][0-9]{8}", fullmatch=True),
    written=st.sampled_from(["0{} {}", "0{}{}", "+44 {} {}", "+44{}{}", "0044 {} {}", "(0){} {}"]),
)
def test_a_uk_mobile_however_written_is_one_number(digits: str, written: str) -> None:
    expected = f"0{digits[:4]} {digits[4:]}"
    text = written.format(digits[:4], digits[4:])
    for cell in (text, int(digits), float(digits)):
        result = normalise_phone(cell)
        assert (result.value, result.kind, result.rejected) == (expected, MOBILE, False), cell


@FUZZ
@given(cell=CELLS)
def test_any_cell_is_a_postcode_or_a_reason_and_cleaning_twice_changes_nothing(
    cell: object,
) -> None:
    result = normalise_postcode(cell)
    _well_formed(result)
    if result.value is not None and not result.rejected:
        assert POSTCODE_PATTERN.fullmatch(str(result.value)), result
        assert normalise_postcode(result.value) == result


@FUZZ
@given(
    postcode=st.from_regex(POSTCODE_PATTERN, fullmatch=True),
    spaces=st.sampled_from(["", " ", "  ", "\xa0", "\t", " \u200b"]),
    lower=st.booleans(),
)
def test_a_postcode_however_spaced_or_cased_is_itself(
    postcode: str, spaces: str, lower: bool
) -> None:
    outward, inward = postcode.split(" ")
    written = f" {outward}{spaces}{inward} "
    result = normalise_postcode(written.lower() if lower else written)
    assert (result.value, result.rejected) == (postcode, False)
