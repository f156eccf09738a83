"""Phone numbers: GB by default, one display format, the zero Excel dropped put back.

Typical UK numbers (mobiles, and landlines whose area code fixes the grouping) are decided
by a few regular expressions; ``phonenumbers`` is asked only about the rest (foreign
numbers, 03/05/08/09 ranges, ten-digit numbers), because it costs about 80 us a number and
a national list has tens of thousands: 100,000 typical numbers take well under a second.
GB numbers are shown in national format ("07700 900123", "0113 496 0123"), foreign ones in
international format ("+33 1 23 45 67 89"), an extension always as " ext. 45".

Landlines must be in phonenumbers' table of area codes: a wrong area code is a typing
mistake worth flagging. Mobiles need only the shape of one: ranges are allocated all the
time, and drama numbers such as 07700 900123 are what sample data and training use.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from db.importing.cleaned import Cleaned, cell_text, spreadsheet_error, squash

MOBILE = "mobile"
LANDLINE = "landline"


@dataclass(frozen=True, slots=True)
class CleanedPhone(Cleaned[str]):
    """A cleaned phone number and, when the number says so, whether it is a mobile."""

    kind: str | None = None  # MOBILE, LANDLINE or None when the number does not tell


_EMPTY = CleanedPhone(None)
_MAX_LENGTH = 80

# "x45", "ext. 45", "extension 45", "#45" at the end of the number.
_EXTENSION = re.compile(r"\s*[,;]?\s*(?:ext(?:ension|n)?\.?|x|#)\s*(\d{1,7})$", re.IGNORECASE)
# What may appear in a written number besides digits: spaces, brackets, dots, dashes, slashes.
_NUMBER_CHARS = re.compile(r"\+?[0-9\s().\-/]+")
_TEL_PREFIX = re.compile(r"^(?:tel|phone|mob(?:ile)?|home|work|m|t|h|w)\s*[:.]\s*", re.IGNORECASE)
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
# Between two numbers in one cell; a single number may use "/" inside it ("0113/496 0123"),
# so a cell counts as several numbers only if every piece is long enough to be one.
_BETWEEN_NUMBERS = re.compile(r"\s*(?:[;/,|&]|\b(?:or|and)\b)\s*", re.IGNORECASE)
_MIN_DIGITS_EACH = 7

_DIGITS = re.compile(r"\D")
# A mobile as plain_phone takes it: the third digit as in _UK_MOBILE (070 and 076 are no
# mobiles), a space only after the fifth digit. ASCII digits only: an Arabic-Indic or
# full-width digit is refused by the general path, and must not slip through this one.
_PLAIN_MOBILE = re.compile(r"(?:0|\+44 ?)(7[1-57-9]\d\d) ?(\d{6})", re.ASCII)
_TYPICAL = re.compile(r"0[1-9][0-9]{2,4}[ \-]?[0-9]{3,4}[ \-]?[0-9]{3,4}")
_NOT_UK = "is not a UK phone number (a foreign one needs its country code)"
_NOT_VALID = "is not a valid phone number"

# UK national numbers (with the leading 0) whose display grouping and kind follow from the
# leading digits alone. Each agrees with phonenumbers' national format for every number
# phonenumbers calls valid (tests/db/importing checks a sample of every range).
_UK_MOBILE = re.compile(r"07(?:[1-57-9]\d|624)\d{7}")  # 070 and 076 are not mobiles
_UK_THREE_DIGIT_AREA = re.compile(r"02\d{9}")  # 020 7946 0018
_UK_FOUR_DIGIT_AREA = re.compile(r"01(?:1\d|\d1)\d{7}")  # 0113 496 0123
# The few places with six-digit area codes inside a five-digit one (Sedbergh 015396, ...).
_UK_SIX_DIGIT_AREA = re.compile(r"01(?:3873|5242|539[4-6]|697[347]|768[347]|9467)\d{5}")


# phonenumbers' own table of landline numbers as one regular expression (under a microsecond).
def _landline_pattern(region: str) -> str:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert metadata is not None and metadata.fixed_line is not None, region
    return f"(?:{metadata.fixed_line.national_number_pattern})"


# +44 also serves Guernsey, Jersey and the Isle of Man, each with its own table.
_UK_LANDLINE = re.compile("|".join(_landline_pattern(r) for r in ("GB", "GG", "JE", "IM")))
# London's codes before 2000 (0171 and 0181 became 020 7 and 020 8): old lists still have them.
_OLD_LONDON = re.compile(r"01([78])1(\d{7})")


def normalise_phone(value: object, *, region: str = "GB") -> CleanedPhone:
    """One phone number in the house format, or rejected with the original kept.

    ``7700900123`` (int, float or text) -> ``"07700 900123"``, kind mobile. Two numbers in
    one cell keep the first and name the rest in ``problem``.
    """
    if value is None:
        return _EMPTY
    if region == "GB" and (plain := plain_phone(value)) is not None:
        return CleanedPhone(plain, kind=MOBILE)
    quick = _typical_uk_number(value) if region == "GB" else None
    if quick is not None:
        return quick
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return CleanedPhone(cell_text(value), "is not a phone number", rejected=True)
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return CleanedPhone(cell_text(value), "is not a phone number", rejected=True)
    if isinstance(value, int | float) and value <= 0:
        return CleanedPhone(cell_text(value), "is not a phone number", rejected=True)
    original = squash(cell_text(value))
    if not original:
        return _EMPTY
    error = spreadsheet_error(original)
    if error:
        return CleanedPhone(original, error, rejected=True)
    if len(original) > _MAX_LENGTH:
        return CleanedPhone(original, "is too long to be a phone number", rejected=True)
    # Only a number cell, or bare digits written out from one, can have lost its zero: a
    # number typed with spaces or brackets was typed as text, zero and all.
    zero_dropped = not isinstance(value, str) or original.isdigit()
    result = _several_or_one(original, region, zero_dropped=zero_dropped)
    if result.rejected:
        return CleanedPhone(original, result.problem, rejected=True)
    return result


def plain_phone(value: object) -> str | None:
    """A UK mobile as ``normalise_phone`` shows it, when the cell holds one written in a
    usual way ("07700 900123", "07700900123", "+44 7700 900123"), else None: the cells of
    a mobile column, mostly, answered by one regular expression."""
    if type(value) is not str:
        return None
    match = _PLAIN_MOBILE.fullmatch(value)
    if match is None:
        return None
    if len(value) == 12 and value[0] == "0":
        return value  # already "07700 900123"
    return f"0{match[1]} {match[2]}"


def _typical_uk_number(value: object) -> CleanedPhone | None:
    """Most cells hold "07700 900123", "01835-703597" or 7700900123.0: answered here in a
    third of the time of the general path, which handles everything else (and every problem)."""
    if type(value) is str:
        text = value.strip()
        if not _TYPICAL.fullmatch(text):
            return None
        national = text.replace(" ", "").replace("-", "")
    elif type(value) is float and 1e9 <= value < 1e10 and value.is_integer():
        national = f"0{int(value)}"
    else:
        return None
    if len(national) != 11:
        return None
    result = _uk_number(national, "")
    return None if result.rejected else result


def _several_or_one(original: str, region: str, *, zero_dropped: bool) -> CleanedPhone:
    pieces = [p for p in _BETWEEN_NUMBERS.split(original) if p]
    if len(pieces) > 1 and all(_digit_count(p) >= _MIN_DIGITS_EACH for p in pieces):
        first = _one_number(pieces[0], region, zero_dropped=False)
        others = ", ".join(pieces[1:])
        if first.rejected:
            why = f"holds {len(pieces)} numbers and the first {first.problem}"
            return CleanedPhone(original, why, rejected=True)
        extra = "another number" if len(pieces) == 2 else "other numbers"
        return CleanedPhone(
            first.value, f"also holds {extra} ({others}), left out", kind=first.kind
        )
    return _one_number(original, region, zero_dropped=zero_dropped)


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _one_number(text: str, region: str, *, zero_dropped: bool) -> CleanedPhone:
    text = _TEL_PREFIX.sub("", text)
    extension = ""
    found = _EXTENSION.search(text)
    if found:
        extension = found[1]
        text = text[: found.start()]
    if not _NUMBER_CHARS.fullmatch(text):
        return CleanedPhone(text, "is not a phone number", rejected=True)
    return _dial(text, region, extension, zero_dropped=zero_dropped)


def _dial(text: str, region: str, extension: str, *, zero_dropped: bool) -> CleanedPhone:
    """The number from its digits: where it is, whether a zero went missing, its format."""
    international = text.lstrip().startswith("+")
    if international:
        # "+44 (0)20 7946 0018": the bracketed 0 is only dialled from inside the country.
        text = _TRUNK_ZERO.sub("", text)
    digits = _DIGITS.sub("", text)
    if not digits:
        return CleanedPhone(text, "is not a phone number", rejected=True)
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]  # dialled from the UK: 00 33 ... is +33 ...
    elif not international and region == "GB" and len(digits) == 12 and digits[:2] == "44":
        international = True  # +44... typed into Excel, which kept the digits and lost the +

    if international:
        if digits.startswith("44"):
            national = digits[2:]
            # "+44 07700 900123": the 0 does not belong after +44, but is often written.
            return _uk_number(national if national.startswith("0") else "0" + national, extension)
        return _with_phonenumbers("+" + digits, None, extension)
    if region != "GB":
        return _with_phonenumbers(digits, region, extension)
    if zero_dropped and not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    return _uk_number(digits, extension)


def _uk_number(national: str, extension: str) -> CleanedPhone:
    """A UK number written nationally, with its leading 0."""
    if len(national) == 11:
        if _UK_MOBILE.fullmatch(national):
            return _result(f"{national[:5]} {national[5:]}", MOBILE, extension)
        if old := _OLD_LONDON.fullmatch(national):
            now = f"020 {old[1]}{old[2][:3]} {old[2][3:]}"
            return CleanedPhone(
                national, f"has London's code from before 2000 (now {now}?)", rejected=True
            )
        if national[1] in "12" and _UK_LANDLINE.fullmatch(national, 1):
            if _UK_THREE_DIGIT_AREA.fullmatch(national):
                shown = f"{national[:3]} {national[3:7]} {national[7:]}"
            elif _UK_FOUR_DIGIT_AREA.fullmatch(national):
                shown = f"{national[:4]} {national[4:7]} {national[7:]}"
            elif _UK_SIX_DIGIT_AREA.fullmatch(national):
                shown = f"{national[:6]} {national[6:]}"
            else:
                shown = f"{national[:5]} {national[5:]}"
            return _result(shown, LANDLINE, extension)
        if national[1] in "12":
            # Only landlines start 01 or 02, and those are all in phonenumbers' table.
            return CleanedPhone(national, "is not a valid UK phone number", rejected=True)
    if len(national) > 11:
        return CleanedPhone(national, "has too many digits for a UK phone number", rejected=True)
    if national[:2] in ("04", "06"):
        # No UK number starts so: a foreign number written without its country code.
        return CleanedPhone(national, _NOT_UK, rejected=True)
    if not national.startswith("0"):
        # Typed as text without its 0: suggest it, but a person wrote it so a person decides
        # (phonenumbers itself would quietly read it as a national number missing its 0).
        guess = _uk_number("0" + national, extension) if len(national) in (9, 10) else None
        if guess is not None and guess.kind is not None:
            return CleanedPhone(national, f"has no leading 0 (is it {guess.value}?)", rejected=True)
        return CleanedPhone(national, _NOT_UK, rejected=True)
    return _with_phonenumbers(national, "GB", extension)


def _with_phonenumbers(number: str, region: str | None, extension: str) -> CleanedPhone:
    try:
        parsed = phonenumbers.parse(number, region)
    except NumberParseException:
        return CleanedPhone(number, "is not a phone number", rejected=True)
    if not phonenumbers.is_valid_number(parsed):
        why = "is not a valid UK phone number" if parsed.country_code == 44 else _NOT_VALID
        return CleanedPhone(number, why, rejected=True)
    if parsed.country_code == 44:
        shown = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    else:
        shown = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    number_type = phonenumbers.number_type(parsed)
    kind = (
        MOBILE
        if number_type == PhoneNumberType.MOBILE
        else LANDLINE
        if number_type == PhoneNumberType.FIXED_LINE
        else None
    )
    return _result(shown, kind, extension)


def _result(shown: str, kind: str | None, extension: str) -> CleanedPhone:
    if extension:
        shown = f"{shown} ext. {extension}"
    return CleanedPhone(shown, kind=kind)
