"""The rule language of segments: a JSON tree, checked before anything is compiled or saved.

A node is a group or a rule:

- ``{"all": [node, ...]}`` everyone every node matches (an empty list matches everyone);
- ``{"any": [node, ...]}`` everyone at least one node matches (an empty list matches nobody);
- ``{"not": node}`` everyone the node does not match;
- ``{"rule": KIND, ...}`` one of the kinds in ``RULE_KINDS``, with the keys it takes.

Dates are ISO text ("2026-11-27"). ``before`` and ``after`` are strict; ``between`` takes two
dates, both included. A rule whose column is empty for a person (no date of birth, no joining
date, no address) never matches them, and so ``not`` it does.

Checking here needs no database: names of wards, tags, questions and segments are looked up
when the tree is compiled (``db.segment_sql``). Each mistake is one sentence naming it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from db.engagement import LEVELS
from db.errors import UserError
from db.models.vocabulary import (
    ACTIVITY_KINDS,
    CHANNELS,
    ORGANISATION_KINDS,
    PERSON_STATUSES,
)

__all__ = [
    "CONTACT_STATES",
    "HOUSEHOLD_KINDS",
    "RULE_KINDS",
    "InvalidSegment",
    "Node",
    "check_definition",
    "parse_definition",
    "referenced_segments",
]

Node = dict[str, Any]

RULE_KINDS = (
    "status",
    "membership_type",
    "joined",
    "lapsed",
    "age",
    "ward",
    "polling_district",
    "household",
    "tag",
    "affiliation",
    "answer",
    "engagement",
    "attended",
    "last_attended",
    "activity",
    "contact",
    "segment",
)
HOUSEHOLD_KINDS = ("member", "non_member")  # lives with a member / with a non-member
CONTACT_STATES = ("allowed", "refused", "unknown")
_MAX_DEPTH = 40  # far deeper than anyone writes; stops a runaway tree, not a person
_MAX_MONTHS = 240
_MAX_AGE = 130


class InvalidSegment(UserError):
    """A segment definition that cannot be used as written."""


def parse_definition(definition: str | Mapping[str, Any]) -> Node:
    """The checked tree from JSON text or an already-parsed mapping."""
    if isinstance(definition, str):
        try:
            loaded = json.loads(definition)
        except json.JSONDecodeError as error:
            raise InvalidSegment(
                f"The segment rules are not valid JSON (line {error.lineno}, column "
                f"{error.colno}: {error.msg})."
            ) from None
    else:
        loaded = definition
    return check_definition(loaded)


def check_definition(tree: object, depth: int = 0) -> Node:
    """``tree`` as a node, every key and value checked; raises ``InvalidSegment``."""
    if depth > _MAX_DEPTH:
        raise InvalidSegment(f"The segment rules nest more than {_MAX_DEPTH} groups deep.")
    if not isinstance(tree, Mapping):
        raise InvalidSegment(
            'Each segment rule must be an object such as {"rule": "status", "in": ["member"]}.'
        )
    node = dict(tree)
    groups = [key for key in ("all", "any", "not") if key in node]
    if groups:
        if len(node) != 1:
            raise InvalidSegment(
                f'A "{groups[0]}" group takes nothing else beside it; put the other rules '
                "inside it."
            )
        key = groups[0]
        if key == "not":
            return {"not": check_definition(node["not"], depth + 1)}
        members = node[key]
        if not isinstance(members, list):
            raise InvalidSegment(f'An "{key}" group holds a list of rules.')
        return {key: [check_definition(member, depth + 1) for member in members]}
    kind = node.get("rule")
    if kind is None:
        raise InvalidSegment(
            'A segment rule needs "rule" (such as "status") or is a group: "all", "any" or "not".'
        )
    if kind not in RULE_KINDS:
        raise InvalidSegment(f"'{kind}' is not a kind of segment rule Branchbook knows.")
    checked: Node = _CHECKS[kind](node)
    allowed = set(checked) | {"rule"}
    extra = sorted(set(node) - allowed)
    if extra:
        raise InvalidSegment(f"The {kind} rule does not take '{extra[0]}'.")
    return {"rule": kind, **checked}


def referenced_segments(node: Node) -> set[str]:
    """The names of the segments this tree refers to, at any depth."""
    if "rule" in node:
        return {node["name"]} if node["rule"] == "segment" else set()
    if "not" in node:
        return referenced_segments(node["not"])
    found: set[str] = set()
    members: list[Node] = node["all"] if "all" in node else node["any"]
    for member in members:
        found |= referenced_segments(member)
    return found


# --- each kind's keys ---------------------------------------------------------------------


def _choices(node: Node, kind: str, vocabulary: tuple[str, ...] | None = None) -> Node:
    values = node.get("in")
    if not isinstance(values, list) or not values:
        raise InvalidSegment(f'The {kind} rule needs "in": a list of at least one value.')
    cleaned = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise InvalidSegment(f"The {kind} rule's list holds something that is not a name.")
        text = value.strip()
        if vocabulary is not None and text not in vocabulary:
            raise InvalidSegment(
                f"'{text}' is not a {kind.replace('_', ' ')} Branchbook knows; use "
                f"{_either(vocabulary)}."
            )
        cleaned.append(text)
    return {"in": cleaned}


def _date(value: object, kind: str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidSegment(f"'{value}' in the {kind} rule is not a date like 2026-11-27.")


def _dates(node: Node, kind: str) -> Node:
    found: Node = {}
    if "between" in node:
        pair = node["between"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise InvalidSegment(f'"between" in the {kind} rule takes two dates, earliest first.')
        first, last = (_date(value, kind) for value in pair)
        if last < first:
            raise InvalidSegment(
                f"The {kind} rule's dates are the wrong way round: "
                f"{last.isoformat()} comes before {first.isoformat()}."
            )
        found["between"] = [first.isoformat(), last.isoformat()]
    for key in ("before", "after"):
        if key in node:
            found[key] = _date(node[key], kind).isoformat()
    if not found:
        raise InvalidSegment(f'The {kind} rule needs "before", "after" or "between".')
    return found


def _whole(node: Node, key: str, kind: str, low: int, high: int) -> int:
    value = node.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidSegment(f'"{key}" in the {kind} rule must be a whole number {low} to {high}.')
    return value


def _text(node: Node, key: str, kind: str) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidSegment(f'The {kind} rule needs "{key}": a name.')
    return value.strip()


def _one_of(node: Node, key: str, kind: str, vocabulary: tuple[str, ...]) -> str:
    value = node.get(key)
    if value not in vocabulary:
        raise InvalidSegment(f'"{key}" in the {kind} rule must be {_either(vocabulary)}.')
    return str(value)


def _either(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def _age(node: Node) -> Node:
    found: Node = {
        key: _whole(node, key, "age", 0, _MAX_AGE) for key in ("min", "max") if key in node
    }
    if not found:
        raise InvalidSegment('The age rule needs "min", "max" or both (years).')
    if "min" in found and "max" in found and found["max"] < found["min"]:
        raise InvalidSegment(
            f"The age rule's maximum ({found['max']}) is below its minimum ({found['min']})."
        )
    return found


def _affiliation(node: Node) -> Node:
    if ("organisation" in node) == ("kind" in node):
        raise InvalidSegment(
            'The affiliation rule takes either "organisation" (a name) or "kind" '
            '(such as "trade_union"), not both.'
        )
    if "organisation" in node:
        return {"organisation": _text(node, "organisation", "affiliation")}
    return {"kind": _one_of(node, "kind", "affiliation", ORGANISATION_KINDS)}


def _answer(node: Node) -> Node:
    question = node.get("question")
    if isinstance(question, bool) or not isinstance(question, str | int) or question == "":
        raise InvalidSegment('The answer rule needs "question": its text or its id.')
    if ("option" in node) == ("at_least" in node):
        raise InvalidSegment(
            'The answer rule takes either "option" (a choice) or "at_least" (a scale point), '
            "not both."
        )
    if "option" in node:
        return {"question": question, "option": _text(node, "option", "answer")}
    return {"question": question, "at_least": _whole(node, "at_least", "answer", 1, 5)}


def _attended(node: Node) -> Node:
    return {
        "at_least": _whole(node, "at_least", "attended", 1, 1000),
        "months": _whole(node, "months", "attended", 1, _MAX_MONTHS),
    }


def _activity(node: Node) -> Node:
    found: Node = {"kind": _one_of(node, "kind", "activity", ACTIVITY_KINDS)}
    if "months" in node:
        found["months"] = _whole(node, "months", "activity", 1, _MAX_MONTHS)
    return found


_CHECKS: dict[str, Callable[[Node], Node]] = {
    "status": lambda node: _choices(node, "status", PERSON_STATUSES),
    "membership_type": lambda node: _choices(node, "membership_type"),
    "joined": lambda node: _dates(node, "joined"),
    "lapsed": lambda node: _dates(node, "lapsed"),
    "age": _age,
    "ward": lambda node: _choices(node, "ward"),
    "polling_district": lambda node: _choices(node, "polling_district"),
    "household": lambda node: {"with": _one_of(node, "with", "household", HOUSEHOLD_KINDS)},
    "tag": lambda node: {"name": _text(node, "name", "tag")},
    "affiliation": _affiliation,
    "answer": _answer,
    "engagement": lambda node: _choices(node, "engagement", LEVELS),
    "attended": _attended,
    "last_attended": lambda node: {
        "before": _date(node.get("before"), "last_attended").isoformat()
    },
    "activity": _activity,
    "contact": lambda node: {
        "channel": _one_of(node, "channel", "contact", CHANNELS),
        "is": _one_of(node, "is", "contact", CONTACT_STATES),
    },
    "segment": lambda node: {"name": _text(node, "name", "segment")},
}
