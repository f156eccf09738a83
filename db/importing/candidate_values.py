"""The per-field rules ``candidates.clean_table`` applies on top of the normalisers: how long
each text may be, which dates make sense, what a status cell means and how a full name splits.

Each cleaner takes one raw cell and returns a ``Cleaned``; none of them raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from db.folding import fold
from db.importing.cleaned import Cleaned, cell_text, spreadsheet_error, squash
from db.importing.normalise import (
    clean_name,
    clean_text,
    normalise_email,
    normalise_membership_number,
    parse_date,
    plain_text,
    recase_name,
)

# The widths of db/models/people.py's columns: a longer value would fail the whole import's
# transaction later, so it is rejected here, in the row and column it came from.
MAX_LENGTHS = {
    "title": 40,
    "first_name": 120,
    "middle_names": 200,
    "last_name": 120,
    "preferred_name": 120,
    "address_line": 200,
    "town": 120,
    "county": 120,
    "ward": 120,
    # PollingDistrict.code is 20 wide but its name 120; which one a cell holds is for the
    # merging stage to decide, so only the wider limit applies here.
    "polling_district": 120,
    "membership_type": 60,
}

EARLIEST = dt.date(1900, 1, 1)
# Two-digit years in an expiry column may point this far ahead ("31/03/27" is 2027).
EXPIRY_YEARS_AHEAD = 10


# --- Shortcuts for the two columns whose every value differs --------------------------------
#
# Emails and membership numbers are unique per person, so caching by value saves nothing and
# their normalisers (10-15 us a cell) would dominate a 100,000-row import. The plainest
# values, which are most of them, take these shortcuts; each gives exactly what its
# normaliser gives (tests/db/importing/test_candidates.py checks that), everything else
# goes to the normaliser.

# A strict subset of what normalise_email accepts unchanged: lower-case ASCII, no spaces.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_MAX_EMAIL = 254
_MAX_MEMBERSHIP = 40
_EXACT_FLOAT = 2.0**53
_INT_LIMIT = 10**_MAX_MEMBERSHIP


def quick_email(value: object) -> Cleaned[str]:
    plain = plain_email(value)
    return normalise_email(value) if plain is None else Cleaned(plain)


def plain_email(value: object) -> str | None:
    """What ``normalise_email`` makes of the plainest values, or None: ask it."""
    if isinstance(value, str) and len(value) <= _MAX_EMAIL and _PLAIN_EMAIL.fullmatch(value):
        return value
    return None


def quick_membership_number(value: object) -> Cleaned[str]:
    plain = plain_membership_number(value)
    return normalise_membership_number(value) if plain is None else Cleaned(plain)


def plain_membership_number(value: object) -> str | None:
    """What ``normalise_membership_number`` makes of the plainest values, or None: ask it."""
    if isinstance(value, str):
        if value.isdigit() and value.isascii() and len(value) <= _MAX_MEMBERSHIP:
            return value
    elif isinstance(value, float):
        if value.is_integer() and 0 <= value <= _EXACT_FLOAT:
            return str(int(value))
    elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _INT_LIMIT:
        return str(value)
    return None


def text_cleaner(field: str) -> Callable[[object], Cleaned[str]]:
    limit = MAX_LENGTHS.get(field)
    return lambda value: clean_text(value, max_length=limit)


def address_cleaner(value: object) -> Cleaned[str]:
    """An address cell; line breaks inside it are kept, each line becoming a line of the
    address (one "Address" cell often holds the whole address)."""
    cleaned = clean_text(value, multiline=True)
    if cleaned.value is None or cleaned.rejected:
        return cleaned
    limit = MAX_LENGTHS["address_line"]
    if any(len(line) > limit for line in cleaned.value.split("\n")):
        return Cleaned(cleaned.value, f"is longer than {limit} characters", rejected=True)
    return cleaned


def name_cleaner(field: str) -> Callable[[object], Cleaned[str]]:
    limit = MAX_LENGTHS[field]
    # National lists often arrive in capitals; letters and labels should not shout.
    return lambda value: clean_name(value, recase_capitals=True, max_length=limit)


# --- What a cleaner gives the plainest cells, without building a Cleaned ------------------
#
# ``clean_column`` asks these first for each distinct value of a column (a Cleaned costs a
# microsecond, as much as the check); None sends the value to the cleaner itself. Each gives
# exactly the value its cleaner gives when that finds nothing to say, or None.

Quick = Callable[[object], Any]


def quick_text(field: str | None) -> Callable[[object], str | None]:
    """For ``text_cleaner(field)``; None for the unlimited multiline text of notes."""
    limit = MAX_LENGTHS.get(field) if field else None
    return lambda value: plain_text(value, limit)


def quick_address(value: object) -> str | None:
    """For ``address_cleaner``: plain text is one line, so the line limit is its length's."""
    return plain_text(value, MAX_LENGTHS["address_line"])


def quick_name(field: str) -> Callable[[object], str | None]:
    """For ``name_cleaner(field)``."""
    limit = MAX_LENGTHS[field]

    def quick(value: object) -> str | None:
        text = plain_text(value, limit)
        return None if text is None else recase_name(text)

    return quick


