"""The people behind a dashboard bar: who they are (the first few hundred, alphabetically,
and how many in all) and, where the bar is a segment rule, all of them to Excel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.dashboard_figures import Drill, DrillPeople
from db.database import Database
from db.errors import Cancelled
from db.people import PersonRow
from desktop.errors import show_error
from desktop.export_actions import ask_save_path
from desktop.jobs import Progress, run_job

SHOWN = 500  # people listed; the count says how many there are in all
COLUMNS = ("Name", "Status", "Ward", "Postcode")
Index = QModelIndex | QPersistentModelIndex


class PeopleModel(QAbstractTableModel):
    def __init__(self, rows: list[PersonRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        return (
            _name(row),
            row.status_label,
            row.ward or "",
            row.postcode or "",
        )[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class PeopleDialog(QDialog):
    """Shown, not exec'd: the dashboard stays usable beside it, and a second click opens
    a second list to compare."""

    def __init__(
        self,
        database: Database,
        drill: Drill,
        people: DrillPeople,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPeople")
        self.setWindowTitle(f"{drill.title} — Branchbook")
        self.database = database
        self.drill = drill
        self.people = people
        self.today = today
        heading = QLabel(f"<b>{_escape(drill.title)}</b>")
        heading.setWordWrap(True)
        self.count_label = QLabel(_count_text(people))
        self.count_label.setObjectName("peopleCount")
        self.model = PeopleModel(people.rows, self)
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton("&Export…")
        self.export_button.setObjectName("exportPeopleButton")
        # The Excel export takes segment rules; a meeting's or a data-quality list has none.
        self.export_button.setEnabled(drill.rule is not None and people.count > 0)
        if drill.rule is None:
            self.export_button.setToolTip(
                "Only lists a segment can describe are exported; use the data-quality or "
                "meetings window for this one."
            )
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(lambda: self.export())
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def export(self, path: Path | None = None) -> Path | None:
        """Everyone behind the bar (not only those listed) to an Excel workbook."""
        from reports.segment_export import export_segment

        rule = self.drill.rule
        if rule is None:
            return None
        path = path or ask_save_path(self, "Export people", self.drill.title)
        if path is None:
            return None
        chosen: Path = path
        title = self.drill.title

        def job(progress: Progress, cancelled: Callable[[], bool]) -> int:
            with self.database.session() as session:
                return export_segment(
                    session,
                    rule,
                    chosen,
                    today=self.today,
                    title=title,
                    progress=progress,
                    cancelled=cancelled,
                )

        outcome = run_job(self, f"Exporting to {chosen.name}…", job)
        if isinstance(outcome.error, Cancelled):
            self.status.setText("Cancelled: no file was written.")
            return None
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        self.status.setText(f"Wrote {_people(int(outcome.result))} to {chosen}")
        return chosen


def _name(row: PersonRow) -> str:
    first = row.preferred_name or row.first_name
    return f"{row.last_name}, {first}" if first and row.last_name else row.last_name or first


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def _count_text(people: DrillPeople) -> str:
    if people.count > len(people.rows):
        return f"{_people(people.count)}; the first {len(people.rows):,} are listed."
    return f"{_people(people.count)}."


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
