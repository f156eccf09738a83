"""The widget an answer is given in, one for each kind of question.

Single choice: a radio button per option (a drop-down when there are many); multiple choice:
a list to tick, in rank order (first choice at the top), at most the question's maximum;
1–5 scale: five buttons; free text: a text box. Each hands back the value as
``db.views.record_answer`` takes it, or None when nothing is given yet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.question_bank import QuestionView

RADIO_LIMIT = 8  # more options than this come as a drop-down
_LABEL = Qt.ItemDataRole.UserRole
_HINT_STYLE = "color: #555;"
# A chosen point must show at a glance; the platform's "pressed" look is too faint.
_CHOSEN_STYLE = "QPushButton:checked { background: #3f6fb5; color: white; font-weight: bold; }"

AnswerValue = str | int | list[str]


class ValueEditor(QWidget):
    changed = Signal()

    def value(self) -> AnswerValue | None:
        raise NotImplementedError

    def set_value(self, value: AnswerValue) -> None:
        raise NotImplementedError


class SingleChoiceEditor(ValueEditor):
    def __init__(self, options: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.combo: QComboBox | None = None
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if len(options) > RADIO_LIMIT:
            self.combo = QComboBox()
            self.combo.setObjectName("singleChoiceCombo")
            self.combo.addItem("Choose one…", None)
            for option in options:
                self.combo.addItem(option, option)
            self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            layout.addWidget(self.combo)
        else:
            grid = QGridLayout()
            grid.setHorizontalSpacing(18)
            rows = (len(options) + 1) // 2 if len(options) > 4 else len(options)
            for i, option in enumerate(options):
                button = QRadioButton(option)
                self.group.addButton(button, i)
                grid.addWidget(button, i % rows, i // rows)
            self.group.idToggled.connect(lambda _id, _on: self.changed.emit())
            layout.addLayout(grid)
        layout.addStretch(1)

    def value(self) -> str | None:
        if self.combo is not None:
            data = self.combo.currentData()
            return data if isinstance(data, str) else None
        chosen = self.group.checkedId()
        return self.options[chosen] if chosen >= 0 else None

    def set_value(self, value: AnswerValue) -> None:
        if self.combo is not None:
            self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        elif value in self.options:
            button = self.group.button(self.options.index(str(value)))
            button.setChecked(True)


class MultipleChoiceEditor(ValueEditor):
    """Tick the options; the ticked ones rise to the top in the order ticked, and Up/Down
    change their rank. Once the maximum is ticked the rest are greyed."""

    def __init__(
        self, options: tuple[str, ...], max_choices: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.max_choices = max_choices or len(options)
        self.list = QListWidget()
        self.list.setObjectName("multipleChoiceList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for option in options:
            item = QListWidgetItem(option)
            item.setData(_LABEL, option)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        rows = min(len(options), 8)
        self.list.setFixedHeight(
            self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 4
        )
        self.up = QPushButton("Rank &higher")
        self.down = QPushButton("Rank &lower")
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        most = (
            "as many as apply" if self.max_choices >= len(options) else f"up to {self.max_choices}"
        )
        self.hint = QLabel(f"Tick {most}, first choice at the top.")
        self.hint.setStyleSheet(_HINT_STYLE)
        side = QVBoxLayout()
        side.addWidget(self.up)
        side.addWidget(self.down)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self._busy = False
        self.list.itemChanged.connect(self._ticked)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._update_buttons()

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def value(self) -> list[str] | None:
        chosen = [
            str(item.data(_LABEL))
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        ]
        return chosen or None

    def set_value(self, value: AnswerValue) -> None:
        wanted = [value] if isinstance(value, str | int) else list(value)
        self._busy = True
        for item in self.items():
            item.setCheckState(Qt.CheckState.Unchecked)
        for label in wanted:
            for item in self.items():
                if item.data(_LABEL) == label:
                    item.setCheckState(Qt.CheckState.Checked)
                    self._to_rank(item)
        self._busy = False
        self._relabel()

    def tick(self, label: str, on: bool = True) -> None:
        for item in self.items():
            if item.data(_LABEL) == label:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _checked_count(self) -> int:
        return sum(item.checkState() == Qt.CheckState.Checked for item in self.items())

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._to_rank(item)
        finally:
            self._busy = False
        self._relabel()
        self.changed.emit()

    def _to_rank(self, item: QListWidgetItem) -> None:
        """A ticked option goes after the last ticked one; an unticked one below them all."""
        row = self.list.row(item)
        others = [i for i in self.items() if i is not item]
        place = sum(i.checkState() == Qt.CheckState.Checked for i in others)
        taken = self.list.takeItem(row)
        self.list.insertItem(place, taken)
        self.list.setCurrentItem(taken)

    def _relabel(self) -> None:
        """Ranks as numbers in front of the ticked options; the rest greyed at the maximum."""
        self._busy = True
        full = self._checked_count() >= self.max_choices
        rank = 0
        for item in self.items():
            label = str(item.data(_LABEL))
            if item.checkState() == Qt.CheckState.Checked:
                rank += 1
                item.setText(f"{rank}.  {label}")
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setText(label)
                if full:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                else:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
        self._busy = False
        self._update_buttons()

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        item = self.list.item(row)
        if item is None or item.checkState() != Qt.CheckState.Checked:
            return
        target = row + step
        if not 0 <= target < self._checked_count():
            return
        self._busy = True
        taken = self.list.takeItem(row)
        self.list.insertItem(target, taken)
        self.list.setCurrentItem(taken)
        self._busy = False
        self._relabel()
        self.changed.emit()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        item = self.list.item(row) if row >= 0 else None
        ranked = item is not None and item.checkState() == Qt.CheckState.Checked
        self.up.setEnabled(ranked and row > 0)
        self.down.setEnabled(ranked and row + 1 < self._checked_count())


class ScaleEditor(ValueEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Low"))
        for point in range(1, 6):
            button = QPushButton(str(point))
            button.setObjectName(f"scale{point}")
            button.setCheckable(True)
            button.setMinimumWidth(44)
            button.setToolTip(f"{point} on the scale from 1 to 5")
            button.setStyleSheet(_CHOSEN_STYLE)
            self.group.addButton(button, point)
            row.addWidget(button)
        row.addWidget(QLabel("High"))
        row.addStretch(1)
        self.group.idToggled.connect(lambda _id, _on: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addStretch(1)

    def value(self) -> int | None:
        chosen = self.group.checkedId()
        return chosen if chosen > 0 else None

    def set_value(self, value: AnswerValue) -> None:
        button = self.group.button(int(str(value)))
        if button is not None:
            button.setChecked(True)


class FreeTextEditor(ValueEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("freeTextAnswer")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("What they said, in their words")
        self.edit.textChanged.connect(self.changed.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def value(self) -> str | None:
        text = self.edit.toPlainText().strip()
        return text or None

    def set_value(self, value: AnswerValue) -> None:
        self.edit.setPlainText(str(value))


def editor_for(question: QuestionView) -> ValueEditor:
    if question.kind == "single_choice":
        return SingleChoiceEditor(question.options)
    if question.kind == "multiple_choice":
        return MultipleChoiceEditor(question.options, question.max_choices)
    if question.kind == "scale":
        return ScaleEditor()
    return FreeTextEditor()
