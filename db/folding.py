"""Folding text the way people type at a door: no case, no accents, no apostrophes.

Unicode decomposition strips accents from most letters (Siân -> sian) but some letters
have no accent to strip (Ł, Ø, ß, Æ): they are mapped by hand. FTS5's own
``remove_diacritics 2`` handles only the first kind, so we fold before indexing.
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ẞ": "ss",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŀ": "l",
        "Ŀ": "l",
    }
)
# Apostrophes vanish (O'Brien -> obrien); every other separator becomes a space.
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    if text.isascii():
        # Most names, every email and postcode: nothing to decompose (3x faster).
        return _SEPARATORS.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()
    return fold_any(text)


def fold_any(text: str) -> str:
    """``fold`` for text of any script; ``fold`` itself short-cuts plain ASCII."""
    text = text.translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    return _SEPARATORS.sub(" ", text).strip()


def fold_name(text: str) -> str:
    """A name's folded words, the words run together and the words split at apostrophes,
    so "obrien" and "o brien" both find O'Brien, and "llyrjones" finds Llŷr-Jones."""
    if text.isalnum() and text.isascii():
        return text.lower()  # one word, nothing to fold: a membership number, a name
    words = fold(text).split()
    tokens = dict.fromkeys(words)
    tokens.update(dict.fromkeys(fold(_APOSTROPHES.sub(" ", text)).split()))
    if len(words) > 1:
        tokens["".join(words)] = None
    return " ".join(tokens)


def sort_key(last_name: str, first_name: str) -> str:
    """Alphabetical order as people expect it: surname, then first name, accent-blind."""
    return f"{fold(last_name).replace(' ', '')} {fold(first_name)}".strip()
