"""File → Data protection → Export log…: every file with people's data in it that left
Branchbook — when, who, what kind, for which segment, how many people, where to — newest
first, narrowed by date. Read-only, like the audit trail: the log is written by the code
that writes each file (``db.export_log``), never from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from db.database import Database
from db.export_log import ExportLine, export_count, list_exports
from desktop import window_state
from desktop.log_filters import DateRange, local_time
from desktop.log_table import LogColumn, LogTableModel, log_table_view

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

COLUMNS: list[LogColumn[ExportLine]] = [
    LogColumn("When", lambda line: f"{local_time(line.at):%d/%m/%Y %H:%M}", 120),
    LogColumn("Who", lambda line: line.actor, 90),
    LogColumn("What", lambda line: line.kind, 130),
    LogColumn("Segment", lambda line: line.segment or "", 140),
    LogColumn("People", lambda line: f"{line.people:,}" if line.people else "", 70, numeric=True),
    LogColumn("File", lambda line: line.file_name, 380),
]


class ExportLogWindow(QWidget):
    OBJECT_NAME = "exportLogWindow"
    SETTINGS_KEY = "ExportLogWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self._everything = 0  # files in the whole log
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Export log — Branchbook")
        self.model: LogTableModel[ExportLine] = LogTableModel(
            COLUMNS, lambda: 0, lambda _shown, _limit: [], self
        )
        self.dates = DateRange(self)
        self.dates.changed.connect(self.refresh)
        intro = QLabel(
            "Every file with people's data in it that Branchbook wrote: exports, letters, "
            "labels, reports and backups. Where copies went, after a lost USB stick."
        )
        intro.setWordWrap(True)
        self.table = log_table_view(self.model, "exportLogTable")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(lambda: self.refresh())
        QShortcut(QKeySequence.StandardKey.Refresh, self, lambda: self.refresh())
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, lambda: self.close())
        filters = QHBoxLayout()
        filters.addWidget(self.dates)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(refresh)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1000, 520)
        self.refresh()

    def refresh(self) -> None:
        since, until = self.dates.bounds()
        database = self.database

        def count() -> int:
            with database.session() as session:
                return export_count(session, since=since, until=until)

        def page(shown: Sequence[ExportLine], limit: int) -> list[ExportLine]:
            # The log grows by a line a file: an offset costs nothing at its size.
            with database.session() as session:
                return list_exports(
                    session, since=since, until=until, offset=len(shown), limit=limit
                )

        self.model.reload(count, page)
        with database.session() as session:
            self._everything = export_count(session)
        total = self.model.total
        files = f"{total:,} {'file' if total == 1 else 'files'}"
        if self._everything == 0:
            self.count_label.setText("No file has been exported yet.")
        elif since is None and until is None:
            self.count_label.setText(f"{files}, newest first")
        else:
            self.count_label.setText(f"{files} in those days, of {self._everything:,}")

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_export_log(window: MainWindow) -> ExportLogWindow:
    """One window, brought to the front (and read again) when already open."""
    existing = window_state.raise_open(window, ExportLogWindow)
    if existing is not None:
        existing.refresh()
        return existing
    return window_state.show_owned(ExportLogWindow(window.database, window), lambda: None)
