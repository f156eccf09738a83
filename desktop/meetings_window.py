"""The meetings window: every meeting on the left, and for the chosen one its agenda, who
came, and the participation ledger on the right.

The ledger is kept from the keyboard: with the attendee list focused, one letter records
what the selected person did (S spoke, Q question, P proposed, E seconded, C chaired,
M minutes, V volunteered) against the selected agenda item. Each action is its own short
transaction, committed at once; a refusal from the database is shown in the status line.
"""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.database import Database
from db.errors import UserError
from db.meeting_ledger import (
    LedgerLine,
    add_agenda_item,
    copy_meeting,
    delete_contribution,
    ledger,
    record_contribution,
)
from db.meetings import MeetingRow, add_meeting, attendance_summary, list_meetings
from db.models import AgendaItem
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS
from desktop.checkin_window import AddMeetingDialog, CheckInWindow
from desktop.window_state import show_owned

# One key for each way of taking part, pressed with the attendee list focused.
CONTRIBUTION_KEYS: dict[Qt.Key, str] = {
    Qt.Key.Key_S: "spoke",
    Qt.Key.Key_Q: "question",
    Qt.Key.Key_P: "proposed",
    Qt.Key.Key_E: "seconded",
    Qt.Key.Key_C: "chaired",
    Qt.Key.Key_M: "minuted",
    Qt.Key.Key_V: "volunteered",
}
KEY_HINT = (
    "Keys: S spoke · Q question · P proposed · E seconded · C chaired · M minutes · V volunteered"
)
_OK_STYLE = "color: #1b5e20;"
_PROBLEM_STYLE = "color: #b71c1c;"
_ID = Qt.ItemDataRole.UserRole


def one_month_later(when: dt.datetime) -> dt.datetime:
    """The same day and time next month; the 31st becomes the month's last day."""
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def meeting_line(meeting: MeetingRow) -> str:
    """Two lines: when and what kind; then the title and who came."""
    start = meeting.starts_at
    return (
        f"{start:%a} {start.day} {start:%b %Y %H:%M}  ·  {meeting.kind_label}\n"
        f"{meeting.title}  ·  {meeting.present} present, {meeting.apologies} apologies"
    )


def _to_qt(when: dt.datetime) -> QDateTime:
    return QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))


def _from_qt(value: QDateTime) -> dt.datetime:
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())


