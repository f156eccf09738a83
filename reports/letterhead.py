"""The branch's letterhead at the top of a page, and text cut to fit a width: shared by
letters, envelopes and reports so every document the branch sends looks like its own."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from db.branch_settings import BranchSettings
from reports.fonts import register_fonts

__all__ = ["FOLDS", "LETTERHEAD_BOTTOM", "MARGIN", "draw_letterhead", "fit_text"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
LETTERHEAD_BOTTOM = 42 * mm  # from the top: the rule under the letterhead
FOLDS = (99 * mm, 198 * mm)  # from the top: A4 folded in three fits a DL envelope


def draw_letterhead(canvas: Canvas, branch: BranchSettings, *, fold_marks: bool = True) -> None:
    """The branch's name on the left, its address, email and phone on the right, a rule
    beneath; ``fold_marks`` adds the small marks in the margin a letter is folded at."""
    regular, bold = register_fonts()
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    top = PAGE_HEIGHT - 18 * mm
    canvas.setFont(bold, 16)
    canvas.drawString(left, top, fit_text(canvas, branch.branch_name, bold, 16, 95 * mm))
    lines = [line.strip() for line in branch.address.replace(",", "\n").splitlines()]
    lines += [branch.email, branch.phone]
    canvas.setFont(regular, 8.5)
    y = top + 2 * mm
    for line in (line for line in lines if line):
        canvas.drawRightString(right, y, line)
        y -= 3.8 * mm
    canvas.setLineWidth(0.4)
    canvas.line(left, PAGE_HEIGHT - LETTERHEAD_BOTTOM, right, PAGE_HEIGHT - LETTERHEAD_BOTTOM)
    if fold_marks:
        canvas.setLineWidth(0.3)
        for fold in FOLDS:
            canvas.line(0, PAGE_HEIGHT - fold, 5 * mm, PAGE_HEIGHT - fold)


def fit_text(canvas: Canvas, text: str, font: str, size: float, room: float) -> str:
    """``text``, cut with an ellipsis when it is wider than ``room`` points."""
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"
