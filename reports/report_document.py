"""The one way Branchbook lays out a report: the branch's letterhead on the first page, the
report's title and period beneath it, a running head on later pages, the imprint and
"Page X of Y" at the foot of every page, and the styles and tables every report shares.

A report is a subclass that fills in ``body`` (its flowables) from the dataclasses it was
given; it never sees a Session, so the window can gather the figures on a worker thread
and render them anywhere. Modelled on pretix's invoice renderer (a base class with hooks).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings, load_branch_settings
from db.errors import UserError
from reports.fonts import register_fonts
from reports.letterhead import LETTERHEAD_BOTTOM, MARGIN, draw_imprint, draw_letterhead, fit_text
from reports.pdf_renderer import Document, Progress
from reports.xlsx_table import Column, save_workbook, table_sheet

__all__ = [
    "ACCENT",
    "FRAME_WIDTH",
    "PeriodReport",
    "RULE",
    "ReportDocument",
    "ReportStyles",
    "cell_text",
    "escape_text",
    "Written",
    "filtered_sheet",
    "long_date",
    "report_format",
    "report_styles",
]

PAGE_WIDTH, PAGE_HEIGHT = A4
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
ACCENT = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#9aa5b1")
_SHADE = colors.HexColor("#e8edf3")
_ZEBRA = colors.HexColor("#f6f8fa")
_TOP_LATER = 22 * mm  # from the top: where text starts on pages after the first
_FOOT = 20 * mm  # from the bottom: where text stops, above the imprint and page number
_FOOT_TEXT = 10 * mm
_FORMATS = (".pdf", ".xlsx")
F = TypeVar("F")


def save_report(
    session: Session,
    path: Path,
    *,
    counting: str,
    count: Callable[[], F],
    document: Callable[[F, BranchSettings], ReportDocument],
    workbook: Callable[[F, BranchSettings], Any],
    progress: Progress | None = None,
) -> Written[F]:
    """What every report does: count its figures, then save them to ``path`` as a PDF
    (``document``) or a workbook (``workbook``) by its extension, replaced in one step and
    never left half written. ``counting`` says what the first step is doing."""
    kind = report_format(path)
    report = progress or (lambda done, total, label: None)
    report(0, 2, counting)
    figures = count()
    branch = load_branch_settings(session)
    report(1, 2, f"Writing {path.name}")
    pages = None
    if kind == "pdf":
        pages = document(figures, branch).write(path)
    else:
        save_workbook(workbook(figures, branch), path)
    report(2, 2, f"Saved {path.name}")
    return Written(path, kind, pages, figures)


@dataclass(frozen=True)
class Written(Generic[F]):
    """What writing a report did: the file, its format ("pdf" or "xlsx"), a PDF's page
    count, and the figures it holds (for the command line's JSON and the window)."""

    path: Path
    format: str
    pages: int | None
    figures: F


@dataclass(frozen=True)
class ReportStyles:
    title: ParagraphStyle
    period: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_number: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_number: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle
    footer: ParagraphStyle


@cache
def report_styles() -> ReportStyles:
    """The styles every report shares, built once (with the fonts they need)."""
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    cell_head = ParagraphStyle("cell_head", parent=cell, fontName=bold)
    return ReportStyles(
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=17, leading=21),
        period=ParagraphStyle("period", parent=body, textColor=colors.HexColor("#444444")),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=bold,
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        body=body,
        note=ParagraphStyle("note", parent=body, fontSize=8, leading=10.5, textColor=colors.grey),
        cell=cell,
        cell_number=ParagraphStyle("cell_number", parent=cell, alignment=TA_RIGHT),
        cell_head=cell_head,
        cell_head_number=ParagraphStyle("cell_head_number", parent=cell_head, alignment=TA_RIGHT),
        figure=ParagraphStyle(
            "figure", parent=body, fontName=bold, fontSize=20, leading=24, textColor=ACCENT
        ),
        figure_label=ParagraphStyle("figure_label", parent=body, fontSize=8, leading=10),
        footer=ParagraphStyle("footer", parent=body, fontSize=7, leading=8.5),
    )


