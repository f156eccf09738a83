"""Writing an import: the plan the secretary saw, in one transaction, recorded as a batch.

Every change is kept as an ``ImportChange`` row (who, which field, before and after) so
the batch can be undone later (``db.importing.undo``). Writes go through ``db.bulk`` and
Core statements: an ORM unit of work costs ten times as much at 100,000 rows. Nothing here
commits; the caller's session does, so a failure or a Cancel leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from db.audit import record_bulk
from db.bulk import advance_sequences, chunked, deferred_indexes, insert_tuples, next_id
from db.errors import Cancelled
from db.folding import fold
from db.importing.candidates import Candidate, CandidateSet
from db.importing.gc_pause import paused_gc
from db.importing.matching import digits
from db.importing.places import Address, KeptHouseholds, Places, merged_lines
from db.importing.plan import (
    PERSON_DATE_FIELDS,
    PERSON_TEXT_FIELDS,
    FieldChange,
    ImportPlan,
    PlannedRow,
)
from db.importing.search_fields import refresh_search
from db.models import (
    ContactPreference,
    CustomFieldValue,
    EmailAddress,
    Household,
    ImportBatch,
    ImportChange,
    Person,
    PhoneNumber,
    utcnow,
)
from db.people import household_residents
from db.search import DocumentCache, bulk_search_index

__all__ = ["BatchRecord", "Decisions", "ImportResult", "Progress", "apply_import"]

Progress = Callable[[int, int], None]  # (done, total)

# Changes that alter what a person is found by, so their search fields are worked out again.
_SEARCHED = frozenset(
    {
        "first_name",
        "last_name",
        "middle_names",
        "preferred_name",
        "membership_number",
        "email",
        "address",
    }
)
_CHECK_EVERY = 2000  # rows between looks at the Cancel button


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


PERSON = _table(Person)
EMAIL = _table(EmailAddress)
HOUSEHOLD = _table(Household)
PHONE = _table(PhoneNumber)
CHANGE = _table(ImportChange)

# The columns of the rows the writer builds, as tuples in this order: a dict a row would
# cost a third of the writing time at 100,000 people.
_PERSON_COLUMNS = (
    "id",
    "title",
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "status",
    "membership_number",
    "membership_type",
    "joined_on",
    "lapsed_on",
    "household_id",
    "notes",
    "sort_key",
    "search_text",
    "created_at",
    "updated_at",
)
_EMAIL_COLUMNS = ("id", "person_id", "address", "kind", "is_primary")
_PHONE_COLUMNS = ("id", "person_id", "number", "kind", "is_primary")
_PREFERENCE_COLUMNS = ("person_id", "channel", "allowed", "recorded_at", "how")
_CUSTOM_COLUMNS = ("person_id", "name", "value")
_CHANGE_COLUMNS = (
    "batch_id",
    "person_id",
    "action",
    "field",
    "old_value",
    "new_value",
    "source_row",
)


@dataclass(frozen=True)
class Decisions:
    """What the secretary chose in the preview: rows and fields to leave out, the
    conflicts where the national list's value should replace the branch's own, and whom a
    row that could be several people is (a person id, or None for a new person)."""

    left_out_rows: frozenset[int] = frozenset()
    left_out_fields: frozenset[tuple[int, str]] = frozenset()  # (sheet row, field)
    accepted_conflicts: frozenset[tuple[int, str]] = frozenset()
    chosen: Mapping[int, int | None] = field(default_factory=dict)  # sheet row -> person

    def takes(self, row: int, change: FieldChange) -> bool:
        key = (row, change.field)
        if key in self.left_out_fields:
            return False
        return not change.conflict or key in self.accepted_conflicts


@dataclass(frozen=True)
class BatchRecord:
    """What the batch row says about where the people came from."""

    file_name: str
    sheet_name: str | None = None
    checksum: str | None = None
    mapping: str | None = None  # ColumnMapping.to_json()
    source_id: int | None = None


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    counts: dict[str, int]
    # One sentence for each value the writer did not take: conflicts left as the branch
    # has them, and dates that would contradict each other.
    held_back: list[str] = field(default_factory=list)


def apply_import(
    session: Session,
    plan: ImportPlan,
    candidates: CandidateSet,
    record: BatchRecord,
    decisions: Decisions | None = None,
    *,
    full_list: bool = False,
    supporters: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    households: KeptHouseholds | None = None,
) -> ImportResult:
    """Write ``plan`` (made from ``candidates``) in the session's transaction.

    ``households``: ``household_keys`` as they hold in the session's view, when already
    read. Raises ``Cancelled`` when ``cancelled()`` turns true; the caller rolls back.
    """
    writer = _Writer(session, plan, candidates, record, decisions or Decisions(), households)
    # Hundreds of thousands of row tuples, none in a cycle: no collector passes over them.
    with paused_gc():
        return writer.run(full_list, supporters, progress, cancelled)


@dataclass
class _Stored:
    """What an updated person holds now, as far as the writer needs it."""

    household_id: int | None
    address: Address
    joined_on: dt.date | None
    lapsed_on: dt.date | None
    has_email: bool
    has_phone: bool


class _Writer:
    def __init__(
        self,
        session: Session,
        plan: ImportPlan,
        candidates: CandidateSet,
        record: BatchRecord,
        decisions: Decisions,
        households: KeptHouseholds | None = None,
    ) -> None:
        self.session = session
        self.kept_households = households
        self.plan = plan
        self.candidates = {candidate.row: candidate for candidate in candidates.candidates}
        self.candidates.update(plan.merged)
        self.record = record
        self.decisions = decisions
        self.now = utcnow()
        self.held_back: list[str] = []
        # Rows to insert, each a tuple in the order of its table's _..._COLUMNS.
        self.changes: list[tuple[Any, ...]] = []
        self.counts: Counter[str] = Counter()
        self.people: list[tuple[Any, ...]] = []
        self.emails: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.preferences: list[tuple[Any, ...]] = []
        self.custom: list[tuple[Any, ...]] = []
        self.updates: dict[int, dict[str, Any]] = {}
        self.household_updates: dict[int, dict[str, Any]] = {}
        self.research: set[int] = set()  # updated people whose search fields need refreshing
        self.documents = DocumentCache()

    # --- the whole run --------------------------------------------------------------

    def run(
        self,
        full_list: bool,
        supporters: bool,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> ImportResult:
        session = self.session
        batch = ImportBatch(
            source_id=self.record.source_id,
            file_name=self.record.file_name[:500],
            sheet_name=(self.record.sheet_name or None) and self.record.sheet_name[:200],
            started_at=self.now,
            status="running",
            row_count=len(self.plan.rows),
            actor=str(session.info.get("actor") or "unknown"),
            checksum=self.record.checksum,
            mapping=self.record.mapping,
            full_list=full_list,
            supporters=supporters,
        )
        session.add(batch)
        session.flush()
        self.batch_id = batch.id
        self.places = Places(session, self.now, self.kept_households)
        self.ids = {
            name: next_id(session, table)
            for name, table in (
                ("person", PERSON),
                ("email_address", EMAIL),
                ("phone_number", PHONE),
            )
        }

        rows = self.plan.rows
        total = len(rows) + len(self.plan.lapsing)
        stored = self._stored([row.person_id for row in rows if row.action == "update"])
        for done, row in enumerate(rows):
            if done % _CHECK_EVERY == 0:
                _check(cancelled)
                if progress is not None:
                    progress(done, total)
            if row.row in self.decisions.left_out_rows:
                self.counts["left_out"] += 1
            elif row.action == "create":
                self._create(row, self.candidates[row.row], supporters)
            elif row.action == "update" and row.person_id is not None:
                self._update(row, self.candidates[row.row], stored[row.person_id])
            else:
                self.counts[_COUNTED[row.action]] += 1
        _check(cancelled)
        self._write(cancelled)
        if full_list:
            self._lapse(self.plan.lapsing, self.plan.today)
        _check(cancelled)
        refresh_search(session, self.research)
        with deferred_indexes(session, CHANGE, len(self.changes)):
            insert_tuples(session, CHANGE, _CHANGE_COLUMNS, self.changes)
        advance_sequences(
            session,
            ("ward", "polling_district", "household", "person", "email_address", "phone_number"),
        )
        counts = self._final_counts()
        batch.status = "committed"
        batch.finished_at = utcnow()
        batch.counts = json.dumps(counts, sort_keys=True)
        record_bulk(
            session,
            "person",
            f"Imported {self.record.file_name}: "
            + ", ".join(f"{value} {name}" for name, value in counts.items() if value),
            self.batch_id,
        )
        session.flush()
        if progress is not None:
            progress(total, total)
        return ImportResult(self.batch_id, counts, self.held_back)

    def _final_counts(self) -> dict[str, int]:
        counts = {
            name: self.counts.get(name, 0)
            for name in (
                "created",
                "updated",
                "unchanged",
                "lapsed",
                "ambiguous",
                "duplicate",
                "left_out",
            )
        }
        counts["conflicts"] = self.counts.get("conflicts", 0)
        counts["rejected"] = sum(problem.rejected for problem in self.plan.problems)
        return counts

    # --- new people -----------------------------------------------------------------

    def _create(self, row: PlannedRow, candidate: Candidate, supporters: bool) -> None:
        pid = self._take("person")
        status = row.changes[0].after if row.changes else ("supporter" if supporters else None)
        household_id, _ = self.places.household_for(
            _address_of(candidate), candidate.ward, candidate.polling_district
        )
        joined, lapsed = candidate.joined_on, candidate.lapsed_on
        if joined and lapsed and lapsed < joined:
            self._hold(row.row, "its lapse date is before its joining date, so it was left out")
            lapsed = None
        given = candidate.emails
        # Most rows have one address or none: no need to look for repeats then.
        emails = (
            [given[0].lower()]
            if len(given) == 1
            else list(dict.fromkeys([email.lower() for email in given]))
        )
        first, last = candidate.first_name or "", candidate.last_name or ""
        self.people.append(
            (
                pid,
                candidate.title,
                first,
                candidate.middle_names,
                last,
                candidate.preferred_name,
                candidate.date_of_birth,
                status or "contact",
                candidate.membership_number,
                candidate.membership_type,
                joined,
                lapsed,
                household_id,
                candidate.notes,
                self.documents.sort_key(last, first),
                self.documents.document(
                    first_name=first,
                    last_name=last,
                    middle_names=candidate.middle_names,
                    preferred_name=candidate.preferred_name,
                    membership_number=candidate.membership_number,
                    postcode=candidate.postcode,
                    emails=emails,
                ),
                self.now,
                self.now,
            )
        )
        for position, address in enumerate(emails):
            self._add_email(pid, address, primary=position == 0)
        # The row's numbers, each once: a mobile repeated in the phone column is one number.
        mobile, phone = candidate.mobile, candidate.phone
        if mobile:
            self._add_phone(pid, "mobile", mobile, primary=True)
        if phone and not (mobile and digits(phone) == digits(mobile)):
            self._add_phone(pid, "home", phone, primary=not mobile)
        if candidate.consents:  # most lists say nothing about consent
            how = f"{'Sign-up list' if supporters else 'National list'} {self.record.file_name}"
            for channel, allowed in candidate.consents.items():
                self.preferences.append((pid, channel, allowed, self.now, how[:200]))
        for name, value in candidate.custom.items():
            self.custom.append((pid, name[:120] or "?", value))
        self._change(pid, "created", row.row)
        self.counts["created"] += 1

    # --- people already kept --------------------------------------------------------

    def _update(self, row: PlannedRow, candidate: Candidate, stored: _Stored) -> None:
        pid = row.person_id
        assert pid is not None
        taken = [c for c in row.changes if self.decisions.takes(row.row, c)]
        self.counts["conflicts"] += sum(
            c.conflict and (row.row, c.field) not in self.decisions.accepted_conflicts
            for c in row.changes
        )
        for change in row.changes:
            if change.conflict and change not in taken:
                self._hold(
                    row.row,
                    f"the branch verified {_FIELD_WORDS.get(change.field, change.field)} "
                    f"itself, so '{change.after}' was not taken",
                )
        taken = self._consistent_dates(row.row, taken, stored)
        if not taken:
            self.counts["unchanged"] += 1
            return
        values: dict[str, Any] = {}
        recorded = len(self.changes)
        for change in taken:
            name = change.field
            if name in PERSON_TEXT_FIELDS:
                values[name] = change.after
                self._change(pid, "updated", row.row, name, change.before, change.after)
            elif name in PERSON_DATE_FIELDS:
                values[name] = _date(change.after)
                self._change(pid, "updated", row.row, name, change.before, change.after)
            elif name == "email" and change.after:
                self._add_email(pid, change.after, primary=not stored.has_email)
                stored.has_email = True
                self._change(pid, "updated", row.row, "email", None, change.after)
            elif name in ("mobile", "phone") and change.after:
                kind = "mobile" if name == "mobile" else "home"
                self._add_phone(pid, kind, change.after, primary=not stored.has_phone)
                stored.has_phone = True
                self._change(pid, "updated", row.row, name, None, change.after)
            elif name == "address":
                self._readdress(pid, row.row, candidate, stored, values)
        if values:
            self.updates[pid] = values
        if len(self.changes) == recorded:
            # The address the file gives is the one kept, written differently ("St." for
            # "Street"): nothing to change after all.
            self.counts["unchanged"] += 1
            return
        if any(change.field in _SEARCHED for change in taken):
            self.research.add(pid)
        self.counts["updated"] += 1

    def _consistent_dates(
        self, row: int, taken: list[FieldChange], stored: _Stored
    ) -> list[FieldChange]:
        """The changes without the dates that would put a lapse before a joining."""
        dates = {c.field: _date(c.after) for c in taken if c.field in ("joined_on", "lapsed_on")}
        joined = dates.get("joined_on", stored.joined_on)
        lapsed = dates.get("lapsed_on", stored.lapsed_on)
        if joined is None or lapsed is None or lapsed >= joined:
            return taken
        self._hold(row, "its joining date would fall after the lapse date, so neither was changed")
        return [c for c in taken if c.field not in dates]

    def _readdress(
        self,
        pid: int,
        row: int,
        candidate: Candidate,
        stored: _Stored,
        values: dict[str, Any],
    ) -> None:
        """Move the person to the household at the file's address (the file's parts over
        the stored ones), or, when that is the household they are in, bring its lines,
        town and postcode up to date for everyone living there."""
        lines, town, county, postcode = stored.address
        address: Address = (
            merged_lines(candidate.address_lines, lines, fold),
            candidate.town or town,
            candidate.county or county,
            candidate.postcode or postcode,
        )
        household_id: int | None
        if not address[0] and stored.household_id is not None:
            # No street on either side: the person's own household takes the new town or
            # postcode rather than being given another.
            household_id, created = stored.household_id, False
        else:
            household_id, created = self.places.household_for(
                address, candidate.ward, candidate.polling_district
            )
        if household_id is None:
            return
        if household_id != stored.household_id:
            values["household_id"] = household_id
            self._change(
                pid, "updated", row, "household_id", _text(stored.household_id), str(household_id)
            )
            return
        if created:
            return
        new_lines = (*address[0], None, None, None)[:3]
        old_lines = (*lines, None, None, None)[:3]
        parts = {
            "line1": (old_lines[0], new_lines[0]),
            "line2": (old_lines[1], new_lines[1]),
            "line3": (old_lines[2], new_lines[2]),
            "town": (town, address[1]),
            "postcode": (postcode, address[3]),
        }
        changed = self.household_updates.setdefault(household_id, {})
        for column, (before, after) in parts.items():
            if before != after:
                changed[column] = after
                self._change(pid, "updated", row, f"household.{column}", before, after)

    def _stored(self, ids: Iterable[int | None]) -> dict[int, _Stored]:
        wanted = sorted({pid for pid in ids if pid is not None})
        found: dict[int, _Stored] = {}
        email_owners: set[int] = set()
        phone_owners: set[int] = set()
        for chunk in chunked(wanted):
            for pid in self.session.scalars(
                select(EmailAddress.person_id).where(EmailAddress.person_id.in_(chunk)).distinct()
            ):
                email_owners.add(pid)
            for pid in self.session.scalars(
                select(PhoneNumber.person_id).where(PhoneNumber.person_id.in_(chunk)).distinct()
            ):
                phone_owners.add(pid)
            statement = (
                select(
                    Person.id,
                    Person.household_id,
                    Person.joined_on,
                    Person.lapsed_on,
                    Household.line1,
                    Household.line2,
                    Household.line3,
                    Household.town,
                    Household.county,
                    Household.postcode,
                )
                .outerjoin(Household, Household.id == Person.household_id)
                .where(Person.id.in_(chunk))
            )
            for (
                pid,
                hid,
                joined,
                lapsed,
                l1,
                l2,
                l3,
                town,
                county,
                postcode,
            ) in self.session.execute(statement):
                lines = tuple(line for line in (l1, l2, l3) if line)
                found[pid] = _Stored(
                    hid,
                    (lines, town, county, postcode),
                    joined,
                    lapsed,
                    pid in email_owners,
                    pid in phone_owners,
                )
        return found

    # --- full list ------------------------------------------------------------------

    def _lapse(self, ids: list[int], today: dt.date) -> None:
        """Members the full list no longer holds become lapsed on ``today``; nobody is deleted."""
        people = PERSON.c
        params: list[dict[str, Any]] = []
        for chunk in chunked(ids):
            for pid, joined, lapsed in self.session.execute(
                select(Person.id, Person.joined_on, Person.lapsed_on).where(
                    Person.id.in_(chunk), Person.status == "member"
                )
            ):
                # A joining date ahead of today (typed by hand) must not break the rule
                # that nobody lapses before joining.
                lapsed_on = max(today, joined) if joined else today
                params.append({"_id": pid, "status": "lapsed", "lapsed_on": lapsed_on})
                self._change(pid, "lapsed", None, "status", "member", "lapsed")
                self._change(pid, "lapsed", None, "lapsed_on", _text(lapsed), _text(lapsed_on))
        if params:
            self.session.execute(
                update(PERSON)
                .where(people.id == bindparam("_id"))
                .values(version=people.version + 1, updated_at=self.now),
                params,
            )
        self.counts["lapsed"] += len(params)

    # --- writing --------------------------------------------------------------------

    def _write(self, cancelled: Callable[[], bool] | None) -> None:
        session = self.session
        # A list into an empty (or much smaller) branch: indexes are made once afterwards.
        with deferred_indexes(session, HOUSEHOLD, len(self.places.new_households)):
            self.places.write()
        first_id = self.people[0][0] if self.people else 0
        with (
            bulk_search_index(session, first_id, len(self.people)),
            deferred_indexes(session, PERSON, len(self.people)),
        ):
            insert_tuples(session, PERSON, _PERSON_COLUMNS, self.people)
        _check(cancelled)
        with deferred_indexes(session, EMAIL, len(self.emails)):
            insert_tuples(session, EMAIL, _EMAIL_COLUMNS, self.emails)
        with deferred_indexes(session, PHONE, len(self.phones)):
            insert_tuples(session, PHONE, _PHONE_COLUMNS, self.phones)
        insert_tuples(session, _table(ContactPreference), _PREFERENCE_COLUMNS, self.preferences)
        insert_tuples(session, _table(CustomFieldValue), _CUSTOM_COLUMNS, self.custom)
        _check(cancelled)
        # One executemany per set of columns changed: the statement is compiled once each.
        by_columns: defaultdict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for pid, values in self.updates.items():
            by_columns[tuple(sorted(values))].append({"_id": pid, **values})
        people = PERSON.c
        for params in by_columns.values():
            session.execute(
                update(PERSON)
                .where(people.id == bindparam("_id"))
                .values(version=people.version + 1, updated_at=self.now),
                params,
            )
        households = HOUSEHOLD.c
        for hid, values in self.household_updates.items():
            if values:
                session.execute(
                    update(HOUSEHOLD)
                    .where(households.id == hid)
                    .values(version=households.version + 1, updated_at=self.now, **values)
                )
        # A postcode is part of everyone's search text at that address, not only the
        # person whose row changed it.
        moved = [hid for hid, values in self.household_updates.items() if "postcode" in values]
        for residents in household_residents(session, moved).values():
            self.research.update(residents)

    # --- small parts ----------------------------------------------------------------

    def _take(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _add_email(self, pid: int, address: str, *, primary: bool) -> None:
        self.emails.append((self._take("email_address"), pid, address, "home", primary))

    def _add_phone(self, pid: int, kind: str, number: str, *, primary: bool) -> None:
        self.phones.append((self._take("phone_number"), pid, number, kind, primary))

    def _change(
        self,
        pid: int,
        action: str,
        row: int | None,
        name: str | None = None,
        before: str | None = None,
        after: str | None = None,
    ) -> None:
        self.changes.append((self.batch_id, pid, action, name, before, after, row))

    def _hold(self, row: int, clause: str) -> None:
        self.held_back.append(f"Row {row}: {clause}.")


_COUNTED = {"unchanged": "unchanged", "ambiguous": "ambiguous", "duplicate": "duplicate"}
_FIELD_WORDS = {
    "membership_number": "the membership details",
    "membership_type": "the membership details",
    "status": "the membership details",
    "joined_on": "the membership details",
    "lapsed_on": "the membership details",
    "address": "the address",
    "email": "the email addresses",
    "mobile": "the phone numbers",
    "phone": "the phone numbers",
}


def _address_of(candidate: Candidate) -> Address:
    return candidate.address_lines, candidate.town, candidate.county, candidate.postcode


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("The import was cancelled; nothing was changed.")
