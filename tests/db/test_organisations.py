"""Organisations, who belongs to them, and the branch's members in each trade union."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.database import Database
from db.errors import Ambiguous, Conflict, NotFound, UserError
from db.models import Affiliation, Person
from db.organisations import (
    Affiliated,
    OrganisationRow,
    add_organisation,
    affiliate,
    delete_affiliation,
    delete_organisation,
    end_affiliation,
    find_organisation,
    list_organisations,
    person_affiliations,
    reopen_affiliation,
    union_members,
)
from db.people import NewPerson, add_person
from tests.helpers.checks import dump_tables
from tests.helpers.table_contents import contents

TODAY = dt.date(2026, 11, 27)


def test_add_and_find_organisations(database: Database) -> None:
    with database.session() as session:
        unite = add_organisation(session, "  Unite   the Union ", "trade_union", "Unite")
        gmb = add_organisation(session, "GMB", "trade_union")
        coop = add_organisation(session, "Co-operative Party", "cooperative", " Co-op ")
    with database.session() as session:
        assert find_organisation(session, "unite the union") == unite
        assert find_organisation(session, "UNITE") == unite  # the short name
        assert find_organisation(session, str(gmb)) == gmb
        assert find_organisation(session, "co-op") == coop
        rows = list_organisations(session, today=TODAY)
    assert [(r.name, r.short_name, r.kind_label) for r in rows] == [
        ("Co-operative Party", "Co-op", "Co-operative society"),
        ("GMB", None, "Trade union"),
        ("Unite the Union", "Unite", "Trade union"),
    ]


@pytest.mark.parametrize(
    ("name", "kind", "short", "error", "message"),
    [
        ("   ", "trade_union", None, UserError, "An organisation needs a name."),
        ("Unite", "guild", None, UserError, "'guild' is not a kind of organisation; use one of"),
        ("UNISON", "trade_union", None, Conflict, "There is already an organisation called"),
        ("X" * 201, "other", None, UserError, "An organisation's name is at most 200"),
        ("Shelter", "campaign", "S" * 41, UserError, "An organisation's short name is at most"),
    ],
)
def test_refused_organisations_change_nothing(
    database: Database,
    name: str,
    kind: str,
    short: str | None,
    error: type[UserError],
    message: str,
) -> None:
    with database.session() as session:
        add_organisation(session, "Unison", "trade_union")
    before = dump_tables(database)
    with pytest.raises(error) as raised, database.session() as session:
        add_organisation(session, name, kind, short)
    assert str(raised.value).startswith(message)
    assert dump_tables(database) == before


def test_finding_an_unknown_or_ambiguous_organisation(database: Database) -> None:
    with database.session() as session:
        add_organisation(session, "Friends of the Park", "community", "FOP")
        add_organisation(session, "Federation of Pensioners", "campaign", "fop")
    with database.session() as session:
        with pytest.raises(Ambiguous) as ambiguous:
            find_organisation(session, "FOP")
        assert len(ambiguous.value.candidates) == 2
        with pytest.raises(NotFound, match="There is no organisation called or numbered 'RMT'"):
            find_organisation(session, "RMT")


def test_affiliations_start_end_and_history(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        unison = add_organisation(session, "UNISON", "trade_union")
        shelter = add_organisation(session, "Shelter", "campaign")
        first = affiliate(session, ann, unison, "  shop   steward ", dt.date(2015, 4, 1))
        affiliate(session, ann, shelter)
    with database.session() as session:
        rows = person_affiliations(session, ann, today=TODAY)
        assert [(r.organisation, r.role, r.current) for r in rows] == [
            ("Shelter", None, True),
            ("UNISON", "shop steward", True),
        ]

    before = dump_tables(database)
    refusals: list[tuple[type[UserError], str, object]] = [
        (Conflict, "Ann Jones already belongs to UNISON;", lambda s: affiliate(s, ann, unison)),
        (NotFound, "There is no person with id 999.", lambda s: affiliate(s, 999, unison)),
        (NotFound, "There is no organisation 999.", lambda s: affiliate(s, ann, 999)),
        (
            UserError,
            "An affiliation cannot end (2014-01-01) before it began (2015-04-01).",
            lambda s: end_affiliation(s, first, dt.date(2014, 1, 1)),
        ),
        (NotFound, "There is no affiliation 999.", lambda s: end_affiliation(s, 999, TODAY)),
        (UserError, "A role is at most 120", lambda s: affiliate(s, ann, unison, "r" * 121)),
    ]
    for error, message, attempt in refusals:
        with pytest.raises(error) as raised, database.session() as session:
            attempt(session)  # type: ignore[operator]
        assert str(raised.value).startswith(message)
    assert dump_tables(database) == before

    with database.session() as session:
        end_affiliation(session, first, dt.date(2026, 3, 31))
    with database.session() as session:
        with pytest.raises(Conflict, match="already ended on 2026-03-31"):
            end_affiliation(session, first, TODAY)
        with pytest.raises(Conflict, match="already has an affiliation to UNISON from 2015"):
            affiliate(session, ann, unison, since=dt.date(2015, 4, 1))
        rejoined = affiliate(session, ann, unison, since=dt.date(2026, 9, 1))
    with database.session() as session:
        rows = person_affiliations(session, ann, today=TODAY)
        assert [(r.id, r.organisation, r.current) for r in rows] == [
            (rows[0].id, "Shelter", True),  # current ones alphabetical
            (rejoined, "UNISON", True),
            (first, "UNISON", False),  # history stays, after them
        ]
        assert rows[2].until == dt.date(2026, 3, 31)
        with pytest.raises(NotFound, match="There is no person with id 999"):
            person_affiliations(session, 999)


def test_union_members_are_current_members_in_trade_unions(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        bob = add_person(session, NewPerson("Bob", "Hale", status="member"))
        cy = add_person(session, NewPerson("Cy", "Ward", status="member"))
        partner = add_person(session, NewPerson("Dee", "Jones", status="contact"))
        unison = add_organisation(session, "UNISON", "trade_union")
        gmb = add_organisation(session, "GMB", "trade_union")
        add_organisation(session, "RMT", "trade_union")
        shelter = add_organisation(session, "Shelter", "campaign")
        affiliate(session, ann, unison)
        affiliate(session, bob, unison, since=dt.date(2020, 1, 1))
        affiliate(session, partner, unison)  # not a member of the branch
        left = affiliate(session, cy, gmb)
        end_affiliation(session, left, dt.date(2026, 1, 1))  # left: not counted
        affiliate(session, cy, unison, since=TODAY)  # joined today: counted
        affiliate(session, bob, gmb, since=TODAY + dt.timedelta(days=1))  # not yet
        affiliate(session, cy, shelter)  # not a union
        ends_today = affiliate(session, ann, gmb)
        end_affiliation(session, ends_today, TODAY)  # ended today: history
    with database.session() as session:
        unions = union_members(session, today=TODAY)
        counts = {row.name: row.current for row in list_organisations(session, today=TODAY)}
    assert [(u.name, u.members) for u in unions] == [("UNISON", 3), ("GMB", 0), ("RMT", 0)]
    assert unions[0].person_ids == (bob, ann, cy)  # as the people list sorts them
    assert counts == {"GMB": 0, "RMT": 0, "Shelter": 1, "UNISON": 4}


def test_union_members_in_the_demo_branch(demo_database: Database) -> None:
    """The one grouped SELECT agrees with counting the affiliations one by one."""
    day = dt.date(2026, 11, 1)
    with demo_database.session() as session:
        unions = union_members(session, today=day)
        expected: dict[int, set[int]] = {}
        for row in session.scalars(select(Affiliation)):
            person = session.get(Person, row.person_id)
            current = (row.since is None or row.since <= day) and (
                row.until is None or row.until > day
            )
            if row.organisation.kind == "trade_union" and current and person.status == "member":
                expected.setdefault(row.organisation_id, set()).add(row.person_id)
    assert sum(u.members for u in unions) > 0
    assert {u.organisation_id: set(u.person_ids) for u in unions if u.members} == expected
    assert [u.members for u in unions] == sorted((u.members for u in unions), reverse=True)


def test_each_change_has_a_reverse_that_puts_back_the_same_rows(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        unison = add_organisation(session, "UNISON", "trade_union")
    start = contents(database)
    with database.session() as session:
        fbu = add_organisation(session, "Fire Brigades Union", "trade_union", "FBU")
    added = contents(database)
    with database.session() as session:
        gone = delete_organisation(session, fbu)
    assert gone == OrganisationRow(
        fbu, "Fire Brigades Union", "FBU", "trade_union", gone.kind_label, 0
    )
    assert contents(database) == start
    with database.session() as session:
        assert (
            add_organisation(session, gone.name, gone.kind, gone.short_name, restore_id=fbu) == fbu
        )
    assert contents(database) == added

    with database.session() as session:
        first = affiliate(session, ann, unison, " shop  steward ", dt.date(2015, 4, 1))
    joined = contents(database)
    with database.session() as session:
        end_affiliation(session, first, dt.date(2026, 3, 31))
    ended = contents(database)
    with database.session() as session:
        assert reopen_affiliation(session, first) == dt.date(2026, 3, 31)
    assert contents(database) == joined
    with database.session() as session:
        assert reopen_affiliation(session, first, dt.date(2026, 3, 31)) is None
    assert contents(database) == ended
    with database.session() as session:
        was = delete_affiliation(session, first)
    assert was == Affiliated(
        first, ann, unison, "shop steward", dt.date(2015, 4, 1), dt.date(2026, 3, 31)
    )
    assert contents(database) == added
    with database.session() as session:
        again = affiliate(session, ann, unison, was.role, was.since, restore_id=first)
        end_affiliation(session, again, dt.date(2026, 3, 31))
    assert again == first and contents(database) == ended

    with database.session() as session:
        affiliate(session, ann, unison, since=dt.date(2026, 9, 1))  # rejoined
    before = dump_tables(database)
    refusals: list[tuple[type[UserError], str, object]] = [
        (
            Conflict,
            "UNISON has 2 affiliations recorded, so it was kept.",
            lambda s: delete_organisation(s, unison),
        ),
        (NotFound, "There is no organisation 999.", lambda s: delete_organisation(s, 999)),
        (
            Conflict,
            "'Shelter' cannot be put back: its number is in use.",
            lambda s: add_organisation(s, "Shelter", "campaign", restore_id=unison),
        ),
        (
            Conflict,
            "That affiliation cannot be put back",
            lambda s: affiliate(s, ann, fbu, restore_id=first),
        ),
        (
            Conflict,
            "Ann Jones belongs to UNISON again already;",
            lambda s: reopen_affiliation(s, first),
        ),
        (
            UserError,
            "An affiliation cannot end (2014-01-01) before it began",
            lambda s: reopen_affiliation(s, first, dt.date(2014, 1, 1)),
        ),
        (NotFound, "There is no affiliation 999.", lambda s: delete_affiliation(s, 999)),
        (NotFound, "There is no affiliation 999.", lambda s: reopen_affiliation(s, 999)),
    ]
    for error, message, attempt in refusals:
        with pytest.raises(error) as raised, database.session() as session:
            attempt(session)  # type: ignore[operator]
        assert str(raised.value).startswith(message)
    assert dump_tables(database) == before
