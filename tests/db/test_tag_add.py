"""A tag made on its own, before anyone carries it."""

from __future__ import annotations

import pytest

from db.database import Database
from db.errors import Conflict, UserError
from db.tags import add_tag, list_tags


def test_a_tag_can_be_made_before_anyone_carries_it(database: Database) -> None:
    with database.session() as session:
        add_tag(session, "  Welsh   speaker ")
    with database.session() as session:
        assert [(t.name, t.people) for t in list_tags(session)] == [("Welsh speaker", 0)]
    with pytest.raises(Conflict, match="already a tag 'Welsh speaker'"), database.session() as s:
        add_tag(s, "WELSH SPEAKER")
    with pytest.raises(UserError, match="needs a label"), database.session() as session:
        add_tag(session, "   ")
