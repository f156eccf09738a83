"""The questions window's widgets and their places; ``questions_window`` gives them life.

The question bank on the left, in the branch's order, with the buttons that change it
under it; on the right, how the people who answered the chosen question answer it now,
as bars with their numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.bar_chart import BarChart
from desktop.question_table_model import QuestionTableModel


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


class QuestionsLayout(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.model = QuestionTableModel()
        self.table = QTableView()
        self.table.setObjectName("questionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(2, 120)

        self.add_button = _button("&Add a question…", "addQuestionButton", "A new question, last")
        self.edit_button = _button(
            "&Change…", "editQuestionButton", "Its wording, options or most choices (F2)"
        )
        self.retire_button = _button(
            "&Retire", "retireQuestionButton", "Stop asking it; its answers are kept"
        )
        self.up_button = _button("Move &up", "moveUpButton", "Earlier in the list (Alt+Up)")
        self.down_button = _button("Move &down", "moveDownButton", "Later in the list (Alt+Down)")
        self.record_button = _button(
            "Record an a&nswer…", "recordAnswerButton", "What someone answered, and where"
        )
        self.import_button = _button(
            "&Import answers from a form…",
            "importAnswersButton",
            "A Google Forms or Microsoft Forms export (xlsx or csv)",
        )
        # Given the window's Undo and Redo actions: "Undo", the tooltip naming what.
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undoButton")
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("redoButton")
        bank_buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.retire_button,
            self.up_button,
            self.down_button,
        ):
            bank_buttons.addWidget(button)
        bank_buttons.addStretch(1)
        bank_buttons.addWidget(self.undo_button)
        bank_buttons.addWidget(self.redo_button)
        bank = QGroupBox("The branch's questions, in the order they are asked")
        bank_layout = QVBoxLayout(bank)
        bank_layout.addWidget(self.table, 1)
        bank_layout.addLayout(bank_buttons)

        self.summary_title = QLabel()
        self.summary_title.setObjectName("summaryTitle")
        self.summary_title.setWordWrap(True)
        font = self.summary_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary_title.setFont(font)
        self.summary_counts = QLabel()
        self.summary_counts.setObjectName("summaryCounts")
        self.summary_counts.setWordWrap(True)
        self.chart = BarChart(empty_text="No answers to count yet.")
        self.chart.setObjectName("answerChart")
        self.chart_note = QLabel()
        self.chart_note.setObjectName("chartNote")
        self.chart_note.setWordWrap(True)
        self.chart_note.setStyleSheet("color: #555;")
        chart_page = QWidget()
        chart_layout = QVBoxLayout(chart_page)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart)
        chart_layout.addWidget(self.chart_note)
        chart_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(chart_page)
        scroll.viewport().setAutoFillBackground(False)
        chart_page.setAutoFillBackground(False)
        answers = QGroupBox("How people answer it now")
        answers_layout = QVBoxLayout(answers)
        answers_layout.addWidget(self.summary_title)
        answers_layout.addWidget(self.summary_counts)
        answers_layout.addWidget(scroll, 1)
        answer_buttons = QHBoxLayout()
        answer_buttons.addWidget(self.record_button)
        answer_buttons.addWidget(self.import_button)
        answer_buttons.addStretch(1)
        answers_layout.addLayout(answer_buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(bank)
        self.splitter.addWidget(answers)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 540])

        self.status = QLabel(" ")
        self.status.setObjectName("questionsStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
