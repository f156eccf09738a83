"""The branch's letterhead at the top of a page, its imprint at the foot, and text cut to
fit a width: shared by letters, envelopes and reports so every document the branch sends
looks like its own."""

from __future__ import annotations

import io
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from db.branch_logo import logo_bytes
from db.branch_settings import BranchSettings
from reports.fonts import register_fonts

__all__ = ["FOLDS", "LETTERHEAD_BOTTOM", "MARGIN", "draw_imprint", "draw_letterhead", "fit_text"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
LETTERHEAD_BOTTOM = 42 * mm  # from the top: the rule under the letterhead
FOLDS = (99 * mm, 198 * mm)  # from the top: A4 folded in three fits a DL envelope
_LOGO_HEIGHT = 24 * mm  # the letterhead above the rule is 30 mm deep
_LOGO_WIDTH = 50 * mm


def draw_letterhead(canvas: Canvas, branch: BranchSettings, *, fold_marks: bool = True) -> None:
    """The branch's logo and name on the left, its address, email and phone on the right, a
    rule beneath; ``fold_marks`` adds the small marks in the margin a letter is folded at."""
    regular, bold = register_fonts()
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    top = PAGE_HEIGHT - 18 * mm
    logo = _logo(branch.logo)
    name_left = left
    if logo is not None:
        image, width, height = logo
        canvas.drawImage(image, left, PAGE_HEIGHT - 12 * mm - height, width, height, mask="auto")
        name_left = left + width + 5 * mm
    lines = [line.strip() for line in branch.address.replace(",", "\n").splitlines()]
    lines += [branch.email, branch.phone]
    widest = max((canvas.stringWidth(line, regular, 8.5) for line in lines if line), default=0)
    # The name has the width the address column leaves; a long one is set smaller first,
    # and only cut when even 11 points will not fit.
    room = right - widest - 6 * mm - name_left
    size = 16.0
    while size > 11 and canvas.stringWidth(branch.branch_name, bold, size) > room:
        size -= 0.5
    canvas.setFont(bold, size)
    canvas.drawString(name_left, top, fit_text(canvas, branch.branch_name, bold, size, room))
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


def draw_imprint(
    canvas: Canvas,
    branch: BranchSettings,
    *,
    left: float,
    width: float,
    baseline: float,
    centred: bool = False,
    size: float = 7.5,
) -> None:
    """The imprint ("Promoted by … on behalf of … at …"), whole: election law wants every
    word of it, so a long one wraps onto more lines, growing upwards from ``baseline``,
    rather than being cut. Nothing when the branch has none."""
    imprint = " ".join(branch.imprint.split())
    if not imprint:
        return
    regular, _bold = register_fonts()
    lines = simpleSplit(imprint, regular, size, width)
    canvas.setFont(regular, size)
    leading = size * 1.25
    for number, line in enumerate(lines):  # top line first, so the text reads in order
        y = baseline + (len(lines) - 1 - number) * leading
        if centred:
            canvas.drawCentredString(left + width / 2, y, line)
        else:
            canvas.drawString(left, y, line)


@lru_cache(maxsize=4)
def _logo(text: str) -> tuple[ImageReader, float, float] | None:
    """The logo read once per document run (not per page), and its size on the page: at most
    _LOGO_HEIGHT high and _LOGO_WIDTH wide, its proportions kept."""
    data = logo_bytes(BranchSettings(logo=text))
    if data is None:
        return None
    image = ImageReader(io.BytesIO(data))
    pixels_wide, pixels_high = image.getSize()
    scale = min(_LOGO_WIDTH / pixels_wide, _LOGO_HEIGHT / pixels_high)
    return image, pixels_wide * scale, pixels_high * scale


def fit_text(canvas: Canvas, text: str, font: str, size: float, room: float) -> str:
    """``text``, cut with an ellipsis when it is wider than ``room`` points."""
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"
