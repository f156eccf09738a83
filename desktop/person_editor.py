"""The person editor: one person's details, contacts, household, preferences, verifications
and history, every change an undoable command that calls the core.

A field's change is saved when the field is left or Enter is pressed, one command per
change; after each edit the editor re-reads the person and tells its opener (``changed``).
A save over someone else's newer edit is refused by the core: the sentence is shown, the
person re-read, and this window's undo history (which could now undo their work) dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QMainWindow,
    QToolBar,
    QTreeWidgetItem,
    QWidget,
)

from db.database import Database
from db.errors import Conflict, UserError
from db.models.vocabulary import (
    CHANNEL_LABELS,
    PERSON_STATUS_LABELS,
    VERIFICATION_SOURCE_LABELS,
)
from db.person_edit import ADDRESS_FIELDS, PERSON_FIELDS, Contact
from db.person_history import HistoryLine, person_history
from db.person_record import PersonRecord, person_record
from desktop import window_state
from desktop.person_editor_commands import (
    AddContact,
    ChangeContactKind,
    EditAddress,
    EditorCommand,
    EditPerson,
    MakePrimary,
    MarkVerified,
    MoveHousehold,
    RemoveContact,
    SetPreference,
)
from desktop.person_editor_household import HouseholdSearchDialog, NewAddressDialog
from desktop.person_editor_layout import DATE_FIELDS, ContactBox, EditorLayout
from desktop.undo_actions import undo_redo_actions

DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")
HISTORY_LIMIT = 500


def parse_date(text: str, label: str) -> dt.date | None:
    """A date as the secretary types it (25/12/1980, 1980-12-25...); blank is none."""
    text = text.strip()
    if not text:
        return None
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise UserError(f"'{text}' is not a date: type the {label} as day/month/year, like 25/12/1980.")


def show_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _local(at: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time in the laptop's own time zone."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _shown(value: Any, what: str = "") -> str:
    """A value from the audit trail as the secretary reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    for labels in (VERIFICATION_SOURCE_LABELS, PERSON_STATUS_LABELS):
        if what.endswith(("source", "status")) and text in labels:
            return labels[text]
    try:
        if len(text) == 10:
            return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
        if len(text) > 10 and text[10] == "T":
            return f"{_local(dt.datetime.fromisoformat(text)):%d/%m/%Y %H:%M}"
    except ValueError:
        pass
    return text


