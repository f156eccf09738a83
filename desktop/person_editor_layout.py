"""The person editor's widgets and how they are laid out; no behaviour (that is in
``desktop.person_editor``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from db.models.vocabulary import (
    CHANNEL_LABELS,
    CHANNELS,
    DETAIL_GROUPS,
    EMAIL_KINDS,
    PERSON_STATUS_LABELS,
    PERSON_STATUSES,
    PHONE_KINDS,
    VERIFICATION_SOURCE_LABELS,
    VERIFICATION_SOURCES,
)
from db.person_edit import ADDRESS_FIELDS

# Text fields on the Details tab, in the order they are laid out.
NAME_FIELDS = ("title", "first_name", "middle_names", "last_name", "preferred_name")
NAME_LABELS = {
    "title": "Title",
    "first_name": "First name",
    "middle_names": "Middle names",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
}
MEMBERSHIP_LABELS = {
    "membership_number": "Membership number",
    "membership_type": "Membership type",
    "joined_on": "Joined",
    "lapsed_on": "Lapsed",
}
DATE_FIELDS = ("date_of_birth", "joined_on", "lapsed_on")
DATE_HINT = "dd/mm/yyyy"
ADDRESS_LABELS = {
    "line1": "Address",
    "line2": "",
    "line3": "",
    "town": "Town",
    "county": "County",
    "postcode": "Postcode",
}
ANSWERS: list[tuple[str, bool | None]] = [
    ("No answer", None),
    ("Allowed", True),
    ("Not allowed", False),
]
DETAIL_LABELS = {
    "address": "Address",
    "email": "Email",
    "phone": "Phone",
    "membership": "Membership",
}
# The one-click "Mark verified" says how; in person unless chosen otherwise.
DEFAULT_HOW = "in_person"
TABS = ("details", "contact", "household", "preferences", "verified", "history")
TAB_TITLES = {
    "details": "&Details",
    "contact": "&Contact",
    "household": "&Household",
    "preferences": "&Preferences",
    "verified": "&Verified",
    "history": "Hi&story",
}


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def _tree(name: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setUniformRowHeights(True)
    return tree


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color:#555")
    label.setWordWrap(True)
    return label


class ContactBox(QGroupBox):
    """One list of emails or of phones, with what can be done to them."""

    def __init__(self, what: str, kinds: tuple[str, ...]) -> None:
        title = "Email addresses" if what == "email" else "Phone numbers"
        super().__init__(title)
        self.what = what
        noun = "email address" if what == "email" else "phone number"
        self.list = _tree(f"{what}List", [noun.capitalize(), "Kind", "Main"])
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.new_value = _line(f"new_{what}", f"New {noun}")
        self.new_kind = QComboBox()
        self.new_kind.setObjectName(f"new_{what}_kind")
        self.new_kind.addItems([k.capitalize() for k in kinds])
        self.add_button = QPushButton("&Add" if what == "email" else "A&dd")
        self.add_button.setObjectName(f"add_{what}")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName(f"remove_{what}")
        self.primary_button = QPushButton("Make main")
        self.primary_button.setObjectName(f"primary_{what}")
        self.kind = QComboBox()
        self.kind.setObjectName(f"{what}_kind")
        self.kind.addItems([k.capitalize() for k in kinds])
        self.kind.setToolTip(f"What kind of {noun} the chosen one is.")
        self.kinds = kinds

        adding = QHBoxLayout()
        adding.addWidget(self.new_value, 1)
        adding.addWidget(self.new_kind)
        adding.addWidget(self.add_button)
        chosen = QHBoxLayout()
        chosen.addWidget(QLabel("Chosen:"))
        chosen.addWidget(self.kind)
        chosen.addWidget(self.primary_button)
        chosen.addWidget(self.remove_button)
        chosen.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(chosen)
        layout.addLayout(adding)


class EditorLayout:
    """Builds the tabs; every widget the editor reads or fills is an attribute."""

    def __init__(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("personHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("personTabs")
        self.text_fields: dict[str, QLineEdit] = {}
        builders = {
            "details": self._details,
            "contact": self._contact,
            "household": self._household,
            "preferences": self._preferences,
            "verified": self._verified,
            "history": self._history,
        }
        self.pages: dict[str, QWidget] = {}
        for key in TABS:
            page = builders[key]()
            page.setObjectName(f"{key}Tab")
            self.pages[key] = page
            self.tabs.addTab(page, TAB_TITLES[key])
        self.central = QWidget()
        layout = QVBoxLayout(self.central)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)

    # Details -------------------------------------------------------------------------

    def _details(self) -> QWidget:
        names = QFormLayout()
        for name in (*NAME_FIELDS, "date_of_birth"):
            hint = DATE_HINT if name in DATE_FIELDS else ""
            self.text_fields[name] = _line(name, hint)
            names.addRow(NAME_LABELS[name], self.text_fields[name])
        name_box = QGroupBox("Name")
        name_box.setLayout(names)

        membership = QFormLayout()
        self.status = QComboBox()
        self.status.setObjectName("status")
        for status in PERSON_STATUSES:
            self.status.addItem(PERSON_STATUS_LABELS[status], status)
        membership.addRow("Status", self.status)
        for name, label in MEMBERSHIP_LABELS.items():
            hint = DATE_HINT if name in DATE_FIELDS else ""
            self.text_fields[name] = _line(name, hint)
            membership.addRow(label, self.text_fields[name])
        self.follow_up = QCheckBox("Needs following up")
        self.follow_up.setObjectName("follow_up")
        membership.addRow("", self.follow_up)
        membership_box = QGroupBox("Membership")
        membership_box.setLayout(membership)

        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setPlaceholderText("Anything worth remembering about this person.")
        self.notes.setTabChangesFocus(True)
        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes)

        page = QWidget()
        grid = QGridLayout(page)
        grid.addWidget(name_box, 0, 0)
        grid.addWidget(membership_box, 0, 1)
        grid.addWidget(notes_box, 1, 0, 1, 2)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.addWidget(
            _muted("A change is saved when you leave the field or press Enter; Ctrl+Z undoes it."),
            2,
            0,
            1,
            2,
        )
        return page

    # Contact -------------------------------------------------------------------------

    def _contact(self) -> QWidget:
        self.emails = ContactBox("email", EMAIL_KINDS)
        self.phones = ContactBox("phone", PHONE_KINDS)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.emails, 1)
        layout.addWidget(self.phones, 1)
        return page

    # Household -----------------------------------------------------------------------

    def _household(self) -> QWidget:
        form = QFormLayout()
        self.address_fields: dict[str, QLineEdit] = {}
        for name in ADDRESS_FIELDS:
            self.address_fields[name] = _line(f"address_{name}")
            form.addRow(ADDRESS_LABELS[name], self.address_fields[name])
        self.address_where = _muted()
        self.address_where.setObjectName("addressWhere")
        form.addRow("", self.address_where)
        self.save_address = QPushButton("Save as the new address for the &whole household")
        self.save_address.setObjectName("saveAddress")
        self.save_address.setToolTip("Everyone living here moves with the address.")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_address)
        address_box = QGroupBox("Address")
        address_layout = QVBoxLayout(address_box)
        address_layout.addLayout(form)
        address_layout.addLayout(buttons)

        self.residents = _tree("residents", ["Also lives here", "Status"])
        self.residents.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.residents.header().setStretchLastSection(False)
        self.move_button = QPushButton("&Move to another household…")
        self.move_button.setObjectName("moveHousehold")
        self.move_out_button = QPushButton("Move &out to a new address…")
        self.move_out_button.setObjectName("moveOut")
        moves = QHBoxLayout()
        moves.addWidget(self.move_button)
        moves.addWidget(self.move_out_button)
        moves.addStretch(1)
        residents_box = QGroupBox("Household")
        residents_layout = QVBoxLayout(residents_box)
        residents_layout.addWidget(self.residents, 1)
        residents_layout.addLayout(moves)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(address_box)
        layout.addWidget(residents_box, 1)
        return page

    # Preferences ---------------------------------------------------------------------

    def _preferences(self) -> QWidget:
        grid = QGridLayout()
        for column, title in enumerate(["", "May we use it?", "How we know", "Recorded"]):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.answers: dict[str, QComboBox] = {}
        self.answer_how: dict[str, QLineEdit] = {}
        self.answer_when: dict[str, QLabel] = {}
        for row, channel in enumerate(CHANNELS, start=1):
            grid.addWidget(QLabel(CHANNEL_LABELS[channel]), row, 0)
            answer = QComboBox()
            answer.setObjectName(f"answer_{channel}")
            for text, value in ANSWERS:
                answer.addItem(text, value)
            self.answers[channel] = answer
            grid.addWidget(answer, row, 1)
            how = _line(f"how_{channel}", "e.g. asked at the AGM")
            self.answer_how[channel] = how
            grid.addWidget(how, row, 2)
            when = _muted()
            when.setObjectName(f"when_{channel}")
            when.setWordWrap(False)
            self.answer_when[channel] = when
            grid.addWidget(when, row, 3)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        box = QGroupBox("Contact preferences")
        box.setLayout(grid)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(box)
        layout.addWidget(
            _muted(
                "Letters, emails, calls and texts go only to people who said yes. "
                "Changing an answer records today's date."
            )
        )
        layout.addStretch(1)
        return page

    # Verified ------------------------------------------------------------------------

    def _verified(self) -> QWidget:
        grid = QGridLayout()
        for column, title in enumerate(["", "Last verified", "How", "Confirm now"]):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.verified_on: dict[str, QLabel] = {}
        self.verified_how: dict[str, QLabel] = {}
        self.verify_how: dict[str, QComboBox] = {}
        self.verify_buttons: dict[str, QPushButton] = {}
        for row, detail in enumerate(DETAIL_GROUPS, start=1):
            grid.addWidget(QLabel(DETAIL_LABELS[detail]), row, 0)
            on = QLabel()
            on.setObjectName(f"verified_on_{detail}")
            self.verified_on[detail] = on
            grid.addWidget(on, row, 1)
            how = _muted()
            how.setObjectName(f"verified_how_{detail}")
            self.verified_how[detail] = how
            grid.addWidget(how, row, 2)
            chooser = QComboBox()
            chooser.setObjectName(f"verify_how_{detail}")
            chooser.setEditable(True)
            chooser.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for source in VERIFICATION_SOURCES:
                chooser.addItem(VERIFICATION_SOURCE_LABELS[source], source)
            chooser.setCurrentIndex(VERIFICATION_SOURCES.index(DEFAULT_HOW))
            self.verify_how[detail] = chooser
            button = QPushButton("Mark verified")
            button.setObjectName(f"verify_{detail}")
            self.verify_buttons[detail] = button
            confirm = QHBoxLayout()
            confirm.addWidget(chooser, 1)
            confirm.addWidget(button)
            grid.addLayout(confirm, row, 3)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(1, 110)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        box = QGroupBox("When these details were last confirmed")
        box.setLayout(grid)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(box)
        layout.addWidget(
            _muted(
                "Mark verified records today's date. Choose how it was confirmed, or type "
                "your own words."
            )
        )
        layout.addStretch(1)
        return page

    # History -------------------------------------------------------------------------

    def _history(self) -> QWidget:
        self.history = _tree("history", ["When", "Who", "What", "Was", "Now"])
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setWordWrap(False)
        header = self.history.header()
        for column, width in enumerate([125, 70, 250, 130]):
            header.resizeSection(column, width)
        self.history_note = _muted()
        self.history_note.setObjectName("historyNote")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.history_note)
        return page
