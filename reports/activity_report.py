"""The activity and volunteering report for a period, as PDF and as xlsx: hours, sessions and
turn-outs by kind of activity, month by month, and by volunteer.

``ActivityReport`` renders figures it is given; ``write_activity_report`` counts them and
writes the file the name asks for (.pdf or .xlsx).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from db.activity_figures import ActivityFigures, activity_figures
from db.branch_settings import BranchSettings
from reports.report_charts import JOINED, MEMBERS, Series, bar_chart
from reports.report_document import (
    FRAME_WIDTH,
    PeriodReport,
    Written,
    filtered_sheet,
    save_report,
)
from reports.xlsx_table import new_workbook

__all__ = [
    "PRINTED_VOLUNTEERS",
    "ActivityReport",
    "activity_workbook",
    "hours_text",
    "write_activity_report",
]

Progress = Callable[[int, int, str], None]
PRINTED_VOLUNTEERS = 25


def write_activity_report(
    session: Session,
    path: Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Written[ActivityFigures]:
    """Count the period's activity and save it to ``path`` as PDF or xlsx, by its
    extension; the file is replaced in one step, never left half written."""
    written = save_report(
        session,
        path,
        counting="Counting activity",
        count=lambda: activity_figures(session, start, end, today=today),
        document=lambda figures, branch: ActivityReport(figures, branch, printed_on=today),
        workbook=activity_workbook,
        progress=progress,
    )
    return written


def hours_text(hours: Decimal) -> str:
    """Hours as a table prints them: 1,075.5 and 63.25 and 439, no trailing noughts."""
    text = f"{hours:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ActivityReport(PeriodReport[ActivityFigures]):
    title = "Activity and volunteering report"

    def body(self) -> list[Flowable]:
        f = self.figures
        story: list[Flowable] = [
            self.headline(
                [
                    # Whole hours: a figure like 33,407.25 would not fit its tile.
                    (f"{f.hours:,.0f}", "hours given"),
                    (f"{f.people:,}", "volunteers"),
                    (f"{f.sessions:,}", "sessions"),
                    (f"{f.turnouts:,}", "turn-outs"),
                ]
            ),
            Spacer(1, 3 * mm),
            self.paragraph(self.summary()),
        ]
        if not f.turnouts:
            return story
        story += self.kinds_section()
        story += self.months_section()
        story += self.volunteers_section()
        story += [
            Spacer(1, 4 * mm),
            self.note(
                "A session is what was logged at once: the same kind of activity on the same "
                "day with the same hours and notes. A turn-out is one volunteer at one session, "
                "so a canvassing session of eight volunteers is one session and eight turn-outs. "
                "Hours are each volunteer's own, added up." + _without_hours(f.without_hours)
            ),
        ]
        return story

    def summary(self) -> str:
        f = self.figures
        if not f.turnouts:
            return "No activity was logged in the period."
        busiest = max(f.kinds, key=lambda k: k.hours)
        return (
            f"{f.people:,} volunteers gave {hours_text(f.hours)} hours over {f.sessions:,} "
            f"sessions ({f.turnouts:,} turn-outs). Most hours went on "
            f"{busiest.label.lower()}: {hours_text(busiest.hours)}."
        )

    # --- sections -------------------------------------------------------------------------
    def kinds_section(self) -> list[Flowable]:
        f = self.figures
        chart = bar_chart(
            [k.label for k in f.kinds],
            [Series("Hours", [round(k.hours) for k in f.kinds], MEMBERS)],
            width=FRAME_WIDTH,
            horizontal=True,
        )
        table = self.table(
            ["Activity", "Sessions", "Turn-outs", "Hours", "Volunteers"],
            [(k.label, k.sessions, k.turnouts, hours_text(k.hours), k.people) for k in f.kinds],
            [50 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm],
            numeric=(3,),
            total=("All activity", f.sessions, f.turnouts, hours_text(f.hours), f.people),
        )
        return [self.section("Hours by kind of activity", chart), Spacer(1, 2 * mm), table]

    def months_section(self) -> list[Flowable]:
        months = self.figures.months
        chart = bar_chart(
            [
                f"{m.month:%b}\n{m.month:%Y}" if i == 0 or m.month.month == 1 else f"{m.month:%b}"
                for i, m in enumerate(months)
            ],
            [
                Series("Hours", [round(m.hours) for m in months], MEMBERS),
                Series("Turn-outs", [m.turnouts for m in months], JOINED),
            ],
            width=FRAME_WIDTH,
            height=62 * mm,
            value_labels=len(months) <= 12,
        )
        table = self.table(
            ["Month", "Turn-outs", "Hours", "Volunteers"],
            [(f"{m.month:%B %Y}", m.turnouts, hours_text(m.hours), m.people) for m in months],
            [50 * mm, 25 * mm, 25 * mm, 25 * mm],
            numeric=(2,),
        )
        return [self.section("Month by month", chart), Spacer(1, 2 * mm), table]

    def volunteers_section(self) -> list[Flowable]:
        volunteers = self.figures.volunteers
        shown = volunteers[:PRINTED_VOLUNTEERS]
        table = self.table(
            ["Name", "Turn-outs", "Hours", "What they did", "Last"],
            [
                (v.name, v.turnouts, hours_text(v.hours), ", ".join(v.kinds), v.last_on)
                for v in shown
            ],
            [38 * mm, 22 * mm, 16 * mm, 70 * mm, 24 * mm],
            numeric=(2,),
        )
        story: list[Flowable] = [*self.list_heading(f"Top {len(shown)} volunteers by hours"), table]
        more = self.more_note(len(shown), len(volunteers))
        if more is not None:
            story.append(more)
        return story


def activity_workbook(figures: ActivityFigures, branch: BranchSettings) -> Any:
    """The report's tables as a workbook, a sheet each, with real numbers and dates; every
    volunteer is on the Volunteers sheet."""
    f = figures
    book = new_workbook()
    summary: list[Sequence[object]] = [
        ("Branch", branch.branch_name),
        ("Report", "Activity and volunteering report"),
        ("Period from", f.period.start),
        ("Period to", f.period.end),
        ("Hours", f.hours),
        ("Volunteers", f.people),
        ("Sessions", f.sessions),
        ("Turn-outs", f.turnouts),
        ("Turn-outs without hours", f.without_hours),
    ]
    filtered_sheet(book, "Summary", [("What", 30), ("Value", 30)], summary)
    filtered_sheet(
        book,
        "Kinds",
        [("Activity", 20), ("Sessions", 10), ("Turn-outs", 11), ("Hours", 10), ("Volunteers", 12)],
        [(k.label, k.sessions, k.turnouts, k.hours, k.people) for k in f.kinds],
    )
    filtered_sheet(
        book,
        "Months",
        [("Month", 12), ("Turn-outs", 11), ("Hours", 10), ("Volunteers", 12)],
        [(m.month, m.turnouts, m.hours, m.people) for m in f.months],
    )
    filtered_sheet(
        book,
        "Volunteers",
        [("Name", 30), ("Turn-outs", 11), ("Hours", 10), ("What they did", 50), ("Last", 12)],
        [(v.name, v.turnouts, v.hours, ", ".join(v.kinds), v.last_on) for v in f.volunteers],
    )
    return book


def _without_hours(count: int) -> str:
    if not count:
        return ""
    if count == 1:
        return " 1 turn-out was logged without hours."
    return f" {count:,} turn-outs were logged without hours."
