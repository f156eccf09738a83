"""The TTF fonts every PDF uses: reportlab's built-in Helvetica prints Ł, ŷ and ễ as black
boxes, and a branch's members are called Łukasz, Llŷr and Nguyễn."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped fonts with reportlab once; returns (regular, bold) names."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(path("fonts", f"{name}.ttf"))))
    return REGULAR, BOLD
