"""People → Log an activity…: one session of canvassing (or leafleting, or a stall) for
everyone who took part, recorded in one go.

The kind, the day (today unless changed), the hours each and a note, then the people: type
a name, Enter, the next name, Enter. OK records a row for each of them in one transaction;
anything wrong (hours that are not a number, a day in the future, nobody chosen) is said in
one sentence and nothing is recorded, so the secretary corrects it and presses OK again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.activities import log_activity
from db.database import Database
from db.errors import UserError
from db.models.vocabulary import ACTIVITY_KIND_LABELS, ACTIVITY_KINDS
from desktop.errors import show_error
from desktop.person_picker import PersonPicker

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def hours_text(hours: Decimal | None) -> str:
    """2.50 as "2.5" and 3.00 as "3": how the secretary would write them."""
    if hours is None:
        return ""
    return format(hours.normalize(), "f")


class LogActivityDialog(QDialog):
    def __init__(
        self, database: Database, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._today = today
        self.logged_ids: list[int] = []
        self.setObjectName("logActivityDialog")
        self.setWindowTitle("Log an activity")
        self._build(today or dt.date.today())
        self.resize(820, 560)
        self.picker.setFocus()

    # layout --------------------------------------------------------------------------

    def _build(self, today: dt.date) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("activityKind")
        for kind in ACTIVITY_KINDS:
            self.kind_combo.addItem(ACTIVITY_KIND_LABELS.get(kind, kind), kind)
        self.date_edit = QDateEdit(qdate(today))
        self.date_edit.setObjectName("activityDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.hours_edit = QLineEdit()
        self.hours_edit.setObjectName("activityHours")
        self.hours_edit.setPlaceholderText("e.g. 2.5")
        self.hours_edit.setMaximumWidth(90)
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.hours_edit)
        hours_row.addWidget(QLabel("each (leave empty if not known)"))
        hours_row.addStretch(1)
        self.notes_edit = QLineEdit()
        self.notes_edit.setObjectName("activityNotes")
        self.notes_edit.setPlaceholderText("Where, or what for: “Riverside ward, by-election”")
        self.notes_edit.setMinimumWidth(520)
        for fixed in (self.kind_combo, self.date_edit):
            fixed.setMinimumWidth(220)
        hours_label = QLabel("&Hours:")
        hours_label.setBuddy(self.hours_edit)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Activity:", self.kind_combo)
        form.addRow("&Date:", self.date_edit)
        form.addRow(hours_label, hours_row)
        form.addRow("N&otes:", self.notes_edit)

        self.picker = PersonPicker(self.database, self, chosen_title="Who took part")
        self.picker.changed.connect(self._update_ok)
        hint = QLabel("Type each name and press Enter to add them; Delete takes one off again.")
        hint.setStyleSheet("color: #555;")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record")
        self.ok_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(hint)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.buttons)
        self._update_ok()

    # behaviour -----------------------------------------------------------------------

    def _update_ok(self) -> None:
        count = len(self.picker.person_ids())
        self.ok_button.setText(
            "Record" if count == 0 else f"Record for {count} {'person' if count == 1 else 'people'}"
        )

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def record(self) -> None:
        """Log the session for everyone chosen, or say what is wrong and record nothing."""
        hours = self.hours_edit.text().strip() or None
        try:
            with self.database.session() as session:
                self.logged_ids = log_activity(
                    session,
                    self.kind(),
                    pydate(self.date_edit.date()),
                    hours,
                    self.picker.person_ids(),
                    self.notes_edit.text(),
                    today=self._today,
                )
        except UserError as error:
            self.logged_ids = []
            show_error(self, error)
            return
        self.accept()

    def summary(self) -> str:
        """The status line once recorded: "Canvassing on Sat 21 Nov recorded for 8 people."."""
        count = len(self.logged_ids)
        day = pydate(self.date_edit.date())
        return (
            f"{self.kind_combo.currentText()} on {day:%a} {day.day} {day:%b %Y} recorded for "
            f"{count} {'person' if count == 1 else 'people'}."
        )


def open_log_activity(window: MainWindow) -> None:
    """People → Log an activity…: the dialog, from the Activities window, so the session
    logged is listed there at once and its Undo takes it back."""
    from desktop.activities_window import ActivitiesWindow, open_activities

    open_activities(window)
    shown = window.findChild(ActivitiesWindow, ActivitiesWindow.OBJECT_NAME)
    if shown is not None:
        shown.log_activity()
