"""People → Tags…: the branch's labels ("has a car", "Welsh speaker") with how many carry
each; new, rename and delete; who carries the chosen one; and tagging or untagging people
picked by typing their names.

Each change is its own short transaction; a refusal (a name taken, a label too long) is
said in one sentence and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

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
from db.errors import UserError
from db.tags import (
    Tagged,
    TagRow,
    add_tag,
    delete_tag,
    list_tags,
    people_with_tag,
    rename_tag,
    tag_people,
    untag_people,
)
from desktop import window_state
from desktop.errors import show_error
from desktop.person_picker import PersonPicker

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

T = TypeVar("T")
SHOWN = 1000  # carriers listed; a tag on 30,000 people is counted, not read out
_ID = Qt.ItemDataRole.UserRole


def people_count(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


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
        if self.run(lambda session: add_tag(session, label)) is not None:
            name = " ".join(label.split())
            self.reload(select=name)
            self.say(f"Made the tag “{name}”; now give it to people below.")

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
        label = new_label
        edited = self.run(lambda session: rename_tag(session, name, label))
        if edited is not None:
            tidy = " ".join(label.split())
            self.reload(select=tidy)
            if edited.changed:
                self.say(f"Renamed “{name}” to “{tidy}”; everyone keeps it.")

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
        removed = self.run(lambda session: delete_tag(session, name))
        if removed is not None:
            self.reload()
            self.say(f"Deleted the tag “{name}”; {people_count(removed)} lost it.")

    # tagging -------------------------------------------------------------------------

    def tag_picked(self) -> None:
        name = self.selected_tag()
        people = self.picker.person_ids()
        if name is None or not people:
            return
        done = self.run(lambda session: tag_people(session, name, people))
        if done is not None:
            self.picker.clear()
            self._after(done, "Gave", "had it already")

    def untag_picked(self) -> None:
        name = self.selected_tag()
        people = self.picker.person_ids()
        if name is None or not people:
            return
        done = self.run(lambda session: untag_people(session, name, people))
        if done is not None:
            self.picker.clear()
            self._after(done, "Took", "did not have it")

    def untag_selected_carriers(self) -> None:
        name = self.selected_tag()
        people = [int(item.data(_ID)) for item in self.carriers.selectedItems()]
        if name is None or not people:
            return
        done = self.run(lambda session: untag_people(session, name, people))
        if done is not None:
            self._after(done, "Took", "did not have it")

    def _after(self, done: Tagged, verb: str, unchanged: str) -> None:
        self.reload(select=done.name)
        where = "to" if verb == "Gave" else "off"
        text = f"{verb} “{done.name}” {where} {people_count(len(done.changed))}"
        if done.unchanged:
            text += f"; {people_count(len(done.unchanged))} {unchanged}"
        self.say(text + ".")

    def run(self, work: Callable[[Session], T]) -> T | None:
        """``work(session)`` in one transaction; None, with the sentence shown, if refused
        (so ``work`` returns something: an id, a count)."""
        try:
            with self.database.session() as session:
                return work(session)
        except UserError as error:
            show_error(self, error)
            return None

    def say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_tags(window: MainWindow) -> None:
    """People → Tags…: one window, raised when already open."""
    shown = window.findChild(TagsWindow, TagsWindow.OBJECT_NAME)
    if shown is not None:
        shown.raise_()
        shown.activateWindow()
        return
    window_state.show_owned(TagsWindow(window.database, window), lambda: None)
