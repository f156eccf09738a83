"""The question bank as a table: the question, its kind, its options and how many answered.

Retired questions stay in the list, greyed and in italics, so the order the secretary sees
is the order kept; their answers still count.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from db.question_bank import QuestionView

COLUMNS = ("Question", "Kind", "Options", "Answered")
ID_ROLE = Qt.ItemDataRole.UserRole
_RETIRED = QColor("#8a8a8a")
_Index = QModelIndex | QPersistentModelIndex


def kind_text(question: QuestionView) -> str:
    """ "Multiple choice (up to 3)", "1–5 scale"..."""
    if question.kind == "multiple_choice" and question.max_choices:
        return f"{question.kind_label} (up to {question.max_choices})"
    return question.kind_label


def options_text(question: QuestionView) -> str:
    return "; ".join(question.options) if question.options else "—"


class QuestionTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._questions: list[QuestionView] = []

    # reading -------------------------------------------------------------------------

    @property
    def questions(self) -> list[QuestionView]:
        return list(self._questions)

    def question_at(self, row: int) -> QuestionView | None:
        return self._questions[row] if 0 <= row < len(self._questions) else None

    def row_of(self, question_id: int) -> int | None:
        return next((i for i, q in enumerate(self._questions) if q.id == question_id), None)

    # writing -------------------------------------------------------------------------

    def set_questions(self, questions: list[QuestionView]) -> None:
        self.beginResetModel()
        self._questions = list(questions)
        self.endResetModel()

    # Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._questions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        question = self.question_at(index.row())
        if question is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(question, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = question.text if column == 0 else self._text(question, column)
            return (
                f"{tip}\n(retired: no longer asked; its answers are kept)"
                if not (question.active)
                else tip
            )
        if role == Qt.ItemDataRole.ForegroundRole and not question.active:
            return QBrush(_RETIRED)
        if role == Qt.ItemDataRole.FontRole and not question.active:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return question.id
        return None

    def _text(self, question: QuestionView, column: int) -> str:
        if column == 0:
            return question.text if question.active else f"{question.text}  (retired)"
        if column == 1:
            return kind_text(question)
        if column == 2:
            return options_text(question)
        return f"{question.respondents:,}"
