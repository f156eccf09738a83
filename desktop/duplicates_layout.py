"""The duplicates window's widgets and how they are laid out; ``duplicates_window`` gives
them their behaviour.

The likely pairs above; below, the chosen pair's two records side by side, the buttons that
merge them or set them apart, and what the last merge did.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.duplicates_model import DIFFERS_BACKGROUND, ComparisonModel, PairListModel


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)
    return table


class DuplicatesLayout:
    """Builds the widgets onto ``central``; the window keeps a reference and wires them."""

    def __init__(self, pairs: PairListModel, comparison: ComparisonModel) -> None:
        self.central = QWidget()

        self.intro = QLabel("Looking for people who are on the list twice…")
        self.intro.setObjectName("duplicatesIntro")
        self.intro.setWordWrap(True)
        self.look_again_button = QPushButton("&Look again")
        self.look_again_button.setObjectName("lookAgainButton")
        self.look_again_button.setToolTip(
            "Search the whole list again, for pairs a merge or an edit has made."
        )
        intro_row = QHBoxLayout()
        intro_row.addWidget(self.intro, 1)
        intro_row.addWidget(self.look_again_button)

        self.pairs_table = _table("pairsTable")
        self.pairs_table.setModel(pairs)
        self.pairs_table.setAlternatingRowColors(True)
        self.pairs_table.setWordWrap(False)
        self.pairs_table.verticalHeader().setDefaultSectionSize(24)
        header = self.pairs_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate([260, 260, 340, 100]):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(intro_row)
        top_layout.addWidget(self.pairs_table, 1)

        self.compare_title = QLabel("<b>Choose a pair above to compare the two records.</b>")
        self.compare_title.setObjectName("compareTitle")
        self.comparison_table = _table("comparisonTable")
        self.comparison_table.setModel(comparison)
        self.comparison_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.comparison_table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.comparison_table.setWordWrap(True)
        self.comparison_table.setShowGrid(True)
        compare_header = self.comparison_table.horizontalHeader()
        compare_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        compare_header.resizeSection(0, 230)
        compare_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        compare_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.comparison_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )

        self.legend = QLabel(
            f'<span style="background-color: {DIFFERS_BACKGROUND.name()}; color: #1a1a1a">'
            "&nbsp;<b>Highlighted</b>&nbsp;</span> lines differ between the two records."
        )
        self.legend.setObjectName("differsLegend")
        self.merge_left_button = QPushButton("Merge into &left")
        self.merge_left_button.setObjectName("mergeLeftButton")
        self.merge_right_button = QPushButton("Merge into &right")
        self.merge_right_button.setObjectName("mergeRightButton")
        self.not_same_button = QPushButton("&Not the same person")
        self.not_same_button.setObjectName("notSameButton")
        self.not_same_button.setToolTip(
            "Remember that these are two different people, so the pair is not suggested again."
        )
        # The window puts its Undo and Redo buttons first.
        self.buttons = buttons = QHBoxLayout()
        buttons.addWidget(self.legend, 1)
        buttons.addWidget(self.not_same_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.merge_left_button)
        buttons.addWidget(self.merge_right_button)

        self.result = QLabel()
        self.result.setObjectName("mergeResult")
        self.result.setWordWrap(True)
        self.result.setFrameShape(QFrame.Shape.StyledPanel)
        self.result.setMargin(6)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.compare_title)
        bottom_layout.addWidget(self.comparison_table, 1)
        bottom_layout.addLayout(buttons)
        bottom_layout.addWidget(self.result)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 480])

        layout = QVBoxLayout(self.central)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter, 1)
