"""Finding people the branch knows twice, and remembering pairs the secretary says are not.

Three reasons make a likely duplicate:

- the same email address (trimmed, any case);
- the same name and postcode (the folded sort key, so "Siân" is "Sian", and the postcode
  without its space);
- similar names at one address (one household): "Jon Smith" and "John Smith", "Katherine"
  and "Catherine", "J Smith" and "John Smith", or a name typed the wrong way round.

At 100,000 people nobody can compare everyone with everyone (5 billion pairs), so each
reason first gathers small blocks in SQL (people sharing an address, a name and postcode,
a household) and only names within one block are compared, with rapidfuzz.

Two people whose dates of birth are both known and differ are a parent and child sharing a
name, not a duplicate: a name alone does not pair them, only a shared email address does.
A pair the secretary marks "not a duplicate" is kept as one ``Setting`` row (key
``not_duplicate:LOW:HIGH``), so no table and no migration were needed for it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.bulk import chunked, select_rows
from db.errors import NotFound, UserError
from db.folding import fold
from db.models import EmailAddress, Household, Person, Setting
from db.models.vocabulary import PERSON_STATUS_LABELS, PERSON_STATUSES

SAME_EMAIL = "same email address"
SAME_NAME_AND_POSTCODE = "same name and postcode"
SIMILAR_NAMES_AT_ADDRESS = "similar names at one address"

# Scores are rapidfuzz's 0-100. 85 takes Jon/John (86) and Katherine/Catherine (89) but
# not Mark/Mary or Sian/Sean (75): siblings and couples with near names stay apart.
SIMILAR = 85
# One name the start of the other ("Chris", "Christopher"; an initial) counts as this.
_PREFIX_SCORE = 90

DISMISSED_PREFIX = "not_duplicate:"


@dataclass(frozen=True)
class DuplicatePerson:
    """One side of a likely duplicate, as the secretary needs to judge it."""

    id: int
    name: str
    status: str
    status_label: str
    membership_number: str | None
    date_of_birth: dt.date | None
    postcode: str | None
    email: str | None


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that may be one person.

    ``keep`` is the suggested record to keep (the one with a membership number, then the
    more settled status, then the older record); ``other`` the one to merge into it.
    ``similarity`` is how alike their names are, 0-100.
    """

    keep: DuplicatePerson
    other: DuplicatePerson
    reasons: tuple[str, ...]
    similarity: int

    @property
    def ids(self) -> tuple[int, int]:
        return self.keep.id, self.other.id


def _first_name_score(a: str, b: str) -> float:
    if a == b:
        return 100
    if a.startswith(b) or b.startswith(a):  # an initial, a short form, a missing first name
        return _PREFIX_SCORE
    return _typo_score(a, b)


def _typo_score(a: str, b: str) -> float:
    """``fuzz.ratio``, but only for names one slip apart (two in long names): by ratio
    alone Nathan and Jonathan, Nicola and Nicholas, are 86, as alike as Jon and John."""
    score = fuzz.ratio(a, b, score_cutoff=SIMILAR)
    if score and Levenshtein.distance(a, b) > (1 if min(len(a), len(b)) < 7 else 2):
        return 0
    return score


# A person's name as compared: folded first name, folded surname without spaces (as in
# Person.sort_key), and the preferred name as typed.
Name = tuple[str, str, str | None]


def folded_name(first: str | None, last: str | None, preferred: str | None) -> Name:
    return fold(first or ""), fold(last or "").replace(" ", ""), preferred


def name_similarity(a: Name, b: Name) -> int:
    """How alike two names are, 0-100: the weaker of first name and surname (a preferred
    name counts as a first name), or the whole names with one typed the wrong way round.

    Called for every pair of people sharing a household, so the common answer (a couple
    with one surname and two first names) is reached in two C calls.
    """
    a_first, a_last, a_preferred = a
    b_first, b_last, b_preferred = b
    last = 100.0 if a_last == b_last else _typo_score(a_last, b_last)
    if last:
        first = _first_name_score(a_first, b_first)
        if first < SIMILAR and (a_preferred or b_preferred):
            a_firsts = {a_first, fold(a_preferred or "")} - {""} or {""}
            b_firsts = {b_first, fold(b_preferred or "")} - {""} or {""}
            first = max(_first_name_score(x, y) for x in a_firsts for y in b_firsts)
        if first >= SIMILAR:
            return round(min(first, last))
    if fuzz.ratio(a_last, b_first, score_cutoff=SIMILAR):
        swapped = fuzz.ratio(f"{a_first} {a_last}", f"{b_last} {b_first}", score_cutoff=SIMILAR)
        return round(swapped)
    return 0


