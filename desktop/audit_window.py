"""File → Data protection → Audit trail…: every write — from the window, an import, the
command line — newest first, with who, what and old → new, filtered in SQL, and exported
to Excel. Read-only: the trail cannot be changed from the app, so nothing here edits.

The lines are ``db.audit_log`` read a page at a time (``LogTableModel``); the export is
``reports.audit_export`` run as a job, which also records the file in the export log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.audit_log import (
    AuditFilter,
    AuditLine,
    audit_changes,
    audit_count,
    audit_lines,
)
from db.database import Database
from db.errors import Cancelled
from desktop import window_state
from desktop.errors import show_error
from desktop.file_dialogs import save_remembered
from desktop.jobs import Progress, run_job
from desktop.log_filters import ActorCombo, DateRange, PersonFilter, local_time
from desktop.log_table import LogColumn, LogTableModel, log_table_view

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

EXPORT_FOLDER_KEY = "Audit/exportFolder"
XLSX_FILTER = "Excel workbook (*.xlsx)"
TYPING_PAUSE_MS = 400  # a word search reads the whole trail: wait until typing stops
# The pane under the list has room for a few lines, not a page of notes.
DETAIL_CHANGES = 6
DETAIL_VALUE = 200

COLUMNS: list[LogColumn[AuditLine]] = [
    LogColumn("When", lambda line: f"{local_time(line.at):%d/%m/%Y %H:%M}", 120),
    LogColumn("Who", lambda line: line.actor, 90),
    LogColumn("Action", lambda line: line.action, 60),
    LogColumn("What", lambda line: line.what, 110),
    LogColumn("About", lambda line: line.person, 150),
    LogColumn("Change (old → new)", lambda line: line.detail, 400),
]


class AuditWindow(QWidget):
    OBJECT_NAME = "auditWindow"
    SETTINGS_KEY = "AuditWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self._everything = 0  # lines in the whole trail, filters or not
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Audit trail — Branchbook")
        self.model: LogTableModel[AuditLine] = LogTableModel(COLUMNS, lambda: 0, _no_page, self)
        self._build()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1100, 640)
        self.refresh()

    def _build(self) -> None:
        self.dates = DateRange(self)
        self.dates.changed.connect(self.refresh)
        self.actor_combo = ActorCombo(self.database)
        self.actor_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.person = PersonFilter(self.database, self)
        self.person.changed.connect(self.refresh)
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findEdit")
        self.find_edit.setPlaceholderText("Words in the change, the name or the kind of record")
        self.find_edit.setClearButtonEnabled(True)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.refresh)
        self.find_edit.textChanged.connect(lambda _text: self._typing.start())
        self.find_edit.returnPressed.connect(self.refresh)
        filters = QGridLayout()
        filters.addWidget(self.dates, 0, 0)
        who = QHBoxLayout()
        who_label = QLabel("&Who:")
        who_label.setBuddy(self.actor_combo)
        who.addWidget(who_label)
        who.addWidget(self.actor_combo)
        who.addStretch(1)
        filters.addLayout(who, 0, 1)
        filters.addWidget(self.person, 1, 0)
        find = QHBoxLayout()
        find_label = QLabel("F&ind:")
        find_label.setBuddy(self.find_edit)
        find.addWidget(find_label)
        find.addWidget(self.find_edit, 1)
        filters.addLayout(find, 1, 1)
        filters.setColumnStretch(1, 1)

        self.table = log_table_view(self.model, "auditTable")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        self.detail = QLabel()
        self.detail.setObjectName("auditDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(40)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.export_button = QPushButton("&Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("Save the lines the filters keep as an Excel workbook.")
        self.export_button.clicked.connect(lambda: self.export())
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(lambda: self.reread())
        QShortcut(QKeySequence.StandardKey.Refresh, self, lambda: self.reread())
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, lambda: self.close())
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(refresh)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(bottom)

    # reading ---------------------------------------------------------------------------

    def where(self) -> AuditFilter:
        since, until = self.dates.bounds()
        actor = self.actor_combo.actor()
        text = self.find_edit.text().strip() or None
        return AuditFilter(
            since=since, until=until, actor=actor, person_id=self.person.person_id, text=text
        )

    def refresh(self) -> None:
        """Read the first page through the filters as they are now."""
        self._typing.stop()
        where = self.where()
        database = self.database

        def count() -> int:
            with database.session() as session:
                return audit_count(session, where)

        def page(shown: Sequence[AuditLine], limit: int) -> list[AuditLine]:
            with database.session() as session:
                return audit_lines(session, where, limit=limit, after=shown[-1] if shown else None)

        self.model.reload(count, page)
        if where == AuditFilter():
            self._everything = self.model.total
        else:
            with database.session() as session:
                self._everything = audit_count(session)
        self._show_count(where)
        self._show_selected()

    def reread(self) -> None:
        """Refresh, and read who is in the trail again: someone new may have written."""
        self.actor_combo.loaded = False
        self.refresh()

    def _show_count(self, where: AuditFilter) -> None:
        total, everything = self.model.total, self._everything
        if everything == 0:
            self.count_label.setText("The trail is empty.")
        elif where == AuditFilter():
            self.count_label.setText(f"{total:,} {_lines(total)}, newest first")
        elif total == 0:
            self.count_label.setText(f"No line of {everything:,} matches.")
        else:
            self.count_label.setText(f"{total:,} of {everything:,} {_lines(everything)} match")
        self.export_button.setEnabled(total > 0)

    def _show_selected(self) -> None:
        index = self.table.currentIndex()
        line = self.model.line(index.row()) if index.isValid() else None
        if line is None:
            self.detail.setText("Choose a line to read it whole. The trail cannot be changed.")
            return
        with self.database.session() as session:
            changes = audit_changes(session, line.id)
        about = f" about {line.person}" if line.person else ""
        heading = (
            f"{local_time(line.at):%d/%m/%Y %H:%M:%S}: {line.actor}, {line.action} "
            f"{line.what}{about}"
        )
        if not changes:
            self.detail.setText(f"{heading}. {line.detail}")
            return
        shown = [f"{c.column}: {_cut(c.old)} → {_cut(c.new)}" for c in changes[:DETAIL_CHANGES]]
        if len(changes) > DETAIL_CHANGES:
            shown.append(f"… and {len(changes) - DETAIL_CHANGES} more (export to read them all)")
        self.detail.setText("\n".join([heading + ":", *shown]))

    # exporting -------------------------------------------------------------------------

    def export(self) -> Path | None:
        """Export…: the lines the filters keep, to a workbook; the file is logged as it is
        for the command line (``branchbook audit export``)."""
        path = save_remembered(
            self,
            "Export the audit trail",
            EXPORT_FOLDER_KEY,
            f"Branchbook audit trail {dt.date.today().isoformat()}",
            ".xlsx",
            XLSX_FILTER,
        )
        if path is None:
            return None
        outcome = run_job(
            self,
            f"Exporting the audit trail to {path.name}…",
            _export_job(self.database, path, self.where()),
        )
        if isinstance(outcome.error, Cancelled):
            self.message.setText("Cancelled: no file was written.")
            return None
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        written: int = outcome.result
        self.message.setText(f"Wrote {written:,} {'line' if written == 1 else 'lines'} to {path}")
        return path

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def _lines(count: int) -> str:
    return "line" if count == 1 else "lines"


def _cut(value: str) -> str:
    return value if len(value) <= DETAIL_VALUE else value[: DETAIL_VALUE - 1] + "…"


def _no_page(_shown: Sequence[AuditLine], _limit: int) -> list[AuditLine]:
    return []


def _export_job(
    database: Database, path: Path, where: AuditFilter
) -> Callable[[Progress, Callable[[], bool]], int]:
    def job(progress: Progress, cancelled: Callable[[], bool]) -> int:
        # reports/ brings openpyxl: loaded when an export starts, not with the window.
        from reports.audit_export import audit_export_steps
        from reports.xlsx_table import run_steps

        with database.session() as session:
            steps = audit_export_steps(session, path, where)
            return run_steps(steps, progress=progress, cancelled=cancelled)

    return job


def open_audit_window(window: MainWindow) -> AuditWindow:
    """One window, brought to the front (and read again) when already open."""
    existing = window_state.raise_open(window, AuditWindow)
    if existing is not None:
        existing.reread()
        return existing
    return window_state.show_owned(AuditWindow(window.database, window), lambda: None)
