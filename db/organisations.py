"""Unions, co-operative societies, campaigns and community groups, and who belongs to them.

An affiliation is current from its ``since`` (or always, when unknown) until the day in its
``until``: ending one keeps it as history, so the branch still knows who was in which union.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from db.errors import Ambiguous, Conflict, NotFound, UserError
from db.folding import fold
from db.models import Affiliation, Organisation, Person
from db.models.vocabulary import ORGANISATION_KIND_LABELS, ORGANISATION_KINDS

__all__ = [
    "Affiliated",
    "AffiliationRow",
    "OrganisationRow",
    "UnionMembers",
    "add_organisation",
    "affiliate",
    "current_affiliation",
    "delete_affiliation",
    "delete_organisation",
    "end_affiliation",
    "find_organisation",
    "list_organisations",
    "person_affiliations",
    "reopen_affiliation",
    "union_members",
]


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    short_name: str | None
    kind: str
    kind_label: str
    current: int  # people affiliated now


@dataclass(frozen=True)
class AffiliationRow:
    id: int
    organisation_id: int
    organisation: str
    kind: str
    role: str | None
    since: dt.date | None
    until: dt.date | None
    current: bool


@dataclass(frozen=True)
class Affiliated:
    """An affiliation's row as it was: what ``affiliate(restore_id=...)`` puts back."""

    id: int
    person_id: int
    organisation_id: int
    role: str | None
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True)
class UnionMembers:
    """One trade union and the branch members in it now, alphabetical."""

    organisation_id: int
    name: str
    short_name: str | None
    person_ids: tuple[int, ...]

    @property
    def members(self) -> int:
        return len(self.person_ids)


def add_organisation(
    session: Session,
    name: str,
    kind: str,
    short_name: str | None = None,
    *,
    restore_id: int | None = None,
) -> int:
    """A new organisation; its id. ``restore_id`` gives it that id (putting back one whose
    adding was undone)."""
    tidy = " ".join(name.split())
    if not tidy:
        raise UserError("An organisation needs a name.")
    if len(tidy) > 200:
        raise UserError("An organisation's name is at most 200 characters.")
    if kind not in ORGANISATION_KINDS:
        raise UserError(
            f"'{kind}' is not a kind of organisation; use one of {', '.join(ORGANISATION_KINDS)}."
        )
    short = " ".join((short_name or "").split()) or None
    if short is not None and len(short) > 40:
        raise UserError("An organisation's short name is at most 40 characters.")
    # "UNISON" and "Unison" are one union: a second row would split its members in two.
    for existing in session.scalars(select(Organisation.name)):
        if existing.casefold() == tidy.casefold():
            raise Conflict(f"There is already an organisation called '{existing}'.")
    if restore_id is not None and session.get(Organisation, restore_id) is not None:
        raise Conflict(f"'{tidy}' cannot be put back: its number is in use.")
    organisation = Organisation(id=restore_id, name=tidy, kind=kind, short_name=short)
    session.add(organisation)
    session.flush()
    return organisation.id


