"""What an import would do, row by row, before anything is written: the preview's content.

``plan_import`` reads the database (a few bulk SELECTs, see ``db.importing.matching``) and
never writes. Each row becomes one ``PlannedRow``: create, update (with field-level before
and after), unchanged, ambiguous or duplicate; a full-list import adds the members it would
mark lapsed. Only fields the national list owns are compared, only where the file has a
value, so local knowledge (notes, tags, answers, preferences...) can never show as a change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from operator import attrgetter, itemgetter

from sqlalchemy.orm import Session

from db.importing.candidates import Candidate, CandidateSet, Problem
from db.importing.gc_pause import paused_gc
from db.importing.matching import (
    BY_NAME,
    Folded,
    Known,
    Match,
    NameKey,
    PeopleIndex,
    digits,
    fit_by_name,
    load_index,
)
from db.importing.normalise import normalise_phone
from db.importing.places import merged_lines

__all__ = [
    "ACTIONS",
    "BY_CHOICE",
    "PERSON_DATE_FIELDS",
    "PERSON_TEXT_FIELDS",
    "FieldChange",
    "ImportPlan",
    "PlannedRow",
    "plan_import",
]

ACTIONS = ("create", "update", "unchanged", "ambiguous", "duplicate")
BY_CHOICE = "your choice"  # how a row the secretary said was a given person matched
_COUNTED = {
    "create": "created",
    "update": "updated",
    "unchanged": "unchanged",
    "ambiguous": "ambiguous",
    "duplicate": "duplicate",
}

# Text fields the national list owns, compared ignoring case and spacing: a branch's
# "McDonald" is not overwritten by the list's recased "Mcdonald".
_NAME_FIELDS = ("title", "first_name", "middle_names", "last_name")
# Membership fields, compared exactly but for spacing; a local verification of "membership"
# guards them.
_MEMBERSHIP_TEXT = ("membership_number", "membership_type", "status")
_MEMBERSHIP_DATES = ("joined_on", "lapsed_on")
# Every Person column a change can name, as the writer applies it and an undo restores it.
PERSON_TEXT_FIELDS = (*_NAME_FIELDS, "preferred_name", *_MEMBERSHIP_TEXT)
PERSON_DATE_FIELDS = ("date_of_birth", *_MEMBERSHIP_DATES)


@dataclass(frozen=True)
class FieldChange:
    """One field an import would change, as display strings.

    ``email``, ``mobile`` and ``phone`` changes are additions (``before`` is None): a new
    address or number joins the ones kept. ``conflict``: the branch verified this group of
    details itself and the file disagrees, so the secretary decides.
    """

    field: str
    before: str | None
    after: str | None
    conflict: bool = False

    def describe(self) -> str:
        if self.field in ("email", "mobile", "phone") and self.before is None:
            return f"{self.field}: + {self.after}"
        return f"{self.field}: {self.before or '(empty)'} → {self.after or '(empty)'}"


# Slots and not frozen: a frozen dataclass sets each field through object.__setattr__,
# 0.14 s of the 100,000 rows a list plans (measured). Treated as immutable all the same:
# a changed copy is made with ``dataclasses.replace``.
@dataclass(slots=True)
class PlannedRow:
    row: int
    action: str  # one of ACTIONS
    person_id: int | None = None  # the matched person (None for create and ambiguous)
    matched_by: str | None = None  # "membership number" | "email" | "name and postcode"
    changes: tuple[FieldChange, ...] = ()
    candidates: tuple[int, ...] = ()  # ambiguous: the person ids the row could be
    note: str | None = None  # one sentence for ambiguous and duplicate rows (and odd matches)


@dataclass(frozen=True)
class ImportPlan:
    rows: list[PlannedRow]
    lapsing: list[int]  # person ids a full-list import would mark lapsed
    problems: list[Problem]  # passed through from the CandidateSet
    today: dt.date  # the date a full-list import would record as lapsed_on
    # Rows that took details from rows repeating them: the candidate to write, by row.
    merged: dict[int, Candidate] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        # A row whose only changes are conflicts changes nothing unless the secretary
        # takes the file's values: it counts as unchanged, as the import will count it.
        found = Counter(
            "unchanged"
            if row.action == "update" and all(c.conflict for c in row.changes)
            else _COUNTED[row.action]
            for row in self.rows
        )
        counts = {name: found.get(name, 0) for name in _COUNTED.values()}
        counts["lapsed"] = len(self.lapsing)
        counts["conflicts"] = sum(c.conflict for row in self.rows for c in row.changes)
        counts["rejected"] = sum(problem.rejected for problem in self.problems)
        return counts


def plan_import(
    session: Session,
    candidates: CandidateSet,
    *,
    full_list: bool = False,
    supporters: bool = False,
    today: dt.date | None = None,
    index: PeopleIndex | None = None,
    chosen: Mapping[int, int | None] | None = None,
) -> ImportPlan:
    """What importing ``candidates`` would do; reads the database, writes nothing.

    ``index``: ``load_index`` as it holds in the session's view, when already read.
    ``chosen``: whom rows that could be several people are, as the secretary said (by
    sheet row: one of the people it could be, or None for a new person)."""
    # Hundreds of thousands of small tuples and sets, none in a cycle: the collector
    # would walk them all again and again for nothing (half the time, measured).
    with paused_gc():
        if index is None:
            index = load_index(session)
        return _plan(
            index, candidates, full_list, supporters, today or dt.date.today(), chosen or {}
        )


def _plan(
    index: PeopleIndex,
    candidates: CandidateSet,
    full_list: bool,
    supporters: bool,
    today: dt.date,
    chosen: Mapping[int, int | None],
) -> ImportPlan:
    seen = _SeenInFile()
    merger = _Merger(candidates.candidates)
    rows: list[PlannedRow] = []
    matched: set[int] = set()
    for candidate in candidates.candidates:
        keys = index.name_keys(candidate)
        match = index.match(candidate, keys)
        # A row the database knows by its own membership number or email address is that
        # person, even when someone at the same address has the same name (a father and
        # son, one a member, one not): the person it matched says whether it repeats a row.
        # So is a row the secretary said whom it is, a new person included.
        identified = match.person_id is not None and match.matched_by != BY_NAME
        if match.candidates and candidate.row in chosen:
            match = _as_chosen(match, chosen[candidate.row])
            identified = not match.candidates
        earlier = seen.earlier(candidate, keys, match, by_name=not identified)
        if earlier is None and seen.doubted is not None:
            # It repeats an earlier row's name and postcode, but the database keeps someone
            # else under them too: the earlier row's person or that one, never a guess.
            others = {*match.candidates, seen.doubted}
            if match.person_id is not None:
                others.add(match.person_id)
            if len(others) > 1:
                match = fit_by_name(sorted(others))
                if candidate.row in chosen:
                    match = _as_chosen(match, chosen[candidate.row])
        if earlier is not None:
            first, said = earlier
            rows.append(
                PlannedRow(candidate.row, "duplicate", note=merger.merge(first, candidate, said))
            )
            continue
        if match.candidates:
            # Nobody it might be is lapsed by a full list: that would be a guess too.
            matched.update(match.candidates)
            rows.append(
                PlannedRow(
                    candidate.row,
                    "ambiguous",
                    matched_by=match.matched_by,
                    candidates=match.candidates,
                    note=match.note,
                )
            )
            continue
        if match.person_id is None:
            status = "supporter" if supporters else _new_status(candidate)
            rows.append(PlannedRow(candidate.row, "create", changes=_status_change(status)))
            continue
        pid = match.person_id
        first = seen.person_rows.setdefault(pid, candidate.row)
        seen.row_people[candidate.row] = pid
        if first != candidate.row:
            seen.repeats[candidate.row] = first  # a later repeat of it is merged into first
            # Two rows that name one person in different ways (number on one, only the
            # email on the other): the first one is used, as for any duplicate.
            rows.append(
                PlannedRow(
                    candidate.row,
                    "duplicate",
                    person_id=pid,
                    matched_by=match.matched_by,
                    note=merger.merge(
                        first,
                        candidate,
                        f"Row {candidate.row} is the same person as row {first} (person {pid})",
                    ),
                )
            )
            continue
        matched.add(pid)
        changes = tuple(_changes(candidate, index.people[pid], index, supporters=supporters))
        rows.append(
            PlannedRow(
                candidate.row,
                "update" if changes else "unchanged",
                person_id=pid,
                matched_by=match.matched_by,
                changes=changes,
                note=match.note,
            )
        )
    lapsing = []
    if full_list:
        lapsing = [
            pid
            for pid, known in index.people.items()
            if known.status == "member" and pid not in matched
        ]
        lapsing.sort()
    # A first row that took details from its repeats is planned again as merged.
    for row, merged in merger.merged.items():
        position = merger.position(row)
        planned = rows[position]
        if planned.action in ("update", "unchanged") and planned.person_id is not None:
            known = index.people[planned.person_id]
            changes = tuple(_changes(merged, known, index, supporters=supporters))
            rows[position] = replace(
                planned, action="update" if changes else "unchanged", changes=changes
            )
        elif planned.action == "create" and not supporters:
            status = _new_status(merged)
            rows[position] = replace(planned, changes=(FieldChange("status", None, status),))
    return ImportPlan(rows, lapsing, list(candidates.problems), today, merger.merged)


def _as_chosen(match: Match, pick: int | None) -> Match:
    """Whom an ambiguous row is, as the secretary chose: one of the people it could be, or
    None for someone new. A choice that is neither (the people changed since) is ignored:
    the row is asked about again, never guessed."""
    if pick is None:
        return Match()
    if pick in match.candidates:
        return Match(pick, BY_CHOICE)
    return match


@cache
def _status_change(status: str) -> tuple[FieldChange]:
    """A new person's one change, shared by every row with that status (it is frozen)."""
    return (FieldChange("status", None, status),)


