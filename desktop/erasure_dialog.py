"""Erasing people from the window: say plainly what goes and what stays, ask why (for the
record), make the secretary tick that it cannot be undone, then erase on a worker thread.

Erasure is deliberately not on any undo stack: undoing it would mean keeping the very data
it removes. The confirmation is the safeguard instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.erasure import AFTERWARDS, ErasureDone, describe_removed, erase_people, erasure_preview
from db.errors import Cancelled
from desktop.errors import show_error
from desktop.jobs import Progress, run_job

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

KEPT = (
    "Kept: each meeting's attendance as an anonymous count, so its figures stay true, and a "
    "record that an erasure was made — when, by whom and why — which names nobody."
)


class EraseDialog(QDialog):
    """What erasing ``names`` removes, a reason, and a tick before Erase is enabled."""

    def __init__(
        self, names: Sequence[str], removed: dict[str, int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eraseDialog")
        self.setWindowTitle("Erase personal data — Branchbook")
        who = names[0] if len(names) == 1 else f"{len(names):,} people"
        heading = QLabel(f"<b>Erase {who}?</b>")
        heading.setObjectName("eraseHeading")
        if len(names) > 1:
            shown = ", ".join(names[:8]) + (
                f" and {len(names) - 8:,} more" if len(names) > 8 else ""
            )
            heading.setToolTip(shown)
        what = QLabel(f"This removes for good: {describe_removed(removed)}.")
        what.setObjectName("eraseRemoves")
        kept = QLabel(KEPT)
        backups = QLabel(AFTERWARDS)
        for label in (what, kept, backups):
            label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("eraseReason")
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText("e.g. Asked by email on 3 November (not their name)")
        self.understood = QCheckBox("I understand this cannot be undone")
        self.understood.setObjectName("eraseUnderstood")
        form = QFormLayout()
        form.addRow("&Why:", self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(
            "&Erase", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, what, kept, backups):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.understood)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(lambda _text: self._enable())
        self.understood.toggled.connect(lambda _on: self._enable())
        self._enable()
        self.resize(520, self.sizeHint().height())

    def _enable(self) -> None:
        self.erase_button.setEnabled(
            bool(self.reason.text().strip()) and self.understood.isChecked()
        )


def erase_with_dialog(
    parent: QWidget | None,
    database: Database,
    person_ids: Sequence[int],
    names: Sequence[str],
    *,
    ask: Callable[[EraseDialog], bool] | None = None,
) -> ErasureDone | None:
    """Ask, erase behind a progress dialog, and say what was done; None when the secretary
    thought better of it, cancelled, or it failed (the database is then as it was)."""
    with database.session() as session:
        removed = erasure_preview(session, person_ids)
    dialog = EraseDialog(names, removed, parent)
    accepted = ask(dialog) if ask is not None else dialog.exec() == QDialog.DialogCode.Accepted
    reason = dialog.reason.text().strip()
    dialog.deleteLater()
    if not accepted:
        return None
    ids = list(person_ids)

    def job(progress: Progress, cancelled: Callable[[], bool]) -> ErasureDone:
        return erase_people(
            database,
            ids,
            reason,
            progress=lambda n, total: progress(n, total, f"Erasing {n:,} of {total:,}…"),
            cancelled=cancelled,
        )

    outcome = run_job(parent, "Erasing…", job)
    if isinstance(outcome.error, Cancelled):
        return None
    if outcome.error is not None:
        show_error(parent, outcome.error)
        return None
    done: ErasureDone = outcome.result
    _forget_undo_history()
    QMessageBox.information(
        parent,
        "Branchbook",
        f"Erased {done.people:,} {'person' if done.people == 1 else 'people'}: "
        f"{describe_removed(done.removed)}.\n\n{AFTERWARDS}",
    )
    return done


def _forget_undo_history() -> None:
    """Empty every window's undo history: an undo step kept in memory can hold the very
    details just erased (a merge's snapshot of both people), and undoing it would put
    them back."""
    for widget in QApplication.topLevelWidgets():
        for stack in widget.findChildren(QUndoStack):
            stack.clear()


def erase_selected(window: MainWindow) -> ErasureDone | None:
    """People → Erase person…: the person selected in the main list."""
    from db.models import Person

    person_id = window.selected_person_id()
    if person_id is None:
        QMessageBox.information(window, "Branchbook", "Choose a person in the list first.")
        return None
    with window.database.session() as session:
        person = session.get(Person, person_id)
        name = person.full_name if person is not None else f"person {person_id}"
    done = erase_with_dialog(window, window.database, [person_id], [name])
    if done is not None:
        window.refresh()
    return done
