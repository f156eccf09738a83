"""A mailing's letters as one A4 PDF, ready to fold into DL window envelopes.

Each letter starts on a new page: the letterhead (branch name, address, email, phone from the
branch settings), the addressee and address where a DL envelope's window shows them, the
date, the body (``db.letter_templates`` turns the template's text into paragraphs and
bullets), the secretary's name to sign above, and the imprint in the footer when the branch
has one. Optionally a QR code per person with the code the check-in screen accepts, the same
code the sign-in sheets carry. A long letter runs on to further pages.

The template's own words end the letter ("Yours sincerely,"); the renderer adds only the
space to sign and the secretary's name and role beneath it.

Every name is set in the embedded DejaVu fonts (``reports.fonts``), never Helvetica.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from db.branch_settings import BranchSettings
from db.mailing_data import Letter
from reports.fonts import register_fonts
from reports.letterhead import draw_letterhead, fit_text
from reports.pdf_renderer import PdfRenderer
from reports.qr import QR_SIZE, draw_qr

__all__ = ["DL_WINDOW", "LetterRenderer"]

PAGE_WIDTH, PAGE_HEIGHT = A4
# A standard DL window envelope (110 x 220 mm, the window on the left): the window is 90 mm
# wide and 45 mm high, 20 mm from the envelope's left edge and 50 mm from its top edge
# (measured from the top of the A4 sheet folded in three, address side out). Everything in
# the address block stays inside (left, top, width, height), less _WINDOW_INSET all round,
# so a letter that shifts a few millimetres in the envelope still shows the whole address.
DL_WINDOW = (20 * mm, 50 * mm, 90 * mm, 45 * mm)
_WINDOW_INSET = 4 * mm
_LEFT = 20 * mm
_RIGHT = PAGE_WIDTH - 20 * mm
_BODY_TOP = 112 * mm  # from the top, on a letter's first page
_NEXT_TOP = 25 * mm  # from the top, on the pages a long letter runs on to
_BOTTOM = 24 * mm  # from the bottom: the body stops above the footer
_QR_SIZE = QR_SIZE


class LetterRenderer(PdfRenderer[Letter]):
    title = "Letters"

    def __init__(
        self,
        letters: Sequence[Letter],
        branch: BranchSettings,
        *,
        date: dt.date | None = None,
        qr: bool = False,
    ) -> None:
        super().__init__(letters)
        self.branch = branch
        self.date = date or dt.date.today()
        self.qr = qr
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.body_style = ParagraphStyle(
            "letter", fontName=regular, fontSize=10.5, leading=14, spaceAfter=7
        )
        self.bullet_style = ParagraphStyle(
            "bullet",
            parent=self.body_style,
            leftIndent=14,
            bulletIndent=3,
            bulletFontName=regular,
            spaceAfter=3,
        )
        self.last_bullet_style = ParagraphStyle(
            "last bullet", parent=self.bullet_style, spaceAfter=self.body_style.spaceAfter
        )
        # Paragraph markup is built once per distinct block: a mailing repeats most of them.
        self._paragraphs: dict[tuple[str, str], Paragraph] = {}

    def label(self, item: Letter, index: int) -> str:
        return f"Letter {index + 1} of {len(self.items)}: {item.addressee}"

    def begin(self, canvas: Canvas) -> None:
        canvas.setAuthor(self.branch.secretary_name or self.branch.branch_name)

    def draw(self, canvas: Canvas, item: Letter) -> None:
        draw_letterhead(canvas, self.branch)
        self._address(canvas, item)
        if self.qr:
            self._codes(canvas, item)
        canvas.setFont(self.regular, 10.5)
        canvas.drawRightString(_RIGHT, PAGE_HEIGHT - 104 * mm, f"{self.date.day} {self.date:%B %Y}")
        y = PAGE_HEIGHT - _BODY_TOP
        width = _RIGHT - _LEFT
        page = 1
        kinds = [block.kind for block in item.blocks]
        queue = [
            self._paragraph(
                "last bullet" if kind == "bullet" and kinds[i + 1 : i + 2] != ["bullet"] else kind,
                block.markup,
            )
            for i, (kind, block) in enumerate(zip(kinds, item.blocks, strict=True))
        ]
        queue.append(self._signature())
        while queue:
            paragraph = queue.pop(0)
            room = y - _BOTTOM
            _, height = paragraph.wrap(width, room)
            if height <= room:
                paragraph.drawOn(canvas, _LEFT, y - height)
                y -= height + paragraph.getSpaceAfter()
                continue
            parts = paragraph.split(width, room) if room > 0 else []
            if len(parts) == 2:
                parts[0].wrap(width, room)
                parts[0].drawOn(canvas, _LEFT, y - parts[0].height)
                queue.insert(0, parts[1])
            else:
                queue.insert(0, paragraph)
            self._footer(canvas)
            self.next_page(canvas)
            page += 1
            canvas.setFont(self.regular, 8.5)
            canvas.drawString(_LEFT, PAGE_HEIGHT - 15 * mm, f"{item.addressee} · page {page}")
            y = PAGE_HEIGHT - _NEXT_TOP
        self._footer(canvas)

    # --- parts of a page ----------------------------------------------------------------
    def _paragraph(self, kind: str, markup: str) -> Paragraph:
        key = (kind, markup)
        found = self._paragraphs.get(key)
        if found is None:
            if kind in ("bullet", "last bullet"):
                style = self.bullet_style if kind == "bullet" else self.last_bullet_style
                found = Paragraph(markup, style, bulletText="•")
            else:
                found = Paragraph(markup, self.body_style)
            if len(self._paragraphs) < 2000:
                self._paragraphs[key] = found
        return found

    def _signature(self) -> Paragraph:
        name = _escape(self.branch.secretary_name)
        branch = self.branch.branch_name
        role = "Secretary" + (f", {_escape(branch)}" if branch else "")
        if not name:
            return Paragraph(role, self.body_style)
        return Paragraph(f"<br/><br/><br/>{name}<br/>{role}", self.body_style)

    def _address(self, canvas: Canvas, item: Letter) -> None:
        left, top, width, height = DL_WINDOW
        room = width - 2 * _WINDOW_INSET
        lines = [item.addressee, *item.address_lines]
        size = 10.0
        leading = 4.6 * mm
        while len(lines) * leading > height - 2 * _WINDOW_INSET and size > 7:
            size -= 0.5
            leading = size * 0.46 * mm
        y = PAGE_HEIGHT - top - _WINDOW_INSET - size * 0.8
        for index, line in enumerate(lines):
            font = self.bold if index == 0 else self.regular
            canvas.setFont(font, size)
            canvas.drawString(left + _WINDOW_INSET, y, fit_text(canvas, line, font, size, room))
            y -= leading

    def _codes(self, canvas: Canvas, item: Letter) -> None:
        x = _RIGHT - _QR_SIZE
        top = PAGE_HEIGHT - DL_WINDOW[1]
        canvas.setFont(self.regular, 6.5)
        for caption, payload in reversed(item.codes[:3]):  # the first person leftmost
            draw_qr(canvas, payload, x, top - _QR_SIZE)
            canvas.drawCentredString(x + _QR_SIZE / 2, top - _QR_SIZE - 2.5 * mm, caption[:24])
            x -= _QR_SIZE + 6 * mm

    def _footer(self, canvas: Canvas) -> None:
        if not self.branch.imprint:
            return
        canvas.setFont(self.regular, 7.5)
        text = fit_text(canvas, self.branch.imprint, self.regular, 7.5, _RIGHT - _LEFT)
        canvas.drawCentredString(PAGE_WIDTH / 2, 12 * mm, text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
