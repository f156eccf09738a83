"""The read-only pane that shows the selected person."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from db.models.vocabulary import CHANNEL_LABELS, CHANNELS
from db.people import PersonDetail


def _date(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def detail_html(d: PersonDetail) -> str:
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
    rows.append(("Meetings (12 months)", str(d.meetings_attended_12m)))
    rows.append(("Last attended", _date(d.last_attended)))
    for _pid, member_name, status in d.household_members:
        rows.append(("Lives with", f"{escape(member_name)} <i>({escape(status)})</i>"))
    if d.notes:
        rows.append(("Notes", escape(d.notes).replace("\n", "<br>")))
    body = "".join(
        f"<tr><td style='color:#555;padding:3px 12px 3px 0;white-space:nowrap' valign='top'>"
        f"{label}</td><td style='padding:3px 0'>{value}</td></tr>"
        for label, value in rows
    )
    return f"<h2 style='margin-bottom:6px'>{name}</h2><table cellspacing='0'>{body}</table>"


class DetailPane(QTextBrowser):
    PLACEHOLDER = "<p style='color:#666'>Select a person to see their details.</p>"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setObjectName("detailPane")
        self.person_id: int | None = -1
        self.show_nothing()

    def show_person(self, detail: PersonDetail) -> None:
        self.person_id = detail.id
        self.setHtml(detail_html(detail))

    def show_nothing(self) -> None:
        # Every search keystroke clears the selection; laying out the same placeholder
        # again would cost a few milliseconds of the keystroke's budget.
        if self.person_id is not None:
            self.person_id = None
            self.setHtml(self.PLACEHOLDER)
