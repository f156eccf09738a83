"""The audit trail read back: each write with who, when and old → new, filtered in SQL;
exported whole to Excel; and the export log naming every file that left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from db.audit_log import AuditFilter, audit_count, audit_lines
from db.branch_settings import BranchSettings
from db.database import Database, open_database
from db.export_log import list_exports
from db.mailing_plan import plan_mailing
from db.models import Person
from reports.audit_export import audit_export_steps
from reports.mailing_output import write_letters
from reports.people_export import export_people
from reports.segment_export import export_segment
from tests.helpers.mailing_people import seed_branch


def _rename(database: Database, person_id: int, first: str) -> None:
    with database.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.first_name = first


def test_each_edit_reads_back_with_who_and_old_to_new(database: Database, tmp_path: Path) -> None:
    branch = seed_branch(database)
    siân = branch["Siân Llŷr-Jones"]
    _rename(database, siân, "Sian")
    other = open_database(database.url.database, actor="treasurer")
    try:
        _rename(other, siân, "Siân")
    finally:
        other.close()
    with database.session() as session:
        everything = audit_count(session)
        about_her = audit_lines(session, AuditFilter(person_id=siân))
        by_treasurer = audit_lines(session, AuditFilter(actor="treasurer"))
        found = audit_lines(session, AuditFilter(text="wójcik"))
        future = audit_count(session, AuditFilter(since=dt.datetime(2999, 1, 1)))
    assert everything > 8  # eight people, their households, preferences, two renames
    assert about_her[0].detail == "first name: Sian → Siân" and about_her[0].actor == "treasurer"
    assert about_her[1].detail == "first name: Siân → Sian" and about_her[1].actor == "tester"
    assert about_her[0].person == "Siân Llŷr-Jones" and about_her[0].what == "person"
    assert [line.detail for line in by_treasurer] == ["first name: Sian → Siân"]
    assert {line.person for line in found} == {"Łukasz Wójcik", "Agnieszka Wójcik"}
    assert future == 0


def test_the_trail_exports_whole_and_every_export_is_logged(
    database: Database, tmp_path: Path
) -> None:
    seed_branch(database)
    with database.session() as session:
        export_people(session, tmp_path / "people.xlsx")
        export_segment(session, "Members", tmp_path / "members.xlsx")
        plan = plan_mailing(session, template_name="Hello", body="Hello.", segment="Everyone")
        write_letters(session, plan, BranchSettings(), tmp_path / "letters.pdf")
        lines = audit_count(session)
    trail = tmp_path / "trail.xlsx"
    with database.session() as session:
        steps = audit_export_steps(session, trail)
        while True:
            try:
                next(steps)
            except StopIteration as finished:
                assert finished.value == lines
                break
    sheet = openpyxl.load_workbook(trail).worksheets[0]
    assert sheet.max_row == lines + 1 and sheet.freeze_panes == "A2"
    assert isinstance(sheet["A2"].value, dt.datetime)
    with database.session() as session:
        logged = list_exports(session)
    assert [
        (line.kind, Path(line.file_name).name, line.segment, line.people) for line in logged
    ] == [
        ("audit trail", "trail.xlsx", None, 0),
        ("letters", "letters.pdf", "Everyone", 6),
        ("segment export", "members.xlsx", "Members", 4),
        ("people export", "people.xlsx", None, 8),
    ]
    assert all(line.actor == "tester" for line in logged)
