"""The views summary, as PDF and as xlsx: for every question the branch asks, how many
answered and how their current answers divide, as a chart and a table; for a free-text
question, the answers given most often. No one's name appears: it is about views.

``ViewsReport`` renders figures it is given; ``write_views_report`` counts them and writes
the file the name asks for (.pdf or .xlsx).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings
from db.views_figures import QuestionFigures, ViewsFigures, views_figures
from reports.report_charts import MEMBERS, Series, bar_chart, pie_chart
from reports.report_document import (
    FRAME_WIDTH,
    ReportDocument,
    Written,
    filtered_sheet,
    long_date,
    save_report,
)
from reports.xlsx_table import new_workbook

__all__ = ["COMMON_TEXTS", "ViewsReport", "common_texts", "views_workbook", "write_views_report"]

Progress = Callable[[int, int, str], None]
COMMON_TEXTS = 12  # free-text answers printed, most often given first


def write_views_report(
    session: Session,
    path: Path,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Written[ViewsFigures]:
    """Count every question's current answers and save them to ``path`` as PDF or xlsx,
    by its extension; the file is replaced in one step, never left half written."""
    written = save_report(
        session,
        path,
        counting="Counting answers",
        count=lambda: views_figures(session, today=today),
        document=lambda figures, branch: ViewsReport(figures, branch, printed_on=today),
        workbook=views_workbook,
        progress=progress,
    )
    return written


def common_texts(texts: Sequence[tuple[dt.date, str]]) -> list[tuple[str, int]]:
    """Free-text answers (newest first, as ``ViewsFigures`` holds them) by how often they
    were given: the same words in any case and spacing are one answer, shown as first
    written; ties in the order they were first given."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for _day, text in reversed(texts):
        key = " ".join(text.casefold().split())
        counts[key] += 1
        shown.setdefault(key, " ".join(text.split()))
    return [(shown[key], n) for key, n in counts.most_common()]


class ViewsReport(ReportDocument):
    title = "Views summary"

    def __init__(
        self, figures: ViewsFigures, branch: BranchSettings, *, printed_on: dt.date | None = None
    ) -> None:
        super().__init__(branch, f"As on {long_date(figures.counted_on)}", printed_on=printed_on)
        self.figures = figures

    def body(self) -> list[Flowable]:
        f = self.figures
        story: list[Flowable] = [
            self.headline(
                [
                    (f"{len(f.questions):,}", "questions"),
                    (f"{f.respondents:,}", "people answered at least one"),
                    (_share(f.respondents, f.people), "of everyone the branch knows"),
                ]
            ),
            Spacer(1, 3 * mm),
        ]
        if not f.questions:
            return [*story, self.paragraph("The branch has asked no questions yet.")]
        story.append(self.overview())
        for number, question in enumerate(f.questions, start=1):
            story += self.question_section(number, question)
        story += [
            Spacer(1, 4 * mm),
            self.note(
                "Each person's current answer counts: the latest they gave to that question. "
                "Shares are of the people who answered the question; on a question allowing "
                "several choices they add up to more than 100%."
            ),
        ]
        return story

    def overview(self) -> Flowable:
        rows = [
            (
                f"{number}. {q.question.text}" + ("" if q.question.active else " (retired)"),
                q.question.kind_label,
                q.respondents,
                _share(q.respondents, self.figures.people),
            )
            for number, q in enumerate(self.figures.questions, start=1)
        ]
        return self.table(
            ["Question", "Kind", "Answered", "Of everyone"],
            rows,
            [90 * mm, 30 * mm, 25 * mm, 25 * mm],
            numeric=(3,),
        )

    def question_section(self, number: int, q: QuestionFigures) -> list[Flowable]:
        title = f"{number}. {q.question.text}" + ("" if q.question.active else " (retired)")
        answered = self.paragraph(
            f"{q.question.kind_label}: {q.respondents:,} "
            f"{'person' if q.respondents == 1 else 'people'} answered."
        )
        if not q.respondents:
            return [self.section(title, answered)]
        kind = q.question.kind
        s = q.summary
        if kind == "single_choice":
            chart: Flowable = pie_chart(
                [(o.label, o.count) for o in s.options], width=FRAME_WIDTH, height=55 * mm
            )
            table = self.table(
                ["Answer", "People", "Share"],
                [(o.label, o.count, _share(o.count, q.respondents)) for o in s.options],
                [80 * mm, 25 * mm, 25 * mm],
                numeric=(2,),
                total=("Answered", q.respondents, _share(q.respondents, q.respondents)),
            )
            return [self.section(title, answered, chart), table]
        if kind == "multiple_choice":
            ranked = sorted(s.options, key=lambda o: -o.count)
            chart = bar_chart(
                [o.label for o in ranked],
                [Series("People", [o.count for o in ranked], MEMBERS)],
                width=FRAME_WIDTH,
                horizontal=True,
            )
            table = self.table(
                ["Choice", "People", "Share", "First choice"],
                [
                    (o.label, o.count, _share(o.count, q.respondents), o.first_choice)
                    for o in ranked
                ],
                [70 * mm, 25 * mm, 25 * mm, 25 * mm],
                numeric=(2,),
            )
            return [self.section(title, answered, chart), Spacer(1, 2 * mm), table]
        if kind == "scale":
            chart = bar_chart(
                [str(point) for point, _n in s.scale],
                [Series("People", [n for _point, n in s.scale], MEMBERS)],
                width=FRAME_WIDTH * 0.6,
                height=50 * mm,
            )
            mean = "" if s.mean is None else f" The average is {s.mean:.1f} out of 5."
            answered = self.paragraph(
                f"{q.question.kind_label}: {q.respondents:,} people answered.{mean}"
            )
            table = self.table(
                ["Score", "People", "Share"],
                [(str(point), n, _share(n, q.respondents)) for point, n in s.scale],
                [30 * mm, 25 * mm, 25 * mm],
                numeric=(0, 2),
            )
            return [self.section(title, answered, chart), table]
        common = common_texts(q.texts)
        table = self.table(
            ["Answer", "People"],
            common[:COMMON_TEXTS],
            [130 * mm, 25 * mm],
        )
        story: list[Flowable] = [
            self.section(title, answered, self.note("The answers given most often:"), table)
        ]
        more = self.more_note(min(COMMON_TEXTS, len(common)), len(common))
        if more is not None:
            story.append(more)
        return story


