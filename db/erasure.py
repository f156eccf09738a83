"""Erasure: a person's personal data removed from everywhere Branchbook keeps it.

What goes: the person's row and every row hanging off it (emails, phones, preferences,
verifications, tags, custom fields, answers, activities, affiliations, contributions,
letters sent, attendance), their household if nobody else lives there, the import changes
that quote them, the words of their audit lines (the lines stay, saying only that there was
a change and when), export-log file names that carry their name or membership number, and
their entries in the search index.

What stays: each meeting's attendance as an anonymous count (``AnonymousAttendance``), so a
meeting's figures and quorum stay true; and an ``Erasure`` record and one audit line saying
that an erasure happened, by whom, why and how many rows went — naming nobody.

On SQLite every connection runs with ``secure_delete`` on (db.database), so freed space is
overwritten rather than left holding the old bytes; the search index is merged so it keeps
no deleted entries, and the write-ahead log is folded back into the file afterwards.
Backups made before the erasure still hold the person until they rotate out; the window
says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Table, delete, exists, func, insert, select, text, update
from sqlalchemy.orm import Session

from db.attendance_figures import was_member
from db.bulk import rows_affected
from db.database import Database
from db.errors import Cancelled, NotFound, UserError
from db.models import (
    AnonymousAttendance,
    Attendance,
    AuditEntry,
    Base,
    Erasure,
    ExportLog,
    Household,
    ImportChange,
    Meeting,
    Person,
    utcnow,
)

__all__ = [
    "AFTERWARDS",
    "ErasureDone",
    "ErasureLine",
    "describe_removed",
    "erase_people",
    "erasure_preview",
    "list_erasures",
]

# What each table holds, in words, most personal first: "1 person, 2 emails, 5 attendances".
_WORDS = {
    "person": ("person", "people"),
    "household": ("address", "addresses"),
    "email_address": ("email", "emails"),
    "phone_number": ("phone number", "phone numbers"),
    "contact_preference": ("contact preference", "contact preferences"),
    "detail_verification": ("confirmed detail", "confirmed details"),
    "person_tag": ("tag", "tags"),
    "custom_field_value": ("custom field", "custom fields"),
    "answer": ("answer", "answers"),
    "affiliation": ("affiliation", "affiliations"),
    "activity": ("stint of volunteering", "stints of volunteering"),
    "attendance": ("attendance", "attendances"),
    "contribution": ("contribution at a meeting", "contributions at meetings"),
    "mailing_recipient": ("letter sent", "letters sent"),
    "import_change": ("imported change", "imported changes"),
    "audit_entry": ("audit line emptied", "audit lines emptied"),
    "export_log": ("exported file's name", "exported files' names"),
}

# What the secretary must still do, said by the window and the command line alike.
AFTERWARDS = (
    "Backups made before now still hold them until they rotate out (at most five weeks); a "
    "copy made by hand, or a file exported, must be deleted by hand. If they are on the "
    "party's national list, ask the membership team to remove them too, or the next import "
    "will bring them back."
)
_CHUNK = 500  # ids per IN list: well inside every driver's limit on bound values
_MAX_REASON = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ErasureDone:
    erasure_id: int
    people: int
    removed: dict[str, int]  # table -> rows removed or scrubbed
    households: int
    anonymous_attendance: int  # attendance rows turned into anonymous counts


@dataclass(frozen=True)
class ErasureLine:
    id: int
    at: dt.datetime  # naive UTC
    actor: str
    reason: str
    people: int
    removed: dict[str, int]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _person_tables() -> list[tuple[Table, str]]:
    """Every table whose rows go with their person (ON DELETE CASCADE), and the column."""
    found = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "person" and key.ondelete == "CASCADE":
                found.append((table, key.parent.name))
    return found


def _checked(session: Session, person_ids: Sequence[int], reason: str) -> list[int]:
    wanted = sorted(set(person_ids))
    if not wanted:
        raise UserError("Nobody was chosen to erase.")
    if not reason.strip():
        raise UserError("Say why these details are being erased (for the record).")
    if len(reason.strip()) > _MAX_REASON:
        raise UserError(f"The reason is too long: keep it under {_MAX_REASON} characters.")
    found: set[int] = set()
    for chunk in _chunks(wanted):
        found.update(session.scalars(select(Person.id).where(Person.id.in_(chunk))))
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        raise NotFound(
            f"There is no person with id {missing[0]}: they may have been erased or merged already."
        )
    return wanted


def _cascading_rows(session: Session, chunk: list[int]) -> Counter[str]:
    """The rows deleting the people in ``chunk`` takes with them, by table."""
    counts: Counter[str] = Counter()
    for table, column in _person_tables():
        n = session.scalar(
            select(func.count()).select_from(table).where(table.c[column].in_(chunk))
        )
        counts[table.name] += int(n or 0)
    return counts


def erasure_preview(session: Session, person_ids: Sequence[int]) -> dict[str, int]:
    """How many rows of each kind erasing ``person_ids`` would remove (nothing written)."""
    wanted = sorted(set(person_ids))
    counts: Counter[str] = Counter()
    for chunk in _chunks(wanted):
        counts["person"] += int(
            session.scalar(select(func.count()).where(Person.id.in_(chunk))) or 0
        )
        counts.update(_cascading_rows(session, chunk))
        counts["audit_entry"] += int(
            session.scalar(select(func.count()).where(AuditEntry.person_id.in_(chunk))) or 0
        )
    return {name: n for name, n in sorted(counts.items()) if n}


def erase_people(
    database: Database,
    person_ids: Sequence[int],
    reason: str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ErasureDone:
    """Erase ``person_ids`` in one transaction: all of them, or (on any error, or when
    ``cancelled()`` turns true: ``Cancelled``) nobody."""
    sqlite = database.url.get_backend_name() == "sqlite"
    with database.session() as session:
        wanted = _checked(session, person_ids, reason)
        done = _erase(session, wanted, reason.strip(), progress, cancelled)
        if sqlite and _has_search_index(session):
            # The index's deleted entries linger in its segments until they are merged.
            session.execute(text("INSERT INTO person_fts(person_fts) VALUES ('optimize')"))
    if sqlite:
        _fold_log(database)
    return done


def _erase(
    session: Session,
    wanted: list[int],
    reason: str,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> ErasureDone:
    erasure_id = int(
        session.scalar(  # type: ignore[arg-type]
            insert(Erasure)
            .values(
                at=utcnow(),
                actor=str(session.info.get("actor") or "unknown"),
                reason=reason,
                people=len(wanted),
                removed="{}",
            )
            .returning(Erasure.id)
        )
    )
    removed: Counter[str] = Counter()
    households: set[int] = set()
    anonymous = 0
    scrubbed = f"Details removed by erasure {erasure_id}."
    done = 0
    exported = _ExportedFiles(session)
    for chunk in _chunks(wanted):
        if cancelled is not None and cancelled():
            raise Cancelled
        exported.note_names(session, chunk)
        anonymous += _keep_attendance_counts(session, chunk)
        households.update(
            hid
            for hid in session.scalars(select(Person.household_id).where(Person.id.in_(chunk)))
            if hid is not None
        )
        removed.update(_cascading_rows(session, chunk))
        # Cascades would only unlink these (SET NULL), leaving the values the file held.
        removed["import_change"] += rows_affected(
            session.execute(delete(ImportChange).where(ImportChange.person_id.in_(chunk)))
        )
        # Without its person id a scrubbed line cannot reappear in someone else's history
        # when SQLite hands the freed id to a new person.
        removed["audit_entry"] += rows_affected(
            session.execute(
                update(AuditEntry)
                .where(AuditEntry.person_id.in_(chunk))
                .values(person_id=None, summary=scrubbed, changes=None)
            )
        )
        removed["person"] += rows_affected(
            session.execute(delete(Person).where(Person.id.in_(chunk)))
        )
        done += len(chunk)
        if progress is not None:
            progress(done, len(wanted))
    gone = _remove_empty_households(session, sorted(households), scrubbed)
    removed["household"] += gone
    removed["export_log"] += exported.scrub(
        session, f"(a file name removed by erasure {erasure_id})"
    )
    removed = Counter({name: n for name, n in removed.items() if n})
    session.execute(
        update(Erasure)
        .where(Erasure.id == erasure_id)
        .values(removed=json.dumps(dict(sorted(removed.items()))))
    )
    session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            actor=str(session.info.get("actor") or "unknown"),
            action="erase",
            table_name="person",
            summary=(
                f"Erasure {erasure_id}: {len(wanted):,} "
                f"{'person' if len(wanted) == 1 else 'people'} erased. Reason: {reason}"
            ),
        )
    )
    return ErasureDone(erasure_id, len(wanted), dict(removed), gone, anonymous)


class _ExportedFiles:
    """The export log's file names that name an erased person: a subject access request
    saved as "Quilla Jones record.pdf", a letter folder called by a membership number. The
    log is small (a line per file), so it is read once and matched in Python."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(ExportLog.id, ExportLog.file_name))
        self._names = [(int(i), str(name).casefold()) for i, name in rows]
        self._hits: set[int] = set()

    def note_names(self, session: Session, chunk: list[int]) -> None:
        if not self._names:
            return
        for first, last, number in session.execute(
            select(Person.first_name, Person.last_name, Person.membership_number).where(
                Person.id.in_(chunk)
            )
        ):
            words = [f"{first} {last}".strip().casefold(), (number or "").casefold()]
            words = [w for w in words if len(w) >= 4]  # a bare initial would match anything
            self._hits.update(i for i, name in self._names if any(w in name for w in words))

    def scrub(self, session: Session, replacement: str) -> int:
        for chunk in _chunks(sorted(self._hits)):
            session.execute(
                update(ExportLog).where(ExportLog.id.in_(chunk)).values(file_name=replacement)
            )
        return len(self._hits)


