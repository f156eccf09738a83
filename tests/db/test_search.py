"""Search forgives the way people type at a door."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.database import Database
from db.folding import sort_key
from db.models import EmailAddress, Household, Person
from db.people import NewPerson, add_person, count_people, list_people, page_select
from db.search import DocumentCache, Plan, choose_plan, search_document

PEOPLE = [
    ("Siân", "Llŷr-Jones", "0805914", "CF10 1AA", "sian.llyr@example.org"),
    ("Łukasz", "Wójcik", "1200001", "LS6 2AB", "lukasz@example.org"),
    ("Zoë", "Ødegaard", None, "LS6 3CD", None),
    ("Heinz", "Straße", None, None, "heinz@example.de"),
    ("Seán", "O'Brien", "0000042", "BT1 1AA", None),
    ("Lan", "Nguyễn", None, "E1 6AN", None),
    ("Aoife", "Ó Dúnlaing", None, None, None),
    ("Sian", "Evans", None, "CF10 2BB", None),
    ("Brian", "Smith", None, None, None),
]


@pytest.fixture
def people(database: Database) -> Database:
    with database.session() as session:
        for first, last, number, postcode, email in PEOPLE:
            person = Person(
                first_name=first, last_name=last, status="member", membership_number=number
            )
            if postcode:
                person.household = Household(line1="1 High Street", postcode=postcode)
            if email:
                person.emails.append(EmailAddress(address=email, is_primary=True))
            session.add(person)
    return database


def names(database: Database, query: str) -> list[str]:
    with database.session() as session:
        rows = list_people(session, query)
        assert count_people(session, query) == len(rows)
    return [f"{row.first_name} {row.last_name}" for row in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sian", ["Sian Evans", "Siân Llŷr-Jones"]),
        ("SIÂN", ["Sian Evans", "Siân Llŷr-Jones"]),
        ("lukasz", ["Łukasz Wójcik"]),
        ("odegaard", ["Zoë Ødegaard"]),
        ("zoe", ["Zoë Ødegaard"]),
        ("strasse", ["Heinz Straße"]),
        ("obrien", ["Seán O'Brien"]),
        ("o'brien", ["Seán O'Brien"]),
        ("o brien", ["Seán O'Brien"]),
        ("odunlaing", ["Aoife Ó Dúnlaing"]),
        ("nguyen", ["Lan Nguyễn"]),
        ("llyrjones", ["Siân Llŷr-Jones"]),
        ("jones sian", ["Siân Llŷr-Jones"]),
        ("0805914", ["Siân Llŷr-Jones"]),
        ("080", ["Siân Llŷr-Jones"]),
        ("cf10", ["Sian Evans", "Siân Llŷr-Jones"]),
        ("cf101aa", ["Siân Llŷr-Jones"]),
        ("CF10 1AA", ["Siân Llŷr-Jones"]),
        ("heinz@example", ["Heinz Straße"]),
        ("bri", ["Seán O'Brien", "Brian Smith"]),
        ("nobody", []),
        ("", None),
        ("  -- ", None),
    ],
)
def test_search_finds_people_as_typed(
    people: Database, query: str, expected: list[str] | None
) -> None:
    found = names(people, query)
    if expected is None:  # nothing searchable typed: everyone
        assert len(found) == len(PEOPLE)
    else:
        assert found == expected


def test_the_list_is_alphabetical_by_surname_ignoring_accents(people: Database) -> None:
    surnames = [n.split(" ", 1)[1] for n in names(people, "")]
    assert surnames == [
        "Evans",
        "Llŷr-Jones",
        "Nguyễn",
        "O'Brien",
        "Ødegaard",
        "Ó Dúnlaing",
        "Smith",
        "Straße",
        "Wójcik",
    ]


def test_pages_follow_on_without_repeats_or_gaps(database: Database) -> None:
    with database.session() as session:
        for i in range(25):
            add_person(session, NewPerson(f"First{i:02d}", "Same", "member"))
    with database.session() as session:
        seen: list[int] = []
        page = list_people(session, "same", limit=10)
        while page:
            seen.extend(row.id for row in page)
            page = list_people(session, "same", after=(page[-1].sort_key, page[-1].id), limit=10)
    assert len(seen) == len(set(seen)) == 25


def test_an_edit_is_found_under_its_new_name_at_once(people: Database) -> None:
    with people.session() as session:
        person = session.query(Person).filter_by(last_name="Smith").one()
        person.last_name = "Jędrzejczyk"
        person.emails.append(EmailAddress(address="brian.j@example.org"))
    assert names(people, "jedrz") == ["Brian Jędrzejczyk"]
    assert names(people, "smith") == []
    assert names(people, "brian.j") == ["Brian Jędrzejczyk"]


@pytest.mark.parametrize("query", ["s", "sian", "o brien", "cf10", "heinz@example", "e", "zz"])
def test_every_query_plan_finds_the_same_people(people: Database, query: str) -> None:
    with people.session() as session:
        pages = {
            plan: [row.id for row in session.execute(page_select(session, query, plan=plan))]
            for plan in Plan
        }
    assert pages[Plan.WALK_ORDER] == pages[Plan.SORT_MATCHES] == pages[Plan.TEST_ROWS]


def test_the_plan_follows_the_share_of_people_matched() -> None:
    assert choose_plan(None, 100_000) is Plan.SORT_MATCHES
    assert choose_plan(1_500, 100_000) is Plan.SORT_MATCHES
    assert choose_plan(15_000, 100_000) is Plan.WALK_ORDER
    assert choose_plan(90_000, 100_000) is Plan.TEST_ROWS


def test_email_domains_alone_do_not_match(people: Database) -> None:
    assert names(people, "example") == []
    assert names(people, "sian.llyr@example.org") == ["Siân Llŷr-Jones"]


_TEXT = st.text(alphabet="abcÉéŁł' -.0123456789@", max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    first=_TEXT,
    last=_TEXT,
    middle=st.one_of(st.none(), _TEXT),
    preferred=st.one_of(st.none(), _TEXT),
    number=st.one_of(st.none(), _TEXT),
    postcode=st.one_of(st.none(), _TEXT),
    emails=st.lists(_TEXT, max_size=3),
)
def test_the_bulk_document_cache_gives_exactly_search_document(
    first: str,
    last: str,
    middle: str | None,
    preferred: str | None,
    number: str | None,
    postcode: str | None,
    emails: list[str],
) -> None:
    fields = {
        "first_name": first,
        "last_name": last,
        "middle_names": middle,
        "preferred_name": preferred,
        "membership_number": number,
        "postcode": postcode,
        "emails": emails,
    }
    cache = DocumentCache()
    assert cache.document(**fields) == search_document(**fields)  # type: ignore[arg-type]
    assert cache.document(**fields) == search_document(**fields)  # type: ignore[arg-type]
    assert cache.sort_key(last, first) == sort_key(last, first)
