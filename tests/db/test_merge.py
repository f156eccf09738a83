"""Merging two records of one person: every row of both survives, on the one kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from db.database import Database
from db.duplicates import dismissed_pairs, mark_not_duplicate
from db.errors import NotFound, UserError
from db.merge import merge
from db.models import (
    Activity,
    Affiliation,
    Answer,
    AnswerChoice,
    Attendance,
    AuditEntry,
    Base,
    ContactPreference,
    Contribution,
    CustomFieldValue,
    DetailVerification,
    EmailAddress,
    Household,
    ImportBatch,
    ImportChange,
    Mailing,
    MailingRecipient,
    Meeting,
    Organisation,
    Person,
    PersonTag,
    PhoneNumber,
    Question,
    QuestionOption,
    Tag,
)
from db.people import count_people
from tests.helpers.checks import dump_tables

EVENING = dt.datetime(2026, 3, 5, 19, 30)


def _person_tables() -> list[Table]:
    return [
        table
        for table in Base.metadata.sorted_tables
        if "person_id" in table.columns and table.name != "person"
    ]


def _counts(session: Session, person_id: int) -> dict[str, int]:
    return {
        table.name: int(
            session.scalar(
                select(func.count()).select_from(table).where(table.c.person_id == person_id)
            )
            or 0
        )
        for table in _person_tables()
    }


def _two_records(session: Session) -> tuple[int, int, dict[str, int]]:
    """Ann (kept) and Anne (merged), with one of every kind of row each, some the same."""
    union = Organisation(name="Unison", kind="trade_union")
    gmb = Organisation(name="GMB", kind="trade_union")
    question = Question(text="Top priority?", kind="single_choice")
    option = QuestionOption(question=question, label="Housing")
    meetings = [Meeting(kind="branch", title=f"M{n}", starts_at=EVENING) for n in range(3)]
    mailings = [Mailing(title=f"Letter {n}") for n in range(2)]
    shared_tag, welsh, runner = Tag(name="Shared"), Tag(name="Welsh speaker"), Tag(name="Runner")
    home = Household(line1="1 High St", postcode="LS1 1AA")
    elsewhere = Household(line1="9 Low Rd", postcode="LS2 2BB")
    batch = ImportBatch(file_name="list.xlsx", status="committed")
    session.add_all(
        [union, gmb, question, option, *meetings, *mailings, shared_tag, welsh, runner]
        + [home, elsewhere, batch]
    )
    session.flush()
    keep = Person(
        first_name="Ann",
        last_name="Jones",
        status="supporter",
        membership_number="111",
        date_of_birth=dt.date(1980, 1, 1),
        household=home,
        notes="Keeps bees.",
    )
    other = Person(
        first_name="Anne",
        middle_names="Mary",
        last_name="Jones",
        status="member",
        membership_number="222",
        joined_on=dt.date(2019, 5, 1),
        date_of_birth=dt.date(1981, 2, 2),
        household=elsewhere,
        notes="Has a car.",
        follow_up=True,
    )
    session.add_all([keep, other])
    session.flush()
    k, o = keep.id, other.id
    session.add_all(
        [
            EmailAddress(person_id=k, address="ann@example.org", is_primary=True),
            EmailAddress(person_id=o, address="ANN@example.org ", is_primary=False),
            EmailAddress(person_id=o, address="anne@work.example", is_primary=True),
            PhoneNumber(person_id=k, number="07700 900001", is_primary=True),
            PhoneNumber(person_id=o, number="07700900001", is_primary=True),
            PhoneNumber(person_id=o, number="0113 496 0000", kind="home"),
            ContactPreference(person_id=k, channel="email", allowed=True),
            ContactPreference(person_id=o, channel="email", allowed=False, how="phoned"),
            ContactPreference(person_id=o, channel="sms", allowed=True),
            DetailVerification(
                person_id=k, detail="address", verified_on=dt.date(2025, 1, 1), source="form"
            ),
            DetailVerification(
                person_id=o, detail="email", verified_on=dt.date(2025, 2, 1), source="form"
            ),
            PersonTag(person_id=k, tag_id=shared_tag.id),
            PersonTag(person_id=k, tag_id=welsh.id),
            PersonTag(person_id=o, tag_id=shared_tag.id),
            PersonTag(person_id=o, tag_id=runner.id),
            CustomFieldValue(person_id=k, name="Ward code", value="A1"),
            CustomFieldValue(person_id=k, name="Same", value="x"),
            CustomFieldValue(person_id=o, name="Ward code", value="B2"),
            CustomFieldValue(person_id=o, name="Same", value="x"),
            CustomFieldValue(person_id=o, name="Extra", value="y"),
            Affiliation(person_id=k, organisation_id=union.id, since=dt.date(2020, 1, 1)),
            Affiliation(
                person_id=o, organisation_id=union.id, since=dt.date(2020, 1, 1), role="Steward"
            ),
            Affiliation(person_id=o, organisation_id=gmb.id, role="Member"),
            Answer(
                person_id=k,
                question_id=question.id,
                answered_on=dt.date(2025, 1, 1),
                source="meeting",
            ),
            Answer(
                person_id=o,
                question_id=question.id,
                answered_on=dt.date(2026, 1, 1),
                source="doorstep",
                choices=[AnswerChoice(option_id=option.id, rank=1)],
            ),
            Activity(person_id=k, kind="leafleting", done_on=dt.date(2026, 1, 1)),
            Activity(
                person_id=o, kind="canvassing", done_on=dt.date(2026, 1, 2), hours=Decimal("2")
            ),
            Attendance(meeting_id=meetings[0].id, person_id=k, status="apologies"),
            Attendance(meeting_id=meetings[1].id, person_id=k, status="present"),
            Attendance(
                meeting_id=meetings[0].id,
                person_id=o,
                status="present",
                method="scan",
                checked_in_at=EVENING,
            ),
            Attendance(meeting_id=meetings[2].id, person_id=o, status="absent"),
            Contribution(meeting_id=meetings[1].id, person_id=k, kind="spoke"),
            Contribution(meeting_id=meetings[0].id, person_id=o, kind="proposed"),
            MailingRecipient(mailing_id=mailings[0].id, person_id=k, variant="member"),
            MailingRecipient(mailing_id=mailings[0].id, person_id=o, variant="supporter"),
            MailingRecipient(mailing_id=mailings[1].id, person_id=o, variant="member"),
            ImportChange(batch_id=batch.id, person_id=o, action="created"),
        ]
    )
    session.flush()
    return k, o, {"meeting": meetings[0].id, "mailing": mailings[0].id}


# Rows of other that match one of keep's and become one row.
COMBINED = {
    "email_address": 1,
    "phone_number": 1,
    "contact_preference": 1,
    "person_tag": 1,
    "custom_field_value": 1,
    "affiliation": 1,
    "attendance": 1,
    "mailing_recipient": 1,
}


def test_a_merge_keeps_everything_of_both(database: Database) -> None:
    with database.session() as session:
        keep_id, other_id, ids = _two_records(session)
    with database.session() as session:
        keep_before, other_before = _counts(session, keep_id), _counts(session, other_id)
        assert all(other_before[t] for t in other_before if t != "audit_entry"), other_before
        result = merge(session, keep_id, other_id)

    with database.session() as session:
        after = _counts(session, keep_id)
        assert session.get(Person, other_id) is None
        assert not any(_counts(session, other_id).values())
        for table, kept in keep_before.items():
            if table == "audit_entry":
                continue  # the merge itself writes entries: checked below
            expected = kept + other_before[table] - COMBINED.get(table, 0)
            assert after[table] == expected, table
            assert result.moved.get(table, 0) == other_before[table] - COMBINED.get(table, 0)
        assert result.combined == COMBINED
        # The trail of both: every entry other had now belongs to keep, plus the merge's.
        assert after["audit_entry"] >= keep_before["audit_entry"] + other_before["audit_entry"]
        merged = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "merge", AuditEntry.person_id == keep_id)
        ).one()
        assert (
            merged.summary
            == f"Merged Anne Mary Jones (id {other_id}) into Ann Jones (id {keep_id})"
        )

        keep = session.get(Person, keep_id)
        assert keep is not None
        # Details: keep's win, gaps filled, the stronger status and the joining date taken.
        assert (keep.first_name, keep.middle_names, keep.membership_number) == (
            "Ann",
            "Mary",
            "111",
        )
        assert (keep.status, keep.joined_on, keep.follow_up) == (
            "member",
            dt.date(2019, 5, 1),
            True,
        )
        assert keep.date_of_birth == dt.date(1980, 1, 1)
        assert keep.household is not None and keep.household.line1 == "1 High St"
        assert result.filled == ("middle names", "joined on")
        clashes = {c.what: (c.kept, c.other) for c in result.clashes}
        assert clashes["first name"] == ("Ann", "Anne")
        assert clashes["date of birth"] == ("1980-01-01", "1981-02-02")
        assert clashes["membership number"] == ("111", "222")
        assert clashes["status"] == ("Supporter", "Member")
        assert clashes["address"] == ("1 High St, LS1 1AA", "9 Low Rd, LS2 2BB")
        assert clashes["custom field Ward code"] == ("A1", "B2")
        assert clashes["consent to email"] == ("yes", "no")
        assert clashes[f"letter variant in mailing {ids['mailing']}"] == ("member", "supporter")
        # Nothing lost: other's notes and every value that lost a clash are in keep's notes.
        assert keep.notes is not None and keep.notes.startswith("Keeps bees.\n\n")
        for text in ("Has a car.", "222", "1981-02-02", "9 Low Rd", "B2", f"id {other_id}"):
            assert text in keep.notes

        emails = session.execute(
            select(EmailAddress.address, EmailAddress.is_primary)
            .where(EmailAddress.person_id == keep_id)
            .order_by(EmailAddress.address)
        ).all()
        assert [tuple(e) for e in emails] == [
            ("ann@example.org", True),
            ("anne@work.example", False),
        ]
        phones = session.scalars(
            select(PhoneNumber.is_primary).where(PhoneNumber.person_id == keep_id)
        ).all()
        assert sorted(phones) == [False, True]
        consent = dict(
            session.execute(
                select(ContactPreference.channel, ContactPreference.allowed).where(
                    ContactPreference.person_id == keep_id
                )
            ).all()
        )
        assert consent == {"email": False, "sms": True}  # the refusal wins
        fields = dict(
            session.execute(
                select(CustomFieldValue.name, CustomFieldValue.value).where(
                    CustomFieldValue.person_id == keep_id
                )
            ).all()
        )
        assert fields == {"Ward code": "A1", "Ward code (merged)": "B2", "Same": "x", "Extra": "y"}
        attended = session.scalar(
            select(Attendance.status).where(
                Attendance.person_id == keep_id, Attendance.meeting_id == ids["meeting"]
            )
        )
        assert attended == "present"  # present beats apologies
        steward = session.scalar(
            select(Affiliation.role).where(
                Affiliation.person_id == keep_id, Affiliation.since == dt.date(2020, 1, 1)
            )
        )
        assert steward == "Steward"
        assert session.scalar(select(func.count()).select_from(AnswerChoice)) == 1
        # The moved email is searchable under the person kept.
        assert count_people(session, "anne@work.example") == 1


def test_refusals_leave_the_database_unchanged(database: Database) -> None:
    with database.session() as session:
        keep_id, other_id, _ = _two_records(session)
    before = dump_tables(database)
    for keep, other, message in (
        (keep_id, keep_id, "cannot be merged with themself"),
        (keep_id, 424242, "no person with id 424242"),
        (424242, other_id, "no person with id 424242"),
    ):
        with pytest.raises(UserError, match=message) as refused, database.session() as session:
            merge(session, keep, other)
        assert str(refused.value).count(".") == 1  # one sentence
        if "424242" in message:
            assert isinstance(refused.value, NotFound)
    assert dump_tables(database) == before


def test_a_membership_number_keep_lacks_is_taken(database: Database) -> None:
    with database.session() as session:
        keep = Person(first_name="Bob", last_name="Hale", status="guest")
        other = Person(
            first_name="Robert",
            last_name="Hale",
            status="lapsed",
            membership_number="0805914",
            joined_on=dt.date(2010, 1, 1),
            lapsed_on=dt.date(2020, 1, 1),
        )
        session.add_all([keep, other])
        session.flush()
        keep_id, other_id = keep.id, other.id
        mark_not_duplicate(session, other_id, keep_id)
        third = Person(first_name="Rob", last_name="Hale")
        session.add(third)
        session.flush()
        mark_not_duplicate(session, other_id, third.id)
    with database.session() as session:
        result = merge(session, keep_id, other_id)
    with database.session() as session:
        kept = session.get(Person, keep_id)
        assert kept is not None
        assert (kept.membership_number, kept.status) == ("0805914", "lapsed")
        assert (kept.joined_on, kept.lapsed_on) == (dt.date(2010, 1, 1), dt.date(2020, 1, 1))
        assert "membership number" in result.filled
        # Robert was not Rob, so the person kept is not Rob either; the pair merged is gone.
        assert dismissed_pairs(session) == {(keep_id, third.id)}


def test_every_table_that_points_at_a_person_is_in_the_merge_test() -> None:
    # A new table with a person_id must get a row in _two_records (and a rule in db.merge).
    covered = {
        "email_address", "phone_number", "contact_preference", "detail_verification",
        "person_tag", "custom_field_value", "affiliation", "answer", "activity",
        "attendance", "contribution", "mailing_recipient", "import_change", "audit_entry",
    }  # fmt: skip
    assert {table.name for table in _person_tables()} == covered
