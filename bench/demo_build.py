"""Building the 100,000-person demo branch, beside a bare executemany of as many rows."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import AS_OF, PEOPLE


def measure_demo(people: int = PEOPLE) -> float:
    from db.database import open_database
    from db.demo import load_demo

    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "demo.sqlite3", actor="bench")
        start = time.perf_counter()
        load_demo(database, people=people, seed=2, as_of=AS_OF)
        elapsed = (time.perf_counter() - start) * 1000
        database.close()
    return elapsed


def measure_bare_insert(people: int = PEOPLE) -> float:
    """One flat table of person-shaped rows, the floor any builder stands on."""
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "bare.sqlite3")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(
            "CREATE TABLE person (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, "
            "status TEXT, membership_number TEXT UNIQUE, sort_key TEXT, search_text TEXT)"
        )
        rows = [
            (
                i,
                f"First{i}",
                f"Last{i}",
                "member",
                f"{i:07d}",
                f"last{i} first{i}",
                f"first{i} last{i} {i:07d}",
            )
            for i in range(1, people + 1)
        ]
        start = time.perf_counter()
        with connection:
            connection.executemany("INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        elapsed = (time.perf_counter() - start) * 1000
        connection.close()
    return elapsed
