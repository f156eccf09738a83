"""Segment rules compiled to one SQL condition on ``person``, for SQLite and PostgreSQL alike.

Every rule becomes ``person.id IN (SELECT person_id ...)`` or a condition on person's own
columns, so a whole segment is one statement however deep it nests: nobody is filtered in
Python. Names in the rules (wards, tags, questions, options, organisations, other segments)
are looked up once while compiling, and a name nobody knows is one sentence. Conditions on a
column a person may lack are guarded with ``IS NOT NULL`` so that ``not`` of a rule is
exactly everyone the rule leaves out (SQL's NULL would otherwise drop them from both).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, true
from sqlalchemy.orm import Session, aliased

from db.engagement import EngagementThresholds, engagement_select, get_engagement_thresholds
from db.engagement import window_start as months_before
from db.errors import NotFound
from db.folding import fold
from db.models import (
    Activity,
    Affiliation,
    Answer,
    AnswerChoice,
    Attendance,
    ContactPreference,
    Household,
    Meeting,
    Organisation,
    Person,
    PersonTag,
    PollingDistrict,
    QuestionOption,
    Segment,
    Tag,
    Ward,
)
from db.organisations import current_affiliation
from db.question_bank import CHOICE_KINDS, find_question
from db.segment_rules import RULE_KINDS, InvalidSegment, Node, parse_definition
from db.views import current_answer

__all__ = ["compile_segment", "load_definition"]

Condition = ColumnElement[bool]


def load_definition(session: Session, name: str) -> tuple[str, Node]:
    """The stored segment called ``name`` (any case or accents): its name and checked tree.
    A branch keeps a few dozen segments, so they are matched in Python (SQLite's lower()
    folds ASCII only)."""
    wanted = fold(name)
    for stored, text in session.execute(select(Segment.name, Segment.definition)):
        if fold(stored) == wanted:
            return stored, parse_definition(text)
    raise NotFound(f"There is no segment called '{name}'.")


def compile_segment(
    session: Session, tree: Node, *, today: dt.date, within: Sequence[str] = ()
) -> Condition:
    """The condition on ``Person`` that ``tree`` describes. ``within`` names the segments
    being compiled around it, so a segment that comes back to one of them is refused."""
    compiler = _Compiler(session, today, list(within))
    return compiler.node(tree)


@dataclass
class _Compiler:
    session: Session
    today: dt.date
    within: list[str]
    _thresholds: EngagementThresholds | None = field(default=None)

    def node(self, tree: Node) -> Condition:
        if "not" in tree:
            return not_(self.node(tree["not"]))
        if "all" in tree:
            parts = [self.node(member) for member in tree["all"]]
            return and_(true(), *parts) if parts else true()
        if "any" in tree:
            parts = [self.node(member) for member in tree["any"]]
            return or_(false(), *parts) if parts else false()
        rule: Callable[[_Compiler, Node], Condition] = _RULES[tree["rule"]]
        return rule(self, tree)

    @property
    def thresholds(self) -> EngagementThresholds:
        if self._thresholds is None:
            self._thresholds = get_engagement_thresholds(self.session)
        return self._thresholds

    # --- rules on person's own columns ---------------------------------------------------

    def status(self, rule: Node) -> Condition:
        return Person.status.in_(rule["in"])

    def membership_type(self, rule: Node) -> Condition:
        # Typed by hand or by the national list: "Standard" and "standard" are one type.
        wanted = sorted({value.lower() for value in rule["in"]})
        return and_(
            Person.membership_type.is_not(None), func.lower(Person.membership_type).in_(wanted)
        )

    def joined(self, rule: Node) -> Condition:
        return _dated(Person.joined_on, rule)

    def lapsed(self, rule: Node) -> Condition:
        return _dated(Person.lapsed_on, rule)

    def age(self, rule: Node) -> Condition:
        # Ages become birth dates here, in Python: no SQL date arithmetic differs by database.
        parts: list[Condition] = [Person.date_of_birth.is_not(None)]
        if "min" in rule:
            parts.append(Person.date_of_birth <= _years_before(self.today, rule["min"]))
        if "max" in rule:
            parts.append(Person.date_of_birth > _years_before(self.today, rule["max"] + 1))
        return and_(*parts)

    # --- where they live and with whom ---------------------------------------------------

    def ward(self, rule: Node) -> Condition:
        ids = self._named(Ward, [Ward.name, Ward.code], rule["in"], "ward")
        return _in_households(Household.ward_id.in_(ids))

    def polling_district(self, rule: Node) -> Condition:
        columns = [PollingDistrict.code, PollingDistrict.name]
        ids = self._named(PollingDistrict, columns, rule["in"], "polling district")
        return _in_households(Household.polling_district_id.in_(ids))

    def household(self, rule: Node) -> Condition:
        other = aliased(Person)
        is_member = other.status == "member"
        return and_(
            Person.household_id.is_not(None),
            select(other.id)
            .where(
                other.household_id == Person.household_id,
                other.id != Person.id,
                is_member if rule["with"] == "member" else not_(is_member),
            )
            .exists(),
        )

    # --- what is recorded about them -----------------------------------------------------

    def tag(self, rule: Node) -> Condition:
        (tag_id,) = self._named(Tag, [Tag.name], [rule["name"]], "tag")
        return Person.id.in_(select(PersonTag.person_id).where(PersonTag.tag_id == tag_id))

    def affiliation(self, rule: Node) -> Condition:
        held = select(Affiliation.person_id).where(current_affiliation(self.today))
        if "organisation" in rule:
            columns = [Organisation.name, Organisation.short_name]
            (org_id,) = self._named(Organisation, columns, [rule["organisation"]], "organisation")
            held = held.where(Affiliation.organisation_id == org_id)
        else:
            held = held.join(Organisation, Organisation.id == Affiliation.organisation_id).where(
                Organisation.kind == rule["kind"]
            )
        return Person.id.in_(held)

    def answer(self, rule: Node) -> Condition:
        try:
            question = find_question(self.session, rule["question"])
        except NotFound:
            raise InvalidSegment(
                f"The answer rule names a question nobody added: '{rule['question']}'."
            ) from None
        given = aliased(Answer)
        current = select(given.person_id).where(
            given.question_id == question.id, current_answer(given)
        )
        if "option" in rule:
            if question.kind not in CHOICE_KINDS:
                raise InvalidSegment(
                    f"'{question.text}' has no options to choose; use \"at_least\" or another "
                    "question."
                )
            option_id = self._option(question.id, question.text, rule["option"])
            chose = select(AnswerChoice.answer_id).where(AnswerChoice.option_id == option_id)
            return Person.id.in_(current.where(given.id.in_(chose)))
        if question.kind != "scale":
            raise InvalidSegment(
                f"'{question.text}' is not a 1 to 5 scale; use \"option\" for its choices."
            )
        return Person.id.in_(current.where(given.scale_value >= rule["at_least"]))

    def contact(self, rule: Node) -> Condition:
        said = select(ContactPreference.person_id).where(
            ContactPreference.channel == rule["channel"]
        )
        if rule["is"] == "unknown":
            return not_(Person.id.in_(said))
        return Person.id.in_(said.where(ContactPreference.allowed.is_(rule["is"] == "allowed")))

    # --- how they take part --------------------------------------------------------------

    def engagement(self, rule: Node) -> Condition:
        levels = engagement_select(self.thresholds, self.today).subquery("engagement")
        return Person.id.in_(select(levels.c.person_id).where(levels.c.level.in_(rule["in"])))

    def attended(self, rule: Node) -> Condition:
        since = dt.datetime.combine(months_before(self.today, rule["months"]), dt.time())
        until = dt.datetime.combine(self.today + dt.timedelta(days=1), dt.time())
        came = (
            select(Attendance.person_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(
                Attendance.status == "present",
                Meeting.starts_at >= since,
                Meeting.starts_at < until,
            )
            .group_by(Attendance.person_id)
            .having(func.count(func.distinct(Attendance.meeting_id)) >= rule["at_least"])
        )
        return Person.id.in_(came)

    def last_attended(self, rule: Node) -> Condition:
        cutoff = dt.datetime.combine(dt.date.fromisoformat(rule["before"]), dt.time())
        came = (
            select(Attendance.person_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.status == "present")
            .group_by(Attendance.person_id)
            .having(func.max(Meeting.starts_at) < cutoff)
        )
        return Person.id.in_(came)

    def activity(self, rule: Node) -> Condition:
        did = select(Activity.person_id).where(Activity.kind == rule["kind"])
        if "months" in rule:
            since = months_before(self.today, rule["months"])
            did = did.where(Activity.done_on >= since, Activity.done_on <= self.today)
        return Person.id.in_(did)

    def segment(self, rule: Node) -> Condition:
        outer = {fold(name) for name in self.within}
        if fold(rule["name"]) in outer:
            self._refuse_cycle(rule["name"])
        name, tree = load_definition(self.session, rule["name"])
        if fold(name) in outer:
            self._refuse_cycle(name)
        self.within.append(name)
        try:
            return self.node(tree)
        finally:
            self.within.pop()

    def _refuse_cycle(self, name: str) -> NoReturn:
        # Named as first written, however the rule that comes back round spells it.
        again = next(outer for outer in self.within if fold(outer) == fold(name))
        chain = " -> ".join([*self.within, again])
        raise InvalidSegment(f"The segment '{self.within[0]}' would include itself ({chain}).")

    # --- looking names up ----------------------------------------------------------------

    def _named(self, model: Any, columns: list[Any], names: Sequence[str], what: str) -> list[int]:
        """Ids of the rows of ``model`` any of ``columns`` names, case and accents aside.
        Branches keep dozens of these, so they are matched in Python (SQLite's lower()
        folds ASCII only)."""
        known: dict[str, int] = {}
        for row in self.session.execute(select(model.id, *columns)):
            for value in row[1:]:
                if value:
                    known.setdefault(fold(str(value)), row[0])
        ids = []
        for name in names:
            found = known.get(fold(name))
            if found is None:
                raise InvalidSegment(f"There is no {what} called '{name}'.")
            ids.append(found)
        return ids

    def _option(self, question_id: int, question: str, label: str) -> int:
        options = self.session.execute(
            select(QuestionOption.id, QuestionOption.label).where(
                QuestionOption.question_id == question_id
            )
        )
        for option_id, option_label in options:
            if fold(option_label) == fold(label):
                return int(option_id)
        raise InvalidSegment(f"'{question}' has no option '{label}'.")


def _dated(column: Any, rule: Node) -> Condition:
    parts: list[Condition] = [column.is_not(None)]
    if "before" in rule:
        parts.append(column < dt.date.fromisoformat(rule["before"]))
    if "after" in rule:
        parts.append(column > dt.date.fromisoformat(rule["after"]))
    if "between" in rule:
        first, last = (dt.date.fromisoformat(value) for value in rule["between"])
        parts.append(column.between(first, last))
    return and_(*parts)


def _in_households(condition: Condition) -> Condition:
    return and_(
        Person.household_id.is_not(None),
        Person.household_id.in_(select(Household.id).where(condition)),
    )


def _years_before(today: dt.date, years: int) -> dt.date:
    """The same date ``years`` earlier (28 February for a 29 February with no match)."""
    return months_before(today, 12 * years)


_RULES: dict[str, Callable[[_Compiler, Node], Condition]] = {
    kind: getattr(_Compiler, kind) for kind in RULE_KINDS
}
