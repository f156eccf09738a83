"""A door laptop that dies mid-meeting (a crash, a flat battery) loses nothing checked in."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from db.database import Database, open_database
from db.meetings import NewMeeting, add_meeting, attendance_summary
from db.people import NewPerson, add_person

DOOR = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from db.database import open_database
    from desktop.app import make_application
    from desktop.checkin_window import CheckInWindow

    app = make_application()
    database = open_database(sys.argv[1], actor="door")
    door = CheckInWindow(database, int(sys.argv[2]))
    door.show()
    for number in ("100001", "100003"):
        QTest.keyClicks(door.search, number)
        QTest.keyClick(door.search, Qt.Key.Key_Return)
    print(door.count_label.text(), flush=True)
    app.exec()  # still open at the door when the power goes
    """
)


def test_check_ins_survive_the_door_process_being_killed(database: Database) -> None:
    with database.session() as session:
        for first, number in [("Ann", "100001"), ("Bea", "100002"), ("Cal", "100003")]:
            add_person(session, NewPerson(first, "Jones", "member", membership_number=number))
        meeting = add_meeting(session, NewMeeting("AGM", dt.datetime(2026, 12, 3, 19, 30)))
    path = database.path
    assert path is not None
    database.close()
    with subprocess.Popen(
        [sys.executable, "-c", DOOR, str(path), str(meeting)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    ) as door:
        try:
            assert door.stdout is not None
            assert door.stdout.readline().strip() == "2 present"
        finally:
            door.kill()  # no clean shutdown: nothing gets a chance to commit late
            door.wait(timeout=30)
    reopened = open_database(path, actor="officer")
    try:
        with reopened.session() as session:
            present = [name for _pid, name in attendance_summary(session, meeting).present]
    finally:
        reopened.close()
    assert present == ["Ann Jones", "Cal Jones"]