def delete_organisation(session: Session, organisation_id: int) -> OrganisationRow:
    """Forget an organisation nobody is or was affiliated to (the undo of adding one);
    what it was, for ``add_organisation(restore_id=...)``."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"There is no organisation {organisation_id}.")
    tied = session.scalar(
        select(func.count(Affiliation.id)).where(Affiliation.organisation_id == organisation_id)
    )
    if tied:
        ties = "1 affiliation" if tied == 1 else f"{tied} affiliations"
        raise Conflict(f"{organisation.name} has {ties} recorded, so it was kept.")
    row = OrganisationRow(
        organisation.id,
        organisation.name,
        organisation.short_name,
        organisation.kind,
        ORGANISATION_KIND_LABELS.get(organisation.kind, organisation.kind),
        0,
    )
    session.delete(organisation)
    session.flush()
    return row


def find_organisation(session: Session, name_or_id: str) -> int:
    """The organisation named on a command line: by id, name or short name, any case."""
    key = " ".join(name_or_id.split())
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.short_name))
    everyone = list(rows)
    if key.isdigit():
        for oid, _name, _short in everyone:
            if oid == int(key):
                return oid
    # Forgiving, as names of people are: any case, accents and punctuation optional.
    wanted = fold(key)
    matches = [(oid, name) for oid, name, _short in everyone if fold(name) == wanted] or [
        (oid, name) for oid, name, short in everyone if short and fold(short) == wanted
    ]
    if len(matches) == 1:
        return matches[0][0]
    if matches:
        raise Ambiguous(
            f"'{key}' matches {len(matches)} organisations; name one by id.",
            [f"{name} (id {oid})" for oid, name in matches],
        )
    raise NotFound(f"There is no organisation called or numbered '{key}'.")


def list_organisations(session: Session, *, today: dt.date | None = None) -> list[OrganisationRow]:
    """Every organisation, alphabetical, with how many people belong now."""
    counts = dict(
        session.execute(
            select(Affiliation.organisation_id, func.count(func.distinct(Affiliation.person_id)))
            .where(current_affiliation(today or dt.date.today()))
            .group_by(Affiliation.organisation_id)
        ).all()
    )
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.kind)
    )
    found = [
        OrganisationRow(
            oid, name, short, kind, ORGANISATION_KIND_LABELS.get(kind, kind), counts.get(oid, 0)
        )
        for oid, name, short, kind in rows
    ]
    return sorted(found, key=lambda row: (fold(row.name), row.id))


def current_affiliation(today: dt.date) -> ColumnElement[bool]:
    """``Affiliation`` rows in force on ``today``: begun (or begun at an unknown date) and
    not yet ended; an affiliation ended on ``today`` is history."""
    return and_(
        or_(Affiliation.since.is_(None), Affiliation.since <= today),
        or_(Affiliation.until.is_(None), Affiliation.until > today),
    )


def affiliate(
    session: Session,
    person_id: int,
    organisation_id: int,
    role: str | None = None,
    since: dt.date | None = None,
    *,
    restore_id: int | None = None,
) -> int:
    """Record that the person belongs to the organisation; the affiliation's id.
    ``restore_id`` gives it that id (putting back one whose adding was undone)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"There is no organisation {organisation_id}.")
    tidy_role = " ".join((role or "").split()) or None
    if tidy_role is not None and len(tidy_role) > 120:
        raise UserError("A role is at most 120 characters.")
    open_rows = session.scalars(
        select(Affiliation.id).where(
            Affiliation.person_id == person_id,
            Affiliation.organisation_id == organisation_id,
            Affiliation.until.is_(None),
        )
    ).first()
    if open_rows is not None:
        raise Conflict(
            f"{person.full_name} already belongs to {organisation.name}; "
            "end that affiliation before starting another."
        )
    if since is not None:
        same_start = session.scalars(
            select(Affiliation.id).where(
                Affiliation.person_id == person_id,
                Affiliation.organisation_id == organisation_id,
                Affiliation.since == since,
            )
        ).first()
        if same_start is not None:
            raise Conflict(
                f"{person.full_name} already has an affiliation to {organisation.name} "
                f"from {since.isoformat()}."
            )
    if restore_id is not None and session.get(Affiliation, restore_id) is not None:
        raise Conflict("That affiliation cannot be put back: its number is in use.")
    row = Affiliation(
        id=restore_id,
        person_id=person_id,
        organisation_id=organisation_id,
        role=tidy_role,
        since=since,
    )
    session.add(row)
    session.flush()
    return row.id


def end_affiliation(session: Session, affiliation_id: int, until: dt.date) -> None:
    """The person left the organisation on ``until``; the affiliation stays as history."""
    row = _affiliation(session, affiliation_id)
    if row.until is not None:
        raise Conflict(f"That affiliation already ended on {row.until.isoformat()}.")
    if row.since is not None and until < row.since:
        raise UserError(
            f"An affiliation cannot end ({until.isoformat()}) before it began "
            f"({row.since.isoformat()})."
        )
    row.until = until
    session.flush()


