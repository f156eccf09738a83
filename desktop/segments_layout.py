"""The widgets of the Segments window, laid out; what they do is ``desktop.segments_window``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.undo_actions import action_button
from desktop.undo_history import UndoHistory


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


class SegmentsLayout:
    """Builds the window's widgets onto ``window`` and keeps them as attributes."""

    def __init__(self, window: QWidget, history: UndoHistory) -> None:
        self.segment_list = QTreeWidget()
        self.segment_list.setObjectName("segmentList")
        self.segment_list.setHeaderLabels(["Segment", "People"])
        self.segment_list.setRootIsDecorated(False)
        self.segment_list.setUniformRowHeights(True)
        self.segment_list.setAlternatingRowColors(True)
        header = self.segment_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = _button("&New", "newSegmentButton")
        self.delete_button = _button("&Delete…", "deleteSegmentButton")
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        list_buttons.addStretch(1)
        list_box = QGroupBox("Saved segments")
        list_layout = QVBoxLayout(list_box)
        list_layout.addWidget(self.segment_list, 1)
        list_layout.addLayout(list_buttons)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("segmentName")
        self.name_edit.setPlaceholderText("Name for a new segment, e.g. “Kirkstall members”")
        self.builtin_note = QLabel("Built in: it cannot be changed, but Save as… makes a copy.")
        self.builtin_note.setStyleSheet("color: #555;")
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("Name:"))
        name_row.addWidget(self.name_edit, 1)

        self.rules = QTreeWidget()
        self.rules.setObjectName("segmentRules")
        self.rules.setHeaderHidden(True)
        self.rules.setMinimumHeight(160)
        self.add_rule_button = _button("Add &rule…", "addRuleButton")
        self.add_group_button = QToolButton()
        self.add_group_button.setObjectName("addGroupButton")
        self.add_group_button.setText("Add &group")
        self.add_group_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.group_menu = QMenu(self.add_group_button)
        self.add_group_button.setMenu(self.group_menu)
        self.remove_button = _button("Re&move", "removeRuleButton")
        rule_buttons = QHBoxLayout()
        rule_buttons.addWidget(self.add_rule_button)
        rule_buttons.addWidget(self.add_group_button)
        rule_buttons.addWidget(self.remove_button)
        rule_buttons.addStretch(1)
        self.save_button = _button("&Save", "saveSegmentButton")
        self.save_as_button = _button("Save &as…", "saveSegmentAsButton")
        rule_buttons.addWidget(self.save_button)
        rule_buttons.addWidget(self.save_as_button)
        self.rules_box = QGroupBox("Who is in it")
        rules_layout = QVBoxLayout(self.rules_box)
        rules_layout.addLayout(name_row)
        rules_layout.addWidget(self.builtin_note)
        rules_layout.addWidget(self.rules, 1)
        rules_layout.addLayout(rule_buttons)

        self.count_label = QLabel(" ")
        self.count_label.setObjectName("segmentCount")
        self.count_label.setWordWrap(True)
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.count_label.setFont(font)
        self.people = QListWidget()
        self.people.setObjectName("segmentPeople")
        self.people.setUniformItemSizes(True)
        self.export_button = _button("&Export to Excel…", "exportSegmentButton")
        people_top = QHBoxLayout()
        people_top.addWidget(self.count_label, 1)
        people_top.addWidget(self.export_button)
        people_box = QGroupBox("People it matches today")
        people_layout = QVBoxLayout(people_box)
        people_layout.addLayout(people_top)
        people_layout.addWidget(self.people, 1)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.rules_box)
        right.addWidget(people_box)
        right.setChildrenCollapsible(False)
        right.setSizes([330, 330])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 860])

        self.status = QLabel(" ")
        self.status.setObjectName("segmentsStatus")
        self.close_button = _button("Close", "closeButton")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(action_button(history.undo_action))
        bottom.addWidget(action_button(history.redo_action))
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(window)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
