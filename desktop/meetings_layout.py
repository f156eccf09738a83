"""The meetings window's widgets and how they are laid out; ``meetings_window`` gives them
their behaviour.

Every meeting on the left; for the chosen one, its agenda and who came above, and the
participation ledger below.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ledger_table import LedgerTable, plain_key

KEY_HINT = (
    "Keys: S spoke · Q question · P proposed · E seconded · C chaired · M minutes · V volunteered"
)
LEDGER_HINT = (
    KEY_HINT + " — with the Present list focused to record; with the ledger focused to change "
    "the line. F2 or Enter: its note. Delete: the line."
)


def _button(text: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class AttendeeList(QListWidget):
    """The people present; a letter key asks to record what the selected one did."""

    kind_pressed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        kind = plain_key(event)
        if kind is not None:
            self.kind_pressed.emit(kind)
            return
        super().keyPressEvent(event)


class MeetingsLayout(QWidget):
    """The widgets, named and placed; nothing is connected here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._build()

    def _build(self) -> None:
        self.meeting_list = QListWidget()
        self.meeting_list.setObjectName("meetingList")
        self.meeting_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.meeting_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = _button("&Add…")
        self.edit_button = _button(
            "&Edit…", "Change the meeting's title, kind, date or venue (Ctrl+E, or double-click)"
        )
        self.copy_button = _button("Co&py…")
        self.door_button = _button("C&heck-in at the door…")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.meeting_list, 1)
        left_layout.addLayout(
            _row(self.add_button, self.edit_button, self.copy_button, self.door_button)
        )

        self.title_label = QLabel()
        self.title_label.setObjectName("meetingHeading")
        self.title_label.setWordWrap(True)

        self.agenda_list = QListWidget()
        self.agenda_list.setObjectName("agendaList")
        self.add_item_button = _button("Add &item…")
        self.add_motion_button = _button("Add m&otion…")
        self.edit_item_button = _button(
            "Edi&t…", "Rename the item, or change the motion's text (F2, or double-click)"
        )
        self.remove_item_button = _button(
            "Remo&ve", "Take the item off the agenda, if nobody took part under it (Delete)"
        )
        agenda_box = QGroupBox("Agenda")
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.addWidget(self.agenda_list, 1)
        agenda_layout.addLayout(
            _row(
                self.add_item_button,
                self.add_motion_button,
                self.edit_item_button,
                self.remove_item_button,
            )
        )

        self.attendees = AttendeeList()
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
        self.delete_button = _button("&Delete line")
        hint = QLabel(LEDGER_HINT)
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
        # Given the window's Undo and Redo actions: "Undo", the tooltip naming what.
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undoButton")
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("redoButton")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)

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
        layout.addLayout(bottom)
