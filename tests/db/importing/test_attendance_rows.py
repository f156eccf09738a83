"""Attendance import: the rows it cannot place come back as data a window can resolve."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.database import Database
from db.importing.attendance import RowToResolve, import_attendance
from db.meetings import NewMeeting, add_meeting, attendance_summary
from tests.db.importing.people import add, write_csv


def test_rows_to_resolve_name_the_row_and_the_people_it_could_be(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914")
        cy_member = add(session, "Cy", "Ward", number="111", postcode="LS2 8GP")
        cy_supporter = add(session, "Cy", "Ward", status="supporter", postcode="LS2 8GP")
        meeting = add_meeting(session, NewMeeting("AGM", dt.datetime(2026, 12, 3, 19, 30)))
    sheet = write_csv(
        tmp_path / "signed.csv",
        ["Name", "Postcode", "Email", "Membership number"],
        [
            {"Name": "Ann Jones", "Membership number": "0805914"},
            {"Name": "Cy Ward", "Postcode": "ls2 8gp"},
            {"Name": "Zoe New", "Email": "zoe@example.org"},
        ],
    )

    result = import_attendance(database, meeting, sheet)

    assert (result.checked_in, result.already) == (1, 0)
    with database.session() as session:
        assert [pid for pid, _name in attendance_summary(session, meeting).present] == [ann]
    assert result.to_resolve == [
        RowToResolve(
            3,
            "Cy Ward",
            (),
            None,
            (
                (cy_member, "Cy Ward (Member, no. 111, LS2 8GP)"),
                (cy_supporter, "Cy Ward (Supporter, LS2 8GP)"),
            ),
            result.ambiguous[0],
        ),
        RowToResolve(4, "Zoe New", ("zoe@example.org",), None, (), result.unmatched[0]),
    ]
