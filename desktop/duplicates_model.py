"""The duplicates window's two tables: the list of likely pairs, and the two records of the
chosen pair side by side with the lines where they differ highlighted.

Both are plain lists behind a ``QAbstractTableModel``: a few hundred pairs, thirty lines.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from db.duplicates import DuplicatePair
from desktop.duplicates_text import ComparisonRow, person_summary, who

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole

# Pale amber behind dark text: readable on a light or a dark desktop theme alike.
DIFFERS_BACKGROUND = QColor("#ffe4a3")
DIFFERS_FOREGROUND = QColor("#1a1a1a")
PAIR_COLUMNS = ("Left record", "Right record", "Why they may be one person", "Names alike")


class PairListModel(QAbstractTableModel):
    """Likely duplicate pairs, most likely first; left is the record suggested to keep."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pairs: list[DuplicatePair] = []

    def set_pairs(self, pairs: list[DuplicatePair]) -> None:
        self.beginResetModel()
        self._pairs = list(pairs)
        self.endResetModel()

    def pair(self, row: int) -> DuplicatePair | None:
        return self._pairs[row] if 0 <= row < len(self._pairs) else None

    def pairs(self) -> list[DuplicatePair]:
        return list(self._pairs)

    def remove_where(self, person_ids: set[int], pair_ids: frozenset[int] | None = None) -> int:
        """Drop every pair with one of ``person_ids`` in it (a record merged away), and the
        pair ``pair_ids`` itself; returns how many went."""
        return len(self.take_where(person_ids, pair_ids))

    def take_where(
        self, person_ids: set[int], pair_ids: frozenset[int] | None = None
    ) -> list[tuple[int, DuplicatePair]]:
        """As ``remove_where``, returning the pairs taken with the rows they were on (top
        first), for ``put_back`` when the merge or setting apart is undone."""
        taken: list[tuple[int, DuplicatePair]] = []
        for row in range(len(self._pairs) - 1, -1, -1):
            ids = set(self._pairs[row].ids)
            if ids & person_ids or (pair_ids is not None and ids == pair_ids):
                self.beginRemoveRows(QModelIndex(), row, row)
                taken.append((row, self._pairs.pop(row)))
                self.endRemoveRows()
        return taken[::-1]

    def put_back(self, taken: list[tuple[int, DuplicatePair]]) -> int | None:
        """Insert pairs ``take_where`` took at their old rows (a pair listed again since, by
        Look again, is not doubled); returns the row of the first, or None."""
        listed = {frozenset(pair.ids) for pair in self._pairs}
        first: int | None = None
        for row, pair in taken:
            if frozenset(pair.ids) in listed:
                continue
            at = min(row, len(self._pairs))
            self.beginInsertRows(QModelIndex(), at, at)
            self._pairs.insert(at, pair)
            self.endInsertRows()
            listed.add(frozenset(pair.ids))
            first = at if first is None else first
        return first

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._pairs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PAIR_COLUMNS)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        pair = self.pair(index.row())
        if pair is None:
            return None
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return who(pair.keep.name, pair.keep.id)
            if column == 1:
                return who(pair.other.name, pair.other.id)
            if column == 2:
                return "; ".join(pair.reasons)
            if column == 3:
                return f"{pair.similarity}%"
        elif role == _TOOLTIP:
            if column == 0:
                return person_summary(pair.keep) + " (suggested to keep)"
            if column == 1:
                return person_summary(pair.other)
            if column == 3:
                return "How alike the two names are, 0% to 100%."
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(PAIR_COLUMNS):
            return PAIR_COLUMNS[section]
        return None


class ComparisonModel(QAbstractTableModel):
    """The two records line by line: column 0 names the detail, 1 is left, 2 is right."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ComparisonRow] = []
        self._headers = ("", "Left", "Right")

    def show_rows(self, rows: list[ComparisonRow], left: str, right: str) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._headers = ("", left, right)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)

    def clear(self) -> None:
        self.show_rows([], "Left", "Right")

    def row(self, row: int) -> ComparisonRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role in (_DISPLAY, _TOOLTIP):
            text = (line.label, line.left, line.right)[column]
            if role == _TOOLTIP and column == 0 and line.differs:
                return f"{line.label}: the two records differ."
            return text
        if line.differs:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(DIFFERS_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(DIFFERS_FOREGROUND)
        if role == Qt.ItemDataRole.FontRole and line.differs:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < 3:
            return self._headers[section]
        return None
