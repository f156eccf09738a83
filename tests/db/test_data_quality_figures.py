"""The data-quality report's figures: people per kind of problem on a branch whose every
problem is known, and the share with complete, confirmed details."""

from __future__ import annotations

import datetime as dt

from db.data_quality_figures import data_quality_figures
from db.database import Database
from db.models import DetailVerification, EmailAddress, Household, Person, PhoneNumber
from db.search import sort_key

TODAY = dt.date(2026, 7, 1)


def seed_quality(database: Database) -> dict[str, int]:
    """Four people; the comments say what is wrong with each."""
    with database.session() as session:

        def person(first: str, last: str, home: Household | None, **more: object) -> Person:
            row = Person(first_name=first, last_name=last, household=home, **more)
            row.sort_key = sort_key(last, first)
            session.add(row)
            return row

        # Everything sound and confirmed this year.
        lukasz = person("Łukasz", "Wójcik", Household(line1="1 Long Row", postcode="LS1 1AA"))
        lukasz.emails.append(EmailAddress(address="lukasz@example.org"))
        lukasz.phones.append(PhoneNumber(number="07700 900123"))
        # No email, a phone number that is not one, a postcode written wrongly; nothing
        # confirmed.
        huong = person("Nguyễn Thị", "Hương", Household(line1="2 Long Row", postcode="ls11aa"))
        huong.phones.append(PhoneNumber(number="12"))
        # A broken email, no phone, no address.
        ann = person("Ann", "Able", None)
        ann.emails.append(EmailAddress(address="ann@"))
        # An address without a postcode; membership last confirmed in 2020.
        ben = person("Ben", "Bloggs", Household(line1="3 Long Row"), membership_number="B1")
        ben.emails.append(EmailAddress(address="ben@example.org"))
        ben.phones.append(PhoneNumber(number="07700 900456"))
        session.flush()
        for detail in ("address", "email", "phone"):
            session.add(
                DetailVerification(
                    person_id=lukasz.id,
                    detail=detail,
                    verified_on=dt.date(2026, 2, 1),
                    source="in_person",
                )
            )
        session.add(
            DetailVerification(
                person_id=ben.id,
                detail="membership",
                verified_on=dt.date(2020, 1, 1),
                source="national_list",
            )
        )
        return {"Łukasz": lukasz.id, "Huong": huong.id, "Ann": ann.id, "Ben": ben.id}


def test_people_per_problem(database: Database) -> None:
    seed_quality(database)
    with database.session() as session:
        f = data_quality_figures(session, today=TODAY)
    assert {p.label: p.people for p in f.problems} == {
        "No email address": 1,
        "An email address that would not be accepted": 1,
        "No phone number": 1,
        "A phone number that would not be accepted": 1,
        "No address": 1,
        "An address with no postcode": 1,
        "A postcode that is not one": 0,
        "A postcode written wrongly": 1,
        "Address not confirmed in 24 months": 2,
        "Email not confirmed in 24 months": 2,
        "Phone not confirmed in 24 months": 2,
        "Membership not confirmed in 24 months": 1,
    }
    assert (f.people, f.people_with_problems, f.people_clean) == (4, 3, 1)
    assert f.lists.counts() == {"emails": 2, "phones": 2, "postcodes": 3, "unverified": 7}


def test_a_shorter_window_finds_more_to_confirm(database: Database) -> None:
    seed_quality(database)
    with database.session() as session:
        f = data_quality_figures(session, months=3, today=TODAY)
    assert f.months == 3
    assert {p.label: p.people for p in f.problems}["Address not confirmed in 3 months"] == 3
    assert f.people_clean == 0