def report_format(path: Path) -> str:
    """The format a file name asks for, "pdf" or "xlsx"; anything else is one sentence."""
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise UserError(
            f"{path.name} must end in .pdf or .xlsx: a report is written as a PDF to print "
            f"or an Excel workbook."
        )
    return suffix[1:]


def escape_text(text: str) -> str:
    """``text`` safe inside a Paragraph, which reads its text as markup."""
    return escape(text)


def cell_text(value: object) -> str:
    """How a value prints in a report table: numbers with thousands separators, dates in
    words, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def long_date(day: dt.date) -> str:
    """A day as a report's sentences write it: 30 June 2026."""
    return f"{day.day} {day:%B %Y}"


def filtered_sheet(
    book: Any, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]
) -> None:
    """A report table as a sheet of ``book`` (``table_sheet``'s frozen bold header, widths,
    real dates and numbers) with a filter on every column, so a long list can be sorted and
    narrowed in Excel."""
    rows = list(rows)
    table_sheet(book, title, columns, rows)
    # A write-only sheet takes its filter any time before it is saved.
    sheet = book.worksheets[-1]
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
    """A canvas that holds every page back until the end, so each can say "Page X of Y":
    the total is only known once the story has been laid out (the pretix recipe)."""

    def __init__(self, *args: Any, page_font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_font = page_font
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(self._page_font, 7.5)
            self.setFillColor(colors.black)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, _FOOT_TEXT, f"Page {self._pageNumber} of {total}"
            )
            super().showPage()
        super().save()


