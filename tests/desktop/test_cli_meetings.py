"""``branchbook meeting``, ``checkin``, ``apologies`` and ``attendance`` on a real file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db.database import Database, open_database
from db.meetings import QR_PREFIX, NewMeeting, add_meeting, meeting_form
from db.people import NewPerson, add_person
from desktop.cli import main
from tests.db.importing.people import write_csv


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_the_door_from_the_command_line(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.session() as session:
        ann = add_person(
            session, NewPerson("Ann", "Jones", status="member", membership_number="0805914")
        )
        add_person(session, NewPerson("Bob", "Hale", status="member"))
        add_person(session, NewPerson("Ann", "Hale", status="member"))
        add_person(session, NewPerson("Ann", "Hale", status="supporter"))
    db = str(database.path)
    database.close()

    added = json.loads(
        run(
            capsys,
            "--db",
            db,
            "meeting",
            "add",
            "--title",
            "AGM",
            "--date",
            "2026-12-03",
            "--kind",
            "agm",
            "--json",
        )
    )
    meeting = str(added["id"])
    assert "AGM" in run(capsys, "--db", db, "meeting", "list")
    assert "is checked in" in run(capsys, "--db", db, "checkin", meeting, "0805914")
    assert "already checked in" in run(capsys, "--db", db, "checkin", meeting, f"{QR_PREFIX}{ann}")
    assert "Apologies recorded" in run(capsys, "--db", db, "apologies", meeting, "bob hale")

    # Two people called Ann Hale: the candidates are listed and nothing is recorded.
    assert main(["--db", db, "checkin", meeting, "Ann Hale"]) == 1
    err = capsys.readouterr().err
    assert "matches 2 people" in err and err.count("Ann Hale (id") == 2

    run(capsys, "--db", db, "meeting", "quorum", "agm", "2")
    assert "not quorate (quorum 2)" in run(capsys, "--db", db, "attendance", meeting)
    document = json.loads(run(capsys, "--db", db, "attendance", meeting, "--json"))
    assert (document["quorum"], document["quorate"]) == (2, False)
    assert [name for _, name in document["present"]] == ["Ann Jones"]
    assert [name for _, name in document["apologies"]] == ["Bob Hale"]
    assert document["absent"] == 1  # the member Ann Hale
    assert document["meeting"]["starts_at"].startswith("2026-12-03 19:30")


def test_unknown_meeting_and_bad_date(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database.path)
    database.close()
    assert main(["--db", db, "attendance", "9"]) == 1
    assert "no meeting 9" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, "meeting", "add", "--title", "X", "--date", "3rd December"])
    assert stopped.value.code == 2


def test_attendance_from_an_online_form(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.session() as session:
        add_person(session, NewPerson("Ann", "Jones", status="member", membership_number="0805914"))
        add_person(session, NewPerson("Bob", "Hale", status="member", email="bob@example.org"))
        add_person(session, NewPerson("Cy", "Ward", status="member"))
        add_person(session, NewPerson("Cy", "Ward", status="supporter"))
    db = str(database.path)
    database.close()
    form = write_csv(
        tmp_path / "form.csv",
        ["Timestamp", "Name", "Email address", "Membership number"],
        [
            {"Name": "Ann Jones", "Membership number": "0805914"},
            {"Name": "Robert Hale", "Email address": "BOB@example.org"},
            {"Name": "Cy Ward"},
            {"Name": "Zoe New", "Email address": "zoe@example.org"},
        ],
    )
    meeting = run(
        capsys, "--db", db, "meeting", "add", "--title", "Online", "--date", "2026-12-03"
    ).strip()
    out = run(capsys, "--db", db, "attendance-import", meeting, str(form))
    assert "Checked in 2; 0 were already in; 2 to resolve by hand." in out
    assert "Row 4: Cy Ward" in out and "Row 5: Zoe New" in out
    again = json.loads(run(capsys, "--db", db, "attendance-import", meeting, str(form), "--json"))
    assert (again["checked_in"], again["already"]) == (0, 2)


def test_edit_a_meeting_from_the_command_line(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.session() as session:
        meeting = add_meeting(
            session,
            NewMeeting(
                "Branch meetng",
                dt.datetime(2026, 12, 3, 19, 0),
                venue="Hall",
                ends_at=dt.datetime(2026, 12, 3, 21, 0),
            ),
        )
    db = str(database.path)
    database.close()
    edit = ["--db", db, "meeting", "edit", str(meeting)]

    # A date alone keeps the meeting's time (19:00 here, not the 19:30 'add' assumes),
    # and the end moves with the start.
    out = run(capsys, *edit, "--title", "Branch meeting", "--date", "2026-12-10")
    assert out == f"Meeting {meeting}: changed the title, start and end.\n"
    document = json.loads(run(capsys, *edit, "--kind", "agm", "--venue", "", "--json"))
    assert document["id"] == meeting
    assert document["changed"] == ["kind", "venue"]
    assert document["meeting"]["title"] == "Branch meeting"
    assert document["meeting"]["starts_at"] == "2026-12-10 19:00:00"
    assert document["meeting"]["venue"] is None
    out = run(capsys, *edit, "--date", "2026-12-10T18:45", "--json")
    assert json.loads(out)["changed"] == ["starts_at", "ends_at"]
    assert run(capsys, *edit, "--kind", "agm") == f"Meeting {meeting}: nothing to change.\n"

    reopened = open_database(Path(db), actor="tester")
    with reopened.session() as session:
        assert meeting_form(session, meeting) == NewMeeting(
            "Branch meeting",
            dt.datetime(2026, 12, 10, 18, 45),
            kind="agm",
            ends_at=dt.datetime(2026, 12, 10, 20, 45),
        )
    reopened.close()


def test_a_refused_edit_from_the_command_line_changes_nothing(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.session() as session:
        meeting = add_meeting(session, NewMeeting("AGM", dt.datetime(2026, 12, 3, 19, 30)))
        before = meeting_form(session, meeting)
    db = str(database.path)
    database.close()
    edit = ["--db", db, "meeting", "edit"]

    assert main([*edit, str(meeting), "--title", " ", "--venue", "Hall"]) == 1
    assert capsys.readouterr().err == "branchbook: A meeting needs a title.\n"
    assert main([*edit, str(meeting), "--kind", "party"]) == 1
    assert "'party' is not a kind of meeting" in capsys.readouterr().err
    assert main([*edit, "77", "--title", "X"]) == 1
    assert "There is no meeting 77" in capsys.readouterr().err
    for wrong in ([str(meeting), "--date", "3rd December"], ["not-a-number"]):
        with pytest.raises(SystemExit) as stopped:
            main([*edit, *wrong])
        assert stopped.value.code == 2
    capsys.readouterr()

    reopened = open_database(Path(db), actor="tester")
    with reopened.session() as session:
        assert meeting_form(session, meeting) == before
    reopened.close()
