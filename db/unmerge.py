"""Undoing a merge: the two records put back exactly as they were before it.

``merge_undoably`` takes a snapshot of both people before merging (every column of both
person rows, every row of every table that points at either through a foreign key to
``person.id``, found from the schema as ``db.merge`` checks it, the "not a duplicate" pairs
of either, and the ids of other's audit entries) and of keep after it. ``unmerge`` puts the
snapshot back with Core statements, in the caller's one transaction:

- keep's person row takes its old values; other is inserted again with its own id and
  values, so the search index's insert trigger indexes it again;
- in each linked table a row the merge made or changed goes back to what it was (rows
  moved to keep return to other by their own id, so rows pointing at them, such as an
  answer's choices, are untouched), a row the merge made is deleted, a row it folded away
  is inserted again with its id;
- other's audit trail points at other again; the merge's own entry stays, and one
  ``rollback`` entry says the merge was undone.

It refuses (``Conflict``, nothing written) when keep, or anything of keep's, changed after the
merge, or a row the old records point at (a household, a meeting) is gone: putting the
snapshot back would lose that later work or break the row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from db.duplicates import DISMISSED_PREFIX
from db.errors import Conflict
from db.merge import MergeResult, merge
from db.models import AuditEntry, Base, utcnow

Row = Mapping[str, Any]
_PERSON = Base.metadata.tables["person"]
_SETTING = Base.metadata.tables["setting"]
_AUDIT = Base.metadata.tables["audit_entry"]


@dataclass(frozen=True)
class PeopleRows:
    """The rows of some people at one moment: their person rows by id, the rows of every
    table pointing at them by table name, and their "not a duplicate" settings."""

    people: dict[int, Row]
    linked: dict[str, tuple[Row, ...]]
    settings: tuple[Row, ...]


@dataclass(frozen=True)
class MergeSnapshot:
    """What ``unmerge`` needs: both people before the merge, keep after it, and the audit
    entries that were other's."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    before: PeopleRows
    after: PeopleRows
    audit_ids: tuple[int, ...]


@dataclass(frozen=True)
class UnmergeResult:
    """What an unmerge put back: rows restored (inserted again or changed back) by table."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    restored: dict[str, int]


def merge_undoably(
    session: Session, keep_id: int, other_id: int
) -> tuple[MergeResult, MergeSnapshot]:
    """``db.merge.merge``, with the snapshot ``unmerge`` takes to undo it."""
    session.flush()
    ids = (keep_id, other_id)
    before = capture(session, ids)
    audit_ids = tuple(
        session.scalars(
            select(AuditEntry.id).where(AuditEntry.person_id == other_id).order_by(AuditEntry.id)
        )
    )
    result = merge(session, keep_id, other_id)
    session.flush()
    snapshot = MergeSnapshot(
        keep_id=keep_id,
        other_id=other_id,
        keep_name=_full_name(before.people[keep_id]),
        other_name=result.other_name,
        before=before,
        after=capture(session, ids),
        audit_ids=audit_ids,
    )
    return result, snapshot


def unmerge(session: Session, snapshot: MergeSnapshot) -> UnmergeResult:
    """Put both records back as they were before the merge ``snapshot`` was taken of."""
    session.flush()
    keep_id, other_id = snapshot.keep_id, snapshot.other_id
    keep_words = f"{snapshot.keep_name} (id {keep_id})"
    if capture(session, (keep_id, other_id)) != snapshot.after:
        raise Conflict(
            f"{keep_words} has been changed since the merge, so undoing it now would lose "
            "that change; edit the record by hand instead."
        )
    _check_references(session, snapshot.before)
    _check_ids_free(session, snapshot)
    restored: Counter[str] = Counter()
    before, after = snapshot.before, snapshot.after
    # Keep first: it may give a membership number back before other takes it again.
    keep_row = before.people[keep_id]
    session.execute(update(_PERSON).where(_PERSON.c.id == keep_id).values(_without(keep_row, "id")))
    session.execute(insert(_PERSON).values(dict(before.people[other_id])))
    restored["person"] += 2
    tables = _linked_tables()
    for table in reversed(tables):
        _delete_new(session, table, before, after)
    for table in tables:
        restored[table.name] += _put_back(session, table, before, after)
    restored["setting"] += _restore_settings(session, before, after)
    if snapshot.audit_ids:
        session.execute(
            update(_AUDIT).where(_AUDIT.c.id.in_(snapshot.audit_ids)).values(person_id=other_id)
        )
    _record(session, snapshot)
    session.flush()
    session.expire_all()
    return UnmergeResult(
        keep_id=keep_id,
        other_id=other_id,
        keep_name=snapshot.keep_name,
        other_name=snapshot.other_name,
        restored={name: n for name, n in sorted(restored.items()) if n},
    )


# --- Snapshots -----------------------------------------------------------------------------


def capture(session: Session, person_ids: Iterable[int]) -> PeopleRows:
    """Every row of ``person_ids``: person, linked tables, "not a duplicate" settings."""
    ids = tuple(sorted(set(person_ids)))
    people: dict[int, Row] = {
        int(row["id"]): dict(row)
        for row in session.execute(select(_PERSON).where(_PERSON.c.id.in_(ids))).mappings()
    }
    linked: dict[str, tuple[Row, ...]] = {}
    for table in _linked_tables():
        columns = _person_columns(table)
        query = (
            select(table)
            .where(or_(*(column.in_(ids) for column in columns)))
            .order_by(*table.primary_key.columns)
        )
        linked[table.name] = tuple(dict(row) for row in session.execute(query).mappings())
    settings = tuple(
        dict(row)
        for row in session.execute(
            select(_SETTING)
            .where(_SETTING.c.key.startswith(DISMISSED_PREFIX))
            .order_by(_SETTING.c.key)
        ).mappings()
        if _dismissal_involves(str(row["key"]), ids)
    )
    return PeopleRows(people=people, linked=linked, settings=settings)


def _linked_tables() -> list[Table]:
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name != "person" and _person_columns(table)
    ]


def _person_columns(table: Table) -> list[Any]:
    return [
        column
        for column in table.columns
        if any(fk.column.table.name == "person" for fk in column.foreign_keys)
    ]


def _dismissal_involves(key: str, ids: tuple[int, ...]) -> bool:
    parts = key.removeprefix(DISMISSED_PREFIX).split(":")
    return any(part.isdigit() and int(part) in ids for part in parts)


# --- Putting back ----------------------------------------------------------------------------


def _check_references(session: Session, before: PeopleRows) -> None:
    """Every row the snapshot points at (other than the two people) must still exist."""
    tables = [(_PERSON, tuple(before.people.values()))] + [
        (table, before.linked[table.name]) for table in _linked_tables()
    ]
    for table, rows in tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                target = fk.column
                if target.table.name == "person":
                    continue
                wanted = {row[column.name] for row in rows} - {None}
                if not wanted:
                    continue
                found = set(session.scalars(select(target).where(target.in_(wanted))))
                if wanted - found:
                    raise Conflict(
                        f"{_a(target.table.name)} the merged records used has "
                        "been deleted since the merge, so it cannot be undone."
                    )


def _check_ids_free(session: Session, snapshot: MergeSnapshot) -> None:
    """SQLite gives the highest id again once its row is gone: a row made since the merge
    may hold the id of one the merge removed, which then cannot come back."""
    before, after = snapshot.before, snapshot.after
    for table in [_PERSON, *_linked_tables()]:
        if table is _PERSON:
            old, now = list(before.people.values()), list(after.people.values())
        else:
            old, now = list(before.linked[table.name]), list(after.linked[table.name])
        present = {_key(table, row) for row in now}
        wanted = [_key(table, row) for row in old if _key(table, row) not in present]
        if not wanted:
            continue
        columns = tuple_(*table.primary_key.columns)
        taken = session.execute(select(*table.primary_key.columns).where(columns.in_(wanted)))
        if taken.first() is not None:
            raise Conflict(
                f"{_a(table.name)} added since the merge has taken the place "
                f"of one of {snapshot.other_name} (id {snapshot.other_id}), so the merge "
                "cannot be undone."
            )


def _a(table_name: str) -> str:
    """ "A meeting", "An email address": a table's row in words, for a sentence."""
    words = table_name.replace("_", " ")
    return f"{'An' if words[0] in 'aeiou' else 'A'} {words}"


