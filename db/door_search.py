"""Finding the person at the door as each letter is typed.

The door shows a handful of matches and is read at a glance, so it needs the few people a
keystroke narrows to, at once. Sorting every match alphabetically (as the people list
does) means reading every match: two typed letters match 2,000 people at 100,000, and
that cost a door keystroke 10 ms. So the door sorts the matches only while there are few
enough to read; beyond that it shows some of them, from the index in one step, says how
many there are, and the next letter narrows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Select, bindparam, column, select, text
from sqlalchemy.orm import Session

from db.models import Person
from db.people import PersonRow, count_people, list_people, rows_for
from db.search import fts_match_expression, query_terms

__all__ = ["READABLE", "DoorMatches", "door_matches"]

# Matches up to this many are sorted, so the shown few are the first alphabetically
# (measured at 100,000 people: sorting 300 matches costs about 0.5 ms).
READABLE = 300


@dataclass(frozen=True)
class DoorMatches:
    """What the door shows for what was typed."""

    total: int
    # Alphabetical. When ``complete_order`` is False there were too many matches to sort in
    # a keystroke, and these are some of them rather than the first ones.
    people: list[PersonRow]
    complete_order: bool

    @property
    def more(self) -> int:
        """How many matches are not shown."""
        return self.total - len(self.people)


def _door_select(*, alphabetical: bool) -> Select[tuple[object, ...]]:
    matches = "SELECT rowid FROM person_fts WHERE person_fts MATCH :match"
    if not alphabetical:
        matches += " LIMIT :limit"
    ids = select(Person.id, Person.sort_key).where(
        Person.id.in_(text(matches).columns(column("rowid", Integer)))
    )
    if alphabetical:
        ids = ids.order_by(Person.sort_key, Person.id).limit(bindparam("limit"))
    return rows_for(ids.subquery("page"))


# Built once: building the statement anew took longer than running it.
_COUNT = text("SELECT count(*) FROM person_fts WHERE person_fts MATCH :match")
_FIRST = _door_select(alphabetical=True)
_SOME = _door_select(alphabetical=False)


def door_matches(session: Session, query: str, *, limit: int = 8) -> DoorMatches:
    terms = query_terms(query)
    if not terms:
        return DoorMatches(0, [], True)
    if session.get_bind().dialect.name != "sqlite":
        # Without the SQLite index the people list's plans are the door's too.
        total = count_people(session, query)
        return DoorMatches(total, list_people(session, query, limit=limit, total=total), True)
    connection = session.connection()
    match = fts_match_expression(terms)
    total = int(connection.execute(_COUNT, {"match": match}).scalar_one())
    alphabetical = total <= READABLE
    rows = connection.execute(_FIRST if alphabetical else _SOME, {"match": match, "limit": limit})
    return DoorMatches(total, [PersonRow(**row._mapping) for row in rows], alphabetical)
