"""Retention review: guests and lapsed members not seen for N years, ticked for erasure.

The list is worked out on a worker thread (about a second at 100,000 people), longest
unseen first. Everyone starts unticked: the secretary (or the committee, from the exported
list) decides. Double-click opens a person, to look before deciding. The second tab is the
record of erasures made so far, which names nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.erasure import ErasureLine, describe_removed, list_erasures
from db.errors import Cancelled, UserError
from db.retention import (
    MAX_YEARS,
    RetentionCandidate,
    get_retention_years,
    retention_candidates,
    set_retention_years,
)
from desktop import window_state
from desktop.erasure_dialog import erase_with_dialog
from desktop.errors import show_error
from desktop.file_dialogs import save_remembered
from desktop.jobs import Progress, run_job
from desktop.person_editor import open_person_editor

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

_Index = QModelIndex | QPersistentModelIndex
_HEADERS = ("Name", "Status", "Last seen", "Last sign of them")


class CandidatesModel(QAbstractTableModel):
    """The people listed, each with a tick box in the first column."""

    def __init__(self) -> None:
        super().__init__()
        self.people: list[RetentionCandidate] = []
        self.ticked: set[int] = set()

    def set_people(self, people: Sequence[RetentionCandidate]) -> None:
        self.beginResetModel()
        self.people = list(people)
        self.ticked &= {c.person_id for c in self.people}
        self.endResetModel()

    def tick_all(self, on: bool) -> None:
        self.ticked = {c.person_id for c in self.people} if on else set()
        if self.people:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.people) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        person = self.people[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            ticked = person.person_id in self.ticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                person.name,
                person.status_label,
                f"{person.last_seen:%d/%m/%Y}",
                person.how,
            )[column]
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        person_id = self.people[index.row()].person_id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.ticked.add(person_id)
        else:
            self.ticked.discard(person_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def ticked_people(self) -> list[RetentionCandidate]:
        return [c for c in self.people if c.person_id in self.ticked]


class RetentionWindow(QMainWindow):
    SETTINGS_KEY = "RetentionWindow"

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        changed: Callable[[], None] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionWindow")
        self.setWindowTitle("Retention review — Branchbook")
        self.database = database
        self.today = today
        self._changed = changed
        with database.session() as session:
            self.policy_years = get_retention_years(session)
        self.years = QSpinBox()
        self.years.setObjectName("retentionYears")
        self.years.setRange(1, MAX_YEARS)
        self.years.setValue(self.policy_years)
        self.years.setSuffix(" years")
        # Arrow clicks come quickly: the list (a second at 100,000 people) is worked out
        # once they pause, not once per click.
        self._years_timer = QTimer(self)
        self._years_timer.setSingleShot(True)
        self._years_timer.setInterval(600)
        self._years_timer.timeout.connect(lambda: self._years_changed())
        self.years.valueChanged.connect(lambda _v: self._years_paused())
        self.keep_button = QPushButton("Make this the branch's &period")
        self.keep_button.setObjectName("keepPeriodButton")
        self.keep_button.setToolTip("Store the number of years as the branch's retention policy.")
        self.keep_button.clicked.connect(lambda: self.keep_period())
        self.check_button = QPushButton("&Check again")
        self.check_button.clicked.connect(lambda: self.check())
        top = QHBoxLayout()
        intro = QLabel("Guests and lapsed members not seen for")
        intro.setBuddy(self.years)
        top.addWidget(intro)
        top.addWidget(self.years)
        top.addWidget(self.keep_button)
        top.addStretch(1)
        top.addWidget(self.check_button)

        self.model = CandidatesModel()
        self.table = QTableView()
        self.table.setObjectName("retentionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._open_person)
        self.model.dataChanged.connect(lambda *_args: self._say())
        self.model.modelReset.connect(lambda: self._say())

        self.shown = QLabel("Not checked yet.")
        self.shown.setObjectName("retentionShown")
        self.shown.setWordWrap(True)
        self.tick_all_button = QPushButton("Tick &all")
        self.tick_all_button.clicked.connect(lambda: self.model.tick_all(True))
        self.tick_none_button = QPushButton("Tick &none")
        self.tick_none_button.clicked.connect(lambda: self.model.tick_all(False))
        self.export_button = QPushButton("E&xport list…")
        self.export_button.setObjectName("exportRetentionButton")
        self.export_button.setToolTip("The list as an Excel workbook, for the committee.")
        self.export_button.clicked.connect(lambda: self.export())
        self.erase_button = QPushButton("&Erase ticked…")
        self.erase_button.setObjectName("eraseTickedButton")
        self.erase_button.clicked.connect(lambda: self.erase_ticked())
        bottom = QHBoxLayout()
        for button in (self.tick_all_button, self.tick_none_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.erase_button)

        review = QWidget()
        layout = QVBoxLayout(review)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shown)
        layout.addLayout(bottom)

        self.erasures = QTableWidget(0, 5)
        self.erasures.setObjectName("erasuresTable")
        self.erasures.setHorizontalHeaderLabels(["When (UTC)", "By", "People", "Why", "Removed"])
        self.erasures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.erasures.verticalHeader().hide()
        self.erasures.horizontalHeader().setStretchLastSection(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(review, "&Review")
        self.tabs.addTab(self.erasures, "Erasures &made")
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.tabs)
        self.setCentralWidget(central)
        self._years_changed(check=False)
        self._fill_erasures()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(860, 620)

    # the list --------------------------------------------------------------------------

    def check(self) -> bool:
        """Work the list out again behind a progress dialog; False when stopped or failed."""
        database, years, today = self.database, self.years.value(), self.today

        def job(progress: Progress, cancelled: Callable[[], bool]) -> list[RetentionCandidate]:
            progress(0, 0, "Finding who has not been seen…")
            with database.session() as session:
                found = retention_candidates(session, years, today=today)
            if cancelled():
                raise Cancelled
            return found

        outcome = run_job(self, "Finding who has not been seen…", job)
        if isinstance(outcome.error, Cancelled):
            self.shown.setText("Stopped before the end. Press Check again.")
            return False
        if outcome.error is not None:
            show_error(self, outcome.error)
            return False
        self.model.set_people(outcome.result)
        return True

    def _years_paused(self) -> None:
        self.keep_button.setEnabled(self.years.value() != self.policy_years)
        self._years_timer.start()

    def set_years(self, years: int) -> None:
        """Set the years and work the list out now (what a pause after the arrows does)."""
        self.years.setValue(years)
        self._years_timer.stop()
        self._years_changed()

    def _years_changed(self, *, check: bool = True) -> None:
        self.keep_button.setEnabled(self.years.value() != self.policy_years)
        if check:
            self.check()

    def keep_period(self) -> None:
        years = self.years.value()
        with self.database.session() as session:
            set_retention_years(session, years)
        self.policy_years = years
        self.keep_button.setEnabled(False)
        self.statusBar().showMessage(f"The branch keeps guests and lapsed members {years} years.")

    def _say(self) -> None:
        people = self.model.people
        ticked = len(self.model.ticked)
        years = self.years.value()
        if not people:
            text = f"Nobody has gone unseen for {years} year{'' if years == 1 else 's'}."
        else:
            text = (
                f"{len(people):,} {'person' if len(people) == 1 else 'people'} not seen for "
                f"{years} year{'' if years == 1 else 's'}; {ticked:,} ticked. "
                "Double-click to open someone before deciding."
            )
        self.shown.setText(text)
        self.erase_button.setEnabled(ticked > 0)
        self.export_button.setEnabled(bool(people))

    def _open_person(self, index: QModelIndex) -> None:
        person_id = self.model.people[index.row()].person_id
        open_person_editor(self, self.database, person_id)

    # acting on it ----------------------------------------------------------------------

    def export(self) -> None:
        from reports.retention_export import export_retention

        years = self.years.value()
        path = save_remembered(
            self,
            "Export the retention list",
            "retention/folder",
            f"Not seen for {years} years",
            ".xlsx",
            "Excel workbook (*.xlsx)",
        )
        if path is None:
            return
        try:
            with self.database.session() as session:
                written = export_retention(session, self.model.people, years, path)
        except UserError as error:
            show_error(self, error)
            return
        self.statusBar().showMessage(f"{written:,} people written to {path}.")

    def erase_ticked(self) -> None:
        chosen = self.model.ticked_people()
        if not chosen:
            return
        done = erase_with_dialog(
            self, self.database, [c.person_id for c in chosen], [c.name for c in chosen]
        )
        if done is None:
            return
        self.check()
        self._fill_erasures()
        if self._changed is not None:
            self._changed()

    def _fill_erasures(self) -> None:
        with self.database.session() as session:
            lines: list[ErasureLine] = list_erasures(session)
        self.erasures.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (
                f"{line.at:%d/%m/%Y %H:%M}",
                line.actor,
                f"{line.people:,}",
                line.reason,
                describe_removed(line.removed),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.erasures.setItem(row, column, item)
        self.erasures.resizeColumnsToContents()
        self.tabs.setTabText(1, f"Erasures &made ({len(lines):,})")

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_retention(window: MainWindow) -> RetentionWindow:
    """Data protection → Retention review: the window already open, else a new one with
    the list worked out."""
    existing = window_state.raise_open(window, RetentionWindow)
    if existing is not None:
        return existing
    review = RetentionWindow(window.database, window, changed=window.refresh)
    review.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    review.show()
    review.check()
    return review