def find_duplicates(session: Session) -> list[DuplicatePair]:
    """Likely duplicates: most reasons first, then the most alike names, then by name.

    Pairs marked "not a duplicate" are left out. Three records sharing an email address
    are three pairs: each merge joins two records.
    """
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for pair in _same_email(session):
        reasons[pair].add(SAME_EMAIL)
    same_name, similar = _at_addresses(session)
    for pair in same_name:
        reasons[pair].add(SAME_NAME_AND_POSTCODE)
    for pair in similar:
        reasons[pair].add(SIMILAR_NAMES_AT_ADDRESS)
    dismissed = dismissed_pairs(session)
    wanted = [pair for pair in reasons if pair not in dismissed]
    people = _people(session, {pid for pair in wanted for pid in pair})
    found: list[tuple[tuple[int, int, str, str, int, int], DuplicatePair]] = []
    for a, b in wanted:
        (first, first_name), (second, second_name) = people[a], people[b]
        why = reasons[(a, b)]
        if _born_apart(first, second):
            why = why & {SAME_EMAIL}
        if not why:
            continue
        similarity = name_similarity(first_name, second_name)
        keep, other = sorted((first, second), key=_keeping_order)
        ordered = tuple(reason for reason in _REASONS if reason in why)
        order = (-len(ordered), -similarity, fold(keep.name), fold(other.name), keep.id, other.id)
        found.append((order, DuplicatePair(keep, other, ordered, similarity)))
    found.sort(key=lambda item: item[0])
    return [pair for _, pair in found]


_REASONS = (SAME_EMAIL, SAME_NAME_AND_POSTCODE, SIMILAR_NAMES_AT_ADDRESS)


def _born_apart(a: DuplicatePerson, b: DuplicatePerson) -> bool:
    return (
        a.date_of_birth is not None
        and b.date_of_birth is not None
        and a.date_of_birth != b.date_of_birth
    )


_STATUS_RANK = {status: rank for rank, status in enumerate(PERSON_STATUSES)}


