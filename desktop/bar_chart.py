"""A small horizontal bar chart, painted: one labelled bar a line, its figure at the end.

Horizontal, so that "Phone banking" and "Unite the Union" read without turning the head;
painted rather than QtCharts, which would load a second large module for a few rectangles.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

_BAR_COLOUR = QColor("#3f6fb5")
_EMPTY_COLOUR = QColor("#d9dde3")
_TEXT_COLOUR = QColor("#222222")
_MUTED_COLOUR = QColor("#666666")
_GAP = 8
_MARGIN = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the figure printed after the bar: "12.5 hours · 4 people"


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None, empty_text: str = "Nothing to show.") -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: list[Bar]) -> None:
        self._bars = list(bars)
        self.setToolTip("\n".join(f"{bar.label}: {bar.text}" for bar in self._bars))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def _line_height(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._bars))
        return QSize(420, 2 * _MARGIN + rows * self._line_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        width = self.width() - 2 * _MARGIN
        if not self._bars:
            painter.setPen(_MUTED_COLOUR)
            painter.drawText(
                QRectF(_MARGIN, _MARGIN, width, self._line_height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self._empty_text,
            )
            return
        label_width = min(max(metrics.horizontalAdvance(b.label) for b in self._bars), width // 3)
        text_width = max(metrics.horizontalAdvance(b.text) for b in self._bars)
        bar_room = max(20, width - label_width - text_width - 2 * _GAP)
        top_value = max((b.value for b in self._bars), default=0) or 1
        line = self._line_height()
        for row, bar in enumerate(self._bars):
            y = _MARGIN + row * line
            painter.setPen(_TEXT_COLOUR)
            painter.drawText(
                QRectF(_MARGIN, y, label_width, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width),
            )
            x = _MARGIN + label_width + _GAP
            length = bar_room * max(0.0, bar.value) / top_value
            painter.setPen(Qt.PenStyle.NoPen)
            if bar.value > 0:
                painter.setBrush(_BAR_COLOUR)
                painter.drawRoundedRect(QRectF(x, y + 3, max(2.0, length), line - 6), 2, 2)
            else:
                painter.setBrush(_EMPTY_COLOUR)
                painter.drawRect(QRectF(x, y + 3, 2, line - 6))
            painter.setPen(_TEXT_COLOUR if bar.value > 0 else _MUTED_COLOUR)
            painter.drawText(
                QRectF(x + max(2.0, length) + _GAP, y, text_width + _GAP, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.text,
            )
