"""The Mailings menu's actions: segments, letter templates, letters, labels and envelopes.
Kept out of ``main_window`` so the main window stays a window, not a list of tools."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop.mailing_window import open_mailing
from desktop.segments_window import open_segments

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def _action(
    window: MainWindow, text: str, name: str, tip: str, run: Callable[[], object]
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    action.setStatusTip(tip)
    action.triggered.connect(lambda: run())
    return action


def mailing_actions(window: MainWindow) -> dict[str, QAction]:
    """The actions by key (the toolbar shows some of them)."""
    from desktop.template_editor import open_template_editor

    segments = _action(
        window,
        "&Segments…",
        "segmentsAction",
        "Saved groups of people to write to, count and export.",
        lambda: open_segments(window),
    )
    segments.setIconText("Segments")
    templates = _action(
        window,
        "Letter &templates…",
        "templatesAction",
        "Write and change the letters, with merge fields and paragraphs for some people only.",
        lambda: open_template_editor(window, window.database),
    )
    letters = _action(
        window,
        "&Letters…",
        "lettersAction",
        "Print a letter to a segment: preview every variant, then save or print.",
        lambda: open_mailing(window, "letters"),
    )
    letters.setIconText("Letters")
    letters.setShortcut(QKeySequence("Ctrl+Shift+M"))
    labels = _action(
        window,
        "Address la&bels…",
        "labelsAction",
        "Print address labels on Avery sheets for a segment.",
        lambda: open_mailing(window, "labels"),
    )
    envelopes = _action(
        window,
        "&Envelopes…",
        "envelopesAction",
        "Print addresses straight onto DL or C5 envelopes.",
        lambda: open_mailing(window, "envelopes"),
    )
    return {
        "segments": segments,
        "templates": templates,
        "letters": letters,
        "labels": labels,
        "envelopes": envelopes,
    }


def fill_mailings_menu(menu: QMenu, actions: dict[str, QAction]) -> None:
    menu.addAction(actions["segments"])
    menu.addAction(actions["templates"])
    menu.addSeparator()
    for key in ("letters", "labels", "envelopes"):
        menu.addAction(actions[key])