class PersonEditor(QMainWindow):
    """The editor window for one person; one undo stack of its own."""

    SETTINGS_KEY = "PersonEditor"
    changed = Signal(int)

    def __init__(self, database: Database, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personEditor")
        self.database = database
        self.person_id = person_id
        self.record: PersonRecord | None = None
        self.stack = QUndoStack(self)
        self._failure: UserError | None = None
        self._loading = False
        self.ui = EditorLayout()
        self.setCentralWidget(self.ui.central)
        self._build_actions()
        self._connect()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(780, 600)
        self.reload()

    # actions -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.undo_action, self.redo_action = undo_redo_actions(
            self, self.stack, self.undo, self.redo
        )
        self.reload_action = QAction("&Reload", self)
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.reload_action.triggered.connect(lambda: self.reload())
        self.close_action = QAction("&Close", self)
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.triggered.connect(self.close)
        person_menu = self.menuBar().addMenu("&Person")
        person_menu.addAction(self.reload_action)
        person_menu.addSeparator()
        person_menu.addAction(self.close_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        toolbar = QToolBar("Edit")
        toolbar.setObjectName("editorToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def _connect(self) -> None:
        ui = self.ui
        for name, edit in ui.text_fields.items():
            edit.editingFinished.connect(lambda n=name: self._field_left(n))
            edit.installEventFilter(self)
        ui.notes.installEventFilter(self)
        ui.status.activated.connect(lambda _index: self._set_status())
        ui.follow_up.clicked.connect(lambda checked: self._edit({"follow_up": bool(checked)}))
        for box in (ui.emails, ui.phones):
            box.list.currentItemChanged.connect(lambda *_a, b=box: self._contact_chosen(b))
            box.add_button.clicked.connect(lambda _c=False, b=box: self._add_contact(b))
            box.new_value.returnPressed.connect(lambda b=box: self._add_contact(b))
            box.remove_button.clicked.connect(lambda _c=False, b=box: self._remove_contact(b))
            box.primary_button.clicked.connect(lambda _c=False, b=box: self._make_primary(b))
            box.kind.activated.connect(lambda _i, b=box: self._change_kind(b))
        ui.save_address.clicked.connect(lambda: self._save_address())
        ui.move_button.clicked.connect(lambda: self.move_household())
        ui.move_out_button.clicked.connect(lambda: self.move_out())
        for channel, answer in ui.answers.items():
            answer.activated.connect(lambda _i, c=channel: self._answer_changed(c))
            ui.answer_how[channel].editingFinished.connect(lambda c=channel: self._how_left(c))
        for detail, button in ui.verify_buttons.items():
            button.clicked.connect(lambda _c=False, d=detail: self.mark_verified(d))
        ui.tabs.currentChanged.connect(lambda _index: self._load_history())

    # the undo stack ------------------------------------------------------------------

    def person_version(self) -> int | None:
        return self.record.version if self.record else None

    def household_version(self) -> int | None:
        household = self.record.household if self.record else None
        return household.version if household else None

    def command_failed(self, error: UserError) -> None:
        self._failure = error

    def command_done(self) -> None:
        self.reload()
        self.changed.emit(self.person_id)

    def run(self, command: EditorCommand) -> bool:
        """Apply an edit and put it on the undo stack; False if refused or a no-op."""
        try:
            command.apply()
        except UserError as error:
            self._refused(error)
            return False
        if not command.changed:
            self.reload()
            return False
        self.stack.push(command)
        self.command_done()
        return True

    def undo(self) -> None:
        self.commit_pending()
        self.stack.undo()
        self._settle()

    def redo(self) -> None:
        self.commit_pending()
        self.stack.redo()
        self._settle()

    def _settle(self) -> None:
        """After an undo or redo the core refused (someone else changed the person, or
        what it would restore is gone): say so, drop the history, show what is there."""
        if self._failure is None:
            return
        error, self._failure = self._failure, None
        self.stack.clear()
        self.reload()
        self.show_error(error)

    def _refused(self, error: UserError) -> None:
        if isinstance(error, Conflict):
            self.stack.clear()
        self.reload()
        self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        from desktop.errors import show_error

        show_error(self, error)

    # reading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the person as the database has them now."""
        try:
            with self.database.session() as session:
                record = person_record(session, self.person_id)
        except UserError as error:  # erased or merged away by someone else
            self.record = None
            self.ui.heading.setText(escape(str(error)))
            self.ui.tabs.setEnabled(False)
            return
        self.record = record
        self._loading = True
        try:
            self._show(record)
        finally:
            self._loading = False
        self._load_history()

    def _show(self, record: PersonRecord) -> None:
        ui = self.ui
        self.setWindowTitle(f"{record.full_name or 'Person'} — Branchbook")
        facts = [escape(record.status_label)]
        if record.membership_number:
            facts.append(f"membership number {escape(record.membership_number)}")
        facts.append(f"id {record.id}")
        ui.heading.setText(
            f"<span style='font-size:15pt;font-weight:600'>{escape(record.full_name)}</span>"
            f"&nbsp;&nbsp;<span style='color:#555'>{' · '.join(facts)}</span>"
        )
        for name, edit in ui.text_fields.items():
            value = getattr(record, name)
            edit.setText(show_date(value) if name in DATE_FIELDS else value or "")
        ui.status.setCurrentIndex(max(0, ui.status.findData(record.status)))
        ui.follow_up.setChecked(record.follow_up)
        ui.notes.setPlainText(record.notes or "")
        ui.notes.document().setModified(False)
        self._show_contacts(ui.emails, record.emails)
        self._show_contacts(ui.phones, record.phones)
        self._show_household(record)
        self._show_preferences(record)
        self._show_verified(record)

    def _show_contacts(self, box: ContactBox, contacts: list[Contact]) -> None:
        chosen = box.list.currentItem()
        chosen_id = chosen.data(0, Qt.ItemDataRole.UserRole) if chosen else None
        box.list.clear()
        for contact in contacts:
            item = QTreeWidgetItem(
                [contact.value, contact.kind.capitalize(), "Main" if contact.is_primary else ""]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, contact.id)
            box.list.addTopLevelItem(item)
            if contact.id == chosen_id:
                box.list.setCurrentItem(item)
        self._contact_chosen(box)

    def _show_household(self, record: PersonRecord) -> None:
        ui = self.ui
        household = record.household
        for name, edit in ui.address_fields.items():
            edit.setText((getattr(household, name) or "") if household else "")
        ui.residents.clear()
        if household is None:
            ui.address_where.setText("No address: type one and save it to give them one.")
            ui.save_address.setText("Save as &this person's address")
            ui.move_out_button.setEnabled(False)
            return
        ui.save_address.setText("Save as the new address for the &whole household")
        ui.move_out_button.setEnabled(bool(household.others))
        where = [f"Ward: {household.ward}"] if household.ward else []
        if household.polling_district:
            where.append(f"polling district {household.polling_district}")
        where.append(
            f"{len(household.others) + 1} living here" if household.others else "Lives alone"
        )
        ui.address_where.setText(" · ".join(where))
        for resident in household.others:
            ui.residents.addTopLevelItem(QTreeWidgetItem([resident.name, resident.status_label]))

    def _show_preferences(self, record: PersonRecord) -> None:
        ui = self.ui
        for channel, answer in ui.answers.items():
            preference = record.preferences.get(channel)
            allowed = None if preference is None else preference.allowed
            answer.setCurrentIndex(max(0, answer.findData(allowed)))
            ui.answer_how[channel].setText((preference.how or "") if preference else "")
            ui.answer_when[channel].setText(
                f"{_local(preference.recorded_at):%d %b %Y}" if preference else "—"
            )

    def _show_verified(self, record: PersonRecord) -> None:
        ui = self.ui
        for detail, label in ui.verified_on.items():
            verified = record.verified.get(detail)
            label.setText(f"{verified.verified_on:%d %b %Y}" if verified else "Never")
            how = ""
            if verified is not None:
                how = verified.source_label + (f" ({verified.note})" if verified.note else "")
            ui.verified_how[detail].setText(how)
            colour = "#b00020" if verified is not None and verified.doubted else "#555"
            ui.verified_how[detail].setStyleSheet(f"color:{colour}")

    def _load_history(self) -> None:
        """The audit trail, read only while its tab is showing."""
        if self.ui.tabs.currentWidget() is not self.ui.pages["history"]:
            return
        with self.database.session() as session:
            lines = person_history(session, self.person_id, limit=HISTORY_LIMIT)
        self.ui.history.clear()
        self.ui.history.addTopLevelItems([self._history_item(line) for line in lines])
        self.ui.history_note.setText(
            f"Newest first: the latest {HISTORY_LIMIT} changes."
            if len(lines) >= HISTORY_LIMIT
            else "Newest first. Every change made here, by an import or on the command line."
        )

    @staticmethod
    def _history_item(line: HistoryLine) -> QTreeWidgetItem:
        verb = {"insert": "added: ", "delete": "removed: "}.get(line.action, "")
        item = QTreeWidgetItem(
            [
                f"{_local(line.at):%d %b %Y %H:%M}",
                line.actor,
                f"{verb}{line.what}",
                _shown(line.old, line.what),
                _shown(line.new, line.what),
            ]
        )
        for column in (2, 3, 4):
            item.setToolTip(column, item.text(column))
        return item

    # editing: details ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # A field keeps Ctrl+Z for its own typing; untouched, the editor's Undo has it.
            undoing = event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                QKeySequence.StandardKey.Redo
            )
            if undoing and not self._modified(watched):
                return True
        if watched is self.ui.notes and event.type() == QEvent.Type.FocusOut:
            self._notes_left()
        return super().eventFilter(watched, event)

    def _modified(self, widget: QObject) -> bool:
        if isinstance(widget, QLineEdit):
            return widget.isModified()
        return widget is self.ui.notes and self.ui.notes.document().isModified()

    def commit_pending(self) -> None:
        """Save a field being typed in (before Undo, or when the window closes)."""
        for name, edit in self.ui.text_fields.items():
            if edit.isModified():
                self._field_left(name)
        if self.ui.notes.document().isModified():
            self._notes_left()

    def _field_left(self, name: str) -> None:
        if self._loading or self.record is None:
            return
        edit = self.ui.text_fields[name]
        edit.setModified(False)
        text = edit.text()
        try:
            value: Any = (
                parse_date(text, PERSON_FIELDS[name])
                if name in DATE_FIELDS
                else " ".join(text.split()) or None
            )
        except UserError as error:
            self._refused(error)
            return
        if value != (getattr(self.record, name) or None):
            self._edit({name: value})

    def _notes_left(self) -> None:
        if self._loading or self.record is None:
            return
        self.ui.notes.document().setModified(False)
        text = self.ui.notes.toPlainText().strip() or None
        if text != self.record.notes:
            self._edit({"notes": text})

    def _set_status(self) -> None:
        status = self.ui.status.currentData()
        if self.record is not None and status != self.record.status:
            self._edit({"status": status})

    def _edit(self, changes: dict[str, Any]) -> bool:
        if self._loading or self.record is None:
            return False
        return self.run(EditPerson(self, changes))

    # editing: contacts ---------------------------------------------------------------

    def _chosen_contact(self, box: ContactBox) -> Contact | None:
        item = box.list.currentItem()
        if item is None or self.record is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        contacts = self.record.emails if box.what == "email" else self.record.phones
        return next((c for c in contacts if c.id == wanted), None)

    def _contact_chosen(self, box: ContactBox) -> None:
        contact = self._chosen_contact(box)
        box.remove_button.setEnabled(contact is not None)
        box.kind.setEnabled(contact is not None)
        box.primary_button.setEnabled(contact is not None and not contact.is_primary)
        if contact is not None:
            box.kind.setCurrentIndex(box.kinds.index(contact.kind))

    def _add_contact(self, box: ContactBox) -> None:
        value = box.new_value.text()
        if not value.strip():
            box.new_value.setFocus()
            return
        kind = box.kinds[box.new_kind.currentIndex()]
        if self.run(AddContact(self, box.what, value, kind)):
            box.new_value.clear()

    def _remove_contact(self, box: ContactBox) -> None:
        contact = self._chosen_contact(box)
        if contact is not None:
            self.run(RemoveContact(self, contact))

    def _make_primary(self, box: ContactBox) -> None:
        contact = self._chosen_contact(box)
        if contact is not None and not contact.is_primary:
            self.run(MakePrimary(self, contact))

    def _change_kind(self, box: ContactBox) -> None:
        contact = self._chosen_contact(box)
        kind = box.kinds[box.kind.currentIndex()]
        if contact is not None and kind != contact.kind:
            self.run(ChangeContactKind(self, contact, kind))

    # editing: household --------------------------------------------------------------

    def _typed_address(self) -> dict[str, str]:
        return {name: self.ui.address_fields[name].text() for name in ADDRESS_FIELDS}

    def _save_address(self) -> None:
        if self.record is None:
            return
        typed = self._typed_address()
        household = self.record.household
        if household is None:
            address = {name: text for name, text in typed.items() if text.strip()}
            if address:
                self.run(MoveHousehold(self, None, address=address, text="give an address"))
            return
        changes = {
            name: " ".join(text.split()) or None
            for name, text in typed.items()
            if (" ".join(text.split()) or None) != (getattr(household, name) or None)
        }
        if changes:
            self.run(EditAddress(self, household.id, changes))

    def move_household(self) -> None:
        if self.record is None:
            return
        current = self.record.household.id if self.record.household else None
        dialog = HouseholdSearchDialog(self.database, self.record.full_name, current, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen()
        dialog.deleteLater()
        if accepted and chosen is not None:
            household_id, address = chosen
            self.run(MoveHousehold(self, household_id, text=f"move to {address}"))

    def move_out(self) -> None:
        if self.record is None:
            return
        dialog = NewAddressDialog(self.record.full_name, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        address = dialog.address()
        dialog.deleteLater()
        if accepted and address:
            self.run(MoveHousehold(self, None, address=address, text="move out to a new address"))

    # editing: preferences and verification -------------------------------------------

    def _answer_changed(self, channel: str) -> None:
        if self._loading or self.record is None:
            return
        allowed = self.ui.answers[channel].currentData()
        preference = self.record.preferences.get(channel)
        if allowed != (None if preference is None else preference.allowed):
            how = self.ui.answer_how[channel].text()
            self.run(SetPreference(self, channel, allowed, how))

    def _how_left(self, channel: str) -> None:
        if self._loading or self.record is None:
            return
        preference = self.record.preferences.get(channel)
        how = " ".join(self.ui.answer_how[channel].text().split()) or None
        if preference is not None and how != preference.how:
            command = SetPreference(self, channel, preference.allowed, how)
            command.setText(f"change how the {CHANNEL_LABELS[channel]} answer was recorded")
            self.run(command)

    def mark_verified(self, detail: str, on: dt.date | None = None) -> bool:
        how = self.ui.verify_how[detail].currentText()
        return self.run(MarkVerified(self, detail, how, on or dt.date.today()))

    # the window ----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.commit_pending()
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_person_editor(
    opener: QWidget,
    database: Database,
    person_id: int,
    changed: Callable[[int], None] | None = None,
) -> PersonEditor:
    """Show the editor for a person: the one already open for them, else a new window
    (deleted when closed), whose ``changed`` reaches ``changed``."""
    for editor in opener.findChildren(PersonEditor):
        if editor.person_id == person_id and editor.isVisible():
            editor.raise_()
            editor.activateWindow()
            return editor
    editor = PersonEditor(database, person_id, opener)
    if changed is not None:
        editor.changed.connect(changed)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor.show()
    return editor
