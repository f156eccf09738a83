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
    from desktop.questions_window import open_questions_window

    tools.append(
        Tool(
            "&Questions and answers…",
            "questionsAction",
            "Ctrl+Shift+V",
            "The branch's questions, what people answer them, and answers from online forms.",
            open_questions_window,
        )
    )
    from desktop.duplicates_window import open_duplicates

    tools.append(
        Tool(
            "Find &duplicates…",
            "findDuplicatesAction",
            "Ctrl+Shift+D",
            "People who may be on the list twice: compare the two records, merge or set apart.",
            open_duplicates,
        )
    )
    from desktop.data_quality_window import open_data_quality

    tools.append(
        Tool(
            "Data qualit&y…",
            "dataQualityAction",
            "Ctrl+Shift+Y",
            "People with a missing or wrong email, phone or postcode, or details not checked "
            "for a long time.",
            open_data_quality,
        )
    )
    from desktop.activities_window import open_activities
    from desktop.activity_dialog import open_log_activity
    from desktop.organisations_window import open_organisations
    from desktop.tags_window import open_tags

    tools += [
        Tool(
            "&Log an activity…",
            "logActivityAction",
            "Ctrl+Shift+L",
            "Record a canvassing session, leafleting round or stall for everyone who took part.",
            open_log_activity,
        ),
        Tool(
            "A&ctivities…",
            "activitiesAction",
            "Ctrl+Shift+A",
            "Recent volunteering sessions, deleting one logged by mistake, and a year's totals.",
            open_activities,
        ),
        Tool(
            "&Tags…",
            "tagsAction",
            "Ctrl+Shift+T",
            "Labels such as “has a car” or “Welsh speaker”: who has each, and tagging people.",
            open_tags,
        ),
        Tool(
            "&Organisations and unions…",
            "organisationsAction",
            "Ctrl+Shift+O",
            "Unions, co-ops and groups, what each person belongs to, and members by union.",
            open_organisations,
        ),
    ]
    # Last, away from the everyday tools: it cannot be undone.
    from desktop.erasure_dialog import erase_selected

    tools.append(
        Tool(
            "Erase &person…",
            "erasePersonAction",
            None,
            "Remove the selected person's personal data for good, as they asked or as the "
            "retention period says (cannot be undone).",
            erase_selected,
        )
    )
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
