"""The TTF fonts every PDF uses: reportlab's built-in Helvetica prints Ł, ŷ and ễ as black
boxes, and a branch's members are called Łukasz, Llŷr and Nguyễn."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped fonts with reportlab once, as one family so a paragraph's <b>
    and <i> find DejaVu's bold and oblique faces; returns (regular, bold) names."""
    for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(path("fonts", f"{name}.ttf"))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    return REGULAR, BOLD
