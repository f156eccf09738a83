"""Choosing people by typing: a search box over the whole branch, as at the door.

``PersonSearch`` is the box and its matches: Enter (or a double-click) picks the selected
match and clears the box for the next name. ``PersonPicker`` adds the list of everyone
picked so far, where Delete takes someone off again: eight canvassers are eight names
typed, each followed by Enter. Both search in SQL (``list_people``, the index behind the
people list), never by filtering 100,000 rows in Qt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.people import PersonRow, count_people, list_people
from desktop.checkin_window import describe_person

MATCHES = 20
DEBOUNCE_MS = 150
_ID = Qt.ItemDataRole.UserRole
_NAME = Qt.ItemDataRole.UserRole + 1


def person_name(row: PersonRow) -> str:
    return f"{row.first_name} {row.last_name}".strip() or "(no name)"


class _SearchBox(QLineEdit):
    """Up and Down move through the matches and Enter picks one; the keyboard stays here."""

    def __init__(self, owner: PersonSearch) -> None:
        super().__init__(owner)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._owner.pick_selected()
            event.accept()  # not passed on: in a dialog Enter would press OK
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._owner.move_selection(-1 if key == Qt.Key.Key_Up else 1)
            return
        if key == Qt.Key.Key_Escape and self.text():
            self._owner.clear()
            return
        super().keyPressEvent(event)


class _ChosenList(QListWidget):
    """Delete (or Backspace) takes the selected people off the list."""

    def __init__(self, owner: PersonPicker) -> None:
        super().__init__(owner)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._owner.remove_selected()
            return
        super().keyPressEvent(event)


class PersonSearch(QWidget):
    """A search box and up to ``MATCHES`` matches; ``picked(person_id, name)`` on Enter."""

    picked = Signal(int, str)

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        placeholder: str = "Type a name, membership number or postcode, then Enter",
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.search = _SearchBox(self)
        self.search.setObjectName("personSearch")
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.matches = QListWidget()
        self.matches.setObjectName("personMatches")
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.itemDoubleClicked.connect(self._double_clicked)
        self.hint = QLabel(" ")
        self.hint.setObjectName("personHint")
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.search)

    def set_text(self, text: str) -> None:
        """Type ``text`` and search at once (what the debounce would do a moment later)."""
        self.search.setText(text)
        self.search_now()

    def search_now(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        if not text:
            self.matches.clear()
            self.hint.setText(" ")
            return
        with self.database.session() as session:
            total = count_people(session, text)
            people = list_people(session, text, limit=MATCHES, total=total) if total else []
        self.matches.clear()
        for person in people:
            item = QListWidgetItem(describe_person(person))
            item.setData(_ID, person.id)
            item.setData(_NAME, person_name(person))
            item.setToolTip(f"{describe_person(person)}  ·  {person.status_label}")
            self.matches.addItem(item)
        if people:
            self.matches.setCurrentRow(0)
        if total == 0:
            self.hint.setText(f"No one matches “{text}”.")
        elif total > len(people):
            self.hint.setText(f"The first {len(people)} of {total:,} matches: type more.")
        else:
            self.hint.setText("1 match: Enter picks it." if total == 1 else f"{total} matches.")

    def move_selection(self, step: int) -> None:
        if self._timer.isActive():
            self.search_now()
        count = self.matches.count()
        if count:
            self.matches.setCurrentRow(max(0, min(count - 1, self.matches.currentRow() + step)))

    def pick_selected(self) -> None:
        if self._timer.isActive():
            self.search_now()
        item = self.matches.currentItem()
        if item is not None:
            self._pick(item)

    def clear(self) -> None:
        self._timer.stop()
        self.search.clear()
        self.matches.clear()
        self.hint.setText(" ")

    def _double_clicked(self, item: QListWidgetItem) -> None:
        self._pick(item)

    def _pick(self, item: QListWidgetItem) -> None:
        person_id, name = int(item.data(_ID)), str(item.data(_NAME))
        self.clear()
        self.search.setFocus()
        self.picked.emit(person_id, name)


class PersonPicker(QWidget):
    """The search on the left, everyone picked on the right; ``changed`` when that list does."""

    changed = Signal()

    def __init__(
        self, database: Database, parent: QWidget | None = None, chosen_title: str = "Chosen"
    ) -> None:
        super().__init__(parent)
        self._title = chosen_title
        self.finder = PersonSearch(database, self)
        self.finder.picked.connect(self.add_person)
        find_label = QLabel("&Find people:")
        find_label.setBuddy(self.finder.search)
        self.chosen_label = QLabel()
        self.chosen = _ChosenList(self)
        self.chosen.setObjectName("chosenPeople")
        self.chosen.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.chosen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setObjectName("removeChosen")
        self.remove_button.setToolTip("Take the selected people off this list (Delete).")
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(lambda: self.clear())
        left = QVBoxLayout()
        left.addWidget(find_label)
        left.addWidget(self.finder, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.clear_button)
        right = QVBoxLayout()
        right.addWidget(self.chosen_label)
        right.addWidget(self.chosen, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.setFocusProxy(self.finder)
        self._update()

    def person_ids(self) -> list[int]:
        return [int(self.chosen.item(row).data(_ID)) for row in range(self.chosen.count())]

    def names(self) -> list[str]:
        return [self.chosen.item(row).text() for row in range(self.chosen.count())]

    def add_person(self, person_id: int, name: str) -> None:
        if person_id in self.person_ids():
            self.finder.hint.setText(f"{name} is on the list already.")
            return
        item = QListWidgetItem(name)
        item.setData(_ID, person_id)
        self.chosen.addItem(item)
        self.chosen.scrollToItem(item)
        self._update()

    def remove_selected(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self._update()

    def clear(self) -> None:
        self.chosen.clear()
        self._update()

    def _update(self) -> None:
        count = self.chosen.count()
        self.chosen_label.setText(f"{self._title} ({count}):" if count else f"{self._title}:")
        self.remove_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)
        self.changed.emit()
