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
from db.importing.places import KeptHouseholds, household_keys
from db.models import Person

__all__ = ["Known", "KnownSnapshot"]


@dataclass(frozen=True)
class Known:
    """What the planner and the writer read about the people and places already kept."""

    index: PeopleIndex
    households: KeptHouseholds  # Places' keys, with the folding done to make them


def read_known(session: Session) -> Known:
    folds = Folded()
    return Known(load_index(session), (household_keys(session, folds), folds))


class KnownSnapshot:
    """``read_known`` run on a thread from the moment it is made; ``take`` hands it over
    when the database has not changed since."""

    def __init__(self, database: Database) -> None:
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._known: Known | None = None
        self._probe: Any = None
        self._version = 0
        self._closed = False
        if database.path is None:  # a server: nothing to ask data_version of
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
        restore does) and of what was read; ``take`` answers None from now on. Safe to
        call while the reading goes on: it lets go when it ends."""
        with self._lock:
            self._closed = True
            self._known = None
            if self._probe is not None:
                self._close_probe()
                self._probe = None

    def _read(self, database: Database) -> None:
        probe: Any = None
        known: Known | None = None
        version = 0
        try:
            # Opened here, not by the caller: a file keyed by a passphrase derives its key
            # as it connects, and the parse should not wait for that.
            probe = database.data_version_probe()
            if probe is not None:
                # Asked before the reading's own view of the database is fixed: a commit
                # in between makes the snapshot stale, never wrongly fresh.
                version = _data_version(probe)
                with paused_gc(), database.session() as session:
                    known = read_known(session)
                    session.rollback()
        except Exception:  # noqa: BLE001 - a failed look-ahead only means reading later
            known = None
        with self._lock:
            if known is None or self._closed:
                if probe is not None:
                    probe.close()
            else:
                self._known, self._probe, self._version = known, probe, version
                # Closed with the snapshot if nobody closes it: a connection left to its
                # own finaliser warns (ResourceWarning) on newer Pythons.
                self._close_probe = weakref.finalize(self, probe.close)
        self._done.set()

    def take(self, session: Session) -> Known | None:
        """The snapshot if it still holds for ``session``'s transaction, else None.

        The session reads first, so its own view of the database is fixed before asking
        whether anything was committed since the snapshot: a commit after that question
        is one the session does not see either."""
        self._done.wait()
        with self._lock:
            known, probe = self._known, self._probe
        if known is None or probe is None:
            return None
        session.execute(select(Person.id).limit(1)).all()
        try:
            fresh = _data_version(probe) == self._version
        except Exception:  # noqa: BLE001 - unsure is stale
            fresh = False
        if not fresh:
            self.close()  # never fresh again: let go of it
            return None
        return known


def _data_version(connection: Any) -> int:
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA data_version")
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()
