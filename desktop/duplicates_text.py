"""The words of the duplicates window: the two records side by side as lines of text, the
question before a merge and the summary after it. Plain Python, no Qt, so tests read it
directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from db.duplicates import DuplicatePerson
from db.merge import MergeResult
from db.merge_preview import COUNTED, MergeSide
from db.models.vocabulary import CHANNEL_LABELS, CHANNELS

NOTHING = "—"
NOTES_SHOWN = 400  # characters of notes side by side; the person editor shows them all

# What the rows of each table are called, one and many: the comparison's counts and the
# summary after a merge (which counts by table name too).
ROW_WORDS: dict[str, tuple[str, str]] = {
    "attendance": ("meeting on record", "meetings on record"),
    "contribution": ("contribution at a meeting", "contributions at meetings"),
    "answer": ("view recorded", "views recorded"),
    "activity": ("activity", "activities"),
    "affiliation": ("union or group", "unions and groups"),
    "mailing_recipient": ("letter sent", "letters sent"),
    "person_tag": ("tag", "tags"),
    "custom_field_value": ("extra imported field", "extra imported fields"),
    "detail_verification": ("check of details", "checks of details"),
    "email_address": ("email address", "email addresses"),
    "phone_number": ("phone number", "phone numbers"),
    "contact_preference": ("contact preference", "contact preferences"),
    "setting": ("“not the same person” note", "“not the same person” notes"),
    "audit_entry": ("history entry", "history entries"),
    "import_change": ("import record", "import records"),
}


def rows_of(table: str, n: int) -> str:
    """``3 email addresses``, ``1 activity``."""
    one, many = ROW_WORDS.get(table, (table.replace("_", " "), table.replace("_", " ")))
    return f"{n:,} {one if n == 1 else many}"


def who(name: str, person_id: int) -> str:
    return f"{name} (id {person_id})"


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the side-by-side: ``compared`` lines are highlighted when they differ."""

    label: str
    left: str
    right: str
    compared: bool = True
    any_case: bool = False  # "Ann@Example.org" is "ann@example.org"

    @property
    def differs(self) -> bool:
        if not self.compared:
            return False
        if self.any_case:
            return self.left.casefold() != self.right.casefold()
        return self.left != self.right


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else NOTHING


def _text(value: str | None) -> str:
    return value.strip() if value and value.strip() else NOTHING


def _joined(parts: Iterable[str]) -> str:
    return "; ".join(parts) or NOTHING


def _details(side: MergeSide) -> list[tuple[str, str]]:
    d = side.detail
    emails = (f"{a.strip()} (main)" if primary else a.strip() for a, primary in d.emails)
    phones = (
        f"{number} ({kind}{', main' if primary else ''})" for number, kind, primary in d.phones
    )
    preferences = (
        f"{CHANNEL_LABELS[c]} {'yes' if d.contact_preferences[c] else 'no'}"
        for c in CHANNELS
        if c in d.contact_preferences
    )
    unions = (f"{name} ({role})" if role else name for name, role in d.affiliations)
    lives = d.household_members
    notes = (d.notes or "").strip()
    if len(notes) > NOTES_SHOWN:
        notes = notes[:NOTES_SHOWN].rstrip() + "…"
    return [
        ("Title", _text(d.title)),
        ("First name", _text(side.first_name)),
        ("Middle names", _text(side.middle_names)),
        ("Last name", _text(side.last_name)),
        ("Preferred name", _text(d.preferred_name)),
        ("Date of birth", _date(d.date_of_birth)),
        ("Status", d.status_label),
        ("Membership number", _text(d.membership_number)),
        ("Membership type", _text(d.membership_type)),
        ("Joined", _date(d.joined_on)),
        ("Lapsed", _date(d.lapsed_on)),
        ("Address", ", ".join(d.address_lines) or NOTHING),
        ("Ward", _text(d.ward)),
        ("Polling district", _text(d.polling_district)),
        ("Email", _joined(emails)),
        ("Phone", _joined(phones)),
        ("May contact by", ", ".join(preferences) or NOTHING),
        ("Lives with", _joined(f"{name} (id {pid}, {status})" for pid, name, status in lives)),
        ("Unions and groups now", _joined(unions)),
        ("Attended in the last year", f"{d.meetings_attended_12m:,}"),
        ("Last attended", _date(d.last_attended)),
        ("Notes", notes or NOTHING),
    ]


def comparison_rows(left: MergeSide, right: MergeSide) -> list[ComparisonRow]:
    """Every detail of both records, then how much each holds (not compared: a merge adds
    those up)."""
    rows = [
        ComparisonRow(
            "Record",
            f"id {left.detail.id}, added {left.added_on:%d/%m/%Y}",
            f"id {right.detail.id}, added {right.added_on:%d/%m/%Y}",
            compared=False,
        )
    ]
    for (label, mine), (_, theirs) in zip(_details(left), _details(right), strict=True):
        # Who else lives there follows from the address, which is compared.
        compared = label != "Lives with"
        rows.append(ComparisonRow(label, mine, theirs, compared, any_case=label == "Email"))
    for model in COUNTED:
        table = model.__tablename__
        label = ROW_WORDS[table][1].capitalize()
        rows.append(
            ComparisonRow(
                label, f"{left.counts[table]:,}", f"{right.counts[table]:,}", compared=False
            )
        )
    return rows


def person_summary(person: DuplicatePerson) -> str:
    """A pair list's tooltip for one side: what tells the two apart at a glance."""
    parts = [who(person.name, person.id), person.status_label]
    if person.membership_number:
        parts.append(f"membership number {person.membership_number}")
    if person.date_of_birth:
        parts.append(f"born {person.date_of_birth:%d/%m/%Y}")
    if person.postcode:
        parts.append(person.postcode)
    if person.email:
        parts.append(person.email)
    return ", ".join(parts)


def merge_question(keep: DuplicatePerson, other: DuplicatePerson) -> str:
    return (
        f"Everything of {who(other.name, other.id)} moves to {who(keep.name, keep.id)}; "
        f"id {other.id} is deleted."
    )


def merge_details(keep: DuplicatePerson) -> str:
    return (
        f"Where the two records differ, the details of id {keep.id} are kept and the others "
        f"are written into its notes. A merge cannot be undone."
    )


def merge_summary(result: MergeResult) -> str:
    """What a merge did, in a few plain lines."""
    lines = [
        f"Merged {who(result.other_name, result.other_id)} into "
        f"{who(result.keep_name, result.keep_id)}."
    ]
    moved = ", ".join(rows_of(table, n) for table, n in result.moved.items())
    lines.append(f"Moved: {moved or 'nothing'}.")
    if result.combined:
        combined = ", ".join(rows_of(table, n) for table, n in result.combined.items())
        lines.append(f"Held by both, now kept once: {combined}.")
    if result.filled:
        lines.append(f"Filled in from id {result.other_id}: {', '.join(result.filled)}.")
    if result.clashes:
        clashes = "; ".join(
            f"{clash.what} {clash.kept or NOTHING} / {clash.other or NOTHING} ({clash.resolution})"
            for clash in result.clashes
        )
        lines.append(f"Held differently, written into the notes of id {result.keep_id}: {clashes}.")
    return "\n".join(lines)
