"""Merging two records of one person: everything the branch knows about ``other`` moves to
``keep``, and ``other`` is deleted. Nothing is lost on the way.

How each kind of row is joined (all in the caller's one transaction; a refusal writes nothing):

- Personal details: keep's non-empty value wins and other's fills the gaps. A value both
  hold differently is a clash: returned, and written into keep's notes with other's notes.
- Status: the more committed one wins (member, lapsed, supporter, contact, guest), and the
  lapsed date comes with it; the earlier joining date is kept. A membership number keep
  lacks is taken; a second, different one is recorded as a clash.
- Emails and phones: an address or number keep has already (any case, any spacing) is one
  row; keep's primary stays primary, other's becomes primary only when keep had none.
- Contact preferences: where the two records disagree about a channel, the refusal wins,
  whichever was recorded later. Neither record can show that the consent was given knowing
  of the refusal, and mailing someone who said no is worse than missing someone who said
  yes. The disagreement is recorded as a clash.
- Custom fields: keep's value wins; other's different value is kept under the same name
  with "(merged)" after it.
- Affiliations to the same organisation from the same date are one row; answers,
  activities, contributions and verifications all move, as history of both.
- Attendance at one meeting is one row, and present beats apologies beats absent.
- Mailings both records received are one row (a different letter variant is recorded).
- Import changes and the audit trail of other point at keep afterwards, and one ``merge``
  audit entry says what happened. Pairs dismissed as "not a duplicate" move to keep.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from db.bulk import rows_affected
from db.duplicates import carry_dismissals
from db.errors import NotFound, UserError
from db.models import (
    Activity,
    Affiliation,
    Answer,
    Attendance,
    AuditEntry,
    Base,
    Contribution,
    CustomFieldValue,
    DetailVerification,
    Household,
    ImportChange,
    MailingRecipient,
    Person,
    PersonTag,
    utcnow,
)
from db.models.vocabulary import CHANNEL_LABELS, PERSON_STATUS_LABELS, PERSON_STATUSES

# Details where keep's value wins and other's fills a gap, with the words notes use.
_DETAILS = (
    ("title", "title"),
    ("first_name", "first name"),
    ("middle_names", "middle names"),
    ("last_name", "last name"),
    ("preferred_name", "preferred name"),
    ("date_of_birth", "date of birth"),
    ("membership_type", "membership type"),
)
_STATUS_RANK = {status: rank for rank, status in enumerate(PERSON_STATUSES)}
_ATTENDANCE_RANK = {"present": 0, "apologies": 1, "absent": 2}
_CUSTOM_NAME_LENGTH = 120
_NOT_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class MergeClash:
    """A detail both records held differently: what it is, both values, what was done."""

    what: str
    kept: str | None
    other: str | None
    resolution: str


@dataclass(frozen=True)
class MergeResult:
    """What a merge did. ``moved`` counts other's rows now on keep, by table; ``combined``
    counts other's rows folded into a matching row of keep's (the same email address, the
    same meeting). ``filled`` names keep's empty details taken from other."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    moved: dict[str, int]
    combined: dict[str, int]
    filled: tuple[str, ...]
    clashes: tuple[MergeClash, ...]


class _Merge:
    """One merge's working state: the two people, the counts, the clashes."""

    def __init__(self, session: Session, keep: Person, other: Person) -> None:
        self.session = session
        self.keep = keep
        self.other = other
        self.moved: Counter[str] = Counter()
        self.combined: Counter[str] = Counter()
        self.filled: list[str] = []
        self.clashes: list[MergeClash] = []

    def clash(self, what: str, kept: object, other: object, resolution: str) -> None:
        self.clashes.append(MergeClash(what, _text(kept), _text(other), resolution))

    def rows(self, model: Any) -> list[Any]:
        return list(
            self.session.scalars(
                select(model).where(model.person_id == self.other.id).order_by(*_order(model))
            )
        )

    def keep_rows(self, model: Any) -> list[Any]:
        return list(
            self.session.scalars(
                select(model).where(model.person_id == self.keep.id).order_by(*_order(model))
            )
        )

    def twins(self, model: Any, key: Callable[[Any], Hashable]) -> Iterator[tuple[Any, Any]]:
        """Other's rows of ``model`` that keep has a row of the same ``key`` for, each with
        that row; the rest are moved to keep on the way."""
        mine = {key(row): row for row in self.keep_rows(model)}
        for row in self.rows(model):
            same = mine.get(key(row))
            if same is None:
                self.move(row)
            else:
                yield row, same

    def move(self, row: Any) -> None:
        row.person_id = self.keep.id
        self.moved[row.__tablename__] += 1

    def fold_away(self, row: Any) -> None:
        self.session.delete(row)
        self.combined[row.__tablename__] += 1


