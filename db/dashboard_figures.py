"""The dashboard's figures: the branch at a glance, as plain dataclasses, each bar or slice
carrying who is behind it (a ``Drill``) so that a window can list exactly those people.

The membership figures (status, wards, joiners and leavers) are ``db.membership_figures``
over the last twelve months; engagement is ``db.engagement``'s SELECT grouped once; the
priorities are ``db.views.answer_summary`` of the branch's main choice question; unions are
``db.organisations.union_members``; attendance is one GROUP BY over the year's meetings;
data quality is ``db.data_quality``'s lists, counted per person. Nobody is loaded as an
object, and the same SQL runs on SQLite and PostgreSQL.

A drill is a segment rule tree wherever the rule language can say it, so that clicking a
bar and building that segment by hand give the same people, and the count behind a bar is
``count_segment`` of its rules. A meeting's attendance and the data-quality lists have no
rule kind: their drills name the meeting or the list instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.attendance_tally import tally_sums
from db.bulk import chunked, select_rows
from db.data_quality import (
    email_issues,
    phone_issues,
    postcode_issues,
    problem_people,
    unverified_details,
)
from db.engagement import LEVEL_LABELS, LEVELS, engagement_select, get_engagement_thresholds
from db.membership_figures import NO_WARD, MembershipFigures, Period, membership_figures
from db.models import (
    Activity,
    Affiliation,
    Answer,
    Attendance,
    AuditEntry,
    Contribution,
    DetailVerification,
    EmailAddress,
    Household,
    Meeting,
    Organisation,
    Person,
    PhoneNumber,
    Question,
    Setting,
)
from db.organisations import union_members
from db.people import PersonRow, rows_for
from db.question_bank import list_questions
from db.segment_rules import Node
from db.segments import count_segment, segment_people
from db.views import answer_summary

__all__ = [
    "MAX_PRIORITIES",
    "MAX_UNIONS",
    "QUALITY_CHECKS",
    "Chart",
    "Count",
    "DashboardFigures",
    "Drill",
    "DrillPeople",
    "KeyFigures",
    "MeetingAttendance",
    "Series",
    "dashboard_figures",
    "data_fingerprint",
    "drill_count",
    "drill_people",
]

MAX_PRIORITIES = 8  # options shown for the priorities question, most chosen first
MAX_UNIONS = 8
# (data_quality list, what a person without a problem in it has)
QUALITY_CHECKS: tuple[tuple[str, str], ...] = (
    ("emails", "Email address"),
    ("phones", "Phone number"),
    ("postcodes", "Postcode"),
    ("unverified", "Confirmed in 2 years"),
    ("any", "All of these"),
)
_QUALITY_LABELS = dict(QUALITY_CHECKS)
_CONFIRMED_MONTHS = 24  # the data-quality window's default: details older need confirming
# Versioned tables whose rows are edited in place, and tables whose rows are only added or
# deleted (a deletion lowers a count).
_COUNTED: tuple[Any, ...] = (
    Person,
    Household,
    Attendance,
    Contribution,
    Answer,
    Affiliation,
    Organisation,
    Question,
    Meeting,
    Activity,
    EmailAddress,
    PhoneNumber,
)
_APPENDED: tuple[Any, ...] = (DetailVerification,)
_ATTENDANCE_LABELS = {"present": "came to", "apologies": "sent apologies for"}


@dataclass(frozen=True)
class Drill:
    """The people behind one bar, slice or point: exactly one of ``rule`` (a segment rule
    tree), ``meeting_id`` (who had ``attendance`` at that meeting) or ``quality`` (a
    ``QUALITY_CHECKS`` key: the people with that problem, or without it when ``fine``)."""

    title: str
    rule: Node | None = None
    meeting_id: int | None = None
    attendance: str = "present"
    quality: str | None = None
    fine: bool = False


@dataclass(frozen=True)
class Count:
    category: str
    value: int
    drill: Drill


@dataclass(frozen=True)
class Series:
    name: str
    counts: tuple[Count, ...]  # one per category of its chart, in the chart's order

    @property
    def values(self) -> list[int]:
        return [count.value for count in self.counts]


@dataclass(frozen=True)
class Chart:
    title: str
    subtitle: str  # what is counted and over when, in a line
    categories: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not any(count.value for series in self.series for count in series.counts)


@dataclass(frozen=True)
class MeetingAttendance:
    meeting_id: int
    title: str
    starts_at: dt.datetime
    present: int
    apologies: int

    def drill(self, attendance: str = "present") -> Drill:
        what = _ATTENDANCE_LABELS[attendance]
        title = f"People who {what} {self.title} on {_long_date(self.starts_at.date())}"
        return Drill(title, meeting_id=self.meeting_id, attendance=attendance)


@dataclass(frozen=True)
class KeyFigures:
    people: int
    members: int
    joined: int  # in the twelve months
    left: int
    active_members: int
    meetings: int  # held in the twelve months, up to today
    mean_attendance: float | None  # people who came, per meeting
    complete_and_confirmed: int  # people in none of the data-quality lists


@dataclass(frozen=True)
class DashboardFigures:
    today: dt.date
    period: Period
    key: KeyFigures
    statuses: Chart
    wards: Chart
    months: Chart
    meetings: tuple[MeetingAttendance, ...]  # oldest first
    engagement: Chart
    priorities: Chart  # no categories when the branch asks no choice question
    unions: Chart
    quality: Chart  # series "Fine" and "To put right", per check


@dataclass(frozen=True)
class DrillPeople:
    count: int
    rows: list[PersonRow]  # alphabetical; the first ``limit``


def dashboard_figures(
    session: Session, today: dt.date | None = None, *, quality: bool = True
) -> DashboardFigures:
    """Everything the dashboard draws, as of ``today``. ``quality=False`` skips the data-
    quality lists (whole-table reads checked in Python, the slowest part by far) and leaves
    that chart empty."""
    day = today or dt.date.today()
    membership = membership_figures(session, today=day, end=day)
    period = membership.period
    engagement, active_members = _engagement(session, day)
    meetings = _meetings(session, period, day)
    quality_chart, clean = _quality(session, day, membership.people if quality else 0)
    came = [meeting.present for meeting in meetings]
    members = next(s.people for s in membership.statuses if s.status == "member")
    key = KeyFigures(
        people=membership.people,
        members=members,
        joined=membership.joined,
        left=membership.left,
        active_members=active_members,
        meetings=len(meetings),
        mean_attendance=sum(came) / len(came) if came else None,
        complete_and_confirmed=clean,
    )
    return DashboardFigures(
        today=day,
        period=period,
        key=key,
        statuses=_statuses(membership),
        wards=_wards(membership, day),
        months=_months(membership),
        meetings=meetings,
        engagement=engagement,
        priorities=_priorities(session),
        unions=_unions(session, day),
        quality=quality_chart,
    )


# --- the charts -------------------------------------------------------------------------


def _statuses(figures: MembershipFigures) -> Chart:
    counts = tuple(
        _ruled(s.label, s.people, _plural_label(s.label), _status(s.status))
        for s in figures.statuses
    )
    return Chart(
        "People by status",
        f"Everyone the branch knows: {figures.people:,}",
        tuple(count.category for count in counts),
        (Series("People", counts),),
    )


def _wards(figures: MembershipFigures, today: dt.date) -> Chart:
    wards = [w for w in figures.wards if w.ward != NO_WARD]
    known = [w.ward for w in wards]
    members, supporters = [], []
    for ward in figures.wards:
        place = _in_ward(ward.ward, known)
        where = "with no ward recorded" if ward.ward == NO_WARD else f"in {ward.ward}"
        members.append(
            _ruled(ward.ward, ward.members, f"Members {where}", [place, _member_on(today)])
        )
        supporters.append(
            _ruled(ward.ward, ward.supporters, f"Supporters {where}", [place, _status("supporter")])
        )
    return Chart(
        "People by ward",
        "Members and supporters today, thinnest wards last",
        tuple(w.ward for w in figures.wards),
        (Series("Members", tuple(members)), Series("Supporters", tuple(supporters))),
    )


def _months(figures: MembershipFigures) -> Chart:
    period = figures.period
    joined, left = [], []
    for flow in figures.months:
        start = max(flow.month, period.start)
        end = min(_month_end(flow.month), period.end)
        between = [start.isoformat(), end.isoformat()]
        name = f"{flow.month:%B %Y}"
        month = _short_month(flow.month)
        joined.append(_ruled(month, flow.joined, f"Joined in {name}", _joined_between(between)))
        lapsed: Node = {"rule": "lapsed", "between": between}
        left.append(_ruled(month, flow.left, f"Left in {name}", [_status("lapsed"), lapsed]))
    return Chart(
        "Joiners and leavers",
        f"Per month, {_month_span(period)}: {figures.joined:,} joined, {figures.left:,} left",
        tuple(count.category for count in joined),
        (Series("Joined", tuple(joined)), Series("Left", tuple(left))),
    )


def _engagement(session: Session, today: dt.date) -> tuple[Chart, int]:
    """People at each engagement level, members apart from everyone else: one GROUP BY
    over the same SELECT the engagement rule uses, so the two always agree."""
    thresholds = get_engagement_thresholds(session)
    levels = engagement_select(thresholds, today).subquery("engagement")
    is_member = case((Person.status == "member", 1), else_=0)
    rows = session.execute(
        select(levels.c.level, is_member, func.count())
        .join(Person, Person.id == levels.c.person_id)
        .group_by(levels.c.level, is_member)
    )
    found = {(str(level), bool(member)): int(count) for level, member, count in rows}
    members, others = [], []
    member = _status("member")
    for level in LEVELS:
        label = LEVEL_LABELS[level]
        rule: Node = {"rule": "engagement", "in": [level]}
        members.append(
            _ruled(label, found.get((level, True), 0), f"{label} members", [rule, member])
        )
        others.append(
            _ruled(
                label,
                found.get((level, False), 0),
                f"{label} people who are not members",
                [rule, {"not": member}],
            )
        )
    chart = Chart(
        "Engagement",
        f"Meetings and activity in the last {thresholds.months} months "
        f"(active: {thresholds.active_events} or more)",
        tuple(LEVEL_LABELS[level] for level in LEVELS),
        (Series("Members", tuple(members)), Series("Everyone else", tuple(others))),
    )
    return chart, found.get(("active", True), 0)


def _meetings(session: Session, period: Period, today: dt.date) -> tuple[MeetingAttendance, ...]:
    since = dt.datetime.combine(period.start, dt.time())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    # Counted with the anonymous counts erasures leave, so no meeting's bar shrinks.
    counts = tally_sums()
    rows = session.execute(
        select(
            Meeting.id,
            Meeting.title,
            Meeting.starts_at,
            func.coalesce(counts.c.present, 0),
            func.coalesce(counts.c.apologies, 0),
        )
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(Meeting.starts_at >= since, Meeting.starts_at < until)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return tuple(
        MeetingAttendance(int(mid), str(title), starts_at, int(came), int(sent))
        for mid, title, starts_at, came, sent in rows
    )


def _priorities(session: Session) -> Chart:
    """The options of the branch's main choice question, most chosen first: the multiple-
    choice question most people have answered (a priorities question), else the single-
    choice one."""
    questions = [
        q
        for q in list_questions(session, include_retired=False)
        if q.kind in ("multiple_choice", "single_choice") and q.respondents
    ]
    if not questions:
        return Chart("Top priorities", "No choice question has been answered yet", (), ())
    question = min(
        questions, key=lambda q: (q.kind != "multiple_choice", -q.respondents, q.position)
    )
    summary = answer_summary(session, question.id)
    chosen = sorted(
        (o for o in summary.options if o.count), key=lambda o: (-o.count, o.label.casefold())
    )[:MAX_PRIORITIES]
    counts = tuple(
        _ruled(
            option.label,
            option.count,
            f"Chose “{option.label}” for “{summary.text}”",
            {"rule": "answer", "question": question.id, "option": option.label},
        )
        for option in chosen
    )
    return Chart(
        "Top priorities",
        f"{summary.text} ({summary.respondents:,} answered)",
        tuple(count.category for count in counts),
        (Series("People", counts),),
    )


def _unions(session: Session, today: dt.date) -> Chart:
    unions = [u for u in union_members(session, today=today) if u.members][:MAX_UNIONS]
    counts = tuple(
        _ruled(
            union.short_name or union.name,
            union.members,
            f"Members in {union.name}",
            [_status("member"), {"rule": "affiliation", "organisation": union.name}],
        )
        for union in unions
    )
    subtitle = (
        f"Members in each trade union now (the {MAX_UNIONS} largest)"
        if unions
        else "No member is recorded in a trade union yet"
    )
    return Chart(
        "Union membership",
        subtitle,
        tuple(count.category for count in counts),
        (Series("Members", counts),),
    )


def _quality(session: Session, today: dt.date, people: int) -> tuple[Chart, int]:
    """Per check, the people without a problem in that list and those with one; and how
    many have none at all."""
    if not people:
        return Chart("Data quality", "Not worked out", (), ()), 0
    problems = _quality_sets(session, today)
    fine, wrong = [], []
    for key, label in QUALITY_CHECKS:
        bad = len(problems[key])
        fine.append(Count(label, people - bad, Drill(f"{label}: fine", quality=key, fine=True)))
        wrong.append(Count(label, bad, Drill(f"{label}: to put right", quality=key)))
    clean = people - len(problems["any"])
    chart = Chart(
        "Data quality",
        f"{_percent(clean, people)} of people have every detail and had it confirmed "
        f"in {_CONFIRMED_MONTHS // 12} years",
        tuple(label for _key, label in QUALITY_CHECKS),
        (Series("Fine", tuple(fine)), Series("To put right", tuple(wrong))),
    )
    return chart, clean


def _quality_sets(session: Session, today: dt.date) -> dict[str, set[int]]:
    return problem_people(session, months=_CONFIRMED_MONTHS, today=today)


def _problem_ids(session: Session, key: str, today: dt.date) -> set[int]:
    """The people in one list: a click reads that list alone, not all four."""
    if key == "any":
        return _quality_sets(session, today)["any"]
    if key == "unverified":
        issues = unverified_details(session, months=_CONFIRMED_MONTHS, today=today)
    else:
        issues = {"emails": email_issues, "phones": phone_issues, "postcodes": postcode_issues}[
            key
        ](session)
    return {issue.person_id for issue in issues}


# --- the people behind a bar ------------------------------------------------------------


def drill_count(session: Session, drill: Drill, today: dt.date | None = None) -> int:
    day = today or dt.date.today()
    if drill.rule is not None:
        return count_segment(session, drill.rule, day)
    if drill.meeting_id is not None:
        return int(session.scalar(_attendees(drill).with_only_columns(func.count())) or 0)
    return len(_quality_ids(session, drill, day))


def drill_people(
    session: Session, drill: Drill, today: dt.date | None = None, *, limit: int | None = 500
) -> DrillPeople:
    """How many people are behind ``drill`` and the people list's rows for the first
    ``limit`` of them, alphabetically."""
    day = today or dt.date.today()
    if drill.rule is not None:
        count = count_segment(session, drill.rule, day)
        return DrillPeople(count, segment_people(session, drill.rule, limit=limit, today=day))
    if drill.meeting_id is not None:
        condition = Person.id.in_(_attendees(drill))
        count = int(session.scalar(select(func.count()).where(condition)) or 0)
        page = select(Person.id, Person.sort_key).where(condition)
        if limit is not None:
            page = page.order_by(Person.sort_key, Person.id).limit(limit)
        return DrillPeople(count, _rows(session, [page]))
    ids = _quality_ids(session, drill, day)
    # The lists come from Python, so the first page is chosen here by the list's own order.
    everyone = select_rows(session, select(Person.sort_key, Person.id))
    chosen = sorted((key, pid) for key, pid in everyone if pid in ids)
    wanted = [pid for _key, pid in (chosen if limit is None else chosen[:limit])]
    pages = [select(Person.id, Person.sort_key).where(Person.id.in_(c)) for c in chunked(wanted)]
    return DrillPeople(len(ids), _rows(session, pages))


def _attendees(drill: Drill) -> Any:
    return select(Attendance.person_id).where(
        Attendance.meeting_id == drill.meeting_id, Attendance.status == drill.attendance
    )


def _rows(session: Session, pages: Sequence[Any]) -> list[PersonRow]:
    found: list[PersonRow] = []
    for page in pages:
        statement = rows_for(page.subquery("page"))
        found.extend(PersonRow(**row._mapping) for row in session.execute(statement))
    found.sort(key=lambda row: (row.sort_key, row.id))
    return found


def _quality_ids(session: Session, drill: Drill, today: dt.date) -> set[int]:
    assert drill.quality in _QUALITY_LABELS, drill.quality
    problems = _problem_ids(session, drill.quality, today)
    if not drill.fine:
        return problems
    return {pid for (pid,) in select_rows(session, select(Person.id)) if pid not in problems}


# --- rules ------------------------------------------------------------------------------


def _ruled(category: str, value: int, title: str, rule: Node | list[Node]) -> Count:
    """A count whose people are a rule's; a list of rules is all of them."""
    return Count(category, value, Drill(title, {"all": rule} if isinstance(rule, list) else rule))


