"""The dashboard's charts (QtCharts): one ``ChartPanel`` a chart, drawn from the plain figures
of ``db.dashboard_figures``; a click on a bar or a point emits who is behind it.

Bars, not pies, even for people by status: Qt elides a pie's legend beside it ("Lapsed
member: 14,5...") and wraps nothing below it, and bars of five statuses compare at a glance.

Each refresh builds a new QChart rather than editing the old one's series in place: the
number of categories changes (a new ward, a union's first member), and a chart rebuilt is
simpler to get right than axes re-ranged by hand. Animations are off: a dashboard that
moves on every refresh is harder to read, and the screenshots are then what a person sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QHorizontalPercentBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QLocale, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from db.dashboard_figures import Chart, Drill, MeetingAttendance

# Colour-blind-safe pairs (Okabe-Ito): the first series of every chart is blue.
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999")
QUALITY_COLOURS = ("#009e73", "#d55e00")  # fine, to put right
MIN_CHART_HEIGHT = 240
_AXIS_POINTS = 8.0
_UPRIGHT_UP_TO = 6  # categories along the bottom that still fit written across
_TEXT = "#222222"


class ChartPanel(QChartView):
    """One chart. ``drilled`` carries the ``Drill`` of whatever was clicked."""

    drilled = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(MIN_CHART_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # drills[set or slice series index][category index]
        self.drills: list[list[Drill]] = []
        self.meetings: tuple[MeetingAttendance, ...] = ()
        self.setChart(_new_chart("", ""))

    # --- drawing ----------------------------------------------------------------------

    def show_bars(
        self,
        figures: Chart,
        *,
        horizontal: bool = False,
        stacked: bool = False,
        percent: bool = False,
        colours: Sequence[str] = COLOURS,
        empty_text: str = "Nothing recorded yet",
        labels: bool = True,
    ) -> None:
        chart = _new_chart(figures.title, figures.subtitle)
        series = _bar_series(horizontal, stacked, percent)
        # Horizontal bars count from the bottom up; reversed, they read top down like a
        # list. ``drills`` is kept in the chart's own order, so a bar's index finds its own.
        horizontal = horizontal or percent
        order = list(range(len(figures.categories)))
        if horizontal:
            order.reverse()
        self.drills = []
        for number, figures_series in enumerate(figures.series):
            bar_set = QBarSet(figures_series.name)
            bar_set.setColor(QColor(colours[number % len(colours)]))
            bar_set.setBorderColor(QColor(colours[number % len(colours)]))
            bar_set.append([float(figures_series.counts[i].value) for i in order])
            inside = stacked or percent
            # Inside a bar, white on the colour; beyond its end, dark on the background.
            # Only the first set of a percent chart is labelled: its share says the other's.
            label = "white" if inside else _TEXT
            bar_set.setLabelColor(QColor(0, 0, 0, 0) if percent and number else QColor(label))
            bar_set.clicked.connect(lambda index, n=number: self.click(n, index))
            series.append(bar_set)
            self.drills.append([figures_series.counts[i].drill for i in order])
        series.setLabelsVisible(labels)
        series.setLabelsPosition(
            QAbstractBarSeries.LabelsPosition.LabelsInsideBase
            if percent
            else QAbstractBarSeries.LabelsPosition.LabelsCenter
            if stacked
            else QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd
        )
        if not percent:
            series.setLabelsFormat("@value")
            series.setLabelsPrecision(9)  # whole numbers, never 1.2e+04
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([figures.categories[i] for i in order])
        categories.setLabelsFont(_small_font(categories.labelsFont()))
        categories.setGridLineVisible(False)
        if not horizontal and len(figures.categories) > _UPRIGHT_UP_TO:
            # Qt elides "Mar" in a twelfth of a third of the window, and at -45 degrees
            # too (measured); turned upright, every month's name is whole.
            categories.setLabelsAngle(-90)
        values = QValueAxis()
        values.setLabelFormat("%.0f")
        values.setLabelsFont(_small_font(values.labelsFont()))
        if percent:
            values.setRange(0, 100)
            values.setLabelFormat("%.0f%")
        else:
            largest = max((sum if stacked else max)(_column(figures, i)) for i in _indexes(figures))
            values.setRange(0, _headroom(largest))
            values.applyNiceNumbers()
        value_side, category_side = (
            (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
            if horizontal
            else (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom)
        )
        chart.addAxis(categories, category_side)
        chart.addAxis(values, value_side)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().setVisible(len(figures.series) > 1)
        if figures.empty:
            chart.setTitle(f"{figures.title}<br><small>{empty_text}</small>")
        self._replace(chart)

    def show_meetings(
        self, meetings: Sequence[MeetingAttendance], start: dt.date, end: dt.date
    ) -> None:
        """People who came to each meeting, a point a meeting along the year."""
        chart = _new_chart(
            "Attendance per meeting",
            f"People who came to each of {len(meetings)} meetings, {start:%B %Y} to {end:%B %Y}",
        )
        self.meetings = tuple(meetings)
        self.drills = [[meeting.drill() for meeting in meetings]]
        line = QLineSeries()
        line.setName("Came")
        line.setPen(QPen(QColor(COLOURS[0]), 2))
        points = QScatterSeries()
        points.setName("Came")
        points.setColor(QColor(COLOURS[0]))
        points.setBorderColor(QColor(COLOURS[0]))
        points.setMarkerSize(9)
        for meeting in meetings:
            at = QPointF(float(_msecs(meeting.starts_at)), float(meeting.present))
            line.append(at)
            points.append(at)
        for series in (line, points):
            series.clicked.connect(lambda point: self.click_meeting(point.x()))
        points.hovered.connect(self._hovered)
        chart.addSeries(line)
        chart.addSeries(points)
        axis_x = QDateTimeAxis()
        axis_x.setFormat("MMM yy")
        axis_x.setTickCount(7)
        axis_x.setLabelsFont(_small_font(axis_x.labelsFont()))
        first = dt.datetime.combine(start, dt.time())
        last = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
        axis_x.setRange(_qdatetime(first), _qdatetime(last))
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.0f")
        axis_y.setLabelsFont(_small_font(axis_y.labelsFont()))
        axis_y.setRange(0, _headroom(max((m.present for m in meetings), default=0)))
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in (line, points):
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        chart.legend().setVisible(False)
        if not meetings:
            chart.setTitle("Attendance per meeting<br><small>No meeting in the last year</small>")
        self._replace(chart)

    # --- clicking ---------------------------------------------------------------------

    def click(self, series: int, index: int) -> None:
        """What a click on bar ``index`` of set ``series`` does."""
        self.drilled.emit(self.drills[series][index])

    def click_meeting(self, msecs: float) -> None:
        """A click on the attendance line or a point: the meeting nearest in time."""
        if not self.meetings:
            return
        nearest = min(
            range(len(self.meetings)),
            key=lambda i: abs(_msecs(self.meetings[i].starts_at) - msecs),
        )
        self.drilled.emit(self.drills[0][nearest])

    def _hovered(self, point: QPointF, inside: bool) -> None:
        if not inside or not self.meetings:
            QToolTip.hideText()
            return
        meeting = min(self.meetings, key=lambda m: abs(_msecs(m.starts_at) - point.x()))
        QToolTip.showText(
            self.cursor().pos(),
            f"{meeting.title}, {meeting.starts_at:%d %b %Y}: {meeting.present:,} came, "
            f"{meeting.apologies:,} sent apologies",
            self,
        )

    def _replace(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()  # the view gives up the old chart without deleting it


def _new_chart(title: str, subtitle: str) -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setTitle(f"<b>{title}</b><br><small>{subtitle}</small>" if subtitle else title)
    font = QFont(chart.titleFont())
    font.setPointSizeF(max(font.pointSizeF(), 9.0))
    chart.setTitleFont(font)
    # The window's locale writes 7,513 rather than 7513; "%.0f" and "@value" follow it.
    chart.setLocale(QLocale())
    chart.setLocalizeNumbers(True)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setBackgroundRoundness(4)
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setFont(_small_font(legend.font()))
    return chart


def _small_font(font: QFont) -> QFont:
    # A size smaller than the window's: a dozen month names or ten unions then fit their
    # axis unelided in a third of a 1300-pixel window.
    small = QFont(font)
    small.setPointSizeF(_AXIS_POINTS)
    return small


def _bar_series(horizontal: bool, stacked: bool, percent: bool) -> QAbstractBarSeries:
    if percent:
        return QHorizontalPercentBarSeries()
    if stacked:
        return QHorizontalStackedBarSeries() if horizontal else QStackedBarSeries()
    return QHorizontalBarSeries() if horizontal else QBarSeries()


def _indexes(figures: Chart) -> range:
    return range(max(1, len(figures.categories)))


def _column(figures: Chart, index: int) -> list[int]:
    return [s.values[index] if index < len(s.values) else 0 for s in figures.series] or [0]


def _headroom(largest: float) -> float:
    # Room above the tallest bar for its label, and a visible axis when all are zero.
    return max(5.0, largest * 1.15)


def _msecs(moment: dt.datetime) -> float:
    return float(_qdatetime(moment).toMSecsSinceEpoch())


def _qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(moment)
