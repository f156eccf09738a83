"""Erasure: a person's details gone from every table and from the file's bytes, the
meetings' figures unchanged, the erasure itself on record, and all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.attendance_figures import attendance_figures
from db.database import Database
from db.door import quorum
from db.erasure import erase_people, erasure_preview, list_erasures
from db.errors import Cancelled, NotFound, UserError
from db.export_log import list_exports, record_export
from db.importing.workflow import ImportOptions, prepare_import, run_import
from db.meetings import attendance_summary, list_meetings
from db.models import (
    Activity,
    Attendance,
    AuditEntry,
    Contribution,
    EmailAddress,
    Household,
    Meeting,
    Person,
    PersonTag,
    Tag,
)
from tests.db.importing.people import write_csv
from tests.helpers.checks import dump_tables

# Words found nowhere else in the demo branch, so finding any of them anywhere is a leak.
SECRETS = ("zzyzxquat", "zyzzogeton", "ls9 9zz", "07700 900777")
HEADER = [
    "Membership Number",
    "First Name",
    "Last Name",
    "Address Line 1",
    "Town",
    "Postcode",
    "Email",
    "Mobile",
    "Joined",
    "Status",
]
QUILLA = {
    "Membership Number": "0999001",
    "First Name": "Quilla",
    "Last Name": "Zzyzxquat",
    "Address Line 1": "7 Zyzzogeton Lane",
    "Town": "Leeds",
    "Postcode": "ls9 9zz",
    "Email": "quilla.zzyzxquat@example.org",
    "Mobile": "7700900777",
    "Joined": "01/02/2020",
    "Status": "Member",
}


def _import(database: Database, path: Path, *rows: dict[str, str]) -> None:
    today = dt.date(2026, 11, 1)
    found = prepare_import(database, write_csv(path, HEADER, rows), today=today)
    run_import(database, found, ImportOptions(today=today))


def _quilla(database: Database, tmp_path: Path) -> int:
    """Quilla, imported from a list, then known to the branch in every way it records."""
    _import(database, tmp_path / "list.csv", QUILLA)
    with database.session() as session:
        person = session.scalars(select(Person).where(Person.membership_number == "0999001")).one()
        person.notes = "Zzyzxquat asked about the AGM"
        person.last_name = "Zzyzxquat-Smith"  # an audit line holding old and new
        meetings = session.scalars(select(Meeting).order_by(Meeting.starts_at).limit(3)).all()
        session.add(Attendance(meeting_id=meetings[0].id, person_id=person.id, status="present"))
        session.add(Attendance(meeting_id=meetings[1].id, person_id=person.id, status="apologies"))
        session.add(
            Contribution(meeting_id=meetings[0].id, person_id=person.id, kind="spoke", note="x")
        )
        session.add(Activity(person_id=person.id, kind="leafleting", done_on=dt.date(2026, 6, 1)))
        tag = session.scalars(select(Tag)).first() or Tag(name="Helper")
        session.add(tag)
        session.flush()
        session.add(PersonTag(person_id=person.id, tag_id=tag.id))
        # Her subject access request, saved under her name; and a file about nobody.
        record_export(session, "personal record", Path("/sec/SAR Quilla Zzyzxquat-Smith.pdf"), 1)
        record_export(session, "letters", Path("/sec/AGM letters.pdf"), 300)
        return person.id


def _figures(database: Database) -> dict[str, Any]:
    with database.session() as session:
        figures = attendance_figures(session, dt.date(2000, 1, 1), dt.date(2030, 1, 1))
        meetings = list_meetings(session)
        first = meetings[-1].id
        return {
            # Not the members absent: an erased member is no longer among the members expected,
            # as membership counts for past dates drop too — only attendance is kept.
            "per meeting": [(m.present, m.apologies) for m in figures.meetings],
            "attendances": figures.attendances,
            "listed": [(m.present, m.apologies) for m in meetings],
            "quorum": quorum(session, first).present,
            "summary": (
                attendance_summary(session, first).present_count,
                attendance_summary(session, first).apologies_count,
            ),
        }


def _leaks(database: Database) -> list[str]:
    found = []
    for table, rows in dump_tables(database).items():
        for row in rows:
            text = repr(row).lower()
            found += [f"{table}: {word}" for word in SECRETS if word in text]
    return found


def test_every_trace_goes_and_the_meetings_still_add_up(
    demo_database: Database, tmp_path: Path
) -> None:
    pid = _quilla(demo_database, tmp_path)
    before = _figures(demo_database)
    assert _leaks(demo_database)  # the test would see them if they stayed
    with demo_database.session() as session:
        preview = erasure_preview(session, [pid])
        people_before = session.scalar(select(func.count()).select_from(Person))
    assert preview["person"] == 1 and preview["attendance"] == 2
    assert preview["contribution"] == 1 and preview["activity"] == 1

    done = erase_people(demo_database, [pid], "Asked to be forgotten (email of 3 Nov)")

    assert _leaks(demo_database) == []
    assert _figures(demo_database) == before
    assert done.people == 1 and done.anonymous_attendance == 2 and done.households == 1
    assert done.removed["attendance"] == 2 and done.removed["import_change"] >= 1
    assert done.removed["export_log"] == 1
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == people_before - 1
        erase_line = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
        assert erase_line.summary is not None and "Asked to be forgotten" in erase_line.summary
        # The person's own lines stay as a shape (when, what kind of change) with no words.
        scrubbed = session.scalars(
            select(AuditEntry).where(
                AuditEntry.summary == f"Details removed by erasure {done.erasure_id}."
            )
        ).all()
        assert scrubbed and all(a.changes is None and a.person_id is None for a in scrubbed)
        (record,) = list_erasures(session)
        files = [line.file_name for line in list_exports(session)]
    assert (record.people, record.reason) == (1, "Asked to be forgotten (email of 3 Nov)")
    assert sorted(files) == [
        f"(a file name removed by erasure {done.erasure_id})",
        "/sec/AGM letters.pdf",
    ]
    assert record.removed == done.removed and record.actor == "tester"


def test_the_file_itself_no_longer_holds_the_words(demo_database: Database, tmp_path: Path) -> None:
    pid = _quilla(demo_database, tmp_path)
    erase_people(demo_database, [pid], "Retention review")
    assert demo_database.path is not None
    raw = b"".join(
        path.read_bytes()
        for path in demo_database.path.parent.iterdir()
        if path.name.startswith(demo_database.path.name)
    ).lower()
    assert [word for word in SECRETS if word.encode() in raw] == []


def test_a_shared_address_stays_with_who_still_lives_there(
    database: Database, tmp_path: Path
) -> None:
    partner = {**QUILLA, "Membership Number": "0999002", "First Name": "Rab", "Email": ""}
    partner["Mobile"] = ""
    _import(database, tmp_path / "list.csv", QUILLA, partner)
    with database.session() as session:
        quilla, rab = (
            session.scalars(select(Person).where(Person.membership_number == n)).one()
            for n in ("0999001", "0999002")
        )
        assert quilla.household_id == rab.household_id is not None
        quilla_id, household_id = quilla.id, quilla.household_id

    done = erase_people(database, [quilla_id], "Moved away, asked to be removed")

    assert done.households == 0
    with database.session() as session:
        assert session.get(Household, household_id) is not None
        assert session.get(Person, quilla_id) is None
        assert session.scalars(select(EmailAddress.address)).all() == []


def test_a_failure_half_way_leaves_everything_as_it_was(
    demo_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _quilla(demo_database, tmp_path)
    before = dump_tables(demo_database)

    def fail(*_args: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr("db.erasure._remove_empty_households", fail)
    with pytest.raises(OSError):
        erase_people(demo_database, [pid], "Retention review")
    assert dump_tables(demo_database) == before


def test_many_at_once_is_one_erasure(demo_database: Database) -> None:
    with demo_database.session() as session:
        guests = session.scalars(select(Person.id).where(Person.status == "guest")).all()
        counted = session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.person_id.in_(guests))
        )
    before = _figures(demo_database)
    seen: list[tuple[int, int]] = []

    done = erase_people(
        demo_database,
        guests,
        "Guests not seen for three years",
        progress=lambda a, b: seen.append((a, b)),
    )

    assert done.people == len(guests) > 1 and done.anonymous_attendance == counted
    assert seen[-1] == (len(guests), len(guests))
    assert _figures(demo_database) == before
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).where(Person.status == "guest")) == 0
        assert len(list_erasures(session)) == 1
        assert json.loads(json.dumps(list_erasures(session)[0].removed))["person"] == len(guests)


def test_cancelling_erases_nobody(demo_database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.erasure._CHUNK", 100)
    with demo_database.session() as session:
        everyone = session.scalars(select(Person.id)).all()
    before = dump_tables(demo_database)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # after the first 100 people are gone, inside the transaction

    with pytest.raises(Cancelled):
        erase_people(demo_database, everyone, "Whole branch", cancelled=cancelled)
    assert len(asked) == 2
    assert dump_tables(demo_database) == before


@pytest.mark.parametrize(
    ("ids", "reason", "error", "words"),
    [
        ([], "x", UserError, "Nobody was chosen"),
        ([1], "  ", UserError, "Say why"),
        ([1], "x" * 501, UserError, "too long"),
        ([987654], "x", NotFound, "no person with id 987654"),
    ],
)
def test_refusals_are_one_sentence_and_change_nothing(
    demo_database: Database, ids: list[int], reason: str, error: type[Exception], words: str
) -> None:
    before = dump_tables(demo_database)
    with pytest.raises(error, match=words):
        erase_people(demo_database, ids, reason)
    assert dump_tables(demo_database) == before
