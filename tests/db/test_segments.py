"""Segments: every rule kind matches the people it should and no others; groups nest; saved
segments refer to each other without cycles; built-ins exist; mistakes are one sentence."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.database import Database, open_database
from db.engagement import EngagementThresholds, set_engagement_thresholds
from db.errors import Conflict, NotFound, UserError
from db.models import (
    Activity,
    Affiliation,
    Answer,
    AnswerChoice,
    Attendance,
    ContactPreference,
    Household,
    Meeting,
    Organisation,
    Person,
    PersonTag,
    PollingDistrict,
    Question,
    QuestionOption,
    Segment,
    Tag,
    Ward,
)
from db.segment_rules import InvalidSegment
from db.segments import (
    BUILTIN_SEGMENTS,
    count_segment,
    delete_segment,
    ensure_builtin_segments,
    list_segments,
    save_segment,
    segment_ids,
    segment_member_sets,
    segment_people,
)

TODAY = dt.date(2026, 11, 27)


@dataclass(frozen=True)
class World:
    ann: int  # member, Castle, tagged, in Unison, active, answers Housing / 5
    bob: int  # contact living with Ann; refused email
    cat: int  # lapsed, Abbey, left Unison, campaigner, dormant, answers Transport / 2
    dan: int  # member, no address, occasional, same-day answers ending in NHS
    eve: int  # supporter living with Cat, seventeen until tomorrow

    def names(self, ids: list[int]) -> set[str]:
        by_id = {v: k for k, v in self.__dict__.items()}
        return {by_id[i] for i in ids}


@pytest.fixture(scope="module")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The five people built once; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("segments") / "world.sqlite3"
    database = open_database(path, actor="tester")
    with database.session() as session:
        built = _build(session)
    database.close()
    return path, built


@pytest.fixture
def world(world_template: tuple[Path, World], tmp_path: Path) -> Iterator[tuple[Database, World]]:
    template, built = world_template
    shutil.copyfile(template, tmp_path / "world.sqlite3")
    database = open_database(tmp_path / "world.sqlite3", actor="tester")
    yield database, built
    database.close()


def _build(session: Session) -> World:
    castle, abbey = Ward(name="Castle", code="E05000001"), Ward(name="Abbey", code="E05000002")
    session.add_all([castle, abbey])
    session.flush()
    ca1 = PollingDistrict(code="CA1", ward_id=castle.id)
    ab1 = PollingDistrict(code="AB1", ward_id=abbey.id)
    session.add_all([ca1, ab1])
    session.flush()
    h1 = Household(
        line1="1 Castle St", postcode="CF10 1AA", ward_id=castle.id, polling_district_id=ca1.id
    )
    h2 = Household(
        line1="2 Abbey Rd", postcode="CF10 2BB", ward_id=abbey.id, polling_district_id=ab1.id
    )
    session.add_all([h1, h2])
    session.flush()

    def person(first: str, status: str, **values: Any) -> int:
        row = Person(first_name=first, last_name="Test", status=status, **values)
        session.add(row)
        session.flush()
        return row.id

    ann = person(
        "Ann",
        "member",
        membership_type="Standard",
        joined_on=dt.date(2015, 3, 1),
        date_of_birth=dt.date(1960, 5, 1),
        household_id=h1.id,
    )
    bob = person("Bob", "contact", date_of_birth=dt.date(1990, 1, 1), household_id=h1.id)
    cat = person(
        "Cat",
        "lapsed",
        joined_on=dt.date(2010, 1, 1),
        lapsed_on=dt.date(2020, 6, 1),
        date_of_birth=dt.date(1975, 6, 15),
        household_id=h2.id,
    )
    dan = person("Dan", "member", membership_type="Reduced", joined_on=dt.date(2024, 6, 1))
    eve = person("Eve", "supporter", date_of_birth=dt.date(2008, 11, 28), household_id=h2.id)

    tag = Tag(name="Welsh speaker")
    unison = Organisation(name="Unison", short_name="UNISON", kind="trade_union")
    green = Organisation(name="Greenpeace", kind="campaign")
    session.add_all([tag, unison, green])
    session.flush()
    session.add(PersonTag(person_id=ann, tag_id=tag.id))
    session.add_all(
        [
            Affiliation(person_id=ann, organisation_id=unison.id, since=dt.date(2019, 1, 1)),
            Affiliation(
                person_id=cat,
                organisation_id=unison.id,
                since=dt.date(2001, 1, 1),
                until=dt.date(2025, 1, 1),
            ),
            Affiliation(person_id=cat, organisation_id=green.id),
        ]
    )

    priority = Question(text="Top priority?", kind="single_choice", position=1)
    hope = Question(text="How hopeful are you?", kind="scale", position=2)
    session.add_all([priority, hope])
    session.flush()
    options = {}
    for position, label in enumerate(["Housing", "Transport", "NHS"]):
        option = QuestionOption(question_id=priority.id, label=label, position=position)
        session.add(option)
        session.flush()
        options[label] = option.id

    def choose(pid: int, day: dt.date, label: str) -> None:
        answer = Answer(person_id=pid, question_id=priority.id, answered_on=day, source="other")
        session.add(answer)
        session.flush()
        session.add(AnswerChoice(answer_id=answer.id, option_id=options[label]))
        session.flush()

    choose(ann, dt.date(2025, 1, 1), "Transport")
    choose(ann, dt.date(2026, 1, 1), "Housing")
    choose(cat, dt.date(2026, 2, 1), "Transport")
    choose(cat, dt.date(2025, 1, 1), "Housing")  # recorded later, dated earlier: history
    choose(dan, dt.date(2026, 3, 1), "Housing")
    choose(dan, dt.date(2026, 3, 1), "NHS")  # the same day, recorded later: current
    for pid, value in [(ann, 5), (cat, 2)]:
        session.add(
            Answer(
                person_id=pid,
                question_id=hope.id,
                answered_on=dt.date(2026, 1, 1),
                source="other",
                scale_value=value,
            )
        )

    meetings = {}
    for day in ["2024-05-01", "2026-07-01", "2026-09-01", "2026-11-01"]:
        row = Meeting(
            kind="branch",
            title=f"Branch {day}",
            starts_at=dt.datetime.fromisoformat(day + "T19:30"),
        )
        session.add(row)
        session.flush()
        meetings[day] = row.id
    present = [(cat, "2024-05-01"), (ann, "2026-07-01"), (ann, "2026-09-01")]
    present += [(ann, "2026-11-01"), (dan, "2026-11-01")]
    for pid, day in present:
        session.add(Attendance(meeting_id=meetings[day], person_id=pid, status="present"))
    session.add(Attendance(meeting_id=meetings["2026-11-01"], person_id=bob, status="apologies"))
    session.add(Activity(person_id=ann, kind="canvassing", done_on=dt.date(2026, 10, 1)))
    session.add(Activity(person_id=dan, kind="leafleting", done_on=dt.date(2023, 1, 1)))
    session.add(ContactPreference(person_id=ann, channel="email", allowed=True))
    session.add(ContactPreference(person_id=bob, channel="email", allowed=False))
    session.flush()
    # Ann's three meetings and a canvass make four events: active at four.
    set_engagement_thresholds(session, EngagementThresholds(active_events=4))
    return World(ann, bob, cat, dan, eve)


def _who(database: Database, world: World, definition: Any) -> set[str]:
    with database.session() as session:
        return world.names(segment_ids(session, definition, today=TODAY))


RULE_CASES = [
    ({"rule": "status", "in": ["member"]}, {"ann", "dan"}),
    ({"rule": "status", "in": ["supporter", "contact"]}, {"bob", "eve"}),
    ({"rule": "membership_type", "in": ["standard"]}, {"ann"}),
    ({"rule": "joined", "after": "2020-01-01"}, {"dan"}),
    ({"rule": "joined", "before": "2012-01-01"}, {"cat"}),
    ({"rule": "joined", "between": ["2015-01-01", "2015-12-31"]}, {"ann"}),
    ({"rule": "lapsed", "before": "2021-01-01"}, {"cat"}),
    ({"rule": "age", "min": 40}, {"ann", "cat"}),
    ({"rule": "age", "min": 30, "max": 55}, {"bob", "cat"}),
    ({"rule": "age", "max": 17}, {"eve"}),  # eighteen tomorrow
    ({"rule": "ward", "in": ["Castle"]}, {"ann", "bob"}),
    ({"rule": "ward", "in": ["e05000002"]}, {"cat", "eve"}),  # by code, any case
    ({"rule": "polling_district", "in": ["AB1"]}, {"cat", "eve"}),
    ({"rule": "household", "with": "member"}, {"bob"}),
    ({"rule": "household", "with": "non_member"}, {"ann", "cat", "eve"}),
    ({"rule": "tag", "name": "welsh SPEAKER"}, {"ann"}),
    ({"rule": "affiliation", "organisation": "unison"}, {"ann"}),  # Cat left in 2025
    ({"rule": "affiliation", "kind": "trade_union"}, {"ann"}),
    ({"rule": "affiliation", "kind": "campaign"}, {"cat"}),
    ({"rule": "answer", "question": "Top priority?", "option": "Housing"}, {"ann"}),
    ({"rule": "answer", "question": "top priority", "option": "transport"}, {"cat"}),
    ({"rule": "answer", "question": "Top priority?", "option": "NHS"}, {"dan"}),
    ({"rule": "answer", "question": "How hopeful are you?", "at_least": 4}, {"ann"}),
    ({"rule": "answer", "question": "How hopeful are you?", "at_least": 2}, {"ann", "cat"}),
    ({"rule": "engagement", "in": ["active"]}, {"ann"}),
    ({"rule": "engagement", "in": ["occasional"]}, {"dan"}),
    ({"rule": "engagement", "in": ["dormant"]}, {"cat"}),
    ({"rule": "engagement", "in": ["never_seen"]}, {"bob", "eve"}),
    ({"rule": "attended", "at_least": 2, "months": 6}, {"ann"}),
    ({"rule": "attended", "at_least": 1, "months": 1}, {"ann", "dan"}),  # not Bob's apologies
    ({"rule": "last_attended", "before": "2025-01-01"}, {"cat"}),
    ({"rule": "activity", "kind": "canvassing", "months": 3}, {"ann"}),
    ({"rule": "activity", "kind": "leafleting"}, {"dan"}),
    ({"rule": "activity", "kind": "leafleting", "months": 12}, set()),
    ({"rule": "contact", "channel": "email", "is": "allowed"}, {"ann"}),
    ({"rule": "contact", "channel": "email", "is": "refused"}, {"bob"}),
    ({"rule": "contact", "channel": "email", "is": "unknown"}, {"cat", "dan", "eve"}),
]


def _case_id(value: object) -> str:
    # Sets print in hash order, which differs between processes; xdist's workers must agree.
    if isinstance(value, set):
        return "{" + ", ".join(sorted(value)) + "}"
    return str(value)[:60]


@pytest.mark.parametrize(("rule", "expected"), RULE_CASES, ids=_case_id)
def test_each_rule_matches_its_people_and_not_of_it_the_rest(
    world: tuple[Database, World], rule: dict[str, Any], expected: set[str]
) -> None:
    database, people = world
    everyone = {"ann", "bob", "cat", "dan", "eve"}
    assert _who(database, people, rule) == expected
    # NOT is the exact complement, even for people lacking the column (no address, no dates).
    assert _who(database, people, {"not": rule}) == everyone - expected


def test_groups_nest_freely(world: tuple[Database, World]) -> None:
    database, people = world
    members = {"rule": "status", "in": ["member"]}
    active = {"rule": "engagement", "in": ["active"]}
    castle = {"rule": "ward", "in": ["Castle"]}
    assert _who(database, people, {"all": [members, castle]}) == {"ann"}
    assert _who(database, people, {"any": [active, {"rule": "ward", "in": ["Abbey"]}]}) == {
        "ann",
        "cat",
        "eve",
    }
    nested = {
        "any": [
            {"all": [members, active]},
            {"not": {"rule": "household", "with": "non_member"}},
        ]
    }
    assert _who(database, people, nested) == {"ann", "bob", "dan"}
    assert _who(database, people, {"all": []}) == {"ann", "bob", "cat", "dan", "eve"}
    assert _who(database, people, {"any": []}) == set()
    assert _who(database, people, '{"not": {"not": {"rule": "tag", "name": "Welsh speaker"}}}') == {
        "ann"
    }


def test_segments_refer_to_segments_and_cycles_are_refused(world: tuple[Database, World]) -> None:
    database, people = world
    with database.session() as session:
        saved = save_segment(session, "Castle folk", {"rule": "ward", "in": ["Castle"]}, "Ward")
        assert saved.created
        save_segment(
            session,
            "Castle members",
            {
                "all": [
                    {"rule": "segment", "name": "castle folk"},
                    {"rule": "segment", "name": "Members"},
                ]
            },
        )
        save_segment(
            session,
            "Members elsewhere",
            {
                "all": [
                    {"rule": "segment", "name": "Members"},
                    {"not": {"rule": "segment", "name": "Castle folk"}},
                ]
            },
        )
    assert _who(database, people, "Castle members") == {"ann"}
    assert _who(database, people, "members ELSEWHERE") == {"dan"}

    with database.session() as session:
        before = session.scalar(select(Segment.definition).where(Segment.name == "Castle folk"))
    with pytest.raises(InvalidSegment) as refused, database.session() as session:
        save_segment(session, "Castle folk", {"rule": "segment", "name": "Castle members"})
    assert str(refused.value) == (
        "The segment 'Castle folk' would include itself "
        "(Castle folk -> Castle members -> Castle folk)."
    )
    with database.session() as session:
        after = session.scalar(select(Segment.definition).where(Segment.name == "Castle folk"))
    assert after == before

    with pytest.raises(InvalidSegment, match="'Me' would include itself"), database.session() as s:
        save_segment(s, "Me", {"any": [{"rule": "segment", "name": "me"}]})

    uses = "'Castle members' uses 'Castle folk'"
    with pytest.raises(Conflict, match=uses), database.session() as session:
        delete_segment(session, "Castle folk")
    with database.session() as session:
        delete_segment(session, "Castle members")
        delete_segment(session, "Members elsewhere")
        delete_segment(session, "castle folk")
        assert {row.name for row in list_segments(session)} == {n for n, _d, _t in BUILTIN_SEGMENTS}
    with pytest.raises(NotFound, match="no segment called 'Nobody'"), database.session() as s:
        delete_segment(s, "Nobody")


def test_save_updates_by_name_and_reports_changes(world: tuple[Database, World]) -> None:
    database, _people = world
    rule = {"rule": "tag", "name": "Welsh speaker"}
    with database.session() as session:
        first = save_segment(session, "Welsh", rule, "Speak Welsh")
        again = save_segment(session, "welsh", rule)
        changed = save_segment(session, "Welsh", {"not": rule})
        row = session.scalar(select(Segment).where(Segment.id == first.id))
        assert row is not None
        assert (row.name, row.description) == ("Welsh", "Speak Welsh")
    assert (first.created, again.created, again.changed) == (True, False, False)
    assert (changed.id, changed.changed) == (first.id, True)


def test_builtins_are_made_once_counted_and_protected(world: tuple[Database, World]) -> None:
    database, people = world
    with database.session() as session:
        rows = list_segments(session, counts=True, today=TODAY)
        assert ensure_builtin_segments(session) == []
        assert session.scalar(select(func.count()).select_from(Segment)) == len(BUILTIN_SEGMENTS)
    counts = {row.name: row.count for row in rows}
    assert counts == {
        "Everyone": 5,
        "Members": 2,
        "Lapsed members": 1,
        "Supporters": 2,
        "Active members": 1,
        "Dormant members": 0,
    }
    assert all(row.builtin for row in rows)
    assert _who(database, people, "Active members") == {"ann"}
    with pytest.raises(Conflict, match="'Members' is built in"), database.session() as session:
        save_segment(session, "members", {"all": []})
    with pytest.raises(Conflict, match="'Everyone' is built in"), database.session() as session:
        delete_segment(session, "Everyone")


def test_people_ids_counts_and_member_sets(world: tuple[Database, World]) -> None:
    database, people = world
    with database.session() as session:
        ids = segment_ids(session, "Everyone", today=TODAY)
        assert ids == sorted(ids) and len(ids) == 5
        assert count_segment(session, "Members", today=TODAY) == 2
        rows = segment_people(session, "Members", today=TODAY)
        assert [row.first_name for row in rows] == ["Ann", "Dan"]
        assert rows[0].ward == "Castle" and rows[0].postcode == "CF10 1AA"
        assert len(segment_people(session, "Everyone", limit=3, today=TODAY)) == 3
        sets = segment_member_sets(
            session, ["Members", "Supporters"], [people.ann, people.bob, people.eve], today=TODAY
        )
    assert sets == {"Members": {people.ann}, "Supporters": {people.bob, people.eve}}


@pytest.mark.parametrize(
    ("definition", "sentence"),
    [
        ({"rule": "colour", "in": ["red"]}, "'colour' is not a kind of segment rule"),
        ({"rule": "ward", "in": ["Atlantis"]}, "There is no ward called 'Atlantis'."),
        ({"rule": "tag", "name": "Juggler"}, "There is no tag called 'Juggler'."),
        (
            {"rule": "answer", "question": "Favourite colour?", "option": "Red"},
            "names a question nobody added: 'Favourite colour?'",
        ),
        (
            {"rule": "answer", "question": "Top priority?", "option": "Defence"},
            "'Top priority?' has no option 'Defence'.",
        ),
        (
            {"rule": "answer", "question": "Top priority?", "at_least": 3},
            "'Top priority?' is not a 1 to 5 scale",
        ),
        (
            {"rule": "joined", "after": "2026-13-01"},
            "'2026-13-01' in the joined rule is not a date",
        ),
        (
            {"rule": "joined", "between": ["2026-01-01", "2025-01-01"]},
            "dates are the wrong way round",
        ),
        ({"rule": "status", "in": ["friend"]}, "'friend' is not a status Branchbook knows"),
        ({"rule": "tag", "name": "x", "colour": "red"}, "The tag rule does not take 'colour'."),
        ({"rule": "segment", "name": "Nowhere"}, "There is no segment called 'Nowhere'."),
        ({"all": {"rule": "tag"}}, 'An "all" group holds a list of rules.'),
        ('{"all": [', "The segment rules are not valid JSON"),
        ({"rule": "age", "min": 60, "max": 20}, "maximum (20) is below its minimum (60)"),
    ],
)
def test_mistakes_are_one_sentence_and_nothing_is_saved(
    world: tuple[Database, World], definition: Any, sentence: str
) -> None:
    database, _people = world
    with pytest.raises(UserError) as refused, database.session() as session:
        save_segment(session, "Bad", definition)
    message = str(refused.value)
    assert sentence in message and "\n" not in message
    with database.session() as session:
        assert session.scalar(select(Segment.id).where(Segment.name == "Bad")) is None


def test_a_refused_save_leaves_the_database_unchanged(world: tuple[Database, World]) -> None:
    database, _people = world
    with database.session() as session:
        save_segment(session, "Welsh", {"rule": "tag", "name": "Welsh speaker"})

    def snapshot() -> list[tuple[Any, ...]]:
        with database.session() as session:
            rows = session.execute(
                select(
                    Segment.name, Segment.definition, Segment.description, Segment.version
                ).order_by(Segment.name)
            )
            return [tuple(row) for row in rows]

    before = snapshot()
    with pytest.raises(UserError), database.session() as session:
        save_segment(session, "Welsh", {"rule": "tag", "name": "Klingon speaker"}, "Changed")
    assert snapshot() == before
