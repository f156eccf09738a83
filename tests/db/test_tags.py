"""Free labels on people: one tag per label whatever its case."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import Conflict, NotFound, UserError
from db.models import AuditEntry, Tag
from db.people import NewPerson, add_person
from db.tags import (
    DeletedTag,
    add_tag,
    delete_tag,
    forget_tag,
    list_tags,
    people_with_tag,
    person_tags,
    rename_tag,
    restore_tag,
    tag_people,
    untag_people,
)
from tests.helpers.checks import dump_tables


def three(database: Database) -> tuple[int, int, int]:
    with database.session() as session:
        return (
            add_person(session, NewPerson("Siân", "Evans", status="member")),
            add_person(session, NewPerson("Bob", "Hale", status="member")),
            add_person(session, NewPerson("Cy", "Ward", status="supporter")),
        )


def test_tagging_reuses_a_label_whatever_its_case(database: Database) -> None:
    sian, bob, cy = three(database)
    with database.session() as session:
        first = tag_people(session, "  Welsh   speaker ", [sian])
        again = tag_people(session, "WELSH SPEAKER", [sian, bob])
        tag_people(session, "has a car", [cy, bob])
    assert first.created and first.name == "Welsh speaker" and first.changed == (sian,)
    assert not again.created and again.tag_id == first.tag_id and again.name == "Welsh speaker"
    assert (again.changed, again.unchanged) == ((bob,), (sian,))
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Tag)) == 2
        assert [(t.name, t.people) for t in list_tags(session)] == [
            ("has a car", 2),
            ("Welsh speaker", 2),
        ]
        assert people_with_tag(session, "welsh speaker") == [sian, bob]  # Evans, Hale
        assert person_tags(session, bob) == ["has a car", "Welsh speaker"]
        assert person_tags(session, cy) == ["has a car"]


def test_case_folding_beyond_ascii(database: Database) -> None:
    sian, bob, _ = three(database)
    with database.session() as session:
        first = tag_people(session, "GROẞE Straße", [sian])
        second = tag_people(session, "große strasse", [bob])
    # Full case folding: ẞ and ß fold to "ss", which SQLite's lower() would not see.
    assert second.tag_id == first.tag_id


@pytest.mark.parametrize(
    ("label", "who", "message"),
    [
        ("   ", "one", "A tag needs a label."),
        ("x" * 81, "one", "A tag's label is at most 80 characters."),
        ("has a car", "nobody", "Name at least one person to tag."),
        ("has a car", "unknown", "There is no person with id 999."),
    ],
)
def test_refused_tagging_changes_nothing(
    database: Database, label: str, who: str, message: str
) -> None:
    sian, bob, _ = three(database)
    named = {"one": [sian], "nobody": [], "unknown": [sian, 999, bob]}[who]
    before = dump_tables(database)
    with pytest.raises(UserError) as error, database.session() as session:
        tag_people(session, label, named)
    assert str(error.value) == message
    assert dump_tables(database) == before


def test_untagging(database: Database) -> None:
    sian, bob, cy = three(database)
    with database.session() as session:
        tag_people(session, "has a car", [sian, bob])
    with database.session() as session:
        done = untag_people(session, "HAS A CAR", [bob, cy])
    assert (done.changed, done.unchanged) == ((bob,), (cy,))
    with database.session() as session:
        assert people_with_tag(session, "has a car") == [sian]
        # The last person untagged leaves the tag for the next one.
        untag_people(session, "has a car", [sian])
    with database.session() as session:
        assert [(t.name, t.people) for t in list_tags(session)] == [("has a car", 0)]

    before = dump_tables(database)
    for label, named, error, message in [
        ("no such tag", [sian], NotFound, "There is no tag 'no such tag'."),
        ("has a car", [], UserError, "Name at least one person to untag."),
        ("has a car", [sian, 998, 999], NotFound, "There are no people with ids 998 and 999."),
    ]:
        with pytest.raises(error) as raised, database.session() as session:
            untag_people(session, label, named)
        assert str(raised.value) == message
    with pytest.raises(NotFound, match="There is no tag"), database.session() as session:
        people_with_tag(session, "nope")
    with pytest.raises(NotFound, match="no person with id 999"), database.session() as session:
        person_tags(session, 999)
    assert dump_tables(database) == before


def test_rename_and_delete(database: Database) -> None:
    sian, bob, cy = three(database)
    with database.session() as session:
        tag_people(session, "welsh speaker", [sian, bob])
        tag_people(session, "Has a car", [cy])
    with database.session() as session:
        assert rename_tag(session, "Welsh Speaker", "Welsh speaker").changed == ("name",)
        assert rename_tag(session, "welsh speaker", "Welsh speaker").changed == ()
        assert rename_tag(session, "has a car", "Drives").changed == ("name",)
    with database.session() as session:
        assert person_tags(session, sian) == ["Welsh speaker"]
        assert person_tags(session, cy) == ["Drives"]

    before = dump_tables(database)
    with pytest.raises(Conflict, match="already a tag 'Drives'"), database.session() as session:
        rename_tag(session, "Welsh speaker", "DRIVES")
    with pytest.raises(UserError, match="A tag needs a label."), database.session() as session:
        rename_tag(session, "Welsh speaker", " ")
    with pytest.raises(NotFound, match="no tag 'Gardener'"), database.session() as session:
        delete_tag(session, "Gardener")
    assert dump_tables(database) == before

    with database.session() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
        assert delete_tag(session, "welsh SPEAKER") == 2
    with database.session() as session:
        assert [t.name for t in list_tags(session)] == ["Drives"]
        assert person_tags(session, sian) == []
        # Each untagging and the tag itself are in the audit trail.
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
        assert audited is not None and audit_before is not None
        assert audited - audit_before == 3


def test_a_forgotten_tag_is_restored_with_its_id_and_people(database: Database) -> None:
    sian, bob, cy = three(database)
    with database.session() as session:
        tag_id = tag_people(session, "Welsh speaker", [sian, bob]).tag_id
        tag_people(session, "has a car", [cy])
        before = list_tags(session)
    with database.session() as session:
        deleted = forget_tag(session, "welsh SPEAKER")
    assert deleted == DeletedTag(tag_id, "Welsh speaker", tuple(sorted((sian, bob))))
    with database.session() as session:
        restore_tag(session, deleted.id, deleted.name, deleted.person_ids)
    with database.session() as session:
        assert list_tags(session) == before
        assert sorted(people_with_tag(session, "Welsh speaker")) == sorted((sian, bob))

    before_refusals = dump_tables(database)
    refusals: list[tuple[str, object]] = [
        ("cannot be put back: its number is in use", lambda s: restore_tag(s, tag_id, "X", [])),
        ("already a tag 'has a car'", lambda s: restore_tag(s, 999, "HAS A CAR", [])),
        ("no person with id 999", lambda s: restore_tag(s, 999, "Gardener", [999])),
        (
            "2 people have the tag 'Welsh speaker' now",
            lambda s: forget_tag(s, "Welsh speaker", unused_only=True),
        ),
    ]
    for message, attempt in refusals:
        with pytest.raises(UserError, match=message), database.session() as session:
            attempt(session)  # type: ignore[operator]
    assert dump_tables(database) == before_refusals

    with database.session() as session:
        unused = add_tag(session, "Gardener")
        assert forget_tag(session, "gardener", unused_only=True) == DeletedTag(
            unused, "Gardener", ()
        )
