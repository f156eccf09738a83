"""Writing an import: real csv files, a real SQLite file, and the rows read back with SQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import Cancelled
from db.importing.apply import Decisions
from db.importing.workflow import (
    ImportOptions,
    PreparedImport,
    prepare_import,
    preview_import,
    run_import,
)
from db.models import (
    ContactPreference,
    CustomFieldValue,
    DetailVerification,
    EmailAddress,
    Household,
    ImportBatch,
    ImportChange,
    ImportSource,
    Person,
    PhoneNumber,
)
from db.people import count_people
from tests.db.importing.people import add, write_csv
from tests.helpers.checks import dump_tables

TODAY = dt.date(2026, 3, 1)
HEADER = [
    "Membership Number",
    "First Name",
    "Last Name",
    "Address Line 1",
    "Town",
    "Postcode",
    "Ward",
    "Email",
    "Mobile",
    "Joined",
    "Status",
    "Email OK",
    "Shoe Size",
]
ANN = {
    "Membership Number": "0805914",
    "First Name": "ANN",
    "Last Name": "JONES",
    "Address Line 1": "1 High Street",
    "Town": "Leeds",
    "Postcode": "ls1 1aa",
    "Ward": "Hyde Park",
    "Email": "Ann@Example.org",
    "Mobile": "7700900123",
    "Joined": "01/02/2020",
    "Status": "Member",
    "Email OK": "Yes",
    "Shoe Size": "5",
}
BOB = {
    **ANN,
    "Membership Number": "0805915",
    "First Name": "Bob",
    "Last Name": "Jones",
    "Address Line 1": "1 High St.",
    "Email": "bob@example.org",
    "Mobile": "",
    "Shoe Size": "",
}
OPTIONS = ImportOptions(today=TODAY)


def prepared(database: Database, path: Path, *rows: dict[str, str]) -> PreparedImport:
    return prepare_import(database, write_csv(path, HEADER, rows), today=TODAY)


dump = dump_tables


def test_new_people_are_written_with_everything_the_file_holds(
    database: Database, tmp_path: Path
) -> None:
    found = prepared(database, tmp_path / "Members 2026-02.csv", ANN, BOB)
    plan, result = run_import(database, found, OPTIONS)

    assert result.counts["created"] == 2
    assert result.counts["rejected"] == 0
    with database.session() as session:
        ann = session.scalars(select(Person).where(Person.membership_number == "0805914")).one()
        bob = session.scalars(select(Person).where(Person.membership_number == "0805915")).one()
        assert (ann.first_name, ann.last_name, ann.status) == ("Ann", "Jones", "member")
        assert ann.joined_on == dt.date(2020, 2, 1)
        # "1 High St." and "1 High Street" at one postcode are one household.
        assert ann.household_id == bob.household_id is not None
        household = session.get(Household, ann.household_id)
        assert household is not None
        assert (household.line1, household.postcode) == ("1 High Street", "LS1 1AA")
        assert household.ward is not None and household.ward.name == "Hyde Park"
        assert [e.address for e in ann.emails] == ["ann@example.org"]
        assert ann.emails[0].is_primary
        assert [p.number for p in ann.phones] == ["07700 900123"]
        preference = session.scalars(
            select(ContactPreference).where(ContactPreference.person_id == ann.id)
        ).one()
        assert (preference.channel, preference.allowed) == ("email", True)
        custom = session.scalars(
            select(CustomFieldValue).where(CustomFieldValue.person_id == ann.id)
        ).one()
        assert (custom.name, custom.value) == ("Shoe Size", "5")
        # Found by the search box like anyone added by hand.
        assert count_people(session, "jones") == 2
        assert count_people(session, "0805914") == 1

        batch = session.get(ImportBatch, result.batch_id)
        assert batch is not None
        assert batch.status == "committed"
        assert batch.file_name == "Members 2026-02.csv"
        assert batch.checksum == found.checksum and len(found.checksum) == 64
        assert json.loads(batch.counts or "{}")["created"] == 2
        assert batch.mapping == found.mapping.to_json()
        created = session.scalars(
            select(ImportChange.source_row).where(
                ImportChange.batch_id == batch.id, ImportChange.action == "created"
            )
        ).all()
        assert sorted(created) == [2, 3]


def test_the_mapping_is_saved_and_reused_next_month(database: Database, tmp_path: Path) -> None:
    first = prepared(database, tmp_path / "Members 2026-02.csv", ANN)
    assert not first.reused
    # The secretary says the shoe size column is not wanted.
    column = HEADER.index("Shoe Size")
    chosen = first.with_mapping(first.mapping.with_ignored(column, True), today=TODAY)
    run_import(database, chosen, OPTIONS)

    again = prepared(database, tmp_path / "members_2026_03.csv", BOB)
    assert again.reused
    assert again.source_name == "Members"
    assert column in again.mapping.ignored
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportSource)) == 1
        assert session.scalar(select(func.count()).select_from(CustomFieldValue)) == 0


def test_a_reimport_changes_only_what_the_list_changed(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914", email="ann@example.org")
        session.get_one(Person, ann).notes = "Brings cake"
    with database.session() as session:
        before = session.get_one(Person, ann).version

    found = prepared(
        database,
        tmp_path / "members.csv",
        {**ANN, "Last Name": "Jones-Smith", "Email": "ann.js@example.org", "Shoe Size": ""},
    )
    preview = preview_import(database, found, OPTIONS)
    assert preview.counts()["updated"] == 1
    _, result = run_import(database, found, OPTIONS)

    assert result.counts["updated"] == 1
    with database.session() as session:
        person = session.get_one(Person, ann)
        assert person.last_name == "Jones-Smith"
        assert person.notes == "Brings cake"  # local knowledge untouched
        assert person.version == before + 1
        assert sorted(e.address for e in person.emails) == [
            "ann.js@example.org",
            "ann@example.org",
        ]
        assert count_people(session, "smith") == 1
        assert count_people(session, "annjs@example.org") == 1
        fields = session.scalars(
            select(ImportChange.field).where(ImportChange.batch_id == result.batch_id)
        ).all()
        assert sorted(f for f in fields if f) == ["email", "joined_on", "last_name", "mobile"]


def test_an_address_change_moves_only_that_person(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914")
    with database.session() as session:
        sam = Person(first_name="Sam", last_name="Jones", status="member")
        sam.household_id = session.get_one(Person, ann).household_id
        session.add(sam)
        session.flush()
        sam_id, old_household = sam.id, sam.household_id

    found = prepared(
        database,
        tmp_path / "members.csv",
        {**ANN, "Address Line 1": "9 Mill Lane", "Postcode": "LS6 2QQ"},
    )
    run_import(database, found, OPTIONS)
    with database.session() as session:
        person = session.get_one(Person, ann)
        assert person.household_id != old_household
        assert person.household is not None
        assert (person.household.line1, person.household.postcode) == ("9 Mill Lane", "LS6 2QQ")
        assert session.get_one(Person, sam_id).household_id == old_household
        assert count_people(session, "ls6") == 1


def test_a_fuller_address_for_the_same_household_updates_it_for_everyone(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914", town=None)
    found = prepared(database, tmp_path / "members.csv", ANN)
    _, result = run_import(database, found, OPTIONS)
    with database.session() as session:
        household = session.get_one(Person, ann).household
        assert household is not None and household.town == "Leeds"
    # Imported again: nothing left to change.
    _, again = run_import(database, prepared(database, tmp_path / "m.csv", ANN), OPTIONS)
    assert again.counts["updated"] == 0 and again.counts["unchanged"] == 1
    assert result.counts["updated"] == 1


def test_a_conflict_keeps_the_branchs_value_unless_the_secretary_takes_the_lists(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914", line1="2 Low Road")
        session.add(
            DetailVerification(
                person_id=ann, detail="address", verified_on=TODAY, source="in_person"
            )
        )
    found = prepared(database, tmp_path / "members.csv", ANN)
    _, result = run_import(database, found, OPTIONS)
    assert result.counts["conflicts"] == 1
    assert any("verified the address" in sentence for sentence in result.held_back)
    with database.session() as session:
        household = session.get_one(Person, ann).household
        assert household is not None and household.line1 == "2 Low Road"

    taken = Decisions(accepted_conflicts=frozenset({(2, "address")}))
    _, result = run_import(database, found, OPTIONS, taken)
    assert result.counts["conflicts"] == 0
    with database.session() as session:
        household = session.get_one(Person, ann).household
        assert household is not None and household.line1 == "1 High Street"


def test_rows_and_fields_left_out_are_not_written(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914")
    found = prepared(
        database, tmp_path / "members.csv", {**ANN, "Last Name": "Smith", "Town": "York"}, BOB
    )
    decisions = Decisions(
        left_out_rows=frozenset({3}), left_out_fields=frozenset({(2, "last_name")})
    )
    _, result = run_import(database, found, OPTIONS, decisions)
    assert result.counts["left_out"] == 1 and result.counts["created"] == 0
    with database.session() as session:
        person = session.get_one(Person, ann)
        assert person.last_name == "Jones"
        assert person.household is not None and person.household.town == "York"
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_a_full_list_lapses_missing_members_and_deletes_nobody(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add(session, "Ann", "Jones", number="0805914")
        gone = add(session, "Cat", "Brown", number="0700001", line1="5 Park Road")
        supporter = add(session, "Dee", "Green", status="supporter", line1="7 Park Road")
    found = prepared(database, tmp_path / "members.csv", ANN)
    _, result = run_import(database, found, ImportOptions(full_list=True, today=TODAY))
    assert result.counts["lapsed"] == 1
    with database.session() as session:
        cat = session.get_one(Person, gone)
        assert (cat.status, cat.lapsed_on) == ("lapsed", TODAY)
        assert session.get_one(Person, supporter).status == "supporter"
        assert session.scalar(select(func.count()).select_from(Person)) == 3


def test_supporters_join_the_household_at_their_address(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914")
    path = write_csv(
        tmp_path / "petition.csv",
        ["Name", "Address", "Postcode", "Email"],
        [
            {
                "Name": "Tom Baker",
                "Address": "1 HIGH STREET",
                "Postcode": "LS11AA",
                "Email": "t@b.org",
            }
        ],
    )
    found = prepare_import(database, path, today=TODAY)
    _, result = run_import(database, found, ImportOptions(supporters=True, today=TODAY))
    assert result.counts["created"] == 1
    with database.session() as session:
        tom = session.scalars(select(Person).where(Person.last_name == "Baker")).one()
        assert tom.status == "supporter"
        assert tom.household_id == session.get_one(Person, ann).household_id


def test_cancel_leaves_the_database_exactly_as_it_was(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        add(session, "Cat", "Brown", number="0700001")
    before = dump(database)
    found = prepared(database, tmp_path / "members.csv", ANN, BOB)
    looks = iter(range(100))

    def cancelled() -> bool:
        return next(looks) >= 2  # well into the writing

    with pytest.raises(Cancelled):
        run_import(database, found, ImportOptions(full_list=True), cancelled=cancelled)
    assert dump(database) == before


def test_progress_reaches_the_end(database: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    found = prepared(database, tmp_path / "members.csv", ANN, BOB)
    run_import(database, found, OPTIONS, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_numbers_and_emails_are_not_added_twice(database: Database, tmp_path: Path) -> None:
    found = prepared(database, tmp_path / "members.csv", {**ANN, "Email": "ann@example.org"})
    run_import(database, found, OPTIONS)
    run_import(database, found, OPTIONS)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAddress)) == 1
        assert session.scalar(select(func.count()).select_from(PhoneNumber)) == 1
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_a_list_with_one_address_column_keeps_the_second_line(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914", town="Leeds")
        household = session.get_one(Person, ann).household
        assert household is not None
        household.line2 = "Headingley"
    found = prepared(database, tmp_path / "m.csv", {**ANN, "Address Line 1": "1 HIGH ST"})
    assert preview_import(database, found, OPTIONS).counts()["updated"] == 1  # the joining date
    _, result = run_import(database, found, OPTIONS)
    with database.session() as session:
        household = session.get_one(Person, ann).household
        assert household is not None
        assert (household.line1, household.line2) == ("1 High Street", "Headingley")
    fields = _fields(database, result.batch_id)
    assert not any(f.startswith("household") for f in fields)


def test_a_postcode_without_a_street_settles_after_one_import(
    database: Database, tmp_path: Path
) -> None:
    row = {
        "Membership Number": "0805914",
        "First Name": "Ann",
        "Last Name": "Jones",
        "Postcode": "LS1 1AA",
    }
    _, first = run_import(database, prepared(database, tmp_path / "a.csv", row), OPTIONS)
    _, second = run_import(database, prepared(database, tmp_path / "b.csv", row), OPTIONS)
    assert first.counts["created"] == 1
    assert second.counts["updated"] == 0 and second.counts["unchanged"] == 1
    # Two people at one postcode with no street are not put in one household.
    other = {**row, "Membership Number": "0805915", "First Name": "Bob"}
    run_import(database, prepared(database, tmp_path / "c.csv", other), OPTIONS)
    with database.session() as session:
        homes = session.scalars(select(Person.household_id)).all()
        assert len(set(homes)) == 2 and None not in homes
        assert count_people(session, "ls1") == 2


def test_a_row_with_only_a_conflict_counts_as_unchanged_in_the_preview(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        ann = add(session, "Ann", "Jones", number="0805914", line1="2 Low Road")
        session.add(
            DetailVerification(person_id=ann, detail="address", verified_on=TODAY, source="form")
        )
    row = {k: v for k, v in ANN.items() if k not in ("Joined", "Mobile", "Email")}
    found = prepared(database, tmp_path / "m.csv", row)
    counts = preview_import(database, found, OPTIONS).counts()
    assert (counts["updated"], counts["unchanged"], counts["conflicts"]) == (0, 1, 1)
    _, result = run_import(database, found, OPTIONS)
    assert (result.counts["updated"], result.counts["unchanged"]) == (0, 1)


def _fields(database: Database, batch_id: int) -> list[str]:
    with database.session() as session:
        return [
            f
            for f in session.scalars(
                select(ImportChange.field).where(ImportChange.batch_id == batch_id)
            )
            if f
        ]


def test_a_repeated_row_is_reported_once_and_merged(database: Database, tmp_path: Path) -> None:
    first = {**ANN, "Email": "", "Mobile": "", "Shoe Size": ""}
    repeat = {**ANN, "Email": "ann@example.org", "Mobile": "07700 900123", "Town": "York"}
    found = prepared(database, tmp_path / "m.csv", first, repeat)
    plan, result = run_import(database, found, OPTIONS)
    duplicate = plan.rows[1]
    assert duplicate.action == "duplicate"
    assert duplicate.note == (
        "Row 3 repeats row 2 (same membership number 0805914); its mobile, email address "
        "and Shoe Size were added to row 2."
    )
    assert (result.counts["created"], result.counts["duplicate"]) == (1, 1)
    with database.session() as session:
        ann = session.scalars(select(Person)).one()
        assert [e.address for e in ann.emails] == ["ann@example.org"]
        assert [p.number for p in ann.phones] == ["07700 900123"]
        assert ann.household is not None and ann.household.town == "Leeds"  # row 2's town

    # Next month the first row again lacks the email; the repeat brings a new one.
    again = prepared(
        database, tmp_path / "n.csv", first, {**repeat, "Email": "ann.new@example.org"}
    )
    plan, result = run_import(database, again, OPTIONS)
    assert plan.rows[0].action == "update"
    assert [c.after for c in plan.rows[0].changes] == ["ann.new@example.org"]
    assert result.counts["updated"] == 1


def test_a_big_list_is_indexed_for_search_and_the_trigger_survives(
    database: Database, tmp_path: Path
) -> None:
    rows = [
        {**BOB, "Membership Number": f"09{n:05d}", "First Name": f"Zed{n}", "Email": ""}
        for n in range(1200)
    ]
    run_import(database, prepared(database, tmp_path / "big.csv", *rows), OPTIONS)
    with database.session() as session:
        assert count_people(session, "zed1199") == 1
        assert count_people(session, "0900042") == 1
        session.add(Person(first_name="Quentin", last_name="Blake", status="contact"))
    with database.session() as session:
        assert count_people(session, "quentin") == 1  # added by hand: the trigger is back


def test_one_house_name_in_two_towns_is_two_households(database: Database, tmp_path: Path) -> None:
    laurels = {"First Name": "Ann", "Last Name": "Jones", "Address Line 1": "The Laurels"}
    rows = [
        {**laurels, "Membership Number": "0805914", "Town": "Leeds"},
        {**laurels, "Membership Number": "0805915", "Town": "York", "First Name": "Bo"},
        {**laurels, "Membership Number": "0805916", "Town": "York", "First Name": "Cy"},
        {**laurels, "Membership Number": "0805917", "First Name": "Di"},
        {**laurels, "Membership Number": "0805918", "First Name": "Ed"},
    ]
    run_import(database, prepared(database, tmp_path / "m.csv", *rows), OPTIONS)
    with database.session() as session:
        statement = select(Person.membership_number, Person.household_id)
        homes = {number: home for number, home in session.execute(statement)}
    assert homes["0805915"] == homes["0805916"]  # same house, same town
    assert len({homes["0805914"], homes["0805915"], homes["0805917"], homes["0805918"]}) == 4


def test_only_number_cells_get_their_lost_zeros_back(database: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "members.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Membership Number", "First Name", "Last Name"])
    typed = ["1234567", "2345678", "3456789", "4567890", "5678901", "6789012", "123456"]
    for n, number in enumerate([*typed, 805914]):
        sheet.append([number, f"P{n}", "Jones"])
    book.save(path)
    found = prepare_import(database, path, today=TODAY)
    numbers = [c.membership_number for c in found.candidates.candidates]
    # Typed as text, "123456" is what the branch was given; the number cell lost its zero.
    assert numbers == [*typed, "0805914"]


def test_many_renamed_people_are_found_by_their_new_names_only(
    database: Database, tmp_path: Path
) -> None:
    # More people than one statement of the search fields' refresh takes.
    people = [
        {**BOB, "Membership Number": f"09{n:05d}", "First Name": f"Zed{n}", "Email": ""}
        for n in range(650)
    ]
    run_import(database, prepared(database, tmp_path / "m.csv", *people), OPTIONS)
    renamed = [{**row, "Last Name": "Quartermaine"} for row in people]
    _, result = run_import(database, prepared(database, tmp_path / "m2.csv", *renamed), OPTIONS)

    assert result.counts["updated"] == 650
    with database.session() as session:
        assert count_people(session, "quartermaine") == 650
        assert count_people(session, "jones") == 0
        assert count_people(session, "zed649") == 1
        keys = session.scalars(select(Person.sort_key).where(Person.first_name == "Zed7")).all()
        assert keys == ["quartermaine zed7"]
