"""The dashboard's widgets, laid out; what they do is ``desktop.dashboard_window``.

Three columns of charts under a strip of key figures, inside a scroll area: on a 1366x768
laptop the bottom row scrolls into view rather than every chart being squeezed unreadable.
The wards chart is two rows tall because it holds a pair of bars for every ward.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.dashboard_charts import ChartPanel

# (attribute, row, column, rows spanned)
PLACES: tuple[tuple[str, int, int, int], ...] = (
    ("statuses", 0, 0, 1),
    ("engagement", 0, 1, 1),
    ("quality", 0, 2, 1),
    ("months", 1, 0, 1),
    ("meetings", 1, 1, 1),
    ("wards", 1, 2, 2),
    ("priorities", 2, 0, 1),
    ("unions", 2, 1, 1),
)
TILES = (
    ("people", "people"),
    ("members", "members"),
    ("joined", "joined in 12 months"),
    ("left", "left in 12 months"),
    ("active", "members active"),
    ("attendance", "came per meeting"),
    ("quality", "have every detail confirmed"),
)


class Tile(QFrame):
    """A key figure: the number large, what it counts underneath."""

    def __init__(self, name: str, caption: str) -> None:
        super().__init__()
        self.setObjectName(f"{name}Tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.figure = QLabel("–")
        self.figure.setObjectName(f"{name}Figure")
        font = self.figure.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.figure.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        # Side by side: one line of height, so the charts keep the room.
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(6)
        layout.addWidget(self.figure)
        layout.addWidget(self.caption, 1)

    def set_figure(self, text: str, tooltip: str = "") -> None:
        self.figure.setText(text)
        self.setToolTip(tooltip)


class DashboardLayout:
    """Builds the window's widgets onto ``window`` and keeps them as attributes."""

    def __init__(self, window: QWidget) -> None:
        self.heading = QLabel("<b>The branch at a glance</b>")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.as_of = QLabel()
        self.as_of.setObjectName("dashboardAsOf")
        self.hint = QLabel("Click a bar or a point to see the people behind it.")
        self.hint.setEnabled(False)  # greyed: a hint, not a figure
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.setToolTip("Read the figures again (F5)")
        self.close_button = QPushButton("Close")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.as_of)
        top.addStretch(1)
        top.addWidget(self.hint)
        top.addSpacing(12)
        top.addWidget(self.refresh_button)
        top.addWidget(self.close_button)

        self.tiles = {name: Tile(name, caption) for name, caption in TILES}
        strip = QHBoxLayout()
        strip.setSpacing(6)
        for tile in self.tiles.values():
            strip.addWidget(tile, 1)

        self.panels: dict[str, ChartPanel] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        for name, row, column, rows in PLACES:
            panel = ChartPanel(f"{name}Chart")
            self.panels[name] = panel
            grid.addWidget(panel, row, column, rows, 1)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        charts = QWidget()
        charts.setLayout(grid)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(charts)

        layout = QVBoxLayout(window)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addLayout(strip)
        layout.addWidget(self.scroll, 1)
