"""The data-quality report, as PDF and as xlsx: how complete and how recently confirmed the
branch's details are, and the lists to fix: people with no or a broken email address,
phone number or postcode, and details nobody has confirmed for a long time.

The PDF prints the first of each list, enough to start on, and says how many more there
are; the workbook has every list in full, a sheet each, to sort and work through.
``write_data_quality_report`` counts the figures and writes the file the name asks for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings, load_branch_settings
from db.data_quality import QualityIssue
from db.data_quality_figures import DataQualityFigures, data_quality_figures
from reports.report_charts import LEFT, Series, bar_chart
from reports.report_document import (
    FRAME_WIDTH,
    ReportDocument,
    Written,
    long_date,
    report_format,
)
from reports.xlsx_table import Table, tables_steps

__all__ = [
    "LISTS",
    "PRINTED_PER_LIST",
    "DataQualityReport",
    "data_quality_tables",
    "write_data_quality_report",
]

Progress = Callable[[int, int, str], None]
PRINTED_PER_LIST = 50
# (the list's attribute on DataQuality, its heading, its sheet)
LISTS = (
    ("emails", "Email addresses to fix", "Email"),
    ("phones", "Phone numbers to fix", "Phone"),
    ("postcodes", "Addresses and postcodes to fix", "Postcode"),
    ("unverified", "Details to confirm", "Unverified"),
)


def write_data_quality_report(
    session: Session,
    path: Path,
    *,
    months: int = 24,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Written[DataQualityFigures]:
    """Check everyone's details and save the figures and lists to ``path`` as PDF or xlsx,
    by its extension; the file is replaced in one step, never left half written."""
    kind = report_format(path)
    report = progress or (lambda done, total, label: None)
    report(0, 2, "Checking everyone's details")
    figures = data_quality_figures(session, months=months, today=today)
    branch = load_branch_settings(session)
    report(1, 2, f"Writing {path.name}")
    pages = None
    if kind == "pdf":
        pages = DataQualityReport(figures, branch, printed_on=today).write(path)
    else:
        # Through the fast writer: at 100,000 people the lists hold some 200,000 rows, which
        # openpyxl's cell by cell path took 35 s to write (measured).
        for _step in tables_steps(path, data_quality_tables(figures, branch)):
            pass
    report(2, 2, f"Saved {path.name}")
    return Written(path, kind, pages, figures)


class DataQualityReport(ReportDocument):
    title = "Data-quality report"

    def __init__(
        self,
        figures: DataQualityFigures,
        branch: BranchSettings,
        *,
        printed_on: dt.date | None = None,
    ) -> None:
        super().__init__(branch, f"As on {long_date(figures.counted_on)}", printed_on=printed_on)
        self.figures = figures

    def body(self) -> list[Flowable]:
        f = self.figures
        counts = f.lists.counts()
        story: list[Flowable] = [
            self.headline(
                [
                    (_share(f.people_clean, f.people), "with complete, confirmed details"),
                    (f"{f.people_with_problems:,}", "people with something to fix"),
                    (
                        f"{counts['emails'] + counts['phones'] + counts['postcodes']:,}",
                        "contact details missing or broken",
                    ),
                    (f"{counts['unverified']:,}", "details to confirm"),
                ]
            ),
            Spacer(1, 3 * mm),
            self.paragraph(
                f"Of the {f.people:,} people the branch knows, {f.people_clean:,} "
                f"{_have(f.people_clean)} an email address, a phone number and a postcode that "
                f"are all sound, and every detail confirmed in the last {f.months} months; "
                f"{f.people_with_problems:,} {_have(f.people_with_problems)} something to fix "
                f"or confirm."
            ),
        ]
        story += self.problems_section()
        for attribute, heading, _sheet in LISTS:
            story += self.list_section(heading, getattr(f.lists, attribute))
        story += [
            Spacer(1, 4 * mm),
            self.note(
                "Would not be accepted: the importer would reject it (the same checks). "
                "Confirmed: a verification recorded for that group of details (in person, "
                "by phone, from the national list...); never confirmed counts as not "
                "confirmed. Details are confirmable only where held: nobody is asked to "
                "confirm an email address they lack. The lists give a row per problem."
            ),
        ]
        return story

    def problems_section(self) -> list[Flowable]:
        problems = self.figures.problems
        chart = bar_chart(
            [p.label for p in problems],
            [Series("People", [p.people for p in problems], LEFT)],
            width=FRAME_WIDTH,
            horizontal=True,
        )
        table = self.table(
            ["Problem", "People", "Of everyone"],
            [(p.label, p.people, _share(p.people, self.figures.people)) for p in problems],
            [100 * mm, 25 * mm, 25 * mm],
            numeric=(2,),
        )
        return [self.section("What needs fixing", chart), Spacer(1, 2 * mm), table]

    def list_section(self, heading: str, issues: Sequence[QualityIssue]) -> list[Flowable]:
        title = f"{heading} ({len(issues):,})"
        if not issues:
            return [self.section(title, self.paragraph("Nothing to fix."))]
        shown = issues[:PRINTED_PER_LIST]
        table = self.table(
            ["Name", "Id", "Problem"],
            [(i.name, str(i.person_id), _problem(i)) for i in shown],
            [55 * mm, 18 * mm, 97 * mm],
            numeric=(1,),
        )
        story: list[Flowable] = [*self.list_heading(title), table]
        more = self.more_note(len(shown), len(issues))
        if more is not None:
            story.append(more)
        return story


def data_quality_tables(figures: DataQualityFigures, branch: BranchSettings) -> list[Table]:
    """The summary and every list in full, a sheet each, with the person's id to find them
    by and, for unconfirmed details, the day they were last confirmed as a real date."""
    f = figures
    summary: list[Sequence[object]] = [
        ("Branch", branch.branch_name),
        ("Report", "Data-quality report"),
        ("Counted on", f.counted_on),
        ("People known to the branch", f.people),
        ("With complete, confirmed details", f.people_clean),
        ("With something to fix", f.people_with_problems),
        *((p.label, p.people) for p in f.problems),
    ]
    tables = [Table("Summary", [("What", 44), ("People", 12)], summary)]
    for attribute, _heading, sheet in LISTS:
        issues: Sequence[QualityIssue] = getattr(f.lists, attribute)
        if attribute == "unverified":
            # No problem column: it only repeats the detail and the date.
            columns = [
                ("Person id", 10),
                ("Name", 30),
                ("Detail", 12),
                ("Last confirmed (blank: never)", 28),
            ]
            rows: list[Sequence[object]] = [
                (i.person_id, i.name, i.detail, dt.date.fromisoformat(i.value) if i.value else None)
                for i in issues
            ]
        else:
            columns = [("Person id", 10), ("Name", 30), ("Held", 30), ("Problem", 50)]
            rows = [(i.person_id, i.name, i.value, i.problem) for i in issues]
        tables.append(Table(sheet, columns, rows))
    return tables


def _problem(issue: QualityIssue) -> str:
    return issue.problem[0].upper() + issue.problem[1:] if issue.problem else ""


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else ""


def _have(people: int) -> str:
    return "has" if people == 1 else "have"