def _order(model: Any) -> list[Any]:
    return [model.id] if hasattr(model, "id") else [model.tag_id]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merge(session: Session, keep_id: int, other_id: int) -> MergeResult:
    """Move everything of ``other_id`` to ``keep_id`` and delete ``other_id``."""
    if keep_id == other_id:
        raise UserError(
            f"Person {keep_id} cannot be merged with themself; name two different people."
        )
    keep = session.get(Person, keep_id)
    if keep is None:
        raise NotFound(f"There is no person with id {keep_id} to keep.")
    other = session.get(Person, other_id)
    if other is None:
        raise NotFound(f"There is no person with id {other_id} to merge.")
    keep_name, other_name = keep.full_name, other.full_name
    work = _Merge(session, keep, other)
    _details(work)
    _emails(work)
    _phones(work)
    _contact_preferences(work)
    _custom_fields(work)
    _affiliations(work)
    _attendance(work)
    _mailings(work)
    _tags(work)
    for model in (DetailVerification, Answer, Activity, Contribution):
        for row in work.rows(model):
            work.move(row)
    _notes(work, other_name)
    session.flush()
    dismissals = carry_dismissals(session, keep.id, other.id)
    if dismissals:
        work.moved["setting"] += dismissals
    # Import changes are not audited, so Core will do; the audit trail of other (its
    # deletion included) is pointed at keep once other is gone.
    _repoint(work, ImportChange, other.id, keep.id)
    _check_nothing_left(session, other.id)
    session.delete(other)
    session.flush()
    _repoint(work, AuditEntry, other.id, keep.id)
    result = MergeResult(
        keep_id=keep.id,
        other_id=other_id,
        keep_name=keep.full_name,
        other_name=other_name,
        moved=dict(sorted(work.moved.items())),
        combined=dict(sorted(work.combined.items())),
        filled=tuple(work.filled),
        clashes=tuple(work.clashes),
    )
    _record(session, result, keep_name)
    return result


def _repoint(work: _Merge, model: Any, old: int, new: int) -> None:
    done = work.session.execute(update(model).where(model.person_id == old).values(person_id=new))
    count = rows_affected(done)
    if count:
        work.moved[model.__tablename__] += count


def _record(session: Session, result: MergeResult, keep_name: str) -> None:
    summary = (
        f"Merged {result.other_name} (id {result.other_id}) into {keep_name} (id {result.keep_id})"
    )
    changes = {
        "moved": result.moved,
        "combined": result.combined,
        "filled": list(result.filled),
        "clashes": [[c.what, c.kept, c.other] for c in result.clashes],
    }
    session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            actor=str(session.info.get("actor") or "unknown"),
            action="merge",
            table_name="person",
            row_id=result.keep_id,
            person_id=result.keep_id,
            summary=summary[:500],
            changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
        )
    )


def _check_nothing_left(session: Session, other_id: int) -> None:
    """A row still pointing at other would go with it (ON DELETE CASCADE): a table added
    to the schema and not to this module must stop the merge, not lose data."""
    for table in Base.metadata.sorted_tables:
        for column in _person_columns(table):
            left = session.scalar(select(func.count()).select_from(table).where(column == other_id))
            if left:
                raise RuntimeError(f"merge left {left} rows of {table.name} on person {other_id}")


def _person_columns(table: Table) -> list[Any]:
    return [
        column
        for column in table.columns
        if any(fk.column.table.name == "person" for fk in column.foreign_keys)
    ]


# --- Personal details --------------------------------------------------------------------


def _details(work: _Merge) -> None:
    keep, other = work.keep, work.other
    for attribute, label in _DETAILS:
        kept, theirs = getattr(keep, attribute), getattr(other, attribute)
        if _empty(theirs) or kept == theirs:
            continue
        if _empty(kept):
            setattr(keep, attribute, theirs)
            work.filled.append(label)
        else:
            work.clash(label, kept, theirs, "kept this record's")
    _household(work)
    _membership(work)
    keep.follow_up = bool(keep.follow_up or other.follow_up)


