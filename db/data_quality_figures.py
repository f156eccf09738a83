"""The data-quality report's figures: the lists to fix from ``db.data_quality`` (missing or
broken email addresses, phone numbers and postcodes; details nobody has confirmed for a
long time), and how many people each kind of problem touches, against everyone the branch
knows: the share with complete, recently confirmed details is the headline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.data_quality import DataQuality, QualityIssue, data_quality
from db.models import Person
from db.models.vocabulary import DETAIL_GROUPS

__all__ = ["DataQualityFigures", "ProblemCount", "data_quality_figures"]


@dataclass(frozen=True)
class ProblemCount:
    area: str  # "emails", "phones", "postcodes", "unverified": the list it is on
    label: str
    people: int


@dataclass(frozen=True)
class DataQualityFigures:
    counted_on: dt.date
    months: int  # details unconfirmed for this long count as unverified
    people: int  # everyone the branch knows
    people_with_problems: int  # on at least one list
    problems: tuple[ProblemCount, ...]  # each kind of problem, in the lists' order
    lists: DataQuality

    @property
    def people_clean(self) -> int:
        return self.people - self.people_with_problems


def data_quality_figures(
    session: Session, *, months: int = 24, today: dt.date | None = None
) -> DataQualityFigures:
    today = today or dt.date.today()
    lists = data_quality(session, months=months, today=today)
    people = session.scalar(select(func.count()).select_from(Person)) or 0
    affected = {
        issue.person_id
        for issues in (lists.emails, lists.phones, lists.postcodes, lists.unverified)
        for issue in issues
    }
    return DataQualityFigures(
        counted_on=today,
        months=months,
        people=int(people),
        people_with_problems=len(affected),
        problems=_problems(lists, months),
        lists=lists,
    )


def _problems(lists: DataQuality, months: int) -> tuple[ProblemCount, ...]:
    def missing(issue: QualityIssue) -> bool:
        return issue.value is None

    def present(issue: QualityIssue) -> bool:
        return issue.value is not None

    def problem(text: str) -> Callable[[QualityIssue], bool]:
        return lambda issue: issue.problem == text

    def not_a_postcode(issue: QualityIssue) -> bool:
        return issue.value is not None and "should be written" not in issue.problem

    def miswritten(issue: QualityIssue) -> bool:
        return issue.value is not None and "should be written" in issue.problem

    found = [
        _count("emails", "No email address", lists.emails, missing),
        _count("emails", "An email address that would not be accepted", lists.emails, present),
        _count("phones", "No phone number", lists.phones, missing),
        _count("phones", "A phone number that would not be accepted", lists.phones, present),
        _count("postcodes", "No address", lists.postcodes, problem("has no address")),
        _count(
            "postcodes", "An address with no postcode", lists.postcodes, problem("has no postcode")
        ),
        _count("postcodes", "A postcode that is not one", lists.postcodes, not_a_postcode),
        _count("postcodes", "A postcode written wrongly", lists.postcodes, miswritten),
    ]
    for group in DETAIL_GROUPS:

        def in_group(issue: QualityIssue, group: str = group) -> bool:
            return issue.detail == group

        found.append(
            _count(
                "unverified",
                f"{group.capitalize()} not confirmed in {months} months",
                lists.unverified,
                in_group,
            )
        )
    return tuple(found)


def _count(
    area: str, label: str, issues: Sequence[QualityIssue], keep: Callable[[QualityIssue], bool]
) -> ProblemCount:
    return ProblemCount(area, label, len({i.person_id for i in issues if keep(i)}))
