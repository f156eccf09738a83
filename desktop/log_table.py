"""A read-only table of log lines (the audit trail, the export log) read from SQL a page at
a time: the model, and the view the log windows show it in.

The audit trail runs to hundreds of thousands of lines: the model holds only what has been
scrolled to, and Qt asks for the next page through ``canFetchMore``/``fetchMore``. Filters
are the caller's SQL (``count`` and ``page`` are bound to them), never a proxy model, which
would read every line through Python. Nothing is editable: ``flags`` never offers it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from desktop.qt_compat import empty_variant

R = TypeVar("R")
ModelIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True)
class LogColumn(Generic[R]):
    title: str
    text: Callable[[R], str]
    width: int  # pixels, the view's starting width for it
    numeric: bool = False  # right-aligned, so the digits line up


# The rows already shown (so the next page can seek past the last) and how many more.
PageReader = Callable[[Sequence[R], int], list[R]]


class LogTableModel(QAbstractTableModel, Generic[R]):
    def __init__(
        self,
        columns: Sequence[LogColumn[R]],
        count: Callable[[], int],
        page: PageReader[R],
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._count = count
        self._page = page
        self._page_size = page_size
        self._rows: list[R] = []
        self._total = 0

    @property
    def total(self) -> int:
        """How many lines the filter keeps, including those not fetched yet."""
        return self._total

    def reload(self, count: Callable[[], int], page: PageReader[R]) -> None:
        """Read afresh through another filter's ``count`` and ``page``: the first page only."""
        self.beginResetModel()
        self._count, self._page = count, page
        self._total = self._count()
        self._rows = self._page([], self._page_size) if self._total else []
        self.endResetModel()

    def line(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role in (_DISPLAY, _TOOLTIP) and index.isValid():
            row, column = index.row(), index.column()
            if 0 <= row < len(self._rows) and 0 <= column < len(self.columns):
                return self.columns[column].text(self._rows[row])
        elif role == _ALIGNMENT and index.isValid():
            column = index.column()
            if 0 <= column < len(self.columns) and self.columns[column].numeric:
                return _RIGHT
        return empty_variant()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == _DISPLAY
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return empty_variant()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or len(self._rows) >= self._total:
            return
        page = self._page(self._rows, self._page_size)
        if not page:
            # Lines vanished since the count (another restore): stop asking.
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()


def log_table_view(model: LogTableModel[R], object_name: str) -> QTableView:
    """Rows selected whole, one at a time, never edited; the last column takes the rest."""
    table = QTableView()
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, spec in enumerate(model.columns):
        header.resizeSection(column, spec.width)
    return table
