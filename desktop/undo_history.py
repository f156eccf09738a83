"""A window's undo history: QUndoCommands whose redo and undo call the core, each in its own
unit of work, and the stack that runs them, as the person editor does.

A command is applied once before it is pushed (``UndoHistory.run``), so an edit the core
refuses never reaches the stack; or a dialog has applied it in its own transaction and hands
it over (``UndoHistory.push_done``). Either way the stack's first ``redo`` (from ``push``) is
skipped. When a later undo or redo is refused (someone changed the data meanwhile), the
sentence is shown, the history dropped (it no longer matches the database) and the window
refreshed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from db.database import Database
from db.errors import UserError
from desktop.errors import show_error
from desktop.undo_actions import undo_redo_actions


class CoreCommand(QUndoCommand):
    """An edit (``forward``) and its reverse (``backward``), each given a fresh session."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.history: UndoHistory | None = None
        self._pushed = False

    @property
    def first(self) -> bool:
        """True while the edit is being applied for the first time, before the push."""
        return not self._pushed

    def forward(self, session: Session) -> None:
        raise NotImplementedError

    def backward(self, session: Session) -> None:
        raise NotImplementedError

    @property
    def changed(self) -> bool:
        """False when the first application found nothing to change: not pushed."""
        return True

    def redo(self) -> None:
        if not self._pushed:  # push() calls redo: the edit was applied already.
            self._pushed = True
            return
        self._step(self.forward)

    def undo(self) -> None:
        self._step(self.backward)

    def _step(self, step: Callable[[Session], None]) -> None:
        assert self.history is not None
        self.history.step(self, step)


class UndoHistory(QObject):
    """The stack of one window; ``refresh(command)`` shows the database after each step,
    and ``said`` gives the sentence for a status line ("Undone: retire “Housing”.")."""

    said = Signal(str)

    def __init__(
        self,
        window: QWidget,
        database: Database,
        refresh: Callable[[CoreCommand], None],
        refused: Callable[[UserError], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.database = database
        self.refresh = refresh
        # How a refusal is said: one sentence in a box, unless the window has a status line
        # for it (the meetings ledger, kept from the keyboard, is not interrupted by boxes).
        self.refused = refused or (lambda error: show_error(window, error))
        # Made before the actions, so it is destroyed before them with the window: a stack
        # being destroyed clears itself, and renames the actions as it goes.
        self.stack = QUndoStack(self)
        self._failure: UserError | None = None
        self.undo_action, self.redo_action = undo_redo_actions(
            window, self.stack, self.undo, self.redo
        )

    def actions(self) -> tuple[QAction, QAction]:
        return self.undo_action, self.redo_action

    def run(self, command: CoreCommand) -> bool:
        """Apply ``command`` and push it; False (the sentence shown) if the core refuses
        it, or when it changed nothing."""
        try:
            with self.database.session() as session:
                command.forward(session)
        except UserError as error:
            self.refresh(command)
            self.refused(error)
            return False
        if not command.changed:
            self.refresh(command)
            return False
        self.push_done(command)
        return True

    def push_done(self, command: CoreCommand) -> None:
        """Push a command a dialog has applied already; the window is refreshed."""
        command.history = self
        self.stack.push(command)
        self.refresh(command)

    def step(self, command: CoreCommand, step: Callable[[Session], None]) -> None:
        try:
            with self.database.session() as session:
                step(session)
        except UserError as error:
            self._failure = error
        self.refresh(command)

    def undo(self) -> bool:
        """Undo the latest edit; False when there is none, or the core refused (the
        sentence shown, the history dropped)."""
        return self._move(self.stack.canUndo(), "Undone", self.stack.undoText(), self.stack.undo)

    def redo(self) -> bool:
        return self._move(self.stack.canRedo(), "Redone", self.stack.redoText(), self.stack.redo)

    def _move(self, can: bool, done: str, words: str, step: Callable[[], None]) -> bool:
        if not can:
            return False
        step()
        if not self._settle():
            return False
        self.said.emit(f"{done}: {words}.")
        return True

    def _settle(self) -> bool:
        if self._failure is None:
            return True
        error, self._failure = self._failure, None
        self.stack.clear()
        self.refused(error)
        return False
