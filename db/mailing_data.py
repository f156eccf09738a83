"""A mailing's recipients and letters: who gets what, read in bulk, and the record of it.

``gather_recipients`` reads everything a letter can say about the people asked for in a
handful of chunked queries (never one per person): names, address, ward, status, whether a
member lives at the same address, post consent, engagement and the last meeting attended.
Whoever refused post (their ``post`` contact preference says no) or has no address is
left out, with the reason, and counted.

``plan_letters`` fills the template for each of them. Per person, everyone gets their own
letter. Per household, the people at one address whose letters read the same, word for word
(``salutation`` aside), share one letter and one envelope naming them all ("Mr A & Ms B
Smith" on the envelope, "Dear Alan and Beth" where the template says ``{{ salutation }}``);
anyone at that address whose letter reads differently (a member and a non-member, where the
template treats them differently; or a template that names each person's first name) gets
their own. So a household merge never hides a difference the template makes.

``record_mailing`` writes the Mailing and one MailingRecipient per person, with the variant
(``db.letter_templates.variant_of``) of the letter they got, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import QueryableAttribute, Session

from db.audit import record_bulk
from db.bulk import IN_CHUNK, chunked, insert_tuples, select_rows
from db.engagement import engagement_levels
from db.errors import UserError
from db.letter_templates import (
    SALUTATION_MARK,
    Block,
    CompiledTemplate,
    fill_salutation,
    plain_text,
    to_blocks,
    variant_of,
)
from db.meetings import QR_PREFIX
from db.models import ContactPreference, Household, Mailing, MailingRecipient, Person, Ward
from db.models.vocabulary import PERSON_STATUS_LABELS
from db.participation import participation_figures
from db.segments import segment_member_sets

__all__ = [
    "LEFT_OUT_NO_ADDRESS",
    "LEFT_OUT_REFUSED_POST",
    "Gathered",
    "LeftOut",
    "Letter",
    "Recipient",
    "addressee",
    "gather_recipients",
    "plan_letters",
    "record_mailing",
    "segment_sets",
]

LEFT_OUT_REFUSED_POST = "refused post"
LEFT_OUT_NO_ADDRESS = "no postal address"


@dataclass(frozen=True)
class Recipient:
    person_id: int
    title: str
    first_name: str
    preferred_name: str
    last_name: str
    full_name: str
    membership_number: str
    status: str
    household_id: int | None
    address_lines: tuple[str, ...]  # postcode last
    postcode: str
    ward: str
    lives_with_member: bool
    engagement: str
    last_meeting_attended: dt.date | None

    @property
    def salutation(self) -> str:
        return self.preferred_name or " ".join(p for p in (self.title, self.last_name) if p)


@dataclass(frozen=True)
class LeftOut:
    person_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class Gathered:
    recipients: tuple[Recipient, ...]
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class Letter:
    """One letter in one envelope, for one person or several at one address."""

    person_ids: tuple[int, ...]
    addressee: str  # the envelope's first line: "Mr A & Ms B Smith"
    address_lines: tuple[str, ...]
    filled: str  # the rendered template with its merge values marked
    variant: str
    codes: tuple[tuple[str, str], ...]  # (caption, check-in QR payload) per person

    @property
    def text(self) -> str:
        """As the person reads it, for previews."""
        return plain_text(self.filled)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Paragraphs and bullets to print: made when printed, not when planned, so a
        mailing to 60,000 people is planned in seconds (to_blocks is the costly part)."""
        return tuple(to_blocks(self.filled))


def segment_sets(
    session: Session, names: Sequence[str], person_ids: Sequence[int], today: dt.date | None = None
) -> dict[str, set[int]]:
    """Which of ``person_ids`` are in each segment a template asks about (``db.segments``);
    a template that asks about none costs no query."""
    if not names:
        return {}
    return segment_member_sets(session, names, person_ids, today)


