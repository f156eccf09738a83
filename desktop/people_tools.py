"""The People menu's tools beyond the list itself: activities, tags, unions, views,
duplicates and data quality. Each tool lives in its own module; this one only names them,
so the main window stays small.

A tool is opened with the main window as its parent and the database; it returns nothing
and tells the main window to refresh through ``window.refresh`` when it changed people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


@dataclass(frozen=True)
class Tool:
    label: str  # menu text, with its & accelerator and "…"
    object_name: str
    shortcut: str | None
    status_tip: str
    opener: Callable[[MainWindow], object]  # what it returns (the window shown) is unused


def _tools() -> list[Tool]:
    # Imported here so the window's start-up does not load every tool's module.
    tools: list[Tool] = []
    # Each tool module adds its own entry below, one block per tool.
    return tools


def add_people_tools(window: MainWindow, menu: QMenu) -> list[QAction]:
    tools = _tools()
    if tools:
        menu.addSeparator()
    actions = []
    for tool in tools:
        action = QAction(tool.label, window)
        action.setObjectName(tool.object_name)
        action.setStatusTip(tool.status_tip)
        if tool.shortcut:
            action.setShortcut(QKeySequence(tool.shortcut))
        action.triggered.connect(lambda _checked=False, t=tool: t.opener(window))
        menu.addAction(action)
        actions.append(action)
    return actions
