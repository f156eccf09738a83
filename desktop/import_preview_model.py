"""The preview's rows as a Qt table model: one line per row of the file that would change
something, and under a row one line per conflict waiting for the secretary's decision.

A model rather than a QTableWidget: a national list can plan 100,000 rows, the view asks
only for the lines on screen, and filling the model is one reset instead of a Python call
per cell (each of which, on PySide6 6.12 with Python 3.11, also costs None a reference).
Ticks go straight into the wizard's sets of left-out rows and accepted conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from db.importing.candidates import Candidate
from db.importing.header_names import FIELD_LABELS
from db.importing.plan import FieldChange, PlannedRow
from desktop.qt_compat import empty_variant

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ["Row", "Name", "What happens", "Details"]
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_CHECK = Qt.ItemDataRole.CheckStateRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_GREY = QBrush(QColor(130, 130, 130))
_WRITABLE = ("create", "update")
TAKE_FILE_VALUE = "Take the file's value"


@dataclass(frozen=True, slots=True)
class Line:
    row: PlannedRow
    change: FieldChange | None = None  # set on a conflict's line, under its row's line


class PreviewRowsModel(QAbstractTableModel):
    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._lines: list[Line] = []
        self._people: dict[int, Candidate] = {}
        self._left_out: set[int] = set()
        self._accepted: set[tuple[int, str]] = set()
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    def set_rows(
        self,
        rows: Sequence[PlannedRow],
        people: dict[int, Candidate],
        left_out: set[int],
        accepted: set[tuple[int, str]],
    ) -> None:
        """Show ``rows``; ticking changes ``left_out`` and ``accepted`` in place."""
        self.beginResetModel()
        lines: list[Line] = []
        for row in rows:
            lines.append(Line(row))
            lines.extend(Line(row, change) for change in row.changes if change.conflict)
        self._lines = lines
        self._people = people
        self._left_out = left_out
        self._accepted = accepted
        self.endResetModel()

    def line(self, number: int) -> Line:
        return self._lines[number]

    def line_of(self, sheet_row: int, field: str | None = None) -> int | None:
        """The line showing a sheet row, or the line of its conflict about ``field``."""
        for number, line in enumerate(self._lines):
            if line.row.row == sheet_row and (line.change.field if line.change else None) == field:
                return number
        return None

    def describe_line(self, number: int) -> str:
        """A line's row in full: who, what happens, and each change on a line of its own."""
        row = self._lines[number].row
        candidate = self._people.get(row.row)
        head = f"Row {row.row}"
        name = _name(candidate)
        if name:
            head += f" · {name}"
        if row.person_id is not None:
            head += f" · person {row.person_id}"
            if row.matched_by:
                head += f", found by {row.matched_by}"
        lines = [f"{head}: {_what(row)}"]
        if row.action == "create":
            lines.append(_details(row, candidate))
        for change in row.changes if row.action == "update" else ():
            mark = " (the branch checked this itself)" if change.conflict else ""
            lines.append(change.describe() + mark)
        if row.note:
            lines.append(row.note)
        return "\n".join(line for line in lines if line)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        number = index.row()
        if not index.isValid() or not 0 <= number < len(self._lines):
            return empty_variant()
        line, column = self._lines[number], index.column()
        if role in (_DISPLAY, _TOOLTIP):
            text = self._text(line, column)
            if role == _TOOLTIP and line.change is not None and column == 2:
                label = _field_label(line.change.field).lower()
                return f"The branch checked the {label} itself. Tick to take the file's value."
            return text if text or role == _DISPLAY else empty_variant()
        if role == _CHECK:
            checked = self._checked(line, column)
            if checked is None:
                return empty_variant()
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        left_out = line.row.row in self._left_out
        if role == _FOREGROUND and left_out and column > 0:
            return _GREY
        if role == _FONT and left_out and column > 0 and line.change is None:
            return self._struck
        return empty_variant()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == _DISPLAY
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return empty_variant()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._checked(self._lines[index.row()], index.column()) is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: ModelIndex, value: object, role: int = _CHECK) -> bool:
        if role != _CHECK or not index.isValid():
            return False
        line, column = self._lines[index.row()], index.column()
        if self._checked(line, column) is None:
            return False
        ticked = _is_checked(value)
        sheet_row = line.row.row
        if line.change is None:
            if ticked:
                self._left_out.discard(sheet_row)
            else:
                self._left_out.add(sheet_row)
        elif ticked:
            self._accepted.add((sheet_row, line.change.field))
        else:
            self._accepted.discard((sheet_row, line.change.field))
        # The row's own line and its conflicts' lines follow one another: repaint them all
        # (two new email addresses are one decision about the email group).
        first = last = index.row()
        while first > 0 and self._lines[first - 1].row.row == sheet_row:
            first -= 1
        while last + 1 < len(self._lines) and self._lines[last + 1].row.row == sheet_row:
            last += 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))
        return True

    def _checked(self, line: Line, column: int) -> bool | None:
        """The tick a cell shows, or None for a cell without a box."""
        if line.change is None:
            if column == 0 and line.row.action in _WRITABLE:
                return line.row.row not in self._left_out
            return None
        if column == 2:
            return (line.row.row, line.change.field) in self._accepted
        return None

    def _text(self, line: Line, column: int) -> str:
        row = line.row
        if line.change is not None:
            if column == 2:
                return TAKE_FILE_VALUE
            return line.change.describe() if column == 3 else ""
        if column == 0:
            return str(row.row)
        candidate = self._people.get(row.row)
        if column == 1:
            return _name(candidate)
        if column == 2:
            return _what(row)
        return _details(row, candidate)


def _is_checked(value: object) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return value == Qt.CheckState.Checked.value


def _name(candidate: Candidate | None) -> str:
    if candidate is None:
        return ""
    name = " ".join(part for part in (candidate.first_name, candidate.last_name) if part)
    return name or (candidate.emails[0] if candidate.emails else candidate.membership_number or "")


def _what(row: PlannedRow) -> str:
    if row.action == "create":
        status = row.changes[0].after if row.changes else None
        return f"New {status}" if status else "New person"
    if row.action == "update":
        conflicts = sum(change.conflict for change in row.changes)
        changes = f"{len(row.changes)} change{'s' if len(row.changes) != 1 else ''}"
        return f"Update: {changes}" + (f", {conflicts} to decide" if conflicts else "")
    if row.action == "ambiguous":
        return f"Unsure: {len(row.candidates)} people"
    if row.action == "duplicate":
        return "Repeats a row"
    return "Unchanged"


def _details(row: PlannedRow, candidate: Candidate | None) -> str:
    if row.action == "create" and candidate is not None:
        place = ", ".join(p for p in (*candidate.address_lines[:1], candidate.postcode) if p)
        email = candidate.emails[0] if candidate.emails else None
        return " · ".join(p for p in (candidate.membership_number, place, email) if p)
    if row.action == "update":
        return "; ".join(change.describe() for change in row.changes)
    return row.note or ""


def _field_label(field: str) -> str:
    label = FIELD_LABELS.get(field, field.replace("_", " "))
    return label[0].upper() + label[1:]
