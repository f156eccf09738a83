"""What a name list of one origin holds: first names, middle names and surnames.

The lists themselves are in ``names_isles`` and ``names_overseas``. Everything in the word
lists is plain data in a fixed order (tuples, never sets), so that the demo generator draws
the same people from the same seed on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NameSet:
    """First names and surnames of one origin.

    ``surnames`` holds (male form, female form) pairs: the same word for most languages,
    different for Polish (Kowalski / Kowalska) and for some South Asian and Irish names
    (Singh / Kaur). ``share_surname`` is how often partners of this origin share one.
    """

    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]
    male_middle: tuple[str, ...] = ()
    female_middle: tuple[str, ...] = ()
    share_surname: float = 0.6


def same_forms(*names: str) -> tuple[tuple[str, str], ...]:
    """Surnames that are the same for a man and a woman, as (male, female) pairs."""
    return tuple((name, name) for name in names)