def quick_date(field: str, *, today: dt.date) -> Callable[[object], dt.date | None]:
    """For ``date_cleaner(field, ...)``: a date cell in its field's range is itself."""
    latest = None if field == "lapsed_on" else today

    def quick(value: object) -> dt.date | None:
        if type(value) is dt.date and value >= EARLIEST and (latest is None or value <= latest):
            return value
        return None

    return quick


def date_cleaner(
    field: str, *, date1904: bool, day_first: bool | None, today: dt.date
) -> Callable[[object], Cleaned[dt.date]]:
    """``parse_date`` plus the range a date of birth, joining date or lapse date can be in."""
    future_years = EXPIRY_YEARS_AHEAD if field == "lapsed_on" else 0
    # A lapse (or expiry) date may lie ahead; a birth or a joining may not.
    latest = None if field == "lapsed_on" else today

    def clean(value: object) -> Cleaned[dt.date]:
        parsed = parse_date(
            value, date1904=date1904, day_first=day_first, today=today, future_years=future_years
        )
        found = parsed.value
        if found is None or parsed.rejected:
            return parsed
        if found < EARLIEST:
            return Cleaned(None, "is before 1900", rejected=True)
        if latest is not None and found > latest:
            return Cleaned(None, f"is in the future ({_long(found)})", rejected=True)
        return parsed

    return clean


def _long(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


# --- Status ------------------------------------------------------------------------------

# Folded status text -> the domain's word (db.models.vocabulary.PERSON_STATUSES).
_STATUSES = {
    "member": "member",
    "members": "member",
    "current": "member",
    "current member": "member",
    "active": "member",
    "active member": "member",
    "full member": "member",
    "paid": "member",
    "paid up": "member",
    "new": "member",
    "new member": "member",
    "renewed": "member",
    "in good standing": "member",
    "lapsed": "lapsed",
    "lapsed member": "lapsed",
    "expired": "lapsed",
    "inactive": "lapsed",
    "former member": "lapsed",
    "ex member": "lapsed",
    "past member": "lapsed",
    "resigned": "lapsed",
    "cancelled": "lapsed",
    "canceled": "lapsed",
    "left": "lapsed",
    "supporter": "supporter",
    "registered supporter": "supporter",
    "affiliated supporter": "supporter",
    "friend": "supporter",
    "contact": "contact",
    "non member": "contact",
    "nonmember": "contact",
    "not a member": "contact",
    "guest": "guest",
    "visitor": "guest",
}
# Still members, but the file says more than "member": kept, with the original named, so a
# secretary chasing subscriptions can still find them in the problems list.
_MEMBER_WITH_A_CAVEAT = frozenset({"arrears", "in arrears", "grace", "grace period", "unpaid"})
_UNKNOWN_STATUS = (
    "is not a membership status Branchbook knows (member, lapsed, supporter, contact or guest)"
)


def clean_status(value: object) -> Cleaned[str]:
    if value is None:
        return Cleaned(None)
    original = squash(cell_text(value))
    if not original:
        return Cleaned(None)
    error = spreadsheet_error(original)
    if error:
        return Cleaned(None, error, rejected=True)
    if not isinstance(value, str):
        return Cleaned(None, _UNKNOWN_STATUS, rejected=True)
    key = fold(original)
    found = _STATUSES.get(key)
    if found is not None:
        return Cleaned(found)
    if key in _MEMBER_WITH_A_CAVEAT:
        return Cleaned("member", "was read as a member")
    return Cleaned(None, _UNKNOWN_STATUS, rejected=True)


# --- Full names --------------------------------------------------------------------------

_TITLES = {
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "dr": "Dr",
    "mx": "Mx",
    "rev": "Rev",
    "revd": "Revd",
    "prof": "Prof",
    "cllr": "Cllr",  # a party branch has councillors among its members
}
# Written in lower case before a last name ("Ludwig van Beethoven", "Ana de la Cruz"); only
# as written in lower case, so "Chris De Burgh" stays as given.
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "la", "le", "du", "da", "ap"})
_TITLE_DOT = re.compile(r"\.$")


@dataclass(frozen=True, slots=True)
class SplitName:
    title: str | None
    first: str | None
    last: str | None
    problem: str | None = None


def split_full_name(text: str) -> SplitName:
    """ "Mrs Anne Smith" -> Mrs / Anne / Smith; "Smith, Anne" -> Anne / Smith.

    Conservative: everything before the last name stays in the first name (a middle name
    cannot be told from a double first name such as Mary Ann).
    """
    if "," in text:
        last_part, _, rest = text.partition(",")
        title, words = _peel_title(rest.split())
        last = " ".join(last_part.split()) or None
        if "," in rest:
            return SplitName(title, " ".join(words) or None, last, "has more than one comma")
        return SplitName(title, " ".join(words) or None, last)
    title, words = _peel_title(text.split())
    if not words:
        return SplitName(title, None, None)
    start = len(words) - 1
    while start > 0 and words[start - 1] in _PARTICLES:
        start -= 1
    first = " ".join(words[:start]) or None
    last = " ".join(words[start:])
    if first is None:
        return SplitName(title, None, last, "has one name only, taken as the last name")
    return SplitName(title, first, last)


def _peel_title(words: list[str]) -> tuple[str | None, list[str]]:
    # A lone "Miss" or "Dr" is a (strange) name, not a title with nothing after it.
    if len(words) > 1:
        title = _TITLES.get(_TITLE_DOT.sub("", words[0]).lower())
        if title is not None:
            return title, words[1:]
    return None, words
