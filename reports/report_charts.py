"""Charts for reports, drawn with reportlab.graphics so they are vectors in the PDF and
print sharp: bars for counts over categories or months, a pie for shares of a whole.

Every chart is a ``Drawing``, a flowable a report puts straight into its story. Labels use
the report fonts: a ward called Ynys Môn must not print as a black box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import register_fonts

__all__ = ["JOINED", "LEFT", "MEMBERS", "PALETTE", "Series", "bar_chart", "pie_chart"]

MEMBERS = colors.HexColor("#1f4e79")
JOINED = colors.HexColor("#2e8b57")
LEFT = colors.HexColor("#c0392b")
# Distinguishable in print and for the commonest colour blindness, in order of use.
PALETTE = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#e69f00"),
    colors.HexColor("#56b4e9"),
    colors.HexColor("#009e73"),
    colors.HexColor("#cc79a7"),
    colors.HexColor("#d55e00"),
    colors.HexColor("#999999"),
    colors.HexColor("#0072b2"),
)
_AXIS_FONT_SIZE = 7


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    colour: Color


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    height: float | None = None,
    horizontal: bool = False,
    upright_labels: bool = False,
    value_labels: bool = True,
) -> Drawing:
    """Bars of each series side by side for every category, with a legend when there is
    more than one series. Horizontal charts grow with their categories (wards) and leave
    room for their names on the left. ``upright_labels`` turns a vertical chart's category
    names on end, so dozens of meetings fit side by side; ``value_labels`` False leaves the
    count off each bar, where so many would overlap."""
    regular, _bold = register_fonts()
    legend_room = 9 * mm if len(series) > 1 else 0
    if horizontal:
        height = height or max(30 * mm, len(categories) * len(series) * 4.2 * mm + 14 * mm)
        label_room = min(60 * mm, _widest(categories, regular) + 4 * mm)
        chart: VerticalBarChart | HorizontalBarChart = HorizontalBarChart()
        chart.x, chart.y = label_room, 8 * mm
        chart.width = width - label_room - 6 * mm
        chart.height = height - 8 * mm - legend_room - 2 * mm
        # Read top to bottom in the order given, as a table would.
        chart.categoryAxis.reverseDirection = 1
    else:
        height = height or 60 * mm
        chart = VerticalBarChart()
        bottom = _widest(categories, regular) + 3 * mm if upright_labels else 10 * mm
        chart.x, chart.y = 12 * mm, bottom
        chart.width = width - 14 * mm
        chart.height = height - bottom - legend_room - 2 * mm
    chart.data = [tuple(s.values) for s in series]
    for index, one in enumerate(series):
        chart.bars[index].fillColor = one.colour
        chart.bars[index].strokeColor = None
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = _AXIS_FONT_SIZE
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -3
    elif upright_labels:
        chart.categoryAxis.labels.angle = 90
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dy = -2
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -2
    _value_axis(chart, max((max(s.values, default=0) for s in series), default=0), regular)
    chart.barLabelFormat = _bar_label if value_labels else None
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 6
    # Anchored at the bar's end, so a long count reads beside its bar, not across it.
    chart.barLabels.boxAnchor = "w" if horizontal else "s"
    chart.barLabels.nudge = 2
    chart.groupSpacing = 4
    chart.barSpacing = 1
    drawing = Drawing(width, height)
    drawing.add(chart)
    if len(series) > 1:
        drawing.add(_legend(series, regular, x=chart.x, y=height - 3 * mm))
    return drawing


def pie_chart(slices: Sequence[tuple[str, int]], *, width: float, height: float) -> Drawing:
    """Shares of a whole, each slice named with its count and percentage beside it."""
    regular, _bold = register_fonts()
    shown = [(label, value) for label, value in slices if value > 0]
    total = sum(value for _label, value in shown)
    drawing = Drawing(width, height)
    if not total:
        return drawing
    pie = Pie()
    size = min(height - 12 * mm, width / 2.6)
    pie.width = pie.height = size
    pie.x, pie.y = (width - size) / 2, (height - size) / 2
    pie.data = [value for _label, value in shown]
    pie.labels = [f"{label}: {value:,} ({value / total:.0%})" for label, value in shown]
    pie.sideLabels = 1
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    pie.slices.fontName = regular
    pie.slices.fontSize = _AXIS_FONT_SIZE
    for index in range(len(shown)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(pie)
    return drawing


def _value_axis(chart: VerticalBarChart | HorizontalBarChart, top: int, font: str) -> None:
    """Whole-number ticks from nought, four or five of them, however small the counts."""
    step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    steps = max(1, math.ceil(top / step))
    if top > step * steps * 0.85:
        steps += 1  # room above the tallest bar for its label
    chart.valueAxis.valueMax = step * steps
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = _AXIS_FONT_SIZE
    chart.valueAxis.labelTextFormat = _whole
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.gridStrokeWidth = 0.3


def _nice_step(top: int) -> int:
    if top <= 5:
        return 1
    rough = top / 4
    power = 10 ** int(math.floor(math.log10(rough)))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return int(multiple * power)
    return int(10 * power)


def _legend(series: Sequence[Series], font: str, *, x: float, y: float) -> Group:
    """Swatches and names in a row along the top; drawn by hand because reportlab's Legend
    lays its text over the swatches at this size."""
    group = Group()
    size = _AXIS_FONT_SIZE + 1
    for one in series:
        group.add(Rect(x, y - size + 1, size, size, fillColor=one.colour, strokeColor=None))
        group.add(String(x + size + 3, y - size + 2, one.name, fontName=font, fontSize=size))
        x += size + 3 + stringWidth(one.name, font, size) + 12
    return group


def _whole(value: float) -> str:
    return f"{value:,.0f}"


def _bar_label(value: float) -> str:
    """A bar's count above it; none on an empty bar, where a lone 0 reads as clutter."""
    return _whole(value) if value else ""


def _widest(texts: Sequence[str], font: str) -> float:
    return max((stringWidth(text, font, _AXIS_FONT_SIZE) for text in texts), default=0.0)
