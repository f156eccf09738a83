"""People → Find duplicates: people who may be on the list twice, compared side by side,
merged or set apart.

The search is ``db.duplicates.find_duplicates`` on a worker thread (two to four seconds at
100,000 people); each merge is ``db.unmerge.merge_undoably`` in one unit of work, so a
refusal shows its sentence and changes nothing. The list is then updated where it stands,
without a new search: the pair goes, and so does every other pair with the record merged
away. A merge can make new pairs (the kept record now has the other's email address); Look
again finds them.

Both edits go through the window's undo history (Ctrl+Z; Ctrl+Shift+Z or Ctrl+Y): a merge
is undone by ``db.unmerge.unmerge`` (refused, in one sentence, once the kept record has been
changed since), "Not the same person" by ``forget_not_duplicate``; the pairs they took from
the list go back where they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget
from sqlalchemy.orm import Session

from db.database import Database
from db.duplicates import (
    DuplicatePair,
    DuplicatePerson,
    find_duplicates,
    forget_not_duplicate,
    mark_not_duplicate,
)
from db.errors import Cancelled, UserError
from db.merge import MergeResult
from db.merge_preview import merge_side
from db.unmerge import MergeSnapshot, merge_undoably, unmerge
from desktop import window_state
from desktop.duplicates_layout import DuplicatesLayout
from desktop.duplicates_model import ComparisonModel, PairListModel
from desktop.duplicates_text import (
    comparison_rows,
    merge_details,
    merge_question,
    merge_summary,
    who,
)
from desktop.errors import show_error
from desktop.jobs import Progress, run_job
from desktop.undo_actions import action_button
from desktop.undo_history import CoreCommand, UndoHistory

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def ask_to_merge(parent: QWidget, question: str, details: str) -> bool:
    """The confirmation before a merge, with Cancel the default; True to go ahead."""
    box = QMessageBox(QMessageBox.Icon.Question, "Merge two records", question, parent=parent)
    box.setInformativeText(details)
    go = box.addButton("Merge", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is go


class PairCommand(CoreCommand):
    """An edit that takes pairs off the list: ``taken`` holds them (with their rows) to put
    back when it is undone; ``applied`` says which way it last went."""

    def __init__(self, text: str, pair: DuplicatePair, gone: set[int]) -> None:
        super().__init__(text)
        self.pair = pair
        self.gone = gone  # records whose every pair leaves the list
        self.applied = False
        self.taken: list[tuple[int, DuplicatePair]] = []


class MergeCommand(PairCommand):
    """Merge ``other`` into ``keep``; undone, ``unmerge`` puts both back; redone, merged
    again (the same result: the database is as it was before the first merge)."""

    def __init__(self, pair: DuplicatePair, keep: DuplicatePerson, other: DuplicatePerson) -> None:
        super().__init__(
            f"merge {who(other.name, other.id)} into {who(keep.name, keep.id)}", pair, {other.id}
        )
        self.keep, self.other = keep, other
        self.result: MergeResult | None = None
        self.snapshot: MergeSnapshot | None = None

    def forward(self, session: Session) -> None:
        self.result, self.snapshot = merge_undoably(session, self.keep.id, self.other.id)
        self.applied = True

    def backward(self, session: Session) -> None:
        assert self.snapshot is not None
        unmerge(session, self.snapshot)
        self.applied = False


class NotSameCommand(PairCommand):
    """Set a pair apart; undone, it may be suggested again."""

    def __init__(self, pair: DuplicatePair) -> None:
        keep, other = pair.keep, pair.other
        super().__init__(
            f"“not the same person” for {who(keep.name, keep.id)} and {who(other.name, other.id)}",
            pair,
            set(),
        )
        self._changed = True

    @property
    def changed(self) -> bool:
        return self._changed

    def forward(self, session: Session) -> None:
        marked = mark_not_duplicate(session, self.pair.keep.id, self.pair.other.id)
        if self.first:
            self._changed = marked
        self.applied = True

    def backward(self, session: Session) -> None:
        forget_not_duplicate(session, self.pair.keep.id, self.pair.other.id)
        self.applied = False


class DuplicatesWindow(QMainWindow):
    SETTINGS_KEY = "DuplicatesWindow"

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        changed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesWindow")
        self.setWindowTitle("Duplicates — Branchbook")
        self.database = database
        self._changed = changed
        self.pairs = PairListModel(self)
        self.comparison = ComparisonModel(self)
        self.ui = DuplicatesLayout(self.pairs, self.comparison)
        self.setCentralWidget(self.ui.central)
        self.last_result: MergeResult | None = None
        self.history = UndoHistory(self, database, self._refresh)
        self.history.said.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.addActions(self.history.actions())  # Ctrl+Z anywhere in the window
        self.ui.buttons.insertWidget(0, action_button(self.history.undo_action))
        self.ui.buttons.insertWidget(1, action_button(self.history.redo_action))
        self.ui.buttons.insertSpacing(2, 16)
        self.ui.pairs_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.ui.look_again_button.clicked.connect(lambda: self.load())
        self.ui.merge_left_button.clicked.connect(lambda: self.merge_into_left())
        self.ui.merge_right_button.clicked.connect(lambda: self.merge_into_right())
        self.ui.not_same_button.clicked.connect(lambda: self.not_the_same())
        self._enable_buttons(False)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1120, 720)
        window_state.restore_splitter(self.ui.splitter, self.SETTINGS_KEY)

    # finding pairs -------------------------------------------------------------------

    def load(self) -> bool:
        """Search the whole list (behind a progress dialog); False when cancelled."""
        database = self.database

        def job(progress: Progress, cancelled: Callable[[], bool]) -> list[DuplicatePair]:
            progress(0, 0, "Comparing names, addresses and email addresses…")
            with database.session() as session:
                found = find_duplicates(session)
            if cancelled():
                raise Cancelled
            return found

        outcome = run_job(self, "Looking for people who are on the list twice…", job)
        if isinstance(outcome.error, Cancelled):
            self.ui.intro.setText("The search was stopped. Press Look again to search.")
            self.statusBar().showMessage("Cancelled.", 8000)
            return False
        if outcome.error is not None:
            show_error(self, outcome.error)
            return False
        self.pairs.set_pairs(outcome.result)
        self._update_intro()
        self._select_row(0)
        return True

    def _update_intro(self) -> None:
        n = self.pairs.rowCount()
        if n == 0:
            self.ui.intro.setText("No likely duplicates: nobody seems to be on the list twice.")
        else:
            self.ui.intro.setText(
                f"<b>{n:,} {'pair' if n == 1 else 'pairs'} of records may be one person.</b> "
                "Most likely first; on the left, the record suggested to keep."
            )

    def _select_row(self, row: int) -> None:
        count = self.pairs.rowCount()
        if count == 0:
            self.ui.pairs_table.clearSelection()
            self._show_pair(None)
            return
        self.ui.pairs_table.selectRow(min(max(row, 0), count - 1))

    # the chosen pair -----------------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.ui.pairs_table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_pair(self) -> DuplicatePair | None:
        row = self.selected_row()
        return self.pairs.pair(row) if row is not None else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_pair(self.selected_pair())

    def _show_pair(self, pair: DuplicatePair | None) -> None:
        if pair is None:
            self.comparison.clear()
            self.ui.compare_title.setText(
                "<b>Choose a pair above to compare the two records.</b>"
                if self.pairs.rowCount()
                else ""
            )
            self._enable_buttons(False)
            return
        try:
            with self.database.session() as session:
                left = merge_side(session, pair.keep.id)
                right = merge_side(session, pair.other.id)
        except UserError as error:  # merged or deleted elsewhere since the search
            self.comparison.clear()
            self.ui.compare_title.setText(f"{error} Press Look again to search afresh.")
            self._enable_buttons(False)
            return
        rows = comparison_rows(left, right)
        differ = sum(row.differs for row in rows)
        self.comparison.show_rows(
            rows,
            f"Left: {who(left.detail.full_name, left.detail.id)}",
            f"Right: {who(right.detail.full_name, right.detail.id)}",
        )
        self.ui.compare_title.setText(
            f"<b>{who(left.detail.full_name, left.detail.id)}</b> and "
            f"<b>{who(right.detail.full_name, right.detail.id)}</b>: "
            f"{'; '.join(pair.reasons)}. They differ in {differ} "
            f"{'detail' if differ == 1 else 'details'}."
        )
        self.ui.comparison_table.scrollToTop()
        self.ui.merge_left_button.setToolTip(merge_question(pair.keep, pair.other))
        self.ui.merge_right_button.setToolTip(merge_question(pair.other, pair.keep))
        self._enable_buttons(True)

    def _enable_buttons(self, enabled: bool) -> None:
        for button in (
            self.ui.merge_left_button,
            self.ui.merge_right_button,
            self.ui.not_same_button,
        ):
            button.setEnabled(enabled)

    # acting on it --------------------------------------------------------------------

    def merge_into_left(self) -> MergeResult | None:
        pair = self.selected_pair()
        return self._merge(pair, pair.keep, pair.other) if pair is not None else None

    def merge_into_right(self) -> MergeResult | None:
        pair = self.selected_pair()
        return self._merge(pair, pair.other, pair.keep) if pair is not None else None

    def _merge(
        self, pair: DuplicatePair, keep: DuplicatePerson, other: DuplicatePerson
    ) -> MergeResult | None:
        if not ask_to_merge(self, merge_question(keep, other), merge_details(keep)):
            return None
        command = MergeCommand(pair, keep, other)
        return command.result if self.history.run(command) else None

    def not_the_same(self) -> bool:
        """Set the chosen pair apart: it is not suggested again."""
        pair = self.selected_pair()
        if pair is None:
            return False
        command = NotSameCommand(pair)
        self.history.run(command)
        return command.applied

    def _refresh(self, command: CoreCommand) -> None:
        """After an edit, its undo or its redo (or a refusal of any): the pairs it took off
        the list go, or come back where they were, and what it did is said."""
        if not isinstance(command, PairCommand):
            return
        row = self.selected_row() or 0
        if command.applied:
            taken = self.pairs.take_where(command.gone, frozenset(command.pair.ids))
            command.taken = taken or command.taken
        else:
            back = self.pairs.put_back(command.taken)
            row = back if back is not None else row
        if isinstance(command, MergeCommand):
            self._show_merge(command)
        elif command.applied and command.first:
            keep, other = command.pair.keep, command.pair.other
            self.statusBar().showMessage(
                f"{who(keep.name, keep.id)} and {who(other.name, other.id)} "
                "will not be suggested as one person again.",
                15000,
            )
        self._after_change(row)

    def _show_merge(self, command: MergeCommand) -> None:
        result = command.result
        if result is None:  # refused the first time: nothing happened
            return
        if not command.applied:
            self.ui.result.hide()
            return
        self.last_result = result
        self.ui.result.setText(merge_summary(result))
        self.ui.result.show()
        if command.first:
            self.statusBar().showMessage(
                f"Merged {who(result.other_name, result.other_id)} into "
                f"{who(result.keep_name, result.keep_id)}.",
                15000,
            )

    def _after_change(self, row: int) -> None:
        self._update_intro()
        self._select_row(row)
        if self._changed is not None:
            self._changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        window_state.save_splitter(self.ui.splitter, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_duplicates(window: MainWindow) -> DuplicatesWindow:
    """People → Find duplicates: the one window already open, else a new one that searches
    as soon as it is shown."""
    existing = window_state.raise_open(window, DuplicatesWindow)
    if existing is not None:
        return existing
    duplicates = DuplicatesWindow(window.database, window, changed=window.refresh)
    duplicates.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    duplicates.show()
    duplicates.load()
    return duplicates