def _keep_attendance_counts(session: Session, chunk: list[int]) -> int:
    rows = session.execute(
        select(
            Attendance.meeting_id,
            Attendance.status,
            Meeting.starts_at,
            Person.status,
            Person.joined_on,
            Person.lapsed_on,
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.person_id.in_(chunk))
    ).all()
    counts: Counter[tuple[int, str, bool]] = Counter()
    for meeting_id, status, starts_at, person_status, joined, lapsed in rows:
        member = was_member(person_status, joined, lapsed, starts_at.date())
        counts[(meeting_id, status, member)] += 1
    for (meeting_id, status, member), n in counts.items():
        key = (
            (AnonymousAttendance.meeting_id == meeting_id)
            & (AnonymousAttendance.status == status)
            & (AnonymousAttendance.was_member == member)
        )
        if session.scalar(select(exists().where(key))):
            session.execute(
                update(AnonymousAttendance).where(key).values(people=AnonymousAttendance.people + n)
            )
        else:
            session.execute(
                insert(AnonymousAttendance).values(
                    meeting_id=meeting_id, status=status, was_member=member, people=n
                )
            )
    return len(rows)


def _remove_empty_households(session: Session, households: list[int], scrubbed: str) -> int:
    """Delete the erased people's households that nobody lives in now; an address shared
    with someone who stays is theirs too, and stays."""
    gone = 0
    for chunk in _chunks(households):
        empty = list(
            session.scalars(
                select(Household.id).where(
                    Household.id.in_(chunk),
                    ~exists().where(Person.household_id == Household.id),
                )
            )
        )
        if not empty:
            continue
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.table_name == "household", AuditEntry.row_id.in_(empty))
            .values(summary=scrubbed, changes=None)
        )
        gone += rows_affected(session.execute(delete(Household).where(Household.id.in_(empty))))
    return gone


def _has_search_index(session: Session) -> bool:
    return bool(
        session.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'person_fts'")
        )
    )


def _fold_log(database: Database) -> None:
    """Write the write-ahead log back into the file and empty it, so the overwritten pages
    replace the old ones on disk now rather than at some later checkpoint. Best effort: a
    reader elsewhere can hold it back, and the next checkpoint finishes the job."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def describe_removed(removed: dict[str, int]) -> str:
    """ "1 person, 2 emails, 5 attendances": the counts in words, most personal first."""
    order = list(_WORDS)
    ranked = sorted(
        removed.items(),
        key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
    )
    parts = []
    for table, n in ranked:
        one, many = _WORDS.get(table, (table.replace("_", " "), table.replace("_", " ")))
        parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts)


def list_erasures(session: Session) -> list[ErasureLine]:
    """Every erasure, newest first."""
    rows = session.execute(select(Erasure).order_by(Erasure.at.desc(), Erasure.id.desc()))
    return [
        ErasureLine(e.id, e.at, e.actor, e.reason, e.people, json.loads(e.removed or "{}"))
        for e in rows.scalars()
    ]