class ReportDocument(Document):
    """An A4 report; subclasses set ``title`` and fill in ``body``.

    ``render`` returns the PDF's bytes; ``write`` (``Document``'s, shared with letters)
    saves them atomically and returns the page count.
    """

    title = "Report"

    def __init__(
        self, branch: BranchSettings, period: str = "", *, printed_on: dt.date | None = None
    ) -> None:
        super().__init__()
        self.branch = branch
        self.period = period
        self.printed_on = printed_on or dt.date.today()
        self.styles = report_styles()

    # --- hooks ------------------------------------------------------------------------
    def body(self) -> list[Flowable]:
        """The report itself, after the title and period."""
        raise NotImplementedError

    def opening(self) -> list[Flowable]:
        """The title and period under the letterhead."""
        styles = self.styles
        printed = f"Printed {self.printed_on.day} {self.printed_on:%B %Y}"
        subtitle = " · ".join(part for part in (self.period, printed) if part)
        return [
            Paragraph(escape_text(self.title), styles.title),
            Paragraph(escape_text(subtitle), styles.period),
            Spacer(1, 4 * mm),
        ]

    def first_page(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        draw_letterhead(canvas, self.branch, fold_marks=False)
        self.footer(canvas, document)

    def later_pages(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        regular, _bold = register_fonts()
        top = PAGE_HEIGHT - 13 * mm
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        half = FRAME_WIDTH / 2 - 2 * mm
        canvas.drawString(
            MARGIN, top, fit_text(canvas, self.branch.branch_name, regular, 7.5, half)
        )
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN, top, fit_text(canvas, self.title, regular, 7.5, half)
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        canvas.restoreState()
        self.footer(canvas, document)

    def footer(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        """The imprint, when the branch has one, left of the page number."""
        # Its last line level with the page number; a long imprint grows up into the margin.
        canvas.saveState()
        draw_imprint(
            canvas, self.branch, left=MARGIN, width=FRAME_WIDTH - 30 * mm, baseline=_FOOT_TEXT
        )
        canvas.restoreState()

    # --- shared pieces --------------------------------------------------------------------
    def heading(self, text: str) -> Paragraph:
        return Paragraph(escape_text(text), self.styles.heading)

    def paragraph(self, text: str) -> Paragraph:
        return Paragraph(escape_text(text), self.styles.body)

    def note(self, text: str) -> Paragraph:
        return Paragraph(escape_text(text), self.styles.note)

    def table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        total: Sequence[object] | None = None,
        numeric: Sequence[int] = (),
    ) -> Table:
        """A table that repeats its heading on every page it runs onto. Numbers are
        right-aligned (a column is numeric when its first value is, or its index is in
        ``numeric``: "+3" is text but reads as a number); ``total`` is a bold last row
        under a rule."""
        styles = self.styles
        numbers = [
            i in numeric or (bool(rows) and _is_number(rows[0][i])) for i in range(len(headings))
        ]
        if total is not None:
            numbers = [n or _is_number(value) for n, value in zip(numbers, total, strict=True)]

        def line(values: Sequence[object], head: bool = False) -> list[Paragraph]:
            out = []
            for value, number in zip(values, numbers, strict=True):
                if head:
                    style = styles.cell_head_number if number else styles.cell_head
                else:
                    style = styles.cell_number if number else styles.cell
                out.append(Paragraph(escape_text(cell_text(value)), style))
            return out

        data = [line(headings, head=True)] + [line(row) for row in rows]
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        commands += [
            ("BACKGROUND", (0, index), (-1, index), _ZEBRA) for index in range(2, len(data), 2)
        ]
        if total is not None:
            data.append(line(total, head=True))
            commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT))
        table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        return table

    def headline(self, tiles: Sequence[tuple[str, str]]) -> Table:
        """Headline figures side by side: (value, what it is) for each."""
        styles = self.styles
        width = FRAME_WIDTH / len(tiles)
        numbers = [Paragraph(escape_text(value), styles.figure) for value, _label in tiles]
        labels = [Paragraph(escape_text(label), styles.figure_label) for _value, label in tiles]
        table = Table([numbers, labels], colWidths=[width] * len(tiles), hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), _SHADE),
                    # White gutters between the tiles; the table is one flowable.
                    ("LINEAFTER", (0, 0), (-2, -1), 6, colors.white),
                    ("TOPPADDING", (0, 0), (-1, 0), 6),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return table

    def list_heading(self, text: str) -> list[Flowable]:
        """A heading over a long table: on a new page when too little of this one is left
        for the heading and a few rows, never alone at a page's foot."""
        return [CondPageBreak(35 * mm), self.heading(text)]

    def more_note(self, shown: int, total: int) -> Paragraph | None:
        """Under a list cut short for print: how many more there are and where they are."""
        if total <= shown:
            return None
        return self.note(f"… and {total - shown:,} more — the xlsx has them all.")

    def section(self, title: str, *flowables: Flowable) -> KeepTogether:
        """A heading kept on the page with what follows it."""
        return KeepTogether([self.heading(title), *flowables])

    # --- the run ----------------------------------------------------------------------
    def render(self, progress: Progress | None = None) -> bytes:
        """The whole PDF (laid out in one go: ``progress`` hears only that it is done)."""
        stream = io.BytesIO()
        self._build(stream)
        if progress is not None:
            progress(1, 1, f"{self.title}: {self.pages} pages")
        return stream.getvalue()

    def _build(self, stream: io.BytesIO) -> None:
        regular, _bold = register_fonts()
        first_top = PAGE_HEIGHT - LETTERHEAD_BOTTOM - 6 * mm
        # No padding: text lines up with the letterhead's margins.
        edge = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        first = Frame(MARGIN, _FOOT, FRAME_WIDTH, first_top - _FOOT, id="first", **edge)
        later = Frame(
            MARGIN, _FOOT, FRAME_WIDTH, PAGE_HEIGHT - _TOP_LATER - _FOOT, id="later", **edge
        )
        document = BaseDocTemplate(
            stream,
            pagesize=A4,
            title=f"{self.title}: {self.branch.branch_name}".rstrip(": "),
            author=self.branch.branch_name,
            creator="Branchbook",
            pageTemplates=[
                PageTemplate(
                    "first", [first], onPage=self.first_page, autoNextPageTemplate="later"
                ),
                PageTemplate("later", [later], onPage=self.later_pages),
            ],
        )
        document.build(
            self.opening() + self.body(),
            canvasmaker=partial(_NumberedCanvas, page_font=regular),
        )
        self.pages = int(document.page)


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


class _OverAPeriod(Protocol):
    @property
    def period(self) -> _Labelled: ...


P = TypeVar("P", bound=_OverAPeriod)


class PeriodReport(ReportDocument, Generic[P]):
    """A report of ``figures`` counted over a period, which its subtitle names."""

    def __init__(
        self, figures: P, branch: BranchSettings, *, printed_on: dt.date | None = None
    ) -> None:
        super().__init__(branch, figures.period.label, printed_on=printed_on)
        self.figures = figures


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
