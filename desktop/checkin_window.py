"""Check-in at the door: one search box in big type, Enter to check the chosen person in.

Each check-in is its own short transaction, committed at once, so nothing already recorded
is lost if the laptop dies. A USB scanner types a sign-in sheet's QR code and Enter; that
checks the person it names in directly. Also the two small dialogs that lead here from the
Meetings menu: adding a meeting, and choosing which meeting the door is for.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
from db.door import (
    Arrival,
    arrivals,
    confirm_address,
    quorum,
    stale_address_question,
    walk_in,
)
from db.door_search import DoorMatches, door_matches
from db.errors import UserError
from db.meetings import (
    QR_PREFIX,
    MeetingRow,
    NewMeeting,
    check_in,
    find_meeting,
    list_meetings,
    person_from_code,
    undo_check_in,
)
from db.models.vocabulary import MEETING_KIND_LABELS, MEETING_KINDS
from db.people import PersonRow
from desktop.walk_in_dialog import WalkInDialog

MATCHES = 8
DEBOUNCE_MS = 120
REFRESH_MS = 30_000
BASE_POINTS = 20
HINT_POINTS = 14
TITLE_POINTS = 28
MESSAGE_POINTS = 26
_OK_STYLE = "color: #1b5e20;"
_PROBLEM_STYLE = "color: #b71c1c;"


def _font(points: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


def describe_person(row: PersonRow) -> str:
    """One line of the matches: name, known as, membership number, postcode."""
    parts = [f"{row.first_name} {row.last_name}".strip()]
    known_as = (row.preferred_name or "").strip()
    if known_as and known_as != row.first_name:
        parts[0] += f" (“{known_as}”)"
    if row.membership_number:
        parts.append(row.membership_number)
    if row.postcode:
        parts.append(row.postcode)
    return "  ·  ".join(parts)


def describe_matches(found: DoorMatches) -> str:
    """The line under the matches: how many there are, and whether to keep typing."""
    if found.total == 0:
        return ""
    if not found.more:
        return "1 match" if found.total == 1 else f"{found.total:,} matches"
    if found.complete_order:
        return f"The first {len(found.people)} of {found.total:,} matches"
    return f"{found.total:,} people match: type more of the name"


def describe_meeting(meeting: MeetingRow) -> str:
    start = meeting.starts_at
    # The day by hand: "%-d" is not in every platform's strftime.
    when = f"{start:%A} {start.day} {start:%B %Y, %H:%M}"
    parts = [when, meeting.kind_label]
    if meeting.venue:
        parts.append(meeting.venue)
    return "  ·  ".join(parts)


class DoorSearchBox(QLineEdit):
    """Up and Down move through the matches, Enter checks in, Ctrl+Z undoes the last
    check-in; the keyboard never leaves it."""

    def __init__(self, door: CheckInWindow) -> None:
        super().__init__(door)
        self._door = door

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._door.check_in_typed()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._door.move_selection(-1 if key == Qt.Key.Key_Up else 1)
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            # The line edit would take Ctrl+Z for its own typing; here it undoes a check-in.
            self._door.undo_last()
            return
        super().keyPressEvent(event)


class CheckInWindow(QWidget):
    """The door screen for one meeting."""

    def __init__(self, database: Database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.meeting_id = meeting_id
        # (person id, name) of each check-in made on this screen, for Undo; latest last.
        self.made_here: list[tuple[int, str]] = []
        self.setObjectName("checkInWindow")
        self.setFont(_font(BASE_POINTS))
        self.setMinimumSize(760, 520)
        self.resize(1100, 720)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh_quietly)
        self._refresh_timer.start()
        self._build()
        self._build_actions()
        self._load()
        self.search.setFocus()

    # layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("meetingTitle")
        self.title_label.setFont(_font(TITLE_POINTS, bold=True))
        self.date_label = QLabel()
        self.date_label.setObjectName("meetingDate")
        self.count_label = QLabel()
        self.count_label.setObjectName("presentCount")
        self.count_label.setFont(_font(TITLE_POINTS, bold=True))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.date_label)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.count_label)

        self.search = DoorSearchBox(self)
        self.search.setObjectName("doorSearch")
        self.search.setFont(_font(MESSAGE_POINTS))
        self.search.setPlaceholderText("Type a name, number or postcode, then Enter")
        self.search.textChanged.connect(self._text_changed)
        self.matches = QListWidget()
        self.matches.setObjectName("doorMatches")
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A line too long for the column ends in "…" rather than scrolling sideways.
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches.itemDoubleClicked.connect(self._double_clicked)
        self.hint = QLabel()
        self.hint.setObjectName("doorHint")
        self.hint.setFont(_font(HINT_POINTS))
        self.hint.setStyleSheet("color: #555;")
        self.message = QLabel(" ")
        self.message.setObjectName("doorMessage")
        self.message.setFont(_font(MESSAGE_POINTS, bold=True))
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 8)
        # "Still at 12 Acacia Road?": a yes confirms the address in one click; saying
        # nothing (the next check-in) leaves it as it was.
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("confirmAddress")
        self.confirm_button.setFont(_font(BASE_POINTS))
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.clicked.connect(lambda: self.confirm_stale_address())
        self.confirm_button.hide()
        self._stale_person: int | None = None
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.matches, 1)
        left.addWidget(self.hint)
        left.addWidget(self.message)
        left.addWidget(self.confirm_button)

        in_label = QLabel("Who is in")
        self.present_list = QListWidget()
        self.present_list.setObjectName("presentList")
        self.present_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.present_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.present_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.addWidget(in_label)
        right.addWidget(self.present_list, 1)
        middle = QHBoxLayout()
        middle.addLayout(left, 5)
        middle.addLayout(right, 3)

        self.undo_button = QPushButton("Undo last check-in  (Ctrl+Z)")
        self.undo_button.setObjectName("undoCheckIn")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.clicked.connect(lambda: self.undo_last())
        self.full_screen_button = QPushButton("Full screen  (F11)")
        self.full_screen_button.setObjectName("fullScreenButton")
        self.full_screen_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.full_screen_button.clicked.connect(lambda: self.toggle_full_screen())
        close_button = QPushButton("Close")
        close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close_button.clicked.connect(lambda: self.close())
        self.walk_in_button = QPushButton("Walk-in…  (F3)")
        self.walk_in_button.setObjectName("walkIn")
        self.walk_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.walk_in_button.clicked.connect(lambda: self.add_walk_in())
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.walk_in_button)
        buttons.addStretch(1)
        buttons.addWidget(self.full_screen_button)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)

    def _build_actions(self) -> None:
        self.undo_action = QAction("Undo last check-in", self)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(lambda: self.undo_last())
        self.full_screen_action = QAction("Full screen", self)
        self.full_screen_action.setShortcut(QKeySequence("F11"))
        self.full_screen_action.triggered.connect(lambda: self.toggle_full_screen())
        self.leave_full_screen_action = QAction("Leave full screen", self)
        self.leave_full_screen_action.setShortcut(QKeySequence("Escape"))
        self.leave_full_screen_action.triggered.connect(lambda: self._escape())
        self.walk_in_action = QAction("Walk-in", self)
        self.walk_in_action.setShortcut(QKeySequence("F3"))
        self.walk_in_action.triggered.connect(lambda: self.add_walk_in())
        for action in (
            self.undo_action,
            self.full_screen_action,
            self.leave_full_screen_action,
            self.walk_in_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self._update_undo()

    def _load(self) -> None:
        with self.database.session() as session:
            meeting = find_meeting(session, self.meeting_id)
            self.quorum_needed = quorum(session, self.meeting_id).needed
        self.title_label.setText(meeting.title)
        self.date_label.setText(describe_meeting(meeting))
        self.setWindowTitle(f"Check-in: {meeting.title}")
        self.refresh()

    def refresh(self) -> None:
        """Who is in, from the database, latest first.

        Run every REFRESH_MS too: another laptop at a second door checks people in, and a
        laptop waking from sleep shows what happened meanwhile.
        """
        with self.database.session() as session:
            people = arrivals(session, self.meeting_id)
        self.present_list.clear()
        for arrival in people:
            self._add_present(arrival, at_top=False)
        self._show_count(len(people))

    # searching -----------------------------------------------------------------------

    def _text_changed(self, _text: str) -> None:
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        if not text or text.upper().startswith(QR_PREFIX):
            self.matches.clear()
            self.hint.clear()
            return
        with self.database.session() as session:
            found = door_matches(session, text, limit=MATCHES)
        self._show_matches(found.people)
        self.hint.setText(describe_matches(found))

    def _show_matches(self, people: list[PersonRow]) -> None:
        # The lines are rewritten in place: clearing and refilling the list relaid it out
        # and was a third of a keystroke.
        while self.matches.count() > len(people):
            self.matches.takeItem(self.matches.count() - 1)
        for row, person in enumerate(people):
            item = self.matches.item(row)
            if item is None:
                item = QListWidgetItem()
                self.matches.addItem(item)
            item.setText(describe_person(person))
            item.setData(Qt.ItemDataRole.UserRole, person.id)
        if people:
            self.matches.setCurrentRow(0)

    def move_selection(self, step: int) -> None:
        if self._timer.isActive():
            self.search_now()
        count = self.matches.count()
        if count:
            row = max(0, min(count - 1, self.matches.currentRow() + step))
            self.matches.setCurrentRow(row)

    def selected_person(self) -> int | None:
        item = self.matches.currentItem()
        if item is None:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    # checking in ---------------------------------------------------------------------

    def check_in_typed(self) -> None:
        """What Enter does: a scanned code checks its person in; a name checks the match."""
        text = self.search.text().strip()
        if not text:
            return
        if text.upper().startswith(QR_PREFIX):
            self._check_in(code=text)
            return
        if self._timer.isActive():
            self.search_now()
        person_id = self.selected_person()
        if person_id is None:
            self._say(f"No one matches “{text}”.", ok=False)
            return
        self._check_in(person_id=person_id)

    def _double_clicked(self, item: QListWidgetItem) -> None:
        self._check_in(person_id=int(item.data(Qt.ItemDataRole.UserRole)))

    def _check_in(self, *, person_id: int | None = None, code: str | None = None) -> None:
        try:
            with self.database.session() as session:
                method = "search"
                if code is not None:
                    person_id = person_from_code(session, code)
                    method = "scan"
                assert person_id is not None
                done = check_in(session, self.meeting_id, person_id, method=method)
                present = find_meeting(session, self.meeting_id).present
                question = None if done.already else stale_address_question(session, person_id)
        except UserError as error:
            if code is not None:
                self._clear_search()
            self._say(str(error), ok=False)
            return
        self._clear_search()
        if done.already:
            self._say(f"{done.name} was already checked in", ok=True)
        else:
            self.made_here.append((done.person_id, done.name))
            self._add_present(Arrival(done.person_id, done.name, done.checked_in_at), at_top=True)
            self._say(f"{done.name} is in", ok=True)
        self._ask(done.person_id, question)
        self._show_count(present)
        self._update_undo()

    def undo_last(self) -> None:
        if not self.made_here:
            self._say("There is no check-in to undo.", ok=False)
            return
        person_id, name = self.made_here[-1]
        try:
            with self.database.session() as session:
                undo_check_in(session, self.meeting_id, person_id)
                present = find_meeting(session, self.meeting_id).present
        except UserError as error:
            self.made_here.pop()  # Gone already (undone elsewhere): nothing left to undo.
            self._update_undo()
            self._say(str(error), ok=False)
            return
        self.made_here.pop()
        for row in range(self.present_list.count()):
            if self.present_list.item(row).data(Qt.ItemDataRole.UserRole) == person_id:
                self.present_list.takeItem(row)
                break
        self._show_count(present)
        self._update_undo()
        self._say(f"Undone: {name} is no longer checked in", ok=True)
        self.search.setFocus()

    # the rest ------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.search.setFocus()

    def _escape(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        elif self.search.text():
            self._clear_search()

    def _clear_search(self) -> None:
        self.search.clear()
        self._timer.stop()
        self.matches.clear()
        self.hint.clear()
        self.search.setFocus()

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet(_OK_STYLE if ok else _PROBLEM_STYLE)
        self.message.setText(text)

    def _add_present(self, arrival: Arrival, *, at_top: bool) -> None:
        when = arrival.local_time
        item = QListWidgetItem(f"{when:%H:%M}   {arrival.name}" if when else arrival.name)
        item.setData(Qt.ItemDataRole.UserRole, arrival.person_id)
        if at_top:
            self.present_list.insertItem(0, item)
        else:
            self.present_list.addItem(item)

    def _show_count(self, present: int) -> None:
        text = f"{present:,} present"
        needed = getattr(self, "quorum_needed", None)
        if needed is not None:
            short = needed - present
            text += " · quorate" if short <= 0 else f" · {short} short of quorum"
        self.count_label.setText(text)

    def _ask(self, person_id: int, question: str | None) -> None:
        self._stale_person = person_id if question else None
        if question:
            self.confirm_button.setText(f"{question}  Yes, confirm")
        self.confirm_button.setVisible(bool(question))

    def confirm_stale_address(self) -> None:
        if self._stale_person is None:
            return
        with self.database.session() as session:
            confirm_address(session, self._stale_person)
        self._ask(self._stale_person, None)
        self._say("Address confirmed", ok=True)
        self.search.setFocus()

    def add_walk_in(self) -> None:
        dialog = WalkInDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        form = dialog.form()
        try:
            with self.database.session() as session:
                person_id = walk_in(session, self.meeting_id, form)
        except UserError as error:
            self._say(str(error), ok=False)
            return
        name = f"{form.first_name.strip()} {form.last_name.strip()}".strip()
        self.made_here.append((person_id, name))
        self.refresh()
        self._say(f"{name} is in (walk-in)", ok=True)
        self._update_undo()
        self.search.setFocus()

    def _update_undo(self) -> None:
        enabled = bool(self.made_here)
        self.undo_button.setEnabled(enabled)
        self.undo_action.setEnabled(enabled)

    def _refresh_quietly(self) -> None:
        # A database that cannot be reached just now (a server still waking up) is tried
        # again at the next tick rather than interrupting the door with an error.
        with contextlib.suppress(UserError):
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self._refresh_timer.stop()
        super().closeEvent(event)


# the dialogs that lead to the door ------------------------------------------------------


def next_thursday_evening(today: dt.date | None = None) -> dt.datetime:
    """Branch meetings' usual slot: the coming Thursday (not today) at 19:30."""
    today = today or dt.date.today()
    days = (3 - today.weekday()) % 7 or 7
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(19, 30))


class AddMeetingDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a meeting")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("meetingTitleEdit")
        self.kind_combo = QComboBox()
        for kind in MEETING_KINDS:
            self.kind_combo.addItem(MEETING_KIND_LABELS.get(kind, kind), kind)
        start = next_thursday_evening(today)
        self.starts_edit = QDateTimeEdit(
            QDateTime(QDate(start.year, start.month, start.day), QTime(start.hour, start.minute))
        )
        self.starts_edit.setCalendarPopup(True)
        self.starts_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.venue_edit = QLineEdit()
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Kind:", self.kind_combo)
        form.addRow("&Starts:", self.starts_edit)
        form.addRow("&Venue:", self.venue_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def new_meeting(self) -> NewMeeting:
        when = self.starts_edit.dateTime()
        date, time = when.date(), when.time()
        starts = dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())
        return NewMeeting(
            title=self.title_edit.text(),
            starts_at=starts,
            kind=str(self.kind_combo.currentData()),
            venue=self.venue_edit.text().strip() or None,
        )


class ChooseMeetingDialog(QDialog):
    """Which meeting the door is for: today's if there is one, else the next."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check-in at the door")
        now = dt.datetime.now()
        with database.session() as session:
            # Upcoming soonest first, then past ones latest first.
            self.meetings = [
                *list_meetings(session, upcoming=True, now=now),
                *list_meetings(session, upcoming=False, now=now),
            ]
        self.combo = QComboBox()
        self.combo.setObjectName("meetingCombo")
        for meeting in self.meetings:
            self.combo.addItem(
                f"{meeting.starts_at:%a} {meeting.starts_at.day} "
                f"{meeting.starts_at:%b %Y %H:%M}  —  {meeting.title}",
                meeting.id,
            )
        today = [i for i, m in enumerate(self.meetings) if m.starts_at.date() == now.date()]
        if today:
            self.combo.setCurrentIndex(today[0])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Which meeting are people arriving for?"))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def meeting_id(self) -> int | None:
        data = self.combo.currentData()
        return None if data is None else int(data)
