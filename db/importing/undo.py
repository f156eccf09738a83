"""Undoing an import batch, refusing where that would overwrite what happened since.

Every value the import wrote is put back only if it is still the value the import wrote:
a field edited since, a person created by the import and then met, edited or imported
again, or a later import touching the same people, makes the whole undo refuse with one
sentence naming who and what. The undo itself is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.audit import record_bulk
from db.bulk import chunked
from db.errors import Conflict, NotFound
from db.importing.plan import PERSON_DATE_FIELDS, PERSON_TEXT_FIELDS
from db.importing.search_fields import refresh_search
from db.models import (
    AuditEntry,
    EmailAddress,
    Household,
    ImportBatch,
    ImportChange,
    Person,
    PhoneNumber,
    utcnow,
)
from db.people import household_residents

__all__ = ["UndoResult", "undo_import"]

_HOUSEHOLD_PARTS = ("line1", "line2", "line3", "town", "postcode")
_NAMED = 3  # people named in a refusal before "and N more"


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    removed: int  # people the import had created, now deleted
    restored: int  # people whose fields were put back
    file_name: str

    def describe(self) -> str:
        """What was undone, as the window and the command line say it."""
        removed = "person" if self.removed == 1 else "people"
        restored = "person's" if self.restored == 1 else "people's"
        return (
            f"Undid import {self.batch_id} ({self.file_name}): removed {self.removed:,} "
            f"{removed} it had added and put back {self.restored:,} {restored} details."
        )


def undo_import(session: Session, batch_id: int) -> UndoResult:
    """Undo import ``batch_id`` in the session's transaction, or raise ``Conflict``."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"There is no import {batch_id}; 'branchbook import --list' shows them.")
    if batch.status != "committed":
        raise Conflict(
            f"Import {batch_id} ({batch.file_name}) cannot be undone: "
            f"it is {_STATUS[batch.status]}."
        )
    changes = list(
        session.execute(
            select(
                ImportChange.person_id,
                ImportChange.action,
                ImportChange.field,
                ImportChange.old_value,
                ImportChange.new_value,
            ).where(ImportChange.batch_id == batch_id)
        )
    )
    created = sorted({pid for pid, action, *_ in changes if action == "created" and pid})
    touched = sorted({pid for pid, *_ in changes if pid})
    # Deleting a person the import created would lose whatever happened to them since;
    # for people it only updated, each field is checked on its own below.
    problems = _later_imports(session, batch, created)
    problems += [f"{name} (added by it)" for name in _edited_since(session, batch, created)]
    updates: defaultdict[int, dict[str, Any]] = defaultdict(dict)
    households: defaultdict[int, dict[str, Any]] = defaultdict(dict)
    additions: list[tuple[int, str, str]] = []  # (person, "email" | "phone", value)
    current = _current(session, [pid for pid in touched if pid not in set(created)])
    for pid, action, name, old, new in changes:
        if pid is None or action == "created" or pid in created or name is None:
            continue
        now = current.get(pid)
        if now is None:
            continue  # erased since: nothing of theirs is left to put back
        if name in ("email", "mobile", "phone"):
            additions.append((pid, "email" if name == "email" else "phone", new or ""))
        elif name.startswith("household."):
            part = name.removeprefix("household.")
            if now["household." + part] != new:
                problems.append(f"{now['name']}'s address")
            elif now["household_id"] is not None:
                households[now["household_id"]][part] = old
        elif now.get(name) != new:
            problems.append(f"{now['name']}'s {_WORDS.get(name, name.replace('_', ' '))}")
        else:
            updates[pid][name] = _value(name, old)
    if problems:
        raise Conflict(
            f"Import {batch_id} ({batch.file_name}) cannot be undone: "
            f"{_listed(sorted(set(problems)))} changed since, and undoing would overwrite "
            "that; change them back by hand or undo the later imports first."
        )

    for pid, values in updates.items():
        if "household_id" in values:
            values["household_id"] = int(values["household_id"]) if values["household_id"] else None
        session.execute(
            update(Person)
            .where(Person.id == pid)
            .values(version=Person.version + 1, updated_at=utcnow(), **values)
        )
    for hid, values in households.items():
        session.execute(
            update(Household)
            .where(Household.id == hid)
            .values(version=Household.version + 1, updated_at=utcnow(), **values)
        )
    for pid, kind, value in additions:
        model = EmailAddress if kind == "email" else PhoneNumber
        column = EmailAddress.address if kind == "email" else PhoneNumber.number
        session.execute(delete(model).where(model.person_id == pid, column == value))
    for chunk in chunked(created):
        session.execute(delete(Person).where(Person.id.in_(chunk)))
    _drop_empty_households(session, batch)
    # A household put back changes the search text of everyone living there.
    residents = household_residents(session, households).values()
    refresh_search(
        session,
        set(updates) | {pid for pid, *_ in additions} | {pid for ids in residents for pid in ids},
    )
    batch.status = "rolled_back"
    batch.undone_at = utcnow()
    record_bulk(
        session,
        "person",
        f"Undid import {batch_id} ({batch.file_name}): removed {len(created)} people, "
        f"restored {len(updates) + len({pid for pid, *_ in additions})} people",
        batch_id,
    )
    session.flush()
    restored = len(set(updates) | {pid for pid, *_ in additions})
    return UndoResult(batch_id, len(created), restored, batch.file_name)


