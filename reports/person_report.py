"""One person's full record, as PDF and as xlsx: everything Branchbook holds about them
(``db.person_dossier``): details, contact preferences, verifications, tags, affiliations,
answers old and new, activities, meetings, letters sent, kept columns and the history of
changes. What a subject access request is answered with, or a file note for the committee.

Both formats are built from the same list of ``RecordTable``s, so the PDF and the workbook
can never disagree about what is held; the workbook has a sheet per table.
``write_person_report`` finds the person, gathers the record and writes the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings, load_branch_settings
from db.models.vocabulary import CHANNEL_LABELS, ORGANISATION_KIND_LABELS
from db.people import find_person
from db.person_dossier import Dossier, person_dossier
from reports.report_document import (
    FRAME_WIDTH,
    ReportDocument,
    Written,
    filtered_sheet,
    report_format,
)
from reports.xlsx_table import new_workbook, save_workbook

__all__ = [
    "PersonReport",
    "RecordTable",
    "person_workbook",
    "record_tables",
    "write_person_report",
]

Progress = Callable[[int, int, str], None]
# Everything held: far above any one person's history, but a bound all the same.
_HISTORY = 10_000


@dataclass(frozen=True)
class RecordTable:
    title: str  # the PDF's heading and, shortened, the sheet's name
    sheet: str
    columns: tuple[tuple[str, float], ...]  # heading, share of the page's width
    rows: tuple[tuple[object, ...], ...]
    numeric: tuple[int, ...] = ()


def write_person_report(
    session: Session,
    path: Path,
    who: str | int,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Written[Dossier]:
    """Find ``who`` (membership number, id or a name matching one person; an int is the id
    itself, as a window that picked the person has it), gather all that is held about them
    and save it to ``path`` as PDF or xlsx, by its extension."""
    kind = report_format(path)
    report = progress or (lambda done, total, label: None)
    report(0, 2, "Gathering the record")
    person_id = who if isinstance(who, int) else find_person(session, who)
    dossier = person_dossier(session, person_id, today=today, history=_HISTORY)
    branch = load_branch_settings(session)
    report(1, 2, f"Writing {path.name}")
    pages = None
    if kind == "pdf":
        pages = PersonReport(dossier, branch, printed_on=today).write(path)
    else:
        save_workbook(person_workbook(dossier, branch), path)
    report(2, 2, f"Saved {path.name}")
    return Written(path, kind, pages, dossier)


def record_tables(dossier: Dossier) -> list[RecordTable]:
    """The record as tables, in the order a reader wants them."""
    d = dossier
    return [
        RecordTable("Details", "Details", (("Detail", 0.3), ("Held", 0.7)), _details(d)),
        RecordTable(
            "Contact preferences",
            "Contact",
            (("Channel", 0.2), ("May we?", 0.15), ("Recorded", 0.2), ("How", 0.45)),
            tuple(
                (CHANNEL_LABELS.get(channel, channel), p.allowed, p.recorded_at.date(), p.how)
                for channel, p in sorted(d.preferences.items())
            ),
        ),
        RecordTable(
            "Details confirmed",
            "Verified",
            (("Details", 0.2), ("Last confirmed", 0.2), ("How", 0.25), ("Note", 0.35)),
            tuple(
                (group.capitalize(), v.verified_on, v.source_label, v.note)
                for group, v in d.verified.items()
            ),
        ),
        RecordTable(
            "Organisations",
            "Organisations",
            (
                ("Organisation", 0.34),
                ("Kind", 0.2),
                ("Role", 0.2),
                ("Since", 0.13),
                ("Until", 0.13),
            ),
            tuple(
                (
                    a.organisation,
                    ORGANISATION_KIND_LABELS.get(a.kind, a.kind),
                    a.role,
                    a.since,
                    a.until,
                )
                for a in d.affiliations
            ),
        ),
        RecordTable(
            "Views",
            "Answers",
            (("Question", 0.36), ("Answer", 0.34), ("Given on", 0.15), ("How", 0.15)),
            tuple(
                row
                for a in d.answers
                for row in (
                    (a.question, v.value, v.answered_on, v.source_label)
                    if index == 0
                    else (f"{a.question} (earlier)", v.value, v.answered_on, v.source_label)
                    for index, v in enumerate((a.current, *a.history))
                )
            ),
        ),
        RecordTable(
            "Activities",
            "Activities",
            (("Date", 0.16), ("Activity", 0.2), ("Hours", 0.1), ("Notes", 0.54)),
            tuple((a.done_on, a.kind_label, a.hours, a.notes) for a in d.activities),
            numeric=(2,),
        ),
        RecordTable(
            "Meetings",
            "Meetings",
            (("Date", 0.16), ("Meeting", 0.34), ("What", 0.2), ("Detail", 0.3)),
            tuple((e.when.date(), e.meeting, e.what, e.detail) for e in d.participation.timeline),
        ),
        RecordTable(
            "Letters sent",
            "Letters",
            (("Sent", 0.16), ("Letter", 0.6), ("Variant", 0.24)),
            tuple(
                (
                    m.sent_at.date(),
                    m.title,
                    f"{m.variant_number} of {m.variants}" if m.variants > 1 else "",
                )
                for m in d.mailings
            ),
        ),
        RecordTable(
            "Kept columns from imported lists",
            "Kept columns",
            (("Column", 0.35), ("Value", 0.65)),
            tuple((name, value) for name, value in d.kept_columns.items()),
        ),
        RecordTable(
            "History of changes",
            "History",
            (
                ("When", 0.15),
                ("Who", 0.13),
                ("Change", 0.1),
                ("What", 0.2),
                ("Was", 0.21),
                ("Now", 0.21),
            ),
            tuple(
                (h.at.date(), h.actor, h.action, h.what, _shown(h.old), _shown(h.new))
                for h in d.history
            ),
        ),
    ]


class PersonReport(ReportDocument):
    title = "Personal record"

    def __init__(
        self, dossier: Dossier, branch: BranchSettings, *, printed_on: dt.date | None = None
    ) -> None:
        detail = dossier.detail
        super().__init__(branch, f"{detail.full_name} · id {detail.id}", printed_on=printed_on)
        self.dossier = dossier

    def body(self) -> list[Flowable]:
        d = self.dossier
        figures = d.participation.figures
        story: list[Flowable] = [
            self.headline(
                [
                    (d.detail.status_label, "status"),
                    (f"{figures.attended_12m:,}", "meetings in the last 12 months"),
                    (f"{len(d.activities):,}", "activities logged"),
                    (f"{len(d.answers):,}", "questions answered"),
                ]
            ),
            Spacer(1, 3 * mm),
        ]
        if d.tags:
            story.append(self.paragraph("Tags: " + ", ".join(d.tags)))
        for table in record_tables(d):
            story += self.record_section(table)
        story += [
            Spacer(1, 4 * mm),
            self.note(
                "Everything Branchbook holds about this person on the day it was printed. "
                "Times of changes are in UTC; earlier answers are those a later one replaced."
            ),
        ]
        return story

    def record_section(self, table: RecordTable) -> list[Flowable]:
        if not table.rows:
            return [self.section(table.title, self.note("Nothing recorded."))]
        rendered = self.table(
            [heading for heading, _share in table.columns],
            table.rows,
            [FRAME_WIDTH * share for _heading, share in table.columns],
            numeric=table.numeric,
        )
        if len(table.rows) <= 6:
            return [self.section(table.title, rendered)]
        return [*self.list_heading(f"{table.title} ({len(table.rows):,})"), rendered]


def person_workbook(dossier: Dossier, branch: BranchSettings) -> Any:
    """The record as a workbook: a sheet per table, real dates and numbers."""
    book = new_workbook()
    for table in record_tables(dossier):
        filtered_sheet(
            book,
            table.sheet,
            [(heading, max(10, round(share * 100))) for heading, share in table.columns],
            [tuple(_cell(value) for value in row) for row in table.rows],
        )
    return book


def _details(d: Dossier) -> tuple[tuple[object, ...], ...]:
    detail = d.detail
    held: list[tuple[str, object]] = [
        ("Name", detail.full_name),
        ("Title", detail.title),
        ("Known as", detail.preferred_name),
        ("Id", str(detail.id)),
        ("Status", detail.status_label),
        ("Membership number", detail.membership_number),
        ("Membership type", detail.membership_type),
        ("Joined", detail.joined_on),
        ("Lapsed", detail.lapsed_on),
        ("Date of birth", detail.date_of_birth),
        ("Address", ", ".join(detail.address_lines) or None),
        ("Ward", detail.ward),
        ("Polling district", detail.polling_district),
        *(
            ("Email", f"{address}{' (main)' if primary else ''}")
            for address, primary in detail.emails
        ),
        *(
            ("Phone", f"{number} ({kind}{', main' if primary else ''})")
            for number, kind, primary in detail.phones
        ),
        *(("Lives with", f"{name} ({status})") for _pid, name, status in detail.household_members),
        ("Engagement", d.engagement.label if d.engagement else None),
        ("Last came to a meeting", d.participation.figures.last_attended),
        ("Tags", ", ".join(d.tags) or None),
        ("Notes", detail.notes),
    ]
    return tuple((label, value) for label, value in held if value not in (None, ""))


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _cell(value: object) -> object:
    """A value as the workbook should hold it: Yes/No rather than TRUE/FALSE."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value
