"""Planning an import: whom each row is and what it would change, with nothing written.

Files are written to disk and read through the real pipeline (read_workbook, find_table,
clean_table), so the planner sees candidates exactly as the importer will hand them over.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from db.database import Database
from db.importing.candidates import CandidateSet, clean_table
from db.importing.columns import recognise
from db.importing.plan import BY_CHOICE, FieldChange, ImportPlan, PlannedRow, plan_import
from db.importing.readers import read_workbook
from db.importing.table import find_table
from db.models import DetailVerification, Person
from tests.db.importing.people import add

TODAY = dt.date(2026, 3, 1)
HEADER = [
    "Membership Number",
    "First Name",
    "Last Name",
    "Known As",
    "Address Line 1",
    "Town",
    "Postcode",
    "Email",
    "Mobile",
    "Status",
    "Notes",
]


def candidates(tmp_path: Path, *rows: dict[str, str]) -> CandidateSet:
    """A csv holding ``rows`` (header -> cell; missing cells empty), read as the importer does."""
    path = tmp_path / "members.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([row.get(name, "") for name in HEADER])
    workbook = read_workbook(path)
    table = find_table(workbook)
    return clean_table(table, recognise(table.headers), date1904=workbook.date1904, today=TODAY)


ANN = {
    "Membership Number": "0805914",
    "First Name": "Ann",
    "Last Name": "Jones",
    "Address Line 1": "1 High Street",
    "Town": "Leeds",
    "Postcode": "LS1 1AA",
    "Email": "ann@example.org",
    "Status": "Member",
}


def add_ann(session: Session, *, email: str | None = "ann@example.org", **changes: Any) -> int:
    return add(session, "Ann", "Jones", number="0805914", email=email, **changes)


def plan(database: Database, found: CandidateSet, **options: bool) -> ImportPlan:
    with database.session() as session:
        return plan_import(session, found, today=TODAY, **options)


def only(result: ImportPlan) -> PlannedRow:
    assert len(result.rows) == 1, result.rows
    return result.rows[0]


def test_a_reimport_of_an_unchanged_person_is_unchanged(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add_ann(session)
    result = plan(database, candidates(tmp_path, ANN))
    assert only(result) == PlannedRow(2, "unchanged", ann, "membership number")
    assert result.counts()["unchanged"] == 1


def test_a_changed_town_is_one_address_change(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add_ann(session)
    row = only(plan(database, candidates(tmp_path, {**ANN, "Town": "Bradford"})))
    assert (row.action, row.person_id) == ("update", ann)
    assert row.changes == (
        FieldChange("address", "1 High Street, Leeds, LS1 1AA", "1 High Street, Bradford, LS1 1AA"),
    )


def test_case_and_punctuation_in_names_and_addresses_are_no_change(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add(session, "Ann", "McDonald", number="1", line1="1 High St.", town="Leeds")
    row = {"Membership Number": "1", "First Name": "ANN", "Last Name": "MCDONALD"}
    row |= {"Address Line 1": "1 high st", "Town": "LEEDS", "Postcode": "ls1 1aa"}
    assert only(plan(database, candidates(tmp_path, row))).action == "unchanged"


def test_empty_cells_never_blank_a_stored_value(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add_ann(session, mobile="07700 900123")
    row = only(plan(database, candidates(tmp_path, {"Membership Number": "0805914"})))
    assert (row.action, row.changes) == ("unchanged", ())


def test_local_preferred_name_and_notes_are_never_changed(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add_ann(session, preferred="Annie", notes="Drives people to meetings.")
    found = candidates(tmp_path, {**ANN, "Known As": "Nan", "Notes": "New note from the list"})
    assert only(plan(database, found)).changes == ()


def test_an_empty_preferred_name_is_filled_from_the_list(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add_ann(session)
    row = only(plan(database, candidates(tmp_path, {**ANN, "Known As": "Nan"})))
    assert row.changes == (FieldChange("preferred_name", None, "Nan"),)


def test_new_email_and_mobile_are_additions(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add_ann(session, mobile="07700 900123")
    found = candidates(tmp_path, {**ANN, "Email": "Ann.Jones@Example.org", "Mobile": "07700900999"})
    changes = only(plan(database, found)).changes
    assert changes == (
        FieldChange("email", None, "ann.jones@example.org"),
        FieldChange("mobile", None, "07700 900999"),
    )
    assert changes[0].describe() == "email: + ann.jones@example.org"


def test_the_same_mobile_written_differently_is_no_change(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add_ann(session, mobile="07700-900123")
    row = only(plan(database, candidates(tmp_path, {**ANN, "Mobile": "07700 900123"})))
    assert row.action == "unchanged"


def test_membership_fields_change(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add_ann(session, status="lapsed")
    row = only(plan(database, candidates(tmp_path, ANN)))
    assert row.changes == (FieldChange("status", "lapsed", "member"),)


def test_email_matches_when_the_number_is_unknown(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", email="ann@example.org")
    row = only(plan(database, candidates(tmp_path, {**ANN, "Email": "ANN@example.org"})))
    assert (row.person_id, row.matched_by) == (ann, "email")
    assert row.changes == (FieldChange("membership_number", None, "0805914"),)


def test_the_membership_number_wins_over_a_conflicting_email(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add_ann(session, email=None)
        other = add(session, "Bob", "Smith", email="ann@example.org", postcode="LS2 2BB")
    row = only(plan(database, candidates(tmp_path, ANN)))
    assert (row.person_id, row.matched_by) == (ann, "membership number")
    assert row.note is not None and f"person {other}" in row.note


def test_name_and_postcode_match_folds_accents(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        sian = add(session, "Siân", "O'Brien", preferred="Shan")
    row = {"First Name": "Sian", "Last Name": "OBrien", "Postcode": "LS1 1AA"}
    found = only(plan(database, candidates(tmp_path, row)))
    assert (found.person_id, found.matched_by) == (sian, "name and postcode")
    by_preferred = {"First Name": "Shan", "Last Name": "O'Brien", "Postcode": "ls11aa"}
    assert only(plan(database, candidates(tmp_path, by_preferred))).person_id == sian


def test_two_people_with_one_name_at_one_postcode_are_ambiguous(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        father = add(session, "John", "Smith")
        son = add(session, "John", "Smith")
    found = plan(
        database,
        candidates(tmp_path, {"First Name": "John", "Last Name": "Smith", "Postcode": "LS1 1AA"}),
    )
    row = only(found)
    assert (row.action, row.person_id, row.candidates) == ("ambiguous", None, (father, son))
    assert row.note and "2 people" in row.note
    assert found.counts()["ambiguous"] == 1


def test_a_shared_email_is_ambiguous(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add(session, "Ann", "Jones", email="family@example.org")
        add(session, "Bob", "Jones", email="family@example.org")
    row = {"First Name": "A", "Last Name": "Jones", "Email": "family@example.org"}
    assert only(plan(database, candidates(tmp_path, row))).action == "ambiguous"


def test_someone_holding_another_number_is_another_person(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add(session, "Bob", "Jones", number="111", email="family@example.org")
    row = {"Membership Number": "222", "First Name": "Ann", "Last Name": "Jones"}
    row["Email"] = "family@example.org"
    assert only(plan(database, candidates(tmp_path, row))).action == "create"


def test_a_row_repeated_in_the_file_is_reported_once(database: Database, tmp_path: Path) -> None:
    found = plan(
        database,
        candidates(
            tmp_path,
            ANN,
            {**ANN, "Email": "other@example.org"},  # same number: row 3
            {**ANN, "Membership Number": ""},  # same email: row 4
            {"First Name": "ann", "Last Name": "JONES", "Postcode": "LS1 1AA"},  # same name: 5
            {**ANN, "Membership Number": "999", "Email": "x@example.org", "First Name": "Bo"},
        ),
    )
    assert [row.action for row in found.rows] == [
        "create",
        "duplicate",
        "duplicate",
        "duplicate",
        "create",
    ]
    assert found.rows[1].note == (
        "Row 3 repeats row 2 (same membership number 0805914); its email address was added "
        "to row 2."
    )
    assert found.rows[2].note and "email address ann@example.org" in found.rows[2].note
    assert found.rows[3].note and "name and postcode" in found.rows[3].note
    assert found.counts()["duplicate"] == 3


def test_a_second_record_under_one_name_is_not_taken_for_a_repeat(
    database: Database, tmp_path: Path
) -> None:
    # The member and the supporter record the branch also keeps for her (a duplicate the
    # secretary has not merged yet), exported and imported back: the second row, with no
    # number or email, could be either record, so it is asked about, not merged into the
    # first (which took her middle names or notes from the other record before).
    with database.session() as session:
        ann = add_ann(session)
        other = add(session, "Ann", "Jones", status="supporter", notes="Signed at the fete")
    supporter = {**ANN, "Membership Number": "", "Email": "", "Status": "Supporter"}
    found = plan(database, candidates(tmp_path, ANN, {**supporter, "Notes": "Signed at the fete"}))
    assert [(row.action, row.person_id, row.candidates) for row in found.rows] == [
        ("unchanged", ann, ()),
        ("ambiguous", None, (ann, other)),
    ]
    # Nobody else kept under the name: the second row is a repeat, as before.
    with database.session() as session:
        session.delete(session.get(Person, other))
    found = plan(database, candidates(tmp_path, ANN, supporter))
    assert [row.action for row in found.rows] == ["unchanged", "duplicate"]


def test_the_secretary_says_whom_an_ambiguous_row_is(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        father = add(session, "John", "Smith", number="0805914")
        son = add(session, "John", "Smith", status="supporter")
    row = {**ANN, "First Name": "John", "Last Name": "Smith", "Membership Number": "",
           "Email": "", "Mobile": "07700 900123", "Status": ""}  # fmt: skip
    found = candidates(tmp_path, row)
    assert only(plan(database, found)).candidates == (father, son)

    def planned(pick: int | None) -> PlannedRow:
        with database.session() as session:
            return only(plan_import(session, found, today=TODAY, chosen={2: pick}))

    chosen = planned(son)
    assert (chosen.action, chosen.person_id, chosen.matched_by) == ("update", son, BY_CHOICE)
    assert [change.field for change in chosen.changes] == ["mobile"]
    assert planned(None).action == "create"
    assert planned(999).action == "ambiguous"  # not one of the two: asked again
    # A new person, though an earlier row of the file has the same name and postcode.
    earlier = {**row, "Membership Number": "0805914"}
    found = candidates(tmp_path, earlier, row)
    with database.session() as session:
        rows = plan_import(session, found, today=TODAY, chosen={3: None}).rows
    assert [(r.action, r.person_id) for r in rows] == [("update", father), ("create", None)]


def test_a_couple_sharing_an_email_in_one_file_are_two_people(
    database: Database, tmp_path: Path
) -> None:
    bob = {**ANN, "Membership Number": "0805915", "First Name": "Bob"}
    found = plan(database, candidates(tmp_path, ANN, bob))
    assert [row.action for row in found.rows] == ["create", "create"]


def test_two_rows_naming_one_stored_person_differently(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add_ann(session)
    first = {"Membership Number": "0805914", "First Name": "Ann", "Last Name": "Jones"}
    second = {"First Name": "Annie", "Last Name": "Jones", "Email": "ann@example.org"}
    found = plan(database, candidates(tmp_path, first, second))
    assert [(row.action, row.person_id) for row in found.rows] == [
        ("unchanged", ann),
        ("duplicate", ann),
    ]


def test_created_rows_take_a_status(database: Database, tmp_path: Path) -> None:
    found = plan(
        database,
        candidates(
            tmp_path,
            {"Membership Number": "1", "First Name": "A", "Last Name": "One"},
            {"First Name": "B", "Last Name": "Two"},
            {"First Name": "C", "Last Name": "Three", "Status": "Lapsed"},
        ),
    )
    statuses = [row.changes for row in found.rows]
    assert statuses == [
        (FieldChange("status", None, "member"),),
        (FieldChange("status", None, "supporter"),),
        (FieldChange("status", None, "lapsed"),),
    ]
    assert found.counts()["created"] == 3


def test_a_supporters_list_creates_supporters_and_keeps_members(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add_ann(session)
    petition = candidates(
        tmp_path,
        {**ANN, "Status": "Supporter"},
        {"Membership Number": "7", "First Name": "New", "Last Name": "Person", "Status": "Member"},
    )
    ann, new = plan(database, petition, supporters=True).rows
    assert ann.action == "unchanged"
    assert new.changes == (FieldChange("status", None, "supporter"),)


def test_a_full_list_lapses_missing_members_only(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add_ann(session)
        gone = add(session, "Gone", "Away", number="2")
        add(session, "Sam", "Supporter", status="supporter")
        maybe = [add(session, "John", "Smith", number=n, postcode="LS9 9ZZ") for n in "34"]
    found = candidates(
        tmp_path, ANN, {"First Name": "John", "Last Name": "Smith", "Postcode": "LS9 9ZZ"}
    )
    result = plan(database, found, full_list=True)
    # The two a row might be are not lapsed: that would be a guess.
    assert result.rows[1].candidates == tuple(maybe)
    assert result.lapsing == [gone]
    assert result.counts()["lapsed"] == 1
    assert plan(database, found).lapsing == []


def test_a_locally_verified_email_that_differs_is_a_conflict(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add_ann(session)
        for detail, source in (("email", "phone_call"), ("address", "national_list")):
            session.add(
                DetailVerification(
                    person_id=ann, detail=detail, verified_on=dt.date(2026, 1, 5), source=source
                )
            )
    found = candidates(tmp_path, {**ANN, "Email": "old@example.org", "Town": "Bradford"})
    result = plan(database, found)
    email, address = only(result).changes
    assert email == FieldChange("email", None, "old@example.org", conflict=True)
    # Verified by the national list itself: the list may update it.
    assert (address.field, address.conflict) == ("address", False)
    assert result.counts()["conflicts"] == 1


def test_rejected_problems_are_counted(database: Database, tmp_path: Path) -> None:
    result = plan(database, candidates(tmp_path, {**ANN, "Postcode": "NOT A POSTCODE"}))
    assert result.counts()["rejected"] == 1
    assert result.problems[0].row == 2


def test_counts_name_every_outcome(database: Database, tmp_path: Path) -> None:
    assert plan(database, candidates(tmp_path, ANN)).counts() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "ambiguous": 0,
        "duplicate": 0,
        "lapsed": 0,
        "conflicts": 0,
        "rejected": 0,
    }


def test_planning_writes_nothing(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        person = session.get(Person, 1)
        assert person is not None and person.membership_number
        number = person.membership_number
    found = candidates(
        tmp_path,
        {"Membership Number": number, "First Name": "Changed", "Town": "Elsewhere"},
        {"First Name": "New", "Last Name": "Person"},
    )
    with demo_database.session() as session:
        driver = session.connection().connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        before = driver.total_changes
        result = plan_import(session, found, full_list=True, today=TODAY)
        assert driver.total_changes == before
        assert not session.new and not session.dirty and not session.deleted
    assert [row.action for row in result.rows] == ["update", "create"]
    assert result.lapsing


def test_a_repeat_by_name_the_database_can_read_two_ways_is_asked_about(
    database: Database, tmp_path: Path
) -> None:
    # The father is kept at his old address, the son at the new one. The list has the
    # father (his number) at the new address, then a row with the name and the new
    # postcode only: his repeat, or the son? Neither is taken for granted.
    with database.session() as session:
        father = add(session, "John", "Smith", number="0805914", postcode="LS2 2BB")
        son = add(session, "John", "Smith", status="supporter")
    john = {**ANN, "First Name": "John", "Last Name": "Smith", "Email": ""}
    again = {**john, "Membership Number": "", "Email": "js@example.org", "Status": ""}
    found = candidates(tmp_path, john, again)
    rows = plan(database, found).rows
    assert [(r.action, r.person_id, r.candidates) for r in rows] == [
        ("update", father, ()),
        ("ambiguous", None, (father, son)),
    ]
    # Said to be the son, it is the son; said to be the father, it is row 2 again.
    with database.session() as session:
        as_son = plan_import(session, found, today=TODAY, chosen={3: son}).rows[1]
        as_father = plan_import(session, found, today=TODAY, chosen={3: father}).rows[1]
    assert (as_son.action, as_son.person_id) == ("update", son)
    assert (as_father.action, as_father.person_id) == ("duplicate", father)


def test_a_repeat_of_a_repeat_is_merged_into_the_row_that_is_written(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add_ann(session)
    by_number = {**ANN, "Email": "", "Postcode": "LS9 9ZZ"}  # she has moved, says the list
    by_email = {**ANN, "Membership Number": ""}  # her again, by her email and old postcode
    by_name = {"First Name": "Ann", "Last Name": "Jones", "Postcode": "LS1 1AA",
               "Mobile": "07700 900123"}  # fmt: skip
    rows = plan(database, candidates(tmp_path, by_number, by_email, by_name)).rows
    assert [(r.action, r.person_id) for r in rows] == [
        ("update", ann),
        ("duplicate", ann),
        ("duplicate", None),
    ]
    assert rows[2].note is not None and "added to row 2" in rows[2].note
    assert any(change.field == "mobile" for change in rows[0].changes)