def reopen_affiliation(
    session: Session, affiliation_id: int, until: dt.date | None = None
) -> dt.date | None:
    """Set the affiliation's end back to ``until`` (None: current again), the undo of
    ending it; the end it had."""
    row = _affiliation(session, affiliation_id)
    if row.since is not None and until is not None and until < row.since:
        raise UserError(
            f"An affiliation cannot end ({until.isoformat()}) before it began "
            f"({row.since.isoformat()})."
        )
    if until is None and row.until is not None:
        other = session.scalars(
            select(Affiliation.id).where(
                Affiliation.person_id == row.person_id,
                Affiliation.organisation_id == row.organisation_id,
                Affiliation.until.is_(None),
                Affiliation.id != row.id,
            )
        ).first()
        if other is not None:
            person = session.get(Person, row.person_id)
            who = person.full_name if person is not None else "They"
            raise Conflict(
                f"{who} belongs to {row.organisation.name} again already; "
                "that affiliation was not reopened."
            )
    previous = row.until
    row.until = until
    session.flush()
    return previous


def delete_affiliation(session: Session, affiliation_id: int) -> Affiliated:
    """Forget an affiliation altogether (the undo of adding it); what it was."""
    row = _affiliation(session, affiliation_id)
    gone = Affiliated(row.id, row.person_id, row.organisation_id, row.role, row.since, row.until)
    session.delete(row)
    session.flush()
    return gone


def _affiliation(session: Session, affiliation_id: int) -> Affiliation:
    row = session.get(Affiliation, affiliation_id)
    if row is None:
        raise NotFound(f"There is no affiliation {affiliation_id}.")
    return row


def person_affiliations(
    session: Session, person_id: int, *, today: dt.date | None = None
) -> list[AffiliationRow]:
    """The person's organisations: current ones first, then the ones they left."""
    day = today or dt.date.today()
    rows = [
        AffiliationRow(aid, oid, name, kind, role, since, until, bool(current))
        for aid, oid, name, kind, role, since, until, current in session.execute(
            select(
                Affiliation.id,
                Organisation.id,
                Organisation.name,
                Organisation.kind,
                Affiliation.role,
                Affiliation.since,
                Affiliation.until,
                current_affiliation(day),
            )
            .join(Organisation, Organisation.id == Affiliation.organisation_id)
            .where(Affiliation.person_id == person_id)
        )
    ]
    if not rows and session.get(Person, person_id) is None:
        raise NotFound(f"There is no person with id {person_id}.")
    # Current ones alphabetical; history latest first, so the last union left leads it.
    rows.sort(
        key=lambda r: (
            not r.current,
            0 if r.current else -(r.until or r.since or dt.date.min).toordinal(),
            fold(r.organisation),
        )
    )
    return rows


def union_members(session: Session, *, today: dt.date | None = None) -> list[UnionMembers]:
    """Every trade union with the branch's members in it now, the biggest first.

    One SELECT over the affiliations, joined to the members they belong to: at 100,000
    people it reads only the union rows, never a query per union or per person."""
    day = today or dt.date.today()
    unions = {
        oid: (name, short)
        for oid, name, short in session.execute(
            select(Organisation.id, Organisation.name, Organisation.short_name).where(
                Organisation.kind == "trade_union"
            )
        )
    }
    members: dict[int, list[int]] = {oid: [] for oid in unions}
    rows = session.execute(
        # The sort key is selected too: PostgreSQL orders a DISTINCT only by what it returns.
        select(Affiliation.organisation_id, Person.id, Person.sort_key)
        .distinct()
        .join(Organisation, Organisation.id == Affiliation.organisation_id)
        .join(Person, Person.id == Affiliation.person_id)
        .where(
            Organisation.kind == "trade_union",
            Person.status == "member",
            current_affiliation(day),
        )
        .order_by(Affiliation.organisation_id, Person.sort_key, Person.id)
    )
    for oid, pid, _sort_key in rows:
        members[oid].append(pid)
    found = [
        UnionMembers(oid, name, short, tuple(members[oid])) for oid, (name, short) in unions.items()
    ]
    return sorted(found, key=lambda u: (-u.members, fold(u.name)))
