"""Likely duplicates for each reason, never for strangers; and the data-quality lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.data_quality import QualityIssue, data_quality, problem_people
from db.database import Database
from db.duplicates import (
    SAME_EMAIL,
    SAME_NAME_AND_POSTCODE,
    SIMILAR_NAMES_AT_ADDRESS,
    find_duplicates,
    folded_name,
    forget_not_duplicate,
    mark_not_duplicate,
    name_similarity,
)
from db.models import DetailVerification, EmailAddress, Household, Person, PhoneNumber


def _person(
    session: Session,
    first: str,
    last: str,
    household: Household | None = None,
    *,
    email: str | None = None,
    born: dt.date | None = None,
    number: str | None = None,
) -> int:
    person = Person(
        first_name=first,
        last_name=last,
        household=household,
        date_of_birth=born,
        membership_number=number,
        status="member" if number else "contact",
    )
    if email:
        person.emails.append(EmailAddress(address=email, is_primary=True))
    session.add(person)
    session.flush()
    return person.id


def _reasons(session: Session) -> dict[frozenset[int], tuple[str, ...]]:
    return {frozenset(pair.ids): pair.reasons for pair in find_duplicates(session)}


def test_duplicates_are_found_for_each_reason_and_not_for_strangers(database: Database) -> None:
    with database.session() as session:
        home = Household(line1="1 High St", postcode="LS1 1AA")
        flat = Household(line1="Flat 2, 1 High St", postcode="ls1 1aa")  # same postcode
        away = Household(line1="9 Low Rd", postcode="M1 1AA")
        couple = Household(line1="3 Mill Lane", postcode="M2 2BB")
        session.add_all([home, flat, away, couple])
        ann = _person(session, "Ann", "Jones", email="ann@example.org", number="1")
        ann_again = _person(session, "Annie", "Smith", away, email=" ANN@example.org")
        sian = _person(session, "Siân", "Llŷr-Jones", home)
        sian_again = _person(session, "Sian", "Llyr-Jones", flat, number="2")
        jon = _person(session, "Jon", "Hale", couple)
        john = _person(session, "John", "Hale", couple)
        mary = _person(session, "Mary", "Hale", couple)  # Jon's wife: not a duplicate
        swapped = _person(session, "Hale", "John", couple)  # typed the wrong way round
        # A father and son of one name and address, born years apart: not duplicates.
        _person(session, "Tom", "Ward", away, born=dt.date(1950, 1, 1))
        _person(session, "Tom", "Ward", away, born=dt.date(1980, 1, 1))
        _person(session, "Ann", "Jones", away)  # the same name elsewhere: a stranger

    with database.session() as session:
        reasons = _reasons(session)
        pairs = find_duplicates(session)
    assert reasons[frozenset((ann, ann_again))] == (SAME_EMAIL,)
    assert reasons[frozenset((sian, sian_again))] == (SAME_NAME_AND_POSTCODE,)
    assert reasons[frozenset((jon, john))] == (SIMILAR_NAMES_AT_ADDRESS,)
    assert reasons[frozenset((john, swapped))] == (SIMILAR_NAMES_AT_ADDRESS,)
    assert frozenset((jon, mary)) not in reasons and frozenset((john, mary)) not in reasons
    assert set(reasons) == {
        frozenset((ann, ann_again)),
        frozenset((sian, sian_again)),
        frozenset((jon, john)),
        frozenset((john, swapped)),
        frozenset((jon, swapped)),
    }
    # The record with a membership number is the one to keep.
    sian_pair = next(p for p in pairs if set(p.ids) == {sian, sian_again})
    assert (sian_pair.keep.id, sian_pair.keep.membership_number) == (sian_again, "2")
    assert sian_pair.similarity == 100 and sian_pair.keep.postcode == "ls1 1aa"
    # Most alike first among pairs with as many reasons.
    assert [p.similarity for p in pairs] == sorted((p.similarity for p in pairs), reverse=True)

    with database.session() as session:
        assert mark_not_duplicate(session, jon, john)
        assert not mark_not_duplicate(session, john, jon)
    with database.session() as session:
        assert frozenset((jon, john)) not in _reasons(session)
        assert forget_not_duplicate(session, john, jon)
    with database.session() as session:
        assert frozenset((jon, john)) in _reasons(session)


def test_name_similarity() -> None:
    def alike(a: str, b: str, preferred: str | None = None) -> int:
        first_a, last_a = a.split(" ", 1)
        first_b, last_b = b.split(" ", 1)
        return name_similarity(
            folded_name(first_a, last_a, preferred), folded_name(first_b, last_b, None)
        )

    assert alike("Katherine Mitchell", "Catherine Mitchel") >= 85
    assert alike("J Smith", "John Smith") >= 85
    assert alike("Elizabeth Smith", "Liz Smith", preferred="Liz") == 100
    for a, b in [
        ("Mark Smith", "Mary Smith"),
        ("Nathan Smith", "Jonathan Smith"),
        ("Nicola Smith", "Nicholas Smith"),
        ("Sian Jones", "Sean Jones"),
        ("Ann Smith", "Ann Jones"),
    ]:
        assert alike(a, b) < 85, (a, b)


def test_a_run_on_the_demo_branch_finishes(demo_database: Database) -> None:
    with demo_database.session() as session:
        pairs = find_duplicates(session)
        quality = data_quality(session, months=12, today=dt.date(2026, 11, 1))
        people = session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1))
    assert people is not None
    for pair in pairs:
        assert pair.keep.id != pair.other.id and pair.reasons
    counts = quality.counts()
    assert counts["emails"] > 0 and counts["unverified"] > 0
    # The dashboard's counting path finds exactly the people the lists name.
    with demo_database.session() as session:
        counted = problem_people(session, months=12, today=dt.date(2026, 11, 1))
    for key in ("emails", "phones", "postcodes", "unverified"):
        assert counted[key] == {issue.person_id for issue in getattr(quality, key)}, key
    assert counted["any"] == set().union(*(counted[k] for k in counts))


def test_data_quality_lists(database: Database) -> None:
    today = dt.date(2026, 11, 1)
    with database.session() as session:
        home = Household(line1="1 High St", postcode="LS1 1AA")
        odd = Household(line1="2 High St", postcode="ls11aa")
        bad = Household(line1="3 High St", postcode="NOT A CODE")
        session.add_all([home, odd, bad])
        fine = _person(session, "Fine", "Person", home, email="fine@example.org")
        session.add(PhoneNumber(person_id=fine, number="07700 900123", is_primary=True))
        broken = _person(session, "Broken", "Person", odd, email="not-an-email")
        session.add(PhoneNumber(person_id=broken, number="12", is_primary=True))
        nowhere = _person(session, "No", "Where", None)
        badcode = _person(session, "Bad", "Code", bad)
        session.add_all(
            [
                DetailVerification(person_id=fine, detail=group, verified_on=today, source="form")
                for group in ("address", "email", "phone")
            ]
            + [
                DetailVerification(
                    person_id=broken,
                    detail="address",
                    verified_on=dt.date(2020, 1, 1),
                    source="form",
                )
            ]
        )
    with database.session() as session:
        report = data_quality(session, months=24, today=today)
        counted = problem_people(session, months=24, today=today)
    assert counted["postcodes"] == {broken, nowhere, badcode}
    assert counted["any"] == {broken, nowhere, badcode}

    def problems(issues: list[QualityIssue]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for issue in issues:
            found.setdefault(issue.person_id, []).append(issue.problem)
        return found

    assert problems(report.emails) == {
        broken: ["'not-an-email' is not an email address"],
        nowhere: ["has no email address"],
        badcode: ["has no email address"],
    }
    phones = problems(report.phones)
    assert fine not in phones and phones[nowhere] == ["has no phone number"]
    assert phones[broken][0].startswith("'12' ")
    assert problems(report.postcodes) == {
        broken: ["'ls11aa' should be written LS1 1AA"],
        nowhere: ["has no address"],
        badcode: ["'NOT A CODE' is not a UK postcode"],
    }
    unverified = problems(report.unverified)
    assert fine not in unverified
    assert unverified[broken] == [
        "address last confirmed on 01/01/2020",
        "email never confirmed",
        "phone never confirmed",
    ]
    assert unverified[badcode] == ["address never confirmed"]
