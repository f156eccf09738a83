"""A meeting's sign-in sheet as PDF: the members expected, alphabetically, each with a QR code
the check-in screen accepts (a USB scanner types it), then blank rows for guests.

Drawn straight on a reportlab canvas: a branch of a few thousand members is a hundred pages,
and flowables would cost seconds more for a layout this regular.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.branch_settings import load_branch_settings
from db.meetings import QR_PREFIX, find_meeting
from db.models import Household, Person
from reports.fonts import register_fonts
from reports.qr import QR_SIZE, draw_qr
from reports.xlsx_table import write_atomically

__all__ = ["write_signin_sheet"]

_MARGIN = 15 * mm
_ROW = 17 * mm
_QR = QR_SIZE
_GUEST_ROWS = 10


def write_signin_sheet(session: Session, meeting_id: int, path: Path) -> int:
    """Write the sheet for ``meeting_id`` to ``path``; returns the number of members listed."""
    meeting = find_meeting(session, meeting_id)
    branch = load_branch_settings(session).branch_name
    members = list(
        session.execute(
            select(
                Person.id,
                Person.first_name,
                Person.last_name,
                Person.membership_number,
                Household.postcode,
            )
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.status == "member")
            .order_by(Person.sort_key, Person.id)
        )
    )
    regular, bold = register_fonts()
    title = f"{meeting.title} — {meeting.starts_at:%A %d %B %Y, %H:%M}"
    subtitle = " · ".join(part for part in (meeting.venue, branch, "Sign-in sheet") if part)

    def draw(target: Path) -> None:
        canvas = Canvas(str(target), pagesize=A4, pageCompression=1)
        canvas.setTitle(f"Sign-in sheet: {meeting.title}")
        width, height = A4
        page = 0

        def new_page() -> float:
            nonlocal page
            if page:
                canvas.showPage()
            page += 1
            room = width - 2 * _MARGIN
            canvas.setFont(bold, _fitting(canvas, title, bold, 13, room))
            canvas.drawString(_MARGIN, height - _MARGIN, title)
            line = f"{subtitle} · page {page}"
            canvas.setFont(regular, _fitting(canvas, line, regular, 9, room))
            canvas.drawString(_MARGIN, height - _MARGIN - 5 * mm, line)
            canvas.drawRightString(
                width - _MARGIN,
                _MARGIN / 2,
                "Scan the code or tick and sign. Guests: please use the rows at the end.",
            )
            top: float = height - _MARGIN - 12 * mm
            return top

        y = new_page()
        for pid, first, last, number, postcode in members:
            if y - _ROW < _MARGIN:
                y = new_page()
            code = f"{QR_PREFIX}{pid}"
            draw_qr(canvas, code, _MARGIN, y - _QR)
            canvas.setFont(bold, 11)
            canvas.drawString(_MARGIN + _QR + 4 * mm, y - 6 * mm, f"{last}, {first}"[:48])
            canvas.setFont(regular, 8)
            details = " · ".join(part for part in (number, postcode, code) if part)
            canvas.drawString(_MARGIN + _QR + 4 * mm, y - 11 * mm, details)
            canvas.rect(width - _MARGIN - 70 * mm, y - 13 * mm, 70 * mm, 11 * mm)
            canvas.line(_MARGIN, y - _ROW + 1 * mm, width - _MARGIN, y - _ROW + 1 * mm)
            y -= _ROW
        if y - 12 * mm * 3 < _MARGIN:
            y = new_page()
        canvas.setFont(bold, 11)
        canvas.drawString(_MARGIN, y - 6 * mm, "Guests and new supporters")
        canvas.setFont(regular, 8)
        canvas.drawString(
            _MARGIN,
            y - 10 * mm,
            "Name · email or phone · postcode · may we keep in touch? (yes / no)",
        )
        y -= 14 * mm
        for _ in range(_GUEST_ROWS):
            if y - 12 * mm < _MARGIN:
                y = new_page()
            canvas.line(_MARGIN, y - 10 * mm, width - _MARGIN, y - 10 * mm)
            y -= 12 * mm
        canvas.save()

    write_atomically(path, draw)
    return len(members)


def _fitting(canvas: Canvas, text: str, font: str, size: float, room: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits in ``room`` points."""
    width = canvas.stringWidth(text, font, size)
    return size if width <= room else max(6.0, size * room / width)
