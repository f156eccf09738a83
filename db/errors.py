"""Errors a user can cause and fix, each carrying one plain sentence.

Anything that is not a ``UserError`` is a bug: it reaches the crash dialog or the log with
its traceback. A ``UserError`` is shown as its message alone.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the secretary can put right; ``str(error)`` is the sentence to show."""


class DatabaseError(UserError):
    """The database cannot be opened or used as it is."""


class DatabaseLocked(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


class NotFound(UserError):
    pass


class Ambiguous(UserError):
    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class Conflict(UserError):
    """The same data exists already, or someone else changed it since it was read."""


class Cancelled(Exception):
    """The user stopped the work; its transaction was rolled back, nothing was written."""
