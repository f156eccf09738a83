"""A re-import of the national list leaves what the branch learnt itself alone: views,
activities, unions, tags, notes, and details the branch corrected and verified."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from db.database import Database
from db.importing.workflow import ImportOptions, prepare_import, run_import
from db.models import (
    Activity,
    Affiliation,
    Answer,
    EmailAddress,
    Organisation,
    Person,
    PersonTag,
    Question,
    Tag,
)
from db.person_edit import add_contact, edit_person, remove_contact
from db.verification import mark_verified
from tests.db.importing.people import write_csv
from tests.helpers.checks import dump_tables

TODAY = dt.date(2026, 3, 1)
HEADER = ["Membership Number", "First Name", "Last Name", "Address Line 1", "Town", "Postcode"]
HEADER += ["Email", "Status"]
ANN = {
    "Membership Number": "0805914",
    "First Name": "Ann",
    "Last Name": "Jones",
    "Address Line 1": "1 High Street",
    "Town": "Leeds",
    "Postcode": "LS1 1AA",
    "Email": "ann@old.example",
    "Status": "Member",
}
KNOWLEDGE = (
    "answer",
    "answer_choice",
    "question",
    "question_option",
    "activity",
    "affiliation",
    "organisation",
    "tag",
    "person_tag",
    "detail_verification",
)


def imported(database: Database, path: Path, row: dict[str, str]) -> dict[str, int]:
    found = prepare_import(database, write_csv(path, HEADER, [row]), today=TODAY)
    return run_import(database, found, ImportOptions(today=TODAY))[1].counts


def test_a_re_import_touches_only_the_lists_own_details(database: Database, tmp_path: Path) -> None:
    assert imported(database, tmp_path / "march.csv", ANN)["created"] == 1
    with database.session() as session:
        ann = session.scalars(select(Person.id)).one()
        question = Question(text="Support for a four-day week", kind="scale")
        union = Organisation(name="Unison", kind="trade_union")
        tag = Tag(name="Has a car")
        session.add_all([question, union, tag])
        session.flush()
        session.add_all(
            [
                Answer(
                    person_id=ann,
                    question_id=question.id,
                    answered_on=TODAY,
                    source="doorstep",
                    scale_value=5,
                ),
                Activity(person_id=ann, kind="canvassing", done_on=TODAY, hours=Decimal("2.5")),
                Affiliation(person_id=ann, organisation_id=union.id, role="Steward"),
                PersonTag(person_id=ann, tag_id=tag.id),
            ]
        )
        edit_person(session, ann, {"notes": "Prefers evening calls", "preferred_name": "Annie"})
        # The branch corrected her email on the phone, and says so.
        old = session.scalars(select(EmailAddress.id).where(EmailAddress.person_id == ann)).one()
        add_contact(session, ann, "email", "ann@new.example", primary=True)
        remove_contact(session, "email", old)
        mark_verified(session, ann, "email", "phone call", on=TODAY)
    before = dump_tables(database)

    # April's list: she moved town, and the national office still has her old email.
    counts = imported(database, tmp_path / "april.csv", {**ANN, "Town": "Otley"})
    assert counts["updated"] == 1 and counts["conflicts"] == 1

    after = dump_tables(database)
    for table in KNOWLEDGE:
        assert after[table] == before[table], table
    with database.session() as session:
        person = session.get_one(Person, ann)
        assert (person.notes, person.preferred_name) == ("Prefers evening calls", "Annie")
        assert person.household is not None and person.household.town == "Otley"
        emails = session.scalars(select(EmailAddress.address).where(EmailAddress.person_id == ann))
        assert list(emails) == ["ann@new.example"]
