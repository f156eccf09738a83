"""The data-quality window's tabs and how each is laid out; ``data_quality_window`` gives
them their behaviour.

Each tab says what it lists, offers a choice of which of its lines to show (missing or wrong;
which details), and has the table. The tab of old details also has the number of months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.data_quality import QualityIssue
from db.models.vocabulary import DETAIL_GROUPS
from desktop.quality_issues_model import IssuesModel

DEFAULT_MONTHS = 24
OPEN_HINT = "Double-click a person to open them and put it right."
GROUP_LABELS = {
    "address": "Address",
    "email": "Email",
    "phone": "Phone",
    "membership": "Membership",
}


@dataclass(frozen=True)
class Tab:
    key: str
    title: str
    hint: str
    working: str  # the progress dialog's words
    missing: str = ""  # what a missing value is called in the Show list


TABS = (
    Tab(
        "emails",
        "Email",
        "People with no email address, or one that cannot be right.",
        "Checking everyone's email addresses…",
        "No email address",
    ),
    Tab(
        "phones",
        "Phone",
        "People with no phone number, or one that cannot be right.",
        "Checking everyone's phone numbers…",
        "No phone number",
    ),
    Tab(
        "postcodes",
        "Postcode",
        "People with no address or postcode, or a postcode that is not one or is written oddly.",
        "Checking everyone's postcodes…",
        "No address or postcode",
    ),
    Tab(
        "unverified",
        "Not confirmed",
        "Details nobody has confirmed for longer than this (never confirmed counts too).",
        "Finding details nobody has confirmed for a long time…",
    ),
)

Choice = Callable[[QualityIssue], bool]


def _missing(issue: QualityIssue) -> bool:
    return issue.value is None


def _wrong(issue: QualityIssue) -> bool:
    return issue.value is not None


def _in_group(group: str) -> Choice:
    return lambda issue: issue.detail == group


class IssuesPage(QWidget):
    """One tab: what it lists, which lines to show, and the table."""

    def __init__(self, tab: Tab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        self.model = IssuesModel(self)
        self.hint = QLabel(f"{tab.hint} {OPEN_HINT}")
        self.hint.setWordWrap(True)
        self.shown = QLabel("Not counted yet.")
        self.shown.setObjectName(f"{tab.key}Shown")
        self.table = QTableView()
        self.table.setObjectName(f"{tab.key}Table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)
        header.resizeSection(1, 80)
        header.setStretchLastSection(True)

        # Which lines to show: each choice keeps the lines its test passes (None: all).
        self.choice = QComboBox()
        self.choice.setObjectName(f"{tab.key}Choice")
        self.choices: list[Choice | None] = [None]
        self.months: QSpinBox | None = None
        row = QHBoxLayout()
        if tab.key == "unverified":
            self.months = QSpinBox()
            self.months.setObjectName("monthsSpin")
            self.months.setRange(1, 600)
            self.months.setValue(DEFAULT_MONTHS)
            self.months.setSuffix(" months")
            self.months.setKeyboardTracking(False)  # typing "36" is one change, not two
            months_label = QLabel("Not confirmed for &more than")
            months_label.setBuddy(self.months)
            row.addWidget(months_label)
            row.addWidget(self.months)
            row.addSpacing(16)
            self.choice.addItem("All details")
            for group in DETAIL_GROUPS:
                self.choice.addItem(GROUP_LABELS.get(group, group.capitalize()), group)
                self.choices.append(_in_group(group))
            choice_label = QLabel("&Which details:")
        else:
            self.choice.addItem("Missing or wrong")
            self.choice.addItem(tab.missing)
            self.choice.addItem("Wrong only")
            self.choices += [_missing, _wrong]
            choice_label = QLabel("&Show:")
        choice_label.setBuddy(self.choice)
        row.addWidget(choice_label)
        row.addWidget(self.choice)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        layout.addWidget(self.shown)
        layout.addWidget(self.table, 1)

    def chosen(self, issues: list[QualityIssue]) -> list[QualityIssue]:
        """The lines the Show (or Which details) list keeps."""
        keep = self.choices[max(self.choice.currentIndex(), 0)]
        return issues if keep is None else [issue for issue in issues if keep(issue)]
