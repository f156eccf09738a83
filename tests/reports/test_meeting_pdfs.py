"""Meeting PDFs parsed back: the sign-in sheet (every member, their code, names beyond
ASCII) and the attendance and participation record for the minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from db.database import Database
from db.meeting_ledger import add_agenda_item, record_contribution
from db.meetings import QR_PREFIX, NewMeeting, add_meeting, record_apologies
from db.people import NewPerson, add_person
from reports.attendance_record import write_attendance_record
from reports.signin_sheet import write_signin_sheet


def test_sheet_lists_members_with_codes(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        lukasz = add_person(session, NewPerson("Łukasz", "Wiśniewski", status="member"))
        add_person(session, NewPerson("Llŷr", "Nguyễn", status="member"))
        add_person(session, NewPerson("Sue", "Porter", status="supporter"))
        for n in range(40):  # enough for a second page
            add_person(session, NewPerson(f"Member{n}", "Zed", status="member"))
        meeting = add_meeting(
            session, NewMeeting("Branch meeting", dt.datetime(2026, 12, 3, 19, 30), venue="Hall")
        )
    output = tmp_path / "sheet.pdf"
    with database.session() as session:
        assert write_signin_sheet(session, meeting, output) == 42
    reader = PdfReader(output)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3
    assert "Wiśniewski, Łukasz" in text and "Nguyễn, Llŷr" in text
    assert f"{QR_PREFIX}{lukasz}" in text
    assert "Porter" not in text  # supporters are not expected
    assert "Branch meeting — Thursday 03 December 2026, 19:30" in text
    assert "Hall · Sign-in sheet · page 1" in text
    assert "Guests and new supporters" in text
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("DejaVuSans" in name for name in fonts)  # embedded, not Helvetica


def test_attendance_record_for_the_minutes(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Łukasz", "Wiśniewski", status="member"))
        bob = add_person(session, NewPerson("Bob", "Hale", status="member"))
        add_person(session, NewPerson("Cy", "Ward", status="member"))
        meeting = add_meeting(session, NewMeeting("AGM", dt.datetime(2026, 12, 3, 19, 30)))
        motion = add_agenda_item(session, meeting, "Motion 1", motion_text="We resolve")
        record_contribution(session, meeting, ann, "proposed", agenda_item_id=motion, note="M1")
        record_apologies(session, meeting, bob)
    output = tmp_path / "record.pdf"
    with database.session() as session:
        write_attendance_record(session, meeting, output)
    text = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    assert "Present (1)" in text and "Łukasz Wiśniewski" in text
    assert "Apologies (1)" in text and "Bob Hale" in text
    assert "Members absent without apologies: 1" in text
    assert "Motion 1" in text and "Proposed a motion (M1)" in text
