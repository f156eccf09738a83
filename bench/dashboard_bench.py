"""The dashboard at 100,000 people: its figures read, beside the bare SQL they run, and the
window's refresh (figures read and every chart drawn), in the same run; and the membership
report, written as a PDF, beside the bare SQL of its figures.

The bare SQL is exactly what ``dashboard_figures`` sends to SQLite, caught with sqlite3's
trace callback (which gives each statement with its values written in) during one reading,
then run again on a plain sqlite3 connection and fetched whole. The difference between the
two is everything Branchbook does besides the database: SQLAlchemy, building the rules, and
above all the data-quality lists, which check every email, phone and postcode in Python.
So the figures are also measured without the data-quality chart, beside its own bare SQL.

The demo database is copied to a temporary folder first: opening a database may migrate
it, and the figures must not be taken from a file this bench has changed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import AS_OF, PEOPLE, big_database, line, median
from db.dashboard_figures import dashboard_figures
from db.database import Database, open_database

RUNS = 3


def report(runs: int = RUNS) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="branchbook-dashboard-"))
    try:
        path = folder / "demo.sqlite3"
        shutil.copyfile(big_database(), path)
        database = open_database(path, actor="bench")
        try:
            whole, whole_sql = _figures(database, path, runs, quality=True)
            lean, lean_sql = _figures(database, path, runs, quality=False)
            window = _window_refresh(database, runs)
            report_ms, report_sql = _membership_report(database, path, folder, runs)
        finally:
            database.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    people = f"{PEOPLE:,} people"
    return [
        line(f"dashboard figures, {people}", whole, "bare SQL of the same queries", whole_sql),
        line(
            "dashboard figures without data quality",
            lean,
            "bare SQL of the same queries",
            lean_sql,
        ),
        line(
            "dashboard refresh, figures + charts drawn",
            window,
            "dashboard figures alone",
            whole,
            goal="charts add little to the reading",
        ),
        line(
            f"membership report PDF, {people}",
            report_ms,
            "bare SQL of the same queries",
            report_sql,
        ),
    ]


def _membership_report(
    database: Database, path: Path, folder: Path, runs: int
) -> tuple[float, float]:
    """The membership report for the last 12 months written as a PDF (figures, charts,
    tables, the file saved), and the bare SQL its figures ran."""
    from reports.membership_report import write_membership_report

    samples: list[float] = []
    statements: list[str] = []
    for run in range(runs):
        with database.session() as session:
            driver: Any = session.connection().connection.driver_connection
            caught: list[str] = []
            driver.set_trace_callback(caught.append)
            start = time.perf_counter()
            try:
                write_membership_report(session, folder / "membership.pdf", today=AS_OF)
                samples.append((time.perf_counter() - start) * 1000)
            finally:
                driver.set_trace_callback(None)
            session.rollback()  # its export-log line: the bench leaves the copy as it was
            if run == 0:
                statements = [sql for sql in caught if _is_query(sql)]
    bare = [_bare(path, statements) for _ in range(runs)]
    return median(samples), median(bare)


def _figures(database: Database, path: Path, runs: int, *, quality: bool) -> tuple[float, float]:
    """The median reading of the figures, and the median of the bare SQL it ran."""
    samples: list[float] = []
    statements: list[str] = []
    for run in range(runs):
        with database.session() as session:
            driver: Any = session.connection().connection.driver_connection
            caught: list[str] = []
            driver.set_trace_callback(caught.append)
            start = time.perf_counter()
            try:
                dashboard_figures(session, AS_OF, quality=quality)
                samples.append((time.perf_counter() - start) * 1000)
            finally:
                driver.set_trace_callback(None)
            if run == 0:
                statements = [sql for sql in caught if _is_query(sql)]
    bare = [_bare(path, statements) for _ in range(runs)]
    return median(samples), median(bare)


def _is_query(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def _bare(path: Path, statements: list[str]) -> float:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        for sql in statements:
            connection.execute(sql).fetchall()
        return (time.perf_counter() - start) * 1000
    finally:
        connection.close()


def _window_refresh(database: Database, runs: int) -> float:
    """``DashboardWindow.refresh()`` in an offscreen window of 1300x850, until every chart
    has been painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.app import make_application
    from desktop.dashboard_window import DashboardWindow

    make_application()
    window = DashboardWindow(database, today=AS_OF)
    window.resize(1300, 850)
    window.show()
    QApplication.processEvents()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        window.refresh()
        QApplication.processEvents()
        window.repaint()  # paints every visible chart now, not when the loop gets to it
        samples.append((time.perf_counter() - start) * 1000)
    # Hidden, not closed: closing saves the window's size into the real user's settings.
    window.hide()
    window.deleteLater()
    QApplication.processEvents()
    return median(samples)


if __name__ == "__main__":
    for text in report():
        print(text)
