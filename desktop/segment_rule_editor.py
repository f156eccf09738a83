"""One segment rule: its sentence ("Ward is Kirkstall") and the dialog that makes one.

The dialog offers the kinds of ``db.segment_rules`` by their plain names, and for each kind
its fields: choices read from the database (wards, tags, organisations, questions and their
options, other segments) or from the fixed vocabularies (statuses, engagement levels,
channels), dates and numbers. What it hands back is a rule node, checked again by the core
when it is counted or saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engagement import LEVEL_LABELS, LEVELS
from db.models import Person, PollingDistrict, Ward
from db.models.vocabulary import (
    ACTIVITY_KIND_LABELS,
    ACTIVITY_KINDS,
    CHANNEL_LABELS,
    CHANNELS,
    ORGANISATION_KIND_LABELS,
    ORGANISATION_KINDS,
    PERSON_STATUS_LABELS,
    PERSON_STATUSES,
)
from db.organisations import list_organisations
from db.question_bank import list_questions
from db.segment_rules import CONTACT_STATES, Node
from db.segments import list_segments
from db.tags import list_tags

KIND_LABELS = {
    "status": "Status",
    "membership_type": "Membership type",
    "ward": "Ward",
    "polling_district": "Polling district",
    "age": "Age",
    "joined": "Joined",
    "lapsed": "Lapsed",
    "tag": "Tag",
    "affiliation": "Organisation",
    "answer": "Answer to a question",
    "engagement": "Engagement",
    "attended": "Meetings attended",
    "last_attended": "Last came to a meeting",
    "activity": "Activity (canvassing, leafleting…)",
    "contact": "Contact preference",
    "household": "Household",
    "segment": "In another segment",
}
GROUP_LABELS = {"all": "All of these", "any": "Any of these", "not": "Not"}
HOUSEHOLD_LABELS = {"member": "Lives with a member", "non_member": "Lives with a non-member"}
CONTACT_LABELS = {"allowed": "allowed", "refused": "refused", "unknown": "not asked"}


# --- sentences -----------------------------------------------------------------------------


def _day(text: str) -> str:
    return f"{dt.date.fromisoformat(text):%-d %b %Y}"


def _either(values: list[str], labels: dict[str, str] | None = None) -> str:
    words = [(labels or {}).get(value, value) for value in values]
    return " or ".join(words)


def _dates(verb: str, node: Node) -> str:
    parts = []
    if "between" in node:
        first, last = node["between"]
        parts.append(f"between {_day(first)} and {_day(last)}")
    if "after" in node:
        parts.append(f"after {_day(node['after'])}")
    if "before" in node:
        parts.append(f"before {_day(node['before'])}")
    return f"{verb} " + " and ".join(parts)


def describe(node: Node) -> str:
    """A rule as a sentence a secretary reads without knowing the rule language."""
    kind = node.get("rule")
    if kind is None:
        key = next(iter(node))
        return GROUP_LABELS.get(key, key)
    sentences: dict[str, Callable[[], str]] = {
        "status": lambda: f"Status is {_either(node['in'], PERSON_STATUS_LABELS)}",
        "membership_type": lambda: f"Membership type is {_either(node['in'])}",
        "ward": lambda: f"Ward is {_either(node['in'])}",
        "polling_district": lambda: f"Polling district is {_either(node['in'])}",
        "engagement": lambda: f"Engagement is {_either(node['in'], LEVEL_LABELS)}",
        "joined": lambda: _dates("Joined", node),
        "lapsed": lambda: _dates("Lapsed", node),
        "age": lambda: _age(node),
        "household": lambda: str(HOUSEHOLD_LABELS.get(node["with"], node["with"])),
        "tag": lambda: f"Has the tag “{node['name']}”",
        "affiliation": lambda: (
            f"Belongs to {node['organisation']}"
            if "organisation" in node
            else f"Belongs to any {ORGANISATION_KIND_LABELS.get(node['kind'], node['kind'])}"
        ),
        "answer": lambda: (
            f"Answered “{node['question']}” with “{node['option']}”"
            if "option" in node
            else f"Answered “{node['question']}” with {node['at_least']} or more"
        ),
        "attended": lambda: (
            f"Came to at least {node['at_least']} meeting{'s' * (node['at_least'] != 1)} "
            f"in the last {node['months']} months"
        ),
        "last_attended": lambda: f"Last came to a meeting before {_day(node['before'])}",
        "activity": lambda: (
            f"Did {str(ACTIVITY_KIND_LABELS.get(node['kind'], node['kind'])).lower()}"
            + (f" in the last {node['months']} months" if "months" in node else "")
        ),
        "contact": lambda: (
            f"{CHANNEL_LABELS.get(node['channel'], node['channel'])} contact is "
            f"{CONTACT_LABELS.get(node['is'], node['is'])}"
        ),
        "segment": lambda: f"In the segment “{node['name']}”",
    }
    try:
        return sentences[kind]()
    except (KeyError, ValueError, TypeError):
        return f"{KIND_LABELS.get(kind, kind)} (incomplete)"


def _age(node: Node) -> str:
    if "min" in node and "max" in node:
        return f"Aged {node['min']} to {node['max']}"
    if "min" in node:
        return f"Aged {node['min']} or over"
    return f"Aged {node['max']} or under"


# --- what the dialog offers ---------------------------------------------------------------


@dataclass(frozen=True)
class RuleChoices:
    """Names to choose from, read once when the dialog opens."""

    wards: list[str]
    districts: list[str]
    membership_types: list[str]
    tags: list[str]
    organisations: list[str]
    questions: list[tuple[str, str, tuple[str, ...]]]  # text, kind, options
    segments: list[str]


def load_choices(session: Session) -> RuleChoices:
    def names(column: Any) -> list[str]:
        found = session.scalars(select(column).where(column.is_not(None)).distinct())
        return sorted({str(value) for value in found if str(value).strip()}, key=str.casefold)

    return RuleChoices(
        wards=names(Ward.name),
        districts=names(PollingDistrict.code),
        membership_types=names(Person.membership_type),
        tags=[tag.name for tag in list_tags(session)],
        organisations=[row.name for row in list_organisations(session)],
        questions=[
            (q.text, q.kind, q.options) for q in list_questions(session) if q.kind != "free_text"
        ],
        segments=[row.name for row in list_segments(session)],
    )


# --- the dialog ---------------------------------------------------------------------------

Getter = Callable[[], Node]


def _combo(items: list[tuple[str, object]], editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    combo.setMinimumContentsLength(24)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _value(combo: QComboBox) -> Any:
    """The chosen value; for a box one may type in, what was typed when it is new."""
    index = combo.findText(combo.currentText())
    if combo.isEditable() and index < 0:
        return combo.currentText().strip()
    return combo.itemData(index) if index >= 0 else combo.currentData()


def _named(values: list[str]) -> list[tuple[str, object]]:
    return [(value, value) for value in values]


def _labelled(values: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, object]]:
    return [(labels.get(value, value), value) for value in values]


def _date_edit(years_back: int = 1) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate().addYears(-years_back))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def _spin(low: int, high: int, value: int, special: str | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    if special:
        spin.setSpecialValueText(special)
    return spin


def _iso(edit: QDateEdit) -> str:
    return str(edit.date().toString("yyyy-MM-dd"))


class RuleDialog(QDialog):
    """Choose a kind of rule, then its fields; ``rule()`` is the node made."""

    def __init__(self, choices: RuleChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a rule — Branchbook")
        self.setMinimumWidth(460)
        self.choices = choices
        self.kind_combo = _combo([(label, kind) for kind, label in KIND_LABELS.items()])
        self.kind_combo.setObjectName("ruleKind")
        self.pages = QStackedWidget()
        self.fields: dict[str, dict[str, QWidget]] = {}
        self.getters: dict[str, Getter] = {}
        for kind in KIND_LABELS:
            page = QWidget()
            form = QFormLayout(page)
            form.setContentsMargins(0, 0, 0, 0)
            self.fields[kind] = {}
            self.getters[kind] = self._build_kind(kind, form)
            self.pages.addWidget(page)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QFormLayout()
        top.addRow("Kind of rule:", self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(self.pages.setCurrentIndex)

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(list(KIND_LABELS).index(kind))

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def field(self, name: str) -> QWidget:
        """The widget for ``name`` of the chosen kind (tests fill them in)."""
        return self.fields[self.kind()][name]

    def rule(self) -> Node:
        return {"rule": self.kind(), **self.getters[self.kind()]()}

    def _add(self, kind: str, form: QFormLayout, name: str, label: str, widget: QWidget) -> Any:
        widget.setObjectName(f"{kind}_{name}")
        self.fields[kind][name] = widget
        form.addRow(label, widget)
        return widget

    def _build_kind(self, kind: str, form: QFormLayout) -> Getter:
        c = self.choices
        listed = {
            "status": ("Status:", _labelled(PERSON_STATUSES, PERSON_STATUS_LABELS), False),
            "membership_type": ("Membership type:", _named(c.membership_types), True),
            "ward": ("Ward:", _named(c.wards), True),
            "polling_district": ("Polling district:", _named(c.districts), True),
            "engagement": ("Engagement:", _labelled(LEVELS, LEVEL_LABELS), False),
        }
        if kind in listed:
            label, items, editable = listed[kind]
            box = self._add(kind, form, "in", label, _combo(items, editable))
            return lambda: {"in": [_value(box)]}
        if kind in ("joined", "lapsed"):
            return self._build_dates(kind, form)
        if kind == "age":
            low = self._add(kind, form, "min", "At least:", _spin(-1, 130, 18, "any age"))
            high = self._add(kind, form, "max", "At most:", _spin(-1, 130, -1, "any age"))
            return lambda: {
                key: spin.value()
                for key, spin in (("min", low), ("max", high))
                if spin.value() >= 0
            }
        if kind in ("tag", "segment"):
            names = c.tags if kind == "tag" else c.segments
            box = self._add(kind, form, "name", f"{kind.capitalize()}:", _combo(_named(names)))
            return lambda: {"name": _value(box)}
        if kind == "household":
            items = _labelled(("member", "non_member"), HOUSEHOLD_LABELS)
            box = self._add(kind, form, "with", "Household:", _combo(items))
            return lambda: {"with": _value(box)}
        if kind == "affiliation":
            items = [(name, ("organisation", name)) for name in c.organisations]
            items += [
                (f"Any {ORGANISATION_KIND_LABELS[k].lower()}", ("kind", k))
                for k in ORGANISATION_KINDS
            ]
            box = self._add(kind, form, "organisation", "Belongs to:", _combo(items))
            return lambda: dict([box.currentData()]) if box.currentData() else {}
        if kind == "answer":
            return self._build_answer(kind, form)
        if kind == "attended":
            times = self._add(kind, form, "at_least", "At least this many:", _spin(1, 1000, 1))
            months = self._add(kind, form, "months", "In the last months:", _spin(1, 240, 12))
            return lambda: {"at_least": times.value(), "months": months.value()}
        if kind == "last_attended":
            edit = self._add(kind, form, "before", "Before:", _date_edit())
            return lambda: {"before": _iso(edit)}
        if kind == "activity":
            box = self._add(
                kind,
                form,
                "kind",
                "Activity:",
                _combo(_labelled(ACTIVITY_KINDS, ACTIVITY_KIND_LABELS)),
            )
            months = self._add(
                kind, form, "months", "In the last months:", _spin(0, 240, 12, "ever")
            )
            return lambda: (
                {"kind": _value(box)} | ({"months": months.value()} if months.value() else {})
            )
        assert kind == "contact"
        channel = self._add(
            kind, form, "channel", "Channel:", _combo(_labelled(CHANNELS, CHANNEL_LABELS))
        )
        state = self._add(
            kind, form, "is", "Is:", _combo(_labelled(CONTACT_STATES, CONTACT_LABELS))
        )
        return lambda: {"channel": _value(channel), "is": _value(state)}

    def _build_dates(self, kind: str, form: QFormLayout) -> Getter:
        when = self._add(
            kind,
            form,
            "when",
            "When:",
            _combo([("After", "after"), ("Before", "before"), ("Between", "between")]),
        )
        first = self._add(kind, form, "first", "Date:", _date_edit())
        last = self._add(kind, form, "last", "And (for between):", _date_edit(0))

        def get() -> Node:
            mode = when.currentData()
            if mode == "between":
                return {"between": [_iso(first), _iso(last)]}
            return {str(mode): _iso(first)}

        return get

    def _build_answer(self, kind: str, form: QFormLayout) -> Getter:
        questions = self.choices.questions
        question = self._add(
            kind, form, "question", "Question:", _combo([(q[0], q) for q in questions])
        )
        answer = self._add(kind, form, "answer", "Answered:", _combo([]))

        def refill() -> None:
            answer.clear()
            chosen = question.currentData()
            if not chosen:
                return
            _text, qkind, options = chosen
            if qkind == "scale":
                for point in range(1, 6):
                    answer.addItem(f"{point} or more", ("at_least", point))
            else:
                for option in options:
                    answer.addItem(option, ("option", option))

        question.currentIndexChanged.connect(lambda _index: refill())
        refill()

        def get() -> Node:
            chosen = question.currentData()
            picked = answer.currentData()
            if not chosen or not picked:
                return {}
            return {"question": chosen[0], picked[0]: picked[1]}

        return get
