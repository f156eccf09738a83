"""The builder's own records: people before and after they are written, streets,
addresses and meetings, and the plain row dictionaries that go to the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(slots=True)
class Spec:
    """A person before they get an id: names, sex, age and what they are to the branch."""

    first: str
    last: str
    gender: str  # "f", "m" or "x"
    age: int
    status: str
    origin: str
    middle: str | None = None
    preferred: str | None = None
    tags: tuple[str, ...] = ()
    tier: int | None = None


@dataclass(slots=True)
class Known:
    """What later stages need to know about a person once written."""

    id: int
    status: str
    joined: dt.date | None
    lapsed: dt.date | None
    since: dt.date
    age: int
    tier: int
    activity: int
    delegate: bool = False
    guest_meetings: tuple[int, ...] = ()
    attended: list[dt.date] = field(default_factory=list)


@dataclass(slots=True)
class Street:
    name: str
    town: str
    locality: str
    outward: str
    sector: int
    ward_id: int
    district_id: int
    numbers: list[int] | None
    length: int
    block: str | None = None
    block_number: int = 0
    units: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Address:
    line1: str
    line2: str | None
    line3: str | None
    town: str
    postcode: str
    ward_id: int | None
    district_id: int | None


@dataclass(slots=True)
class Meeting:
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    past: bool
    motions: list[int] = field(default_factory=list)
    talks: list[int] = field(default_factory=list)
    speaker_item: int | None = None
