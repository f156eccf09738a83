"""The check-in QR code as every PDF draws it: a sign-in sheet's row, a letter's corner.
Both carry the door's payload (``db.meetings.QR_PREFIX``), so the door checks either in."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

# Big enough for a USB scanner held at arm's length over a clipboard.
QR_SIZE = 14 * mm


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float = QR_SIZE) -> None:
    """``payload`` as a square QR code ``size`` wide with its lower left corner at (x, y)."""
    widget = QrCodeWidget(payload, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