def _status(*statuses: str) -> Node:
    return {"rule": "status", "in": list(statuses)}


def _member_on(day: dt.date) -> Node:
    """``db.membership_figures``' member on ``day``, in the rule language: joined by then
    (or joining date unknown), and a member still or lapsed only after it."""
    after = day.isoformat()
    return {
        "all": [
            {"not": {"rule": "joined", "after": after}},
            {
                "any": [
                    _status("member"),
                    {"all": [_status("lapsed"), {"rule": "lapsed", "after": after}]},
                ]
            },
        ]
    }


def _joined_between(between: list[str]) -> Node:
    """``db.membership_figures``' joiner: a member, or a lapsed member whose lapse is dated
    (any date is before one day or after the day before it), who joined in the dates."""
    lapse_dated: Node = {
        "any": [
            {"rule": "lapsed", "before": "2000-01-01"},
            {"rule": "lapsed", "after": "1999-12-31"},
        ]
    }
    return {
        "all": [
            _status("member", "lapsed"),
            {"any": [_status("member"), {"all": [_status("lapsed"), lapse_dated]}]},
            {"rule": "joined", "between": between},
        ]
    }


def _in_ward(name: str, known: Iterable[str]) -> Node:
    """Living in the ward called ``name``; for ``NO_WARD``, in none of the wards known
    (no address, or an address with no ward)."""
    if name != NO_WARD:
        return {"rule": "ward", "in": [name]}
    wards = list(known)
    return {"not": {"rule": "ward", "in": wards}} if wards else {"all": []}


