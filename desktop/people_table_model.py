"""The people list as a Qt table model that reads its rows from SQL a page at a time.

Filtering happens in SQL (FTS5), never in a proxy model: a proxy calls Python ``data()``
for every row and takes seconds per keystroke at 100,000 people. Qt asks for more rows
through ``canFetchMore``/``fetchMore`` as the view scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from db.database import Database
from db.engagement import LEVEL_LABELS, engagement_levels
from db.people import PersonRow, count_people, list_people
from desktop.qt_compat import empty_variant

PAGE_SIZE = 100
LAPSED_COLOUR = QBrush(QColor(120, 120, 120))
ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_TEXT_ROLES = frozenset((_DISPLAY, _TOOLTIP))

COLUMNS: list[tuple[str, str]] = [
    ("Surname", "last_name"),
    ("First name", "first_name"),
    ("Known as", "preferred_name"),
    ("Status", "status_label"),
    ("Membership no.", "membership_number"),
    ("Ward", "ward"),
    ("Postcode", "postcode"),
    ("Email", "email"),
    ("Engagement", "engagement"),
]
_FIELDS = [field for _title, field in COLUMNS]
ENGAGEMENT_COLUMN = _FIELDS.index("engagement")
# Engagement is read just after the rows are shown, not with them: it costs as much as the
# page itself, and a keystroke's list must not wait for it.
ENGAGEMENT_DELAY_MS = 150


class PeopleTableModel(QAbstractTableModel):
    def __init__(self, database: Database, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._database = database
        self._query = ""
        self._rows: list[PersonRow] = []
        self._total = 0
        self._levels: dict[int, str] = {}
        self._unlevelled: list[int] = []
        self._level_timer = QTimer(self)
        self._level_timer.setSingleShot(True)
        self._level_timer.setInterval(ENGAGEMENT_DELAY_MS)
        self._level_timer.timeout.connect(self.load_engagement)

    @property
    def query(self) -> str:
        return self._query

    @property
    def total(self) -> int:
        """How many people match, including those not fetched yet."""
        return self._total

    def set_query(self, query: str) -> None:
        self.beginResetModel()
        self._query = query
        with self._database.session() as session:
            self._total = count_people(session, query)
            self._rows = list_people(session, query, limit=PAGE_SIZE, total=self._total)
        self._levels = {}
        self._unlevelled = [row.id for row in self._rows]
        self.endResetModel()
        self._level_timer.start()

    def load_engagement(self) -> None:
        """Fill in the engagement of the rows shown since it was last read."""
        self._level_timer.stop()
        wanted, self._unlevelled = self._unlevelled, []
        if not wanted:
            return
        with self._database.session() as session:
            found = engagement_levels(session, wanted)
        self._levels.update({pid: LEVEL_LABELS[e.level] for pid, e in found.items()})
        if self._rows:
            self.dataChanged.emit(
                self.index(0, ENGAGEMENT_COLUMN),
                self.index(len(self._rows) - 1, ENGAGEMENT_COLUMN),
                [Qt.ItemDataRole.DisplayRole],
            )

    def refresh(self) -> None:
        self.set_query(self._query)

    def person_id(self, row: int) -> int | None:
        if 0 <= row < len(self._rows):
            return self._rows[row].id
        return None

    def row_of(self, person_id: int) -> int | None:
        for index, row in enumerate(self._rows):
            if row.id == person_id:
                return index
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Called ~8 times per visible cell on every repaint: plain int comparisons only.
        if role in _TEXT_ROLES:
            row = index.row()
            if 0 <= row < len(self._rows) and index.isValid():
                column = index.column()
                if column == ENGAGEMENT_COLUMN:
                    return self._levels.get(self._rows[row].id, "")
                value = getattr(self._rows[row], _FIELDS[column])
                return "" if value is None else value
        elif role == _FOREGROUND:
            row = index.row()
            if 0 <= row < len(self._rows) and self._rows[row].status == "lapsed":
                # Lapsed members stay in the list (nothing is deleted) but read as past.
                return LAPSED_COLOUR
        return empty_variant()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return empty_variant()
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return empty_variant()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._rows:
            return
        last = self._rows[-1]
        with self._database.session() as session:
            page = list_people(
                session,
                self._query,
                after=(last.sort_key, last.id),
                limit=PAGE_SIZE,
                total=self._total,
            )
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
        self._unlevelled.extend(row.id for row in page)
        self._level_timer.start()
