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
from dataclasses import replace

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from db.branch_settings import BranchSettings
from db.mailing_data import Letter
from reports.fonts import register_fonts
from reports.letterhead import draw_imprint, draw_letterhead, fit_text
from reports.pdf_renderer import PdfRenderer
from reports.qr import QR_SIZE, draw_qr
from reports.text_layout import Line, TextLayout, TextStyle

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
        self.body_style = TextStyle(size=10.5, leading=14, space_after=7)
        self.bullet_style = TextStyle(
            size=10.5, leading=14, space_after=3, indent=14, bullet="•", bullet_indent=3
        )
        self.last_bullet_style = replace(self.bullet_style, space_after=7)
        self.layout = TextLayout(_RIGHT - _LEFT)
        self.signature = self._signature_lines()

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
        page = 1
        for block_lines, block_style in self._story(item):
            lines, style = block_lines, block_style
            while lines:
                fit = min(len(lines), max(0, int((y - _BOTTOM - style.size) // style.leading) + 1))
                if fit == 0:  # not one more line fits: run on to the next page
                    self._footer(canvas)
                    self.next_page(canvas)
                    page += 1
                    canvas.setFont(self.regular, 8.5)
                    canvas.drawString(
                        _LEFT, PAGE_HEIGHT - 15 * mm, f"{item.addressee} · page {page}"
                    )
                    y = PAGE_HEIGHT - _NEXT_TOP
                    continue
                self.layout.draw(canvas, lines[:fit], style, _LEFT, y)
                y -= fit * style.leading
                lines = lines[fit:]
                style = replace(style, bullet="")  # the bullet marks only a block's first line
            y -= style.space_after
        self._footer(canvas)

    def _story(self, item: Letter) -> list[tuple[tuple[Line, ...], TextStyle]]:
        """Each block's lines with its style, then the signature."""
        story = []
        blocks = item.blocks
        for index, block in enumerate(blocks):
            style = self.body_style
            if block.kind == "bullet":
                last = index + 1 == len(blocks) or blocks[index + 1].kind != "bullet"
                style = self.last_bullet_style if last else self.bullet_style
            story.append((self.layout.lines(block.markup, style), style))
        story.append((self.signature, self.body_style))
        return story

    # --- parts of a page ----------------------------------------------------------------
    def _signature_lines(self) -> tuple[Line, ...]:
        """Room to sign, then the secretary's name and role (the role alone without a name)."""
        branch = self.branch.branch_name
        role = (Line(((self.regular, "Secretary" + (f", {branch}" if branch else "")),)),)
        name = self.branch.secretary_name.strip()
        if not name:
            return role
        blank = Line(())
        return (blank, blank, blank, Line(((self.regular, name),)), *role)

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
        draw_imprint(
            canvas, self.branch, left=_LEFT, width=_RIGHT - _LEFT, baseline=12 * mm, centred=True
        )
