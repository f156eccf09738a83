"""The small dialogs of the meetings window: a meeting's details, an agenda item or motion,
and the date a copied meeting starts.

``MeetingDialog`` asks what ``checkin_window.AddMeetingDialog`` asks, filled in from a meeting
that exists; that dialog could move here and become ``MeetingDialog`` given a blank title and
next Thursday evening.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.meetings import NewMeeting
from db.models.vocabulary import MEETING_KIND_LABELS, MEETING_KINDS

DATE_TIME_FORMAT = "ddd d MMM yyyy  HH:mm"


def one_month_later(when: dt.datetime) -> dt.datetime:
    """The same day and time next month; the 31st becomes the month's last day."""
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def to_qt(when: dt.datetime) -> QDateTime:
    return QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))


def from_qt(value: QDateTime) -> dt.datetime:
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _date_time_edit(when: dt.datetime, name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qt(when))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_TIME_FORMAT)
    return edit


class MeetingDialog(QDialog):
    """A meeting's title, kind, start and venue, filled in from ``initial``.

    An end the meeting has moves with its start, so moving a meeting keeps its length."""

    def __init__(
        self, initial: NewMeeting, parent: QWidget | None = None, *, heading: str = ""
    ) -> None:
        super().__init__(parent)
        self._initial = initial
        self.setObjectName("meetingDialog")
        self.setWindowTitle(heading or "Edit the meeting")
        self.title_edit = QLineEdit(initial.title)
        self.title_edit.setObjectName("meetingTitleEdit")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("meetingKindCombo")
        for kind in MEETING_KINDS:
            self.kind_combo.addItem(MEETING_KIND_LABELS.get(kind, kind), kind)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(initial.kind), 0))
        self.starts_edit = _date_time_edit(initial.starts_at, "meetingStartsEdit")
        self.venue_edit = QLineEdit(initial.venue or "")
        self.venue_edit.setObjectName("meetingVenueEdit")
        self.venue_edit.setPlaceholderText("(none)")
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Kind:", self.kind_combo)
        form.addRow("&Starts:", self.starts_edit)
        if initial.ends_at is not None:
            self.ends_label = QLabel()
            self.ends_label.setObjectName("meetingEndsLabel")
            self.starts_edit.dateTimeChanged.connect(lambda *_: self._show_end())
            self._show_end()
            form.addRow("Ends:", self.ends_label)
        form.addRow("&Venue:", self.venue_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_ok_cancel(self))
        self.setMinimumWidth(440)
        self.title_edit.selectAll()

    def meeting(self) -> NewMeeting:
        """What the form now says, for ``update_meeting`` (or ``add_meeting``) to check."""
        moved = self._initial.starting(from_qt(self.starts_edit.dateTime()))
        return replace(
            moved,
            title=self.title_edit.text(),
            kind=str(self.kind_combo.currentData()),
            venue=self.venue_edit.text().strip() or None,
        )

    def _show_end(self) -> None:
        ends = self.meeting().ends_at
        if ends is not None:
            self.ends_label.setText(f"{ends:%H:%M} on {ends:%a} {ends.day} {ends:%b %Y}")


class AgendaItemDialog(QDialog):
    """A title, and for a motion the text of the motion; filled in when editing one."""

    def __init__(
        self,
        *,
        motion: bool,
        parent: QWidget | None = None,
        title: str = "",
        motion_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.motion = motion
        self.editing = bool(title)
        what = "a motion" if motion else "an agenda item"
        self.setWindowTitle(f"Edit {what}" if self.editing else f"Add {what}")
        self.title_edit = QLineEdit(title)
        self.title_edit.setObjectName("agendaTitleEdit")
        self.motion_edit = QPlainTextEdit(motion_text or "")
        self.motion_edit.setObjectName("motionTextEdit")
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        if motion:
            form.addRow("&Motion:", self.motion_edit)
        else:
            self.motion_edit.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_ok_cancel(self))
        self.setMinimumWidth(440)

    def motion_text(self) -> str | None:
        if not self.motion:
            return None
        # A motion with no text yet is still a motion: its title stands in.
        return self.motion_edit.toPlainText().strip() or self.title_edit.text().strip()


class CopyMeetingDialog(QDialog):
    def __init__(self, starts_at: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy a meeting")
        self.starts_edit = _date_time_edit(one_month_later(starts_at), "copyStartsEdit")
        form = QFormLayout()
        form.addRow("The copy &starts:", self.starts_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A new meeting with the same kind, title, venue and agenda."))
        layout.addLayout(form)
        layout.addWidget(_ok_cancel(self))

    def starts_at(self) -> dt.datetime:
        return from_qt(self.starts_edit.dateTime())
