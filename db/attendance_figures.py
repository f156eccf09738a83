"""The attendance report's figures: the meetings held in a period, who came to each, who
sent apologies and how many members stayed away, the most faithful attenders, and the
members who came to nothing at all, as plain dataclasses.

Counted in SQL a meeting or a person at a time in one grouped query each; the only rows
read one by one are the period's attendances (a few thousand) and the list of members who
did not come, which the report prints in full in the workbook.

Who was expected: every member, at the kinds of meeting every member is called to (branch
meetings, AGMs and EGMs), counted as a member on the meeting's day the way the membership
report counts one (``db.membership_figures``). Absent there means a member on the day who
neither came nor sent apologies. Other meetings (committees, socials) invite whom they
invite, which the database does not know, so their absent count is only what was recorded
as absent, or unknown when nothing was.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from db.attendance_tally import anonymous_counts
from db.bulk import chunked
from db.door import quorums
from db.membership_figures import Period
from db.models import Attendance, Household, Meeting, Person, Ward
from db.models.vocabulary import MEETING_KIND_LABELS
from db.report_period import report_period

__all__ = [
    "ALL_MEMBER_KINDS",
    "TOP_ATTENDERS",
    "AbsentMember",
    "Attender",
    "AttendanceFigures",
    "MeetingAttendance",
    "attendance_figures",
]

ALL_MEMBER_KINDS = ("branch", "agm", "egm")
TOP_ATTENDERS = 20
_COLUMNS_PER_QUERY = 50  # members-on-the-day counts asked in one SELECT


@dataclass(frozen=True)
class MeetingAttendance:
    meeting_id: int
    starts_at: dt.datetime
    kind: str
    kind_label: str
    title: str
    present: int
    apologies: int
    expected: int | None  # members on the day, where every member is called
    absent: int | None  # None: not known (see the module's docstring)
    quorum: int | None  # the kind's quorum, when one is set
    quorate: bool | None


@dataclass(frozen=True)
class Attender:
    person_id: int
    name: str
    attended: int  # meetings in the period
    apologies: int
    last_attended: dt.datetime


@dataclass(frozen=True)
class AbsentMember:
    person_id: int
    name: str
    membership_number: str | None
    ward: str | None
    last_attended: dt.datetime | None  # ever, before the period; None if never


@dataclass(frozen=True)
class AttendanceFigures:
    period: Period
    meetings: tuple[MeetingAttendance, ...]  # oldest first
    attendances: int  # present, summed over the meetings
    apologies: int
    people_attending: int  # different people who came to at least one
    members_at_end: int  # members on the period's last day
    members_attending: int  # of them, how many came to at least one meeting
    top_attenders: tuple[Attender, ...]  # most meetings first, at most TOP_ATTENDERS
    not_attending: tuple[AbsentMember, ...]  # members who came to none, by name

    @property
    def average_present(self) -> float:
        return self.attendances / len(self.meetings) if self.meetings else 0.0

    @property
    def members_not_attending(self) -> int:
        return len(self.not_attending)


def attendance_figures(
    session: Session,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> AttendanceFigures:
    """The figures for the period from ``start`` to ``end`` (default: the last 12 months)."""
    period = report_period(start, end, today=today)
    held = _in_period(period)
    meetings = _meetings(session, held)
    rows = session.execute(
        select(
            Attendance.meeting_id,
            Attendance.person_id,
            Attendance.status,
            Person.status,
            Person.joined_on,
            Person.lapsed_on,
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(held)
    ).all()
    present: Counter[int] = Counter()
    apologies: Counter[int] = Counter()
    recorded_absent: Counter[int] = Counter()
    accounted: Counter[int] = Counter()  # members on the day who came or apologised
    came: Counter[int] = Counter()
    sent_apologies: Counter[int] = Counter()
    days = {m.id: m.starts_at.date() for m in meetings}
    for meeting_id, person_id, status, person_status, joined, lapsed in rows:
        if status == "present":
            present[meeting_id] += 1
            came[person_id] += 1
        elif status == "apologies":
            apologies[meeting_id] += 1
            sent_apologies[person_id] += 1
        else:
            recorded_absent[meeting_id] += 1
        if status != "absent" and was_member(person_status, joined, lapsed, days[meeting_id]):
            accounted[meeting_id] += 1
    # People since erased: counted at their meetings, but nobody to count as a person.
    for meeting_id, status, member, n in anonymous_counts(session, list(days)):
        if status == "present":
            present[meeting_id] += n
        elif status == "apologies":
            apologies[meeting_id] += n
        else:
            recorded_absent[meeting_id] += n
        if status != "absent" and member:
            accounted[meeting_id] += n
    calls_all = [m for m in meetings if m.kind in ALL_MEMBER_KINDS]
    expected = _members_on(session, sorted({days[m.id] for m in calls_all}))
    needed = quorums(session)
    found = []
    for m in meetings:
        members = expected[days[m.id]] if m.kind in ALL_MEMBER_KINDS else None
        if members is not None:
            absent: int | None = max(0, members - accounted[m.id])
        else:
            absent = recorded_absent[m.id] or None
        quorum = needed.get(m.kind)
        found.append(
            MeetingAttendance(
                m.id,
                m.starts_at,
                m.kind,
                MEETING_KIND_LABELS.get(m.kind, m.kind),
                m.title,
                present[m.id],
                apologies[m.id],
                members,
                absent,
                quorum,
                None if quorum is None else present[m.id] >= quorum,
            )
        )
    not_attending = _members_not_attending(session, period, set(came))
    members_at_end = session.scalar(
        select(func.count()).select_from(Person).where(_member_on(period.end))
    )
    return AttendanceFigures(
        period=period,
        meetings=tuple(found),
        attendances=sum(present.values()),
        apologies=sum(apologies.values()),
        people_attending=len(came),
        members_at_end=int(members_at_end or 0),
        members_attending=int(members_at_end or 0) - len(not_attending),
        top_attenders=_top_attenders(session, came, sent_apologies, held),
        not_attending=not_attending,
    )


@dataclass(frozen=True)
class _Meeting:
    id: int
    starts_at: dt.datetime
    kind: str
    title: str


def _in_period(period: Period) -> ColumnElement[bool]:
    # Meetings carry a time of day: the period's last day runs to its midnight.
    first = dt.datetime.combine(period.start, dt.time())
    return and_(Meeting.starts_at >= first, Meeting.starts_at < _after(period))


def _after(period: Period) -> dt.datetime:
    return dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())


def _meetings(session: Session, held: ColumnElement[bool]) -> list[_Meeting]:
    query = (
        select(Meeting.id, Meeting.starts_at, Meeting.kind, Meeting.title)
        .where(held)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [_Meeting(*row) for row in session.execute(query)]


def _member_on(day: dt.date) -> ColumnElement[bool]:
    """A member on ``day``, as ``db.membership_figures`` reckons one from the dates held."""
    had_joined = or_(Person.joined_on.is_(None), Person.joined_on <= day)
    still = or_(Person.status == "member", and_(Person.status == "lapsed", Person.lapsed_on > day))
    return and_(had_joined, still)


def was_member(status: str, joined: dt.date | None, lapsed: dt.date | None, day: dt.date) -> bool:
    """``_member_on`` for one person already read."""
    if joined is not None and joined > day:
        return False
    return status == "member" or (status == "lapsed" and lapsed is not None and lapsed > day)


def _members_on(session: Session, days: Sequence[dt.date]) -> dict[dt.date, int]:
    """Members on each of ``days``: one pass over the people for up to fifty days."""
    counts: dict[dt.date, int] = {}
    for index in range(0, len(days), _COLUMNS_PER_QUERY):
        chunk = days[index : index + _COLUMNS_PER_QUERY]
        columns = [func.coalesce(func.sum(case((_member_on(d), 1), else_=0)), 0) for d in chunk]
        row = session.execute(select(*columns).select_from(Person)).one()
        counts.update((d, int(n)) for d, n in zip(chunk, row, strict=True))
    return counts


def _top_attenders(
    session: Session, came: Counter[int], apologies: Counter[int], held: ColumnElement[bool]
) -> tuple[Attender, ...]:
    # Ties at the cut-off are settled by name, so read a few more than the cut-off's count.
    cutoff = sorted(came.values(), reverse=True)[:TOP_ATTENDERS][-1:] or [1]
    wanted = [pid for pid, n in came.items() if n >= cutoff[0]]
    if not wanted:
        return ()
    last: dict[int, dt.datetime] = {}
    for ids in chunked(sorted(wanted)):
        last.update(
            session.execute(
                select(Attendance.person_id, func.max(Meeting.starts_at))
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(held, Attendance.status == "present", Attendance.person_id.in_(ids))
                .group_by(Attendance.person_id)
            ).all()
        )
    people = _names(session, wanted)
    ranked = sorted(wanted, key=lambda pid: (-came[pid], people[pid][1], pid))
    return tuple(
        Attender(pid, people[pid][0], came[pid], apologies[pid], last[pid])
        for pid in ranked[:TOP_ATTENDERS]
    )


def _names(session: Session, person_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Name and sort key by id; in slices, as many ids may tie at the cut-off."""
    found: dict[int, tuple[str, str]] = {}
    for ids in chunked(sorted(set(person_ids))):
        query = select(Person.id, Person.first_name, Person.last_name, Person.sort_key).where(
            Person.id.in_(ids)
        )
        for pid, first, last, key in session.execute(query):
            found[pid] = (f"{first} {last}".strip(), key)
    return found


def _members_not_attending(
    session: Session, period: Period, came: set[int]
) -> tuple[AbsentMember, ...]:
    """Members on the period's last day who came to none of its meetings, by name, with
    when they last came (before the period, since they did not during it)."""
    last = dict(
        session.execute(
            select(Attendance.person_id, func.max(Meeting.starts_at))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.status == "present", Meeting.starts_at < _after(period))
            .group_by(Attendance.person_id)
        ).all()
    )
    query = (
        select(Person.id, Person.first_name, Person.last_name, Person.membership_number, Ward.name)
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(Ward, Ward.id == Household.ward_id)
        .where(_member_on(period.end))
        .order_by(Person.sort_key, Person.id)
    )
    return tuple(
        AbsentMember(pid, f"{first} {last_name}".strip(), number, ward, last.get(pid))
        for pid, first, last_name, number, ward in session.execute(query)
        if pid not in came
    )
