"""The door at 100,000 people: a keystroke in the check-in box to its matches shown, beside a
bare FTS5 prefix query on the same data; and people checked in per minute by typed names."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import percentile
from db.folding import fold

PREFIXES = 500
CHECK_INS = 120


def prefixes(database: Path, count: int = PREFIXES, seed: int = 4) -> list[str]:
    """``count`` 2–4 letter prefixes of real surnames and first names, as typed at a door."""
    connection = sqlite3.connect(database)
    names = [
        word
        for (first, last) in connection.execute("SELECT first_name, last_name FROM person")
        for word in fold(f"{first} {last}").split()
        if len(word) >= 2
    ]
    connection.close()
    rng = random.Random(seed)
    return [word[: rng.randint(2, 4)] for word in rng.choices(names, k=count)]


def measure_bare(database: Path, typed: list[str]) -> list[float]:
    connection = sqlite3.connect(database)
    samples = []
    for text in typed:
        start = time.perf_counter()
        connection.execute(
            "SELECT rowid FROM person_fts WHERE person_fts MATCH ? LIMIT 8", (f'"{text}"*',)
        ).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    connection.close()
    return samples


def measure_door(database: Path, typed: list[str]) -> tuple[list[float], float]:
    """Keystroke-to-matches samples, and check-ins per minute typing membership numbers."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from db.database import open_database
    from db.meetings import NewMeeting, add_meeting
    from desktop.app import make_application
    from desktop.checkin_window import CheckInWindow

    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "door.sqlite3"
        shutil.copyfile(database, copy)  # check-ins write: never into the shared file
        db = open_database(copy, actor="bench")
        with db.session() as session:
            meeting = add_meeting(session, NewMeeting("Bench AGM", dt.datetime(2026, 12, 3)))
        door = CheckInWindow(db, meeting)
        door.show()
        app.processEvents()
        samples = []
        for text in typed:
            start = time.perf_counter()
            door.search.setText(text)
            door.search_now()
            QApplication.processEvents()
            samples.append((time.perf_counter() - start) * 1000)
        door.search.clear()
        numbers = [
            number
            for (number,) in sqlite3.connect(copy).execute(
                "SELECT membership_number FROM person WHERE membership_number IS NOT NULL "
                "ORDER BY random() LIMIT ?",
                (CHECK_INS,),
            )
        ]
        start = time.perf_counter()
        for number in numbers:
            QTest.keyClicks(door.search, number)
            QTest.keyClick(door.search, Qt.Key.Key_Return)
            QApplication.processEvents()
        per_minute = len(numbers) / (time.perf_counter() - start) * 60
        checked = door.count_label.text()
        door.close()
        db.close()
    if not checked.startswith(f"{len(numbers)} present"):
        raise RuntimeError(f"the door bench checked in the wrong number of people: {checked}")
    return samples, per_minute


def summarise(samples: list[float]) -> tuple[float, float]:
    return percentile(samples, 0.5), percentile(samples, 0.99)
