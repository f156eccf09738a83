"""Volunteering: canvassing, leafleting, phone banks and the rest, logged a session at a time.

One session with eight volunteers is eight ``Activity`` rows, written together by
``log_activity``: either every volunteer's row is recorded or, when anything about the
session is wrong, none is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.bulk import chunked
from db.errors import NotFound, UserError
from db.meetings import Edited, apply_changes
from db.models import Activity, Person
from db.models.vocabulary import ACTIVITY_KIND_LABELS, ACTIVITY_KINDS

__all__ = [
    "MAX_HOURS",
    "ActivityForm",
    "ActivityRow",
    "ActivityTotal",
    "activity_form",
    "activity_totals",
    "check_people_exist",
    "delete_activity",
    "log_activity",
    "person_activities",
    "update_activity",
]

# One stint is one day's work at most: more is a typing slip (25 for 2.5), not dedication.
MAX_HOURS = Decimal(24)
_CENT = Decimal("0.01")

Hours = Decimal | int | float | str | None


@dataclass(frozen=True)
class ActivityForm:
    """An activity's editable details, as ``update_activity`` takes them."""

    kind: str
    done_on: dt.date
    hours: Decimal | None
    notes: str | None


@dataclass(frozen=True)
class ActivityRow:
    id: int
    person_id: int
    kind: str
    kind_label: str
    done_on: dt.date
    hours: Decimal | None
    notes: str | None


@dataclass(frozen=True)
class ActivityTotal:
    """One kind of activity since a date: how many stints, hours and different people."""

    kind: str
    kind_label: str
    sessions: int  # rows: eight volunteers at one canvassing session count eight
    hours: Decimal
    people: int


def log_activity(
    session: Session,
    kind: str,
    done_on: dt.date,
    hours: Hours,
    person_ids: Iterable[int],
    notes: str | None = None,
    *,
    today: dt.date | None = None,
) -> list[int]:
    """Record one session of ``kind`` for each of ``person_ids``; the new rows' ids, in the
    order the people were given (someone named twice is recorded once)."""
    form = _checked(ActivityForm(kind, done_on, _hours(hours), notes), today)
    people = list(dict.fromkeys(person_ids))
    if not people:
        raise UserError("An activity needs at least one person.")
    check_people_exist(session, people)
    rows = [Activity(person_id=pid, **_columns(form)) for pid in people]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def check_people_exist(session: Session, person_ids: Sequence[int]) -> None:
    """Refuse, in one sentence naming them, ids that belong to nobody."""
    found: set[int] = set()
    for chunk in chunked(sorted(set(person_ids))):
        found.update(session.scalars(select(Person.id).where(Person.id.in_(chunk))))
    missing = [pid for pid in person_ids if pid not in found]
    if len(missing) == 1:
        raise NotFound(f"There is no person with id {missing[0]}.")
    if missing:
        listed = ", ".join(str(pid) for pid in missing[:-1]) + f" and {missing[-1]}"
        raise NotFound(f"There are no people with ids {listed}.")


def activity_form(session: Session, activity_id: int) -> ActivityForm:
    """The activity's details as they are: what an edit starts from."""
    row = _activity(session, activity_id)
    return ActivityForm(row.kind, row.done_on, row.hours, row.notes)


def update_activity(
    session: Session, activity_id: int, changes: ActivityForm, *, today: dt.date | None = None
) -> Edited:
    """Give one person's activity the details in ``changes``, checked as when logged."""
    row = _activity(session, activity_id)
    form = _checked(
        ActivityForm(changes.kind, changes.done_on, _hours(changes.hours), changes.notes), today
    )
    return Edited(row.id, apply_changes(session, row, _columns(form)))


def delete_activity(session: Session, activity_id: int) -> None:
    session.delete(_activity(session, activity_id))
    session.flush()


def person_activities(session: Session, person_id: int) -> list[ActivityRow]:
    """Everything the person has done for the branch, the latest first."""
    rows = [
        ActivityRow(aid, pid, kind, ACTIVITY_KIND_LABELS.get(kind, kind), done_on, hours, notes)
        for aid, pid, kind, done_on, hours, notes in session.execute(
            select(
                Activity.id,
                Activity.person_id,
                Activity.kind,
                Activity.done_on,
                Activity.hours,
                Activity.notes,
            )
            .where(Activity.person_id == person_id)
            .order_by(Activity.done_on.desc(), Activity.id.desc())
        )
    ]
    # Asked only when there is nothing to show: rows found belong to someone.
    if not rows and session.get(Person, person_id) is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return rows


def activity_totals(
    session: Session, since: dt.date, until: dt.date | None = None
) -> list[ActivityTotal]:
    """Every kind of activity, in the usual order, with its figures from ``since`` to
    ``until`` (both included; no end by default). Kinds nobody did show zeros."""
    statement = (
        select(
            Activity.kind,
            func.count(),
            func.coalesce(func.sum(Activity.hours), 0),
            func.count(func.distinct(Activity.person_id)),
        )
        .where(Activity.done_on >= since)
        .group_by(Activity.kind)
    )
    if until is not None:
        statement = statement.where(Activity.done_on <= until)
    found = {
        kind: (count, hours, people) for kind, count, hours, people in session.execute(statement)
    }
    totals = []
    for kind in ACTIVITY_KINDS:
        count, hours, people = found.get(kind, (0, 0, 0))
        totals.append(
            ActivityTotal(
                kind,
                ACTIVITY_KIND_LABELS[kind],
                int(count),
                Decimal(str(hours)).quantize(_CENT),
                int(people),
            )
        )
    return totals


def _activity(session: Session, activity_id: int) -> Activity:
    row = session.get(Activity, activity_id)
    if row is None:
        raise NotFound(f"There is no activity {activity_id}.")
    return row


def _hours(hours: Hours) -> Decimal | None:
    if hours is None:
        return None
    try:
        value = Decimal(str(hours).strip())
    except InvalidOperation:
        raise UserError(f"'{hours}' is not a number of hours.") from None
    if not value.is_finite():
        raise UserError(f"'{hours}' is not a number of hours.")
    return value


def _checked(form: ActivityForm, today: dt.date | None) -> ActivityForm:
    """``form`` tidied, or the sentence saying what is wrong with it."""
    if form.kind not in ACTIVITY_KINDS:
        raise UserError(
            f"'{form.kind}' is not a kind of activity; use one of {', '.join(ACTIVITY_KINDS)}."
        )
    hours = form.hours
    if hours is not None:
        if hours < 0:
            raise UserError("Hours cannot be negative.")
        if hours > MAX_HOURS:
            raise UserError(f"{hours} hours is more than a day; give the hours of one session.")
        hours = hours.quantize(_CENT)
    if form.done_on > (today or dt.date.today()):
        raise UserError(f"{form.done_on.isoformat()} is in the future; log activity once done.")
    notes = (form.notes or "").strip() or None
    return ActivityForm(form.kind, form.done_on, hours, notes)


def _columns(form: ActivityForm) -> dict[str, object]:
    return {"kind": form.kind, "done_on": form.done_on, "hours": form.hours, "notes": form.notes}
