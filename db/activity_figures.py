"""The activity and volunteering report's figures: hours and sessions by kind of activity,
by volunteer and by month over a period, as plain dataclasses.

One activity row is one volunteer's stint ("turn-out"): a canvassing session with eight
volunteers is eight rows. A session is what was logged at once, the rows sharing kind, day,
hours and notes, as the Activities window groups them (``db.activity_log``). Hours are
summed where recorded; a stint logged without hours counts as a turn-out with none.

Four grouped queries whatever the size of the branch; the widest reads a row per volunteer
per day they did something.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Float, func, select
from sqlalchemy.orm import Session

from db.activities import activity_totals
from db.activity_log import person_names
from db.membership_figures import Period
from db.models import Activity
from db.models.vocabulary import ACTIVITY_KIND_LABELS, ACTIVITY_KINDS
from db.report_period import report_period

__all__ = [
    "ActivityFigures",
    "KindFigures",
    "MonthActivity",
    "Volunteer",
    "activity_figures",
]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class KindFigures:
    kind: str
    label: str
    sessions: int  # logged sessions
    turnouts: int  # volunteers' stints
    hours: Decimal
    people: int  # different volunteers


@dataclass(frozen=True)
class Volunteer:
    person_id: int
    name: str
    turnouts: int
    hours: Decimal
    kinds: tuple[str, ...]  # the labels of what they did, most turn-outs first
    last_on: dt.date


@dataclass(frozen=True)
class MonthActivity:
    month: dt.date  # its first day
    turnouts: int
    hours: Decimal
    people: int


@dataclass(frozen=True)
class ActivityFigures:
    period: Period
    kinds: tuple[KindFigures, ...]  # every kind, in the usual order, zeros included
    volunteers: tuple[Volunteer, ...]  # everyone who did anything: most hours first
    months: tuple[MonthActivity, ...]
    sessions: int
    turnouts: int
    hours: Decimal
    people: int
    without_hours: int  # turn-outs logged with no hours


def activity_figures(
    session: Session,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> ActivityFigures:
    """The figures for the period from ``start`` to ``end`` (default: the last 12 months)."""
    period = report_period(start, end, today=today)
    within = Activity.done_on.between(period.start, period.end)
    logged = (
        select(Activity.kind)
        .where(within)
        .group_by(Activity.kind, Activity.done_on, Activity.hours, Activity.notes)
        .subquery()
    )
    sessions = {
        kind: int(n)
        for kind, n in session.execute(select(logged.c.kind, func.count()).group_by(logged.c.kind))
    }
    kinds = tuple(
        KindFigures(t.kind, t.kind_label, sessions.get(t.kind, 0), t.sessions, t.hours, t.people)
        for t in activity_totals(session, period.start, period.end)
    )
    # A row per volunteer, day and kind: months and volunteers are both added up from it.
    rows = session.execute(
        select(
            Activity.person_id,
            Activity.done_on,
            Activity.kind,
            func.count(),
            func.sum(Activity.hours, type_=Float),
            func.count(Activity.hours),
        )
        .where(within)
        .group_by(Activity.person_id, Activity.done_on, Activity.kind)
    )
    turnouts: Counter[int] = Counter()
    hours: defaultdict[int, Decimal] = defaultdict(Decimal)
    last: dict[int, dt.date] = {}
    done: defaultdict[int, Counter[str]] = defaultdict(Counter)
    month_turnouts: Counter[dt.date] = Counter()
    month_hours: defaultdict[dt.date, Decimal] = defaultdict(Decimal)
    month_people: defaultdict[dt.date, set[int]] = defaultdict(set)
    without_hours = 0
    for person_id, day, kind, count, summed, with_hours in rows:
        spent = _hours(summed)
        month = day.replace(day=1)
        turnouts[person_id] += count
        hours[person_id] += spent
        last[person_id] = max(day, last.get(person_id, day))
        done[person_id][kind] += count
        month_turnouts[month] += count
        month_hours[month] += spent
        month_people[month].add(person_id)
        without_hours += count - with_hours
    names = person_names(session, turnouts)
    order = {kind: index for index, kind in enumerate(ACTIVITY_KINDS)}
    volunteers = sorted(
        (
            Volunteer(
                pid,
                names.get(pid, "(no name)"),
                turnouts[pid],
                hours[pid],
                tuple(
                    ACTIVITY_KIND_LABELS.get(kind, kind)
                    for kind, _n in sorted(
                        done[pid].items(), key=lambda item: (-item[1], order.get(item[0], 99))
                    )
                ),
                last[pid],
            )
            for pid in turnouts
        ),
        key=lambda v: (-v.hours, -v.turnouts, v.name.casefold(), v.person_id),
    )
    months = tuple(
        MonthActivity(m, month_turnouts[m], month_hours[m], len(month_people[m]))
        for m in period.months()
    )
    return ActivityFigures(
        period=period,
        kinds=kinds,
        volunteers=tuple(volunteers),
        months=months,
        sessions=sum(k.sessions for k in kinds),
        turnouts=sum(k.turnouts for k in kinds),
        hours=sum((k.hours for k in kinds), Decimal(0)),
        people=len(turnouts),
        without_hours=without_hours,
    )


def _hours(value: object) -> Decimal:
    # Summed as a float (SQLite keeps no decimals); hours are stored to the hundredth.
    return Decimal(str(value or 0)).quantize(_CENT)
