"""The filter widgets of the log windows: a date range, a person, and who did it.

Dates are chosen as the secretary's own days; the logs store naive UTC, so each bound is
the local midnight turned into UTC (a line written at 00:30 BST on 1 June is 31 May 23:30
UTC, and belongs to 1 June).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.audit_log import audit_actors
from db.database import Database
from desktop.person_picker import PersonSearch

ANYONE = "Anyone"


def local_time(at: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) moment on the laptop's clock."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def utc_midnight(day: dt.date) -> dt.datetime:
    """The start of the local ``day``, as the naive UTC the logs store."""
    return dt.datetime.combine(day, dt.time()).astimezone(dt.UTC).replace(tzinfo=None)


def _bound(text: str, object_name: str, start: dt.date) -> tuple[QCheckBox, QDateEdit]:
    check = QCheckBox(text)
    check.setObjectName(f"{object_name}Check")
    edit = QDateEdit(QDate(start.year, start.month, start.day))
    edit.setObjectName(f"{object_name}Date")
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setEnabled(False)
    check.toggled.connect(edit.setEnabled)
    return check, edit


def _day(edit: QDateEdit) -> dt.date:
    chosen = edit.date()
    return dt.date(chosen.year(), chosen.month(), chosen.day())


class DateRange(QWidget):
    """ "From [day] To [day]", each bound off until ticked; ``changed`` on any change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        today = today or dt.date.today()
        self.from_check, self.from_edit = _bound("&From", "from", today.replace(day=1))
        self.to_check, self.to_edit = _bound("&to", "to", today)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.from_check, self.from_edit, self.to_check, self.to_edit):
            layout.addWidget(widget)
        for check in (self.from_check, self.to_check):
            check.toggled.connect(lambda _on: self.changed.emit())
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _day: self.changed.emit())

    def set_range(self, first: dt.date | None, last: dt.date | None) -> None:
        """Tick and set the bounds given, untick the others (one ``changed`` per change)."""
        for check, edit, day in (
            (self.from_check, self.from_edit, first),
            (self.to_check, self.to_edit, last),
        ):
            if day is not None:
                edit.setDate(QDate(day.year, day.month, day.day))
            check.setChecked(day is not None)

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """(since, until) in naive UTC: since inclusive, until exclusive (the day after
        the last day ticked), None for a bound not ticked."""
        since = until = None
        if self.from_check.isChecked():
            since = utc_midnight(_day(self.from_edit))
        if self.to_check.isChecked():
            until = utc_midnight(_day(self.to_edit) + dt.timedelta(days=1))
        return since, until


class ActorCombo(QComboBox):
    """Who: "Anyone", then everyone in the trail. Read when first opened or focused, not
    with the window: finding them scans the whole trail (a quarter of a second at 300,000
    lines), and most visits never ask."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setObjectName("actorCombo")
        self.setMinimumContentsLength(12)
        self.addItem(ANYONE)
        self.loaded = False

    def actor(self) -> str | None:
        return self.currentText() if self.currentIndex() > 0 else None

    def choose(self, actor: str | None) -> None:
        self.load()
        self.setCurrentIndex(max(0, self.findText(actor)) if actor else 0)

    def load(self) -> None:
        if self.loaded:
            return
        with self.database.session() as session:
            actors = audit_actors(session)
        current = self.actor()
        self.blockSignals(True)
        self.clear()
        self.addItems([ANYONE, *actors])
        self.setCurrentIndex(actors.index(current) + 1 if current in actors else 0)
        self.blockSignals(False)
        self.loaded = True

    def showPopup(self) -> None:
        self.load()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.load()  # the arrow keys choose without opening the list
        super().focusInEvent(event)


class _ChoosePerson(QDialog):
    def __init__(self, database: Database, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Whose lines?")
        self.chosen: tuple[int, str] | None = None
        self.search = PersonSearch(database, self, placeholder="Type a name, then Enter")
        self.search.picked.connect(self._picked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(buttons)
        self.resize(420, 320)

    def _picked(self, person_id: int, name: str) -> None:
        self.chosen = (person_id, name)
        self.accept()


class PersonFilter(QWidget):
    """ "About: anyone [Choose…] [Anyone]": one person's lines, or everyone's."""

    changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.person_id: int | None = None
        self.name_label = QLabel()
        self.name_label.setObjectName("personName")
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.setObjectName("choosePerson")
        self.choose_button.clicked.connect(self.choose)
        self.clear_button = QPushButton("Every&one")
        self.clear_button.setToolTip("Lines about everyone, not one person")
        self.clear_button.setObjectName("anyPerson")
        self.clear_button.clicked.connect(lambda: self.set_person(None, ""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("About:"))
        layout.addWidget(self.name_label, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.clear_button)
        self.set_person(None, "")

    def choose(self) -> None:
        dialog = _ChoosePerson(self.database, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen
        dialog.deleteLater()
        if accepted and chosen is not None:
            self.set_person(*chosen)

    def set_person(self, person_id: int | None, name: str) -> None:
        changed = person_id != self.person_id
        self.person_id = person_id
        self.name_label.setText(f"<b>{_escaped(name)}</b>" if person_id is not None else "anyone")
        self.clear_button.setEnabled(person_id is not None)
        if changed:
            self.changed.emit()


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
