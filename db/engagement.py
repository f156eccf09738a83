"""How engaged each person is: active, occasional, dormant or never seen.

An *event* is a meeting the person came to (checked in, or recorded as contributing: someone
who spoke was there, and counts once however often they spoke) or a stint of activity
(canvassing, leafleting, ...). Counting the events of the last twelve months (the window
starts on the same date a year before ``today``, that day included):

- active: at least ``active_events`` of them;
- occasional: at least ``occasional_events`` (but fewer than ``active_events``);
- dormant: too few, or none, in the window, but something before it;
- never seen: no event ever.

Apologies are not events: sending them is polite, not taking part. Anything dated after
``today`` is left out. The thresholds are branch settings, so every window and report uses
the branch's own. Everything is computed in SQL, grouped by person; ``engagement_select`` is
the same computation as a SELECT that segments and the people list can join to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    Subquery,
    case,
    func,
    literal,
    null,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from db.bulk import IN_CHUNK, chunked, select_rows
from db.errors import UserError
from db.models import Activity, Attendance, Contribution, Meeting, Person, Setting

__all__ = [
    "LEVELS",
    "LEVEL_LABELS",
    "Engagement",
    "EngagementThresholds",
    "engagement_counts",
    "engagement_levels",
    "engagement_select",
    "get_engagement_thresholds",
    "set_engagement_thresholds",
    "window_start",
]

LEVELS = ("active", "occasional", "dormant", "never_seen")
LEVEL_LABELS = {
    "active": "Active",
    "occasional": "Occasional",
    "dormant": "Dormant",
    "never_seen": "Never seen",
}
_SETTING_KEY = "engagement.{}"
_MAX_MONTHS = 120


@dataclass(frozen=True)
class EngagementThresholds:
    # Six events: a meeting every other month, or a few meetings and a few sessions out.
    active_events: int = 6
    occasional_events: int = 1
    months: int = 12  # the window events are counted in


@dataclass(frozen=True)
class Engagement:
    level: str
    events: int  # in the window
    last_seen: dt.date | None  # the latest event up to today, however long ago

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def get_engagement_thresholds(session: Session) -> EngagementThresholds:
    """The branch's thresholds; a setting never stored (or mangled by hand) is the default."""
    defaults = EngagementThresholds()
    keys = {_SETTING_KEY.format(f.name): f.name for f in fields(EngagementThresholds)}
    stored: dict[str, int] = {}
    for key, value in session.execute(
        select(Setting.key, Setting.value).where(Setting.key.in_(keys))
    ):
        try:
            stored[keys[key]] = int(value)
        except (TypeError, ValueError):
            continue
    candidate = EngagementThresholds(**{**_as_dict(defaults), **stored})
    try:
        return _checked(candidate)
    except UserError:
        return defaults


def set_engagement_thresholds(session: Session, thresholds: EngagementThresholds) -> list[str]:
    """Store the thresholds; the names of those that changed."""
    checked = _checked(thresholds)
    current = get_engagement_thresholds(session)
    changed: list[str] = []
    for name, value in _as_dict(checked).items():
        key = _SETTING_KEY.format(name)
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=str(value)))
        elif row.value != str(value):
            row.value = str(value)
        if getattr(current, name) != value:
            changed.append(name)
    session.flush()
    return changed


