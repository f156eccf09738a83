"""Where imported people live: households found by address, wards and polling districts by name.

People at one address share one household: a row whose first address line and postcode
match a household already kept (accent-, case- and punctuation-blind) joins it, and rows of
one file at one new address share the household created for the first of them. New
households, wards and polling districts are written in bulk with ids given here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.bulk import insert_rows, insert_tuples, next_id, select_rows
from db.folding import fold
from db.importing.matching import Folded
from db.models import Household, PollingDistrict, Ward, utcnow

__all__ = [
    "Address",
    "KeptHouseholds",
    "Places",
    "household_keys",
    "merged_lines",
    "street_key",
    "three_lines",
]

Address = tuple[
    tuple[str, ...], str | None, str | None, str | None
]  # lines, town, county, postcode

_CODE_WIDTH = 20  # PollingDistrict.code
# New households are kept as tuples in this order (a dict each costs more than the insert).
_HOUSEHOLD_COLUMNS = (
    "id",
    "line1",
    "line2",
    "line3",
    "town",
    "county",
    "postcode",
    "ward_id",
    "polling_district_id",
    "created_at",
    "updated_at",
)


def three_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    """At most three address lines, as a household keeps: extra lines join the third."""
    if len(lines) <= 3:
        return lines
    return (*lines[:2], ", ".join(lines[2:]))


# The last word of a first address line, as lists abbreviate it: "1 High St." is "1 High Street".
_STREET_WORDS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "ct": "court",
}


def merged_lines(
    file_lines: tuple[str, ...], stored_lines: tuple[str, ...], fold_line: Callable[[str], str]
) -> tuple[str, ...]:
    """The lines a household should hold after an import: the file's, unless they are the
    stored ones (or the first of them) written another way. A list with one address column
    must not erase the second line the branch keeps."""
    if not file_lines or file_lines == stored_lines[: len(file_lines)]:
        return stored_lines  # the usual case, answered before any folding
    file_lines = three_lines(file_lines)
    given = [street_key(fold_line(line)) for line in file_lines]
    kept = [street_key(fold_line(line)) for line in stored_lines]
    return stored_lines if given == kept[: len(given)] else file_lines


def street_key(folded: str) -> str:
    """A folded address line with its last word spelt out, for comparing lines."""
    head, _, last = folded.rpartition(" ")
    full = _STREET_WORDS.get(last)
    if full is None:
        return folded
    return f"{head} {full}" if head else full


def _key(
    line1: str, postcode: str | None, town: str | None, folded: Folded
) -> tuple[str, str] | None:
    """What two rows at one address share: the first line and the postcode, or without a
    postcode the town ("The Laurels" is in many towns); with neither, nothing to go on."""
    if postcode:
        return street_key(folded[line1]), folded[postcode]
    if town:
        return street_key(folded[line1]), "in " + folded[town]
    return None


# household_keys as read in a transaction's view, with the folding it did.
KeptHouseholds = tuple[dict[tuple[str, str], int], Folded]


def household_keys(session: Session, folded: Folded) -> dict[tuple[str, str], int]:
    """Every kept household by what rows at its address share (the oldest where two do)."""
    households: dict[tuple[str, str], int] = {}
    for hid, line1, postcode, town in select_rows(
        session,
        select(Household.id, Household.line1, Household.postcode, Household.town).order_by(
            Household.id
        ),
    ):
        key = _key(line1, postcode, town, folded) if line1 else None
        if key is not None:
            households.setdefault(key, hid)
    return households


class Places:
    """Households, wards and polling districts: those kept, and those an import adds."""

    def __init__(
        self,
        session: Session,
        now: dt.datetime | None = None,
        kept: KeptHouseholds | None = None,
    ) -> None:
        """``now``: when the households made here are created (by default, as each is);
        ``kept``: ``household_keys`` already read in this transaction's view, with the
        folding it did (it is copied: the households added here are not kept in it)."""
        self.session = session
        self.now = now
        if kept is None:
            # Postcodes and towns repeat thousands of times in a list: each is folded once.
            self.folded = Folded()
            self.households = household_keys(session, self.folded)
        else:
            self.households, self.folded = dict(kept[0]), kept[1]
        self.wards = {fold(name): wid for wid, name in session.execute(select(Ward.id, Ward.name))}
        self.districts: dict[str, int] = {}
        self.codes: set[str] = set()
        for pid, code, name in session.execute(
            select(PollingDistrict.id, PollingDistrict.code, PollingDistrict.name)
        ):
            self.codes.add(code)
            self.districts.setdefault(fold(code), pid)
            if name:
                self.districts.setdefault(fold(name), pid)
        self._next = {
            "household": next_id(session, Household.__table__),  # type: ignore[arg-type]
            "ward": next_id(session, Ward.__table__),  # type: ignore[arg-type]
            "polling_district": next_id(session, PollingDistrict.__table__),  # type: ignore[arg-type]
        }
        self.new_households: list[tuple[Any, ...]] = []
        self.new_wards: list[dict[str, Any]] = []
        self.new_districts: list[dict[str, Any]] = []

    def household_for(
        self, address: Address, ward: str | None, district: str | None
    ) -> tuple[int | None, bool]:
        """The household at ``address`` (created if none is kept) and whether it is new;
        (None, False) when the row gives no address at all."""
        lines, town, county, postcode = address
        lines = three_lines(lines)
        if not lines and not (postcode or town):
            return None, False
        key = _key(lines[0], postcode, town, self.folded) if lines else None
        if key is not None:
            found = self.households.get(key)
            if found is not None:
                return found, False
        hid = self._take("household")
        if key is not None:
            self.households[key] = hid
        # else: a postcode without a street is kept for this person alone; a postcode
        # is fifteen houses, not one household.
        now = self.now or utcnow()
        self.new_households.append(
            (
                hid,
                lines[0] if lines else "",
                lines[1] if len(lines) > 1 else None,
                lines[2] if len(lines) > 2 else None,
                town,
                county,
                postcode,
                self._ward(ward),
                self._district(district),
                now,
                now,
            )
        )
        return hid, True

    def write(self) -> None:
        """Insert what was created, wards and districts before the households naming them."""
        insert_rows(self.session, Ward.__table__, self.new_wards)  # type: ignore[arg-type]
        insert_rows(self.session, PollingDistrict.__table__, self.new_districts)  # type: ignore[arg-type]
        insert_tuples(
            self.session,
            Household.__table__,  # type: ignore[arg-type]
            _HOUSEHOLD_COLUMNS,
            self.new_households,
        )

    def created_household_ids(self) -> list[int]:
        return [row[0] for row in self.new_households]

    def _take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def _ward(self, name: str | None) -> int | None:
        if not name:
            return None
        key = self.folded[name]
        found = self.wards.get(key)
        if found is None:
            found = self.wards[key] = self._take("ward")
            self.new_wards.append({"id": found, "name": name, "code": None})
        return found

    def _district(self, text: str | None) -> int | None:
        """A polling district by its code or its name; a new one keeps a short text as its
        code ("AB1") and a long one as its name, with a code made from it."""
        if not text:
            return None
        key = self.folded[text]
        found = self.districts.get(key)
        if found is not None:
            return found
        found = self.districts[key] = self._take("polling_district")
        if len(text) <= _CODE_WIDTH:
            code, name = text.upper(), None
        else:
            code, name = self._unique_code(text), text
        self.codes.add(code)
        self.new_districts.append({"id": found, "code": code, "name": name, "ward_id": None})
        return found

    def _unique_code(self, text: str) -> str:
        base = "".join(fold(text).upper().split())[: _CODE_WIDTH - 3]
        code, n = base, 1
        while code in self.codes:
            n += 1
            code = f"{base}-{n}"
        return code
