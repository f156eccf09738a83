"""The importer's shortcuts for plain cells give exactly what the full cleaners give.

Each shortcut answers only for values it is sure of; here every value it answers for is
also put through the full cleaner, written so the shortcut cannot take it (spaces around
it, another case), and the two must agree."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from db.importing.candidate_values import (
    date_cleaner,
    name_cleaner,
    plain_email,
    plain_membership_number,
    quick_date,
    quick_name,
)
from db.importing.normalise import (
    clean_text,
    normalise_email,
    normalise_membership_number,
    normalise_phone,
    normalise_postcode,
    plain_text,
)
from db.importing.phones import plain_phone
from db.importing.postcodes import plain_postcode

TODAY = dt.date(2026, 11, 27)
WORDS = st.text(alphabet="abcXYZ éŁ'-.,0123456789\t\u00a0", max_size=20)
MANY = settings(max_examples=400, deadline=None)


@MANY
@given(value=WORDS, limit=st.one_of(st.none(), st.integers(1, 15)))
def test_plain_text(value: str, limit: int | None) -> None:
    plain = plain_text(value, limit)
    if plain is not None:
        assert plain == value
        full = clean_text(f"  {value}  ", max_length=limit)
        assert (full.value, full.problem, full.rejected) == (value, None, False)


@MANY
@given(
    value=st.one_of(
        WORDS, st.from_regex(r"[A-Z][A-Z]?[0-9][0-9A-Z]? [0-9][A-Z]{2}", fullmatch=True)
    )
)
def test_plain_postcode(value: str) -> None:
    plain = plain_postcode(value)
    if plain is not None:
        full = normalise_postcode(f" {value.lower()} ")
        assert (full.value, full.rejected) == (plain, False)


@MANY
@given(value=st.one_of(WORDS, st.from_regex(r"(0|\+44 ?)7[0-9]{3} ?[0-9]{6}", fullmatch=True)))
def test_plain_phone(value: str) -> None:
    plain = plain_phone(value)
    if plain is not None:
        full = normalise_phone(f" {value} ")
        assert (full.value, full.rejected) == (plain, False)


@MANY
@given(value=st.one_of(WORDS, st.emails()))
def test_plain_email(value: str) -> None:
    plain = plain_email(value)
    if plain is not None:
        full = normalise_email(value)
        assert (full.value, full.problem, full.rejected) == (plain, None, False)


@MANY
@given(value=st.one_of(WORDS, st.integers(-5, 10**12), st.floats(allow_nan=True)))
def test_plain_membership_number(value: object) -> None:
    plain = plain_membership_number(value)
    if plain is not None:
        full = normalise_membership_number(value)
        assert (full.value, full.rejected) == (plain, False)


@MANY
@given(value=WORDS, field=st.sampled_from(["title", "first_name", "last_name"]))
def test_quick_name(value: str, field: str) -> None:
    quick = quick_name(field)(value)
    if quick is not None:
        full = name_cleaner(field)(f" {value} ")
        assert (full.value, full.rejected) == (quick, False)


@MANY
@given(
    value=st.dates(dt.date(1890, 1, 1), dt.date(2040, 1, 1)),
    field=st.sampled_from(["date_of_birth", "joined_on", "lapsed_on"]),
)
def test_quick_date(value: dt.date, field: str) -> None:
    quick = quick_date(field, today=TODAY)(value)
    full = date_cleaner(field, date1904=False, day_first=True, today=TODAY)(value)
    if quick is not None:
        assert (full.value, full.rejected) == (quick, False)
    else:
        assert full.rejected or full.value != value