def gather_recipients(
    session: Session, person_ids: Sequence[int], *, today: dt.date | None = None
) -> Gathered:
    """Everything a letter can say about ``person_ids`` (in that order), and who is left out."""
    wanted = list(dict.fromkeys(person_ids))
    people_query = (
        select(
            Person.id,
            Person.title,
            Person.first_name,
            Person.middle_names,
            Person.last_name,
            Person.preferred_name,
            Person.membership_number,
            Person.status,
            Person.household_id,
            Household.line1,
            Household.line2,
            Household.line3,
            Household.town,
            Household.county,
            Household.postcode,
            Ward.name,
        )
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(Ward, Ward.id == Household.ward_id)
    )
    people = {row[0]: tuple(row) for row in _rows_for(session, people_query, Person.id, wanted)}
    refusals = select(ContactPreference.person_id, ContactPreference.allowed).where(
        ContactPreference.channel == "post"
    )
    refused = {  # one row per person and channel
        pid: not allowed
        for pid, allowed in _rows_for(session, refusals, ContactPreference.person_id, wanted)
    }
    households = sorted({row[8] for row in people.values() if row[8] is not None})
    members = select(Person.household_id, Person.id).where(Person.status == "member")
    with_member: dict[int, set[int]] = {}
    for hid, pid in _rows_for(session, members, Person.household_id, households):
        with_member.setdefault(hid, set()).add(pid)
    found = [pid for pid in wanted if pid in people]
    engagement = engagement_levels(session, found, today=today)
    figures = participation_figures(session, found, today=today)

    recipients: list[Recipient] = []
    left_out: list[LeftOut] = []
    for pid in found:
        (_, title, first, middle, last, preferred, number, status, hid) = people[pid][:9]
        line1, line2, line3, town, county, postcode, ward = people[pid][9:]
        full = " ".join(p for p in (first, middle, last) if p)
        if refused.get(pid):
            left_out.append(LeftOut(pid, full, LEFT_OUT_REFUSED_POST))
            continue
        lines = tuple(
            " ".join(str(p).split()) for p in (line1, line2, line3, town, county, postcode) if p
        )
        if not (line1 or "").strip() or not lines:
            left_out.append(LeftOut(pid, full, LEFT_OUT_NO_ADDRESS))
            continue
        level = engagement.get(pid)
        attended = figures[pid].last_attended if pid in figures else None
        recipients.append(
            Recipient(
                person_id=pid,
                title=title or "",
                first_name=first or "",
                preferred_name=preferred or first or "",
                last_name=last or "",
                full_name=full,
                membership_number=number or "",
                status=status,
                household_id=hid,
                address_lines=lines,
                postcode=postcode or "",
                ward=ward or "",
                lives_with_member=bool(with_member.get(hid, set()) - {pid}) if hid else False,
                engagement=level.label if level is not None else "Never seen",
                last_meeting_attended=None if attended is None else attended.date(),
            )
        )
    return Gathered(tuple(recipients), tuple(left_out))


# Past this many ids a whole table is quicker to read than slices of it: each slice's IN
# list costs SQLAlchemy ~10 ms to compile (measured: 57,000 members in 115 slices, 6.5 s).
_WHOLE_TABLE_ABOVE = 5 * IN_CHUNK


def _rows_for(
    session: Session,
    query: Select[*tuple[Any, ...]],
    key: QueryableAttribute[Any],
    ids: Sequence[int],
) -> Iterator[tuple[Any, ...]]:
    """``query``'s rows whose first column (``key``) is one of ``ids``."""
    if len(ids) > _WHOLE_TABLE_ABOVE:
        wanted = set(ids)
        return (row for row in select_rows(session, query) if row[0] in wanted)
    return (
        tuple(row) for chunk in chunked(ids) for row in session.execute(query.where(key.in_(chunk)))
    )


