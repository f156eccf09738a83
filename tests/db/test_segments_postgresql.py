"""Segments compile to SQL PostgreSQL runs too: every rule kind, and a composed saved segment."""

from __future__ import annotations

from db.database import Database
from db.segments import count_segment, save_segment, segment_ids
from tests.db.test_segments import RULE_CASES, TODAY, _build


def test_every_rule_and_a_composed_segment_on_postgresql(pg_database: Database) -> None:
    with pg_database.session() as session:
        world = _build(session)
    everyone = {"ann", "bob", "cat", "dan", "eve"}
    with pg_database.session() as session:
        for rule, expected in RULE_CASES:
            assert world.names(segment_ids(session, rule, today=TODAY)) == expected, rule
            found = world.names(segment_ids(session, {"not": rule}, today=TODAY))
            assert found == everyone - expected, rule
        save_segment(
            session,
            "Castle or Welsh",
            {"any": [{"rule": "ward", "in": ["Castle"]}, {"rule": "tag", "name": "Welsh speaker"}]},
        )
        composed = {
            "all": [
                {"rule": "segment", "name": "Active members"},
                {"rule": "segment", "name": "castle or welsh"},
                {"not": {"rule": "answer", "question": "Top priority?", "option": "NHS"}},
            ]
        }
        assert save_segment(session, "Keen in Castle", composed).created
        assert world.names(segment_ids(session, "Keen in Castle", today=TODAY)) == {"ann"}
        assert count_segment(session, "Members", today=TODAY) == 2