def _household(work: _Merge) -> None:
    keep, other = work.keep, work.other
    if other.household_id is None or other.household_id == keep.household_id:
        return
    if keep.household_id is None:
        keep.household = other.household
        work.filled.append("address")
        return
    assert other.household is not None
    work.clash("address", _address(keep.household), _address(other.household), "kept this one")


def _address(household: Household | None) -> str | None:
    if household is None:
        return None
    parts = (household.line1, household.line2, household.line3, household.town)
    return ", ".join(p for p in (*parts, household.postcode) if p)


def _membership(work: _Merge) -> None:
    keep, other, session = work.keep, work.other, work.session
    number = other.membership_number
    if number and not keep.membership_number:
        # The number is unique: other gives it up (flushed) before keep takes it.
        other.membership_number = None
        session.flush()
        keep.membership_number = number
        work.filled.append("membership number")
    elif number and number != keep.membership_number:
        work.clash("membership number", keep.membership_number, number, "kept this record's")
    if other.status != keep.status:
        if _STATUS_RANK[other.status] < _STATUS_RANK[keep.status]:
            work.clash(
                "status",
                PERSON_STATUS_LABELS[keep.status],
                PERSON_STATUS_LABELS[other.status],
                "took the merged record's",
            )
            if keep.lapsed_on != other.lapsed_on:
                work.clash("lapsed on", keep.lapsed_on, other.lapsed_on, "took the merged record's")
            keep.status, keep.lapsed_on = other.status, other.lapsed_on
        else:
            work.clash(
                "status",
                PERSON_STATUS_LABELS[keep.status],
                PERSON_STATUS_LABELS[other.status],
                "kept this record's",
            )
    elif keep.lapsed_on is None and other.lapsed_on is not None:
        keep.lapsed_on = other.lapsed_on
        work.filled.append("lapsed on")
    elif other.lapsed_on is not None and other.lapsed_on != keep.lapsed_on:
        work.clash("lapsed on", keep.lapsed_on, other.lapsed_on, "kept this record's")
    if other.joined_on is not None and other.joined_on != keep.joined_on:
        if keep.joined_on is None:
            keep.joined_on = other.joined_on
            work.filled.append("joined on")
        else:
            work.clash("joined on", keep.joined_on, other.joined_on, "kept the earlier")
            keep.joined_on = min(keep.joined_on, other.joined_on)
    lapsed, joined = keep.lapsed_on, keep.joined_on
    if lapsed is not None and joined is not None and lapsed < joined:
        # The schema's constraint: nobody lapses before joining.
        work.clash("lapsed on", keep.lapsed_on, None, "cleared: it was before joining")
        keep.lapsed_on = None


def _notes(work: _Merge, other_name: str) -> None:
    keep, other = work.keep, work.other
    number = f", membership number {other.membership_number}" if other.membership_number else ""
    lines = [
        f"Merged with the record of {other_name} (id {other.id}{number}) on {utcnow():%Y-%m-%d}."
    ]
    if other.notes and other.notes.strip():
        lines.append(f"Its notes: {other.notes.strip()}")
    for clash in work.clashes:
        lines.append(
            f"Its {clash.what}: {clash.other or '(none)'} (this record: "
            f"{clash.kept or '(none)'}; {clash.resolution})."
        )
    block = "\n".join(lines)
    keep.notes = f"{keep.notes.rstrip()}\n\n{block}" if keep.notes and keep.notes.strip() else block


# --- Contact details ---------------------------------------------------------------------


def _emails(work: _Merge) -> None:
    keep, other = work.keep, work.other
    mine = {e.address.strip().lower(): e for e in keep.emails}
    has_primary = any(e.is_primary for e in keep.emails)
    for email in list(other.emails):
        same = mine.get(email.address.strip().lower())
        if same is not None:
            if email.is_primary and not has_primary:
                same.is_primary = has_primary = True
            other.emails.remove(email)  # an orphan: deleted
            work.combined["email_address"] += 1
            continue
        if email.is_primary and has_primary:
            email.is_primary = False
        has_primary = has_primary or email.is_primary
        email.person = keep
        mine[email.address.strip().lower()] = email
        work.moved["email_address"] += 1


