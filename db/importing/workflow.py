"""The import as the window and the command line run it: read, preview, then write.

``prepare_import`` reads the file and cleans it (reusing the column mapping saved for a
list with these headers); ``preview_import`` plans it without writing; ``run_import`` plans
again and writes in one transaction, then saves the mapping for next month. Planning again
at the moment of writing means an edit made while the preview was open is never
overwritten by a stale plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.database import Database
from db.errors import NotFound, UserError
from db.importing.apply import BatchRecord, Decisions, ImportResult, Progress, apply_import
from db.importing.candidates import CandidateSet, clean_table
from db.importing.columns import ColumnMapping, MappingError, recognise
from db.importing.gc_pause import paused_gc
from db.importing.known_snapshot import Known, KnownSnapshot
from db.importing.plan import ImportPlan, plan_import
from db.importing.readers import read_workbook
from db.importing.table import Table, find_table
from db.models import ImportSource

__all__ = [
    "ImportOptions",
    "PreparedImport",
    "default_source_name",
    "prepare_import",
    "preview_import",
    "run_import",
    "saved_mappings",
]


@dataclass(frozen=True)
class ImportOptions:
    full_list: bool = False  # members missing from the file become lapsed
    supporters: bool = False  # a list of non-members: a petition, a stall, a sign-up sheet
    today: dt.date | None = None  # the date recorded as lapsed_on (default: today)


@dataclass(frozen=True)
class PreparedImport:
    """A file read, its table found and its rows cleaned: everything before the database."""

    path: Path
    checksum: str
    table: Table
    mapping: ColumnMapping
    source_name: str  # the name the mapping is saved under
    reused: bool  # True when the mapping came from an earlier import
    candidates: CandidateSet
    # The people already kept, read while the file was parsed; used while still true.
    known: KnownSnapshot | None = field(default=None, compare=False, repr=False)

    def require_identity(self) -> None:
        """Raise ``UserError`` when no column tells people apart (the import would skip all)."""
        if self.mapping.missing_required():
            where = self.path.name
            if self.table.sheet != where:
                where += f", sheet '{self.table.sheet}'"
            raise UserError(
                f"{where}: no column holds a last name, "
                "full name, email or membership number, so people cannot be told apart; "
                "choose the columns with --mapping or in the import window."
            )

    def known_in(self, session: Session) -> Known | None:
        """The people kept as read beside the file, if that still holds for ``session``."""
        return self.known.take(session) if self.known is not None else None

    def release(self) -> None:
        """Close what was read of the database beside the file (once imported, or given up)."""
        if self.known is not None:
            self.known.close()

    def with_mapping(self, mapping: ColumnMapping, today: dt.date | None = None) -> PreparedImport:
        """The same file cleaned again with columns the secretary chose."""
        return replace(
            self,
            mapping=mapping,
            reused=False,
            candidates=clean_table(self.table, mapping, today=today),
        )


def prepare_import(
    database: Database,
    path: Path,
    *,
    sheet: str | None = None,
    mapping_name: str | None = None,
    today: dt.date | None = None,
    read_ahead: bool = True,
) -> PreparedImport:
    """Read and clean ``path``. ``mapping_name`` names a saved mapping to use; without it a
    saved mapping made for the same headers is reused, else the headers are recognised.
    ``read_ahead`` False: the caller plans no import of people (attendance, answers), so
    the people kept are not read beside the file.

    Raises ``UserError`` (one sentence) for a file that cannot be read or has no table.
    """
    # One pause for every stage: between stages the collector would walk all the cells and
    # candidates made so far, and none of them is in a cycle.
    with paused_gc():
        return _prepare(database, path, sheet, mapping_name, today, read_ahead)


def _prepare(
    database: Database,
    path: Path,
    sheet: str | None,
    mapping_name: str | None,
    today: dt.date | None,
    read_ahead: bool,
) -> PreparedImport:
    # Read on a second core while python-calamine parses (it lets go of Python's lock).
    known = KnownSnapshot(database) if read_ahead else None
    try:
        return _prepared(database, path, sheet, mapping_name, today, known)
    except BaseException:
        if known is not None:
            known.close()
        raise


def _prepared(
    database: Database,
    path: Path,
    sheet: str | None,
    mapping_name: str | None,
    today: dt.date | None,
    known: KnownSnapshot | None,
) -> PreparedImport:
    workbook = read_workbook(path)
    table = find_table(workbook, sheet)
    with database.session() as session:
        found = _saved(session, table, mapping_name)
    if found is None:
        name, mapping, reused = default_source_name(path), recognise(table.headers), False
    else:
        name, mapping = found
        reused = True
    return PreparedImport(
        path=path,
        checksum=_checksum(path),
        table=table,
        mapping=mapping,
        source_name=name,
        reused=reused,
        candidates=clean_table(table, mapping, today=today),
        known=known,
    )


def preview_import(
    database: Database,
    prepared: PreparedImport,
    options: ImportOptions = ImportOptions(),
    decisions: Decisions | None = None,
) -> ImportPlan:
    """What the import would do (with whom ambiguous rows are, as ``decisions`` chose);
    nothing is written."""
    with database.session() as session:
        known = prepared.known_in(session)
        plan = _plan(session, prepared, options, known, decisions)
        session.rollback()
    return plan


def run_import(
    database: Database,
    prepared: PreparedImport,
    options: ImportOptions = ImportOptions(),
    decisions: Decisions | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[ImportPlan, ImportResult]:
    """Plan and write the import in one transaction, and save its mapping for next time."""
    with paused_gc(), database.session() as session:
        known = prepared.known_in(session)
        plan = _plan(session, prepared, options, known, decisions)
        source_id = _save_mapping(session, prepared.source_name, prepared.mapping)
        record = BatchRecord(
            file_name=prepared.path.name,
            sheet_name=prepared.table.sheet,
            checksum=prepared.checksum,
            mapping=prepared.mapping.to_json(),
            source_id=source_id,
        )
        result = apply_import(
            session,
            plan,
            prepared.candidates,
            record,
            decisions,
            full_list=options.full_list,
            supporters=options.supporters,
            progress=progress,
            cancelled=cancelled,
            households=None if known is None else known.households,
        )
    # This import's own commit has made what was read beside the file stale for good.
    prepared.release()
    return plan, result


def _plan(
    session: Session,
    prepared: PreparedImport,
    options: ImportOptions,
    known: Known | None,
    decisions: Decisions | None,
) -> ImportPlan:
    return plan_import(
        session,
        prepared.candidates,
        full_list=options.full_list,
        supporters=options.supporters,
        today=options.today,
        index=None if known is None else known.index,
        chosen=None if decisions is None else decisions.chosen,
    )


def saved_mappings(session: Session) -> list[tuple[str, ColumnMapping | None]]:
    """Every saved mapping by name; None where the saved text can no longer be read."""
    return sorted(_by_age(session), key=lambda item: item[0].casefold())


_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def default_source_name(path: Path) -> str:
    """A name for the list a file holds, without the dates that change each month:
    "Members 2026-10.xlsx" and "members_2026_11.xlsx" are both "Members"."""
    words = re.sub(r"[\d_.\-]+", " ", path.stem).split()
    words = [w for w in words if w.lower() not in _MONTHS]
    return " ".join(words)[:200].capitalize() or "Imported list"


_MONTHS = frozenset([*(m[:3] for m in _MONTH_NAMES), *_MONTH_NAMES, "sept"])


def _saved(
    session: Session, table: Table, mapping_name: str | None
) -> tuple[str, ColumnMapping] | None:
    if mapping_name is not None:
        text = session.scalar(select(ImportSource.mapping).where(ImportSource.name == mapping_name))
        if text is None:
            names = [name for name, _ in saved_mappings(session)]
            known = f" Saved mappings: {', '.join(names)}." if names else " None is saved yet."
            raise NotFound(f"There is no saved column mapping called '{mapping_name}'.{known}")
        mapping = ColumnMapping.from_json(text)
        if not mapping.applies_to(table.headers):
            raise MappingError(
                f"The saved column mapping '{mapping_name}' was made for other columns "
                f"({', '.join(h for h in mapping.headers if h)}); this sheet's are "
                f"{', '.join(table.headers)}."
            )
        return mapping_name, _renamed(mapping, table)
    # The newest mapping made for these headers: a secretary who corrected a column last
    # month expects the correction to stick.
    for name, saved in reversed(_by_age(session)):
        if saved is not None and saved.applies_to(table.headers):
            return name, _renamed(saved, table)
    return None


def _by_age(session: Session) -> list[tuple[str, ColumnMapping | None]]:
    found: list[tuple[str, ColumnMapping | None]] = []
    for name, text in session.execute(
        select(ImportSource.name, ImportSource.mapping).order_by(ImportSource.id)
    ):
        try:
            found.append((name, ColumnMapping.from_json(text)))
        except MappingError:
            found.append((name, None))
    return found


def _renamed(mapping: ColumnMapping, table: Table) -> ColumnMapping:
    """The saved mapping with this sheet's own spelling of the headers."""
    return replace(mapping, headers=tuple(table.headers))


def _save_mapping(session: Session, name: str, mapping: ColumnMapping) -> int:
    source = session.scalars(select(ImportSource).where(ImportSource.name == name)).first()
    if source is None:
        source = ImportSource(name=name, mapping=mapping.to_json())
        session.add(source)
    elif source.mapping != mapping.to_json():
        source.mapping = mapping.to_json()
    session.flush()
    return source.id


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