def _key(table: Table, row: Row) -> tuple[Any, ...]:
    return tuple(row[column.name] for column in table.primary_key.columns)


def _delete_new(session: Session, table: Table, before: PeopleRows, after: PeopleRows) -> None:
    """Delete the rows the merge made (their keys were not there before)."""
    old = {_key(table, row) for row in before.linked[table.name]}
    gone = [_key(table, row) for row in after.linked[table.name] if _key(table, row) not in old]
    if gone:
        columns = tuple_(*table.primary_key.columns)
        session.execute(delete(table).where(columns.in_(gone)))


def _put_back(session: Session, table: Table, before: PeopleRows, after: PeopleRows) -> int:
    """Change back the rows the merge changed and insert the ones it deleted."""
    now = {_key(table, row): row for row in after.linked[table.name]}
    count = 0
    for row in before.linked[table.name]:
        key = _key(table, row)
        current = now.get(key)
        if current == row:
            continue
        if current is None:
            session.execute(insert(table).values(dict(row)))
        else:
            columns = table.primary_key.columns
            where = [column == value for column, value in zip(columns, key, strict=True)]
            session.execute(update(table).where(*where).values(_changed(row, current)))
        count += 1
    return count


def _restore_settings(session: Session, before: PeopleRows, after: PeopleRows) -> int:
    old = {str(row["key"]): row for row in before.settings}
    now = {str(row["key"]): row for row in after.settings}
    made = [key for key in now if key not in old]
    if made:
        session.execute(delete(_SETTING).where(_SETTING.c.key.in_(made)))
    count = 0
    for key, row in old.items():
        if now.get(key) == row:
            continue
        if key in now:
            session.execute(
                update(_SETTING).where(_SETTING.c.key == key).values(_without(row, "key"))
            )
        else:
            session.execute(insert(_SETTING).values(dict(row)))
        count += 1
    return count


def _full_name(row: Row) -> str:
    parts = (row["first_name"], row["middle_names"], row["last_name"])
    return " ".join(str(p) for p in parts if p).strip()


def _without(row: Row, *names: str) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name not in names}


def _changed(row: Row, current: Row) -> dict[str, Any]:
    return {name: value for name, value in row.items() if current.get(name) != value}


def _record(session: Session, snapshot: MergeSnapshot) -> None:
    summary = (
        f"Undid the merge of {snapshot.other_name} (id {snapshot.other_id}) into "
        f"{snapshot.keep_name} (id {snapshot.keep_id}): both records are as they were"
    )
    session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            actor=str(session.info.get("actor") or "unknown"),
            action="rollback",
            table_name="person",
            row_id=snapshot.keep_id,
            person_id=snapshot.keep_id,
            summary=summary[:500],
        )
    )


__all__ = [
    "MergeSnapshot",
    "PeopleRows",
    "UnmergeResult",
    "capture",
    "merge_undoably",
    "unmerge",
]
