"""The dashboard on the demo branch: each chart shows its figures, a click lists the people
behind the bar (as many as a direct count finds), and it reads again when the data changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QXYSeries
from PySide6.QtCore import QDateTime, QPointF, Qt
from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot

from db.dashboard_figures import Chart, dashboard_figures, drill_count
from db.database import Database
from db.models import Attendance, Person
from db.segments import count_segment
from desktop import dashboard_window
from desktop.dashboard_charts import ChartPanel
from desktop.dashboard_people import PeopleDialog, PeopleModel
from desktop.dashboard_window import DashboardWindow, open_dashboard
from desktop.main_window import MainWindow

TODAY = dt.date(2026, 11, 1)  # the demo branch's own day


@pytest.fixture
def dashboard(demo_database: Database, qtbot: QtBot) -> DashboardWindow:
    shown = DashboardWindow(demo_database, today=TODAY)
    qtbot.addWidget(shown)
    shown.resize(1300, 850)
    shown.show()
    qtbot.waitExposed(shown)
    assert shown.refresh() is not None
    return shown


def bar_series(panel: ChartPanel) -> QAbstractBarSeries:
    (series,) = panel.chart().series()
    assert isinstance(series, QAbstractBarSeries)
    return series


def drawn(panel: ChartPanel) -> tuple[list[str], dict[str, list[int]]]:
    """The categories top down (or left to right) and each set's values in that order."""
    series = bar_series(panel)
    (axis,) = [a for a in series.attachedAxes() if isinstance(a, QBarCategoryAxis)]
    categories = list(axis.categories())
    values = {s.label(): [round(s.at(i)) for i in range(s.count())] for s in series.barSets()}
    if series.type() in (
        QAbstractBarSeries.SeriesType.SeriesTypeHorizontalBar,
        QAbstractBarSeries.SeriesType.SeriesTypeHorizontalPercentBar,
        QAbstractBarSeries.SeriesType.SeriesTypeHorizontalStackedBar,
    ):
        categories.reverse()
        values = {name: shown[::-1] for name, shown in values.items()}
    return categories, values


def expected(chart: Chart) -> tuple[list[str], dict[str, list[int]]]:
    return list(chart.categories), {s.name: s.values for s in chart.series}


def test_each_chart_shows_its_figures(dashboard: DashboardWindow, demo_database: Database) -> None:
    with demo_database.session() as session:
        figures = dashboard_figures(session, TODAY)
    assert dashboard.figures == figures
    panels = dashboard.ui.panels
    for name in ("statuses", "wards", "months", "engagement", "priorities", "unions", "quality"):
        assert drawn(panels[name]) == expected(getattr(figures, name)), name
    assert drawn(panels["statuses"])[0] == [
        "Member",
        "Lapsed member",
        "Supporter",
        "Contact",
        "Guest",
    ]
    line, points = panels["meetings"].chart().series()
    assert isinstance(line, QXYSeries) and isinstance(points, QXYSeries)
    assert [round(p.y()) for p in line.points()] == [m.present for m in figures.meetings]
    assert len(figures.meetings) > 5
    tiles = dashboard.ui.tiles
    assert tiles["people"].figure.text() == "400"
    assert tiles["members"].figure.text() == f"{figures.key.members:,}"
    assert dashboard.ui.as_of.text() == "as at 1 November 2026"


def test_a_click_on_a_bar_lists_the_people_behind_it(
    dashboard: DashboardWindow, demo_database: Database, qtbot: QtBot
) -> None:
    series = bar_series(dashboard.ui.panels["statuses"])
    (people,) = series.barSets()
    people.clicked.emit(people.count() - 1)  # the top bar (they count up): members
    dialog = dashboard.people_dialog
    assert isinstance(dialog, PeopleDialog)
    qtbot.addWidget(dialog)
    with demo_database.session() as session:
        members = count_segment(session, {"rule": "status", "in": ["member"]}, TODAY)
    assert dialog.people.count == members == dialog.model.rowCount()
    assert dialog.windowTitle() == "Members — Branchbook"
    assert dialog.count_label.text() == f"{members} people."
    assert {row.status for row in dialog.people.rows} == {"member"}
    assert dialog.export_button.isEnabled()


def test_every_bar_of_the_wards_chart_counts_as_drawn(
    dashboard: DashboardWindow, demo_database: Database, qtbot: QtBot
) -> None:
    series = bar_series(dashboard.ui.panels["wards"])
    with demo_database.session() as session:
        for bar_set in series.barSets():
            for index in range(bar_set.count()):
                bar_set.clicked.emit(index)
                dialog = dashboard.people_dialog
                assert dialog is not None
                qtbot.addWidget(dialog)
                assert dialog.people.count == round(bar_set.at(index)), dialog.drill.title
                assert drill_count(session, dialog.drill, TODAY) == dialog.people.count
                dialog.close()


