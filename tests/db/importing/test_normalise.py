"""Emails, membership numbers, names and consent cells; and no normaliser ever raises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.importing.cleaned import Cleaned, cell_text
from db.importing.normalise import (
    clean_name,
    clean_text,
    detect_day_first,
    membership_width,
    normalise_email,
    normalise_membership_number,
    normalise_phone,
    normalise_postcode,
    parse_consent,
    parse_date,
    recase_name,
    restore_width,
)
from tests.db.importing.corpus_cells import column, csv_rows, sheet_rows

# --- Email -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("jane@example.org", "jane@example.org"),
        ("  Jane.Doe@Example.ORG\xa0", "jane.doe@example.org"),
        ("mailto:Bob@Example.com", "bob@example.com"),
        ("Jane Doe <jane@example.org>", "jane@example.org"),
        ("first.last+branch@sub.example.co.uk", "first.last+branch@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("siân@example.cymru", "siân@example.cymru"),
        ("john@doe.invalid", "john@doe.invalid"),  # Thunderbird's fixture domain
    ],
)
def test_emails_are_trimmed_and_lower_cased(cell: str, expected: str) -> None:
    assert normalise_email(cell) == Cleaned(expected)


def test_several_emails_keep_the_first_and_name_the_rest() -> None:
    for cell in ("a@example.com; b@example.com", "a@example.com, b@example.com",
                 "a@example.com / b@example.com", "a@example.com or b@example.com"):  # fmt: skip
        result = normalise_email(cell)
        assert (result.value, result.rejected) == ("a@example.com", False)
        assert result.problem == "also holds b@example.com, left out"


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("bob@example", "is not a valid email address"),
        ("bob@@example.com", "is not a valid email address"),
        ("bob@example.com.", "is not a valid email address"),
        ("bob@example,com", "is not an email address"),
        ("bob @example.com", "is not an email address"),
        ("bob at example dot com", "is not an email address"),
        ("see notes", "is not an email address"),
        ("a@example.com; see notes", "is not an email address"),
        ("#VALUE!", "is the spreadsheet error #VALUE!, not a value"),
        (42, "is not an email address"),
        ("x" * 2000 + "@example.com", "is too long to be an email address"),
    ],
)
def test_bad_emails_are_flagged_with_the_original_kept(cell: object, problem: str) -> None:
    result = normalise_email(cell)
    assert (result.problem, result.rejected) == (problem, True)
    assert result.value == " ".join(cell_text(cell).split())


def test_corpus_emails_are_all_accepted() -> None:
    mock = column(sheet_rows("MOCK_DATA_mockaroo.xlsx"), 3)
    uk = column(csv_rows("uk-500_briandunning_CR.csv"), 9)
    people = column(csv_rows("people-100_datablist.csv"), 5)
    assert len(mock) == 1000 and len(uk) == 500 and len(people) == 100
    assert all(normalise_email(cell).ok for cell in [*mock, *uk, *people])


# --- Membership numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (805914.0, "805914"),  # calamine's float for a number cell
        (805914, "805914"),
        ("0805914", "0805914"),  # text keeps its zeros
        (" 0805914\xa0", "0805914"),
        ("805914.0", "805914"),  # a number cell written out by another program
        ("AB-12345", "AB-12345"),
        ("E04742", "E04742"),
    ],
)
def test_membership_numbers_are_always_text(cell: object, expected: str) -> None:
    assert normalise_membership_number(cell) == Cleaned(expected)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("8.05914E+05", "was turned into scientific notation by a spreadsheet, losing digits"),
        (1.2345678901234567e20, "is too long to survive as a number; format the column as text"),
        (805914.5, "is not a whole number"),
        (float("nan"), "is not a whole number"),
        (-3, "is not a membership number"),
        (True, "is not a membership number"),
        (dt.date(2020, 1, 1), "is not a membership number"),
        ("#N/A", "is the spreadsheet error #N/A, not a value"),
        ("1" * 41, "is too long to be a membership number"),
    ],
)
def test_membership_numbers_that_lost_digits_are_flagged(cell: object, problem: str) -> None:
    result = normalise_membership_number(cell)
    assert (result.problem, result.rejected) == (problem, True)


def test_a_fixed_width_is_restored_only_when_the_column_shows_one() -> None:
    column_of_sevens = ["1234567", "7654321", "2345678", "805914", "0805915", None, ""]
    assert membership_width(column_of_sevens) == 7
    assert restore_width("805914", 7) == Cleaned(
        "0805914", "had lost its leading zeros; restored as 0805914"
    )
    assert restore_width("1234567", 7) == Cleaned("1234567")
    assert restore_width("AB123", 7) == Cleaned("AB123")
    # A row counter: short values are not missing zeros.
    assert membership_width([str(n) for n in range(1, 100_000)]) is None
    assert membership_width(["12345", "23456", "1234"]) is None  # too short to be a width
    assert membership_width(["123456", "12345", "1234", "123"]) is None  # no clear majority
    assert membership_width([]) is None


# --- Names and text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capitals", "written"),
    [
        ("MCDONALD", "McDonald"),
        ("O'BRIEN", "O'Brien"),
        ("O\u2019NEILL", "O\u2019Neill"),
        ("D'ARCY", "D'Arcy"),
        ("NG'ANG'A", "Ng'ang'a"),
        ("LLŶR-JONES", "Llŷr-Jones"),
        ("SIÂN", "Siân"),
        ("Ó DÚNLAING", "Ó Dúnlaing"),
        ("VAN DER BERG", "van der Berg"),
        ("DE SOUZA", "de Souza"),
        ("LA TOYA", "La Toya"),
        ("DELLA", "Della"),
        ("MACHIN", "Machin"),  # no Mac rule: Machin, Mack, Mace
        ("JOHN SMITH III", "John Smith III"),
        ("SMYTHE-JONES", "Smythe-Jones"),
        ("J R R TOLKIEN", "J R R Tolkien"),
        # Not all capitals: left exactly as written.
        ("McDonald", "McDonald"),
        ("van der Berg", "van der Berg"),
        ("deBoer", "deBoer"),
        ("123", "123"),
    ],
)
def test_all_capital_names_are_recased_as_people_write_them(capitals: str, written: str) -> None:
    assert recase_name(capitals) == written


def test_names_are_trimmed_and_keep_accents_and_apostrophes() -> None:
    assert clean_name("  Siân\xa0 O'Brien\t") == Cleaned("Siân O'Brien")
    assert clean_name("O'BRIEN") == Cleaned("O'BRIEN")  # recasing is asked for, never assumed
    assert clean_name("O'BRIEN", recase_capitals=True) == Cleaned("O'Brien")
    assert clean_name("Łukasz\u200b") == Cleaned("Łukasz")
    assert clean_name("#REF!").rejected
    assert clean_name("A" * 121, max_length=120).problem == "is longer than 120 characters"


def test_text_cells() -> None:
    assert clean_text(12.0) == Cleaned("12")
    assert clean_text("a\x00b") == Cleaned("ab")
    assert clean_text("  line one \r\n\r\n  line two  \n", multiline=True) == Cleaned(
        "line one\n\nline two"
    )
    assert clean_text("line one\nline two") == Cleaned("line one line two")
    assert clean_text(float("inf")).rejected
    assert clean_text(None) == clean_text(" \xa0 ") == Cleaned(None)


def test_jethro_trailing_spaces_and_xpress_welsh_letters() -> None:
    names = column(csv_rows("jethro_sample_import.csv"), 2)
    assert names[0] == "Joane " and clean_name(names[0]) == Cleaned("Joane")
    rows = csv_rows("dc_xpress_encoding-windows1252.tsv", encoding="cp1252", delimiter="\t")
    welsh = [c for row in rows for c in row if "ô" in c]
    assert welsh and all(clean_text(c).value == c.strip() for c in welsh)


# --- Consent -----------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["Y", "y", "yes", "Yes.", "TRUE", "true", 1, 1.0, True,
                                  "x", "X", "✓", "1", "opted in", "OK"])  # fmt: skip
def test_yes(cell: object) -> None:
    assert parse_consent(cell) == Cleaned(True)


@pytest.mark.parametrize("cell", ["N", "no", "FALSE", 0, 0.0, False, "0", "opted out"])
def test_no(cell: object) -> None:
    assert parse_consent(cell) == Cleaned(False)


def test_blank_consent_is_unknown_and_anything_else_is_flagged() -> None:
    assert parse_consent(None) == parse_consent("  ") == Cleaned(None)
    for cell in ("maybe", 2, "#VALUE!", dt.date(2020, 1, 1)):
        result = parse_consent(cell)
        assert result.rejected and result.value is None and result.problem


# --- Nothing raises ----------------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789 +()-./;,x#extEXT@:"),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \xa0"),
    st.integers(),
    st.integers(min_value=-(10**5000), max_value=10**5000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.sampled_from(["#VALUE!", "#N/A", "#DIV/0!", "Err:502", "", "\xa0", "\ufeff"]),
)

NORMALISERS: list[Callable[[object], Cleaned[object]]] = [
    normalise_postcode,
    normalise_phone,
    normalise_email,
    normalise_membership_number,
    parse_date,
    lambda v: parse_date(v, date1904=True, day_first=None, future_years=99),
    lambda v: parse_date(v, day_first=False),
    clean_text,
    lambda v: clean_text(v, multiline=True, max_length=10),
    lambda v: clean_name(v, recase_capitals=True),
    parse_consent,
]


@given(CELLS)
def test_no_normaliser_raises_and_every_rejection_says_why(cell: object) -> None:
    for normalise in NORMALISERS:
        result = normalise(cell)
        assert isinstance(result, Cleaned)
        if result.rejected:
            assert isinstance(result.problem, str) and result.problem
        if result.value is None and result.problem is None:
            assert not result.rejected


@given(st.lists(st.one_of(st.text(), st.none(), st.floats(), st.integers())))
def test_column_helpers_never_raise(values: list[object]) -> None:
    detect_day_first(values)
    membership_width([v if isinstance(v, str) else None for v in values])
