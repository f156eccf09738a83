"""Canvassing, leafleting and other activity: how often the active people help, and at
what, with a rush before each election."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from db.demo import names_branch
from db.demo.choices import Choices
from db.demo.meetings import MeetingStage
from db.demo.records import Row
from db.demo.state import HISTORY_DAYS

_ACTIVITY_KINDS = Choices(
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


class ActivityStage(MeetingStage):
    """Writes activity for everyone active; needs the election days."""

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
                    notes = rng.choice(names_branch.ACTIVITY_NOTES[kind])
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
