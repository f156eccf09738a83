"""``branchbook meeting``, ``checkin``, ``apologies`` and ``attendance``: the door, headless.

Registered by ``desktop.cli``; like it, nothing here imports Qt. Each check-in is committed
as soon as it is made.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from desktop.cli import JSON_HELP, emit, open_database_for, session_for

# A bare date is an evening meeting's day: 19:30, when most branch meetings start.
EVENING = dt.time(19, 30)
_FIELD_NAMES = {"starts_at": "start", "ends_at": "end"}
_OTHER_KINDS = "general_committee, agm, egm, campaign, social or training"


def add_meeting_commands(commands: Any) -> None:
    meeting = commands.add_parser("meeting", help="add, edit and list meetings")
    actions = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a meeting; prints its id")
    _meeting_options(add, editing=False)
    add.set_defaults(handler=_cmd_meeting_add)
    edit = actions.add_parser(
        "edit", help="change a meeting's title, date, kind or venue; what is left out stays"
    )
    edit.add_argument("meeting", type=int, metavar="MEETING")
    _meeting_options(edit, editing=True)
    edit.set_defaults(handler=_cmd_meeting_edit)
    quorum = actions.add_parser("quorum", help="set the quorum of a kind of meeting")
    quorum.add_argument("kind", metavar="KIND")
    quorum.add_argument("needed", type=int, nargs="?", metavar="N", help="omit to remove it")
    quorum.set_defaults(handler=_cmd_meeting_quorum)
    listing = actions.add_parser("list", help="meetings, latest first")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_meeting_list)

    checkin = commands.add_parser("checkin", help="check someone in to a meeting")
    checkin.add_argument("meeting", type=int, metavar="MEETING")
    checkin.add_argument(
        "query", metavar="QUERY", help="membership number, sign-in sheet code, id or full name"
    )
    checkin.add_argument("--json", action="store_true", help=JSON_HELP)
    checkin.set_defaults(handler=_cmd_checkin)

    apologies = commands.add_parser("apologies", help="record someone's apologies")
    apologies.add_argument("meeting", type=int, metavar="MEETING")
    apologies.add_argument("query", metavar="QUERY")
    apologies.set_defaults(handler=_cmd_apologies)

    attendance = commands.add_parser(
        "attendance", help="who came, who sent apologies, who was absent, who took part"
    )
    attendance.add_argument("meeting", type=int, metavar="MEETING")
    attendance.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE.pdf",
        help="also write it as a PDF for the minutes",
    )
    attendance.add_argument("--json", action="store_true", help=JSON_HELP)
    attendance.set_defaults(handler=_cmd_attendance)

    imported = commands.add_parser(
        "attendance-import",
        help="check in everyone a typed-up sign-in sheet or online form export lists",
    )
    imported.add_argument("meeting", type=int, metavar="MEETING")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--sheet", metavar="S")
    imported.add_argument("--json", action="store_true", help=JSON_HELP)
    imported.set_defaults(handler=_cmd_attendance_import)

    sheet = commands.add_parser(
        "signin-sheet", help="a PDF sign-in sheet: members with QR codes, rows for guests"
    )
    sheet.add_argument("meeting", type=int, metavar="MEETING")
    sheet.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    sheet.set_defaults(handler=_cmd_signin_sheet)


def _meeting_options(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    """What ``meeting add`` and ``meeting edit`` both take: required or defaulted when
    adding; when editing each is optional, and one left out stays as it is."""
    parser.add_argument("--title", required=not editing)
    parser.add_argument(
        "--date",
        required=not editing,
        type=_when,
        metavar="YYYY-MM-DD[THH:MM]",
        help=(
            "a date alone keeps the meeting's time"
            if editing
            else f"a date alone means {EVENING:%H:%M}"
        ),
    )
    parser.add_argument(
        "--kind",
        default=None if editing else "branch",
        help=f"branch{'' if editing else ' (default)'}, {_OTHER_KINDS}",
    )
    parser.add_argument("--venue", help='"" removes it' if editing else None)
    parser.add_argument("--json", action="store_true", help=JSON_HELP)


@dataclass(frozen=True)
class _When:
    """A --date: the day, and the time when one was given."""

    day: dt.date
    time: dt.time | None

    def at(self, default: dt.time) -> dt.datetime:
        return dt.datetime.combine(self.day, default if self.time is None else self.time)


def _when(text: str) -> _When:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date like 2026-11-27 or 2026-11-27T19:30"
        ) from None
    bare = "T" not in text and " " not in text
    return _When(value.date(), None if bare else value.time())


def _cmd_meeting_add(args: argparse.Namespace) -> int:
    from db.meetings import NewMeeting, add_meeting

    with session_for(args) as session:
        meeting_id = add_meeting(
            session, NewMeeting(args.title, args.date.at(EVENING), kind=args.kind, venue=args.venue)
        )
    emit(args, {"id": meeting_id}, str(meeting_id))
    return 0


def _cmd_meeting_edit(args: argparse.Namespace) -> int:
    from db.meetings import find_meeting, meeting_form, update_meeting

    with session_for(args) as session:
        changes = meeting_form(session, args.meeting)
        if args.date is not None:
            changes = changes.starting(args.date.at(changes.starts_at.time()))
        given = {"title": args.title, "kind": args.kind, "venue": args.venue}
        changes = replace(changes, **{k: v for k, v in given.items() if v is not None})
        edited = update_meeting(session, args.meeting, changes)
        meeting = find_meeting(session, args.meeting)
    names = [_FIELD_NAMES.get(name, name) for name in edited.changed]
    text = (
        f"Meeting {edited.id}: changed the {_and(names)}."
        if names
        else f"Meeting {edited.id}: nothing to change."
    )
    emit(args, {**asdict(edited), "meeting": asdict(meeting)}, text)
    return 0


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _cmd_meeting_list(args: argparse.Namespace) -> int:
    from db.meetings import list_meetings

    with session_for(args) as session:
        rows = list_meetings(session)
    lines = [
        f"{row.id:>5}  {row.starts_at:%Y-%m-%d %H:%M}  {row.kind_label:<18} {row.title}  "
        f"({row.present} present, {row.apologies} apologies)"
        for row in rows
    ] or ["No meetings yet."]
    emit(args, [asdict(row) for row in rows], "\n".join(lines))
    return 0


def _person(session: Any, query: str) -> tuple[int, str]:
    from db.meetings import person_from_code
    from db.people import find_person

    code = person_from_code(session, query)
    if code is not None:
        return code, "scan"
    return find_person(session, query), "manual"


def _cmd_checkin(args: argparse.Namespace) -> int:
    from db.meetings import check_in

    with session_for(args) as session:
        person_id, method = _person(session, args.query)
        done = check_in(session, args.meeting, person_id, method=method)
    text = (
        f"{done.name} was already checked in."
        if done.already
        else f"{done.name} is checked in to meeting {done.meeting_id}."
    )
    emit(args, asdict(done), text)
    return 0


def _cmd_apologies(args: argparse.Namespace) -> int:
    from db.meetings import record_apologies

    with session_for(args) as session:
        person_id, _ = _person(session, args.query)
        recorded = record_apologies(session, args.meeting, person_id)
    emit(
        args,
        {"recorded": recorded},
        "Apologies recorded." if recorded else "Their apologies were already recorded.",
    )
    return 0


def _cmd_attendance(args: argparse.Namespace) -> int:
    from db.door import quorum
    from db.meetings import attendance_summary

    with session_for(args) as session:
        summary = attendance_summary(session, args.meeting)
        needed = quorum(session, args.meeting)
        if args.output is not None:
            from reports.attendance_record import write_attendance_record

            write_attendance_record(session, args.meeting, args.output)
    meeting = summary.meeting
    lines = [
        f"{meeting.title}, {meeting.starts_at:%d/%m/%Y %H:%M}: {summary.present_count} present, "
        f"{summary.apologies_count} apologies, {summary.absent} members absent"
        + (
            ""
            if needed.quorate is None
            else f"; {'quorate' if needed.quorate else 'not quorate'} (quorum {needed.needed})"
        ),
        *(f"  present: {name}" for _, name in summary.present),
        *(f"  apologies: {name}" for _, name in summary.apologies),
        *(
            [f"  and {summary.erased_present + summary.erased_apologies} since erased, counted"]
            if summary.erased_present + summary.erased_apologies
            else []
        ),
        *(
            f"  {what}: {name}" + (f" ({note})" if note else "")
            for name, what, note in summary.contributions
        ),
    ]
    document = {**asdict(summary), "quorum": needed.needed, "quorate": needed.quorate}
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_signin_sheet(args: argparse.Namespace) -> int:
    from reports.signin_sheet import write_signin_sheet

    with session_for(args) as session:
        count = write_signin_sheet(session, args.meeting, args.output)
    emit(
        args,
        {"file": str(args.output), "members": count},
        f"Wrote a sign-in sheet of {count:,} members to {args.output}.",
    )
    return 0


def _cmd_attendance_import(args: argparse.Namespace) -> int:
    from db.importing.attendance import import_attendance

    database = open_database_for(args)
    try:
        result = import_attendance(database, args.meeting, args.file, sheet=args.sheet)
    finally:
        database.close()
    lines = [
        f"Checked in {result.checked_in:,}; {result.already:,} were already in; "
        f"{len(result.unmatched) + len(result.ambiguous):,} to resolve by hand.",
        *(f"  {sentence}" for sentence in result.ambiguous + result.unmatched),
    ]
    emit(args, asdict(result), "\n".join(lines))
    return 0


def _cmd_meeting_quorum(args: argparse.Namespace) -> int:
    from db.door import set_quorum

    with session_for(args) as session:
        set_quorum(session, args.kind, args.needed)
    emit(args, {}, f"Quorum for {args.kind}: {args.needed or 'none'}.")
    return 0