_STATUS = {
    "running": "still running or was interrupted",
    "rolled_back": "already undone",
    "failed": "one that failed and wrote nothing",
}
_WORDS = {"household_id": "address", "joined_on": "joining date", "lapsed_on": "lapse date"}


def _later_imports(session: Session, batch: ImportBatch, people: list[int]) -> list[str]:
    later: set[int] = set()
    for chunk in chunked(people):
        later.update(
            session.scalars(
                select(ImportChange.batch_id)
                .join(ImportBatch, ImportBatch.id == ImportChange.batch_id)
                .where(
                    ImportChange.person_id.in_(chunk),
                    ImportChange.batch_id > batch.id,
                    ImportBatch.status == "committed",
                )
                .distinct()
            )
        )
    return [f"people it imported were imported again by import {b}" for b in sorted(later)]


def _edited_since(session: Session, batch: ImportBatch, people: list[int]) -> list[str]:
    """People with an audited edit (by hand, at a meeting...) after the import."""
    since = batch.finished_at or batch.started_at
    found: list[str] = []
    for chunk in chunked(people):
        rows = session.execute(
            select(Person.first_name, Person.last_name, func.count())
            .join(AuditEntry, AuditEntry.person_id == Person.id)
            .where(
                Person.id.in_(chunk),
                AuditEntry.at >= since,
                AuditEntry.action != "bulk",
                AuditEntry.table_name != "import_batch",
            )
            .group_by(Person.id, Person.first_name, Person.last_name)
        )
        found += [f"{first} {last}".strip() for first, last, _ in rows]
    return found


_CURRENT_NAMES = (
    *PERSON_TEXT_FIELDS,
    *PERSON_DATE_FIELDS,
    *(f"household.{part}" for part in _HOUSEHOLD_PARTS),
)


def _current(session: Session, people: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for chunk in chunked(people):
        for row in session.execute(
            select(
                Person.id,
                Person.household_id,
                *(getattr(Person, name) for name in PERSON_TEXT_FIELDS + PERSON_DATE_FIELDS),
                *(getattr(Household, name) for name in _HOUSEHOLD_PARTS),
            )
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.id.in_(chunk))
        ):
            pid, household_id, *rest = row
            values: dict[str, Any] = {"household_id": _text(household_id)}
            values.update(zip(_CURRENT_NAMES, (_text(v) for v in rest), strict=True))
            values["name"] = f"{values['first_name'] or ''} {values['last_name'] or ''}".strip()
            found[pid] = values
    return found


def _drop_empty_households(session: Session, batch: ImportBatch) -> None:
    """Households the import created (after it started) that nobody lives in any more."""
    session.execute(
        delete(Household).where(
            Household.created_at >= batch.started_at,
            ~select(Person.id).where(Person.household_id == Household.id).exists(),
        )
    )


def _value(name: str, text: str | None) -> Any:
    if name in PERSON_DATE_FIELDS and text:
        return dt.date.fromisoformat(text)
    return text


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _listed(items: list[str]) -> str:
    if len(items) <= _NAMED:
        return ", ".join(items)
    return f"{', '.join(items[:_NAMED])} and {len(items) - _NAMED} more"
