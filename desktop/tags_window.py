"""People → Tags…: the branch's labels ("has a car", "Welsh speaker") with how many carry
each; new, rename and delete; who carries the chosen one; and tagging or untagging people
picked by typing their names.

Each change is its own short transaction; a refusal (a name taken, a label too long) is
said in one sentence and nothing changes. Each change can be undone (Ctrl+Z) and redone
(Ctrl+Shift+Z, Ctrl+Y): undoing a delete puts back the same tag on the same people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.activity_log import person_names
from db.database import Database
from db.tags import (
    DeletedTag,
    Tagged,
    TagRow,
    add_tag,
    forget_tag,
    list_tags,
    people_with_tag,
    rename_tag,
    restore_tag,
    tag_people,
    untag_people,
)
from desktop import window_state
from desktop.person_picker import PersonPicker
from desktop.undo_actions import action_button
from desktop.undo_history import CoreCommand, UndoHistory

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SHOWN = 1000  # carriers listed; a tag on 30,000 people is counted, not read out
_ID = Qt.ItemDataRole.UserRole


def people_count(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def _tidy(label: str) -> str:
    return " ".join(label.split())


class TagCommand(CoreCommand):
    """A change to the tags; ``shown`` is the tag to select once it is done or undone."""

    shown: str | None = None


class NewTag(TagCommand):
    """Make a tag nobody carries; undone, it is deleted (refused once someone has it),
    redone, put back with the same id."""

    def __init__(self, label: str) -> None:
        super().__init__(f"new tag “{_tidy(label)}”")
        self.name = _tidy(label)
        self.tag_id: int | None = None

    def forward(self, session: Session) -> None:
        if self.tag_id is None:
            self.tag_id = add_tag(session, self.name)
        else:
            restore_tag(session, self.tag_id, self.name, ())
        self.shown = self.name

    def backward(self, session: Session) -> None:
        forget_tag(session, self.name, unused_only=True)
        self.shown = None


class RenameTag(TagCommand):
    def __init__(self, name: str, new_label: str) -> None:
        super().__init__(f"rename tag “{name}” to “{_tidy(new_label)}”")
        self.old, self.new = name, _tidy(new_label)
        self.renamed = False

    @property
    def changed(self) -> bool:
        return self.renamed

    def forward(self, session: Session) -> None:
        edited = rename_tag(session, self.old, self.new)
        if self.first:
            self.renamed = bool(edited.changed)
        self.shown = self.new

    def backward(self, session: Session) -> None:
        rename_tag(session, self.new, self.old)
        self.shown = self.old


class DeleteTag(TagCommand):
    """Delete a tag; undone, the same tag (same id) is put back on the same people."""

    def __init__(self, name: str) -> None:
        super().__init__(f"delete tag “{name}”")
        self.name = name
        self.deleted: DeletedTag | None = None

    def forward(self, session: Session) -> None:
        self.deleted = forget_tag(session, self.name)
        self.shown = None

    def backward(self, session: Session) -> None:
        assert self.deleted is not None
        d = self.deleted
        restore_tag(session, d.id, d.name, d.person_ids)
        self.shown = d.name


class TagPeople(TagCommand):
    """Give the tag to people (``give``) or take it off them; the reverse is done for
    exactly those whom it changed."""

    def __init__(self, name: str, person_ids: list[int], *, give: bool) -> None:
        super().__init__(self._words(name, len(person_ids), give))
        self.name, self.people, self.give = name, person_ids, give
        self.shown = name
        self.done: Tagged | None = None

    @staticmethod
    def _words(name: str, count: int, give: bool) -> str:
        return (
            f"give “{name}” to {people_count(count)}"
            if give
            else (f"take “{name}” off {people_count(count)}")
        )

    @property
    def changed(self) -> bool:
        return self.done is not None and bool(self.done.changed)

    def forward(self, session: Session) -> None:
        if self.first:
            work = tag_people if self.give else untag_people
            self.done = work(session, self.name, self.people)
            self.setText(self._words(self.name, len(self.done.changed), self.give))
        else:
            assert self.done is not None
            (tag_people if self.give else untag_people)(session, self.name, self.done.changed)

    def backward(self, session: Session) -> None:
        assert self.done is not None
        (untag_people if self.give else tag_people)(session, self.name, self.done.changed)


class TagsWindow(QWidget):
    OBJECT_NAME = "tagsWindow"
    SETTINGS_KEY = "TagsWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.tags: list[TagRow] = []
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Tags — Branchbook")
        self.setMinimumSize(860, 520)
        self.history = UndoHistory(self, database, self._refresh)
        self.history.said.connect(self.say)
        self.addActions(self.history.actions())  # Ctrl+Z anywhere in the window
        self._build()
        self._connect()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1180, 700)
        self.reload()

    # layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.tag_list = QTreeWidget()
        self.tag_list.setObjectName("tagList")
        self.tag_list.setHeaderLabels(["Tag", "People"])
        self.tag_list.setRootIsDecorated(False)
        self.tag_list.setUniformRowHeights(True)
        self.tag_list.setAlternatingRowColors(True)
        header = self.tag_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = QPushButton("&New tag…")
        self.new_button.setObjectName("newTagButton")
        self.rename_button = QPushButton("Rena&me…")
        self.rename_button.setObjectName("renameTagButton")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setObjectName("deleteTagButton")
        tag_buttons = QHBoxLayout()
        tag_buttons.addWidget(self.new_button)
        tag_buttons.addWidget(self.rename_button)
        tag_buttons.addWidget(self.delete_button)
        tags_box = QGroupBox("Tags")
        tags_layout = QVBoxLayout(tags_box)
        tags_layout.addWidget(self.tag_list, 1)
        tags_layout.addLayout(tag_buttons)

        self.carriers = QListWidget()
        self.carriers.setObjectName("tagCarriers")
        self.carriers.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.carriers_note = QLabel(" ")
        self.carriers_note.setStyleSheet("color: #555;")
        self.untag_selected_button = QPushButton("&Take the tag off the selected")
        self.untag_selected_button.setObjectName("untagSelectedButton")
        carrier_buttons = QHBoxLayout()
        carrier_buttons.addWidget(self.carriers_note, 1)
        carrier_buttons.addWidget(self.untag_selected_button)
        self.carriers_box = QGroupBox("Who has it")
        carriers_layout = QVBoxLayout(self.carriers_box)
        carriers_layout.addWidget(self.carriers, 1)
        carriers_layout.addLayout(carrier_buttons)

        self.picker = PersonPicker(self.database, self, chosen_title="To tag or untag")
        self.picker.setObjectName("tagPicker")
        self.tag_button = QPushButton("&Give them the tag")
        self.tag_button.setObjectName("tagPeopleButton")
        self.untag_button = QPushButton("Take the tag &off them")
        self.untag_button.setObjectName("untagPeopleButton")
        picker_buttons = QHBoxLayout()
        picker_buttons.addStretch(1)
        picker_buttons.addWidget(self.tag_button)
        picker_buttons.addWidget(self.untag_button)
        self.picker_box = QGroupBox("Tag people")
        picker_layout = QVBoxLayout(self.picker_box)
        picker_layout.addWidget(self.picker, 1)
        picker_layout.addLayout(picker_buttons)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.carriers_box)
        right.addWidget(self.picker_box)
        right.setChildrenCollapsible(False)
        right.setSizes([300, 360])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(tags_box)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 840])

        self.status = QLabel(" ")
        self.status.setObjectName("tagsStatus")
        self.close_button = QPushButton("Close")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(action_button(self.history.undo_action))
        bottom.addWidget(action_button(self.history.redo_action))
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.tag_list.currentItemChanged.connect(lambda *_: self._tag_chosen())
        self.tag_list.itemDoubleClicked.connect(lambda *_: self.rename_selected())
        self.new_button.clicked.connect(lambda: self.new_tag())
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.untag_selected_button.clicked.connect(lambda: self.untag_selected_carriers())
        self.tag_button.clicked.connect(lambda: self.tag_picked())
        self.untag_button.clicked.connect(lambda: self.untag_picked())
        self.close_button.clicked.connect(lambda: self.close())
        self.carriers.itemSelectionChanged.connect(self._update_buttons)
        self.picker.changed.connect(self._update_buttons)
        for widget, key, act in (
            (self.tag_list, Qt.Key.Key_F2, self.rename_selected),
            (self.tag_list, Qt.Key.Key_Delete, self.delete_selected),
            (self.carriers, Qt.Key.Key_Delete, self.untag_selected_carriers),
        ):
            shortcut = QShortcut(QKeySequence(key), widget, act)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.new_tag())

    # the tags ------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        keep = select if select is not None else self.selected_tag()
        with self.database.session() as session:
            self.tags = list_tags(session)
        self.tag_list.blockSignals(True)
        self.tag_list.clear()
        chosen: QTreeWidgetItem | None = None
        for tag in self.tags:
            item = QTreeWidgetItem([tag.name, f"{tag.people:,}"])
            item.setData(0, _ID, tag.name)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tag_list.addTopLevelItem(item)
            if keep is not None and tag.name.casefold() == keep.casefold():
                chosen = item
        if chosen is None and self.tag_list.topLevelItemCount():
            chosen = self.tag_list.topLevelItem(0)
        if chosen is not None:
            self.tag_list.setCurrentItem(chosen)
        self.tag_list.blockSignals(False)
        self._tag_chosen()

    def _refresh(self, command: CoreCommand) -> None:
        """After a change, its undo or its redo: the tags as they are, the one it was
        about chosen (when it is still there)."""
        self.reload(select=command.shown if isinstance(command, TagCommand) else None)

    def selected_tag(self) -> str | None:
        item = self.tag_list.currentItem()
        return None if item is None else str(item.data(0, _ID))

    def _tag_chosen(self) -> None:
        name = self.selected_tag()
        self.carriers.clear()
        if name is None:
            self.carriers_box.setTitle("Who has it")
            self.picker_box.setTitle("Tag people")
            self.carriers_note.setText("Make a tag with New tag… first." if not self.tags else " ")
            self._update_buttons()
            return
        with self.database.session() as session:
            ids = people_with_tag(session, name)
            names = person_names(session, ids[:SHOWN])
        for pid in ids[:SHOWN]:
            item = QListWidgetItem(names.get(pid, f"Person {pid}"))
            item.setData(_ID, pid)
            self.carriers.addItem(item)
        self.carriers_box.setTitle(f"Who has “{name}” ({len(ids):,})")
        self.picker_box.setTitle(f"Give “{name}” to people, or take it off them")
        if not ids:
            self.carriers_note.setText("Nobody has this tag yet.")
        elif len(ids) > SHOWN:
            self.carriers_note.setText(f"The first {SHOWN:,} of {len(ids):,}, alphabetical.")
        else:
            self.carriers_note.setText(" ")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_tag = self.selected_tag() is not None
        picked = bool(self.picker.person_ids())
        self.rename_button.setEnabled(has_tag)
        self.delete_button.setEnabled(has_tag)
        self.untag_selected_button.setEnabled(has_tag and bool(self.carriers.selectedItems()))
        self.tag_button.setEnabled(has_tag and picked)
        self.untag_button.setEnabled(has_tag and picked)

    def new_tag(self, label: str | None = None) -> None:
        if label is None:
            label, ok = QInputDialog.getText(
                self, "New tag", "Label for the new tag (e.g. “Has a car”):"
            )
            if not ok:
                return
        command = NewTag(label)
        if self.history.run(command):
            self.say(f"Made the tag “{command.name}”; now give it to people below.")

    def rename_selected(self, new_label: str | None = None) -> None:
        name = self.selected_tag()
        if name is None:
            return
        if new_label is None:
            new_label, ok = QInputDialog.getText(
                self, "Rename tag", f"New label for “{name}”:", QLineEdit.EchoMode.Normal, name
            )
            if not ok:
                return
        command = RenameTag(name, new_label)
        if self.history.run(command):
            self.say(f"Renamed “{name}” to “{command.new}”; everyone keeps it.")

    def delete_selected(self) -> None:
        name = self.selected_tag()
        if name is None:
            return
        count = next((tag.people for tag in self.tags if tag.name == name), 0)
        question = (
            f"Delete the tag “{name}”? {people_count(count)} "
            f"{'carries' if count == 1 else 'carry'} it, and will lose it."
            if count
            else f"Delete the tag “{name}”? Nobody carries it."
        )
        answer = QMessageBox.question(
            self,
            "Delete tag",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        command = DeleteTag(name)
        if self.history.run(command) and command.deleted is not None:
            lost = people_count(len(command.deleted.person_ids))
            self.say(f"Deleted the tag “{name}”; {lost} lost it. Ctrl+Z brings it back.")

    # tagging -------------------------------------------------------------------------

    def tag_picked(self) -> None:
        name = self.selected_tag()
        people = self.picker.person_ids()
        if name is None or not people:
            return
        done = self._tag(TagPeople(name, people, give=True))
        if done is not None:
            self.picker.clear()
            self._after(done, "Gave", "had it already")

    def untag_picked(self) -> None:
        name = self.selected_tag()
        people = self.picker.person_ids()
        if name is None or not people:
            return
        done = self._tag(TagPeople(name, people, give=False))
        if done is not None:
            self.picker.clear()
            self._after(done, "Took", "did not have it")

    def untag_selected_carriers(self) -> None:
        name = self.selected_tag()
        people = [int(item.data(_ID)) for item in self.carriers.selectedItems()]
        if name is None or not people:
            return
        done = self._tag(TagPeople(name, people, give=False))
        if done is not None:
            self._after(done, "Took", "did not have it")

    def _after(self, done: Tagged, verb: str, unchanged: str) -> None:
        where = "to" if verb == "Gave" else "off"
        text = f"{verb} “{done.name}” {where} {people_count(len(done.changed))}"
        if done.unchanged:
            text += f"; {people_count(len(done.unchanged))} {unchanged}"
        self.say(text + ".")

    def _tag(self, command: TagPeople) -> Tagged | None:
        """Tag or untag through the undo history; what was done, even when it changed
        nobody (and so is not on the stack); None if refused."""
        self.history.run(command)
        return command.done

    def say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_tags(window: MainWindow) -> None:
    """People → Tags…: one window, raised when already open."""
    if window_state.raise_open(window, TagsWindow) is not None:
        return
    window_state.show_owned(TagsWindow(window.database, window), lambda: None)