class AgendaItemDialog(QDialog):
    """A title, and for a motion the text of the motion."""

    def __init__(self, *, motion: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.motion = motion
        self.setWindowTitle("Add a motion" if motion else "Add an agenda item")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("agendaTitleEdit")
        self.motion_edit = QPlainTextEdit()
        self.motion_edit.setObjectName("motionTextEdit")
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        if motion:
            form.addRow("&Motion:", self.motion_edit)
        else:
            self.motion_edit.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def motion_text(self) -> str | None:
        if not self.motion:
            return None
        # A motion with no text yet is still a motion: its title stands in.
        return self.motion_edit.toPlainText().strip() or self.title_edit.text().strip()


class CopyMeetingDialog(QDialog):
    def __init__(self, starts_at: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy a meeting")
        self.starts_edit = QDateTimeEdit(_to_qt(one_month_later(starts_at)))
        self.starts_edit.setObjectName("copyStartsEdit")
        self.starts_edit.setCalendarPopup(True)
        self.starts_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        form = QFormLayout()
        form.addRow("The copy &starts:", self.starts_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A new meeting with the same kind, title, venue and agenda."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def starts_at(self) -> dt.datetime:
        return _from_qt(self.starts_edit.dateTime())


class AttendeeList(QListWidget):
    """The people present; a letter key records what the selected one did."""

    def __init__(self, window: MeetingsWindow) -> None:
        super().__init__(window)
        self._window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        kind = CONTRIBUTION_KEYS.get(Qt.Key(event.key()))
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,
        )
        if kind is not None and plain:
            self._window.record(kind)
            return
        super().keyPressEvent(event)


class LedgerTable(QTableWidget):
    """The ledger lines; Delete removes the selected one."""

    def __init__(self, window: MeetingsWindow) -> None:
        super().__init__(0, 4, window)
        self._window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._window.delete_selected_line()
            return
        super().keyPressEvent(event)


class MeetingsWindow(QWidget):
    def __init__(
        self, database: Database, parent: QWidget | None = None, now: dt.datetime | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self._now = now
        self.door: CheckInWindow | None = None
        self._closing = False
        self.setObjectName("meetingsWindow")
        self.setWindowTitle("Meetings — Branchbook")
        self.setMinimumSize(900, 560)
        self.resize(1280, 760)
        self._build()
        self.load_meetings()

    # layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.meeting_list = QListWidget()
        self.meeting_list.setObjectName("meetingList")
        self.meeting_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.meeting_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.meeting_list.currentItemChanged.connect(lambda *_: self.show_meeting())
        self.add_button = QPushButton("&Add…")
        self.add_button.clicked.connect(lambda: self.add_meeting())
        self.copy_button = QPushButton("Co&py…")
        self.copy_button.clicked.connect(lambda: self.copy_selected())
        self.door_button = QPushButton("C&heck-in at the door…")
        self.door_button.clicked.connect(lambda: self.open_door())
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.add_button)
        left_buttons.addWidget(self.copy_button)
        left_buttons.addWidget(self.door_button)
        left_buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.meeting_list, 1)
        left_layout.addLayout(left_buttons)

        self.title_label = QLabel()
        self.title_label.setObjectName("meetingHeading")
        self.title_label.setWordWrap(True)

        self.agenda_list = QListWidget()
        self.agenda_list.setObjectName("agendaList")
        self.add_item_button = QPushButton("Add &item…")
        self.add_item_button.clicked.connect(lambda: self.add_agenda(motion=False))
        self.add_motion_button = QPushButton("Add m&otion…")
        self.add_motion_button.clicked.connect(lambda: self.add_agenda(motion=True))
        agenda_buttons = QHBoxLayout()
        agenda_buttons.addWidget(self.add_item_button)
        agenda_buttons.addWidget(self.add_motion_button)
        agenda_buttons.addStretch(1)
        agenda_box = QGroupBox("Agenda")
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.addWidget(self.agenda_list, 1)
        agenda_layout.addLayout(agenda_buttons)

        self.attendees = AttendeeList(self)
        self.attendees.setObjectName("attendeeList")
        self.apologies_label = QLabel("Apologies")
        self.apologies_list = QListWidget()
        self.apologies_list.setObjectName("apologiesList")
        self.apologies_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.apologies_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.present_box = QGroupBox("Present")
        present_layout = QVBoxLayout(self.present_box)
        present_layout.addWidget(self.attendees, 3)
        present_layout.addWidget(self.apologies_label)
        present_layout.addWidget(self.apologies_list, 1)

        upper = QHBoxLayout()
        upper.addWidget(agenda_box, 3)
        upper.addWidget(self.present_box, 2)

        self.ledger_table = LedgerTable(self)
        self.ledger_table.setObjectName("ledgerTable")
        self.ledger_table.setHorizontalHeaderLabels(["Name", "What", "Agenda item", "Note"])
        self.ledger_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ledger_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ledger_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ledger_table.verticalHeader().setVisible(False)
        self.ledger_table.verticalHeader().setDefaultSectionSize(24)
        self.ledger_table.setWordWrap(False)
        header = self.ledger_table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate([170, 150, 220]):
            header.resizeSection(column, width)
        self.delete_button = QPushButton("&Delete line")
        self.delete_button.clicked.connect(lambda: self.delete_selected_line())
        hint = QLabel(KEY_HINT + "  (with the Present list focused)")
        hint.setObjectName("keyHint")
        hint.setWordWrap(True)
        ledger_buttons = QHBoxLayout()
        ledger_buttons.addWidget(hint, 1)
        ledger_buttons.addWidget(self.delete_button)
        ledger_box = QGroupBox("Who took part")
        ledger_layout = QVBoxLayout(ledger_box)
        ledger_layout.addWidget(self.ledger_table, 1)
        ledger_layout.addLayout(ledger_buttons)

        self.status = QLabel(" ")
        self.status.setObjectName("meetingsStatus")
        self.status.setWordWrap(True)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addLayout(upper, 2)
        right_layout.addWidget(ledger_box, 3)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 780])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    # the meetings --------------------------------------------------------------------

    def load_meetings(self, select_id: int | None = None) -> None:
        now = self._now or dt.datetime.now()
        with self.database.session() as session:
            upcoming = list_meetings(session, upcoming=True, now=now)
            past = list_meetings(session, upcoming=False, now=now)
        keep = select_id if select_id is not None else self.selected_meeting()
        self.meeting_list.blockSignals(True)
        self.meeting_list.clear()
        for heading, rows in (("Upcoming, soonest first", upcoming), ("Past", past)):
            section = QListWidgetItem(heading)
            font = section.font()
            font.setBold(True)
            section.setFont(font)
            section.setFlags(Qt.ItemFlag.NoItemFlags)
            # Not greyed out as a disabled item would be: a heading, not a choice.
            section.setForeground(self.meeting_list.palette().windowText())
            self.meeting_list.addItem(section)
            for meeting in rows:
                item = QListWidgetItem(meeting_line(meeting))
                item.setToolTip(meeting_line(meeting))
                item.setData(_ID, meeting.id)
                self.meeting_list.addItem(item)
        self.meeting_list.blockSignals(False)
        target = self._row_of(keep) if keep is not None else None
        if target is None:
            target = next(
                (r for r in range(self.meeting_list.count()) if self._meeting_at(r) is not None),
                None,
            )
        if target is not None:
            self.meeting_list.setCurrentRow(target)
        self.show_meeting()

    def _meeting_at(self, row: int) -> int | None:
        value = self.meeting_list.item(row).data(_ID)
        return None if value is None else int(value)

    def _row_of(self, meeting_id: int) -> int | None:
        for row in range(self.meeting_list.count()):
            if self._meeting_at(row) == meeting_id:
                return row
        return None

    def select_meeting(self, meeting_id: int) -> None:
        row = self._row_of(meeting_id)
        if row is not None:
            self.meeting_list.setCurrentRow(row)

    def listed_meetings(self) -> list[int | None]:
        """The list top to bottom: a meeting's id, or None for a section heading."""
        return [self._meeting_at(row) for row in range(self.meeting_list.count())]

    def selected_meeting(self) -> int | None:
        item = self.meeting_list.currentItem()
        if item is None or item.data(_ID) is None:
            return None
        return int(item.data(_ID))

    def show_meeting(self) -> None:
        meeting_id = self.selected_meeting()
        has = meeting_id is not None
        for widget in (
            self.copy_button,
            self.door_button,
            self.add_item_button,
            self.add_motion_button,
            self.delete_button,
        ):
            widget.setEnabled(has)
        self.agenda_list.clear()
        self.attendees.clear()
        self.apologies_list.clear()
        self.ledger_table.setRowCount(0)
        if meeting_id is None:
            self.title_label.setText("<b>No meeting selected</b>")
            self.apologies_label.setText("Apologies")
            return
        with self.database.session() as session:
            summary = attendance_summary(session, meeting_id)
            agenda = [
                (item.id, item.title, item.kind, item.motion_text)
                for item in session.scalars(
                    select(AgendaItem)
                    .where(AgendaItem.meeting_id == meeting_id)
                    .order_by(AgendaItem.position, AgendaItem.id)
                )
            ]
            lines = ledger(session, meeting_id)
        meeting = summary.meeting
        start = meeting.starts_at
        venue = f" · {meeting.venue}" if meeting.venue else ""
        self.title_label.setText(
            f"<b>{meeting.title}</b><br>{start:%A} {start.day} {start:%B %Y, %H:%M}"
            f" · {meeting.kind_label}{venue}"
        )
        none = QListWidgetItem("(no item: the meeting as a whole)")
        none.setData(_ID, None)
        self.agenda_list.addItem(none)
        # Numbered as printed, from 1, whatever positions the items are stored at.
        for number, (item_id, title, kind, motion_text) in enumerate(agenda, start=1):
            text = f"{number}. Motion: {title}" if kind == "motion" else f"{number}. {title}"
            row = QListWidgetItem(text)
            row.setData(_ID, item_id)
            if motion_text:
                row.setToolTip(motion_text)
            self.agenda_list.addItem(row)
        self.agenda_list.setCurrentRow(0)
        for person_id, name in summary.present:
            row = QListWidgetItem(name)
            row.setData(_ID, person_id)
            self.attendees.addItem(row)
        if summary.present:
            self.attendees.setCurrentRow(0)
        self.present_box.setTitle(f"Present ({len(summary.present)})")
        self.apologies_label.setText(f"Apologies ({len(summary.apologies)})")
        self.apologies_list.addItems([name for _pid, name in summary.apologies])
        self._fill_ledger(lines)

    def _fill_ledger(self, lines: list[LedgerLine]) -> None:
        self.ledger_table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            values = [line.name, line.kind_label, line.agenda_item or "", line.note or ""]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                cell.setData(_ID, line.id)
                self.ledger_table.setItem(row, column, cell)

    def add_meeting(self) -> None:
        dialog = AddMeetingDialog(self)
        accepted = dialog.exec() == AddMeetingDialog.DialogCode.Accepted
        new = dialog.new_meeting()
        dialog.deleteLater()
        if not accepted:
            return
        try:
            with self.database.session() as session:
                meeting_id = add_meeting(session, new)
        except UserError as error:
            self.say(str(error), ok=False)
            return
        self.load_meetings(meeting_id)
        self.say(f"Added the meeting “{' '.join(new.title.split())}”.", ok=True)

    def copy_selected(self) -> None:
        meeting_id = self.selected_meeting()
        if meeting_id is None:
            return
        with self.database.session() as session:
            starts = attendance_summary(session, meeting_id).meeting.starts_at
        dialog = CopyMeetingDialog(starts, self)
        accepted = dialog.exec() == CopyMeetingDialog.DialogCode.Accepted
        when = dialog.starts_at()
        dialog.deleteLater()
        if not accepted:
            return
        try:
            with self.database.session() as session:
                copy_id = copy_meeting(session, meeting_id, when)
        except UserError as error:
            self.say(str(error), ok=False)
            return
        self.load_meetings(copy_id)
        self.say(f"Copied to {when:%a} {when.day} {when:%b %Y %H:%M}.", ok=True)

    def open_door(self) -> CheckInWindow | None:
        meeting_id = self.selected_meeting()
        if meeting_id is None:
            return None
        if self.door is not None:
            self.door.close()
        self.door = show_owned(CheckInWindow(self.database, meeting_id, self), self._door_closed)
        return self.door

    def _door_closed(self) -> None:
        self.door = None
        # The door goes with this window when it closes; nothing is left to refresh then.
        if not self._closing:
            self.load_meetings()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self.door is not None:
            self.door.close()
        super().closeEvent(event)

    # agenda and ledger ---------------------------------------------------------------

    def selected_agenda_item(self) -> int | None:
        item = self.agenda_list.currentItem()
        if item is None or item.data(_ID) is None:
            return None
        return int(item.data(_ID))

    def add_agenda(self, *, motion: bool) -> None:
        meeting_id = self.selected_meeting()
        if meeting_id is None:
            return
        dialog = AgendaItemDialog(motion=motion, parent=self)
        accepted = dialog.exec() == AgendaItemDialog.DialogCode.Accepted
        title, text = dialog.title_edit.text(), dialog.motion_text()
        dialog.deleteLater()
        if not accepted:
            return
        try:
            with self.database.session() as session:
                item_id = add_agenda_item(session, meeting_id, title, motion_text=text)
        except UserError as error:
            self.say(str(error), ok=False)
            return
        self.show_meeting()
        for row in range(self.agenda_list.count()):
            if self.agenda_list.item(row).data(_ID) == item_id:
                self.agenda_list.setCurrentRow(row)
        self.say(f"Added “{' '.join(title.split())}” to the agenda.", ok=True)

    def record(self, kind: str) -> None:
        meeting_id = self.selected_meeting()
        person = self.attendees.currentItem()
        if meeting_id is None or person is None:
            self.say("Choose someone in the Present list first.", ok=False)
            return
        person_id = int(person.data(_ID))
        try:
            with self.database.session() as session:
                record_contribution(
                    session, meeting_id, person_id, kind, agenda_item_id=self.selected_agenda_item()
                )
                lines = ledger(session, meeting_id)
        except UserError as error:
            self.say(str(error), ok=False)
            return
        self._fill_ledger(lines)
        self.say(f"{person.text()}: {CONTRIBUTION_KIND_LABELS.get(kind, kind)}.", ok=True)

    def delete_selected_line(self) -> None:
        row = self.ledger_table.currentRow()
        cell = self.ledger_table.item(row, 0) if row >= 0 else None
        meeting_id = self.selected_meeting()
        if cell is None or meeting_id is None:
            self.say("Choose a line of the ledger to delete.", ok=False)
            return
        what_cell = self.ledger_table.item(row, 1)
        what = f"{cell.text()}: {what_cell.text() if what_cell is not None else ''}"
        try:
            with self.database.session() as session:
                delete_contribution(session, int(cell.data(_ID)))
                lines = ledger(session, meeting_id)
        except UserError as error:
            self.say(str(error), ok=False)
            return
        self._fill_ledger(lines)
        if lines:
            self.ledger_table.selectRow(min(row, len(lines) - 1))
        self.say(f"Deleted “{what}”.", ok=True)

    def say(self, text: str, *, ok: bool) -> None:
        self.status.setStyleSheet(_OK_STYLE if ok else _PROBLEM_STYLE)
        self.status.setText(text)
