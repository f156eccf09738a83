"""The Reports menu's actions: the dashboard and the printed reports. Kept out of
``main_window`` like the Mailings menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def reports_actions(window: MainWindow) -> dict[str, QAction]:
    from desktop.dashboard_window import open_dashboard
    from desktop.reports_window import open_reports

    dashboard = QAction("&Dashboard…", window)
    dashboard.setObjectName("dashboardAction")
    dashboard.setIconText("Dashboard")
    dashboard.setShortcut(QKeySequence("Ctrl+Shift+B"))
    dashboard.setStatusTip(
        "The branch at a glance: members, wards, joiners and leavers, attendance, engagement."
    )
    dashboard.triggered.connect(lambda: open_dashboard(window))
    reports = QAction("&Reports…", window)
    reports.setObjectName("reportsAction")
    reports.setShortcut(QKeySequence("Ctrl+Shift+R"))
    reports.setStatusTip(
        "Membership, attendance, activity, views and data-quality reports, and one person's "
        "full record, as PDF or Excel."
    )
    reports.triggered.connect(lambda: open_reports(window))
    return {"dashboard": dashboard, "reports": reports}