def views_workbook(figures: ViewsFigures, branch: BranchSettings) -> Any:
    """A summary sheet, every question's counts on one sheet (one row per answer it can
    take), and the free-text answers with the day they were given."""
    f = figures
    book = new_workbook()
    summary: list[Sequence[object]] = [
        ("Branch", branch.branch_name),
        ("Report", "Views summary"),
        ("Counted on", f.counted_on),
        ("Questions", len(f.questions)),
        ("People who answered at least one", f.respondents),
        ("People known to the branch", f.people),
    ]
    filtered_sheet(book, "Summary", [("What", 34), ("Value", 30)], summary)
    filtered_sheet(
        book,
        "Questions",
        [("Question", 50), ("Kind", 16), ("Retired", 9), ("Answered", 10), ("Average", 10)],
        [
            (
                q.question.text,
                q.question.kind_label,
                "no" if q.question.active else "yes",
                q.respondents,
                None if q.summary.mean is None else round(q.summary.mean, 2),
            )
            for q in f.questions
        ],
    )
    answers: list[Sequence[object]] = []
    for q in f.questions:
        for o in q.summary.options:
            first = o.first_choice if q.question.kind == "multiple_choice" else None
            answers.append((q.question.text, o.label, o.count, _ratio(o.count, q), first))
        for point, n in q.summary.scale:
            answers.append((q.question.text, point, n, _ratio(n, q), None))
    filtered_sheet(
        book,
        "Answers",
        [("Question", 50), ("Answer", 24), ("People", 10), ("Share", 9), ("First choice", 13)],
        answers,
    )
    filtered_sheet(
        book,
        "Free text",
        [("Question", 50), ("Answered on", 13), ("Answer", 60)],
        [(q.question.text, day, text) for q in f.questions for day, text in q.texts],
    )
    return book


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else ""


def _ratio(part: int, q: QuestionFigures) -> float | None:
    return round(part / q.respondents, 4) if q.respondents else None
