"""UK postcodes: one canonical spelling, and impossible ones flagged rather than "fixed".

The shapes and letter rules are Royal Mail's: the outward code is A9, A99, AA9, AA99, A9A
or AA9A; Q, V and X never start a postcode; I, J and Z are never second; the letter after
the district digit is one of a short list, and the inward code's letters never include C,
I, K, M, O or V (they look too much like other characters when handwritten).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from db.importing.cleaned import Cleaned, cell_text, spreadsheet_error, squash

_AREA = "[A-PR-UWYZ]"
_SECOND = "[A-HK-Y]"
_OUTWARD = (
    f"(?:{_AREA}[0-9][0-9]?"  # A9, A99
    f"|{_AREA}[0-9][A-HJKPSTUW]"  # A9A
    f"|{_AREA}{_SECOND}[0-9][0-9]?"  # AA9, AA99
    f"|{_AREA}{_SECOND}[0-9][ABEHMNPRVWXY])"  # AA9A
)
_INWARD = "[0-9][ABD-HJLNP-UW-Z]{2}"

# Every postcode normalise_postcode accepts matches this, and nothing else does.
POSTCODE_PATTERN = re.compile(f"(?:{_OUTWARD} {_INWARD}|GIR 0AA|BFPO [0-9]{{1,4}})")

_COMPACT = re.compile(f"({_OUTWARD})({_INWARD})")
_BFPO = re.compile("BFPO([0-9]{1,4})")

# Letters and digits people mistake for each other when typing from paper: only ever
# offered as a suggestion in the problem text, never applied.
_LOOKALIKES = {"I": "1", "O": "0", "1": "I", "0": "O"}
_MAX_SUGGESTION_SWAPS = 3

_EMPTY: Cleaned[str] = Cleaned(None)


def normalise_postcode(value: object) -> Cleaned[str]:
    """``"sw1a\\xa01aa"`` -> ``"SW1A 1AA"``; an impossible postcode is rejected, original kept.

    Only case and spacing change: removing every space (tabs, non-breaking spaces) and
    putting exactly one before the inward code cannot turn one postcode into another.
    Normalising a result again gives the same result.
    """
    if value is None:
        return _EMPTY
    plain = plain_postcode(value)
    if plain is not None:
        return Cleaned(plain)
    if isinstance(value, dt.date | dt.time):
        return Cleaned(cell_text(value), "is a date, not a postcode", rejected=True)
    original = squash(cell_text(value))
    if not original:
        return _EMPTY
    error = spreadsheet_error(original)
    if error:
        return Cleaned(original, error, rejected=True)
    compact = "".join(original.split()).upper()
    if len(compact) <= 8:
        if compact == "GIR0AA":
            return Cleaned("GIR 0AA")
        match = _COMPACT.fullmatch(compact)
        if match:
            return Cleaned(f"{match[1]} {match[2]}")
        bfpo = _BFPO.fullmatch(compact)
        if bfpo:
            return Cleaned(f"BFPO {bfpo[1]}")
    return Cleaned(original, _why_not(compact), rejected=True)


def plain_postcode(value: object) -> str | None:
    """``value`` itself when it is a postcode written as ``normalise_postcode`` writes it
    (most cells of a list), else None: then only ``normalise_postcode`` can say."""
    if type(value) is str and POSTCODE_PATTERN.fullmatch(value):
        return value
    return None


def is_postcode(text: str) -> bool:
    """Already in canonical form (what ``normalise_postcode`` returns when it accepts)."""
    return POSTCODE_PATTERN.fullmatch(text) is not None


def _why_not(compact: str) -> str:
    if compact.isdigit():
        # Another country's postal code, or a ZIP code that lost its zeros (6106).
        return "is not a UK postcode (it has no letters)"
    suggestion = _lookalike_suggestion(compact)
    if suggestion:
        return f"is not a UK postcode (did you mean {suggestion}?)"
    return "is not a UK postcode"


def _lookalike_suggestion(compact: str) -> str | None:
    """The one valid postcode a few I/1 or O/0 swaps away, if there is exactly one."""
    if not 5 <= len(compact) <= 7:
        return None
    places = [i for i, c in enumerate(compact) if c in _LOOKALIKES]
    if not places or len(places) > 2 * _MAX_SUGGESTION_SWAPS:
        return None
    found: set[str] = set()
    for count in range(1, min(len(places), _MAX_SUGGESTION_SWAPS) + 1):
        for chosen in itertools.combinations(places, count):
            chars = list(compact)
            for i in chosen:
                chars[i] = _LOOKALIKES[chars[i]]
            match = _COMPACT.fullmatch("".join(chars))
            if match:
                found.add(f"{match[1]} {match[2]}")
        if found:
            break
    return found.pop() if len(found) == 1 else None
