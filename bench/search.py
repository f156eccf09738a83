"""A keystroke in the search box to the list updated, beside the bare SQL it runs."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from bench.common import percentile
from db.people import page_select
from db.search import fts_match_expression, query_terms

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
    """The same count and first page, as plain SQL on a plain sqlite3 connection."""
    from sqlalchemy.dialects import sqlite

    from db.database import open_database

    db = open_database(database, actor="bench")
    with db.session() as session:
        statement = page_select(session, "placeholder", limit=200)
        compiled = statement.compile(dialect=sqlite.dialect())
    db.close()
    page_sql = str(compiled)
    defaults = compiled.construct_params()
    names = list(compiled.positiontup or [])
    count_sql = (
        "SELECT count(*) FROM person WHERE id IN "
        "(SELECT rowid FROM person_fts WHERE person_fts MATCH ?)"
    )
    connection = sqlite3.connect(database)
    samples: list[float] = []
    for text in keystrokes() * 2:
        match = fts_match_expression(query_terms(text))
        start = time.perf_counter()
        connection.execute(count_sql, (match,)).fetchone()
        page_params = [match if name == "match" else defaults[name] for name in names]
        connection.execute(page_sql, page_params).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    connection.close()
    return samples


def summarise(samples: list[float]) -> tuple[float, float]:
    return percentile(samples, 0.5), percentile(samples, 0.99)