def _keeping_order(person: DuplicatePerson) -> tuple[bool, int, int]:
    return (person.membership_number is None, _STATUS_RANK.get(person.status, 99), person.id)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pairs_in_blocks(blocks: Iterable[Sequence[int]]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for block in blocks:
        for a, b in combinations(sorted(set(block)), 2):
            pairs.add((a, b))
    return pairs


def _same_email(session: Session) -> set[tuple[int, int]]:
    # Every address, counted here: fetching 90,000 short rows costs less than SQL's GROUP BY
    # on lower(trim(address)), which sorts them all.
    rows = select_rows(
        session, select(func.lower(func.trim(EmailAddress.address)), EmailAddress.person_id)
    )
    if not rows:
        return set()
    addresses, _ = zip(*rows, strict=True)
    repeated = {address for address, n in Counter(addresses).items() if n > 1}
    blocks: dict[str, list[int]] = defaultdict(list)
    for address, person_id in rows:
        if address in repeated:
            blocks[address].append(person_id)
    return _pairs_in_blocks(blocks.values())


def _at_addresses(session: Session) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs with the same name and postcode, and pairs with similar names in one household,
    from one read of everyone who has an address.

    Grouped here rather than by SQL: GROUP BY over 100,000 names and postcodes sorts them
    all, and cost three times this read (measured). Name and postcode come as one string,
    so counting them hashes one string a person rather than building a tuple.
    """
    postcode = func.upper(func.replace(Household.postcode, " ", ""))
    rows = select_rows(
        session,
        select(
            Person.household_id,
            Person.id,
            Person.sort_key,
            Person.preferred_name,
            (Person.sort_key + "|" + postcode).label("name_postcode"),
        ).join(Household, Household.id == Person.household_id),
    )
    if not rows:
        return set(), set()
    households, ids, _, _, names_postcodes = zip(*rows, strict=True)
    counts = Counter(names_postcodes)
    repeated = {key for key, n in counts.items() if n > 1 and key and not key.startswith("|")}
    by_name: dict[str, list[int]] = defaultdict(list)
    if repeated:
        for person_id, key in zip(ids, names_postcodes, strict=True):
            if key in repeated:
                by_name[key].append(person_id)
    same_name = _pairs_in_blocks(by_name.values())
    sizes = Counter(households)
    residents: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
    for household_id, person_id, key, preferred, _ in rows:
        if sizes[household_id] > 1:
            residents[household_id].append((person_id, key, preferred))
    similar: set[tuple[int, int]] = set()
    for people in residents.values():
        # sort_key is "surname first names", folded by db.search on every write: no
        # folding of 100,000 names here (that was most of the time this took).
        names = [(pid, _from_sort_key(key, preferred)) for pid, key, preferred in people]
        for (a, a_name), (b, b_name) in combinations(names, 2):
            if name_similarity(a_name, b_name) >= SIMILAR:
                similar.add(_pair(a, b))
    return same_name, similar


def _from_sort_key(key: str, preferred: str | None) -> Name:
    last, _, first = key.partition(" ")
    return first, last, preferred


def _people(session: Session, ids: Iterable[int]) -> dict[int, tuple[DuplicatePerson, Name]]:
    primary_email = (
        select(EmailAddress.address)
        .where(EmailAddress.person_id == Person.id)
        .order_by(EmailAddress.is_primary.desc(), EmailAddress.id)
        .limit(1)
        .scalar_subquery()
    )
    found: dict[int, tuple[DuplicatePerson, Name]] = {}
    for chunk in chunked(sorted(ids)):
        rows = session.execute(
            select(
                Person.id,
                Person.first_name,
                Person.middle_names,
                Person.last_name,
                Person.preferred_name,
                Person.status,
                Person.membership_number,
                Person.date_of_birth,
                Household.postcode,
                primary_email,
            )
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.id.in_(chunk))
        )
        for pid, first, middle, last, preferred, status, number, born, code, email in rows:
            whole = " ".join(part for part in (first, middle, last) if part)
            person = DuplicatePerson(
                id=pid,
                name=whole,
                status=status,
                status_label=PERSON_STATUS_LABELS.get(status, status),
                membership_number=number,
                date_of_birth=born,
                postcode=code,
                email=email,
            )
            found[pid] = (person, folded_name(first, last, preferred))
    return found


# --- "Not a duplicate" ---------------------------------------------------------------------


def _dismissed_key(a: int, b: int) -> str:
    low, high = _pair(a, b)
    return f"{DISMISSED_PREFIX}{low}:{high}"


def _parse_dismissed(key: str) -> tuple[int, int] | None:
    low, _, high = key.removeprefix(DISMISSED_PREFIX).partition(":")
    if not (low.isdigit() and high.isdigit()):
        return None
    return _pair(int(low), int(high))


def dismissed_pairs(session: Session) -> set[tuple[int, int]]:
    """The pairs marked "not a duplicate", each as (lower id, higher id)."""
    keys = session.scalars(select(Setting.key).where(Setting.key.startswith(DISMISSED_PREFIX)))
    return {pair for key in keys if (pair := _parse_dismissed(key)) is not None}


def mark_not_duplicate(session: Session, first_id: int, second_id: int) -> bool:
    """Remember that two records are different people; False when already remembered."""
    if first_id == second_id:
        raise UserError("A person is always the same person as themself; name two people.")
    for person_id in (first_id, second_id):
        if session.get(Person, person_id) is None:
            raise NotFound(f"There is no person with id {person_id}.")
    key = _dismissed_key(first_id, second_id)
    if session.get(Setting, key) is not None:
        return False
    session.add(Setting(key=key, value=""))
    session.flush()
    return True


def forget_not_duplicate(session: Session, first_id: int, second_id: int) -> bool:
    """Let a dismissed pair be suggested again; False when it was not dismissed."""
    row = session.get(Setting, _dismissed_key(first_id, second_id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def carry_dismissals(session: Session, keep_id: int, other_id: int) -> int:
    """After ``other`` is merged into ``keep``: whoever ``other`` was not, ``keep`` is not
    either, so its dismissals move to ``keep``; one between the two themselves goes.
    Returns how many dismissals moved."""
    moved = 0
    for pair in sorted(dismissed_pairs(session)):
        if other_id not in pair:
            continue
        row = session.get(Setting, _dismissed_key(*pair))
        assert row is not None
        session.delete(row)
        partner = pair[0] if pair[1] == other_id else pair[1]
        if partner == keep_id:
            continue
        key = _dismissed_key(keep_id, partner)
        if session.get(Setting, key) is None:
            session.add(Setting(key=key, value=""))
        moved += 1
    session.flush()
    return moved
