"""The membership report's figures: who the branch has, where, and how that changed over a
period, as plain dataclasses counted in SQL (a handful of aggregate queries, whatever the
size of the branch; no person is loaded).

Membership over time is reckoned from the dates held, so a period in the past gives the
figures as they were then: someone was a member on a day if they are a member or lapsed
member now, had joined by that day (or their joining date is not recorded) and, if lapsed,
lapsed after it. A joiner is a member or lapsed member who joined within the period; a
leaver a lapsed member who lapsed within it. With those definitions the members at the end
are exactly the members at the start plus joiners less leavers. A lapsed member whose lapse
is not dated cannot be placed in time, so is neither a member nor a joiner on any day.

People by status is today's picture; everything else about members is at the period's end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import Household, Person, Ward
from db.models.vocabulary import PERSON_STATUS_LABELS, PERSON_STATUSES

__all__ = [
    "AGE_BANDS",
    "NO_WARD",
    "NOT_RECORDED",
    "AgeBand",
    "MembershipFigures",
    "MonthFlow",
    "Period",
    "StatusCount",
    "TypeCount",
    "WardCount",
    "default_period",
    "membership_figures",
]

NO_WARD = "No ward recorded"
NOT_RECORDED = "Not recorded"
# (label, lowest age in the band); the last band has no upper bound.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("Under 25", 0),
    ("25–34", 25),
    ("35–44", 35),
    ("45–54", 45),
    ("55–64", 55),
    ("65–74", 65),
    ("75 and over", 75),
)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches."""
        month = self.start.replace(day=1)
        found = []
        while month <= self.end:
            found.append(month)
            month = _next_month(month)
        return found

    @property
    def label(self) -> str:
        return f"{_long_date(self.start)} to {_long_date(self.end)}"


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    people: int


@dataclass(frozen=True)
class WardCount:
    ward: str
    members: int  # at the period's end
    joined: int  # in the period
    left: int  # in the period
    lapsed: int  # lapsed members living there now, whenever they lapsed
    supporters: int  # now

    @property
    def net_change(self) -> int:
        return self.joined - self.left


@dataclass(frozen=True)
class TypeCount:
    membership_type: str
    members: int


@dataclass(frozen=True)
class MonthFlow:
    month: dt.date  # its first day
    joined: int
    left: int

    @property
    def net_change(self) -> int:
        return self.joined - self.left


@dataclass(frozen=True)
class AgeBand:
    label: str
    members: int


@dataclass(frozen=True)
class MembershipFigures:
    period: Period
    counted_on: dt.date  # the day "now" means for the status counts
    people: int  # everyone the branch knows
    members_at_start: int  # members on the day before the period starts
    members_at_end: int
    joined: int
    left: int
    statuses: tuple[StatusCount, ...]
    wards: tuple[WardCount, ...]  # every ward, thinnest last; people with no ward at the end
    types: tuple[TypeCount, ...]  # largest first
    months: tuple[MonthFlow, ...]
    age_bands: tuple[AgeBand, ...]  # empty when no member's date of birth is known

    @property
    def net_change(self) -> int:
        return self.members_at_end - self.members_at_start


def default_period(today: dt.date) -> Period:
    """The last twelve calendar months, this one so far included."""
    start = today.replace(day=1)
    for _ in range(11):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return Period(start, today)


