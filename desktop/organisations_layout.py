"""The widgets of the Organisations window and where they sit: three tabs, for the
organisations themselves, one person's affiliations, and the branch's members by union.
``organisations_window`` gives them life."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.models.vocabulary import ORGANISATION_KIND_LABELS, ORGANISATION_KINDS
from desktop.activity_dialog import qdate
from desktop.bar_chart import BarChart
from desktop.person_picker import PersonSearch

_MUTED = "color: #555;"


def _tree(object_name: str, headers: list[str], widths: list[int]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(object_name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = tree.header()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return tree


def _date_edit(day: dt.date, object_name: str) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setObjectName(object_name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setMinimumWidth(130)
    return edit


class OrganisationsLayout(QWidget):
    def __init__(self, database: Database, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("organisationTabs")
        self.tabs.addTab(self._organisations_tab(), "&Organisations")
        self.tabs.addTab(self._affiliations_tab(database, today), "A &person's organisations")
        self.tabs.addTab(self._unions_tab(), "&Union members")
        self.status = QLabel(" ")
        self.status.setObjectName("organisationsStatus")
        self.close_button = QPushButton("Close")
        # Given their actions (Undo, Redo) by the window, which names the command in the tip.
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undoButton")
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("redoButton")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.undo_button, self.redo_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bottom.addWidget(button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _organisations_tab(self) -> QWidget:
        self.organisation_list = _tree(
            "organisationList", ["Name", "Short name", "Kind", "Belong now"], [360, 120, 200]
        )
        header = self.organisation_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("organisationName")
        self.name_edit.setPlaceholderText("e.g. Unite the Union")
        self.short_edit = QLineEdit()
        self.short_edit.setObjectName("organisationShortName")
        self.short_edit.setPlaceholderText("e.g. Unite")
        self.short_edit.setMaximumWidth(160)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("organisationKind")
        for kind in ORGANISATION_KINDS:
            self.kind_combo.addItem(ORGANISATION_KIND_LABELS.get(kind, kind), kind)
        self.add_organisation_button = QPushButton("&Add organisation")
        self.add_organisation_button.setObjectName("addOrganisationButton")
        row = QHBoxLayout()
        for text, widget in (
            ("&Name:", self.name_edit),
            ("S&hort name:", self.short_edit),
            ("&Kind:", self.kind_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1 if widget is self.name_edit else 0)
        row.addWidget(self.add_organisation_button)
        box = QGroupBox("Add an organisation")
        box.setLayout(row)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.organisation_list, 1)
        layout.addWidget(box)
        return page

    def _affiliations_tab(self, database: Database, today: dt.date) -> QWidget:
        self.finder = PersonSearch(database, placeholder="Type a name or number, then Enter")
        find_label = QLabel("&Find the person:")
        find_label.setBuddy(self.finder.search)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(find_label)
        left_layout.addWidget(self.finder, 1)

        self.person_label = QLabel("Find someone on the left and press Enter.")
        self.person_label.setObjectName("affiliationPerson")
        font = self.person_label.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.person_label.setFont(font)
        self.affiliation_list = _tree(
            "affiliationList",
            ["Organisation", "Role", "Since", "Until", "Now?"],
            [170, 120, 90, 90],
        )
        self.until_edit = _date_edit(today, "affiliationUntil")
        self.end_button = QPushButton("&End the selected one on")
        self.end_button.setObjectName("endAffiliationButton")
        end_row = QHBoxLayout()
        end_row.addStretch(1)
        end_row.addWidget(self.end_button)
        end_row.addWidget(self.until_edit)

        self.organisation_combo = QComboBox()
        self.organisation_combo.setObjectName("affiliationOrganisation")
        self.organisation_combo.setMinimumWidth(340)
        self.role_edit = QLineEdit()
        self.role_edit.setObjectName("affiliationRole")
        self.role_edit.setPlaceholderText("e.g. shop steward (optional)")
        self.since_check = QCheckBox("S&ince")
        self.since_check.setObjectName("affiliationSinceKnown")
        self.since_check.setToolTip("Leave unticked when nobody knows since when.")
        self.since_edit = _date_edit(today, "affiliationSince")
        self.since_edit.setEnabled(False)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)
        self.affiliate_button = QPushButton("Add &affiliation")
        self.affiliate_button.setObjectName("affiliateButton")
        form = QFormLayout()
        form.addRow("Or&ganisation:", self.organisation_combo)
        form.addRow("&Role:", self.role_edit)
        form.addRow("", since_row)
        add_row = QHBoxLayout()
        add_row.addLayout(form, 1)
        add_row.addWidget(self.affiliate_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.add_box = QGroupBox("Add an organisation they belong to")
        self.add_box.setLayout(add_row)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.person_label)
        right_layout.addWidget(self.affiliation_list, 1)
        right_layout.addLayout(end_row)
        right_layout.addWidget(self.add_box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 820])
        page = QWidget()
        QVBoxLayout(page).addWidget(splitter)
        return page

    def _unions_tab(self) -> QWidget:
        self.union_chart = BarChart(empty_text="No trade unions yet: add one on the first tab.")
        self.union_chart.setObjectName("unionChart")
        self.union_list = _tree("unionList", ["Union", "Members"], [320])
        self.union_list.header().setStretchLastSection(False)
        self.union_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.union_list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.union_note = QLabel(
            "Branch members (not supporters or contacts) in each trade union today."
        )
        self.union_note.setStyleSheet(_MUTED)
        self.union_note.setWordWrap(True)
        self.member_list = QListWidget()
        self.member_list.setObjectName("unionMemberList")
        self.members_box = QGroupBox("Members")
        members_layout = QVBoxLayout(self.members_box)
        members_layout.addWidget(self.member_list)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.union_chart)
        chart_box = QGroupBox("Members by union")
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.addWidget(self.union_note)
        chart_layout.addWidget(scroller, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.union_list)
        right.addWidget(self.members_box)
        right.setChildrenCollapsible(False)
        right.setSizes([260, 340])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(chart_box)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([660, 480])
        page = QWidget()
        QVBoxLayout(page).addWidget(splitter)
        return page
