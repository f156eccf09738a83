"""Envelopes printed directly, one per page, the page the size of the envelope: DL or C5.

The people are ``reports.labels.plan_labels``'s, one envelope per person or per household.
The address sits where Royal Mail's sorting machines look for it: in the right-hand half,
a little below the middle, clear of the stamp's corner at the top right and of the bottom
edge, which the machines print their barcode along. A return address, small, at the top
left, brings back the letters that cannot be delivered rather than leaving them to be
thrown away, so the branch learns which addresses are wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from db.branch_settings import BranchSettings
from db.errors import UserError
from reports.fonts import register_fonts
from reports.labels import AddressLabel, draw_address_block, fit_line
from reports.pdf_renderer import PdfRenderer

__all__ = [
    "ENVELOPES",
    "RETURN_HEADING",
    "EnvelopeRenderer",
    "EnvelopeSize",
    "return_address",
]

RETURN_HEADING = "If undelivered please return to:"
_ADDRESS_LEFT = 0.45  # of the width: the address block's left edge
_STAMP_ZONE = 40 * mm  # kept clear at the top, where the stamp and the franking go
_BOTTOM_CLEAR = 20 * mm  # the machines print their barcode along the bottom edge
_RIGHT_MARGIN = 15 * mm
_ADDRESS_SIZE = 12.0  # points: the largest the address is printed
_RETURN_SIZE = 7.0  # points: small, so the return address is never taken for the recipient's
_EDGE = 10 * mm  # from the top and left edges to the return address


@dataclass(frozen=True)
class EnvelopeSize:
    """An envelope fed flap-edge first and printed landscape, in millimetres."""

    name: str
    width: float
    height: float

    @property
    def pagesize(self) -> tuple[float, float]:
        return self.width * mm, self.height * mm


ENVELOPES: dict[str, EnvelopeSize] = {
    "DL": EnvelopeSize("DL", 220.0, 110.0),  # an A4 letter folded in three
    "C5": EnvelopeSize("C5", 229.0, 162.0),  # an A4 letter folded once
}


def return_address(branch: BranchSettings) -> tuple[str, ...]:
    """The branch's name (perhaps blank), then each part of its address (as the settings
    separate them by commas or lines); a branch without an address cannot be returned to,
    which is one sentence to the secretary."""
    parts = [part.strip() for part in branch.address.replace("\n", ",").split(",")]
    parts = [part for part in parts if part]
    if not parts:
        raise UserError(
            "The branch has no address to print as the return address; set it with "
            "'branchbook settings set address=...' or leave out --return-address."
        )
    return (branch.branch_name.strip(), *parts)


class EnvelopeRenderer(PdfRenderer[AddressLabel]):
    """One envelope a page; ``return_lines`` (``return_address``'s: the branch's name, then
    its address's parts) adds the return address at the top left."""

    title = "Envelopes"

    def __init__(
        self,
        envelopes: Sequence[AddressLabel],
        size: EnvelopeSize,
        *,
        return_lines: Sequence[str] = (),
    ) -> None:
        super().__init__(envelopes)
        self.size = size
        self.pagesize = size.pagesize
        self.return_lines = tuple(return_lines)
        self.regular, self.bold = register_fonts()

    def label(self, item: AddressLabel, index: int) -> str:
        return f"Envelope {index + 1} of {len(self.items)}"

    def address_box(self) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) in points of the room the address is centred in."""
        width, height = self.pagesize
        left = width * _ADDRESS_LEFT
        return (
            left,
            _BOTTOM_CLEAR,
            width - left - _RIGHT_MARGIN,
            height - _STAMP_ZONE - _BOTTOM_CLEAR,
        )

    def draw(self, canvas: Canvas, item: AddressLabel) -> None:
        box = self.address_box()
        draw_address_block(canvas, item.lines, box, (self.regular, self.bold), _ADDRESS_SIZE)
        if self.return_lines:
            self._draw_return_address(canvas)

    def _draw_return_address(self, canvas: Canvas) -> None:
        width, height = self.pagesize
        # Kept left of the address block, so a sorting machine never reads it instead.
        room = width * _ADDRESS_LEFT - _EDGE - 5 * mm
        y = height - _EDGE - _RETURN_SIZE
        name, *parts = self.return_lines
        for line in (RETURN_HEADING, name, *self._packed(canvas, parts, room)):
            if not line:
                continue
            size, text = fit_line(canvas, line, self.regular, _RETURN_SIZE, room)
            canvas.setFont(self.regular, size)
            canvas.drawString(_EDGE, y, text)
            y -= _RETURN_SIZE * 1.25

    def _packed(self, canvas: Canvas, parts: Sequence[str], room: float) -> list[str]:
        """The address's parts joined by commas into as few lines as fit ``room``: one line
        for a short address, more rather than a cut or an unreadably small one."""
        lines: list[str] = []
        for part in parts:
            joined = f"{lines[-1]}, {part}" if lines else part
            if lines and canvas.stringWidth(joined, self.regular, _RETURN_SIZE) <= room:
                lines[-1] = joined
            else:
                lines.append(part)
        return lines
