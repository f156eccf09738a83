"""Exporting people: a workbook Excel users can work with, that imports back unchanged.

Files are written to disk and read back with openpyxl and python-calamine (the importer's
own reader), and the round trip goes through the real import: prepare_import, run_import.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from db.database import Database
from db.errors import Cancelled, UserError
from db.importing.candidate_values import clean_status
from db.importing.columns import recognise
from db.importing.workflow import prepare_import, run_import
from db.models import EmailAddress, Household, Person, PhoneNumber
from db.models.vocabulary import PERSON_STATUS_LABELS, PERSON_STATUSES
from reports.people_export import COLUMNS, export_people

# After the demo's as_of day (2026-11-01): the importer refuses joining dates in the future.
TODAY = dt.date(2026, 11, 27)
HEADERS = [column.header for column in COLUMNS]
# What the import records about itself; everything else must be exactly as it was.
IMPORT_RECORDS = {"import_batch", "import_change", "import_source", "audit_entry"}


def export(database: Database, path: Path, **options: Any) -> int:
    with database.session() as session:
        return export_people(session, path, **options)


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but the import's own records (the search index's too), each row as the
    driver returns it; sorted, since some of the index's tables have no rowid to order by."""
    with database.session() as session:
        connection = session.connection()
        names = [
            name
            for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name not in IMPORT_RECORDS
        ]
        return {
            name: sorted(
                (tuple(row) for row in connection.exec_driver_sql(f'SELECT * FROM "{name}"')),
                key=repr,
            )
            for name in names
        }


def column(name: str) -> int:
    return HEADERS.index(name)


def sheet_rows(path: Path) -> list[list[Any]]:
    """The sheet as python-calamine, the importer's reader, hands it over."""
    with CalamineWorkbook.from_path(path) as workbook:
        assert workbook.sheet_names == ["People"]
        rows: list[list[Any]] = workbook.get_sheet_by_name("People").to_python()
    return rows


def row_of(rows: list[list[Any]], first: str, last: str) -> list[Any]:
    found = [
        row
        for row in rows
        if row[column("First Name")] == first and row[column("Last Name")] == last
    ]
    assert len(found) == 1, found
    return found[0]


def round_trip(database: Database, path: Path) -> dict[str, int]:
    """Import ``path`` into ``database``; the counts of what happened, with nothing rejected."""
    prepared = prepare_import(database, path, today=TODAY)
    assert [problem.sentence() for problem in prepared.candidates.problems] == []
    _plan, result = run_import(database, prepared)
    return result.counts


NOTHING_CHANGED = {
    "created": 0,
    "updated": 0,
    "lapsed": 0,
    "ambiguous": 0,
    "duplicate": 0,
    "left_out": 0,
    "conflicts": 0,
    "rejected": 0,
}


def test_the_importer_recognises_every_header() -> None:
    mapping = recognise(HEADERS)
    assert mapping.fields == (
        "membership_number",
        "title",
        "first_name",
        "middle_names",
        "last_name",
        "preferred_name",
        "address_line1",
        "address_line2",
        "address_line3",
        "town",
        "county",
        "postcode",
        "ward",
        "polling_district",
        "email",
        "mobile",
        "phone",
        "date_of_birth",
        "joined_on",
        "lapsed_on",
        "status",
        "membership_type",
        "post_allowed",
        "email_allowed",
        "phone_allowed",
        "sms_allowed",
    )
    assert mapping.passed_over == ()


