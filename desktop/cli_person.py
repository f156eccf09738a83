"""``branchbook person``: one person's record, and the edits a script makes to it.

Registered by ``desktop.cli``; like it, nothing here imports Qt.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from desktop.cli import JSON_HELP, emit, iso_date, session_for

_WHO = "membership number, id, or a name matching one person"


def add_person_commands(commands: Any) -> None:
    from db.models.vocabulary import CHANNELS, DETAIL_GROUPS

    person = commands.add_parser("person", help="one person")
    actions = person.add_subparsers(dest="person_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="everything held about the person")
    show.add_argument("who", help=_WHO)
    show.add_argument("--json", action="store_true", help=JSON_HELP)
    show.set_defaults(handler=_cmd_person_show)

    verify = actions.add_parser("verify", help="record that a group of details was confirmed")
    verify.add_argument("who", help=_WHO)
    verify.add_argument("--what", required=True, choices=DETAIL_GROUPS)
    verify.add_argument(
        "--how",
        required=True,
        metavar="TEXT",
        help="in person, phone call, national list, email reply, letter returned, form, "
        "or your own words",
    )
    verify.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    verify.add_argument("--json", action="store_true", help=JSON_HELP)
    verify.set_defaults(handler=_cmd_person_verify)

    contact = actions.add_parser("contact", help="record whether a channel may be used")
    contact.add_argument("who", help=_WHO)
    contact.add_argument("--channel", required=True, choices=CHANNELS)
    contact.add_argument("--allowed", required=True, choices=("yes", "no", "unknown"))
    contact.add_argument("--how", metavar="TEXT", help="how it was asked or recorded")
    contact.add_argument("--json", action="store_true", help=JSON_HELP)
    contact.set_defaults(handler=_cmd_person_contact)

    history = actions.add_parser("history", help="the audit trail: when, who, what, old → new")
    history.add_argument("who", help=_WHO)
    history.add_argument("--limit", type=int, default=100, metavar="N")
    history.add_argument("--json", action="store_true", help=JSON_HELP)
    history.set_defaults(handler=_cmd_person_history)


def _cmd_person_show(args: argparse.Namespace) -> int:
    from db.people import find_person
    from db.person_dossier import person_dossier

    with session_for(args) as session:
        dossier = person_dossier(session, find_person(session, args.who))
    emit(args, asdict(dossier), "\n".join(dossier_lines(dossier)))
    return 0


def dossier_lines(dossier: Any) -> list[str]:
    """The dossier as a secretary reads it on a terminal: the details, then each kind of
    knowledge only when there is some."""
    detail = dossier.detail
    lines = [f"{detail.full_name} ({detail.status_label}), id {detail.id}"]
    if detail.preferred_name:
        lines.append(f"Known as: {detail.preferred_name}")
    if detail.membership_number:
        lines.append(f"Membership number: {detail.membership_number}")
    if detail.address_lines:
        lines.append("Address: " + ", ".join(detail.address_lines))
    if detail.ward:
        lines.append(f"Ward: {detail.ward}")
    for address, primary in detail.emails:
        lines.append(f"Email: {address}{' (primary)' if primary else ''}")
    for number, kind, primary in detail.phones:
        lines.append(f"Phone: {number} ({kind}{', primary' if primary else ''})")
    for channel, preference in sorted(dossier.preferences.items()):
        said = "yes" if preference.allowed else "no"
        lines.append(
            f"Contact by {channel}: {said}" + (f" ({preference.how})" if preference.how else "")
        )
    for group, verified in dossier.verified.items():
        lines.append(
            f"{group.capitalize()} verified {verified.verified_on}: {verified.source_label}"
        )
    if dossier.engagement is not None:
        lines.append(f"Engagement: {dossier.engagement.label}")
    figures = dossier.participation.figures
    lines.append(f"Meetings attended in the last 12 months: {figures.attended_12m}")
    if dossier.tags:
        lines.append("Tags: " + ", ".join(dossier.tags))
    for tie in dossier.affiliations:
        role = f", {tie.role}" if tie.role else ""
        lines.append(f"{tie.organisation}{role}" + ("" if tie.current else f" (until {tie.until})"))
    for answer in dossier.answers:
        lines.append(f"{answer.question}: {answer.current.value} ({answer.current.answered_on})")
    for activity in dossier.activities[:10]:
        hours = f", {activity.hours} h" if activity.hours is not None else ""
        lines.append(f"{activity.done_on} {activity.kind_label}{hours}")
    for sent in dossier.mailings[:10]:
        variant = (
            f" (variant {sent.variant_number} of {sent.variants})" if sent.variants > 1 else ""
        )
        lines.append(f"Letter {sent.sent_at.date()}: {sent.title}{variant}")
    if detail.notes:
        lines.append(f"Notes: {detail.notes}")
    return lines


def _cmd_person_verify(args: argparse.Namespace) -> int:
    from db.people import find_person
    from db.verification import mark_verified

    with session_for(args) as session:
        person_id = find_person(session, args.who)
        done = mark_verified(session, person_id, args.what, args.how, on=args.date)
    how = done.source_label + (f" ({done.note})" if done.note else "")
    text = (
        f"The {done.detail} of person {person_id} is marked verified on {done.verified_on}: {how}."
    )
    emit(args, {"person_id": person_id, **asdict(done)}, text)
    return 0


def _cmd_person_contact(args: argparse.Namespace) -> int:
    from db.people import find_person
    from db.verification import contact_preferences, set_contact_preference

    allowed = {"yes": True, "no": False, "unknown": None}[args.allowed]
    with session_for(args) as session:
        person_id = find_person(session, args.who)
        set_contact_preference(session, person_id, args.channel, allowed, how=args.how)
        now = contact_preferences(session, person_id)
    said = {True: "may", False: "may not", None: "has given no answer whether we may"}[allowed]
    text = f"Person {person_id} {said} be contacted by {args.channel}."
    document = {"person_id": person_id, "preferences": {c: asdict(p) for c, p in now.items()}}
    emit(args, document, text)
    return 0


def _cmd_person_history(args: argparse.Namespace) -> int:
    from db.people import find_person
    from db.person_history import person_history

    with session_for(args) as session:
        person_id = find_person(session, args.who)
        lines = person_history(session, person_id, limit=args.limit)
    text = "\n".join(
        f"{line.at:%Y-%m-%d %H:%M}\t{line.actor}\t{line.what}: {line.old} → {line.new}"
        for line in lines
    )
    emit(args, {"person_id": person_id, "history": [asdict(line) for line in lines]}, text)
    return 0
