"""The membership report for the committee or the AGM, as PDF and as xlsx: how many
members the branch had at the start and end of a period, who joined and who lapsed month by
month, the wards (which are thin), people by status, membership types and ages.

``MembershipReport`` renders figures it is given; ``write_membership_report`` is the one
operation the window and the command line call: count, then write the file the name asks
for (.pdf or .xlsx).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings
from db.membership_figures import NOT_RECORDED, MembershipFigures, membership_figures
from reports.report_charts import JOINED, LEFT, MEMBERS, PALETTE, Series, bar_chart, pie_chart
from reports.report_document import FRAME_WIDTH, PeriodReport, save_report
from reports.xlsx_table import Column, new_workbook, table_sheet

__all__ = [
    "MembershipReport",
    "WrittenReport",
    "membership_workbook",
    "write_membership_report",
]

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    format: str  # "pdf" or "xlsx"
    pages: int | None  # a PDF's page count
    figures: MembershipFigures


def write_membership_report(
    session: Session,
    path: Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> WrittenReport:
    """Count the figures for the period and save them to ``path`` as PDF or xlsx, by its
    extension; the file is replaced in one step, never left half written."""
    written = save_report(
        session,
        path,
        counting="Counting members",
        count=lambda: membership_figures(session, start, end, today=today),
        document=lambda figures, branch: MembershipReport(figures, branch, printed_on=today),
        workbook=membership_workbook,
        progress=progress,
    )
    return WrittenReport(written.path, written.format, written.pages, written.figures)


class MembershipReport(PeriodReport[MembershipFigures]):
    title = "Membership report"

    def body(self) -> list[Flowable]:
        f = self.figures
        before = f.period.start - dt.timedelta(days=1)
        story: list[Flowable] = [
            self.figures_tiles(before),
            Spacer(1, 3 * mm),
            self.paragraph(
                f"The branch had {f.members_at_start:,} members on {_day(before)} and "
                f"{f.members_at_end:,} on {_day(f.period.end)}: {f.joined:,} joined and "
                f"{f.left:,} lapsed, a net change of {_signed(f.net_change)}. It knows "
                f"{f.people:,} people in all."
            ),
        ]
        story += self.months_section()
        story += self.wards_section()
        story += self.status_section()
        story += self.types_section()
        story += self.ages_section()
        story += [
            Spacer(1, 4 * mm),
            self.note(
                "Members on a day are counted from the dates held: joined by that day (or "
                "no joining date recorded) and not lapsed by it. Joined: members and lapsed "
                "members whose joining date falls in the period. Lapsed: lapsed members whose "
                "lapse date falls in it. People by status are as recorded today."
            ),
        ]
        return story

    # --- sections -------------------------------------------------------------------------
    def figures_tiles(self, before: dt.date) -> Flowable:
        f = self.figures
        return self.headline(
            [
                (f"{f.members_at_start:,}", f"members on {_day(before)}"),
                (f"{f.joined:,}", "joined"),
                (f"{f.left:,}", "lapsed"),
                (_signed(f.net_change), "net change"),
                (f"{f.members_at_end:,}", f"members on {_day(f.period.end)}"),
            ]
        )

    def months_section(self) -> list[Flowable]:
        months = self.figures.months
        chart = bar_chart(
            [
                f"{m.month:%b}\n{m.month:%Y}" if _shows_year(m.month, i) else f"{m.month:%b}"
                for i, m in enumerate(months)
            ],
            [
                Series("Joined", [m.joined for m in months], JOINED),
                Series("Lapsed", [m.left for m in months], LEFT),
            ],
            width=FRAME_WIDTH,
            height=62 * mm,
        )
        table = self.table(
            ["Month", "Joined", "Lapsed", "Net change"],
            [(f"{m.month:%B %Y}", m.joined, m.left, _signed(m.net_change)) for m in months],
            [60 * mm, 25 * mm, 25 * mm, 25 * mm],
            numeric=(3,),
            total=(
                "Whole period",
                self.figures.joined,
                self.figures.left,
                _signed(self.figures.joined - self.figures.left),
            ),
        )
        return [self.section("Joiners and leavers by month", chart), Spacer(1, 2 * mm), table]

    def wards_section(self) -> list[Flowable]:
        wards = self.figures.wards
        if not wards:
            return [self.section("Wards", self.paragraph("No wards are recorded yet."))]
        chart = bar_chart(
            [w.ward for w in wards],
            [Series("Members", [w.members for w in wards], MEMBERS)],
            width=FRAME_WIDTH,
            horizontal=True,
        )
        rows = [
            (w.ward, w.members, w.joined, w.left, _signed(w.net_change), w.lapsed, w.supporters)
            for w in wards
        ]
        total = (
            "All wards",
            sum(w.members for w in wards),
            sum(w.joined for w in wards),
            sum(w.left for w in wards),
            _signed(sum(w.net_change for w in wards)),
            sum(w.lapsed for w in wards),
            sum(w.supporters for w in wards),
        )
        table = self.table(
            ["Ward", "Members", "Joined", "Lapsed", "Net change", "Lapsed members", "Supporters"],
            rows,
            [46 * mm, 20 * mm, 17 * mm, 17 * mm, 20 * mm, 26 * mm, 24 * mm],
            numeric=(4,),
            total=total,
        )
        return [
            self.section("Members by ward", chart),
            self.note(
                "Members at the end of the period; joined and lapsed within it; lapsed "
                "members and supporters as recorded today."
            ),
            Spacer(1, 2 * mm),
            table,
        ]

    def status_section(self) -> list[Flowable]:
        statuses = self.figures.statuses
        table = self.table(
            ["Status", "People"],
            [(s.label, s.people) for s in statuses],
            [60 * mm, 25 * mm],
            total=("Everyone", self.figures.people),
        )
        return [self.section(f"People by status on {_day(self.figures.counted_on)}", table)]

    def types_section(self) -> list[Flowable]:
        types = self.figures.types
        if not types:
            return []
        chart = pie_chart(
            [(t.membership_type, t.members) for t in types], width=FRAME_WIDTH, height=55 * mm
        )
        total = sum(t.members for t in types)
        table = self.table(
            ["Membership type", "Members", "Share"],
            [(t.membership_type, t.members, _share(t.members, total)) for t in types],
            [60 * mm, 25 * mm, 25 * mm],
            total=("All members", total, _share(total, total)),
            numeric=(2,),
        )
        return [self.section("Membership types", chart, table)]

    def ages_section(self) -> list[Flowable]:
        bands = self.figures.age_bands
        if not bands:
            return []
        # Unknown ages are in the table, not the chart: they are no age group.
        known = [b for b in bands if b.label != NOT_RECORDED]
        chart = bar_chart(
            [b.label for b in known],
            [Series("Members", [b.members for b in known], PALETTE[0])],
            width=FRAME_WIDTH,
            height=50 * mm,
        )
        table = self.table(
            ["Age", "Members"],
            [(b.label, b.members) for b in bands],
            [60 * mm, 25 * mm],
            total=("All members", sum(b.members for b in bands)),
        )
        title = f"Members by age on {_day(self.figures.period.end)}"
        return [self.section(title, chart, table)]


def membership_workbook(figures: MembershipFigures, branch: BranchSettings) -> Any:
    """The report's tables as a workbook, a sheet each, with real numbers and dates."""
    f = figures
    book = new_workbook()
    before = f.period.start - dt.timedelta(days=1)
    summary: list[Sequence[object]] = [
        ("Branch", branch.branch_name),
        ("Report", "Membership report"),
        ("Period from", f.period.start),
        ("Period to", f.period.end),
        (f"Members on {_day(before)}", f.members_at_start),
        ("Joined", f.joined),
        ("Lapsed", f.left),
        ("Net change", f.net_change),
        (f"Members on {_day(f.period.end)}", f.members_at_end),
        ("People known to the branch", f.people),
        ("Counted on", f.counted_on),
    ]
    _sheet(book, "Summary", [("What", 34), ("Value", 30)], summary)
    _sheet(
        book,
        "Months",
        [("Month", 12), ("Joined", 10), ("Lapsed", 10), ("Net change", 12)],
        [(m.month, m.joined, m.left, m.net_change) for m in f.months],
    )
    _sheet(
        book,
        "Wards",
        [
            ("Ward", 32),
            ("Members", 10),
            ("Joined", 10),
            ("Lapsed", 10),
            ("Net change", 12),
            ("Lapsed members", 16),
            ("Supporters", 12),
        ],
        [
            (w.ward, w.members, w.joined, w.left, w.net_change, w.lapsed, w.supporters)
            for w in f.wards
        ],
    )
    _sheet(
        book,
        "Statuses",
        [("Status", 20), ("People", 10)],
        [(s.label, s.people) for s in f.statuses],
    )
    _sheet(
        book,
        "Types",
        [("Membership type", 24), ("Members", 10)],
        [(t.membership_type, t.members) for t in f.types],
    )
    _sheet(
        book, "Ages", [("Age", 16), ("Members", 10)], [(b.label, b.members) for b in f.age_bands]
    )
    return book


def _sheet(
    book: Any, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]
) -> None:
    rows = list(rows)
    table_sheet(book, title, columns, rows)
    # A write-only sheet takes its filter any time before it is saved.
    sheet = book.worksheets[-1]
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _signed(value: int) -> str:
    return f"{value:+,}" if value else "0"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else ""


def _shows_year(month: dt.date, index: int) -> bool:
    return index == 0 or month.month == 1
