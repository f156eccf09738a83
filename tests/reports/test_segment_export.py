"""A segment exported to xlsx reads back with its people, real dates and a filtered header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.database import Database
from db.errors import Cancelled, UserError
from db.models import EmailAddress, Household, Person, PhoneNumber, Ward
from reports.segment_export import COLUMNS, export_segment, export_steps


def test_export_reads_back_with_real_dates(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ward = Ward(name="Castle")
        session.add(ward)
        session.flush()
        home = Household(line1="1 Castle St", town="Cardiff", postcode="CF10 1AA", ward_id=ward.id)
        session.add(home)
        session.flush()
        sian = Person(
            first_name="Siân",
            last_name="Llŷr",
            status="member",
            membership_number="0805914",
            joined_on=dt.date(2015, 3, 1),
            household_id=home.id,
        )
        session.add_all([sian, Person(first_name="Bob", last_name="Ames", status="contact")])
        session.flush()
        session.add(EmailAddress(person_id=sian.id, address="sian@example.org", is_primary=True))
        session.add(PhoneNumber(person_id=sian.id, number="07700 900123"))
    target = tmp_path / "members.xlsx"
    with database.session() as session:
        assert export_segment(session, "Members", target) == 1
        assert export_segment(session, "Everyone", tmp_path / "all.xlsx") == 2

    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(heading for heading, _width in COLUMNS)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["First name"] == "Siân" and record["Membership number"] == "0805914"
    assert record["Status"] == "Member" and record["Ward"] == "Castle"
    assert record["Email"] == "sian@example.org" and record["Phone"] == "07700 900123"
    assert record["Address"] == "1 Castle St, Cardiff"
    assert record["Joined"] == dt.datetime(2015, 3, 1)  # a date cell, not text
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O2"
    assert record["Said no to"] is None
    everyone = [
        row[0]
        for row in load_workbook(tmp_path / "all.xlsx").active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert everyone == ["Ames", "Llŷr"]


def test_export_refuses_a_name_not_ending_in_xlsx(database: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"must end in \.xlsx"), database.session() as session:
        export_segment(session, "Members", tmp_path / "members.csv")


def test_a_channel_refused_leaves_its_detail_out_and_says_so(
    database: Database, tmp_path: Path
) -> None:
    from db.verification import set_contact_preference

    with database.session() as session:
        ann = Person(first_name="Ann", last_name="Jones", status="member")
        session.add(ann)
        session.flush()
        session.add(EmailAddress(person_id=ann.id, address="ann@example.org", is_primary=True))
        session.add(PhoneNumber(person_id=ann.id, number="07700 900124"))
        set_contact_preference(session, ann.id, "email", False, how="Asked at the door")
        set_contact_preference(session, ann.id, "post", False)
        set_contact_preference(session, ann.id, "phone", True)
    with database.session() as session:
        export_segment(session, "Members", tmp_path / "m.xlsx")
    rows = list(load_workbook(tmp_path / "m.xlsx").active.iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Email"] is None and record["Phone"] == "07700 900124"
    assert record["Said no to"] == "Email, Post"


def _people(database: Database, count: int) -> None:
    with database.session() as session:
        session.add_all(
            Person(first_name=f"Member{n:05d}", last_name="Many", status="member")
            for n in range(count)
        )


def test_the_export_is_steps_with_progress_and_the_count_it_returns(
    database: Database, tmp_path: Path
) -> None:
    _people(database, 4500)
    target = tmp_path / "members.xlsx"
    with database.session() as session:
        steps = export_steps(session, "Members", target)
        seen = []
        while True:
            try:
                seen.append(next(steps))
            except StopIteration as finished:
                assert finished.value == 4500
                break
    assert seen[0] == (0, 0, "Finding the people…")
    assert [done for done, _, _ in seen[1:]] == [2000, 4000, 4500]
    assert {total for _, total, _ in seen[1:]} == {4500}
    assert seen[-1][2] == "Writing 4,500 of 4,500 people…"
    book = load_workbook(target, read_only=True)
    try:
        rows = list(book.active.iter_rows(min_row=2, values_only=True))
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    assert len(rows) == 4500
    assert [row[1] for row in rows[:2]] == ["Member00000", "Member00001"]
    assert rows[-1][1] == "Member04499" and rows[-1][3] == "Member"


def test_a_cancel_writes_nothing_and_keeps_the_earlier_file(
    database: Database, tmp_path: Path
) -> None:
    _people(database, 4500)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "members.xlsx"
    target.write_bytes(b"last month's")
    reports: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, label: str) -> None:
        reports.append((done, total, label))

    with pytest.raises(Cancelled), database.session() as session:
        export_segment(
            session, "Members", target, progress=progress, cancelled=lambda: len(reports) >= 2
        )
    assert reports[-1][0] == 2000  # stopped half way through writing
    assert target.read_bytes() == b"last month's"
    assert [p.name for p in folder.iterdir()] == ["members.xlsx"]  # no temporary left
    with database.session() as session:
        assert export_segment(session, "Members", target, progress=progress) == 4500
    assert reports[-1] == (4500, 4500, "Writing 4,500 of 4,500 people…")


def test_awkward_text_reads_back_as_it_was(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        home = Household(line1="  Flat 1 <rear> & side\r", line2="Tŷ Gwyn\x07", town="Hay\non Wye")
        session.add(home)
        session.flush()
        session.add(
            Person(
                first_name='=HYPERLINK("x")',
                last_name="O'Neill & <Sons>",
                preferred_name=" Bo ",
                status="member",
                household_id=home.id,
                joined_on=dt.date(1899, 1, 2),
                lapsed_on=dt.date(1900, 2, 28),
            )
        )
    target = tmp_path / "odd.xlsx"
    with database.session() as session:
        assert export_segment(session, "Members", target, title="Odd: [one]/two?") == 1
    book = load_workbook(target)
    sheet = book.active
    assert sheet.title == "Odd   one  two"
    record = dict(zip(*sheet.iter_rows(values_only=True), strict=True))
    assert record["Last name"] == "O'Neill & <Sons>"
    assert record["First name"] == '=HYPERLINK("x")'  # text, not a live formula
    assert sheet["B2"].data_type == "s"
    assert record["Known as"] == " Bo "
    assert record["Address"] == "  Flat 1 <rear> & side\r, Tŷ Gwyn, Hay\non Wye"
    assert sheet["L2"].alignment.wrap_text
    assert record["Joined"] == "02/01/1899"  # Excel has no dates before 1900
    assert record["Lapsed"] == dt.datetime(1900, 2, 28)
    assert sheet["N2"].number_format == "dd/mm/yyyy"
