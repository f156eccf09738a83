"""The people and households already kept, read while the file is still being parsed.

python-calamine parses a sheet without holding Python's lock (2-3 s for 100,000 rows), so
on a second core the planner's look-ups (``load_index``, 1 s at 100,000 people) and the
household keys (0.4 s) can be read in that time instead of after it. They are then used
only if nothing was committed in between: SQLite's ``PRAGMA data_version``, asked on a
connection of the snapshot's own, moves whenever any other connection commits, so a person
edited in the window, or another import, sends the planner back to reading them afresh
inside its own transaction. Without that question (a server database), or if the reading
failed, the planner reads them itself, as it always did.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.database import Database
from db.importing.gc_pause import paused_gc
from db.importing.matching import Folded, PeopleIndex, load_index
from db.importing.places import household_keys
from db.models import Person

__all__ = ["Known", "KnownSnapshot"]


@dataclass(frozen=True)
class Known:
    """What the planner and the writer read about the people and places already kept."""

    index: PeopleIndex
    households: dict[tuple[str, str], int]  # Places' keys: first line and postcode (or town)
    household_folds: Folded  # the folding done to make them, reused by Places


def read_known(session: Session) -> Known:
    folds = Folded()
    return Known(load_index(session), household_keys(session, folds), folds)


class KnownSnapshot:
    """``read_known`` run on a thread from the moment it is made; ``take`` hands it over
    when the database has not changed since."""

    def __init__(self, database: Database) -> None:
        self._known: Known | None = None
        self._done = threading.Event()
        self._probe = database.data_version_probe()
        if self._probe is None:
            self._done.set()
            return
        # A connection left open would be closed by its own finaliser at some later
        # collection, with a ResourceWarning on newer Pythons: close it with the snapshot.
        self._close = weakref.finalize(self, self._probe.close)
        try:
            self._version = _data_version(self._probe)
        except Exception:  # noqa: BLE001 - a failed look-ahead only means reading later
            self._done.set()
            return
        # A daemon: a file that cannot be read ends the import at once, and the reading,
        # which writes nothing, must not hold the program open to finish.
        threading.Thread(target=self._read, args=(database,), daemon=True).start()

    @property
    def holds_file_open(self) -> bool:
        return self._probe is not None

    def close(self) -> None:
        """Let go of the file (Windows cannot replace a file a connection holds, as a
        restore does) and of what was read; ``take`` answers None from now on."""
        if self._probe is not None:
            self._close()
            self._probe = None
        self._known = None

    def _read(self, database: Database) -> None:
        try:
            with paused_gc(), database.session() as session:
                known = read_known(session)
                session.rollback()
            if self._probe is not None:  # not closed while it was being read
                self._known = known
        except Exception:  # noqa: BLE001 - the planner reads for itself instead
            self._known = None
        finally:
            self._done.set()

    def take(self, session: Session) -> Known | None:
        """The snapshot if it still holds for ``session``'s transaction, else None.

        The session reads first, so its own view of the database is fixed before asking
        whether anything was committed since the snapshot: a commit after that question
        is one the session does not see either."""
        self._done.wait()
        if self._known is None or self._probe is None:
            return None
        session.execute(select(Person.id).limit(1)).all()
        try:
            if _data_version(self._probe) != self._version:
                self._known = None  # never fresh again: free it
                return None
        except Exception:  # noqa: BLE001 - unsure is stale
            return None
        return self._known


def _data_version(connection: Any) -> int:
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA data_version")
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()