def _context(person: Recipient, sets: Mapping[str, set[int]], today: dt.date) -> dict[str, Any]:
    def in_segment(name: str) -> bool:
        if name not in sets:
            raise UserError(f"There is no segment called '{name}'.")
        return person.person_id in sets[name]

    return {
        "title": person.title,
        "first_name": person.first_name,
        "preferred_name": person.preferred_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "salutation": SALUTATION_MARK,
        "membership_number": person.membership_number,
        "ward": person.ward,
        "postcode": person.postcode,
        "address_lines": list(person.address_lines),
        "address": ", ".join(person.address_lines),
        "status": PERSON_STATUS_LABELS.get(person.status, person.status),
        "is_member": person.status == "member",
        "is_lapsed": person.status == "lapsed",
        "lives_with_member": person.lives_with_member,
        "engagement": person.engagement,
        "last_meeting_attended": person.last_meeting_attended,
        "today": today,
        "in_segment": in_segment,
    }


def plan_letters(
    gathered: Gathered,
    template: CompiledTemplate,
    *,
    per_household: bool = False,
    segments: Mapping[str, set[int]] | None = None,
    today: dt.date | None = None,
) -> list[Letter]:
    """Fill ``template`` for every recipient, in their order; per household, people at one
    address whose letters read the same share one (see the module's account)."""
    day = today or dt.date.today()
    sets = segments or {}
    groups: dict[tuple[Any, ...], list[tuple[Recipient, str]]] = {}
    for person in gathered.recipients:
        text = template.render(_context(person, sets, day))
        key: tuple[Any, ...] = (person.person_id,)
        if per_household and person.household_id is not None:
            key = ("household", person.household_id, text)
        groups.setdefault(key, []).append((person, text))
    return [_letter(members) for members in groups.values()]


def _letter(members: list[tuple[Recipient, str]]) -> Letter:
    people = [person for person, _ in members]
    text = members[0][1]
    salutation = _joined([p.salutation for p in people], " and ")
    filled = fill_salutation(text, salutation)
    return Letter(
        person_ids=tuple(p.person_id for p in people),
        addressee=addressee(people),
        address_lines=people[0].address_lines,
        filled=filled,
        variant=variant_of(text),
        codes=tuple(
            (p.membership_number or p.full_name, f"{QR_PREFIX}{p.person_id}") for p in people
        ),
    )


def _joined(parts: Sequence[str], last: str) -> str:
    parts = [p for p in dict.fromkeys(parts) if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + last + parts[-1]


def addressee(people: Sequence[Recipient]) -> str:
    """The envelope's name line: "Ms Siân Llŷr-Jones" for one person; "Mr A & Ms B Smith"
    for several sharing a last name; "Mr A Smith & Ms B Jones" otherwise."""
    if len(people) == 1:
        p = people[0]
        return " ".join(part for part in (p.title, p.full_name) if part)

    def initial(p: Recipient) -> str:
        first = f"{p.first_name[:1]}" if p.first_name else ""
        return " ".join(part for part in (p.title, first) if part)

    last_names = {p.last_name for p in people}
    if len(last_names) == 1:
        return _joined([initial(p) for p in people], " & ") + f" {people[0].last_name}"
    return _joined(
        [" ".join(part for part in (initial(p), p.last_name) if part) for p in people], " & "
    )


def record_mailing(
    session: Session,
    *,
    title: str,
    letters: Sequence[Letter],
    left_out: int,
    per_household: bool,
    template_id: int | None = None,
    segment_id: int | None = None,
) -> int:
    """Record that ``letters`` were sent: the Mailing and, per person, the variant they got.
    Returns the mailing's id; the caller's transaction commits or rolls back all of it."""
    recipients = [(pid, letter.variant) for letter in letters for pid in letter.person_ids]
    mailing = Mailing(
        title=title[:200],
        template_id=template_id,
        segment_id=segment_id,
        mode="household" if per_household else "person",
        recipient_count=len(recipients),
        left_out_count=left_out,
    )
    session.add(mailing)
    session.flush()
    insert_tuples(
        session,
        MailingRecipient.__table__,  # type: ignore[arg-type]
        ("mailing_id", "person_id", "variant"),
        [(mailing.id, pid, variant) for pid, variant in recipients],
    )
    record_bulk(
        session,
        "mailing_recipient",
        f"Mailing '{mailing.title}': {len(recipients)} recipients, {left_out} left out",
    )
    return mailing.id
