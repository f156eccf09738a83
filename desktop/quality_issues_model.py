"""One data-quality list as a table: who, and what is wrong. A plain list behind the model,
sorted in Python when a header is clicked (150,000 lines sort in a tenth of a second; a
``QSortFilterProxyModel`` over them would not)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.data_quality import QualityIssue

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
ISSUE_COLUMNS = ("Name", "Id", "What needs a look")
NAME, ID, PROBLEM = range(3)


class IssuesModel(QAbstractTableModel):
    """People with one kind of problem, in the core's order (by surname) until sorted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._issues: list[QualityIssue] = []
        self._core: list[QualityIssue] = []  # as the core gave them: by surname

    def set_issues(self, issues: list[QualityIssue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self._core = list(issues)
        self.endResetModel()

    def issue(self, row: int) -> QualityIssue | None:
        return self._issues[row] if 0 <= row < len(self._issues) else None

    def person_id(self, row: int) -> int | None:
        issue = self.issue(row)
        return issue.person_id if issue is not None else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ISSUE_COLUMNS)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        issue = self.issue(index.row())
        if issue is None:
            return None
        column = index.column()
        if role == _DISPLAY:
            if column == NAME:
                return issue.name or "(no name)"
            if column == ID:
                return str(issue.person_id)
            if column == PROBLEM:
                return issue.problem
        elif role == Qt.ItemDataRole.ToolTipRole and column == PROBLEM:
            return issue.problem
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(ISSUE_COLUMNS):
            return ISSUE_COLUMNS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Sorted afresh from the core's order (by surname): Python's sort is stable, so
        # people with the same problem stay in that order, descending too.
        descending = order == Qt.SortOrder.DescendingOrder
        if column == NAME:
            ordered = self._core[::-1] if descending else list(self._core)
        elif column == ID:
            ordered = sorted(self._core, key=attrgetter("person_id"), reverse=descending)
        else:
            ordered = sorted(self._core, key=_problem_order, reverse=descending)
        self.layoutAboutToBeChanged.emit()
        # A selected line stays selected: its persistent index follows its issue.
        kept = self.persistentIndexList()
        held = [(self.issue(index.row()), index.column()) for index in kept]
        self._issues = ordered
        row_of = {id(issue): n for n, issue in enumerate(ordered)} if kept else {}
        moved = [
            self.index(row_of[id(issue)], column) if issue is not None else QModelIndex()
            for issue, column in held
        ]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()


def _problem_order(issue: QualityIssue) -> tuple[str, bool, str, str]:
    """Missing before wrong; old details by date (the stored ISO date, not the shown one)."""
    return (issue.detail, issue.value is not None, issue.value or "", issue.problem)
