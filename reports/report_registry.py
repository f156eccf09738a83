"""Every report Branchbook writes, in one list: its name on the command line, its title, a
line saying what it holds, what it asks for (a period, a person), and the core function
that counts its figures and writes it. The command line builds its parsers from this list
and a window can offer the same reports from it; nothing here imports Qt.

A report's writer takes a Session, the file, a ``ReportRequest`` and a progress callback,
and hands back a ``ReportOutcome``: plain data (a JSON-ready document and one sentence for
people), never a live ORM object. Each writer imports its report only when it runs, so
listing the reports loads no reportlab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

__all__ = [
    "REPORTS",
    "Progress",
    "ReportKind",
    "ReportOutcome",
    "ReportRequest",
    "write_report",
]

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReportRequest:
    start: dt.date | None = None  # the period, for reports that take one
    end: dt.date | None = None
    person: str | None = None  # who, as ``db.people.find_person`` takes it
    person_id: int | None = None  # or exactly whom, as a window that picked them knows
    today: dt.date | None = None  # what "today" means; None is the real one


@dataclass(frozen=True)
class ReportOutcome:
    path: Path
    format: str  # "pdf" or "xlsx"
    pages: int | None
    document: dict[str, Any]  # the figures, for ``--json``
    summary: str  # one sentence: what was written where


Writer = Callable[[Session, Path, ReportRequest, Progress], ReportOutcome]


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    description: str
    write: Writer
    takes_period: bool = True
    needs_person: bool = False


def _outcome(
    name: str, written: Any, document: dict[str, Any], what: str, figures: str
) -> ReportOutcome:
    """``written`` is what the report's own write function returned (a ``Written``, or the
    membership report's ``WrittenReport``: both have path, format and pages); ``what`` names
    the report ("Membership report for ..."); ``figures`` are the few that say most."""
    pages = written.pages
    where = f"written to {written.path}" + (
        f", {pages} {'page' if pages == 1 else 'pages'}" if pages else ""
    )
    full = {
        "report": name,
        "file": str(written.path),
        "format": written.format,
        "pages": pages,
        **document,
    }
    summary = f"{what} {where}: {figures}"
    return ReportOutcome(written.path, written.format, pages, full, summary)


def _write_membership(
    session: Session, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    from reports.membership_report import write_membership_report

    written = write_membership_report(
        session, path, start=request.start, end=request.end, today=request.today, progress=progress
    )
    f = written.figures
    return _outcome(
        "membership",
        written,
        {"net_change": f.net_change, **asdict(f)},
        f"Membership report for {f.period.label}",
        f"{f.members_at_start:,} members at the start, {f.joined:,} joined, {f.left:,} "
        f"lapsed, {f.members_at_end:,} at the end.",
    )


def _write_attendance(
    session: Session, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    from reports.attendance_report import write_attendance_report

    written = write_attendance_report(
        session, path, start=request.start, end=request.end, today=request.today, progress=progress
    )
    f = written.figures
    document = {
        **asdict(f),
        "average_present": round(f.average_present, 2),
        "members_not_attending": f.members_not_attending,
    }
    return _outcome(
        "attendance",
        written,
        document,
        f"Attendance report for {f.period.label}",
        f"{len(f.meetings):,} meetings, {f.attendances:,} attendances, "
        f"{f.members_not_attending:,} members came to none.",
    )


def _write_activities(
    session: Session, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    from reports.activity_report import hours_text, write_activity_report

    written = write_activity_report(
        session, path, start=request.start, end=request.end, today=request.today, progress=progress
    )
    f = written.figures
    return _outcome(
        "activities",
        written,
        asdict(f),
        f"Activity report for {f.period.label}",
        f"{hours_text(f.hours)} hours by {f.people:,} volunteers over {f.sessions:,} sessions.",
    )


def _write_views(
    session: Session, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    from reports.views_report import write_views_report

    written = write_views_report(session, path, today=request.today, progress=progress)
    f = written.figures
    return _outcome(
        "views",
        written,
        asdict(f),
        "Views summary",
        f"{len(f.questions):,} questions, answered by {f.respondents:,} people.",
    )


def _write_data_quality(
    session: Session, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    from reports.data_quality_report import write_data_quality_report

    written = write_data_quality_report(session, path, today=request.today, progress=progress)
    f = written.figures
    counts = f.lists.counts()
    document = {
        "counted_on": f.counted_on,
        "months": f.months,
        "people": f.people,
        "people_with_problems": f.people_with_problems,
        "people_clean": f.people_clean,
        "problems": [asdict(p) for p in f.problems],
        "counts": counts,
    }
    return _outcome(
        "data-quality",
        written,
        document,
        "Data-quality report",
        f"{f.people_with_problems:,} of {f.people:,} people have something to fix; "
        f"{counts['emails']:,} email, {counts['phones']:,} phone, {counts['postcodes']:,} "
        f"postcode and {counts['unverified']:,} unconfirmed-detail rows.",
    )


def _write_person(
    session: Session, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    from db.errors import UserError
    from reports.person_report import write_person_report

    who: str | int | None = request.person_id or request.person
    if not who:
        raise UserError("Say whose record to write: a membership number, an id or a name.")
    written = write_person_report(session, path, who, today=request.today, progress=progress)
    d = written.figures
    return _outcome(
        "person",
        written,
        asdict(d),
        f"Personal record of {d.detail.full_name} (id {d.detail.id})",
        f"{len(d.answers):,} answers, {len(d.activities):,} activities, "
        f"{len(d.participation.timeline):,} meeting entries, {len(d.mailings):,} letters, "
        f"{len(d.history):,} changes.",
    )


_KINDS = (
    ReportKind(
        "membership",
        "Membership report",
        "members at the start and end of a period, joiners and leavers by month, wards, "
        "statuses, membership types and ages",
        _write_membership,
    ),
    ReportKind(
        "attendance",
        "Attendance report",
        "the meetings of a period with who came, apologies, absences and quorum, "
        "attendance over time, top attenders, and the members who came to none",
        _write_attendance,
    ),
    ReportKind(
        "activities",
        "Activity and volunteering report",
        "hours, sessions and turn-outs by kind of activity, by month, and the top volunteers",
        _write_activities,
    ),
    ReportKind(
        "views",
        "Views summary",
        "for every question, how many answered and how their current answers divide",
        _write_views,
        takes_period=False,
    ),
    ReportKind(
        "data-quality",
        "Data-quality report",
        "how complete and confirmed the details are, and the lists to fix: missing or broken "
        "email, phone and postcode, details unconfirmed for 24 months",
        _write_data_quality,
        takes_period=False,
    ),
    ReportKind(
        "person",
        "Personal record",
        "everything held about one person (--person WHO): details, preferences, "
        "verifications, organisations, views, activities, meetings, letters, history",
        _write_person,
        takes_period=False,
        needs_person=True,
    ),
)

REPORTS: dict[str, ReportKind] = {kind.name: kind for kind in _KINDS}


def write_report(
    session: Session, name: str, path: Path, request: ReportRequest, progress: Progress
) -> ReportOutcome:
    """Write report ``name`` and log the file in the export log (``db.export_log``), in the
    same transaction: a report with people's names in it is a file that left Branchbook."""
    from db.export_log import record_export

    outcome = REPORTS[name].write(session, path, request, progress)
    named = {
        "person": 1,
        "attendance": outcome.document.get("members_not_attending", 0),
        "data-quality": outcome.document.get("people_with_problems", 0),
    }
    record_export(session, REPORTS[name].title.lower(), path, int(named.get(name, 0)))
    return outcome