def membership_figures(
    session: Session,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> MembershipFigures:
    """The figures for the period from ``start`` to ``end`` (default: the last 12 months)."""
    today = today or dt.date.today()
    default = default_period(end or today)
    period = Period(start or default.start, end or default.end)
    if period.start > period.end:
        raise UserError(
            f"The period starts on {period.start.isoformat()}, after it ends on "
            f"{period.end.isoformat()}; give --from before --to."
        )
    joined, left = _flows(session, period)
    months = tuple(MonthFlow(m, joined[m], left[m]) for m in period.months())
    at_start, at_end = _totals(session, period)
    statuses = _statuses(session)
    return MembershipFigures(
        period=period,
        counted_on=today,
        people=sum(s.people for s in statuses),
        members_at_start=at_start,
        members_at_end=at_end,
        joined=sum(m.joined for m in months),
        left=sum(m.left for m in months),
        statuses=statuses,
        wards=_wards(session, period),
        types=_types(session, period.end),
        months=months,
        age_bands=_age_bands(session, period.end),
    )


# --- the conditions ---------------------------------------------------------------------
def _member_on(day: dt.date) -> ColumnElement[bool]:
    had_joined = or_(Person.joined_on.is_(None), Person.joined_on <= day)
    still = or_(Person.status == "member", and_(Person.status == "lapsed", Person.lapsed_on > day))
    return and_(had_joined, still)


def _joined_in(period: Period) -> ColumnElement[bool]:
    counted = or_(Person.status == "member", Person.lapsed_on.is_not(None))
    return and_(
        Person.status.in_(("member", "lapsed")),
        counted,
        Person.joined_on.between(period.start, period.end),
    )


def _left_in(period: Period) -> ColumnElement[bool]:
    return and_(Person.status == "lapsed", Person.lapsed_on.between(period.start, period.end))


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --- the queries ------------------------------------------------------------------------
def _statuses(session: Session) -> tuple[StatusCount, ...]:
    query = select(Person.status, func.count()).group_by(Person.status)
    counts = {status: count for status, count in session.execute(query)}
    return tuple(
        StatusCount(status, PERSON_STATUS_LABELS[status], int(counts.get(status, 0)))
        for status in PERSON_STATUSES
    )


def _totals(session: Session, period: Period) -> tuple[int, int]:
    before = period.start - dt.timedelta(days=1)
    row = session.execute(
        select(_count_if(_member_on(before)), _count_if(_member_on(period.end)))
    ).one()
    return int(row[0]), int(row[1])


def _flows(session: Session, period: Period) -> tuple[Counter[dt.date], Counter[dt.date]]:
    """Joiners and leavers per month. Grouped by day in SQL (at most one row a day, and the
    same SQL on every database), then by month here."""
    joined: Counter[dt.date] = Counter()
    left: Counter[dt.date] = Counter()
    for column, condition, counter in (
        (Person.joined_on, _joined_in(period), joined),
        (Person.lapsed_on, _left_in(period), left),
    ):
        query = select(column, func.count()).where(condition).group_by(column)
        for day, count in session.execute(query):
            if day is not None:
                counter[day.replace(day=1)] += int(count)
    return joined, left


def _wards(session: Session, period: Period) -> tuple[WardCount, ...]:
    names = {ward_id: name for ward_id, name in session.execute(select(Ward.id, Ward.name))}
    query = (
        select(
            Household.ward_id,
            _count_if(_member_on(period.end)),
            _count_if(_joined_in(period)),
            _count_if(_left_in(period)),
            _count_if(Person.status == "lapsed"),
            _count_if(Person.status == "supporter"),
        )
        .select_from(Person)
        .outerjoin(Household, Person.household_id == Household.id)
        .group_by(Household.ward_id)
    )
    found: dict[int | None, WardCount] = {}
    for ward_id, *counts in session.execute(query):
        name = names.get(ward_id, NO_WARD) if ward_id is not None else NO_WARD
        found[ward_id] = WardCount(name, *(int(c) for c in counts))
    # A ward with nobody in it is the thinnest of all: it belongs on the list.
    wards = [
        found.get(ward_id) or WardCount(name, 0, 0, 0, 0, 0) for ward_id, name in names.items()
    ]
    wards.sort(key=lambda w: (-w.members, w.ward.casefold()))
    unplaced = found.get(None)
    if unplaced is not None and any(
        (unplaced.members, unplaced.joined, unplaced.left, unplaced.lapsed, unplaced.supporters)
    ):
        wards.append(unplaced)
    return tuple(wards)


def _types(session: Session, day: dt.date) -> tuple[TypeCount, ...]:
    query = (
        select(Person.membership_type, func.count())
        .where(_member_on(day))
        .group_by(Person.membership_type)
    )
    counts: Counter[str] = Counter()
    for kind, count in session.execute(query):
        counts[(kind or "").strip() or NOT_RECORDED] += int(count)
    return tuple(TypeCount(kind, count) for kind, count in _largest_first(counts))


def _age_bands(session: Session, day: dt.date) -> tuple[AgeBand, ...]:
    """Members at ``day`` by their age on it. One row of sums, one per band, rather than a
    GROUP BY on a CASE: PostgreSQL will not match a CASE with parameters in the SELECT to
    the same CASE in the GROUP BY."""
    born = Person.date_of_birth
    columns = []
    for index, (_label, lowest) in enumerate(AGE_BANDS):
        # Born on or before this day that many years ago: at least ``lowest`` years old.
        condition = born <= _years_before(day, lowest) if lowest else born.is_not(None)
        if index + 1 < len(AGE_BANDS):
            condition = and_(condition, born > _years_before(day, AGE_BANDS[index + 1][1]))
        columns.append(_count_if(condition))
    columns.append(_count_if(born.is_(None)))
    row = session.execute(select(*columns).where(_member_on(day))).one()
    counts = [int(value) for value in row]
    if not any(counts[:-1]):
        return ()
    bands = [AgeBand(label, count) for (label, _), count in zip(AGE_BANDS, counts, strict=False)]
    if counts[-1]:
        bands.append(AgeBand(NOT_RECORDED, counts[-1]))
    return tuple(bands)


# --- dates ------------------------------------------------------------------------------
def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: that year's birthday is taken as the 28th
        return day.replace(year=day.year - years, day=28)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _largest_first(counts: Counter[str]) -> Sequence[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (item[0] == NOT_RECORDED, -item[1], item[0]))