def test_the_demo_branch_as_excel_users_see_it(demo_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    assert export(demo_database, path) == 400

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["People"]
    sheet = workbook["People"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Z401"
    consent = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))][-4:]
    assert consent == ["Post OK", "Email OK", "Phone OK", "SMS OK"]
    answers = {cell.value for row in sheet.iter_rows(min_row=2, min_col=23) for cell in row}
    assert answers == {"Yes", "No", None}  # the demo branch has people who said no
    assert sheet.max_row == 401
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert widths == [column.width for column in COLUMNS]
    assert all(width >= 7 for width in widths)

    with demo_database.session() as session:
        sian = session.scalars(select(Person).where(Person.first_name == "Siân")).one()
        household = sian.household
        assert household is not None and sian.joined_on is not None
        expected = {
            "Membership Number": sian.membership_number,
            "First Name": "Siân",
            "Last Name": "Llŷr-Jones",
            "Address Line 1": household.line1,
            "Postcode": household.postcode,
            "Ward": household.ward.name if household.ward else None,
            "Email": next((e.address for e in sian.emails if e.is_primary), None),
            "Status": "Member",
            "Joined": dt.datetime.combine(sian.joined_on, dt.time()),
        }
        last_names = session.scalars(select(Person.last_name).order_by(Person.sort_key, Person.id))
        in_order = [name or None for name in last_names]
    rows = list(sheet.iter_rows(min_row=2))
    sian_row = [r for r in rows if r[column("First Name")].value == "Siân"]
    assert len(sian_row) == 1
    assert {name: sian_row[0][column(name)].value for name in expected} == expected
    joined = sian_row[0][column("Joined")]
    assert joined.is_date and joined.number_format == "dd/mm/yyyy"
    # Sorted as the people list is, by last name then first name.
    assert [r[column("Last Name")].value for r in rows] == in_order

    numbers = [r[column("Membership Number")] for r in rows if r[column("Membership Number")].value]
    zeros = [cell for cell in numbers if str(cell.value).startswith("0")]
    assert zeros, "the demo should have members whose numbers start with 0"
    assert all(cell.data_type == "s" and cell.number_format == "@" for cell in numbers)
    assert all(isinstance(cell.value, str) and len(cell.value) == 7 for cell in zeros)

    statuses = {r[column("Status")].value for r in rows}
    assert statuses == set(PERSON_STATUS_LABELS.values())
    assert {clean_status(word).value for word in statuses} == set(PERSON_STATUSES)


