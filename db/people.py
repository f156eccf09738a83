"""Reading and adding people: the list page, one person's details, naming a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, Select, Subquery, func, select, text, tuple_
from sqlalchemy.orm import Session

from db.bulk import chunked
from db.errors import Ambiguous, Conflict, NotFound, UserError
from db.folding import fold
from db.models import (
    Affiliation,
    Attendance,
    ContactPreference,
    EmailAddress,
    Household,
    Meeting,
    Organisation,
    Person,
    PhoneNumber,
    Ward,
)
from db.models.vocabulary import PERSON_STATUS_LABELS, PERSON_STATUSES
from db.search import (
    SORT_LIMIT,
    Plan,
    choose_plan,
    fts_match_expression,
    person_filter,
    query_terms,
)


@dataclass(frozen=True)
class PersonRow:
    """One line of the people list."""

    id: int
    last_name: str
    first_name: str
    preferred_name: str | None
    status: str
    membership_number: str | None
    ward: str | None
    postcode: str | None
    email: str | None
    sort_key: str

    @property
    def status_label(self) -> str:
        return PERSON_STATUS_LABELS.get(self.status, self.status)


# Enough rows to hold everyone sharing a name; more would be no help on a command line.
_NAME_CANDIDATES = 500

# A page is read by position in the (sort_key, id) order, so fetching more never repeats
# or skips a row, and no OFFSET scan grows with the list.
PageCursor = tuple[str, int]


def page_select(
    session: Session,
    query: str = "",
    *,
    after: PageCursor | None = None,
    limit: int = 200,
    plan: Plan = Plan.SORT_MATCHES,
) -> Select[tuple[object, ...]]:
    """The SQL for one page of the list.

    The page's ids are chosen first, from ``person`` alone; only those rows are then joined
    to their address, ward and email. Joining first would compute those columns for every
    match before sorting: 15,000 of them for one typed letter at 100,000 people.
    """
    dialect = session.get_bind().dialect.name
    condition = person_filter(dialect, query, plan)
    ids = select(Person.id, Person.sort_key)
    if condition is not None:
        ids = ids.where(condition)
    if after is not None:
        ids = ids.where(tuple_(Person.sort_key, Person.id) > tuple_(*after))
    return rows_for(ids.order_by(Person.sort_key, Person.id).limit(limit).subquery("page"))


def primary_email() -> ScalarSelect[Any]:
    """Each person's primary email address (else their first), as a correlated subquery."""
    return (
        select(EmailAddress.address)
        .where(EmailAddress.person_id == Person.id)
        .order_by(EmailAddress.is_primary.desc(), EmailAddress.id)
        .limit(1)
        .scalar_subquery()
    )


def rows_for(page: Subquery) -> Select[tuple[object, ...]]:
    """The list's columns for the people whose ``id`` (and ``sort_key``) ``page`` selects,
    alphabetically."""
    return (
        select(
            Person.id,
            Person.last_name,
            Person.first_name,
            Person.preferred_name,
            Person.status,
            Person.membership_number,
            Ward.name.label("ward"),
            Household.postcode,
            primary_email().label("email"),
            Person.sort_key,
        )
        .join(page, page.c.id == Person.id)
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(Ward, Ward.id == Household.ward_id)
        .order_by(page.c.sort_key, page.c.id)
    )


def list_people(
    session: Session,
    query: str = "",
    *,
    after: PageCursor | None = None,
    limit: int = 200,
    total: int | None = None,
) -> list[PersonRow]:
    """People matching ``query`` in alphabetical order, ``limit`` at a time.

    The number of matches chooses the faster plan (the rows are the same either way);
    ``total`` passes it when the caller has counted already, else it is counted here: two
    typed letters match a fifth of the branch, and sorting all of them for a few rows
    doubled a search's worst case.
    """
    if total is None and query_terms(query):
        total = count_people(session, query)
    plan = Plan.SORT_MATCHES
    if total is not None and total > SORT_LIMIT:
        # max(id) estimates the population without counting it.
        plan = choose_plan(total, session.scalar(select(func.max(Person.id))) or 0)
    stmt = page_select(session, query, after=after, limit=limit, plan=plan)
    # Through the connection: these are plain rows, and the ORM's per-statement machinery
    # was a quarter of a search keystroke.
    return [PersonRow(**row._mapping) for row in session.connection().execute(stmt)]


def count_people(session: Session, query: str = "") -> int:
    dialect = session.get_bind().dialect.name
    terms = query_terms(query)
    if dialect == "sqlite" and terms:
        # Counted inside the index: joining 100,000 matches back to person costs 8x more.
        return int(
            session.scalar(
                text("SELECT count(*) FROM person_fts WHERE person_fts MATCH :match"),
                {"match": fts_match_expression(terms)},
            )
            or 0
        )
    stmt = select(func.count()).select_from(Person)
    condition = person_filter(dialect, query)
    if condition is not None:
        stmt = stmt.where(condition)
    return int(session.scalar(stmt) or 0)


@dataclass(frozen=True)
class PersonDetail:
    """Everything the read-only detail pane shows about one person."""

    id: int
    title: str | None
    full_name: str
    preferred_name: str | None
    status: str
    status_label: str
    membership_number: str | None
    membership_type: str | None
    joined_on: dt.date | None
    lapsed_on: dt.date | None
    date_of_birth: dt.date | None
    address_lines: list[str]
    ward: str | None
    polling_district: str | None
    emails: list[tuple[str, bool]]
    phones: list[tuple[str, str, bool]]
    contact_preferences: dict[str, bool]
    household_members: list[tuple[int, str, str]]
    affiliations: list[tuple[str, str | None]]
    meetings_attended_12m: int
    last_attended: dt.date | None
    notes: str | None