def test_a_click_on_the_attendance_line_lists_who_came(
    dashboard: DashboardWindow, demo_database: Database, qtbot: QtBot
) -> None:
    assert dashboard.figures is not None
    meeting = dashboard.figures.meetings[3]
    panel = dashboard.ui.panels["meetings"]
    _line, points = panel.chart().series()
    assert isinstance(points, QXYSeries)
    # A little off the point, as a hand clicks: the nearest meeting is the one meant.
    at = QDateTime(meeting.starts_at).toMSecsSinceEpoch() + 3_600_000
    points.clicked.emit(QPointF(float(at), float(meeting.present)))
    dialog = dashboard.people_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    with demo_database.session() as session:
        came = (
            session.query(Attendance)
            .filter_by(meeting_id=meeting.meeting_id, status="present")
            .count()
        )
    assert dialog.people.count == meeting.present == came
    assert not dialog.export_button.isEnabled()  # no segment rule says "came to this one"


def test_a_click_on_data_quality_lists_the_people_to_put_right(
    dashboard: DashboardWindow, qtbot: QtBot
) -> None:
    series = bar_series(dashboard.ui.panels["quality"])
    fine, wrong = series.barSets()
    assert (fine.label(), wrong.label()) == ("Fine", "To put right")
    wrong.clicked.emit(wrong.count() - 1)  # the top bar: email addresses
    dialog = dashboard.people_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.drill.title == "Email address: to put right"
    assert dialog.people.count == round(wrong.at(wrong.count() - 1)) > 0


def test_refresh_after_adding_a_person_changes_the_status_chart(
    dashboard: DashboardWindow, demo_database: Database
) -> None:
    before = drawn(dashboard.ui.panels["statuses"])[1]["People"]
    with demo_database.session() as session:
        session.add(Person(first_name="Siân", last_name="Llŷr", status="guest"))
    dashboard.refresh()
    after = drawn(dashboard.ui.panels["statuses"])[1]["People"]
    assert after == [*before[:4], before[4] + 1]
    assert dashboard.ui.tiles["people"].figure.text() == "401"


def test_f5_reads_again(dashboard: DashboardWindow, qtbot: QtBot) -> None:
    first = dashboard.figures
    # The key is the action's; triggering it stands for the key, which offscreen Qt only
    # delivers to the active window (not reliably this one, after the other tests' windows).
    assert dashboard.refresh_action.shortcut().toString() == "F5"
    assert dashboard.refresh_action in dashboard.actions()
    dashboard.refresh_action.trigger()
    assert dashboard.figures is not None and dashboard.figures is not first


def test_coming_back_reads_again_only_when_stale_and_changed(
    dashboard: DashboardWindow, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not dashboard.refresh_if_changed()  # just read
    assert dashboard.read_at is not None
    dashboard.read_at -= dashboard_window.STALE_SECONDS + 1
    assert not dashboard.refresh_if_changed()  # stale, but nothing changed
    dashboard.read_at -= dashboard_window.STALE_SECONDS + 1
    with demo_database.session() as session:
        person = session.query(Person).filter_by(status="supporter").first()
        assert person is not None
        person.status = "member"  # an edit, not an addition: the versions say so
    assert dashboard.refresh_if_changed()
    assert not dashboard.refresh_if_changed()


def test_people_model_and_export(
    dashboard: DashboardWindow, qtbot: QtBot, qtmodeltester: Any, tmp_path: Path
) -> None:
    series = bar_series(dashboard.ui.panels["wards"])
    members = series.barSets()[0]
    members.clicked.emit(members.count() - 1)  # the top ward's members
    dialog = dashboard.people_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert isinstance(dialog.model, PeopleModel)
    assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    path = dialog.export(tmp_path / "ward.xlsx")
    assert path is not None
    book = load_workbook(path, read_only=True)
    try:
        rows = sum(1 for _ in book.worksheets[0].iter_rows())
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    assert rows - 1 == dialog.people.count  # less the header


def test_open_dashboard_keeps_one_window(window: MainWindow, qtbot: QtBot) -> None:
    first = open_dashboard(window)
    assert first.figures is not None
    assert open_dashboard(window) is first
    first.close()


def test_the_reports_menu_and_toolbar_open_the_dashboard(
    demo_database: Database, qtbot: QtBot
) -> None:
    from PySide6.QtGui import QAction

    from desktop.main_window import MainWindow

    main = MainWindow(demo_database)
    qtbot.addWidget(main)
    main.show()
    action = main.findChild(QAction, "dashboardAction")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+B"
    toolbar = [a.text() for a in main.findChild(QToolBar, "mainToolbar").actions()]
    assert "&Dashboard…" in toolbar
    action.trigger()
    shown = [w for w in main.findChildren(DashboardWindow) if w.isVisible()]
    assert len(shown) == 1 and shown[0].figures is not None
    action.trigger()  # the same window, raised
    assert len([w for w in main.findChildren(DashboardWindow) if w.isVisible()]) == 1
    shown[0].close()
