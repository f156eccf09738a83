"""People → Activities…: the latest sessions of volunteering, and the last twelve months
per kind as a bar chart.

A session is shown as it was logged (one line for eight canvassers); deleting it deletes
all of its rows in one transaction, and Undo (Ctrl+Z) logs it again for the same people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.activities import ActivityTotal, activity_totals, log_activity
from db.activity_log import ActivitySession, delete_activities, recent_sessions
from db.database import Database
from db.engagement import window_start
from db.errors import UserError
from desktop import window_state
from desktop.activity_dialog import LogActivityDialog, hours_text, pydate
from desktop.bar_chart import Bar, BarChart
from desktop.errors import show_error

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

T = TypeVar("T")
RECENT = 200
_NAMES_SHOWN = 3
_COLUMNS = ["Date", "Activity", "Hours each", "People", "Who", "Notes"]
MEASURES = {"hours": "Hours", "sessions": "Stints", "people": "People"}


def day_text(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def who_text(names: tuple[str, ...]) -> str:
    """ "Ann Able, Bob Baker, Cy Cole and 5 more": the first few, then how many besides."""
    if len(names) <= _NAMES_SHOWN + 1:
        return ", ".join(names)
    return f"{', '.join(names[:_NAMES_SHOWN])} and {len(names) - _NAMES_SHOWN} more"


def total_bar(total: ActivityTotal, measure: str) -> Bar:
    """The figure chosen after the bar; all three in the tooltip."""
    if measure == "hours":
        return Bar(total.kind_label, float(total.hours), f"{hours_text(total.hours) or '0'} h")
    if measure == "sessions":
        return Bar(total.kind_label, total.sessions, f"{total.sessions:,}")
    return Bar(total.kind_label, total.people, f"{total.people:,}")


def total_tip(total: ActivityTotal) -> str:
    return (
        f"{total.kind_label}: {hours_text(total.hours) or '0'} hours, "
        f"{total.sessions:,} stints, {total.people:,} people"
    )


class _DeleteSession(QUndoCommand):
    """Delete a session's rows; undone, log them again (with new ids) for the same people.

    The first deletion is done before the command is pushed, so a refusal is shown without
    leaving a command on the stack; ``redo`` does only the later ones."""

    def __init__(self, window: ActivitiesWindow, shown: ActivitySession) -> None:
        super().__init__(f"delete {shown.kind_label.lower()} on {day_text(shown.done_on)}")
        self._window = window
        self._session = shown
        self._ids = list(shown.activity_ids)
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._window.run(lambda session: delete_activities(session, self._ids), undoing=True)

    def undo(self) -> None:
        s = self._session
        ids = self._window.run(
            lambda session: log_activity(
                session, s.kind, s.done_on, s.hours, s.person_ids, s.notes, today=s.done_on
            ),
            undoing=True,
        )
        if ids is not None:
            self._ids = list(ids)


class _LogSession(QUndoCommand):
    """A session logged from the dialog; undone, its rows are deleted; redone, logged again
    (new ids) for the same people. Pushed after the dialog recorded it."""

    def __init__(self, window: ActivitiesWindow, dialog: LogActivityDialog) -> None:
        day = pydate(dialog.date_edit.date())
        super().__init__(f"log {dialog.kind_combo.currentText().lower()} on {day_text(day)}")
        self._window = window
        self._ids = list(dialog.logged_ids)
        self._kind, self._day = dialog.kind(), day
        self._hours = dialog.hours_edit.text().strip() or None
        self._people = dialog.picker.person_ids()
        self._notes = dialog.notes_edit.text()
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        ids = self._window.run(
            lambda session: log_activity(
                session, self._kind, self._day, self._hours, self._people, self._notes,
                today=self._day,
            ),
            undoing=True,
        )  # fmt: skip
        if ids is not None:
            self._ids = list(ids)

    def undo(self) -> None:
        self._window.run(lambda session: delete_activities(session, self._ids), undoing=True)


class ActivitiesWindow(QWidget):
    OBJECT_NAME = "activitiesWindow"
    SETTINGS_KEY = "ActivitiesWindow"

    def __init__(
        self, database: Database, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self._today = today
        self.sessions: list[ActivitySession] = []
        self.undo_stack = QUndoStack(self)
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Activities — Branchbook")
        self.setMinimumSize(820, 480)
        self._build()
        self._connect()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1200, 680)
        self.reload()

    # layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.log_button = QPushButton("&Log an activity…")
        self.log_button.setObjectName("logActivityButton")
        self.log_button.setToolTip("Record one session for everyone who took part (Ctrl+N).")
        self.delete_button = QPushButton("&Delete session")
        self.delete_button.setObjectName("deleteSessionButton")
        self.delete_button.setToolTip("Delete the selected session for everyone in it (Delete).")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName("undoButton")
        self.close_button = QPushButton("Close")
        top = QHBoxLayout()
        top.addWidget(self.log_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.undo_button)
        top.addStretch(1)
        top.addWidget(self.close_button)

        self.table = QTreeWidget()
        self.table.setObjectName("activitySessions")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels(_COLUMNS)
        header = self.table.header()
        header.setStretchLastSection(True)
        for column, width in enumerate([120, 110, 80, 60, 240]):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        sessions_box = QGroupBox(f"Latest sessions (up to {RECENT})")
        sessions_layout = QVBoxLayout(sessions_box)
        sessions_layout.addWidget(self.table)

        self.measure_combo = QComboBox()
        self.measure_combo.setObjectName("chartMeasure")
        for key, label in MEASURES.items():
            self.measure_combo.addItem(label, key)
        measure_row = QHBoxLayout()
        measure_label = QLabel("&Show:")
        measure_label.setBuddy(self.measure_combo)
        measure_row.addWidget(measure_label)
        measure_row.addWidget(self.measure_combo)
        measure_row.addStretch(1)
        self.chart = BarChart(empty_text="No activity in the last 12 months.")
        self.chart.setObjectName("activityChart")
        self.since_label = QLabel()
        self.since_label.setStyleSheet("color: #555;")
        self.since_label.setWordWrap(True)
        self.chart_box = QGroupBox("The last 12 months")
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.addLayout(measure_row)
        chart_layout.addWidget(self.chart)
        chart_layout.addWidget(self.since_label)
        chart_layout.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(sessions_box)
        self.splitter.addWidget(self.chart_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([760, 440])

        self.status = QLabel(" ")
        self.status.setObjectName("activitiesStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        self.log_button.clicked.connect(lambda: self.log_activity())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.undo_button.clicked.connect(lambda: self.undo())
        self.close_button.clicked.connect(lambda: self.close())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.measure_combo.currentIndexChanged.connect(lambda _i: self._show_totals())
        delete_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.log_activity())
        QShortcut(QKeySequence.StandardKey.Undo, self, lambda: self.undo())
        QShortcut(QKeySequence.StandardKey.Redo, self, lambda: self.redo())

    # behaviour -----------------------------------------------------------------------

    def reload(self) -> None:
        today = self._today or dt.date.today()
        self._since = window_start(today)
        with self.database.session() as session:
            self.sessions = recent_sessions(session, RECENT)
            self.totals = activity_totals(session, self._since, today)
        self.table.clear()
        for shown in self.sessions:
            item = QTreeWidgetItem(
                [
                    day_text(shown.done_on),
                    shown.kind_label,
                    hours_text(shown.hours),
                    f"{len(shown.person_ids):,}",
                    who_text(shown.names),
                    shown.notes or "",
                ]
            )
            item.setToolTip(4, "\n".join(shown.names))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.addTopLevelItem(item)
        self._show_totals()
        self._update_buttons()

    def _show_totals(self) -> None:
        measure = str(self.measure_combo.currentData())
        self.chart.set_bars([total_bar(t, measure) for t in self.totals])
        self.chart.setToolTip("\n".join(total_tip(t) for t in self.totals))
        self.since_label.setText(
            f"From {day_text(self._since)} to today. A stint is one person's session: "
            "eight canvassers on one morning are eight stints."
        )

    def selected_session(self) -> ActivitySession | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        return self.sessions[self.table.indexOfTopLevelItem(item)]

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.selected_session() is not None)
        can_undo = self.undo_stack.canUndo()
        self.undo_button.setEnabled(can_undo)
        self.undo_button.setText(f"&Undo {self.undo_stack.undoText()}" if can_undo else "&Undo")

    def log_activity(self) -> None:
        dialog = LogActivityDialog(self.database, self, self._today)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            self.undo_stack.push(_LogSession(self, dialog))
            self.say(f"{dialog.summary()} Ctrl+Z takes it back.")
        finally:
            dialog.deleteLater()
        self.reload()
        self._update_buttons()

    def delete_selected(self) -> None:
        shown = self.selected_session()
        if shown is None:
            return
        if self.run(lambda session: delete_activities(session, shown.activity_ids)) is None:
            return
        self.undo_stack.push(_DeleteSession(self, shown))
        self._update_buttons()
        count = len(shown.person_ids)
        self.say(
            f"Deleted {shown.kind_label.lower()} on {day_text(shown.done_on)} for {count} "
            f"{'person' if count == 1 else 'people'}. Ctrl+Z brings it back."
        )

    def run(self, work: Callable[[Session], T], *, undoing: bool = False) -> T | None:
        """Do ``work(session)`` in one transaction and reload; None when refused, with the
        sentence shown. A refusal while undoing or redoing forgets the undo history, which
        no longer matches the database (cleared once the stack has finished its step)."""
        try:
            with self.database.session() as session:
                result = work(session)
        except UserError as error:
            if undoing:
                QTimer.singleShot(0, self._forget_history)
            show_error(self, error)
            self.reload()
            return None
        self.reload()
        return result

    def undo(self) -> None:
        # The buttons are updated here, not from the stack's indexChanged: the stack emits
        # that while the window is being destroyed, when the buttons are gone.
        self.undo_stack.undo()
        self._update_buttons()

    def redo(self) -> None:
        self.undo_stack.redo()
        self._update_buttons()

    def _forget_history(self) -> None:
        self.undo_stack.clear()
        self._update_buttons()

    def say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_activities(window: MainWindow) -> None:
    """People → Activities…: one window, raised when already open."""
    if window_state.raise_open(window, ActivitiesWindow) is not None:
        return
    window_state.show_owned(ActivitiesWindow(window.database, window), lambda: None)