def person_detail(
    session: Session, person_id: int, *, today: dt.date | None = None
) -> PersonDetail:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    today = today or dt.date.today()
    household = person.household
    address_lines: list[str] = []
    ward = district = None
    members: list[tuple[int, str, str]] = []
    if household is not None:
        address_lines = [
            line
            for line in (
                household.line1,
                household.line2,
                household.line3,
                household.town,
                household.county,
                household.postcode,
            )
            if line
        ]
        ward = household.ward.name if household.ward else None
        district = household.polling_district.code if household.polling_district else None
        members = [
            (p.id, p.full_name, PERSON_STATUS_LABELS[p.status])
            for p in sorted(household.people, key=lambda p: p.sort_key)
            if p.id != person.id
        ]
    year_ago = dt.datetime.combine(today - dt.timedelta(days=365), dt.time())
    attended_12m = session.scalar(
        select(func.count())
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.person_id == person.id, Attendance.status == "present")
        .where(Meeting.starts_at >= year_ago)
    )
    last = session.scalar(
        select(func.max(Meeting.starts_at))
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Attendance.person_id == person.id, Attendance.status == "present")
    )
    affiliations = session.execute(
        select(Organisation.name, Affiliation.role)
        .join(Organisation, Organisation.id == Affiliation.organisation_id)
        .where(Affiliation.person_id == person.id, Affiliation.until.is_(None))
        .order_by(Organisation.name)
    ).all()
    preferences = session.execute(
        select(ContactPreference.channel, ContactPreference.allowed).where(
            ContactPreference.person_id == person.id
        )
    ).all()
    return PersonDetail(
        id=person.id,
        title=person.title,
        full_name=person.full_name,
        preferred_name=person.preferred_name,
        status=person.status,
        status_label=PERSON_STATUS_LABELS[person.status],
        membership_number=person.membership_number,
        membership_type=person.membership_type,
        joined_on=person.joined_on,
        lapsed_on=person.lapsed_on,
        date_of_birth=person.date_of_birth,
        address_lines=address_lines,
        ward=ward,
        polling_district=district,
        emails=[(e.address, e.is_primary) for e in person.emails],
        phones=[(p.number, p.kind, p.is_primary) for p in person.phones],
        contact_preferences={channel: bool(ok) for channel, ok in preferences},
        household_members=members,
        affiliations=[(name, role) for name, role in affiliations],
        meetings_attended_12m=int(attended_12m or 0),
        last_attended=last.date() if last is not None else None,
        notes=person.notes,
    )


@dataclass(frozen=True)
class NewPerson:
    first_name: str
    last_name: str
    status: str = "contact"
    title: str | None = None
    preferred_name: str | None = None
    membership_number: str | None = None
    membership_type: str | None = None
    joined_on: dt.date | None = None
    email: str | None = None
    phone: str | None = None


def add_person(session: Session, new: NewPerson) -> int:
    """Add one person; a membership number already in use is refused, naming its holder."""
    if not (new.first_name.strip() or new.last_name.strip()):
        raise UserError("A person needs a first name or a last name.")
    if new.status not in PERSON_STATUSES:
        raise UserError(f"'{new.status}' is not a status; use one of {', '.join(PERSON_STATUSES)}.")
    number = (new.membership_number or "").strip() or None
    if number is not None:
        holder = session.scalar(select(Person).where(Person.membership_number == number))
        if holder is not None:
            raise Conflict(
                f"Membership number {number} already belongs to {holder.full_name} "
                f"(id {holder.id})."
            )
    person = Person(
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        status=new.status,
        title=new.title,
        preferred_name=new.preferred_name,
        membership_number=number,
        membership_type=new.membership_type,
        joined_on=new.joined_on,
    )
    if new.email:
        person.emails.append(EmailAddress(address=new.email.strip().lower(), is_primary=True))
    if new.phone:
        person.phones.append(PhoneNumber(number=new.phone.strip(), is_primary=True))
    session.add(person)
    session.flush()
    return person.id


def find_person(session: Session, name_or_number: str) -> int:
    """The one person named on a command line: by membership number, id or exact name."""
    key = name_or_number.strip()
    by_number = session.scalar(select(Person.id).where(Person.membership_number == key))
    if by_number is not None:
        return by_number
    if key.isdigit() and session.get(Person, int(key)) is not None:
        return int(key)
    # The whole name, as people type it: any case, with or without accents
    # ("lukasz wojcik" is Łukasz Wójcik), first or preferred name then surname.
    wanted = fold(key)
    matches = [
        (row.id, row.first_name, row.last_name, row.membership_number)
        for row in list_people(session, key, limit=_NAME_CANDIDATES)
        if wanted
        in (
            fold(f"{row.first_name} {row.last_name}"),
            fold(f"{row.preferred_name} {row.last_name}"),
        )
    ]
    if not matches:
        raise NotFound(f"Nobody is called or numbered '{key}'.")
    if len(matches) > 1:
        candidates = [
            f"{first} {last} (id {pid}" + (f", membership number {number})" if number else ")")
            for pid, first, last, number in matches
        ]
        raise Ambiguous(f"'{key}' matches {len(matches)} people; name one by id.", candidates)
    return int(matches[0][0])


def household_residents(session: Session, households: Iterable[int | None]) -> dict[int, list[int]]:
    """Who lives in each of ``households``: household id -> person ids."""
    found: dict[int, list[int]] = {}
    wanted = sorted({h for h in households if h is not None})
    for chunk in chunked(wanted):
        for pid, hid in session.execute(
            select(Person.id, Person.household_id).where(Person.household_id.in_(chunk))
        ):
            if hid is not None:  # never, given the IN; says so to the type checker
                found.setdefault(hid, []).append(pid)
    return found