def window_start(today: dt.date, months: int = 12) -> dt.date:
    """The first day of the window: the same date ``months`` earlier, or the month's last
    day when it has no such date (29 February a year on is 28 February)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    day = today.day
    while True:
        try:
            return dt.date(year, month + 1, day)
        except ValueError:  # the 31st of a 30-day month, 29 February in a common year
            day -= 1


def engagement_select(
    thresholds: EngagementThresholds, today: dt.date
) -> Select[int, int, dt.datetime | None, dt.date | None, str]:
    """Every person's engagement as one SELECT of (person_id, events, last_meeting,
    last_activity, level): one row per person, the never-seen included. As a subquery it is
    what a segment or the people list joins to: ``Person.id == sub.c.person_id`` and
    ``sub.c.level == "dormant"``."""
    seen = _per_person(thresholds, today)
    return select(
        Person.id.label("person_id"),
        type_coerce(func.coalesce(seen.c.events, 0), Integer).label("events"),
        seen.c.last_meeting,
        seen.c.last_activity,
        _level(seen, thresholds).label("level"),
    ).outerjoin(seen, seen.c.person_id == Person.id)


def engagement_levels(
    session: Session,
    person_ids: Iterable[int] | None = None,
    *,
    today: dt.date | None = None,
    thresholds: EngagementThresholds | None = None,
) -> dict[int, Engagement]:
    """Each person's engagement (everyone's by default): person id -> ``Engagement``.

    Ids that belong to nobody are left out. The thresholds are the branch's unless given.
    Only people seen at least once come back from the grouped SELECT (a few thousand in a
    branch of 100,000); everyone else shares one never-seen answer rather than each being
    joined, fetched and built (measured: 0.3 s of the 0.4 s that took)."""
    day = today or dt.date.today()
    limits = thresholds or get_engagement_thresholds(session)
    wanted = None if person_ids is None else sorted(set(person_ids))
    if wanted is not None and len(wanted) > _WHOLE_BRANCH_ABOVE:
        everyone = engagement_levels(session, today=day, thresholds=limits)
        return {pid: everyone[pid] for pid in wanted if pid in everyone}
    slices: list[Sequence[int] | None] = [None] if wanted is None else list(chunked(wanted))
    found: dict[int, Engagement] = {}
    for ids in slices:
        seen = _per_person(limits, day, ids)
        people = select(Person.id)
        if ids is not None:
            people = people.where(Person.id.in_(ids))
        for (pid,) in select_rows(session, people):
            found[pid] = _NEVER_SEEN
        rows = session.execute(
            select(
                seen.c.person_id,
                seen.c.events,
                seen.c.last_meeting,
                seen.c.last_activity,
                _level(seen, limits),
            )
        )
        for pid, events, last_meeting, last_activity, level in rows:
            if pid not in found:
                continue  # rows left by someone since erased, should a foreign key be off
            met = None if last_meeting is None else last_meeting.date()
            last = max(met, last_activity) if met and last_activity else met or last_activity
            found[pid] = Engagement(level, int(events), last)
    return found


def engagement_counts(
    session: Session,
    *,
    today: dt.date | None = None,
    thresholds: EngagementThresholds | None = None,
) -> dict[str, int]:
    """How many people are at each level, every level present, in ``LEVELS`` order."""
    day = today or dt.date.today()
    sub = engagement_select(thresholds or get_engagement_thresholds(session), day).subquery()
    counts = dict.fromkeys(LEVELS, 0)
    for level, count in session.execute(select(sub.c.level, func.count()).group_by(sub.c.level)):
        counts[level] = int(count)
    return counts


_NEVER_SEEN = Engagement("never_seen", 0, None)
# Past this many ids the whole branch is quicker than slices of it: a slice costs ~30 ms,
# nearly all of it SQLAlchemy compiling its IN lists; everyone at 100,000 people ~0.16 s.
_WHOLE_BRANCH_ABOVE = 5 * IN_CHUNK


def _per_person(
    thresholds: EngagementThresholds, today: dt.date, person_ids: Sequence[int] | None = None
) -> Subquery:
    """(person_id, events, last_meeting, last_activity) for everyone seen at least once up
    to ``today``; ``person_ids`` narrows every table read, so a slice reads only its own."""
    since = window_start(today, thresholds.months)
    since_at = dt.datetime.combine(since, dt.time())
    end_at = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    attended = select(Attendance.person_id, Attendance.meeting_id).where(
        Attendance.status == "present"
    )
    spoke = select(Contribution.person_id, Contribution.meeting_id)
    worked = select(
        Activity.person_id,
        case((Activity.done_on >= since, 1), else_=0),
        type_coerce(null(), DateTime),
        Activity.done_on,
    ).where(Activity.done_on <= today)
    if person_ids is not None:
        attended = attended.where(Attendance.person_id.in_(person_ids))
        spoke = spoke.where(Contribution.person_id.in_(person_ids))
        worked = worked.where(Activity.person_id.in_(person_ids))
    # A meeting is one event however the person is recorded at it: UNION, not UNION ALL.
    meetings = union(attended, spoke).subquery("seen_at")
    events = union_all(
        select(
            meetings.c.person_id,
            case((Meeting.starts_at >= since_at, 1), else_=0).label("recent"),
            Meeting.starts_at.label("meeting_at"),
            type_coerce(null(), Date).label("activity_on"),
        )
        .join(Meeting, Meeting.id == meetings.c.meeting_id)
        .where(Meeting.starts_at < end_at),
        worked,
    ).subquery("event")
    return (
        select(
            events.c.person_id,
            func.sum(events.c.recent).label("events"),
            func.max(events.c.meeting_at).label("last_meeting"),
            func.max(events.c.activity_on).label("last_activity"),
        )
        .group_by(events.c.person_id)
        .subquery("per_person")
    )


def _level(seen: Subquery, thresholds: EngagementThresholds) -> ColumnElement[str]:
    """The level from ``_per_person``'s columns; outer-joined, a person it lacks is never
    seen."""
    recent = func.coalesce(seen.c.events, 0)
    return case(
        (recent >= thresholds.active_events, literal("active", String)),
        (recent >= thresholds.occasional_events, literal("occasional", String)),
        (seen.c.person_id.is_not(None), literal("dormant", String)),
        else_=literal("never_seen", String),
    )


def _checked(thresholds: EngagementThresholds) -> EngagementThresholds:
    if thresholds.occasional_events < 1:
        raise UserError("An occasional person has at least one event; set 1 or more.")
    if thresholds.active_events < thresholds.occasional_events:
        raise UserError(
            f"Active needs at least as many events as occasional ({thresholds.occasional_events})."
        )
    if not 1 <= thresholds.months <= _MAX_MONTHS:
        raise UserError(f"Count events over 1 to {_MAX_MONTHS} months.")
    return thresholds


def _as_dict(thresholds: EngagementThresholds) -> dict[str, int]:
    return {f.name: getattr(thresholds, f.name) for f in fields(EngagementThresholds)}
