"""Mailings → Segments…: the saved groups of people with how many each holds today, the
chosen one's rules as a tree to edit, a live count of who the rules match, the first people
they match, and an Excel export of all of them.

Built-in segments are shown, counted and exported but not changed (Save as… copies one).
Saving and deleting can be undone (Ctrl+Z): undoing a save puts back the rules as they were,
or deletes a segment the save made; undoing a delete saves it back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)
from sqlalchemy.orm import Session

from db.database import Database
from db.errors import Cancelled, UserError
from db.segment_rules import InvalidSegment, Node
from db.segments import (
    SegmentRow,
    count_segment,
    delete_segment,
    list_segments,
    save_segment,
    segment_people,
)
from desktop import window_state
from desktop.errors import show_error
from desktop.jobs import Progress, run_job
from desktop.segment_rule_editor import GROUP_LABELS, RuleDialog, describe, load_choices
from desktop.segments_layout import SegmentsLayout
from desktop.undo_history import CoreCommand, UndoHistory

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SHOWN = 200  # people listed; the count says how many there are in all
DEBOUNCE_MS = 300
FOLDER_KEY = "SegmentsExport/folder"
_NODE = Qt.ItemDataRole.UserRole  # a rule's node, or a group's key, as JSON text
_NAME = Qt.ItemDataRole.UserRole


def people_count(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


# --- undoable changes ----------------------------------------------------------------------


class SegmentCommand(CoreCommand):
    shown: str | None = None  # the segment to choose once done or undone


class SaveSegment(SegmentCommand):
    """Save rules under a name; undone, the rules it had before are put back, or the
    segment the save made is deleted."""

    def __init__(self, name: str, definition: Node, previous: SegmentRow | None) -> None:
        super().__init__(f"save segment “{name}”")
        self.name, self.definition, self.previous = name, definition, previous
        self.saved = True

    @property
    def changed(self) -> bool:
        return self.saved

    def forward(self, session: Session) -> None:
        done = save_segment(session, self.name, self.definition)
        if self.first:
            self.saved = done.changed
            self.name = done.name
        self.shown = self.name

    def backward(self, session: Session) -> None:
        if self.previous is None:
            delete_segment(session, self.name)
            self.shown = None
        else:
            save_segment(session, self.name, self.previous.definition)
            self.shown = self.name


class DeleteSegment(SegmentCommand):
    def __init__(self, row: SegmentRow) -> None:
        super().__init__(f"delete segment “{row.name}”")
        self.row = row

    def forward(self, session: Session) -> None:
        delete_segment(session, self.row.name)
        self.shown = None

    def backward(self, session: Session) -> None:
        save_segment(session, self.row.name, self.row.definition, self.row.description)
        self.shown = self.row.name


# --- the window ----------------------------------------------------------------------------


class SegmentsWindow(QWidget):
    OBJECT_NAME = "segmentsWindow"
    SETTINGS_KEY = "SegmentsWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.segments: list[SegmentRow] = []
        self.current: SegmentRow | None = None  # None: a new, unsaved segment
        self.count: int | None = None  # the live count; None while the rules are not usable
        self.problem: str | None = None
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Segments — Branchbook")
        self.setMinimumSize(900, 560)
        self.history = UndoHistory(self, database, self._refresh)
        self.history.said.connect(self.say)
        self.addActions(self.history.actions())
        self.ui = SegmentsLayout(self, self.history)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.update_count)
        self._connect()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1180, 720)
        self.reload()

    def _connect(self) -> None:
        ui = self.ui
        ui.segment_list.currentItemChanged.connect(lambda *_: self._segment_chosen())
        ui.new_button.clicked.connect(lambda: self.new_segment())
        ui.delete_button.clicked.connect(lambda: self.delete_selected())
        ui.add_rule_button.clicked.connect(lambda: self.add_rule())
        for key, label in GROUP_LABELS.items():
            action = ui.group_menu.addAction(label)
            action.triggered.connect(lambda _checked=False, k=key: self.add_group(k))
        ui.remove_button.clicked.connect(lambda: self.remove_selected())
        ui.save_button.clicked.connect(lambda: self.save())
        ui.save_as_button.clicked.connect(lambda: self.save_as())
        ui.export_button.clicked.connect(lambda: self.export())
        ui.close_button.clicked.connect(lambda: self.close())
        ui.rules.currentItemChanged.connect(lambda *_: self._update_buttons())
        ui.name_edit.textChanged.connect(lambda _text: self._update_buttons())

    # the saved segments --------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        keep = select if select is not None else (self.current.name if self.current else None)
        with self.database.session() as session:
            self.segments = list_segments(session, counts=True)
        listing = self.ui.segment_list
        listing.blockSignals(True)
        listing.clear()
        chosen: QTreeWidgetItem | None = None
        for row in self.segments:
            item = QTreeWidgetItem([row.name, f"{row.count or 0:,}"])
            item.setData(0, _NAME, row.name)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if row.builtin:
                item.setText(0, f"{row.name}  (built in)")
                font = QFont(item.font(0))
                font.setItalic(True)
                item.setFont(0, font)
            if row.description:
                item.setToolTip(0, row.description)
            listing.addTopLevelItem(item)
            if keep is not None and row.name.casefold() == keep.casefold():
                chosen = item
        if chosen is None and listing.topLevelItemCount():
            chosen = listing.topLevelItem(0)
        if chosen is not None:
            listing.setCurrentItem(chosen)
        listing.blockSignals(False)
        self._segment_chosen()

    def _refresh(self, command: CoreCommand) -> None:
        self.reload(select=command.shown if isinstance(command, SegmentCommand) else None)

    def selected(self) -> SegmentRow | None:
        item = self.ui.segment_list.currentItem()
        if item is None:
            return None
        name = str(item.data(0, _NAME))
        return next((row for row in self.segments if row.name == name), None)

    def _segment_chosen(self) -> None:
        row = self.selected()
        if row is None:
            self.new_segment()
            return
        self.current = row
        self.ui.name_edit.setText(row.name)
        self.ui.name_edit.setReadOnly(True)
        self.show_rules(json.loads(row.definition))

    def new_segment(self) -> None:
        """A blank segment: everyone, until rules are added."""
        self.current = None
        self.ui.segment_list.blockSignals(True)
        self.ui.segment_list.setCurrentItem(None)  # type: ignore[call-overload]
        self.ui.segment_list.clearSelection()
        self.ui.segment_list.blockSignals(False)
        self.ui.name_edit.setReadOnly(False)
        self.ui.name_edit.clear()
        self.show_rules({"all": []})
        self.ui.name_edit.setFocus()

    # the rules -----------------------------------------------------------------------

    def show_rules(self, tree: Node) -> None:
        rules = self.ui.rules
        rules.clear()
        if "rule" in tree:  # one rule alone is shown inside an "All of these"
            tree = {"all": [tree]}
        root = self._item(tree)
        rules.addTopLevelItem(root)
        rules.expandAll()
        rules.setCurrentItem(root)
        self._update_buttons()
        self.rules_changed()

    def _item(self, node: Node) -> QTreeWidgetItem:
        if "rule" in node:
            item = QTreeWidgetItem([describe(node)])
            item.setData(0, _NODE, json.dumps(node))
            return item
        key = next(iter(node))
        item = self._group_item(key)
        members = [node["not"]] if key == "not" else node[key]
        for member in members:
            item.addChild(self._item(member))
        return item

    @staticmethod
    def _group_item(key: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([GROUP_LABELS[key]])
        item.setData(0, _NODE, json.dumps(key))
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        return item

    @staticmethod
    def _is_group(item: QTreeWidgetItem) -> bool:
        return isinstance(json.loads(str(item.data(0, _NODE))), str)

    def draft(self) -> Node:
        """The rules as the tree shows them; raises InvalidSegment for an empty Not."""
        root = self.ui.rules.topLevelItem(0)
        return {"all": []} if root is None else self._node(root)

    def _node(self, item: QTreeWidgetItem) -> Node:
        value = json.loads(str(item.data(0, _NODE)))
        if not isinstance(value, str):
            return dict(value)
        children = (item.child(i) for i in range(item.childCount()))
        members = [self._node(child) for child in children if child is not None]
        if value != "not":
            return {value: members}
        if not members:
            raise InvalidSegment("A “Not” group needs a rule inside it.")
        return {"not": members[0] if len(members) == 1 else {"all": members}}

    def _target_group(self) -> QTreeWidgetItem | None:
        item = self.ui.rules.currentItem() or self.ui.rules.topLevelItem(0)
        if item is not None and not self._is_group(item):
            item = item.parent()
        return item

    def add_rule(self) -> Node | None:
        with self.database.session() as session:
            choices = load_choices(session)
        dialog = RuleDialog(choices, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        node = dialog.rule()
        self._insert(self._item(node))
        return node

    def add_group(self, key: str) -> None:
        self._insert(self._group_item(key))

    def _insert(self, item: QTreeWidgetItem) -> None:
        group = self._target_group()
        if group is None:
            return
        group.addChild(item)
        group.setExpanded(True)
        item.setExpanded(True)
        self.ui.rules.setCurrentItem(item)
        self.rules_changed()

    def remove_selected(self) -> None:
        item = self.ui.rules.currentItem()
        parent = None if item is None else item.parent()
        if item is None or parent is None:
            return  # the top group stays
        parent.removeChild(item)
        self.ui.rules.setCurrentItem(parent)
        self.rules_changed()

    def rules_changed(self) -> None:
        self.ui.count_label.setText("Counting…")
        self.timer.start()

    def update_count(self) -> None:
        """Count the draft now (the timer calls this once the rules stop changing)."""
        self.timer.stop()
        self.ui.people.clear()
        try:
            tree = self.draft()
            with self.database.session() as session:
                self.count = count_segment(session, tree)
                people = segment_people(session, tree, limit=SHOWN)
        except UserError as error:
            self.count, self.problem = None, str(error)
            self.ui.count_label.setStyleSheet("color: #a40000;")
            self.ui.count_label.setText(self.problem)
            self._update_buttons()
            return
        self.problem = None
        self.ui.count_label.setStyleSheet("")
        text = f"{people_count(self.count)} match these rules today."
        if self.count > SHOWN:
            text += f" The first {SHOWN} are listed."
        self.ui.count_label.setText(text)
        for row in people:
            name = f"{row.last_name}, {row.preferred_name or row.first_name}"
            where = " · ".join(part for part in (row.status_label, row.ward) if part)
            self.ui.people.addItem(f"{name}    {where}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        ui = self.ui
        editable = self.current is None or not self.current.builtin
        ui.builtin_note.setVisible(not editable)
        for button in (ui.add_rule_button, ui.add_group_button, ui.remove_button):
            button.setEnabled(editable)
        item = ui.rules.currentItem()
        ui.remove_button.setEnabled(editable and item is not None and item.parent() is not None)
        ui.save_button.setEnabled(editable and bool(ui.name_edit.text().strip()))
        ui.delete_button.setEnabled(self.current is not None and not self.current.builtin)
        ui.export_button.setEnabled(self.problem is None and bool(self.count))

    # saving --------------------------------------------------------------------------

    def save(self, name: str | None = None) -> bool:
        name = name if name is not None else self.ui.name_edit.text()
        try:
            tree = self.draft()
        except UserError as error:
            show_error(self, error)
            return False
        previous = next(
            (row for row in self.segments if row.name.casefold() == name.strip().casefold()),
            None,
        )
        command = SaveSegment(name, tree, previous)
        if self.history.run(command):
            self.say(f"Saved the segment “{command.name}”.")
            return True
        return False

    def save_as(self, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "Save as", "Name for the new segment:")
            if not ok:
                return False
        if any(row.name.casefold() == name.strip().casefold() for row in self.segments):
            show_error(self, UserError(f"There is already a segment called “{name.strip()}”."))
            return False
        return self.save(name)

    def delete_selected(self, confirm: bool = True) -> bool:
        row = self.current
        if row is None or row.builtin:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, "Delete segment", f"Delete the segment “{row.name}”? (Ctrl+Z undoes it.)"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if self.history.run(DeleteSegment(row)):
            self.say(f"Deleted the segment “{row.name}”.")
            return True
        return False

    # exporting -----------------------------------------------------------------------

    def export(self) -> Path | None:
        """Export to Excel…: everyone the rules match, in a workbook; the file written."""
        from reports.segment_export import export_segment

        try:
            tree = self.draft()
        except UserError as error:
            show_error(self, error)
            return None
        title = self.ui.name_edit.text().strip() or "Segment"
        path = ask_export_path(self, title)
        if path is None:
            return None

        def job(progress: Progress, cancelled: Callable[[], bool]) -> int:
            with self.database.session() as session:
                return export_segment(
                    session, tree, path, title=title, progress=progress, cancelled=cancelled
                )

        outcome = run_job(self, f"Exporting {title} to {path.name}…", job)
        if isinstance(outcome.error, Cancelled):
            self.say("Cancelled: no file was written.")
            return None
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        self.say(f"Wrote {people_count(outcome.result)} to {path}")
        return path

    def say(self, text: str) -> None:
        self.ui.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def ask_export_path(parent: QWidget, title: str) -> Path | None:
    """Where to write, starting in the folder the last export went to."""
    settings = window_state.app_settings()
    folder = settings.value(FOLDER_KEY)
    start = Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else Path.home()
    safe = "".join(ch for ch in title if ch not in '\\/:*?"<>|').strip() or "Segment"
    suggested = start / f"{safe} {dt.date.today().isoformat()}.xlsx"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Export segment", str(suggested), "Excel workbook (*.xlsx)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    settings.setValue(FOLDER_KEY, str(path.parent))
    return path


def open_segments(window: MainWindow) -> None:
    """Mailings → Segments…: one window, raised when already open."""
    if window_state.raise_open(window, SegmentsWindow) is not None:
        return
    window_state.show_owned(SegmentsWindow(window.database, window), lambda: None)
