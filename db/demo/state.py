"""What every stage of the demo build shares: the sizes, the session, the one seeded
generator, the ids handed out and the running counts, and the plumbing that writes rows.

The stages are mixins on ``BuildState``, each in its own module (``reference``,
``meetings``, ``households``, ``person_details``, ``people``, ``attendance``,
``activities``, ``answers``); a stage that reads what another wrote subclasses it, and
``builder.Builder`` puts them all together and runs them in order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from db.bulk import advance_sequences, insert_rows
from db.demo import names_branch
from db.demo.dates import at_time
from db.demo.records import Known, Row
from db.models import Base
from db.search import DocumentCache

DEFAULT_PEOPLE = 1500
# People written per progress step: small enough for a responsive Cancel button.
CHUNK_PEOPLE = 2500
# Expected attendance at a branch meeting is about 2.8% of everyone; past this many the
# share of people who come at all is scaled down, so a huge branch still has a small core.
TARGET_BRANCH_ATTENDANCE = 240
MAX_ATTENDEES = 400
HISTORY_DAYS = 730


class BuildState:
    """The state every stage reads and writes, and the plumbing they share."""

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
        self.known: list[Known] = []
        self.emails_used: set[str] = set()
        self.numbers_used: set[str] = set()
        self.postcodes_used: set[str] = set()
        self._folded: dict[str, str] = {}
        self.documents = DocumentCache()
        self.mobiles = self._pool(names_branch.MOBILE_PREFIX)
        self.landlines = self._pool(names_branch.LANDLINE_PREFIX)
        self.imports = self._import_days()
        expected = 0.028 * people
        self.scale = min(1.0, TARGET_BRANCH_ATTENDANCE / expected) if expected else 1.0

    # --- plumbing -------------------------------------------------------------------

    def _new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _insert(self, table: str, rows: list[Row]) -> None:
        insert_rows(self.session, self.tables[table], rows)

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
        advance_sequences(self.session, self.next_id)

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
        return at_time(day, first_hour + int(hours), int((hours % 1) * 60))
