"""Cleaning one cell for one field: the place the importer calls for every normaliser.

Postcodes, phone numbers and dates have their own modules; emails, membership numbers,
names and yes/no consent cells are here. Every function takes any raw cell, never raises,
and never turns a wrong value into a different one without saying so.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable

from db.importing.cleaned import Cell, Cleaned, cell_text, spreadsheet_error, squash
from db.importing.dates import (
    date_order_evidence,
    detect_day_first,
    from_excel_serial,
    parse_date,
)
from db.importing.phones import LANDLINE, MOBILE, CleanedPhone, normalise_phone
from db.importing.postcodes import POSTCODE_PATTERN, is_postcode, normalise_postcode

__all__ = [
    "LANDLINE",
    "MOBILE",
    "POSTCODE_PATTERN",
    "Cell",
    "Cleaned",
    "CleanedPhone",
    "clean_name",
    "clean_text",
    "date_order_evidence",
    "detect_day_first",
    "from_excel_serial",
    "is_postcode",
    "membership_width",
    "normalise_email",
    "normalise_membership_number",
    "normalise_phone",
    "normalise_postcode",
    "parse_consent",
    "parse_date",
    "plain_text",
    "recase_name",
    "restore_width",
]

_EMPTY_TEXT: Cleaned[str] = Cleaned(None)

# --- Email -------------------------------------------------------------------------------

# Sensible, not RFC 5322: one @, no spaces, a dotted domain ending in letters. Unicode
# letters are allowed on both sides (internationalised addresses exist).
_LOCAL = r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]{{1,59}})")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_NAMED = re.compile(r"^[^<>]*<([^<>]+)>$")  # "Jane Doe <jane@example.org>"
_EMAIL_SEPARATORS = re.compile(r"[\s;,|]+")
_JOINING_WORDS = frozenset({"/", "or", "and", "&"})
_MAX_EMAIL = 254


def normalise_email(value: object) -> Cleaned[str]:
    """Trimmed, lower case, ``mailto:`` gone; the first of several, with the rest named."""
    if value is None:
        return _EMPTY_TEXT
    original = squash(cell_text(value))
    if not original:
        return _EMPTY_TEXT
    error = spreadsheet_error(original)
    if error:
        return Cleaned(original, error, rejected=True)
    if not isinstance(value, str):
        return Cleaned(original, "is not an email address", rejected=True)
    if len(original) > 4 * _MAX_EMAIL:
        return Cleaned(original, "is too long to be an email address", rejected=True)
    named = _NAMED.match(original)
    text = named[1].strip() if named else original
    tokens = [
        _MAILTO.sub("", t).lower()
        for t in _EMAIL_SEPARATORS.split(text)
        if t and t.lower() not in _JOINING_WORDS
    ]
    if not tokens:
        return Cleaned(original, "is not an email address", rejected=True)
    if not all(len(t) <= _MAX_EMAIL and _EMAIL.fullmatch(t) for t in tokens):
        if len(tokens) > 1 or "@" not in original:
            return Cleaned(original, "is not an email address", rejected=True)
        return Cleaned(original, "is not a valid email address", rejected=True)
    if len(tokens) > 1:
        return Cleaned(tokens[0], f"also holds {', '.join(tokens[1:])}, left out")
    return Cleaned(tokens[0])


# --- Membership numbers ------------------------------------------------------------------

# Floats hold whole numbers exactly only up to 2**53; past that the digits already changed.
_EXACT_FLOAT = 2**53
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)
_FLOAT_TEXT = re.compile(r"(\d+)\.0+")  # "805914.0", written out from a number cell
_MAX_MEMBERSHIP = 40  # the column's width in the database


def normalise_membership_number(value: object) -> Cleaned[str]:
    """Always text: 805914.0 -> "805914"; text keeps its leading zeros ("0805914")."""
    if value is None:
        return _EMPTY_TEXT
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return Cleaned(cell_text(value), "is not a membership number", rejected=True)
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer() and value >= 0):
            return Cleaned(cell_text(value), "is not a whole number", rejected=True)
        if value > _EXACT_FLOAT:
            why = "is too long to survive as a number; format the column as text"
            return Cleaned(cell_text(value), why, rejected=True)
    if isinstance(value, int | float):
        text = cell_text(value)
        if value < 0:
            return Cleaned(text, "is not a membership number", rejected=True)
    else:
        text = squash(cell_text(value))
        if not text:
            return _EMPTY_TEXT
        error = spreadsheet_error(text)
        if error:
            return Cleaned(text, error, rejected=True)
        if _SCIENTIFIC.fullmatch(text):
            why = "was turned into scientific notation by a spreadsheet, losing digits"
            return Cleaned(text, why, rejected=True)
        whole = _FLOAT_TEXT.fullmatch(text)
        if whole:
            text = whole[1]
    if len(text) > _MAX_MEMBERSHIP:
        return Cleaned(text, "is too long to be a membership number", rejected=True)
    return Cleaned(text)


def membership_width(values: Iterable[str | None]) -> int | None:
    """The fixed width a column's membership numbers were issued at, if the column shows one.

    Most all-digit values (three in four) must share one width of at least six digits: a
    shorter common width is as likely a row counter (1, 2, ... 99999) whose short values are
    no more missing zeros than anyone's.
    """
    lengths = Counter(len(v) for v in values if v and v.isascii() and v.isdigit())
    if not lengths:
        return None
    width, count = lengths.most_common(1)[0]
    if width < 6 or count * 4 < sum(lengths.values()) * 3:
        return None
    return width


def restore_width(number: str, width: int) -> Cleaned[str]:
    """``"805914"`` at width 7 -> ``"0805914"``, flagged: the zeros a spreadsheet dropped."""
    if not (number.isascii() and number.isdigit()) or len(number) >= width:
        return Cleaned(number)
    restored = number.zfill(width)
    return Cleaned(restored, f"had lost its leading zeros; restored as {restored}")


# --- Names and text ----------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n?|\n")


def plain_text(value: object, max_length: int | None = None) -> str | None:
    """``value`` itself when ``clean_text`` would take it unchanged (single- or multiline),
    else None: text with nothing to tidy, which is nearly every cell of a list.

    Printable text holds no control, invisible or line-break characters, and no whitespace
    but the plain space (every other kind is a Unicode separator or control, which
    ``isprintable`` refuses), so only spaces at the ends or in pairs remain to check.
    """
    if (
        type(value) is str
        and value.isprintable()
        and value
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
        and (max_length is None or len(value) <= max_length)
        and spreadsheet_error(value) is None
    ):
        return value
    return None


def clean_text(
    value: object, *, multiline: bool = False, max_length: int | None = None
) -> Cleaned[str]:
    """Trimmed, runs of spaces (and non-breaking spaces) one space; accents, apostrophes and
    case untouched. ``multiline`` keeps line breaks (notes), trimming each line."""
    if value is None:
        return _EMPTY_TEXT
    plain = plain_text(value, max_length)
    if plain is not None:
        return Cleaned(plain)
    if isinstance(value, float) and not math.isfinite(value):
        return Cleaned(cell_text(value), "is not text", rejected=True)
    raw = _CONTROL.sub("", cell_text(value))
    if multiline:
        lines = [squash(line) for line in _LINE_BREAKS.split(raw)]
        text = "\n".join(lines).strip("\n")
    else:
        text = squash(raw)
    if not text:
        return _EMPTY_TEXT
    error = spreadsheet_error(text)
    if error:
        return Cleaned(text, error, rejected=True)
    if max_length is not None and len(text) > max_length:
        return Cleaned(text, f"is longer than {max_length} characters", rejected=True)
    return Cleaned(text)


def clean_name(
    value: object, *, recase_capitals: bool = False, max_length: int | None = None
) -> Cleaned[str]:
    """``clean_text`` for a name; with ``recase_capitals`` an ALL-CAPS name is re-cased as
    the person would write it (O'BRIEN -> O'Brien). Mixed case is always left alone."""
    cleaned = clean_text(value, max_length=max_length)
    if cleaned.value is None or cleaned.rejected or not recase_capitals:
        return cleaned
    return Cleaned(recase_name(cleaned.value))


# Particles written in lower case inside a name (van der Berg, de Souza, ap Rhys), though
# never as its last word. Left out: words that are also first names (Di, Della, La Toya).
_PARTICLES = frozenset({"van", "von", "der", "den", "ter", "ten", "de", "du", "dos", "das", "ap"})
_ROMAN = frozenset({"ii", "iii", "iv", "vi", "vii", "viii"})
_APOSTROPHE = re.compile("(['\u2019])")
_HYPHEN = re.compile("([-\u2010])")


def recase_name(text: str) -> str:
    """An ALL-CAPS name in the case people write it; any other text unchanged.

    Conservative on purpose: Mc is handled (McDonald) but Mac is not (Machin, Mack);
    a letter after an apostrophe is capitalised only after one letter (O'Brien, D'Arcy,
    but Ng'ang'a).
    """
    if text != text.upper() or text == text.lower():
        return text
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i < len(words) - 1 and lower in _PARTICLES:
            out.append(lower)
        elif i > 0 and lower in _ROMAN:
            out.append(word)
        else:
            out.append("".join(_recase_part(p) for p in _HYPHEN.split(word)))
    return " ".join(out)


def _recase_part(part: str) -> str:
    pieces = _APOSTROPHE.split(part)
    if len(pieces) == 3 and len(pieces[0]) == 1 and pieces[2]:
        return pieces[0].upper() + pieces[1] + _capitalise(pieces[2])
    lower = part.lower()
    if lower.startswith("mc") and len(part) > 3 and part[2].isalpha():
        return "Mc" + _capitalise(part[2:])
    return _capitalise(part)


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


# --- Consent (yes / no) ------------------------------------------------------------------

_YES = frozenset(
    {"y", "yes", "true", "t", "1", "x", "✓", "✔", "☑", "ok", "allowed", "consent", "consented"}
    | {"opt in", "opt-in", "opted in", "opted-in", "subscribed", "agreed", "agree"}
)
_NO = frozenset(
    {"n", "no", "false", "f", "0", "✗", "✘", "☐", "refused", "declined", "not allowed"}
    | {"opt out", "opt-out", "opted out", "opted-out", "unsubscribed", "do not contact"}
)


def parse_consent(value: object) -> Cleaned[bool]:
    """Y / yes / TRUE / 1 / x -> True; N / no / FALSE / 0 -> False; blank -> None (unknown,
    not a refusal); anything else rejected."""
    if value is None:
        return Cleaned(None)
    if isinstance(value, bool):
        return Cleaned(value)
    if isinstance(value, int | float):
        if value in (0, 1):
            return Cleaned(value == 1)
        return Cleaned(None, "is not yes or no", rejected=True)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return Cleaned(None, "is not yes or no", rejected=True)
    original = squash(cell_text(value))
    if not original:
        return Cleaned(None)
    text = original.lower().rstrip(".!")
    if text in _YES:
        return Cleaned(True)
    if text in _NO:
        return Cleaned(False)
    return Cleaned(None, spreadsheet_error(original) or "is not yes or no", rejected=True)