def test_the_demo_branch_as_the_importer_reads_it(demo_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    export(demo_database, path)
    rows = sheet_rows(path)
    assert rows[0] == HEADERS
    assert len(rows) == 401
    with demo_database.session() as session:
        lukasz = session.scalars(select(Person).where(Person.first_name == "Łukasz")).one()
        number, born = lukasz.membership_number, lukasz.date_of_birth
    row = row_of(rows, "Łukasz", "Wójcik")
    assert row[column("Membership Number")] == number
    assert row[column("Date of Birth")] == (born or "")
    numbers = [r[column("Membership Number")] for r in rows[1:] if r[column("Membership Number")]]
    assert numbers and all(isinstance(n, str) and len(n) == 7 for n in numbers)
    assert any(n.startswith("0") for n in numbers)
    dates = [r[column("Joined")] for r in rows[1:] if r[column("Joined")] != ""]
    assert dates and all(type(day) is dt.date for day in dates)
    # No cell comes back as a number: everything but the dates is text.
    assert not any(isinstance(cell, float | int) for r in rows for cell in r)


def test_the_export_imports_back_with_nothing_changed(
    demo_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "people.xlsx"
    with demo_database.session() as session:
        emailed = select(EmailAddress.person_id)
        identified = session.scalar(
            select(func.count()).where(
                (Person.first_name != "")
                | (Person.last_name != "")
                | Person.preferred_name.is_not(None)
                | Person.membership_number.is_not(None)
                | Person.id.in_(emailed)
            )
        )
        # What makes the round trip worth testing: the awkward people are all there.
        homeless = session.scalar(select(func.count()).where(Person.household_id.is_(None)))
        long_addresses = session.scalar(
            select(func.count()).select_from(Household).where(Household.line2.is_not(None))
        )
        landlines = session.scalar(
            select(func.count()).select_from(PhoneNumber).where(PhoneNumber.kind != "mobile")
        )
    assert homeless and long_addresses and landlines
    before = dump(demo_database)

    exported = export(demo_database, path)

    assert identified == exported == 400
    # The export itself is logged (a file of people's data left the app), nothing else.
    logged = dump(demo_database)
    assert {k: v for k, v in logged.items() if k != "export_log"} == {
        k: v for k, v in before.items() if k != "export_log"
    }
    assert [row[3:6] for row in logged["export_log"]] == [("people export", str(path), None)]
    assert round_trip(demo_database, path) == {**NOTHING_CHANGED, "unchanged": identified}
    assert dump(demo_database) == logged


def _household(**parts: str | None) -> Household:
    return Household(**{"line1": "1 High Street", "town": "Leeds", "postcode": "LS1 1AA", **parts})


def test_names_beyond_ascii_and_odd_details_import_back_unchanged(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        lukasz = Person(
            title="Mr",
            first_name="Łukasz",
            last_name="Wiśniewski",
            status="member",
            membership_number="0012345",
            membership_type="Standard",
            date_of_birth=dt.date(1980, 2, 29),
            joined_on=dt.date(2001, 1, 1),
            household=_household(
                line1="Flat 2 & 3 <rear>",
                line2="Tŷ Mawr",
                line3="Heol y Frenhines",
                town="Caerdydd",
                county="De Morgannwg",
                postcode="CF10 1AA",
            ),
            emails=[EmailAddress(address="lukasz@example.org", is_primary=True)],
            # Typed into Branchbook as people write them, not as the importer cleans them.
            phones=[
                PhoneNumber(number="+44 7700 900123", kind="mobile", is_primary=True),
                PhoneNumber(number="0113-496-0018", kind="home"),
            ],
        )
        sian = Person(
            first_name="Siân",
            middle_names="Angharad",
            last_name="Llŷr-Jones",
            preferred_name="Sian",
            status="supporter",
            household=_household(line1="3 Stryd Fawr", postcode="LL55 4AA", town=None),
            emails=[
                EmailAddress(address="sian.work@example.org", kind="work"),
                EmailAddress(address="sian@example.org", is_primary=True),
            ],
        )
        # In capitals, as an old national list had it: the importer recases, then compares.
        sean = Person(
            title="DR",
            first_name="SEÁN",
            last_name="O'BRIEN",
            status="guest",
            emails=[EmailAddress(address="sean@example.org", is_primary=True)],
        )
        # No number, no email: known by name and postcode alone.
        zoe = Person(
            first_name="Zoë", last_name="Ødegaard", status="contact", household=_household()
        )
        lapsed = Person(
            first_name="Aoife",
            last_name="Ó Dúnlaing",
            status="lapsed",
            membership_number="9900001",
            membership_type="Retired ",  # typed with a space the importer's cleaning drops
            joined_on=dt.date(2010, 5, 1),
            lapsed_on=dt.date(2020, 4, 30),
        )
        session.add_all([lukasz, sian, sean, zoe, lapsed])
    path = tmp_path / "people.xlsx"

    assert export(database, path) == 5
    before = dump(database)  # with the export's log line: the import must add nothing

    rows = sheet_rows(path)
    row = row_of(rows, "Łukasz", "Wiśniewski")
    assert row[column("Membership Number")] == "0012345"
    assert row[column("Address Line 1")] == "Flat 2 & 3 <rear>"
    assert row[column("County")] == "De Morgannwg"
    assert row[column("Date of Birth")] == dt.date(1980, 2, 29)
    assert row[column("Mobile")] == "+44 7700 900123"
    assert row[column("Phone")] == "0113-496-0018"
    sian_row = row_of(rows, "Siân", "Llŷr-Jones")
    assert sian_row[column("Email")] == "sian@example.org"  # the primary, not the first
    assert sian_row[column("Middle Names")] == "Angharad"
    assert row_of(rows, "Aoife", "Ó Dúnlaing")[column("Lapsed")] == dt.date(2020, 4, 30)
    assert row_of(rows, "Zoë", "Ødegaard")[column("Status")] == "Contact"

    assert round_trip(database, path) == {**NOTHING_CHANGED, "unchanged": 5}
    assert dump(database) == before


def test_housemates_of_one_name_are_told_apart_by_number_and_email(
    database: Database, tmp_path: Path
) -> None:
    # A father who is a member and a son who signed up as a supporter, at one address.
    father = _at_home("John Smith", status="member", membership_number="0805914")
    email = EmailAddress(address="john.junior@example.org", is_primary=True)
    son = _at_home("John Smith", status="supporter", emails=[email])
    assert _exported_and_back(database, tmp_path, father, son) == {
        **NOTHING_CHANGED,
        "unchanged": 2,
    }


def test_a_duplicate_not_yet_merged_comes_back_unchanged_and_asked_about(
    database: Database, tmp_path: Path
) -> None:
    # A member and the supporter record kept for her too, with nothing to tell them apart
    # but the number: her export row matches her, the other row could be either of them.
    member = _at_home("Nuala Brennan", status="member", membership_number="0920215")
    supporter = _at_home("Nuala Brennan", status="supporter", middle_names="Theresa")
    assert _exported_and_back(database, tmp_path, member, supporter) == {
        **NOTHING_CHANGED,
        "unchanged": 1,
        "ambiguous": 1,
    }


def _at_home(name: str, **fields: Any) -> Person:
    """A person living at 1 High Street, Leeds LS1 1AA (``_household``)."""
    first, last = name.split()
    return Person(first_name=first, last_name=last, household=_household(), **fields)


def _exported_and_back(database: Database, tmp_path: Path, *people: Person) -> dict[str, int]:
    """``people`` kept, exported and imported back: the import's counts. Nothing changes."""
    with database.session() as session:
        session.add_all(people)
    path = tmp_path / "people.xlsx"
    export(database, path)
    before = dump(database)
    counts = round_trip(database, path)
    assert dump(database) == before
    return counts


def test_markup_and_control_characters_are_written_as_plain_text(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        session.add(
            Person(
                first_name='=HYPERLINK("http://example.org")',
                last_name="<b>Smith</b> & Sons\x07",
                preferred_name="  Bob  ",
                membership_number="1e5",
            )
        )
    path = tmp_path / "people.xlsx"
    export(database, path)

    cells = openpyxl.load_workbook(path)["People"][2]
    assert cells[column("First Name")].value == '=HYPERLINK("http://example.org")'
    assert cells[column("First Name")].data_type == "s"  # text, never a live formula
    assert cells[column("Last Name")].value == "<b>Smith</b> & Sons"
    assert cells[column("Known As")].value == "  Bob  "
    assert sheet_rows(path)[1][column("Membership Number")] == "1e5"


def test_an_empty_database_exports_the_header_alone(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    assert export(database, path) == 0
    assert sheet_rows(path) == [HEADERS]


def test_progress_counts_up_to_everyone(demo_database: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export(demo_database, tmp_path / "people.xlsx", progress=lambda *step: seen.append(step))
    assert seen[0] == (0, 400) and seen[-1] == (400, 400)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def _after(calls: int) -> Callable[[], bool]:
    """A Cancel button pressed at its ``calls``-th look."""
    looks = itertools.count(1)
    return lambda: next(looks) >= calls


def test_cancel_leaves_the_earlier_file_as_it_was(demo_database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "people.xlsx"
    path.write_bytes(b"last month's export")
    # The third look is inside the writing, once the new file has been started.
    with pytest.raises(Cancelled):
        export(demo_database, path, cancelled=_after(3))
    assert path.read_bytes() == b"last month's export"
    assert sorted(p.name for p in folder.iterdir()) == ["people.xlsx"]


def test_a_file_open_in_excel_is_one_sentence_naming_it(
    demo_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "The process cannot access the file", str(target))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UserError) as raised:
        export(demo_database, folder / "Members Nov.xlsx")
    message = str(raised.value)
    assert message == (
        "Members Nov.xlsx is open in another program, probably Excel; close it and save again."
    )
    assert list(folder.iterdir()) == []


def test_a_new_file_gets_the_usual_permissions(database: Database, tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        path = tmp_path / "people.xlsx"
        export(database, path)
    finally:
        os.umask(mask)
    # Not the owner-only mode of a temporary file: others may read it, as any file saved.
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("people.csv", "people.csv must end in .xlsx: Branchbook exports Excel workbooks."),
        ("missing/people.xlsx", "does not exist, so people.xlsx cannot be saved there."),
    ],
)
def test_a_target_that_cannot_be_written_is_a_user_error(
    database: Database, tmp_path: Path, name: str, sentence: str
) -> None:
    with pytest.raises(UserError) as raised:
        export(database, tmp_path / name)
    assert str(raised.value).endswith(sentence)
    assert not (tmp_path / name).exists()
