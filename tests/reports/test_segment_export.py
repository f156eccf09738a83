"""A segment exported to xlsx reads back with its people, real dates and a filtered header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.database import Database
from db.errors import UserError
from db.models import EmailAddress, Household, Person, PhoneNumber, Ward
from reports.segment_export import COLUMNS, export_segment


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
