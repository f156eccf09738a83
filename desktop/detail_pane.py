"""The read-only pane that shows the selected person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from db.models.vocabulary import CHANNEL_LABELS, CHANNELS
from db.participation import PersonParticipation, TimelineEntry
from db.people import PersonDetail
from db.person_mailings import MailingLine

# Meetings shown in the timeline; the rest are counted ("and 40 earlier meetings").
TIMELINE_MEETINGS = 12
# What someone did "on" an agenda item; the other kinds name it after a colon.
_ON_ITEM = frozenset({"spoke", "question"})
_LABEL_STYLE = "color:#555;padding:3px 12px 3px 0;white-space:nowrap"


def _date(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td style='{_LABEL_STYLE}' valign='top'>{label}</td>"
        f"<td style='padding:3px 0'>{value}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='0'>{body}</table>"


def _what(entry: TimelineEntry) -> str:
    """One thing done at a meeting: "Attended", "Spoke on “Housing”", "Proposed a motion:
    “Free school meals” — seconded by Bob"."""
    text = escape(entry.what)
    if entry.item:
        joint = " on " if entry.kind in _ON_ITEM else ": "
        text += f"{joint}“{escape(entry.item)}”"
    if entry.note:
        text += f" <span style='color:#555'>— {escape(entry.note)}</span>"
    return text


def _by_meeting(timeline: list[TimelineEntry]) -> list[list[TimelineEntry]]:
    """The timeline's entries, one list per meeting, keeping its newest-first order."""
    meetings: list[list[TimelineEntry]] = []
    for entry in timeline:
        if meetings and meetings[-1][0].meeting_id == entry.meeting_id:
            meetings[-1].append(entry)
        else:
            meetings.append([entry])
    return meetings


def meetings_html(meetings: PersonParticipation, *, limit: int = TIMELINE_MEETINGS) -> str:
    """The Meetings section: the figures, then one line per meeting, newest first, the
    newest ``limit`` meetings and a count of the rest."""
    figures = meetings.figures
    recent = _plural(figures.attended_12m, "meeting", "meetings") + " attended"
    if figures.apologies_12m:
        recent += f", apologies sent for {figures.apologies_12m:,}"
    last = figures.last_attended
    rows = [
        ("Last 12 months", recent),
        ("Last attended", _date(last.date() if last else None)),
        ("Contributions", f"{figures.contributions:,}"),
    ]
    heading = "<h3 style='margin:14px 0 4px 0'>Meetings</h3>"
    grouped = _by_meeting(meetings.timeline)
    if not grouped:
        none = "<p style='color:#666'>No meetings attended and no apologies sent yet.</p>"
        return heading + _table(rows) + none
    lines = "".join(
        f"<tr><td style='{_LABEL_STYLE}' valign='top'>{_date(entries[0].when.date())}</td>"
        f"<td style='padding:3px 0'><b>{escape(entries[0].meeting)}</b><br>"
        + "<br>".join(_what(e) for e in entries)
        + "</td></tr>"
        for entries in grouped[:limit]
    )
    timeline = f"<table cellspacing='0' style='margin-top:6px'>{lines}</table>"
    earlier = len(grouped) - limit
    if earlier > 0:
        timeline += (
            f"<p style='color:#666;margin-top:4px'>… and "
            f"{_plural(earlier, 'earlier meeting', 'earlier meetings')}.</p>"
        )
    return heading + _table(rows) + timeline


def _variant(line: MailingLine) -> str:
    if line.variants < 2:
        return ""
    return f" <i>(variant {line.variant_number} of {line.variants})</i>"


def mailings_html(mailings: Sequence[MailingLine]) -> str:
    """The Letters section: each mailing they were in, newest first, with its variant."""
    if not mailings:
        return ""
    rows = [
        (
            _date(line.sent_at.date()),
            escape(line.title) + _variant(line),
        )
        for line in mailings
    ]
    return "<h3 style='margin:10px 0 4px 0'>Letters sent</h3>" + _table(rows)


def detail_html(
    d: PersonDetail, meetings: PersonParticipation, mailings: Sequence[MailingLine] = ()
) -> str:
    name = escape(" ".join(p for p in (d.title, d.full_name) if p))
    rows: list[tuple[str, str]] = []
    if d.preferred_name:
        rows.append(("Known as", escape(d.preferred_name)))
    rows.append(("Status", escape(d.status_label)))
    if d.membership_number:
        rows.append(("Membership no.", escape(d.membership_number)))
    if d.membership_type:
        rows.append(("Membership type", escape(d.membership_type)))
    if d.joined_on:
        rows.append(("Joined", _date(d.joined_on)))
    if d.lapsed_on:
        rows.append(("Lapsed", _date(d.lapsed_on)))
    if d.date_of_birth:
        rows.append(("Date of birth", _date(d.date_of_birth)))
    if d.address_lines:
        rows.append(("Address", "<br>".join(escape(line) for line in d.address_lines)))
    if d.ward:
        district = f" ({escape(d.polling_district)})" if d.polling_district else ""
        rows.append(("Ward", escape(d.ward) + district))
    for address, primary in d.emails:
        rows.append(("Email", escape(address) + (" <i>(main)</i>" if primary else "")))
    for number, kind, primary in d.phones:
        rows.append(
            (
                "Phone",
                f"{escape(number)} <i>({escape(kind)}" + (", main" if primary else "") + ")</i>",
            )
        )
    if d.contact_preferences:
        allowed = [CHANNEL_LABELS[c] for c in CHANNELS if d.contact_preferences.get(c)]
        refused = [CHANNEL_LABELS[c] for c in CHANNELS if d.contact_preferences.get(c) is False]
        text = escape(", ".join(allowed) or "none")
        if refused:
            text += f"<br><span style='color:#a33'>Not by: {escape(', '.join(refused))}</span>"
        rows.append(("May contact by", text))
    for org, role in d.affiliations:
        rows.append(("Belongs to", escape(org) + (f" — {escape(role)}" if role else "")))
    for _pid, member_name, status in d.household_members:
        rows.append(("Lives with", f"{escape(member_name)} <i>({escape(status)})</i>"))
    if d.notes:
        rows.append(("Notes", escape(d.notes).replace("\n", "<br>")))
    return (
        f"<h2 style='margin-bottom:6px'>{name}</h2>{_table(rows)}{meetings_html(meetings)}"
        + mailings_html(mailings)
    )


class DetailPane(QTextBrowser):
    PLACEHOLDER = "<p style='color:#666'>Select a person to see their details.</p>"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setObjectName("detailPane")
        self.person_id: int | None = -1
        self.show_nothing()

    def show_person(
        self,
        detail: PersonDetail,
        meetings: PersonParticipation,
        mailings: Sequence[MailingLine] = (),
    ) -> None:
        self.person_id = detail.id
        self.setHtml(detail_html(detail, meetings, mailings))

    def show_nothing(self) -> None:
        # Every search keystroke clears the selection; laying out the same placeholder
        # again would cost a few milliseconds of the keystroke's budget.
        if self.person_id is not None:
            self.person_id = None
            self.setHtml(self.PLACEHOLDER)
