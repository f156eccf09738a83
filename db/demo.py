"""Demo data: a believable local branch, built fast and the same every time.

``generate_demo`` writes a branch into a session with Core bulk inserts (the ORM's unit of
work is an order of magnitude slower at 100,000 people) and yields its progress;
``load_demo`` drives it in one transaction that is committed only when everything is
written, so a cancelled or failed load leaves the database exactly as it was.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, and every date is
counted from ``as_of``: the same seed and the same day give the same rows. Primary keys are
assigned here, so child rows refer to their parents without a round trip.

The branch is in north-west Leeds. Its people are mostly English, Scottish and Irish, with
Welsh, Polish, South Asian, Nigerian, Vietnamese, Irish-speaking, Nordic and German
neighbours; members live with partners who are not members; a small core comes to every
meeting and most people never come. Telephone numbers and e-mail domains are the ones kept
for fiction, so nobody real can be rung or mailed from a demo database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db import demo_names as names
from db.audit import record_bulk
from db.database import Database, explain_dbapi_error
from db.errors import Cancelled, UserError
from db.folding import fold, sort_key
from db.models import Base
from db.search import search_document

__all__ = ["Cancelled", "DemoSummary", "generate_demo", "load_demo"]

Row = dict[str, Any]
T = TypeVar("T")

DEFAULT_PEOPLE = 1500
# People written per progress step: small enough for a responsive Cancel button.
CHUNK_PEOPLE = 2500
# Expected attendance at a branch meeting is about 2.8% of everyone; past this many the
# share of people who come at all is scaled down, so a huge branch still has a small core.
TARGET_BRANCH_ATTENDANCE = 240
MAX_ATTENDEES = 400
HISTORY_DAYS = 730


@dataclass(frozen=True)
class DemoSummary:
    """How much demo data was written."""

    people: int
    members: int
    households: int
    meetings: int
    attendances: int
    contributions: int
    activities: int
    answers: int
    affiliations: int
    organisations: int
    questions: int
    wards: int
    polling_districts: int
    emails: int
    phones: int


class _Choices(Generic[T]):
    """A weighted choice that costs one random number and one bisection."""

    __slots__ = ("_cum", "_total", "_values")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._values = [value for value, _ in pairs]
        self._cum = list(itertools.accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self._values[bisect.bisect_right(self._cum, rng.random() * self._total)]


# --- Who lives together, and what they are to the branch ----------------------------------

_UNIT_SIZES = _Choices([(1, 38.0), (2, 41.0), (3, 12.0), (4, 9.0)])
_ANCHOR_STATUS = _Choices(
    [("member", 81.0), ("lapsed", 12.0), ("supporter", 5.5), ("contact", 0.5), ("guest", 1.0)]
)
_PARTNER_STATUS = {
    "member": _Choices(
        [("member", 44.0), ("contact", 27.0), ("supporter", 13.0), ("lapsed", 14.0), ("guest", 2.0)]
    ),
    "lapsed": _Choices(
        [("lapsed", 40.0), ("member", 20.0), ("contact", 25.0), ("supporter", 15.0)]
    ),
    "supporter": _Choices(
        [("supporter", 40.0), ("contact", 30.0), ("member", 20.0), ("lapsed", 10.0)]
    ),
    "contact": _Choices([("contact", 40.0), ("supporter", 30.0), ("member", 30.0)]),
    "guest": _Choices([("contact", 50.0), ("guest", 20.0), ("supporter", 30.0)]),
}
_CHILD_STATUS = _Choices(
    [("member", 30.0), ("contact", 28.0), ("supporter", 24.0), ("lapsed", 12.0), ("guest", 6.0)]
)
_HOUSEMATE_STATUS = _Choices(
    [("member", 50.0), ("supporter", 20.0), ("contact", 10.0), ("guest", 6.0), ("lapsed", 14.0)]
)
_AGES: dict[str, _Choices[tuple[int, int]]] = {
    "member": _Choices(
        [((16, 25), 9.0), ((26, 39), 19.0), ((40, 54), 24.0), ((55, 69), 29.0), ((70, 92), 19.0)]
    ),
    "lapsed": _Choices(
        [((19, 29), 16.0), ((30, 44), 26.0), ((45, 59), 25.0), ((60, 74), 22.0), ((75, 94), 11.0)]
    ),
    "supporter": _Choices([((18, 29), 20.0), ((30, 49), 35.0), ((50, 69), 30.0), ((70, 88), 15.0)]),
    "contact": _Choices([((18, 34), 25.0), ((35, 59), 45.0), ((60, 85), 30.0)]),
    "guest": _Choices([((16, 29), 30.0), ((30, 59), 50.0), ((60, 85), 20.0)]),
}
_ORIGINS = _Choices([((origin, name_set), weight) for origin, name_set, weight in names.ORIGINS])
_NAME_SETS = {origin: name_set for origin, name_set, _ in names.ORIGINS}
_TITLES_MALE = _Choices(list(names.TITLES_MALE))
_TITLES_FEMALE = _Choices(list(names.TITLES_FEMALE))
_WORKING_TYPES = _Choices(list(names.MEMBERSHIP_TYPES_WORKING))
# Years since joining, for members: two recruitment surges, a long tail of stalwarts.
_JOIN_YEARS = _Choices(
    [
        (y, w)
        for y, w in enumerate(
            [9, 9, 8, 6, 6, 6, 7, 10, 12, 8, 5, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
        )
    ]
    + [(y, 0.4) for y in range(26, 45)]
)
_EMAIL_DOMAINS = _Choices(list(names.EMAIL_DOMAINS))
_CONTACT_HOW = _Choices(list(names.CONTACT_HOW))
_UNIONS = _Choices([((name, short), w) for name, short, w in names.UNIONS])
_UNION_ROLES = _Choices(list(names.UNION_ROLES))
_COMMUNITY_ROLES = _Choices(list(names.COMMUNITY_ROLES))

# The people every build has, whose names try every printer and every search.
_SPECIAL_NAMES = frozenset(
    {
        ("Siân", "Llŷr-Jones"),
        ("Łukasz", "Wójcik"),
        ("Zoë", "Ødegaard"),
        ("Lan", "Nguyễn"),
        ("Aoife", "Ó Dúnlaing"),
        ("Seán", "O'Brien"),
    }
)
_EMAIL_CHANCE = {"member": 0.88, "lapsed": 0.72, "supporter": 0.82, "contact": 0.45, "guest": 0.7}
_MOBILE_CHANCE = {"member": 0.72, "lapsed": 0.5, "supporter": 0.62, "contact": 0.35, "guest": 0.5}
_ENGAGEMENT = {  # (regular, occasional, rare) shares before scaling
    "member": (0.018, 0.08, 0.12),
    "supporter": (0.004, 0.035, 0.09),
    "lapsed": (0.0, 0.03, 0.07),
    "contact": (0.0, 0.0, 0.05),
    "guest": (0.0, 0.0, 0.0),
}
_ATTEND = {3: 0.8, 2: 0.25, 1: 0.06}
_APOLOGIES = {3: 0.55, 2: 0.15, 1: 0.02}
_SPEAKS = {3: 0.45, 2: 0.2, 1: 0.08, 0: 0.05}
_VOLUNTEERS = {3: 0.2, 2: 0.1, 1: 0.05, 0: 0.02}

_ACTIVITY_KINDS = _Choices(
    [
        ("canvassing", 30.0),
        ("leafleting", 30.0),
        ("phone_banking", 12.0),
        ("street_stall", 10.0),
        ("event_help", 8.0),
        ("admin", 5.0),
        ("fundraising", 5.0),
    ]
)
_HOURS: dict[str, tuple[Decimal, ...]] = {
    kind: tuple(Decimal(h) for h in hours)
    for kind, hours in {
        "canvassing": ("1.50", "2.00", "2.00", "2.50", "3.00"),
        "leafleting": ("0.50", "0.75", "1.00", "1.00", "1.50", "2.00"),
        "phone_banking": ("1.50", "2.00", "2.00"),
        "street_stall": ("2.00", "2.00", "3.00"),
        "event_help": ("2.00", "3.00", "4.00"),
        "admin": ("0.50", "1.00", "1.50", "2.00", "3.00"),
        "fundraising": ("2.00", "3.00", "4.00"),
        "other": ("1.00", "2.00"),
    }.items()
}
_ANSWER_SOURCES = _Choices(
    [
        ("meeting", 30.0),
        ("doorstep", 25.0),
        ("phone", 15.0),
        ("paper_form", 15.0),
        ("online_form", 15.0),
    ]
)
_SCALE = _Choices([(1, 15.0), (2, 28.0), (3, 32.0), (4, 18.0), (5, 7.0)])


@dataclass(slots=True)
class _Spec:
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
class _Known:
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
class _Street:
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
class _Address:
    line1: str
    line2: str | None
    line3: str | None
    town: str
    postcode: str
    ward_id: int | None
    district_id: int | None


@dataclass(slots=True)
class _Meeting:
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


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 for last) given weekday (Monday 0) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


class _Builder:
    def __init__(self, session: Session, people: int, seed: int, as_of: dt.date) -> None:
        if people < 0:
            raise ValueError("people must not be negative")
        self.session = session
        self.people = people
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.start = as_of - dt.timedelta(days=HISTORY_DAYS)
        self.yesterday = as_of - dt.timedelta(days=1)
        self.tables: dict[str, Table] = dict(Base.metadata.tables)
        self.returning = bool(session.get_bind().dialect.insert_executemany_returning)
        self.next_id: dict[str, int] = {}
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "person",
                "member",
                "household",
                "meeting",
                "attendance",
                "contribution",
                "activity",
                "answer",
                "affiliation",
                "organisation",
                "question",
                "ward",
                "polling_district",
                "email_address",
                "phone_number",
            ),
            0,
        )
        self.known: list[_Known] = []
        self.emails_used: set[str] = set()
        self.numbers_used: set[str] = set()
        self.postcodes_used: set[str] = set()
        self._folded: dict[str, str] = {}
        self._sort_keys: dict[tuple[str, str], str] = {}
        self._name_docs: dict[tuple[str, str, str | None, str | None], str] = {}
        self.mobiles = self._pool(names.MOBILE_PREFIX)
        self.landlines = self._pool(names.LANDLINE_PREFIX)
        self.imports = self._import_days()
        expected = 0.028 * people
        self.scale = min(1.0, TARGET_BRANCH_ATTENDANCE / expected) if expected else 1.0

    # --- plumbing -------------------------------------------------------------------

    def _new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _insert(self, table: str, rows: list[Row]) -> None:
        if rows:
            target = self.tables[table]
            if table == "person" and self.returning:
                # Many rows to a statement: SQLite's FTS5 index, kept by a trigger, flushes
                # its pending terms once per statement, and once per row is 3x slower.
                # RETURNING makes SQLAlchemy batch the rows into multi-row VALUES.
                self.session.execute(insert(target).returning(target.c.id), rows)
            else:
                self.session.execute(insert(target), rows)

    def _start_ids(self) -> None:
        """Ids continue after whatever the tables hold, so nothing collides."""
        for name in (
            "ward",
            "polling_district",
            "household",
            "person",
            "email_address",
            "phone_number",
            "contact_preference",
            "detail_verification",
            "tag",
            "organisation",
            "affiliation",
            "question",
            "question_option",
            "answer",
            "meeting",
            "agenda_item",
            "attendance",
            "contribution",
            "activity",
        ):
            table = self.tables[name]
            top = self.session.scalar(select(func.max(table.c.id)))
            self.next_id[name] = (top or 0) + 1

    def _advance_sequences(self) -> None:
        """On PostgreSQL, ids given explicitly leave each table's sequence behind: move it
        past them, or the next person added by hand would collide with a demo one."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for name in self.next_id:  # fixed table names, never user input
            self.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {name}))"
                )
            )

    def _pool(self, prefix: str) -> Iterator[str]:
        """Numbers from a fiction range, each once until the range runs out."""
        rng = self.rng
        numbers = [f"{prefix}{n:03d}" for n in range(1000)]

        def cycle() -> Iterator[str]:
            while True:
                rng.shuffle(numbers)
                yield from numbers

        return cycle()

    def _import_days(self) -> list[dt.date]:
        """The days the national list was imported: the 3rd of each month."""
        days = []
        day = dt.date(self.start.year, self.start.month, 3)
        while day < self.as_of:
            if day >= self.start:
                days.append(day)
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 3)
        return days or [self.start]

    def _day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=int(self.rng.random() * ((last - first).days + 1)))

    def _time_on(self, day: dt.date, first_hour: int = 9, last_hour: int = 21) -> dt.datetime:
        r = self.rng.random()  # one draw: the hour, and the minute from what is left
        hours = (last_hour - first_hour) * r
        return _at(day, first_hour + int(hours), int((hours % 1) * 60))

    # --- the whole build --------------------------------------------------------------

    def run(self) -> Iterator[tuple[int, int, str]]:
        chunks = -(-self.people // CHUNK_PEOPLE)
        total = 1 + chunks + 3  # reference data, people in chunks, three stages after
        done = 0
        yield done, total, "Preparing the demo branch"
        self._start_ids()
        self._reference_data()
        self._meetings()
        done += 1
        yield done, total, "Wards, organisations, questions and meetings"
        written = 0
        specials = self._special_units()
        room = max(1, self.people - 16)
        marks = sorted(self.rng.sample(range(room), min(len(specials), room)))
        for chunk in range(chunks):
            goal = min(self.people, (chunk + 1) * CHUNK_PEOPLE)
            batch = _Batch()
            while written < goal:
                if marks and written >= marks[0]:
                    marks.pop(0)
                    unit, has_home = specials.pop(0), True
                else:
                    unit, has_home = self._unit()
                unit = unit[: self.people - written]
                self._household(batch, unit, has_home)
                written += len(unit)
            batch.write(self)
            done += 1
            yield done, total, f"People: {written:,} of {self.people:,}"
        self._attendance()
        done += 1
        yield done, total, "Meeting attendance and contributions"
        self._activities()
        done += 1
        yield done, total, "Canvassing, leafleting and other activity"
        self._answers()
        self._advance_sequences()
        record_bulk(self.session, "person", f"Demo data: {self.counts['person']} people", None)
        done += 1
        yield done, total, "Answers to the branch's questions"

    def summary(self) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            people=c["person"],
            members=c["member"],
            households=c["household"],
            meetings=c["meeting"],
            attendances=c["attendance"],
            contributions=c["contribution"],
            activities=c["activity"],
            answers=c["answer"],
            affiliations=c["affiliation"],
            organisations=c["organisation"],
            questions=c["question"],
            wards=c["ward"],
            polling_districts=c["polling_district"],
            emails=c["email_address"],
            phones=c["phone_number"],
        )

    # --- wards, streets, organisations, tags, questions --------------------------------

    def _reference_data(self) -> None:
        ward_count = min(len(names.WARDS), 6 + self.people // 2500)
        wards: list[Row] = []
        districts: list[Row] = []
        places: list[tuple[names.Locality, int, int]] = []
        for plan in names.WARDS[:ward_count]:
            ward_id = self._new_id("ward")
            wards.append({"id": ward_id, "name": plan.name, "code": plan.code, "version": 1})
            for n, locality in enumerate(plan.localities, start=1):
                district_id = self._new_id("polling_district")
                districts.append(
                    {
                        "id": district_id,
                        "code": f"{plan.code}{n}",
                        "name": locality.name,
                        "ward_id": ward_id,
                        "version": 1,
                    }
                )
                places.append((locality, ward_id, district_id))
        self._insert("ward", wards)
        self._insert("polling_district", districts)
        self.counts["ward"] = len(wards)
        self.counts["polling_district"] = len(districts)
        self.places = places
        self._streets(places)

        tag_names = list(
            dict.fromkeys([*names.SKILL_TAGS, *names.LANGUAGE_TAGS.values(), *names.OTHER_TAGS])
        )
        self.tag_ids = {name: self._new_id("tag") for name in tag_names}
        self._insert(
            "tag", [{"id": i, "name": name, "version": 1} for name, i in self.tag_ids.items()]
        )

        organisations: list[Row] = []

        def organisation(name: str, short: str | None, kind: str) -> int:
            org_id = self._new_id("organisation")
            organisations.append(
                {"id": org_id, "name": name, "short_name": short, "kind": kind, "version": 1}
            )
            return org_id

        self.union_ids = {
            (name, short): organisation(name, short, "trade_union")
            for name, short, _ in names.UNIONS
        }
        self.coop_id = organisation(*names.COOPERATIVE, "cooperative")
        self.campaign_ids = [
            organisation(name, short, "campaign") for name, short in names.CAMPAIGN_GROUPS
        ]
        localities = [locality.name for locality, _, _ in places]
        town = places[0][0].town
        self.community_ids = [
            organisation(f"{localities[0]} Residents' Association", None, "community"),
            organisation(f"Friends of {localities[1 % len(localities)]} Park", None, "community"),
            organisation(f"North West {town} Food Bank", None, "community"),
        ]
        self._insert("organisation", organisations)
        self.counts["organisation"] = len(organisations)

        questions: list[Row] = []
        options: list[Row] = []
        self.options: dict[int, list[int]] = {}
        self.question_days: dict[int, dt.date] = {}

        def question(
            text: str, kind: str, labels: Sequence[str], max_choices: int | None, after_days: int
        ) -> int:
            question_id = self._new_id("question")
            created = _at(self.start + dt.timedelta(days=after_days), 20, 15)
            questions.append(
                {
                    "id": question_id,
                    "text": text,
                    "kind": kind,
                    "max_choices": max_choices,
                    "active": True,
                    "position": len(questions),
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            self.question_days[question_id] = created.date()
            ids = []
            for position, label in enumerate(labels):
                option_id = self._new_id("question_option")
                options.append(
                    {
                        "id": option_id,
                        "question_id": question_id,
                        "label": label,
                        "position": position,
                        "version": 1,
                    }
                )
                ids.append(option_id)
            self.options[question_id] = ids
            return question_id

        self.q_issues = question(
            "Top three local issues", "multiple_choice", names.LOCAL_ISSUES, 3, 20
        )
        self.q_four_day = question(
            "Support for a four-day week?", "single_choice", names.FOUR_DAY_WEEK_OPTIONS, 1, 45
        )
        self.q_council = question(
            "How satisfied are you with the council? (1-5)", "scale", (), None, 200
        )
        self.q_next = question(
            "What should the branch campaign on next?", "free_text", (), None, 380
        )
        self._insert("question", questions)
        self._insert("question_option", options)
        self.counts["question"] = len(questions)

    def _streets(self, places: list[tuple[names.Locality, int, int]]) -> None:
        """Enough streets for every household, each with its own postcodes."""
        rng = self.rng
        stems = list(names.STREET_STEMS)
        combos = [
            (p, s, x) for p in names.STREET_PREFIXES for s in stems for x in names.STREET_SUFFIXES
        ]
        plain = [c for c in combos if not c[0]]
        prefixed = [c for c in combos if c[0]]
        rng.shuffle(plain)
        rng.shuffle(prefixed)
        needed = max(600, int(self.people / 1.9 * 2.2))
        streets: list[_Street] = []
        capacity = 0
        for index, (prefix, stem, suffix) in enumerate(itertools.chain(plain, prefixed)):
            if capacity >= needed and len(streets) >= 3 * len(places):
                break
            locality, ward_id, district_id = places[index % len(places)]
            length = int(rng.triangular(10, 260, 40))
            street = _Street(
                name=f"{prefix}{stem} {suffix}",
                town=locality.town,
                locality=locality.name,
                outward=rng.choice(locality.outward),
                sector=rng.randint(1, 9),
                ward_id=ward_id,
                district_id=district_id,
                numbers=None,
                length=length,
            )
            streets.append(street)
            capacity += length
            if rng.random() < 0.2:
                flats = rng.randint(12, 60)
                block = f"{rng.choice(names.BLOCK_NAMES)} {rng.choice(names.BLOCK_SUFFIXES)}"
                streets.append(
                    _Street(
                        name=street.name,
                        town=street.town,
                        locality=street.locality,
                        outward=street.outward,
                        sector=street.sector,
                        ward_id=ward_id,
                        district_id=district_id,
                        numbers=None,
                        length=flats,
                        block=block,
                        block_number=length + 1 + 2 * rng.randrange(20),
                    )
                )
                capacity += flats
        self.streets = streets
        self.street_weights = list(itertools.accumulate(s.length for s in streets))

    def _postcode(self, street: _Street, unit: int) -> str:
        while unit >= len(street.units):
            while True:
                letters = "".join(self.rng.choices(names.INWARD_LETTERS, k=2))
                code = f"{street.outward} {street.sector}{letters}"
                if code not in self.postcodes_used:
                    break
            self.postcodes_used.add(code)
            street.units.append(code)
        return street.units[unit]

    def _address(self) -> _Address:
        rng = self.rng
        if rng.random() < 0.006:
            index = rng.randrange(len(names.OUT_OF_AREA))
            postcode, town = names.OUT_OF_AREA[index]
            line1 = f"{rng.randint(1, 180)} {names.OUT_OF_AREA_STREETS[index]}"
            return _Address(line1, None, None, town, postcode, None, None)
        total = self.street_weights[-1]
        index = bisect.bisect_right(self.street_weights, rng.random() * total)
        for offset in range(len(self.streets)):
            street = self.streets[(index + offset) % len(self.streets)]
            if street.numbers is None:
                street.numbers = rng.sample(range(1, street.length + 1), street.length)
            if street.numbers:
                break
        else:  # every address taken: share one (cannot happen with the capacity planned)
            street = self.streets[index]
            street.numbers = [rng.randint(1, street.length)]
        number = street.numbers.pop()
        locality = street.locality if rng.random() < 0.3 else None
        if street.block is not None:
            return _Address(
                f"Flat {number}, {street.block}",
                f"{street.block_number} {street.name}",
                locality,
                street.town,
                self._postcode(street, 0),
                street.ward_id,
                street.district_id,
            )
        postcode = self._postcode(street, (number - 1) // 14)
        if rng.random() < 0.015:
            return _Address(
                rng.choice(names.HOUSE_NAMES),
                street.name,
                locality,
                street.town,
                postcode,
                street.ward_id,
                street.district_id,
            )
        return _Address(
            f"{number} {street.name}",
            locality,
            None,
            street.town,
            postcode,
            street.ward_id,
            street.district_id,
        )

    # --- meetings -----------------------------------------------------------------------

    def _meetings(self) -> None:
        rng = self.rng
        localities = [locality.name for locality, _, _ in self.places]
        main_venue = f"{localities[0]} Community Centre"
        other_venue = f"{localities[1 % len(localities)]} Methodist Church Hall"
        wards = names.WARDS[: self.counts["ward"]]
        plan: list[tuple[str, str, dt.datetime, int, str]] = []  # kind, title, start, mins, venue
        month = dt.date(self.start.year, self.start.month, 1)
        horizon = self.as_of + dt.timedelta(days=120)
        campaign_turn = 0
        while month <= horizon:
            y, m = month.year, month.month
            if m == 2:
                plan.append(
                    (
                        "agm",
                        f"Annual General Meeting {y}",
                        _at(_nth_weekday(y, m, 1, 2), 19, 0),
                        150,
                        main_venue,
                    )
                )
            elif m != 8:
                venue = main_venue if rng.random() < 0.8 else other_venue
                plan.append(
                    (
                        "branch",
                        f"Branch meeting, {month:%B %Y}",
                        _at(_nth_weekday(y, m, 1, 2), 19, 30),
                        105,
                        venue,
                    )
                )
            if m in (1, 4, 7, 10):
                plan.append(
                    (
                        "general_committee",
                        "General committee",
                        _at(_nth_weekday(y, m, 3, 3), 19, 0),
                        120,
                        f"Quaker Meeting House, {self.places[0][0].town}",
                    )
                )
            saturdays = {2: (1,), 3: (1, 3), 4: (1, 3), 9: (1,), 11: (1,)}.get(m, ())
            for n in saturdays:
                ward = wards[campaign_turn % len(wards)]
                campaign_turn += 1
                plan.append(
                    (
                        "campaign",
                        f"Campaign day: {ward.name}",
                        _at(_nth_weekday(y, m, 5, n), 10, 30),
                        150,
                        f"Outside {ward.localities[0].name} Library",
                    )
                )
            if m == 3:
                title = "Canvassing training" if y % 2 else "Chairing and minute-taking training"
                plan.append(
                    ("training", title, _at(_nth_weekday(y, m, 2, 4), 19, 0), 120, main_venue)
                )
            if m == 7:
                plan.append(
                    (
                        "social",
                        "Summer barbecue",
                        _at(_nth_weekday(y, m, 5, 2), 13, 0),
                        180,
                        f"{localities[-1]} Park",
                    )
                )
            if m == 10:
                plan.append(
                    (
                        "social",
                        "Quiz night",
                        _at(_nth_weekday(y, m, 4, -1), 19, 30),
                        150,
                        other_venue,
                    )
                )
            if m == 12:
                plan.append(
                    (
                        "social",
                        "Christmas social",
                        _at(_nth_weekday(y, m, 4, 2), 19, 0),
                        210,
                        main_venue,
                    )
                )
            month = dt.date(y + m // 12, m % 12 + 1, 1)
        plan.sort(key=lambda item: item[2])
        past = [p for p in plan if self.start <= p[2].date() < self.as_of]
        # The next two, and the next branch meeting (or AGM) if it is not one of them.
        ahead = [p for p in plan if p[2].date() >= self.as_of]
        upcoming = ahead[:2]
        if not any(p[0] in ("branch", "agm") for p in upcoming):
            upcoming += [p for p in ahead if p[0] in ("branch", "agm")][:1]

        meetings: list[Row] = []
        items: list[Row] = []
        self.meetings: list[_Meeting] = []
        motions = list(names.MOTIONS)
        rng.shuffle(motions)
        motion_turn = 0
        for kind, title, starts_at, minutes, venue in past + upcoming:
            meeting = _Meeting(
                id=self._new_id("meeting"),
                kind=kind,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=minutes),
                venue=venue,
                past=starts_at.date() < self.as_of,
            )
            self.meetings.append(meeting)
            created = min(
                starts_at - dt.timedelta(days=rng.randint(14, 40)),
                _at(self.as_of - dt.timedelta(days=1), 18),
            )
            meetings.append(
                {
                    "id": meeting.id,
                    "kind": kind,
                    "title": title,
                    "starts_at": starts_at,
                    "ends_at": meeting.ends_at,
                    "venue": venue,
                    "notes": "Hybrid: online link sent with the agenda."
                    if kind == "branch" and rng.random() < 0.2
                    else None,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            agenda: list[tuple[str, str, str | None]] = []
            if kind in ("branch", "agm", "general_committee"):
                agenda += [
                    ("Welcome and apologies", "item", None),
                    ("Minutes of the last meeting", "item", None),
                    ("Matters arising", "item", None),
                ]
                if kind == "agm":
                    agenda += [
                        ("Chair's report", "item", None),
                        ("Secretary's report", "item", None),
                        ("Treasurer's report and accounts", "item", None),
                        ("Election of officers", "item", None),
                    ]
                else:
                    agenda += [
                        ("Treasurer's report", "item", None),
                        ("Campaigns update", "item", None),
                    ]
                if kind == "branch" and rng.random() < 0.4:
                    topic = rng.choice(names.GUEST_SPEAKER_TOPICS)
                    agenda.append((f"Guest speaker on {topic}", "item", None))
                motion_count = {"agm": 2, "general_committee": rng.randint(0, 2)}.get(
                    kind, 1 if rng.random() < 0.35 else 0
                )
                for _ in range(motion_count):
                    motion_title, text = motions[motion_turn % len(motions)]
                    motion_turn += 1
                    agenda.append((f"Motion: {motion_title}", "motion", text))
                agenda.append(("Any other business", "item", None))
            elif kind == "campaign":
                agenda += [
                    ("Briefing and safety", "item", None),
                    ("Routes and pairs", "item", None),
                ]
            elif kind == "training":
                agenda += [
                    ("Introductions", "item", None),
                    ("The session", "item", None),
                    ("Practice in pairs", "item", None),
                    ("Questions", "item", None),
                ]
            for position, (item_title, item_kind, motion_text) in enumerate(agenda):
                item_id = self._new_id("agenda_item")
                items.append(
                    {
                        "id": item_id,
                        "meeting_id": meeting.id,
                        "position": position,
                        "title": item_title,
                        "kind": item_kind,
                        "motion_text": motion_text,
                        "version": 1,
                    }
                )
                if item_kind == "motion":
                    meeting.motions.append(item_id)
                elif item_title.startswith("Guest speaker"):
                    meeting.speaker_item = item_id
                    meeting.talks.append(item_id)
                elif item_title in (
                    "Campaigns update",
                    "Matters arising",
                    "Chair's report",
                    "The session",
                    "Election of officers",
                ):
                    meeting.talks.append(item_id)
        self._insert("meeting", meetings)
        self._insert("agenda_item", items)
        self.counts["meeting"] = len(meetings)
        self.elections = [
            day
            for year in range(self.start.year, self.as_of.year + 1)
            if self.start <= (day := _nth_weekday(year, 5, 3, 1)) < self.as_of
        ]
        self.guest_meetings = [
            m for m in self.meetings if m.past and m.kind in ("branch", "agm", "social", "campaign")
        ]

    # --- households and people ------------------------------------------------------------

    def _age(self, status: str) -> int:
        low, high = _AGES[status].pick(self.rng)
        return self.rng.randint(low, high)

    def _new_spec(
        self,
        origin: str,
        gender: str,
        age: int,
        status: str,
        surnames: tuple[str, str] | None = None,
    ) -> _Spec:
        rng = self.rng
        name_set = _NAME_SETS[origin]
        pool = {"f": name_set.female, "m": name_set.male}.get(
            gender, name_set.female if rng.random() < 0.5 else name_set.male
        )
        pair = surnames or rng.choice(name_set.surnames)
        last = pair[1] if gender == "f" else pair[0]
        first = rng.choice(pool)
        while (first, last) in _SPECIAL_NAMES:  # one Łukasz Wójcik, so a search finds one
            first = rng.choice(pool)
        middle_pool = name_set.female_middle if gender == "f" else name_set.male_middle
        middle = None
        if middle_pool and rng.random() < (0.85 if origin == "vietnamese" else 0.22):
            middle = rng.choice(middle_pool)
        preferred = None
        nicknames = names.PREFERRED_NAMES.get(first)
        if nicknames and rng.random() < 0.5:
            preferred = rng.choice(nicknames)
        return _Spec(
            first=first,
            last=last,
            gender=gender,
            age=age,
            status=status,
            origin=origin,
            middle=middle,
            preferred=preferred,
        )

    def _gender(self) -> str:
        r = self.rng.random()
        return "x" if r < 0.01 else "f" if r < 0.52 else "m"

    def _unit(self) -> tuple[list[_Spec], bool]:
        rng = self.rng
        if rng.random() < 0.016:  # a guest who gave only a name and an e-mail
            origin, _ = _ORIGINS.pick(rng)
            return [self._new_spec(origin, self._gender(), self._age("guest"), "guest")], False
        size = _UNIT_SIZES.pick(rng)
        status = _ANCHOR_STATUS.pick(rng)
        origin, name_set = _ORIGINS.pick(rng)
        gender = self._gender()
        age = self._age(status)
        surnames = rng.choice(name_set.surnames)
        anchor = self._new_spec(origin, gender, age, status, surnames)
        unit = [anchor]
        if size == 1:
            return unit, True
        if age < 25 and rng.random() < 0.7:  # students sharing a house
            for _ in range(size - 1):
                mate_origin, _ = _ORIGINS.pick(rng)
                unit.append(
                    self._new_spec(
                        mate_origin,
                        self._gender(),
                        max(18, min(30, age + rng.randint(-3, 3))),
                        _HOUSEMATE_STATUS.pick(rng),
                    )
                )
            return unit, True
        partner_gender = (
            {"f": "m", "m": "f"}.get(gender, self._gender()) if rng.random() < 0.93 else gender
        )
        partner_age = max(18, min(95, age + round(rng.gauss(0, 4))))
        partner_status = _PARTNER_STATUS[status].pick(rng)
        if rng.random() < name_set.share_surname:
            partner = self._new_spec(origin, partner_gender, partner_age, partner_status, surnames)
        else:
            partner_origin = origin if rng.random() < 0.8 else _ORIGINS.pick(rng)[0]
            partner = self._new_spec(partner_origin, partner_gender, partner_age, partner_status)
        unit.append(partner)
        for _ in range(size - 2):
            if age >= 40 and rng.random() < 0.8:
                parent = anchor if rng.random() < 0.7 else partner
                child_age = rng.randint(16, max(16, min(age, partner_age) - 20))
                child = self._new_spec(
                    parent.origin,
                    self._gender(),
                    child_age,
                    _CHILD_STATUS.pick(rng),
                    (parent.last, parent.last),
                )
                if child.status == "member" and child_age > 26:
                    child.status = "lapsed"
                unit.append(child)
            else:
                mate_origin, _ = _ORIGINS.pick(rng)
                unit.append(
                    self._new_spec(
                        mate_origin,
                        self._gender(),
                        rng.randint(20, 65),
                        _HOUSEMATE_STATUS.pick(rng),
                    )
                )
        return unit, True

    def _special_units(self) -> list[list[_Spec]]:
        """The people whose names test every printer and every search."""
        age = self._age
        return [
            [
                _Spec(
                    "Siân",
                    "Llŷr-Jones",
                    "f",
                    age("member"),
                    "member",
                    "welsh",
                    tags=("Welsh speaker",),
                    tier=2,
                ),
                _Spec(
                    "Dafydd",
                    "Llŷr-Jones",
                    "m",
                    age("contact"),
                    "contact",
                    "welsh",
                    preferred="Dai",
                    tags=("Welsh speaker",),
                ),
            ],
            [
                _Spec(
                    "Łukasz",
                    "Wójcik",
                    "m",
                    age("member"),
                    "member",
                    "polish",
                    tags=("Polish speaker",),
                    tier=2,
                ),
                _Spec(
                    "Agnieszka",
                    "Wójcik",
                    "f",
                    age("supporter"),
                    "supporter",
                    "polish",
                    preferred=None,
                ),
            ],
            [_Spec("Zoë", "Ødegaard", "f", age("member"), "member", "nordic", tier=3)],
            [
                _Spec(
                    "Lan",
                    "Nguyễn",
                    "f",
                    age("member"),
                    "member",
                    "vietnamese",
                    middle="Thị",
                    tags=("Vietnamese speaker",),
                    tier=2,
                ),
                _Spec("Minh", "Trần", "m", age("contact"), "contact", "vietnamese", middle="Văn"),
            ],
            [
                _Spec(
                    "Aoife",
                    "Ó Dúnlaing",
                    "f",
                    age("member"),
                    "member",
                    "gaelic",
                    tags=("Irish speaker",),
                    tier=1,
                )
            ],
            [
                _Spec("Seán", "O'Brien", "m", age("member"), "member", "irish", tier=2),
                _Spec("Sarah", "Kelly", "f", age("supporter"), "supporter", "irish"),
            ],
        ]

    def _title(self, spec: _Spec, married: bool) -> str | None:
        rng = self.rng
        if spec.gender == "x":
            return names.TITLE_NON_BINARY if rng.random() < 0.7 else None
        if spec.gender == "m":
            title = _TITLES_MALE.pick(rng)
        elif spec.age < 25:
            title = "Miss" if rng.random() < 0.45 else "Ms" if rng.random() < 0.8 else ""
        else:
            title = _TITLES_FEMALE.pick(rng)
            if married and title in ("Ms", "Miss") and rng.random() < 0.5:
                title = "Mrs"
        if title in ("Dr", "Prof") and spec.age < 28:
            title = "Mr" if spec.gender == "m" else "Ms"
        return title or None

    def _joined(self, age: int, *, lapsed: bool) -> dt.date:
        rng = self.rng
        years = _JOIN_YEARS.pick(rng) + (rng.randint(1, 4) if lapsed else 0)
        years = min(years, max(0, age - 15))
        day = self.as_of - dt.timedelta(days=years * 365 + rng.randrange(365) + 1)
        return max(day, _years_back(self.as_of, max(1, age - 14)))

    def _membership_number(self, joined: dt.date) -> str:
        """National numbers grow with time; people who joined long ago have leading zeros."""
        rng = self.rng
        old = self.as_of - dt.timedelta(days=12 * 365)
        if joined < old:
            oldest = self.as_of - dt.timedelta(days=46 * 365)
            share = (joined - oldest).days / (old - oldest).days
            value = 20_000 + int(max(0.0, share) * 960_000)
        else:
            share = (joined - old).days / (self.as_of - old).days
            value = 1_000_000 + int(share * 8_800_000)
        value += rng.randrange(0, 9_000)
        while f"{value:07d}" in self.numbers_used:
            value += 1
        number = f"{value:07d}"
        self.numbers_used.add(number)
        return number

    def _membership_type(self, age: int) -> str:
        if age < 27:
            return "Youth"
        if age >= 66 and self.rng.random() < 0.75:
            return "Retired"
        return _WORKING_TYPES.pick(self.rng)

    def _email(self, spec: _Spec, birth_year: int) -> str:
        rng = self.rng
        first = self._fold(spec.preferred if spec.preferred and rng.random() < 0.5 else spec.first)
        last = self._fold(spec.last)
        style = rng.randrange(7)
        if style == 0:
            local = f"{first}{last}"
        elif style == 1:
            local = f"{first[0]}{last}"
        elif style == 2:
            local = f"{first}.{last}{rng.randint(1, 99)}"
        elif style == 3:
            local = f"{first}{birth_year % 100:02d}"
        elif style == 4:
            local = f"{last}.{first[0]}"
        else:
            local = f"{first}.{last}"
        domain = _EMAIL_DOMAINS.pick(rng)
        address = f"{local}@{domain}"
        while address in self.emails_used:
            address = f"{local}{rng.randint(2, 999)}@{domain}"
        self.emails_used.add(address)
        return address

    def _fold(self, name: str) -> str:
        """A name as letters for an e-mail address: Llŷr-Jones -> llyrjones."""
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = fold(name).replace(" ", "")
        return folded

    def _sort_key(self, spec: _Spec) -> str:
        key = (spec.last, spec.first)
        value = self._sort_keys.get(key)
        if value is None:
            value = self._sort_keys[key] = sort_key(spec.last, spec.first)
        return value

    def _search_text(
        self, spec: _Spec, number: str | None, postcode: str | None, emails: list[str]
    ) -> str:
        """``search_document`` of the whole person, with the names' part worked out once.

        Names repeat, so search_document of the names alone is cached; the rest (number,
        postcode, e-mails) is search_document with no names. A document is its parts' words
        in order, each once, so the two joined that way are the whole person's document
        (the tests compare them for every person).
        """
        key = (spec.first, spec.last, spec.middle, spec.preferred)
        names_doc = self._name_docs.get(key)
        if names_doc is None:
            names_doc = self._name_docs[key] = search_document(
                first_name=spec.first,
                last_name=spec.last,
                middle_names=spec.middle,
                preferred_name=spec.preferred,
            )
        rest_doc = search_document(
            first_name="",
            last_name="",
            membership_number=number,
            postcode=postcode,
            emails=emails,
        )
        return " ".join(dict.fromkeys(f"{names_doc} {rest_doc}".split()))

    def _tier(self, spec: _Spec) -> int:
        if spec.tier is not None:
            return spec.tier
        regular, occasional, rare = _ENGAGEMENT[spec.status]
        r = self.rng.random() / self.scale
        if r < regular:
            return 3
        if r < regular + occasional:
            return 2
        if r < regular + occasional + rare:
            return 1
        return 0

    def _activity_level(self, tier: int, status: str) -> int:
        """3 a stalwart, 2 regular helper, 1 now and then, 4 delivers their own round."""
        if status not in ("member", "supporter"):
            return 0
        r = self.rng.random()
        if tier == 3:
            return 3 if r < 0.6 else 2 if r < 0.9 else 1
        if tier == 2:
            return 2 if r < 0.35 else 1 if r < 0.6 else 0
        if tier == 1:
            return 1 if r < 0.2 else 0
        return 4 if r < 0.03 else 2 if r < 0.04 else 0

    def _household(self, batch: _Batch, unit: list[_Spec], has_home: bool) -> None:
        rng = self.rng
        address = self._address() if has_home else None
        household_id = self._new_id("household") if address is not None else None
        landline = (
            next(self.landlines)
            if address is not None and rng.random() < (0.45 if unit[0].age >= 60 else 0.15)
            else None
        )
        shared = len(unit) >= 2 and unit[0].last == unit[1].last
        returned = address is not None and rng.random() < 0.01
        created_days: list[dt.datetime] = []
        for position, spec in enumerate(unit):
            created = self._person(
                batch,
                spec,
                household_id,
                address,
                landline,
                married=shared and position < 2,
                returned=returned and position == 0,
            )
            created_days.append(created)
        if address is not None and household_id is not None:
            created = min(created_days)
            batch.households.append(
                {
                    "id": household_id,
                    "line1": address.line1,
                    "line2": address.line2,
                    "line3": address.line3,
                    "town": address.town,
                    "county": None,
                    "postcode": address.postcode,
                    "ward_id": address.ward_id,
                    "polling_district_id": address.district_id,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )

    def _person(
        self,
        batch: _Batch,
        spec: _Spec,
        household_id: int | None,
        address: _Address | None,
        landline: str | None,
        *,
        married: bool,
        returned: bool,
    ) -> dt.datetime:
        rng = self.rng
        as_of = self.as_of
        yesterday = self.yesterday
        person_id = self._new_id("person")
        status = spec.status
        age = spec.age
        birthday = _years_back(as_of - dt.timedelta(days=rng.randint(1, 365)), age)
        member_like = status in ("member", "lapsed")
        dob = birthday if rng.random() < (0.8 if member_like else 0.25) else None

        joined = lapsed = None
        number = membership_type = None
        if member_like:
            joined = self._joined(age, lapsed=status == "lapsed")
            if status == "lapsed":
                first = joined + dt.timedelta(days=180)
                last = as_of - dt.timedelta(days=20)
                lapsed = self._day_between(first, last) if first < last else max(joined, last)
                membership_type = self._membership_type(age - (as_of - lapsed).days // 365)
            else:
                membership_type = self._membership_type(age)
            number = self._membership_number(joined)

        # When the branch first wrote this person down.
        guest_meetings: tuple[int, ...] = ()
        if status == "guest" and self.guest_meetings:
            picks = rng.sample(
                self.guest_meetings, min(len(self.guest_meetings), 1 if rng.random() < 0.8 else 2)
            )
            picks.sort(key=lambda m: m.starts_at)
            guest_meetings = tuple(m.id for m in picks)
            created = picks[0].starts_at + dt.timedelta(minutes=rng.randint(-10, 15))
        elif joined is not None and joined > self.start:
            import_day = self._day_between(
                joined + dt.timedelta(days=3), joined + dt.timedelta(days=33)
            )
            created = self._time_on(min(import_day, yesterday))
        elif member_like:
            created = _at(self.start, 19, 42)
        else:
            created = self._time_on(self._day_between(self.start, yesterday))
        since = max(self.start, created.date())

        # E-mail addresses and telephones.
        emails: list[str] = []
        if rng.random() < _EMAIL_CHANCE[status]:
            emails.append(self._email(spec, birthday.year))
            if rng.random() < 0.12:
                emails.append(self._email(spec, birthday.year))
        for index, address_text in enumerate(emails):
            batch.emails.append(
                {
                    "id": self._new_id("email_address"),
                    "person_id": person_id,
                    "address": address_text,
                    "kind": "home" if index == 0 else "work" if 22 <= age <= 66 else "other",
                    "is_primary": index == 0,
                    "version": 1,
                }
            )
        mobile_chance = _MOBILE_CHANCE[status] * (0.6 if age >= 75 else 1.0)
        mobile = next(self.mobiles) if rng.random() < mobile_chance else None
        home = landline if landline is not None and rng.random() < 0.9 else None
        for number_text, kind in ((mobile, "mobile"), (home, "home")):
            if number_text is not None:
                batch.phones.append(
                    {
                        "id": self._new_id("phone_number"),
                        "person_id": person_id,
                        "number": number_text,
                        "kind": kind,
                        "is_primary": kind == "mobile" or mobile is None,
                        "version": 1,
                    }
                )

        # Contact preferences, recorded once with the channels they can be reached on.
        if rng.random() < 0.92:
            how = _CONTACT_HOW.pick(rng)
            recorded = self._time_on(self._day_between(since, yesterday))
            channels: list[tuple[str, bool, str]] = []
            if address is not None:
                channels.append(("post", rng.random() < 0.96, how))
            if emails:
                unsubscribed = rng.random() < 0.07
                channels.append(
                    ("email", not unsubscribed, "Asked not to be e-mailed" if unsubscribed else how)
                )
            if mobile or home:
                channels.append(("phone", rng.random() < 0.8, how))
            if mobile:
                channels.append(("sms", rng.random() < 0.6, how))
            for channel, allowed, how_text in channels:
                batch.preferences.append(
                    {
                        "id": self._new_id("contact_preference"),
                        "person_id": person_id,
                        "channel": channel,
                        "allowed": allowed,
                        "recorded_at": recorded,
                        "how": how_text,
                        "version": 1,
                    }
                )

        # When each group of details was last confirmed, and by what.
        checks: list[tuple[str, dt.date, str, str | None]] = []
        if member_like:
            last_seen = self.imports[-1]
            if lapsed is not None:
                last_seen = self.imports[max(0, bisect.bisect_right(self.imports, lapsed) - 1)]
            if last_seen >= since:
                checks.append(("membership", last_seen, "national_list", None))
                if address is not None:
                    checks.append(("address", last_seen, "national_list", None))
        elif address is not None and rng.random() < 0.3:
            checks.append(
                (
                    "address",
                    self._day_between(since, yesterday),
                    rng.choice(("in_person", "form", "phone_call")),
                    None,
                )
            )
        if emails and rng.random() < 0.35:
            checks.append(
                (
                    "email",
                    self._day_between(since, yesterday),
                    "email_reply" if rng.random() < 0.75 else "in_person",
                    None,
                )
            )
        if (mobile or home) and rng.random() < 0.2:
            checks.append(("phone", self._day_between(since, yesterday), "phone_call", None))
        if returned:
            checks.append(
                (
                    "address",
                    self._day_between(since, yesterday),
                    "letter_returned",
                    "Returned: addressee gone away",
                )
            )
        for detail, day, source, note in checks:
            batch.verifications.append(
                {
                    "id": self._new_id("detail_verification"),
                    "person_id": person_id,
                    "detail": detail,
                    "verified_on": day,
                    "source": source,
                    "note": note,
                }
            )

        # How much they come and help.
        tier = self._tier(spec)
        activity = self._activity_level(tier, status)
        tags = list(spec.tags)
        language = names.LANGUAGE_TAGS.get(spec.origin)
        if language and not tags and rng.random() < 0.35:
            tags.append(language)
        if rng.random() < (0.35 if activity else 0.03):
            tags.append(rng.choice(names.SKILL_TAGS))
            if rng.random() < 0.25:
                tags.append(rng.choice(names.SKILL_TAGS))
        if activity and 18 <= age < 80 and rng.random() < 0.25:
            tags.append("has a car")
        if age >= 78 and rng.random() < 0.15:
            tags.append("needs a lift")
        if 18 <= age <= 23 and rng.random() < 0.4:
            tags.append("student")
        if age >= 80 and rng.random() < 0.1:
            tags.append("large print letters")
        if rng.random() < 0.003:
            tags.append("BSL signer")
        for tag in dict.fromkeys(tags):
            batch.tags.append({"person_id": person_id, "tag_id": self.tag_ids[tag]})

        self._affiliations(batch, person_id, status, age)

        title = self._title(spec, married)
        if tier == 3 and status == "member" and age >= 30 and rng.random() < 0.08:
            title = "Cllr"  # a councillor or two among the regulars
        notes = rng.choice(names.PERSON_NOTES) if rng.random() < 0.04 else None
        follow_up = returned or rng.random() < 0.015
        postcode = address.postcode if address is not None else None
        batch.people.append(
            {
                "id": person_id,
                "title": title,
                "first_name": spec.first,
                "middle_names": spec.middle,
                "last_name": spec.last,
                "preferred_name": spec.preferred,
                "date_of_birth": dob,
                "status": status,
                "membership_number": number,
                "membership_type": membership_type,
                "joined_on": joined,
                "lapsed_on": lapsed,
                "household_id": household_id,
                "follow_up": follow_up,
                "notes": notes,
                "sort_key": self._sort_key(spec),
                "search_text": self._search_text(spec, number, postcode, emails),
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
        self.counts["person"] += 1
        if status == "member":
            self.counts["member"] += 1
        self.known.append(
            _Known(
                id=person_id,
                status=status,
                joined=joined,
                lapsed=lapsed,
                since=since,
                age=age,
                tier=tier,
                activity=activity,
                guest_meetings=guest_meetings,
            )
        )
        return created

    def _affiliations(self, batch: _Batch, person_id: int, status: str, age: int) -> None:
        rng = self.rng
        as_of = self.as_of

        def add(
            org_id: int, role: str | None, earliest_age: int, until: dt.date | None = None
        ) -> None:
            years = max(0, age - earliest_age)
            since = as_of - dt.timedelta(days=rng.randint(30, 30 + years * 365))
            batch.affiliations.append(
                {
                    "id": self._new_id("affiliation"),
                    "person_id": person_id,
                    "organisation_id": org_id,
                    "role": role or None,
                    "since": since,
                    "until": max(until, since) if until is not None else None,
                    "version": 1,
                }
            )

        union_chance = {"member": 0.18, "lapsed": 0.1, "supporter": 0.08, "contact": 0.06}.get(
            status, 0.0
        )
        if age >= 67:
            union_chance *= 0.4
        if age >= 18 and rng.random() < union_chance:
            union = self.union_ids[_UNIONS.pick(rng)]
            ended = None
            if age >= 67 and rng.random() < 0.5:
                ended = _years_back(as_of, age - 65)
            elif rng.random() < 0.04:
                ended = as_of - dt.timedelta(days=rng.randint(30, 900))
            add(union, _UNION_ROLES.pick(rng) if ended is None else None, 18, ended)
        if status in ("member", "supporter"):
            if rng.random() < 0.05:
                add(self.coop_id, None, 18)
            if rng.random() < 0.04:
                add(rng.choice(self.campaign_ids), None, 16)
            if rng.random() < 0.03:
                add(rng.choice(self.community_ids), _COMMUNITY_ROLES.pick(rng), 20)

    # --- meetings attended, and what people did there --------------------------------------

    def _attendance(self) -> None:
        rng = self.rng
        engaged = [k for k in self.known if k.tier > 0]
        regulars = [k for k in engaged if k.tier == 3 and k.status == "member"]
        officers = regulars[:]
        rng.shuffle(officers)
        if len(officers) < 2:
            members = [k for k in engaged if k.status == "member"]
            officers += [k for k in members if k not in officers][: 2 - len(officers)]
        chair = officers[0] if officers else None
        secretary = officers[1] if len(officers) > 1 else None
        vice_chair = officers[2] if len(officers) > 2 else None
        for k in engaged:
            k.delegate = (k.tier == 3 and rng.random() < 0.4) or (
                k.tier == 2 and rng.random() < 0.05
            )
        for officer in officers[:5]:
            officer.delegate = True
        guests: dict[int, list[_Known]] = {}
        for k in self.known:
            for meeting_id in k.guest_meetings:
                guests.setdefault(meeting_id, []).append(k)

        attendance: list[Row] = []
        contributions: list[Row] = []
        for meeting in self.meetings:
            day = meeting.starts_at.date()
            season = 0.8 if day.month in (7, 8) else 0.85 if day.month == 12 else 1.0
            if any(0 <= (election - day).days <= 42 for election in self.elections):
                season = 1.15
            present: list[_Known] = []
            apologies: list[_Known] = []
            for k in engaged:
                if (k.joined or k.since) > day:
                    continue
                if k.lapsed is not None and k.lapsed < day:
                    continue
                if k.status == "contact" and meeting.kind != "social":
                    continue
                if k.status == "guest":
                    continue
                p = self._attend_chance(meeting.kind, k, season)
                if k is chair or k is secretary:
                    p = 0.95 if meeting.kind in ("branch", "agm", "general_committee") else p
                if rng.random() < p:
                    present.append(k)
                elif (
                    meeting.kind in ("branch", "agm")
                    or (meeting.kind == "general_committee" and k.delegate)
                ) and (rng.random() < _APOLOGIES[k.tier]):
                    apologies.append(k)
            if not meeting.past:
                # Apologies already in for what is still to come; nobody has been yet.
                apologies = [k for k in apologies + present if rng.random() < 0.25]
                present = []
            else:
                present += guests.get(meeting.id, [])
            if len(present) > MAX_ATTENDEES:
                present = sorted(rng.sample(present, MAX_ATTENDEES), key=lambda k: k.id)
            for k in present:
                checked_in = meeting.starts_at + dt.timedelta(
                    seconds=int(rng.triangular(-20 * 60, 25 * 60, -6 * 60))
                )
                attendance.append(
                    {
                        "id": self._new_id("attendance"),
                        "meeting_id": meeting.id,
                        "person_id": k.id,
                        "status": "present",
                        "checked_in_at": checked_in,
                        "method": "scan"
                        if k.status == "member" and rng.random() < 0.35
                        else "search",
                        "recorded_at": checked_in,
                        "version": 1,
                    }
                )
                k.attended.append(day)
            for k in apologies:
                sent = meeting.starts_at - dt.timedelta(
                    days=rng.randint(1, 6), hours=rng.randint(0, 10)
                )
                if not meeting.past:
                    sent = min(sent, _at(self.as_of - dt.timedelta(days=1), 20))
                attendance.append(
                    {
                        "id": self._new_id("attendance"),
                        "meeting_id": meeting.id,
                        "person_id": k.id,
                        "status": "apologies",
                        "checked_in_at": None,
                        "method": None,
                        "recorded_at": sent,
                        "version": 1,
                    }
                )
            if meeting.past and present:
                contributions += self._contributions(meeting, present, chair, vice_chair, secretary)
        self._insert("attendance", attendance)
        self._insert("contribution", contributions)
        self.counts["attendance"] = len(attendance)
        self.counts["contribution"] = len(contributions)

    def _attend_chance(self, kind: str, k: _Known, season: float) -> float:
        base = _ATTEND[k.tier]
        if kind == "branch":
            return base * season
        if kind == "agm":
            return min(0.95, base * 1.35)
        if kind == "general_committee":
            return 0.85 if k.delegate else 0.0
        if kind == "social":
            return 0.3 if k.status == "contact" else base * 0.6
        if kind == "campaign":
            return {3: 0.45, 2: 0.2, 1: 0.06, 4: 0.02}.get(k.activity, 0.01) * season
        return {3: 0.25, 2: 0.12, 1: 0.02}[k.tier]  # training

    def _contributions(
        self,
        meeting: _Meeting,
        present: list[_Known],
        chair: _Known | None,
        vice_chair: _Known | None,
        secretary: _Known | None,
    ) -> list[Row]:
        rng = self.rng
        rows: list[Row] = []
        minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)

        def add(k: _Known, kind: str, item: int | None = None, note: str | None = None) -> None:
            at = meeting.starts_at + dt.timedelta(minutes=rng.randint(0, max(1, minutes)))
            rows.append(
                {
                    "id": self._new_id("contribution"),
                    "meeting_id": meeting.id,
                    "person_id": k.id,
                    "agenda_item_id": item,
                    "kind": kind,
                    "note": note,
                    "recorded_at": at,
                    "version": 1,
                }
            )

        here = {k.id for k in present}
        regulars = [k for k in present if k.tier == 3]
        if meeting.kind in ("branch", "agm", "general_committee"):
            chaired = next(
                (k for k in (chair, vice_chair) if k is not None and k.id in here),
                regulars[0] if regulars else present[0],
            )
            add(chaired, "chaired")
            minuted = secretary if secretary is not None and secretary.id in here else None
            if minuted is None or minuted is chaired:
                others = [k for k in present if k is not chaired]
                minuted = others[0] if others else None
            if minuted is not None:
                add(minuted, "minuted")
            members = [k for k in present if k.status == "member"]
            for item in meeting.motions:
                if len(members) < 2:
                    break
                weights = [4.0 if k.tier == 3 else 1.0 for k in members]
                proposer = rng.choices(members, weights)[0]
                seconder = proposer
                while seconder is proposer:
                    seconder = rng.choices(members, weights)[0]
                add(proposer, "proposed", item)
                add(seconder, "seconded", item)
                for k in rng.sample(present, min(len(present), rng.randint(1, 3))):
                    add(k, "spoke", item)
        if meeting.kind == "training" or meeting.kind == "social":
            for k in present:
                if meeting.kind == "training" and rng.random() < 0.3:
                    add(k, "question", meeting.talks[0] if meeting.talks else None)
                elif meeting.kind == "social" and rng.random() < 0.05:
                    add(k, "volunteered", None, "Helped set up and clear away")
            return rows
        for k in present:
            if rng.random() < _SPEAKS[k.tier]:
                talk = rng.choice(meeting.talks) if meeting.talks and rng.random() < 0.6 else None
                add(k, "spoke", talk)
            if meeting.speaker_item is not None and rng.random() < 0.12:
                add(k, "question", meeting.speaker_item)
            if rng.random() < _VOLUNTEERS[k.tier]:
                add(k, "volunteered", None, rng.choice(names.VOLUNTEER_NOTES))
        return rows

    # --- activity ----------------------------------------------------------------------------

    def _activities(self) -> None:
        rng = self.rng
        rows: list[Row] = []
        last_day = self.as_of - dt.timedelta(days=1)
        for k in self.known:
            if not k.activity:
                continue
            first = max(self.start, k.joined or k.since)
            last = min(last_day, k.lapsed or last_day)
            if last <= first:
                continue
            span = (last - first).days / HISTORY_DAYS
            if k.activity == 4:
                count, favourites = rng.randint(8, 24), ["leafleting"]
            else:
                low, high = {3: (25, 60), 2: (8, 20), 1: (2, 6)}[k.activity]
                count = rng.randint(low, high)
                favourites = [_ACTIVITY_KINDS.pick(rng), _ACTIVITY_KINDS.pick(rng)]
            count = max(1, round(count * span))
            elections = [e for e in self.elections if first <= e - dt.timedelta(days=1)]
            for _ in range(count):
                kind = (
                    rng.choice(favourites) if rng.random() < 0.75 else (_ACTIVITY_KINDS.pick(rng))
                )
                if elections and rng.random() < 0.45:
                    election = rng.choice(elections)
                    day = max(first, election - dt.timedelta(days=rng.randint(0, 42)))
                else:
                    day = self._day_between(first, last)
                if kind in ("canvassing", "street_stall") and rng.random() < 0.6:
                    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7)
                    day = saturday if saturday <= last else day
                day = min(day, last)
                notes = None
                if rng.random() < 0.15:
                    notes = rng.choice(names.ACTIVITY_NOTES[kind])
                rows.append(
                    {
                        "id": self._new_id("activity"),
                        "person_id": k.id,
                        "kind": kind,
                        "done_on": day,
                        "hours": rng.choice(_HOURS[kind]),
                        "notes": notes,
                        "version": 1,
                    }
                )
        self._insert("activity", rows)
        self.counts["activity"] = len(rows)

    # --- views ---------------------------------------------------------------------------------

    def _answers(self) -> None:
        rng = self.rng
        answers: list[Row] = []
        choices: list[Row] = []
        questions = [self.q_issues, self.q_four_day, self.q_council, self.q_next]
        last_day = self.as_of - dt.timedelta(days=1)

        def value(question_id: int, k: _Known) -> tuple[int | None, str | None, list[int]]:
            options = self.options[question_id]
            if question_id == self.q_issues:
                weights = [
                    20.0 + (8 if k.age < 35 else 0),
                    12.0,
                    18.0 + (8 if k.age >= 60 else 0),
                    8.0,
                    22.0,
                    10.0 + (6 if k.age < 35 else 0),
                    5.0,
                    5.0,
                ]
                picked: list[int] = []
                wanted = 3 if rng.random() < 0.7 else 2 if rng.random() < 0.67 else 1
                pool = list(zip(options, weights, strict=True))
                while len(picked) < wanted:
                    option = _Choices(pool).pick(rng)
                    picked.append(option)
                    pool = [(o, w) for o, w in pool if o != option]
                return None, None, picked
            if question_id == self.q_four_day:
                support = 62.0 if k.age < 40 else 48.0
                return (
                    None,
                    None,
                    [_Choices(list(zip(options, [support, 22.0, 26.0], strict=True))).pick(rng)],
                )
            if question_id == self.q_council:
                return _SCALE.pick(rng), None, []
            return None, rng.choice(names.CAMPAIGN_IDEAS), []

        def add(
            k: _Known,
            question_id: int,
            day: dt.date,
            source: str,
            answer: tuple[int | None, str | None, list[int]],
        ) -> None:
            answer_id = self._new_id("answer")
            scale, text, picked = answer
            answers.append(
                {
                    "id": answer_id,
                    "person_id": k.id,
                    "question_id": question_id,
                    "answered_on": day,
                    "source": source,
                    "scale_value": scale,
                    "text_value": text,
                    "version": 1,
                }
            )
            multiple = question_id == self.q_issues
            for rank, option in enumerate(picked, start=1):
                choices.append(
                    {
                        "answer_id": answer_id,
                        "option_id": option,
                        "rank": rank if multiple else None,
                    }
                )

        for k in self.known:
            chance = {"member": 0.3, "supporter": 0.12}.get(k.status, 0.0)
            if not rng.random() < chance:
                continue
            count = rng.choice((1, 2, 2, 3, 3, 4, 4))
            for question_id in sorted(rng.sample(questions, count)):
                first = max(self.question_days[question_id], k.since)
                if first > last_day:
                    continue
                source = _ANSWER_SOURCES.pick(rng)
                meeting_days = [d for d in k.attended if d >= first]
                if source == "meeting" and meeting_days:
                    day = rng.choice(meeting_days)
                else:
                    source = "doorstep" if source == "meeting" else source
                    day = self._day_between(first, last_day)
                if question_id != self.q_next and rng.random() < 0.1 and day > first:
                    older = self._day_between(first, day - dt.timedelta(days=1))
                    add(
                        k,
                        question_id,
                        older,
                        _ANSWER_SOURCES.pick(rng)
                        if not meeting_days
                        else "meeting"
                        if older in meeting_days
                        else "doorstep",
                        value(question_id, k),
                    )
                add(k, question_id, day, source, value(question_id, k))
        self._insert("answer", answers)
        self._insert("answer_choice", choices)
        self.counts["answer"] = len(answers)


@dataclass
class _Batch:
    """One chunk of people and everything hanging off them, written together."""

    households: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    emails: list[Row] = field(default_factory=list)
    phones: list[Row] = field(default_factory=list)
    preferences: list[Row] = field(default_factory=list)
    verifications: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)
    affiliations: list[Row] = field(default_factory=list)

    def write(self, builder: _Builder) -> None:
        builder._insert("household", self.households)
        builder._insert("person", self.people)
        builder._insert("email_address", self.emails)
        builder._insert("phone_number", self.phones)
        builder._insert("contact_preference", self.preferences)
        builder._insert("detail_verification", self.verifications)
        builder._insert("person_tag", self.tags)
        builder._insert("affiliation", self.affiliations)
        counts = builder.counts
        counts["household"] += len(self.households)
        counts["email_address"] += len(self.emails)
        counts["phone_number"] += len(self.phones)
        counts["affiliation"] += len(self.affiliations)


def generate_demo(
    session: Session,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = 1,
    as_of: dt.date | None = None,
) -> Iterator[tuple[int, int, str]]:
    """Yields (done, total, label) progress; writes into `session` without committing.

    The demo's history ends the day before ``as_of`` (today unless given): two years of
    meetings, activity and answers, and the next few meetings still to come.
    """
    builder = _Builder(session, people, seed, as_of or dt.date.today())
    yield from builder.run()


def _check_empty(session: Session) -> None:
    tables = Base.metadata.tables
    people = session.scalar(select(func.count()).select_from(tables["person"])) or 0
    if people:
        noun = "person" if people == 1 else "people"
        raise UserError(
            f"This database already holds {people:,} {noun}; demo data goes only into an "
            "empty database."
        )
    # Names that must be unique: the demo's own would collide with them.
    for name, words in (
        ("ward", "wards"),
        ("polling_district", "polling districts"),
        ("organisation", "organisations"),
        ("question", "questions"),
        ("tag", "tags"),
    ):
        if session.scalar(select(tables[name].c.id).limit(1)) is not None:
            raise UserError(
                f"This database already holds {words}; demo data goes only into an empty database."
            )


def load_demo(
    database: Database,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = 1,
    as_of: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill an empty database with a demo branch in one transaction.

    Raises ``UserError`` if the database already holds people, and ``Cancelled`` when
    ``cancelled()`` turns true; either way, and on any failure, nothing is written.
    """
    session = database.new_session()
    try:
        _check_empty(session)
        builder = _Builder(session, people, seed, as_of or dt.date.today())
        for done, total, label in builder.run():
            if progress is not None:
                progress(done, total, label)
            if cancelled is not None and cancelled():
                raise Cancelled("Loading the demo data was cancelled; nothing was written.")
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        raise explain_dbapi_error(exc, database.url) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return builder.summary()