# --- words ------------------------------------------------------------------------------


def _plural_label(label: str) -> str:
    return f"{label}s" if not label.endswith("s") else label


def _short_month(month: dt.date) -> str:
    # Three letters fit twelve bars side by side; the subtitle gives the years.
    return f"{month:%b}"


def _month_span(period: Period) -> str:
    return f"{period.start:%B %Y} to {period.end:%B %Y}"


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


# --- has anything changed? --------------------------------------------------------------


def data_fingerprint(session: Session) -> tuple[int, ...]:
    """Numbers that move whenever anything the dashboard counts is added, edited or removed
    (every row carries a version that each edit raises): equal fingerprints, equal figures
    but for the date. One statement of whole-table sums; tens of milliseconds at 100,000
    people, against seconds for the figures."""
    parts: list[Any] = [
        select(func.coalesce(func.max(AuditEntry.id), 0)).scalar_subquery(),
        select(func.coalesce(func.max(Setting.version), 0)).scalar_subquery(),
    ]
    for model in _COUNTED:
        table: Any = model
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        parts.append(select(func.coalesce(func.sum(table.version), 0)).scalar_subquery())
    for model in _APPENDED:
        parts.append(select(func.coalesce(func.max(model.id), 0)).scalar_subquery())
    row = session.execute(select(*parts)).one()
    return tuple(int(value) for value in row)
