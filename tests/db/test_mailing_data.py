"""A mailing's recipients, read in bulk; letters per person and per household; the record."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from db import mailing_data
from db.database import Database
from db.letter_templates import compile_template
from db.mailing_data import (
    LEFT_OUT_NO_ADDRESS,
    LEFT_OUT_REFUSED_POST,
    gather_recipients,
    plan_letters,
    record_mailing,
    segment_sets,
)
from db.models import AuditEntry, Household, Mailing, MailingRecipient, Person
from tests.helpers.mailing_people import Branch, seed_branch

TODAY = dt.date(2026, 11, 27)
BY_STATUS = """Dear {{ salutation }},

{% if is_member %}Thank you for being a member.{% else %}Would you like to join?{% endif %}
"""
SAME_FOR_ALL = "Dear {{ salutation }},\n\nCome to the winter social.\n"


@pytest.fixture
def branch(database: Database) -> Branch:
    return seed_branch(database)


def test_recipients_carry_what_a_letter_can_say(database: Database, branch: Branch) -> None:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
    by_name = {r.full_name: r for r in gathered.recipients}
    siân = by_name["Siân Llŷr-Jones"]
    assert siân.address_lines == ("12 Heol y Bont", "Caerdydd", "CF10 1AA")
    assert (siân.ward, siân.postcode, siân.membership_number) == ("Cathays", "CF10 1AA", "M0001")
    assert siân.engagement == "Never seen"
    assert siân.last_meeting_attended is None
    assert not siân.lives_with_member
    assert by_name["Dafydd Llŷr-Jones"].lives_with_member
    assert by_name["Dafydd Llŷr-Jones"].salutation == "Dafydd"
    assert by_name["Zoë Ó Dúnlaing"].address_lines[:2] == ("Flat 3", "7 Quay Street")


def test_refusers_and_the_addressless_are_left_out_and_counted(
    database: Database, branch: Branch
) -> None:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
    assert {(o.name, o.reason) for o in gathered.left_out} == {
        ("Peter Quiet", LEFT_OUT_REFUSED_POST),
        ("Nora Nowhere", LEFT_OUT_NO_ADDRESS),
    }
    assert len(gathered.recipients) == len(branch.everyone) - 2


def test_per_person_everyone_gets_their_own_letter(database: Database, branch: Branch) -> None:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
    letters = plan_letters(gathered, compile_template(SAME_FOR_ALL), today=TODAY)
    assert [letter.person_ids for letter in letters] == [
        (r.person_id,) for r in gathered.recipients
    ]
    assert len({letter.variant for letter in letters}) == 1
    assert letters[0].addressee == "Ms Siân Llŷr-Jones"
    assert letters[0].text.startswith("Dear Siân,")


def test_per_household_a_member_and_a_non_member_still_get_different_letters(
    database: Database, branch: Branch
) -> None:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
    letters = plan_letters(gathered, compile_template(BY_STATUS), per_household=True, today=TODAY)
    by_people = {letter.person_ids: letter for letter in letters}
    siân, dafydd = branch["Siân Llŷr-Jones"], branch["Dafydd Llŷr-Jones"]
    assert (siân,) in by_people and (dafydd,) in by_people
    assert "member" in by_people[(siân,)].text
    assert "join" in by_people[(dafydd,)].text
    assert by_people[(siân,)].variant != by_people[(dafydd,)].variant
    # Two supporters at one address read the same letter: one envelope naming both.
    wójciks = by_people[(branch["Łukasz Wójcik"], branch["Agnieszka Wójcik"])]
    assert wójciks.addressee == "Mr Ł & Mrs A Wójcik"
    assert wójciks.text.startswith("Dear Łukasz and Agnieszka,")
    assert wójciks.address_lines == ("4 Mill Lane", "Leeds", "LS1 4AB")
    assert len(letters) == 5


def test_per_household_the_same_letter_goes_in_one_envelope(
    database: Database, branch: Branch
) -> None:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
    letters = plan_letters(
        gathered, compile_template(SAME_FOR_ALL), per_household=True, today=TODAY
    )
    pair = next(letter for letter in letters if branch["Siân Llŷr-Jones"] in letter.person_ids)
    assert pair.person_ids == (branch["Siân Llŷr-Jones"], branch["Dafydd Llŷr-Jones"])
    assert pair.addressee == "Ms S & Mr D Llŷr-Jones"
    assert len(pair.codes) == 2


def test_segment_paragraphs_follow_the_segment_sets(database: Database, branch: Branch) -> None:
    body = '{% if in_segment("Members") %}For members.{% else %}For others.{% endif %}'
    template = compile_template(body)
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
        real = segment_sets(session, template.segments, branch.everyone, TODAY)
    fake = {"Members": {branch["Zoë Ó Dúnlaing"]}}
    texts = {
        letter.person_ids[0]: letter.text
        for letter in plan_letters(gathered, template, segments=fake, today=TODAY)
    }
    assert texts[branch["Zoë Ó Dúnlaing"]] == "For members."
    assert texts[branch["Siân Llŷr-Jones"]] == "For others."
    assert branch["Siân Llŷr-Jones"] in real["Members"]
    assert branch["Dafydd Llŷr-Jones"] not in real["Members"]


def test_the_mailing_records_who_got_which_variant(database: Database, branch: Branch) -> None:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
        letters = plan_letters(
            gathered, compile_template(BY_STATUS), per_household=True, today=TODAY
        )
        mailing_id = record_mailing(
            session,
            title="Winter letter to Everyone",
            letters=letters,
            left_out=len(gathered.left_out),
            per_household=True,
        )
    with database.session() as session:
        mailing = session.get(Mailing, mailing_id)
        assert mailing is not None
        assert (mailing.mode, mailing.recipient_count, mailing.left_out_count) == (
            "household",
            6,
            2,
        )
        got = dict(
            session.execute(
                select(MailingRecipient.person_id, MailingRecipient.variant).where(
                    MailingRecipient.mailing_id == mailing_id
                )
            ).all()
        )
        assert set(got) == {r.person_id for r in gathered.recipients}
        assert got[branch["Siân Llŷr-Jones"]] == got[branch["Zoë Ó Dúnlaing"]]
        assert got[branch["Siân Llŷr-Jones"]] != got[branch["Dafydd Llŷr-Jones"]]
        assert (
            session.scalar(
                select(AuditEntry.summary).where(AuditEntry.table_name == "mailing_recipient")
            )
            == "Mailing 'Winter letter to Everyone': 6 recipients, 2 left out"
        )


def test_gathering_thousands_takes_a_few_chunked_queries(database: Database) -> None:
    with database.session() as session:
        homes = [Household(line1=f"{n} Long Road", postcode="CF10 1AA") for n in range(600)]
        session.add_all(
            Person(first_name=f"P{n}", last_name="Many", status="member", household=homes[n // 2])
            for n in range(1200)
        )
    statements: list[str] = []
    with database.session() as session:
        ids = list(session.scalars(select(Person.id)))
        event.listen(
            session.connection(), "before_cursor_execute", lambda *a: statements.append(a[2])
        )
        gathered = gather_recipients(session, ids, today=TODAY)
    assert len(gathered.recipients) == 1200
    assert all(r.lives_with_member for r in gathered.recipients)
    assert len(statements) <= 20  # 3 chunks of 500: people, preferences, housemates; figures


def test_a_big_segment_reads_whole_tables_and_gathers_the_same(
    database: Database, branch: Branch, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = [branch["Zoë Ó Dúnlaing"], *branch.everyone]  # in this order, one repeated
    with database.session() as session:
        sliced = gather_recipients(session, wanted, today=TODAY)
    monkeypatch.setattr(mailing_data, "_WHOLE_TABLE_ABOVE", 0)
    with database.session() as session:
        whole = gather_recipients(session, wanted, today=TODAY)
        some = gather_recipients(session, [branch["Dafydd Llŷr-Jones"]], today=TODAY)
    assert whole == sliced
    assert whole.recipients[0].full_name == "Zoë Ó Dúnlaing"
    assert len(whole.left_out) == 2
    assert [r.full_name for r in some.recipients] == ["Dafydd Llŷr-Jones"]
    assert some.recipients[0].lives_with_member  # Siân, not asked for, is still his housemate
