"""The two records as the duplicates window compares them: details and rows held."""

from __future__ import annotations

import datetime as dt

import pytest

from db.database import Database
from db.errors import NotFound
from db.merge_preview import COUNTED, merge_side
from db.models import Activity, EmailAddress, Person, PersonTag, Tag


def test_a_side_counts_every_kind_of_row_a_merge_moves(database: Database) -> None:
    with database.session() as session:
        person = Person(first_name="Siân", middle_names="Mair", last_name="Llŷr", status="member")
        person.emails.append(EmailAddress(address="sian@example.org", is_primary=True))
        session.add(person)
        session.flush()
        session.add_all(
            [
                Activity(person_id=person.id, kind="canvassing", done_on=dt.date(2026, 5, 1)),
                Activity(person_id=person.id, kind="admin", done_on=dt.date(2026, 5, 2)),
            ]
        )
        tag = Tag(name="Has a car")
        session.add(tag)
        session.flush()
        session.add(PersonTag(person_id=person.id, tag_id=tag.id))
        person_id = person.id
    with database.session() as session:
        side = merge_side(session, person_id)
    assert side.detail.full_name.startswith("Siân")
    assert (side.first_name, side.middle_names, side.last_name) == ("Siân", "Mair", "Llŷr")
    assert side.detail.emails == [("sian@example.org", True)]
    assert set(side.counts) == {model.__tablename__ for model in COUNTED}
    assert side.counts["activity"] == 2 and side.counts["person_tag"] == 1
    assert side.counts["attendance"] == 0
    assert isinstance(side.added_on, dt.date)


def test_a_missing_person_is_one_sentence(database: Database) -> None:
    with database.session() as session, pytest.raises(NotFound, match="no person with id 99"):
        merge_side(session, 99)
