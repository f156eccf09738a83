"""Reports → Reports…: every report in ``reports.report_registry``, for a period (or a
person), written as a PDF to look at and print, or as an Excel workbook.

Writing runs as a job with progress; the PDF then shows in the window (QtPdf) with Print and
Open in the PDF viewer beside it, as the letters window does; a workbook is opened in the
computer's own spreadsheet program on request. Each file goes in the export log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import Cancelled
from db.membership_figures import default_period
from desktop import window_state
from desktop.errors import show_error
from desktop.file_dialogs import save_remembered
from desktop.jobs import Progress, run_job
from desktop.pdf_preview import PdfPreview, open_in_viewer, print_with_dialog
from desktop.person_picker import PersonSearch
from reports.report_registry import REPORTS, ReportOutcome, ReportRequest, write_report

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

FOLDER_KEY = "Reports/folder"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ReportsWindow(QWidget):
    OBJECT_NAME = "reportsWindow"
    SETTINGS_KEY = "ReportsWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.person_id: int | None = None
        self.written: ReportOutcome | None = None
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Reports — Branchbook")
        self.setMinimumSize(900, 560)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("reportCombo")
        for kind in REPORTS.values():
            self.kind_combo.addItem(kind.title, kind.name)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555;")
        period = default_period(dt.date.today())
        self.start_edit = QDateEdit(_qdate(period.start))
        self.end_edit = QDateEdit(_qdate(period.end))
        for edit, name in ((self.start_edit, "reportFrom"), (self.end_edit, "reportTo")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.person_search = PersonSearch(database, placeholder="Whose record? Type a name…")
        self.person_search.picked.connect(self._person_picked)
        self.person_label = QLabel("Nobody chosen yet.")
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("formatCombo")
        self.format_combo.addItem("PDF, to read and print", ".pdf")
        self.format_combo.addItem("Excel workbook, every table", ".xlsx")
        self.write_button = QPushButton("&Write report…")
        self.write_button.setObjectName("writeReportButton")
        self.write_button.setDefault(True)
        self.print_button = QPushButton("&Print…")
        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Open the file in the computer's own program.")
        for button in (self.print_button, self.open_button):
            button.setEnabled(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Report:", self.kind_combo)
        form.addRow("", self.description)
        form.addRow("&From:", self.start_edit)
        form.addRow("&To:", self.end_edit)
        form.addRow("&Person:", self.person_search)
        form.addRow("", self.person_label)
        form.addRow("&As:", self.format_combo)
        self.form = form
        buttons = QHBoxLayout()
        for button in (self.write_button, self.print_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status)
        self.preview = PdfPreview()
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.addWidget(self.splitter)

        self.kind_combo.currentIndexChanged.connect(self._kind_shown)
        self.write_button.clicked.connect(lambda: self.write())
        self.print_button.clicked.connect(self._print)
        self.open_button.clicked.connect(self._open)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self).activated.connect(self._print)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self).activated.connect(self.close)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1150, 760)
        window_state.restore_splitter(self.splitter, self.SETTINGS_KEY)
        self._kind_shown()

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def choose(self, name: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(name))

    def _kind_shown(self) -> None:
        kind = REPORTS[self.kind]
        self.description.setText(kind.description[:1].upper() + kind.description[1:] + ".")
        self.start_edit.setEnabled(kind.takes_period)
        self.end_edit.setEnabled(kind.takes_period)
        self.person_search.setVisible(kind.needs_person)
        self.person_label.setVisible(kind.needs_person)
        label = self.form.labelForField(self.person_search)
        if label is not None:
            label.setVisible(kind.needs_person)

    def _person_picked(self, person_id: int, name: str) -> None:
        self.person_id = person_id
        self.person_label.setText(f"The record of {name}.")

    def request(self) -> ReportRequest:
        kind = REPORTS[self.kind]
        return ReportRequest(
            start=_date(self.start_edit.date()) if kind.takes_period else None,
            end=_date(self.end_edit.date()) if kind.takes_period else None,
            person_id=self.person_id if kind.needs_person else None,
        )

    def write(self, target: Path | None = None) -> ReportOutcome | None:
        """Write the chosen report where the secretary says; what was written, or None."""
        kind = REPORTS[self.kind]
        suffix = str(self.format_combo.currentData())
        if kind.needs_person and self.person_id is None:
            self.say("Choose whose record to write first: type their name and press Enter.")
            return None
        if target is None:
            name = f"{kind.title} {dt.date.today().isoformat()}"
            kinds = "PDF (*.pdf)" if suffix == ".pdf" else "Excel workbook (*.xlsx)"
            target = save_remembered(
                self, f"Save the {kind.title}", FOLDER_KEY, name, suffix, kinds
            )
            if target is None:
                return None
        database, request, name = self.database, self.request(), kind.name

        def job(progress: Progress, cancelled: Any) -> ReportOutcome:
            def checked(done: int, total: int, label: str) -> None:
                if cancelled():
                    raise Cancelled()
                progress(done, total, label)

            with database.session() as session:
                return write_report(session, name, target, request, checked)

        outcome = run_job(self, f"Writing the {kind.title.lower()}…", job)
        if isinstance(outcome.error, Cancelled):
            self.say("Cancelled: no file was written.")
            return None
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        written: ReportOutcome = outcome.result
        self.written = written
        self.say(written.summary)
        self.open_button.setEnabled(True)
        self.print_button.setEnabled(written.format == "pdf")
        if written.format == "pdf":
            self.preview.show_pdf(written.path.read_bytes(), f"{kind.title}: {written.path.name}")
        else:
            self.preview.clear(f"{written.path.name} is a workbook: Open shows it in Excel.")
        return written

    def _print(self) -> None:
        if self.written is not None and self.written.format == "pdf":
            print_with_dialog(self, self.preview.document, self.written.path.stem)

    def _open(self) -> None:
        if self.written is None:
            return
        if self.written.format == "pdf":
            open_in_viewer(self.written.path)
        else:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written.path)))

    def say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        window_state.save_splitter(self.splitter, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_reports(window: MainWindow) -> ReportsWindow:
    """Reports → Reports…: one window, raised when already open."""
    found = window_state.raise_open(window, ReportsWindow)
    if found is None:
        found = window_state.show_owned(ReportsWindow(window.database, window), lambda: None)
    return found
