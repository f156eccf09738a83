"""Finding people as they are typed at a door.

Each person carries ``search_text``: the folded words of their names, membership number,
postcode and emails. On SQLite an FTS5 index over that column (kept by triggers from the
second migration) answers prefix queries in milliseconds at 100,000 people; elsewhere the
same column is matched with LIKE.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Integer, and_, column, literal, text
from sqlalchemy.orm import Session

from db.folding import fold, fold_name, sort_key

if TYPE_CHECKING:
    from db.models import Person


def search_document(
    *,
    first_name: str,
    last_name: str,
    middle_names: str | None = None,
    preferred_name: str | None = None,
    membership_number: str | None = None,
    postcode: str | None = None,
    emails: Iterable[str] = (),
) -> str:
    return _document(
        fold_name,
        first_name=first_name,
        last_name=last_name,
        middle_names=middle_names,
        preferred_name=preferred_name,
        membership_number=membership_number,
        postcode=postcode,
        emails=emails,
    )


def _document(
    words: Callable[[str], str],
    *,
    first_name: str,
    last_name: str,
    middle_names: str | None,
    preferred_name: str | None,
    membership_number: str | None,
    postcode: str | None,
    emails: Iterable[str],
) -> str:
    """The search document, folding names and postcodes with ``words`` (``fold_name``, or
    a cache of it); membership numbers are unique, so never worth caching."""
    parts = [words(first_name), words(last_name)]
    if middle_names:
        parts.append(words(middle_names))
    if preferred_name:
        parts.append(words(preferred_name))
    if membership_number:
        parts.append(fold_name(membership_number))
    if postcode:
        parts.append(words(postcode))
    for email in emails:
        parts.append(_email_words(email))
    return " ".join(dict.fromkeys(" ".join(parts).split()))


def _email_words(email: str) -> str:
    # The words before the @ and the whole address run together: the domain's words
    # alone ("example", "org") would make one typed letter match half the branch.
    return f"{fold_name(email.partition('@')[0])} {fold(email).replace(' ', '')}"


class DocumentCache:
    """``search_document`` and ``sort_key`` for many people at once (a demo branch, an
    imported list). Names and postcodes repeat, so their parts of a document are worked out
    once. A document is its parts' words in order, each once, so the parts joined that way
    are the whole document (tests compare them person by person)."""

    def __init__(self) -> None:
        # Folded names and postcodes by what was typed: a name recurs thousands of times
        # in a branch, a whole name (first and last together) far less often.
        self._words: dict[str, str] = {}
        self._sort_keys: dict[tuple[str, str], str] = {}

    def sort_key(self, last_name: str, first_name: str) -> str:
        key = (last_name, first_name)
        value = self._sort_keys.get(key)
        if value is None:
            value = self._sort_keys[key] = sort_key(last_name, first_name)
        return value

    def document(
        self,
        *,
        first_name: str,
        last_name: str,
        middle_names: str | None = None,
        preferred_name: str | None = None,
        membership_number: str | None = None,
        postcode: str | None = None,
        emails: Iterable[str] = (),
    ) -> str:
        return _document(
            self._folded,
            first_name=first_name,
            last_name=last_name,
            middle_names=middle_names,
            preferred_name=preferred_name,
            membership_number=membership_number,
            postcode=postcode,
            emails=emails,
        )

    def _folded(self, text: str) -> str:
        value = self._words.get(text)
        if value is None:
            value = self._words[text] = fold_name(text)
        return value


@contextmanager
def bulk_search_index(session: Session, first_id: int, count: int) -> Iterator[None]:
    """Around inserting ``count`` people with ids from ``first_id``: on SQLite, index them
    in one statement afterwards instead of the insert trigger firing once per row (a third
    of the time at 100,000 people). The trigger is dropped and made again inside the
    caller's transaction, so a rollback restores it; a failure inside the block must roll
    back, as ``Database.session`` does."""
    connection = session.connection()
    trigger: str | None = None
    if connection.dialect.name == "sqlite" and count >= _BULK_INDEX_FROM:
        trigger = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name = 'person_fts_after_insert'"
        ).scalar()
    if trigger is None:
        yield
        return
    connection.exec_driver_sql("DROP TRIGGER person_fts_after_insert")
    yield
    connection.exec_driver_sql(
        "INSERT INTO person_fts(rowid, search_text) "
        "SELECT id, search_text FROM person WHERE id >= ?",
        (first_id,),
    )
    connection.exec_driver_sql(trigger)


_BULK_INDEX_FROM = 1000  # people: below this the trigger is as quick


def refresh_person_search(
    person: Person, *, emails: list[str] | None = None, postcode: str | None = None
) -> None:
    """Recompute the folded fields from the person's current attributes; ``emails`` and
    ``postcode`` are given when the caller knows better than the loaded relationships (a
    flush about to add or delete an email, or to move the person)."""
    household = person.household
    if postcode is None and household is not None:
        postcode = household.postcode
    person.sort_key = sort_key(person.last_name or "", person.first_name or "")
    person.search_text = search_document(
        first_name=person.first_name or "",
        last_name=person.last_name or "",
        middle_names=person.middle_names,
        preferred_name=person.preferred_name,
        membership_number=person.membership_number,
        postcode=postcode,
        emails=[e.address for e in person.emails] if emails is None else emails,
    )


def query_terms(query: str) -> list[str]:
    """The folded words of what was typed; empty when nothing searchable was typed.

    Something typed with an @ is an email address: it is matched run together, as indexed.
    """
    words = query.split()
    terms: list[str] = []
    for word in words:
        folded = fold(word)
        terms.extend([folded.replace(" ", "")] if "@" in word else folded.split())
    return [t for t in terms if t]


def fts_match_expression(terms: list[str]) -> str:
    """Every word must start some indexed word: ``"sian"* "llyr"*``.

    Terms are folded to [a-z0-9] so quoting them is safe against FTS5 syntax.
    """
    return " ".join(f'"{term}"*' for term in terms)


class Plan(enum.Enum):
    """How a page of matches is found; every plan selects the same rows.

    SORT_MATCHES: fetch the matches from the index and sort them (few matches).
    WALK_ORDER: walk people in alphabetical order, keeping those in the index's match set,
        until the page is full (many matches: no sort of thousands of rows).
    TEST_ROWS: walk in order testing each row's folded text (most people match: building
        the match set would be the slowest part).
    """

    SORT_MATCHES = "sort"
    WALK_ORDER = "walk"
    TEST_ROWS = "test"


# Measured at 100,000 people: sorting wins below ~2,000 matches; above a quarter of
# everyone, testing rows beats building the match set.
SORT_LIMIT = 2000
DENSE_SHARE = 4


def choose_plan(matches: int | None, population: int) -> Plan:
    if matches is None or matches <= SORT_LIMIT:
        return Plan.SORT_MATCHES
    if matches * DENSE_SHARE > population:
        return Plan.TEST_ROWS
    return Plan.WALK_ORDER


def person_filter(
    dialect: str, query: str, plan: Plan = Plan.SORT_MATCHES
) -> ColumnElement[bool] | None:
    """A WHERE clause on ``person`` for the typed query, or None to match everyone.

    Every form selects the same rows: a word-prefix match on the folded ``search_text``.
    """
    from db.models import Person

    terms = query_terms(query)
    if not terms:
        return None
    if dialect == "sqlite" and plan is not Plan.TEST_ROWS:
        matches = (
            text("SELECT rowid FROM person_fts WHERE person_fts MATCH :match")
            .bindparams(match=fts_match_expression(terms))
            .columns(column("rowid", Integer))
        )
        if plan is Plan.WALK_ORDER:
            # "+ 0" stops SQLite looking people up by id, so it walks the alphabetical
            # index instead and stops once the page is full.
            return (Person.id + 0).in_(matches)
        return Person.id.in_(matches)
    # Words are separated by single spaces, so ' term%' after a leading space is a
    # word-prefix match.
    spaced = literal(" ") + Person.search_text
    return and_(*(spaced.like(f"% {term}%") for term in terms))