def _phones(work: _Merge) -> None:
    keep, other = work.keep, work.other
    mine = {_NOT_DIGITS.sub("", p.number): p for p in keep.phones}
    has_primary = any(p.is_primary for p in keep.phones)
    for phone in list(other.phones):
        digits = _NOT_DIGITS.sub("", phone.number)
        same = mine.get(digits)
        if same is not None:
            if phone.is_primary and not has_primary:
                same.is_primary = has_primary = True
            other.phones.remove(phone)
            work.combined["phone_number"] += 1
            continue
        if phone.is_primary and has_primary:
            phone.is_primary = False
        has_primary = has_primary or phone.is_primary
        phone.person = keep
        mine[digits] = phone
        work.moved["phone_number"] += 1


def _contact_preferences(work: _Merge) -> None:
    keep, other = work.keep, work.other
    mine = {p.channel: p for p in keep.contact_preferences}
    for preference in list(other.contact_preferences):
        same = mine.get(preference.channel)
        if same is None:
            preference.person = keep
            work.moved["contact_preference"] += 1
            continue
        if same.allowed != preference.allowed:
            label = f"consent to {CHANNEL_LABELS[preference.channel].lower()}"
            work.clash(label, _yes_no(same.allowed), _yes_no(preference.allowed), "kept the no")
            if not preference.allowed:
                same.allowed = False
                same.recorded_at = preference.recorded_at
                same.how = preference.how
        other.contact_preferences.remove(preference)
        work.combined["contact_preference"] += 1


def _yes_no(allowed: bool) -> str:
    return "yes" if allowed else "no"


# --- Everything else ---------------------------------------------------------------------


def _custom_fields(work: _Merge) -> None:
    mine = {row.name: row for row in work.keep_rows(CustomFieldValue)}
    for row in work.rows(CustomFieldValue):
        same = mine.get(row.name)
        if same is None:
            work.move(row)
            mine[row.name] = row
        elif _empty(row.value) or same.value == row.value:
            work.fold_away(row)
        elif _empty(same.value):
            same.value = row.value
            work.filled.append(f"custom field {row.name}")
            work.fold_away(row)
        else:
            name = _free_name(row.name, mine)
            work.clash(f"custom field {row.name}", same.value, row.value, f"kept as '{name}'")
            row.name = name
            work.move(row)
            mine[name] = row


def _free_name(name: str, taken: dict[str, Any]) -> str:
    for n in range(1, 1000):
        suffix = " (merged)" if n == 1 else f" (merged {n})"
        candidate = name[: _CUSTOM_NAME_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise RuntimeError(f"no free name for custom field {name!r}")


def _affiliations(work: _Merge) -> None:
    for row, same in work.twins(Affiliation, lambda row: (row.organisation_id, row.since)):
        what = f"role in {row.organisation.name}"
        if _empty(same.role) and not _empty(row.role):
            same.role = row.role
        elif not _empty(row.role) and row.role != same.role:
            work.clash(what, same.role, row.role, "kept this record's")
        if row.until is not None and row.until != same.until:
            if same.until is None:
                same.until = row.until
            else:
                work.clash(f"end of {what}", same.until, row.until, "kept this record's")
        work.fold_away(row)


def _attendance(work: _Merge) -> None:
    for row, same in work.twins(Attendance, lambda row: row.meeting_id):
        if _ATTENDANCE_RANK[row.status] < _ATTENDANCE_RANK[same.status]:
            same.status, same.checked_in_at, same.method = row.status, row.checked_in_at, row.method
        work.fold_away(row)


def _mailings(work: _Merge) -> None:
    for row, same in work.twins(MailingRecipient, lambda row: row.mailing_id):
        if same.variant != row.variant:
            work.clash(
                f"letter variant in mailing {row.mailing_id}",
                same.variant,
                row.variant,
                "both letters were sent; kept this record's",
            )
        work.fold_away(row)


def _tags(work: _Merge) -> None:
    # PersonTag's key is (person, tag): a new row for keep, not an update of other's key.
    mine = {row.tag_id for row in work.keep_rows(PersonTag)}
    for row in work.rows(PersonTag):
        if row.tag_id in mine:
            work.fold_away(row)
            continue
        work.session.delete(row)
        work.session.add(PersonTag(person_id=work.keep.id, tag_id=row.tag_id))
        mine.add(row.tag_id)
        work.moved["person_tag"] += 1
