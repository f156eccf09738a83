"""The attendance report for a period, as PDF and as xlsx: every meeting held with who came,
who sent apologies and how many members stayed away, whether it was quorate, attendance
over time as a chart, the most faithful attenders, and the members who came to nothing.

``AttendanceReport`` renders figures it is given; ``write_attendance_report`` counts them
and writes the file the name asks for (.pdf or .xlsx).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from db.attendance_figures import ALL_MEMBER_KINDS, AttendanceFigures, attendance_figures
from db.branch_settings import BranchSettings
from db.models.vocabulary import MEETING_KIND_LABELS
from reports.report_charts import JOINED, MEMBERS, Series, bar_chart
from reports.report_document import (
    FRAME_WIDTH,
    PeriodReport,
    Written,
    filtered_sheet,
    long_date,
    save_report,
)
from reports.xlsx_table import new_workbook

__all__ = [
    "PRINTED_ABSENTEES",
    "AttendanceReport",
    "attendance_workbook",
    "write_attendance_report",
]

Progress = Callable[[int, int, str], None]
# A branch of 60,000 members may have 58,000 who came to nothing: print enough to act on.
PRINTED_ABSENTEES = 100
_UPRIGHT_AFTER = 14  # meetings in the chart before their dates are turned on end


def write_attendance_report(
    session: Session,
    path: Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Written[AttendanceFigures]:
    """Count the period's attendance and save it to ``path`` as PDF or xlsx, by its
    extension; the file is replaced in one step, never left half written."""
    written = save_report(
        session,
        path,
        counting="Counting attendance",
        count=lambda: attendance_figures(session, start, end, today=today),
        document=lambda figures, branch: AttendanceReport(figures, branch, printed_on=today),
        workbook=attendance_workbook,
        progress=progress,
    )
    return written


class AttendanceReport(PeriodReport[AttendanceFigures]):
    title = "Attendance report"

    def body(self) -> list[Flowable]:
        f = self.figures
        story: list[Flowable] = [
            self.headline(
                [
                    (f"{len(f.meetings):,}", "meetings held"),
                    (f"{f.attendances:,}", "attendances"),
                    (f"{f.average_present:,.1f}", "present on average"),
                    (f"{f.people_attending:,}", "different people came"),
                    (f"{f.members_not_attending:,}", "members came to none"),
                ]
            ),
            Spacer(1, 3 * mm),
            self.paragraph(self.summary()),
        ]
        if not f.meetings:
            return story
        story += self.chart_section()
        story += self.meetings_section()
        story += self.attenders_section()
        story += self.absentees_section()
        story += [
            Spacer(1, 4 * mm),
            self.note(
                f"Absent: at meetings to which every member is called "
                f"({_kinds_calling_everyone()}), the members on the day (counted from "
                "their joining and lapse dates) who "
                "neither came nor sent apologies; at other meetings, those recorded as absent. "
                "Quorum: as set for each kind of meeting (branchbook meeting quorum). Members "
                f"who came to none: members on {long_date(f.period.end)} who came to no "
                "meeting in the period."
            ),
        ]
        return story

    def summary(self) -> str:
        f = self.figures
        if not f.meetings:
            return "No meetings were held in the period."
        return (
            f"The branch held {len(f.meetings):,} "
            f"{'meeting' if len(f.meetings) == 1 else 'meetings'} in the period: "
            f"{f.attendances:,} attendances by {f.people_attending:,} different people, and "
            f"{f.apologies:,} apologies. Of the {f.members_at_end:,} members on "
            f"{long_date(f.period.end)}, {f.members_attending:,} came to at least one meeting "
            f"and {f.members_not_attending:,} to none."
        )

    # --- sections -------------------------------------------------------------------------
    def chart_section(self) -> list[Flowable]:
        meetings = self.figures.meetings
        many = len(meetings) > _UPRIGHT_AFTER
        chart = bar_chart(
            [f"{m.starts_at.day} {m.starts_at:%b %y}" for m in meetings],
            [
                Series("Present", [m.present for m in meetings], MEMBERS),
                Series("Apologies", [m.apologies for m in meetings], JOINED),
            ],
            width=FRAME_WIDTH,
            height=70 * mm,
            upright_labels=many,
            value_labels=not many,
        )
        return [self.section("Attendance per meeting", chart)]

    def meetings_section(self) -> list[Flowable]:
        f = self.figures
        # The quorum column only when some kind of meeting has a quorum set.
        quorums = any(m.quorum is not None for m in f.meetings)
        rows = [
            (
                m.starts_at.date(),
                m.title,
                m.kind_label,
                m.present,
                m.apologies,
                "–" if m.absent is None else f"{m.absent:,}",
                *(
                    ("" if m.quorate is None else f"{'yes' if m.quorate else 'no'} ({m.quorum})",)
                    if quorums
                    else ()
                ),
            )
            for m in f.meetings
        ]
        headings = ["Date", "Meeting", "Kind", "Present", "Apologies", "Absent"]
        widths = [25 * mm, 34 * mm, 29 * mm, 19 * mm, 22 * mm, 18 * mm]
        total: list[object] = ["", "All meetings", "", f.attendances, f.apologies, ""]
        if quorums:
            headings.append("Quorate")
            widths.append(23 * mm)
            total.append("")
        else:
            widths[1] += 23 * mm
        table = self.table(headings, rows, widths, numeric=(5,), total=total)
        return [*self.list_heading("Meetings"), table]

    def attenders_section(self) -> list[Flowable]:
        attenders = self.figures.top_attenders
        if not attenders:
            return []
        table = self.table(
            ["Name", "Meetings attended", "Apologies", "Last came"],
            [(a.name, a.attended, a.apologies, a.last_attended.date()) for a in attenders],
            [70 * mm, 32 * mm, 24 * mm, 30 * mm],
        )
        return [*self.list_heading(f"Top {len(attenders)} attenders"), table]

    def absentees_section(self) -> list[Flowable]:
        f = self.figures
        absent = f.not_attending
        title = f"Members who came to no meeting ({len(absent):,})"
        if not absent:
            return [self.section(title, self.paragraph("Every member came to a meeting."))]
        shown = absent[:PRINTED_ABSENTEES]
        table = self.table(
            ["Name", "Membership no.", "Ward", "Last came"],
            [
                (
                    a.name,
                    a.membership_number or "",
                    a.ward or "",
                    a.last_attended.date() if a.last_attended else "never",
                )
                for a in shown
            ],
            [60 * mm, 30 * mm, 50 * mm, 30 * mm],
        )
        story: list[Flowable] = [*self.list_heading(title), table]
        more = self.more_note(len(shown), len(absent))
        if more is not None:
            story.append(more)
        return story


def attendance_workbook(figures: AttendanceFigures, branch: BranchSettings) -> Any:
    """The report's tables as a workbook, a sheet each, with real numbers and dates; the
    list of members who came to nothing is there in full."""
    f = figures
    book = new_workbook()
    summary: list[Sequence[object]] = [
        ("Branch", branch.branch_name),
        ("Report", "Attendance report"),
        ("Period from", f.period.start),
        ("Period to", f.period.end),
        ("Meetings held", len(f.meetings)),
        ("Attendances", f.attendances),
        ("Apologies", f.apologies),
        ("Present on average", round(f.average_present, 1)),
        ("Different people who came", f.people_attending),
        (f"Members on {long_date(f.period.end)}", f.members_at_end),
        ("Members who came to a meeting", f.members_attending),
        ("Members who came to none", f.members_not_attending),
    ]
    filtered_sheet(book, "Summary", [("What", 34), ("Value", 30)], summary)
    filtered_sheet(
        book,
        "Meetings",
        [
            ("Date", 17),
            ("Meeting", 40),
            ("Kind", 20),
            ("Present", 10),
            ("Apologies", 11),
            ("Members expected", 17),
            ("Absent", 10),
            ("Quorum", 10),
            ("Quorate", 10),
        ],
        [
            (
                m.starts_at,
                m.title,
                m.kind_label,
                m.present,
                m.apologies,
                m.expected,
                m.absent,
                m.quorum,
                None if m.quorate is None else ("yes" if m.quorate else "no"),
            )
            for m in f.meetings
        ],
    )
    filtered_sheet(
        book,
        "Top attenders",
        [("Name", 30), ("Meetings attended", 18), ("Apologies", 11), ("Last came", 17)],
        [(a.name, a.attended, a.apologies, a.last_attended) for a in f.top_attenders],
    )
    filtered_sheet(
        book,
        "Came to none",
        [("Name", 30), ("Membership no.", 16), ("Ward", 28), ("Last came", 17)],
        [(a.name, a.membership_number, a.ward, a.last_attended) for a in f.not_attending],
    )
    return book


def _kinds_calling_everyone() -> str:
    return ", ".join(MEETING_KIND_LABELS[kind] for kind in ALL_MEMBER_KINDS)
