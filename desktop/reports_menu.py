"""The Reports menu's actions: the dashboard (and the printed reports once they have a
window). Kept out of ``main_window`` like the Mailings menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def reports_actions(window: MainWindow) -> dict[str, QAction]:
    from desktop.dashboard_window import open_dashboard

    dashboard = QAction("&Dashboard…", window)
    dashboard.setObjectName("dashboardAction")
    dashboard.setIconText("Dashboard")
    dashboard.setShortcut(QKeySequence("Ctrl+Shift+B"))
    dashboard.setStatusTip(
        "The branch at a glance: members, wards, joiners and leavers, attendance, engagement."
    )
    dashboard.triggered.connect(lambda: open_dashboard(window))
    return {"dashboard": dashboard}
