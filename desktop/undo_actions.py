"""Undo and Redo actions for a window's QUndoStack, their text naming the command.

The menu item reads "Undo rename tag “Welsh speaker”"; a toolbar or tool button shows only
"Undo" (its icon text) and names the command in its tooltip. Ctrl+Z undoes; Ctrl+Shift+Z
and Ctrl+Y redo. Each action is enabled only while the stack has something to undo or redo.
(The commands and the stack that runs them: ``desktop.undo_history``.)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QToolButton


def name_action(action: QAction, prefix: str, words: str) -> None:
    """Show ``prefix`` and what it would undo or redo on ``action``."""
    action.setText(f"{prefix} {words}".strip())
    action.setIconText(prefix)
    action.setToolTip(f"{prefix} {words}".strip())


def undo_redo_actions(
    parent: QObject,
    stack: QUndoStack,
    undo: Callable[[], object],
    redo: Callable[[], object],
) -> tuple[QAction, QAction]:
    """An Undo and a Redo action (object names ``undoAction``/``redoAction``) that call
    ``undo``/``redo`` (the window's own, which refresh it) and follow ``stack``.

    Add them to a menu or toolbar, or to the window itself (``QWidget.addAction``) for the
    shortcuts to work there."""
    undo_action = QAction("Undo", parent)
    undo_action.setObjectName("undoAction")
    undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    undo_action.triggered.connect(lambda _checked=False: undo())
    redo_action = QAction("Redo", parent)
    redo_action.setObjectName("redoAction")
    redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo_action.triggered.connect(lambda _checked=False: redo())
    for action, prefix, can, text, now in (
        (undo_action, "Undo", stack.canUndoChanged, stack.undoTextChanged, stack.undoText()),
        (redo_action, "Redo", stack.canRedoChanged, stack.redoTextChanged, stack.redoText()),
    ):
        action.setEnabled(stack.canUndo() if prefix == "Undo" else stack.canRedo())
        name_action(action, prefix, now)
        can.connect(action.setEnabled)
        text.connect(lambda words, a=action, p=prefix: name_action(a, p, words))
    return undo_action, redo_action


def action_button(action: QAction) -> QToolButton:
    """A button for ``action`` reading "Undo", the command named in its tooltip."""
    button = QToolButton()
    button.setObjectName(f"{action.objectName()}Button")
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setDefaultAction(action)
    return button
