"""The dashboard: the branch at a glance, as charts that open the people behind them.

The figures are ``db.dashboard_figures`` read on a worker thread (seconds at 100,000 people,
most of it the data-quality lists), so a refresh shows the progress dialog rather than
freezing the window. The window reads them when opened, on ``refresh()`` (the main window
calls it after edits and imports), on F5, and when it is shown or brought to the front more
than ``STALE_SECONDS`` after the last reading; that last is skipped when a quick fingerprint
of the data says nothing has changed, so switching back and forth costs nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QWidget

from db.dashboard_figures import (
    DashboardFigures,
    Drill,
    DrillPeople,
    dashboard_figures,
    data_fingerprint,
    drill_people,
)
from db.database import Database
from desktop import window_state
from desktop.dashboard_layout import DashboardLayout
from desktop.dashboard_people import SHOWN, PeopleDialog
from desktop.errors import show_error
from desktop.jobs import Progress, run_job

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

STALE_SECONDS = 30.0
Reading = tuple[tuple[int, ...], DashboardFigures]


class DashboardWindow(QWidget):
    OBJECT_NAME = "dashboardWindow"
    SETTINGS_KEY = "DashboardWindow"

    def __init__(
        self, database: Database, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self._today = today
        self.figures: DashboardFigures | None = None
        self.fingerprint: tuple[int, ...] | None = None
        self.read_at: float | None = None  # time.monotonic() of the last reading
        self.people_dialog: PeopleDialog | None = None  # the latest opened, while open
        self._reading = False
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Dashboard — Branchbook")
        self.setMinimumSize(900, 600)
        self.ui = DashboardLayout(self)
        self.refresh_action = QAction("Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(lambda: self.refresh())
        self.addAction(self.refresh_action)
        self.ui.refresh_button.clicked.connect(lambda: self.refresh())
        self.ui.close_button.clicked.connect(lambda: self.close())
        for panel in self.ui.panels.values():
            panel.drilled.connect(self.open_people)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1300, 850)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # reading ---------------------------------------------------------------------------

    def refresh(self) -> DashboardFigures | None:
        """Read every figure again and redraw; the figures, or None when reading failed."""
        if self._reading:
            return None
        day = self.today

        def job(progress: Progress, _cancelled: Callable[[], bool]) -> Reading:
            with self.database.session() as session:
                progress(0, 0, "Counting the branch…")
                return data_fingerprint(session), dashboard_figures(session, day)

        self._reading = True
        try:
            outcome = run_job(self, "Reading the dashboard figures…", job, cancellable=False)
        finally:
            self._reading = False
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        reading: Reading = outcome.result
        self.fingerprint, figures = reading
        self.read_at = time.monotonic()
        self.show_figures(figures)
        return figures

    def refresh_if_changed(self) -> bool:
        """Read again when the figures are more than ``STALE_SECONDS`` old and the data (or
        the day) has changed since; whether it read."""
        if self._reading or self.figures is None or self.read_at is None:
            return False
        if time.monotonic() - self.read_at < STALE_SECONDS:
            return False
        with self.database.session() as session:
            fingerprint = data_fingerprint(session)
        if fingerprint == self.fingerprint and self.figures.today == self.today:
            self.read_at = time.monotonic()
            return False
        return self.refresh() is not None

    def show_figures(self, figures: DashboardFigures) -> None:
        self.figures = figures
        panels = self.ui.panels
        panels["statuses"].show_bars(figures.statuses, horizontal=True)
        panels["engagement"].show_bars(figures.engagement, horizontal=True)
        panels["quality"].show_bars(
            figures.quality,
            percent=True,
            colours=("#009e73", "#d55e00"),
            empty_text="Not worked out",
        )
        # Two figures a month side by side run into each other ("1 1" reads as 11): the
        # axis and a click say the numbers instead.
        panels["months"].show_bars(figures.months, labels=False)
        panels["meetings"].show_meetings(figures.meetings, figures.period.start, figures.today)
        panels["wards"].show_bars(figures.wards, horizontal=True)
        panels["priorities"].show_bars(
            figures.priorities, horizontal=True, empty_text="No choice question answered yet"
        )
        panels["unions"].show_bars(
            figures.unions, horizontal=True, empty_text="No member in a union recorded yet"
        )
        self._show_key_figures(figures)

    def _show_key_figures(self, figures: DashboardFigures) -> None:
        key = figures.key
        tiles = self.ui.tiles
        self.ui.as_of.setText(f"as at {figures.today.day} {figures.today:%B %Y}")
        tiles["people"].set_figure(f"{key.people:,}")
        tiles["members"].set_figure(f"{key.members:,}")
        tiles["joined"].set_figure(f"{key.joined:,}")
        tiles["left"].set_figure(f"{key.left:,}")
        tiles["active"].set_figure(
            _percent(key.active_members, key.members),
            f"{key.active_members:,} of {key.members:,} members are active",
        )
        tiles["attendance"].set_figure(
            "–" if key.mean_attendance is None else f"{key.mean_attendance:,.0f}",
            f"On average, over the {key.meetings} meetings of the last twelve months",
        )
        tiles["quality"].set_figure(
            _percent(key.complete_and_confirmed, key.people),
            f"{key.complete_and_confirmed:,} of {key.people:,} people have a good email "
            "address, phone number and postcode, all confirmed in the last two years",
        )

    # the people behind a bar -------------------------------------------------------------

    def open_people(self, drill: Drill) -> PeopleDialog | None:
        """The list of the people behind ``drill``, in a dialog beside the dashboard."""
        day = self.today

        def job(_progress: Progress, _cancelled: Callable[[], bool]) -> DrillPeople:
            with self.database.session() as session:
                return drill_people(session, drill, day, limit=SHOWN)

        outcome = run_job(self, "Finding the people…", job, cancellable=False)
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        dialog = PeopleDialog(self.database, drill, outcome.result, day, self)
        self.people_dialog = dialog
        window_state.show_owned(dialog, lambda: self._people_closed(dialog))
        return dialog

    def _people_closed(self, dialog: PeopleDialog) -> None:
        if self.people_dialog is dialog:
            self.people_dialog = None

    # events ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Later, not here: the reading shows a progress dialog, which must not open while
        # this window is still being shown.
        QTimer.singleShot(0, self, self.refresh_if_changed)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self, self.refresh_if_changed)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def open_dashboard(window: MainWindow) -> DashboardWindow:
    """View → Dashboard: one window, raised (and read again if stale) when already open."""
    existing = window_state.raise_open(window, DashboardWindow)
    if existing is not None:
        return existing
    dashboard = window_state.show_owned(DashboardWindow(window.database, window), lambda: None)
    dashboard.refresh()
    return dashboard
