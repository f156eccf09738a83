"""A meeting's attendance and participation record as PDF, to paste into the minutes:
who was present, who sent apologies, and who took part, item by item."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from sqlalchemy.orm import Session

from db.branch_settings import load_branch_settings
from db.meeting_ledger import ledger
from db.meetings import attendance_summary
from reports.fonts import register_fonts
from reports.xlsx_table import write_atomically

__all__ = ["write_attendance_record"]


def write_attendance_record(session: Session, meeting_id: int, path: Path) -> None:
    summary = attendance_summary(session, meeting_id)
    lines = ledger(session, meeting_id)
    branch = load_branch_settings(session).branch_name
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=12, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=15, leading=19)
    item_style = ParagraphStyle("item", parent=body, fontName=bold, spaceBefore=3)
    meeting = summary.meeting

    def names(people: list[tuple[int, str]]) -> str:
        return _escape(", ".join(name for _, name in people)) or "None recorded."

    story = [
        Paragraph(_escape(meeting.title), title),
        Paragraph(
            _escape(
                " · ".join(
                    part
                    for part in (
                        branch,
                        meeting.kind_label,
                        f"{meeting.starts_at:%A %d %B %Y, %H:%M}",
                        meeting.venue,
                    )
                    if part
                )
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(f"Present ({len(summary.present)})", heading),
        Paragraph(names(summary.present), body),
        Paragraph(f"Apologies ({len(summary.apologies)})", heading),
        Paragraph(names(summary.apologies), body),
        Paragraph(f"Members absent without apologies: {summary.absent}", heading),
        Paragraph("Participation", heading),
    ]
    if not lines:
        story.append(Paragraph("None recorded.", body))
    for item, group in groupby(lines, key=lambda line: line.agenda_item):
        story.append(Paragraph(_escape(item or "General"), item_style))
        for line in group:
            note = f" ({_escape(line.note)})" if line.note else ""
            story.append(
                Paragraph(f"&nbsp;&nbsp;• {_escape(line.name)}: {line.kind_label}{note}", body)
            )

    def build(target: Path) -> None:
        document = SimpleDocTemplate(
            str(target),
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=f"Attendance: {meeting.title}",
        )
        document.build(story)

    write_atomically(path, build)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
