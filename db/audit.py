"""The unit of work: every ORM write records who changed what, from what to what.

Sessions from ``Database.session()`` are ``AuditedSession``s. Before a flush they refresh
the folded search fields of any person whose name, email or address changed; after it they
write one ``AuditEntry`` per inserted, updated or deleted row, in the same transaction, so
an edit and its audit line are committed or rolled back together. Bulk Core writes
(demo data, imports) record their own summary entry through ``record_bulk``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from db.models import AuditEntry, EmailAddress, Household, Person, utcnow
from db.search import refresh_person_search

# Derived or bookkeeping columns: noise in a trail people read.
_SKIPPED_COLUMNS = {"version", "created_at", "updated_at", "sort_key", "search_text"}
_UNAUDITED_TABLES = {"audit_entry", "import_change"}


class AuditedSession(Session):
    pass


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _person_id_of(obj: Any) -> int | None:
    if isinstance(obj, Person):
        return obj.id
    person_id = getattr(obj, "person_id", None)
    return person_id if isinstance(person_id, int) else None


def _row_id(obj: Any) -> int | None:
    identity = inspect(obj).identity
    if identity and len(identity) == 1 and isinstance(identity[0], int):
        return identity[0]
    return None


def _changes(obj: Any, *, new: bool, deleted: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if new:
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = [None, _json_value(value)]
        elif deleted:
            old = history.unchanged or history.deleted
            if old and old[0] is not None:
                changes[attr.key] = [_json_value(old[0]), None]
        elif history.has_changes():
            old_value = history.deleted[0] if history.deleted else None
            new_value = history.added[0] if history.added else None
            if old_value != new_value:
                changes[attr.key] = [_json_value(old_value), _json_value(new_value)]
    return changes


@event.listens_for(AuditedSession, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    gone = set(session.deleted)
    people: set[Person] = set()
    added_emails: list[EmailAddress] = []
    for obj in [*session.new, *session.dirty, *gone]:
        if isinstance(obj, Person):
            people.add(obj)
        elif isinstance(obj, EmailAddress):
            if obj in session.new:
                added_emails.append(obj)
            # An email added by person_id alone has no .person loaded yet.
            owner = obj.person or (session.get(Person, obj.person_id) if obj.person_id else None)
            if owner is not None:
                people.add(owner)
        elif isinstance(obj, Household):
            people.update(obj.people)
    for person in people - gone:
        # The loaded collection may still hold an email being deleted, and not yet one
        # being added; the index must hold what will be there after this flush.
        emails = [e for e in person.emails if e not in gone]
        emails += [
            e
            for e in added_emails
            if e not in emails
            and (e.person is person or (e.person_id is not None and e.person_id == person.id))
        ]
        refresh_person_search(
            person, emails=[e.address for e in emails], postcode=_postcode(session, person)
        )


def _postcode(session: Session, person: Person) -> str | None:
    """The postcode of where the person lives after this flush. Setting ``household``
    moves them through the relationship; setting ``household_id`` alone leaves the loaded
    ``household`` pointing at the old address."""
    household = person.household
    if not inspect(person).attrs.household.history.has_changes():
        if person.household_id is None:
            household = None
        elif household is None or household.id != person.household_id:
            household = session.get(Household, person.household_id)
    return household.postcode if household is not None else None


@event.listens_for(AuditedSession, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    actor = str(session.info.get("actor") or "unknown")
    batch_id = session.info.get("batch_id")
    now = utcnow()
    rows: list[dict[str, Any]] = []
    groups = (("insert", session.new), ("update", session.dirty), ("delete", session.deleted))
    for action, objects in groups:
        for obj in objects:
            table = inspect(obj).mapper.persist_selectable.name
            if table in _UNAUDITED_TABLES:
                continue
            changes = _changes(obj, new=action == "insert", deleted=action == "delete")
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": now,
                    "actor": actor,
                    "action": action,
                    "table_name": table,
                    "row_id": _row_id(obj),
                    "person_id": _person_id_of(obj),
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                    "batch_id": batch_id,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def record_bulk(session: Session, table: str, summary: str, batch_id: int | None = None) -> None:
    """The audit line for a Core bulk write, which the flush listener does not see."""
    session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            actor=str(session.info.get("actor") or "unknown"),
            action="bulk",
            table_name=table,
            summary=summary,
            batch_id=batch_id,
        )
    )
