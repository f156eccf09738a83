"""A keystroke in the search box to the list updated, beside the bare SQL it runs."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text as text_

from bench.common import percentile
from db.people import page_select
from db.search import Plan, choose_plan, fts_match_expression, query_terms
from desktop.people_table_model import PAGE_SIZE

# What a secretary types at the door, one keystroke at a time.
TYPED = [
    "sian llyr",
    "lukasz",
    "smith",
    "obrien",
    "ls6 2",
    "0805",
    "jones a",
    "patel",
    "m",
    "nguyen",
    "williams",
    "odegaard",
    "ahmed",
    "brown j",
    "evans",
]


def keystrokes() -> list[str]:
    return [word[:i] for word in TYPED for i in range(1, len(word) + 1)]


def measure_window(database: Path) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from db.database import open_database
    from desktop.app import make_application
    from desktop.main_window import MainWindow

    app = make_application()
    db = open_database(database, actor="bench")
    window = MainWindow(db)
    window.show()
    app.processEvents()
    samples: list[float] = []
    for text in keystrokes() * 2:
        start = time.perf_counter()
        window.search.setText(text)
        QApplication.processEvents()
        samples.append((time.perf_counter() - start) * 1000)
        window.search.clear()
        QApplication.processEvents()
    window.close()
    db.close()
    return samples


def measure_bare_sql(database: Path) -> list[float]:
    """The same count and first page, as plain SQL on a plain sqlite3 connection.

    The SQL text of each plan is rendered before the clock starts; the clock sees the count,
    the plan choice and the page query, which is the work the window cannot avoid.
    """
    from sqlalchemy.dialects import sqlite

    from db.database import open_database

    typed = keystrokes() * 2
    db = open_database(database, actor="bench")
    rendered: dict[str, dict[Plan, str]] = {}
    with db.session() as session:
        population = int(session.scalar(text_("SELECT max(id) FROM person")) or 0)
        for query in set(typed):
            rendered[query] = {
                plan: str(
                    page_select(session, query, limit=PAGE_SIZE, plan=plan).compile(
                        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
                    )
                )
                for plan in Plan
            }
    db.close()
    count_sql = "SELECT count(*) FROM person_fts WHERE person_fts MATCH ?"
    connection = sqlite3.connect(database)
    samples: list[float] = []
    for query in typed:
        match = fts_match_expression(query_terms(query))
        start = time.perf_counter()
        (count,) = connection.execute(count_sql, (match,)).fetchone()
        plan = choose_plan(count, population)
        connection.execute(rendered[query][plan]).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    connection.close()
    return samples


def summarise(samples: list[float]) -> tuple[float, float]:
    return percentile(samples, 0.5), percentile(samples, 0.99)
