"""Meetings → Import attendance…: a typed-up sign-in sheet or an online form's export.

Which meeting, which file, then db.importing.attendance on a worker thread; afterwards a
dialog says how many were checked in and lists the rows that fit nobody or several people,
each of which the secretary can resolve there (find the person, check them in) or leave.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import UserError
from db.importing.attendance import AttendanceImport
from db.meetings import MeetingRow, check_in
from db.people import PersonRow, list_people
from desktop.checkin_window import ChooseMeetingDialog
from desktop.errors import show_error
from desktop.file_dialogs import open_remembered
from desktop.import_state import FILE_FILTER
from desktop.jobs import Progress, run_job

FOLDER_KEY = "AttendanceImport/folder"
SEARCH_LIMIT = 30
COLUMNS = ["Row", "Name as written", "Email", "Problem", "Status"]
TO_RESOLVE = "To resolve"


def import_attendance_from_file(
    parent: QWidget, database: Database, refresh: Callable[[], None]
) -> AttendanceResultDialog | None:
    """Ask for the meeting and the file, import on a worker thread, show what happened.

    Returns the result dialog (shown window-modal, not blocking), or None when the
    secretary cancelled or the file could not be read (said in one sentence)."""
    meeting = _choose_meeting(parent, database)
    if meeting is None:
        return None
    path = _choose_file(parent)
    if path is None:
        return None

    def job(_progress: Progress, _cancelled: Callable[[], bool]) -> AttendanceImport:
        from db.importing.attendance import import_attendance

        return import_attendance(database, meeting.id, path)

    # One transaction that does not look at Cancel: no Cancel button rather than a dead one.
    outcome = run_job(parent, f"Reading {path.name}…", job, cancellable=False)
    if outcome.error is not None:
        show_error(parent, outcome.error)
        return None
    dialog = AttendanceResultDialog(database, meeting, path, outcome.result, parent)
    dialog.checked_in.connect(lambda _pid: refresh())
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    refresh()
    dialog.open()
    return dialog


def _choose_meeting(parent: QWidget, database: Database) -> MeetingRow | None:
    dialog = ChooseMeetingDialog(database, parent)
    dialog.setWindowTitle("Import attendance")
    try:
        if not dialog.meetings:
            QMessageBox.information(
                parent, "Branchbook", "There are no meetings yet: add one first (Meetings menu)."
            )
            return None
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.meeting_id()
        return next((m for m in dialog.meetings if m.id == chosen), None)
    finally:
        dialog.deleteLater()


def _choose_file(parent: QWidget) -> Path | None:
    """The sign-in sheet or form export, starting in the folder the last one came from."""
    return open_remembered(
        parent, "Choose the sign-in sheet or form export", FOLDER_KEY, FILE_FILTER
    )


def meeting_label(meeting: MeetingRow) -> str:
    when = meeting.starts_at
    return f"“{meeting.title}”, {when:%a} {when.day} {when:%b %Y}"


def summary_text(result: AttendanceImport) -> str:
    """What the import did, in a sentence or two."""
    text = (
        f"Checked in {result.checked_in:,}; "
        f"{result.already:,} {'was' if result.already == 1 else 'were'} already in."
    )
    left = len(result.to_resolve)
    if left:
        text += (
            f" {left:,} {'row fits' if left == 1 else 'rows fit'} nobody or more than one "
            "person: choose a row, find who it is and check them in, or leave it."
        )
    else:
        text += " Every row was matched."
    return text


def person_line(person: PersonRow) -> str:
    name = " ".join(p for p in (person.first_name, person.last_name) if p)
    if person.preferred_name and person.preferred_name != person.first_name:
        name += f" ({person.preferred_name})"
    parts = [person.status_label]
    for value in (person.membership_number, person.postcode, person.email):
        if value:
            parts.append(value)
    return f"{name} — {', '.join(parts)}"


class AttendanceResultDialog(QDialog):
    """What an attendance import did, and the rows still to resolve by hand."""

    checked_in = Signal(int)  # a person id, checked in here

    def __init__(
        self,
        database: Database,
        meeting: MeetingRow,
        path: Path,
        result: AttendanceImport,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.meeting = meeting
        self.outcome = result
        self.rows = list(result.to_resolve)
        self.resolved: dict[int, str] = {}  # index into rows -> what was done
        self.setObjectName("attendanceResultDialog")
        self.setWindowTitle("Attendance imported")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        heading = QLabel(f"<b>{escape(path.name)}</b> → {escape(meeting_label(meeting))}")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel(summary_text(result))
        self.summary.setObjectName("attendanceSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        if self.rows:
            layout.addWidget(self._build_rows(), 1)
            layout.addWidget(self._build_resolver(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(780, 560 if self.rows else 160)
        if self.rows:
            self.table.selectRow(0)

    # layout --------------------------------------------------------------------------

    def _build_rows(self) -> QTableWidget:
        table = QTableWidget(len(self.rows), len(COLUMNS))
        table.setObjectName("rowsToResolve")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(24)
        table.setWordWrap(False)
        for i, row in enumerate(self.rows):
            problem = (
                f"Could be {len(row.candidates)} people" if row.candidates else "Matches nobody"
            )
            values = [str(row.row), row.name or "—", ", ".join(row.emails), problem, TO_RESOLVE]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(row.sentence)
                table.setItem(i, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.itemSelectionChanged.connect(self._row_chosen)
        self.table = table
        return table

    def _build_resolver(self) -> QGroupBox:
        self.resolver = QGroupBox()
        self.resolver.setObjectName("resolver")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("personSearch")
        self.search.setPlaceholderText("Find the person by name, membership number, postcode…")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self._search)
        self.people = QListWidget()
        self.people.setObjectName("peopleFound")
        self.people.itemSelectionChanged.connect(self._update_button)
        self.people.itemDoubleClicked.connect(lambda _item: self.check_in_chosen())
        self.check_in_button = QPushButton("Check in")
        self.check_in_button.setObjectName("checkInButton")
        self.check_in_button.setDefault(True)
        self.check_in_button.clicked.connect(self.check_in_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(
            QLabel("<span style='color:#555'>Rows you leave are simply not checked in.</span>")
        )
        buttons.addStretch(1)
        buttons.addWidget(self.check_in_button)
        layout = QVBoxLayout(self.resolver)
        layout.addWidget(self.hint)
        layout.addWidget(self.search)
        layout.addWidget(self.people, 1)
        layout.addLayout(buttons)
        return self.resolver

    # behaviour -----------------------------------------------------------------------

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _row_chosen(self) -> None:
        index = self.current_row()
        if index is None:
            return
        row = self.rows[index]
        self.resolver.setTitle(f"Who is row {row.row}?")
        if index in self.resolved:
            self.hint.setText(f"{self.resolved[index]}.")
        elif row.candidates:
            self.hint.setText(
                f"This row could be any of these {len(row.candidates)} people: choose one, "
                "or search for someone else."
            )
        else:
            self.hint.setText("Nobody kept fits this row. Search for them below.")
        self.search.setText(row.name)
        if row.candidates:
            self._show(list(row.candidates))
        else:
            self._search(row.name)

    def _search(self, text: str) -> None:
        if not text.strip():
            self._show([])
            return
        with self.database.session() as session:
            found = list_people(session, text, limit=SEARCH_LIMIT)
        self._show([(person.id, person_line(person)) for person in found])

    def _show(self, people: list[tuple[int, str]]) -> None:
        self.people.clear()
        for person_id, text in people:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person_id)
            self.people.addItem(item)
        if self.people.count() == 1:
            self.people.setCurrentRow(0)
        self._update_button()

    def _update_button(self) -> None:
        index = self.current_row()
        self.check_in_button.setEnabled(
            index is not None and index not in self.resolved and bool(self.people.selectedItems())
        )

    def chosen_person(self) -> int | None:
        items = self.people.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def check_in_chosen(self) -> None:
        """Check the chosen person in for the chosen row, then go on to the next row left."""
        index, person_id = self.current_row(), self.chosen_person()
        if index is None or person_id is None or index in self.resolved:
            return
        who = self.people.selectedItems()[0].text()  # with what told them apart
        try:
            with self.database.session() as session:
                done = check_in(session, self.meeting.id, person_id, method="import")
        except UserError as exc:
            show_error(self, exc)
            return
        said = f"Already in: {who}" if done.already else f"Checked in: {who}"
        self.resolved[index] = said
        cell = self.table.item(index, len(COLUMNS) - 1)
        if cell is not None:
            cell.setText(said)
        if not done.already:
            self.checked_in.emit(person_id)
        following = [i for i in range(len(self.rows)) if i not in self.resolved]
        after = [i for i in following if i > index] or following
        if after:
            self.table.selectRow(after[0])
        else:
            self._row_chosen()
            self._update_button()
