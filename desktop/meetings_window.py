"""The meetings window: every meeting on the left, and for the chosen one its agenda, who
came, and the participation ledger on the right.

The ledger is kept from the keyboard: with the attendee list focused, one letter records
what the selected person did (S spoke, Q question, P proposed, E seconded, C chaired,
M minutes, V volunteered) against the selected agenda item; with the ledger focused the
same letter changes the selected line, and F2 or Enter types its note. A meeting is edited
with Ctrl+E or a double-click, an agenda item with F2 or a double-click. Each action is its
own short transaction, committed at once; a refusal from the database is shown in the status
line. The widgets and their places are in ``meetings_layout``; this module gives them life.

Every edit made here can be undone (Ctrl+Z) and redone (Ctrl+Shift+Z, Ctrl+Y): the commands
are in ``meetings_commands``, the buttons' tooltips name what. Check-ins at the door are the
check-in window's, with its own Ctrl+Z. A field being typed in keeps Ctrl+Z for its text.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidgetItem, QWidget

from db.database import Database
from db.meeting_ledger import AgendaLine, LedgerLine, agenda, ledger
from db.meetings import MeetingRow, attendance_summary, list_meetings, meeting_form
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS
from desktop.checkin_window import AddMeetingDialog, CheckInWindow
from desktop.meeting_dialogs import AgendaItemDialog, CopyMeetingDialog, MeetingDialog
from desktop.meetings_commands import (
    AddAgendaItem,
    AddMeeting,
    CopyMeeting,
    DeleteContribution,
    EditAgendaItem,
    EditContribution,
    EditMeeting,
    MeetingCommand,
    RecordContribution,
    RemoveAgendaItem,
)
from desktop.meetings_layout import MeetingsLayout
from desktop.undo_history import CoreCommand, UndoHistory
from desktop.window_state import show_owned

_OK_STYLE = "color: #1b5e20;"
_PROBLEM_STYLE = "color: #b71c1c;"
_ID = Qt.ItemDataRole.UserRole


def meeting_line(meeting: MeetingRow) -> str:
    """Two lines: when and what kind; then the title and who came."""
    start = meeting.starts_at
    return (
        f"{start:%a} {start.day} {start:%b %Y %H:%M}  ·  {meeting.kind_label}\n"
        f"{meeting.title}  ·  {meeting.present} present, {meeting.apologies} apologies"
    )


class MeetingsWindow(MeetingsLayout):
    def __init__(
        self, database: Database, parent: QWidget | None = None, now: dt.datetime | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._now = now
        self.door: CheckInWindow | None = None
        self._closing = False
        self._agenda: dict[int, AgendaLine] = {}  # the shown meeting's items, by id
        self.setObjectName("meetingsWindow")
        self.setWindowTitle("Meetings — Branchbook")
        self.setMinimumSize(900, 560)
        self.resize(1280, 760)
        self.history = UndoHistory(
            self, database, self._refresh, lambda error: self.say(str(error), ok=False)
        )
        self.undo_action, self.redo_action = self.history.actions()
        self.addActions([self.undo_action, self.redo_action])
        self.undo_button.setDefaultAction(self.undo_action)
        self.redo_button.setDefaultAction(self.redo_action)
        self.history.said.connect(lambda sentence: self.say(sentence, ok=True))
        self._connect()
        self.load_meetings()

    def _connect(self) -> None:
        self.meeting_list.currentItemChanged.connect(lambda *_: self.show_meeting())
        self.meeting_list.itemDoubleClicked.connect(
            lambda item: self.edit_meeting() if item.data(_ID) is not None else None
        )
        QShortcut(QKeySequence("Ctrl+E"), self, lambda: self.edit_meeting())
        self.agenda_list.currentItemChanged.connect(lambda *_: self._agenda_item_chosen())
        self.agenda_list.itemDoubleClicked.connect(lambda _item: self.edit_agenda_item())
        for key, act in (
            (Qt.Key.Key_F2, self.edit_agenda_item),
            (Qt.Key.Key_Delete, self.remove_agenda_item),
        ):
            shortcut = QShortcut(QKeySequence(key), self.agenda_list, act)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.attendees.kind_pressed.connect(self.record)
        self.ledger_table.kind_chosen.connect(self.change_kind)
        self.ledger_table.note_typed.connect(self.change_note)
        self.ledger_table.delete_asked.connect(self.delete_selected_line)
        for button, action in (
            (self.add_button, self.add_meeting),
            (self.edit_button, self.edit_meeting),
            (self.copy_button, self.copy_selected),
            (self.door_button, self.open_door),
            (self.add_item_button, lambda: self.add_agenda(motion=False)),
            (self.add_motion_button, lambda: self.add_agenda(motion=True)),
            (self.edit_item_button, self.edit_agenda_item),
            (self.remove_item_button, self.remove_agenda_item),
            (self.delete_button, self.delete_selected_line),
        ):
            button.clicked.connect(lambda _checked=False, act=action: act())

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
            self.edit_button,
            self.copy_button,
            self.door_button,
            self.add_item_button,
            self.add_motion_button,
            self.delete_button,
        ):
            widget.setEnabled(has)
        self._agenda = {}
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
            items = agenda(session, meeting_id)
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
        self._agenda = {line.id: line for line in items}
        for line in items:
            motion = "Motion: " if line.is_motion else ""
            row = QListWidgetItem(f"{line.number}. {motion}{line.title}")
            row.setData(_ID, line.id)
            if line.motion_text:
                row.setToolTip(line.motion_text)
            self.agenda_list.addItem(row)
        self.agenda_list.setCurrentRow(0)
        for person_id, name in summary.present:
            row = QListWidgetItem(name)
            row.setData(_ID, person_id)
            self.attendees.addItem(row)
        if summary.present:
            self.attendees.setCurrentRow(0)
        erased = f", {summary.erased_present} since erased" if summary.erased_present else ""
        self.present_box.setTitle(f"Present ({summary.present_count}{erased})")
        self.apologies_label.setText(f"Apologies ({summary.apologies_count})")
        self.apologies_list.addItems([name for _pid, name in summary.apologies])
        self.ledger_table.fill(lines)

    def add_meeting(self) -> None:
        dialog = AddMeetingDialog(self)
        accepted = dialog.exec() == AddMeetingDialog.DialogCode.Accepted
        new = dialog.new_meeting()
        dialog.deleteLater()
        if accepted and self.history.run(AddMeeting(new)):
            self.say(f"Added the meeting “{' '.join(new.title.split())}”.", ok=True)

    def edit_meeting(self) -> None:
        meeting_id = self.selected_meeting()
        if meeting_id is None:
            self.say("Choose a meeting to edit.", ok=False)
            return
        with self.database.session() as session:
            current = meeting_form(session, meeting_id)
        dialog = MeetingDialog(current, self)
        accepted = dialog.exec() == MeetingDialog.DialogCode.Accepted
        changes = dialog.meeting()
        dialog.deleteLater()
        if not accepted:
            return
        command = EditMeeting(meeting_id, changes)
        if self.history.run(command):
            self.say(f"Saved the meeting “{' '.join(changes.title.split())}”.", ok=True)
        elif not command.changed:
            self.say("Nothing was changed.", ok=True)

    def copy_selected(self) -> None:
        meeting_id = self.selected_meeting()
        if meeting_id is None:
            return
        with self.database.session() as session:
            meeting = attendance_summary(session, meeting_id).meeting
        dialog = CopyMeetingDialog(meeting.starts_at, self)
        accepted = dialog.exec() == CopyMeetingDialog.DialogCode.Accepted
        when = dialog.starts_at()
        dialog.deleteLater()
        if accepted and self.history.run(CopyMeeting(meeting_id, meeting.title, when)):
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
        if accepted and self.history.run(AddAgendaItem(meeting_id, title, text)):
            self.say(f"Added “{' '.join(title.split())}” to the agenda.", ok=True)

    def _select_agenda_item(self, item_id: int) -> None:
        for row in range(self.agenda_list.count()):
            if self.agenda_list.item(row).data(_ID) == item_id:
                self.agenda_list.setCurrentRow(row)

    def _agenda_item_chosen(self) -> None:
        chosen = self.selected_agenda_item() is not None
        self.edit_item_button.setEnabled(chosen)
        self.remove_item_button.setEnabled(chosen)

    def edit_agenda_item(self) -> None:
        line = self._agenda.get(self.selected_agenda_item() or 0)
        meeting_id = self.selected_meeting()
        if line is None or meeting_id is None:
            self.say("Choose an agenda item to edit.", ok=False)
            return
        dialog = AgendaItemDialog(
            motion=line.is_motion, parent=self, title=line.title, motion_text=line.motion_text
        )
        accepted = dialog.exec() == AgendaItemDialog.DialogCode.Accepted
        title, text = dialog.title_edit.text(), dialog.motion_text()
        dialog.deleteLater()
        if not accepted:
            return
        command = EditAgendaItem(meeting_id, line.id, line.title, title, text)
        if self.history.run(command):
            self.say("Saved the agenda item.", ok=True)
        elif not command.changed:
            self.say("Nothing was changed.", ok=True)

    def remove_agenda_item(self) -> None:
        line = self._agenda.get(self.selected_agenda_item() or 0)
        meeting_id = self.selected_meeting()
        if line is None or meeting_id is None:
            self.say("Choose an agenda item to remove.", ok=False)
            return
        row = self.agenda_list.currentRow()
        if self.history.run(RemoveAgendaItem(meeting_id, line.id, line.title)):
            self.agenda_list.setCurrentRow(min(row, self.agenda_list.count() - 1))
            self.say(f"Took “{line.title}” off the agenda.", ok=True)

    def record(self, kind: str) -> None:
        meeting_id = self.selected_meeting()
        person = self.attendees.currentItem()
        if meeting_id is None or person is None:
            self.say("Choose someone in the Present list first.", ok=False)
            return
        name = person.text()
        command = RecordContribution(
            meeting_id, int(person.data(_ID)), name, kind, self.selected_agenda_item()
        )
        if self.history.run(command):
            self.say(f"{name}: {CONTRIBUTION_KIND_LABELS.get(kind, kind)}.", ok=True)

    def delete_selected_line(self) -> None:
        row = self.ledger_table.currentRow()
        line = self.ledger_table.line_at(row)
        meeting_id = self.selected_meeting()
        if line is None or meeting_id is None:
            self.say("Choose a line of the ledger to delete.", ok=False)
            return
        what = self.ledger_table.describe(row)
        if self.history.run(DeleteContribution(meeting_id, line, what)):
            count = self.ledger_table.rowCount()
            if count:
                self.ledger_table.selectRow(min(row, count - 1))
            self.say(f"Deleted “{what}”.", ok=True)

    def change_kind(self, contribution_id: int, kind: str) -> None:
        """What the line's person did, corrected: the ledger's What column or a letter key."""
        self._edit_line(contribution_id, kind=kind)

    def change_note(self, contribution_id: int, note: str) -> None:
        self._edit_line(contribution_id, note=note)

    def _edit_line(
        self, contribution_id: int, *, kind: str | None = None, note: str | None = None
    ) -> None:
        meeting_id = self.selected_meeting()
        row = self.ledger_table.row_of(contribution_id)
        if meeting_id is None or row is None:
            return
        cell = self.ledger_table.item(row, 0)
        name = cell.text() if cell is not None else "someone"
        command = EditContribution(meeting_id, contribution_id, name, kind=kind, note=note)
        if not self.history.run(command):
            return
        line = self._line(contribution_id)
        if line is not None:
            said = f"note “{line.note}”" if line.note else "no note"
            self.say(f"{line.name}: {line.kind_label if kind is not None else said}.", ok=True)

    def _line(self, contribution_id: int) -> LedgerLine | None:
        meeting_id = self.selected_meeting()
        if meeting_id is None:
            return None
        with self.database.session() as session:
            fresh = {line.id: line for line in ledger(session, meeting_id)}
        return fresh.get(contribution_id)

    # undo ----------------------------------------------------------------------------

    def undo(self) -> bool:
        return self.history.undo()

    def redo(self) -> bool:
        return self.history.redo()

    def _refresh(self, command: CoreCommand) -> None:
        """Show the database after ``command`` (applied, undone or redone), keeping what
        was chosen: the agenda item and the person present, so recording goes on."""
        if not isinstance(command, MeetingCommand):
            return
        if isinstance(command, EditContribution) and command.meeting_id == self.selected_meeting():
            # Only the line: the table may be in the middle of saving an edited cell.
            assert command.contribution_id is not None
            line = self._line(command.contribution_id)
            if line is not None:
                self.ledger_table.show_line(line)
            else:
                self.say("That line of the ledger is no longer there.", ok=False)
            return
        same = command.meeting_id == self.selected_meeting()
        item = command.agenda_item_id or (self.selected_agenda_item() if same else None)
        person = self.attendees.currentItem()
        person_id = person.data(_ID) if person is not None and same else None
        line_row = self.ledger_table.currentRow()
        self.load_meetings(command.meeting_id)
        if item is not None:
            self._select_agenda_item(item)
        for row in range(self.attendees.count()):
            if self.attendees.item(row).data(_ID) == person_id:
                self.attendees.setCurrentRow(row)
        chosen = (
            self.ledger_table.row_of(command.contribution_id)
            if command.contribution_id is not None
            else None
        )
        if chosen is None and same and 0 <= line_row < self.ledger_table.rowCount():
            chosen = line_row
        if chosen is not None:
            self.ledger_table.selectRow(chosen)

    def say(self, text: str, *, ok: bool) -> None:
        self.status.setStyleSheet(_OK_STYLE if ok else _PROBLEM_STYLE)
        self.status.setText(text)