def _new_status(candidate: Candidate) -> str:
    if candidate.status:
        return candidate.status
    return "member" if candidate.membership_number else "supporter"


class _Merger:
    """Repeated rows merged into the first: a detail only the repeat holds (a second email
    address, the phone number the first row left empty) is added, never a value changed."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self.merged: dict[int, Candidate] = {}
        self._positions: dict[int, int] | None = None

    def position(self, row: int) -> int:
        if self._positions is None:  # only files with repeats pay for this
            self._positions = {c.row: i for i, c in enumerate(self.candidates)}
        return self._positions[row]

    def merge(self, first: int, repeat: Candidate, said: str) -> str:
        """Fold ``repeat`` into row ``first``; the duplicate row's note, as one sentence."""
        base = self.merged.get(first) or self.candidates[self.position(first)]
        merged, added = _merged(base, repeat)
        if not added:
            return f"{said}; only row {first} is used."
        self.merged[first] = merged
        verb = "was" if len(added) == 1 else "were"
        return f"{said}; its {_listed(added)} {verb} added to row {first}."


_MERGED_FIELDS = tuple(
    f.name
    for f in fields(Candidate)
    if f.name not in ("row", "emails", "consents", "custom", "address_lines")
)


def _merged(base: Candidate, repeat: Candidate) -> tuple[Candidate, list[str]]:
    values: dict[str, object] = {}
    added: list[str] = []
    for name in _MERGED_FIELDS:
        if getattr(base, name) is None and getattr(repeat, name) is not None:
            values[name] = getattr(repeat, name)
            added.append(name.replace("_", " "))
    if not base.address_lines and repeat.address_lines:
        values["address_lines"] = repeat.address_lines
        added.append("address")
    known = {email.lower() for email in base.emails}
    extra = tuple(email for email in repeat.emails if email.lower() not in known)
    if extra:
        values["emails"] = base.emails + extra
        added.append("email address" if len(extra) == 1 else "email addresses")
    consents = {k: v for k, v in repeat.consents.items() if k not in base.consents}
    if consents:
        values["consents"] = {**base.consents, **consents}
        added.append("contact preferences")
    custom = {k: v for k, v in repeat.custom.items() if k not in base.custom}
    if custom:
        values["custom"] = {**base.custom, **custom}
        added.extend(custom)
    return replace(base, **values), added  # type: ignore[arg-type]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _SeenInFile:
    """The identities of earlier rows, to find a row the file repeats."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.emails: dict[str, tuple[int, str | None]] = {}
        self.names: dict[NameKey, tuple[int, str | None]] = {}
        self.person_rows: dict[int, int] = {}  # person id -> the first row matched to them
        self.row_people: dict[int, int] = {}  # row -> the person it matched
        self.repeats: dict[int, int] = {}  # a row that is a repeat -> the row it repeats
        # Set by earlier(): the person an earlier row with this row's name and postcode
        # matched, when the database says this row may be someone else.
        self.doubted: int | None = None

    def earlier(
        self, candidate: Candidate, keys: set[NameKey], match: Match, *, by_name: bool = True
    ) -> tuple[int, str] | None:
        """The earlier row this one repeats and what they share, or None (and remember it).
        ``by_name`` False: a repeated name and postcode alone does not make a repeat; nor
        does it when the database keeps someone else under that name and postcode too
        (``match``: whom the row is by the database), as two records of a member and of
        the supporter she also is, exported and imported back, do."""
        row, number = candidate.row, candidate.membership_number
        found: str | None = None
        self.doubted = None
        if number is not None and number in self.numbers:
            found = f"membership number {number}"
            first = self.numbers[number]
        else:
            first = 0
            # Rows holding two different membership numbers are two people, whatever
            # email address or name they share (couples often share one address).
            for email in candidate.emails:
                hit = self.emails.get(email.lower())
                if hit is not None and _same_person(hit[1], number):
                    found, first = f"email address {email.lower()}", hit[0]
                    break
            if found is None and by_name:
                for key in keys:
                    hit = self.names.get(key)
                    if hit is None or not _same_person(hit[1], number):
                        continue
                    if self._only_them(hit[0], match):
                        found, first = "name and postcode", hit[0]
                        break
                    self.doubted = self.row_people[hit[0]]
        if found is not None:
            self.doubted = None
            # A repeat of a row that itself repeats another is merged into that other one,
            # the row that is written.
            first = self.repeats.get(first, first)
            return first, f"Row {row} repeats row {first} (same {found})"
        if number is not None:
            self.numbers[number] = row
        for email in candidate.emails:
            self.emails.setdefault(email.lower(), (row, number))
        for key in keys:
            self.names.setdefault(key, (row, number))
        return None

    def _only_them(self, row: int, match: Match) -> bool:
        """Whether the database lets a row be the person earlier ``row`` matched and no one
        else: the same person found by name, or nobody at all."""
        pid = self.row_people.get(row)
        if pid is None:
            return True
        return not match.candidates and match.person_id in (None, pid)


def _same_person(earlier_number: str | None, number: str | None) -> bool:
    return earlier_number is None or number is None or earlier_number == number


def _changes(
    candidate: Candidate, known: Known, index: PeopleIndex, *, supporters: bool
) -> list[FieldChange]:
    """The national-list fields the file has a value for and that differ from what is kept.

    An empty cell is None in the candidate and never compared, so it never blanks a value.
    This runs for every row of a re-import, and most rows change nothing: each group of
    fields is first compared whole (one tuple comparison in C), and only a group that
    differs is gone through field by field.
    """
    changes: list[FieldChange] = []
    verified = index.locally_verified
    pid = known.id
    new_names = _CANDIDATE_NAMES(candidate)
    old_names = _KNOWN_NAMES(known)
    if new_names != old_names:
        for name, new, old in zip(_NAME_FIELDS, new_names, old_names, strict=True):
            if new and not _same_text(new, old):
                changes.append(FieldChange(name, old or None, new))
    # The branch's own "known as" is local knowledge; only an empty one is filled.
    if candidate.preferred_name and not known.preferred_name:
        changes.append(FieldChange("preferred_name", None, candidate.preferred_name))
    born = candidate.date_of_birth
    if born:
        new_date = born.isoformat()
        if new_date != known.date_of_birth:
            changes.append(FieldChange("date_of_birth", known.date_of_birth, new_date))

    new_membership = _CANDIDATE_MEMBERSHIP(candidate)
    old_membership = _KNOWN_MEMBERSHIP(known)
    if new_membership != old_membership:
        membership_conflict = (pid, "membership") in verified
        for name, new, old in zip(_MEMBERSHIP_TEXT, new_membership, old_membership, strict=True):
            # A petition or sign-up sheet says nothing about membership: a member who signs
            # one stays a member.
            if supporters and name == "status":
                continue
            # The file's value had its spaces tidied; one typed into Branchbook may not have.
            if new and new != old and (old is None or new != " ".join(old.split())):
                changes.append(FieldChange(name, old, new, membership_conflict))
    joined, lapsed = _CANDIDATE_DATES(candidate)
    if joined is not None or lapsed is not None:
        membership_conflict = (pid, "membership") in verified
        value: dt.date | None
        for name, value, old_date in zip(
            _MEMBERSHIP_DATES, (joined, lapsed), _KNOWN_DATES(known), strict=True
        ):
            # Compared and shown as ISO text, the form the index holds them in.
            if value is not None:
                new_date = value.isoformat()
                if new_date != old_date:
                    changes.append(FieldChange(name, old_date, new_date, membership_conflict))

    if candidate.emails:
        kept_emails = index.emails.get(pid, _NONE)
        for email in candidate.emails:
            if email.lower() not in kept_emails:
                email_conflict = (pid, "email") in verified
                changes.append(FieldChange("email", None, email.lower(), email_conflict))
    mobile, phone = candidate.mobile, candidate.phone
    if mobile or phone:
        kept_phones = index.phones.get(pid, _NONE)
        for name, number in (("mobile", mobile), ("phone", phone)):
            # Most numbers are kept exactly as the file's cell is cleaned: found without
            # a call. Only a number whose spaced-out form is all digits can be found so.
            if (
                number
                and number.replace(" ", "") not in kept_phones
                and not _kept_number(number, kept_phones)
            ):
                phone_conflict = (pid, "phone") in verified
                changes.append(FieldChange(name, None, number, phone_conflict))

    if _address_may_differ(candidate, known):
        address = _address_change(candidate, known, index.folded)
        if address is not None:
            before, after = address
            changes.append(FieldChange("address", before, after, (pid, "address") in verified))
    return changes


_NONE: tuple[str, ...] = ()


def _address_may_differ(candidate: Candidate, known: Known) -> bool:
    """False when the file's address parts are the kept ones exactly (the usual re-import):
    ``_address_change`` would find nothing, so it need not be asked."""
    town, postcode = candidate.town, candidate.postcode
    if (town and town != known.town) or (postcode and postcode != known.postcode):
        return True
    lines = candidate.address_lines
    if not lines:
        return False
    # The stored lines without gaps, as _address_change reads them, compared from the start.
    stored = _KNOWN_LINES(known)
    if None in stored or "" in stored:
        stored = tuple(filter(None, stored))
    return bool(lines != stored[: len(lines)])


# The fields _changes compares, read a group at a time (one C call, not a getattr each:
# this runs for every row of a re-import). A Known is a tuple, so it is read by position.
_CANDIDATE_NAMES = attrgetter(*_NAME_FIELDS)
_KNOWN_NAMES = itemgetter(*map(Known._fields.index, _NAME_FIELDS))
_CANDIDATE_MEMBERSHIP = attrgetter(*_MEMBERSHIP_TEXT)
_KNOWN_MEMBERSHIP = itemgetter(*map(Known._fields.index, _MEMBERSHIP_TEXT))
_CANDIDATE_DATES = attrgetter(*_MEMBERSHIP_DATES)
_KNOWN_DATES = itemgetter(*map(Known._fields.index, _MEMBERSHIP_DATES))
_KNOWN_LINES = itemgetter(*map(Known._fields.index, ("line1", "line2", "line3")))


def _kept_number(number: str, kept: tuple[str, ...]) -> bool:
    """Whether ``number``, as the file's cell was cleaned, is one of the kept numbers (their
    digits). A number typed into Branchbook another way, "+44 7700 900123" or with its zero
    lost, is cleaned the same way before it counts as new; only then, as that is slow."""
    wanted = digits(number)
    if wanted in kept:
        return True
    for stored in kept:
        cleaned = normalise_phone(stored)
        if not cleaned.rejected and cleaned.value and digits(cleaned.value) == wanted:
            return True
    return False


def _address_change(
    candidate: Candidate, known: Known, folded: Folded
) -> tuple[str | None, str] | None:
    """The address as kept and as it would be, or None when the file's parts agree.

    Lines, town and postcode are each compared only when the file has them, accent- and
    punctuation-blind; the "after" keeps the stored parts the file leaves empty.
    """
    stored_lines = tuple(line for line in (known.line1, known.line2, known.line3) if line)
    lines, town, postcode = stored_lines, known.town, known.postcode
    changed = False
    merged = merged_lines(candidate.address_lines, stored_lines, folded.__getitem__)
    if merged != stored_lines:
        lines, changed = merged, True
    if (
        candidate.town
        and candidate.town != known.town
        and folded[candidate.town] != folded[known.town or ""]
    ):
        town, changed = candidate.town, True
    if (
        candidate.postcode
        and candidate.postcode != known.postcode
        and folded[candidate.postcode] != folded[known.postcode or ""]
    ):
        postcode, changed = candidate.postcode, True
    if not changed:
        return None
    before = (
        None if known.household_id is None else _one_line(stored_lines, known.town, known.postcode)
    )
    return before, _one_line(lines, town, postcode)


def _one_line(lines: tuple[str, ...], town: str | None, postcode: str | None) -> str:
    return ", ".join(part for part in (*lines, town, postcode) if part)


def _same_text(new: str, old: str | None) -> bool:
    if new == old:
        return True
    return old is not None and " ".join(new.split()).casefold() == " ".join(old.split()).casefold()
