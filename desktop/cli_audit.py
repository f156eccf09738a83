"""``branchbook audit`` and ``branchbook exports``: read the audit trail (when, who, what,
old → new), export it to Excel, and list the files that left Branchbook. Nothing here can
change the trail: the app offers no way to.

Registered by ``desktop.cli``; like it, nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli import JSON_HELP, emit, iso_date, progress_printer, session_for


def add_audit_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit trail: read it, export it to Excel")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    show = actions.add_parser("list", help="the newest lines, newest first")
    _filters(show)
    show.add_argument("--limit", type=int, default=50, metavar="N", help="default 50")
    show.add_argument("--json", action="store_true", help=JSON_HELP)
    show.set_defaults(handler=_cmd_list)
    export = actions.add_parser("export", help="every line the filters keep, to a workbook")
    _filters(export)
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    export.set_defaults(handler=_cmd_export)

    exports = commands.add_parser("exports", help="the files with people's data that left")
    exports.add_argument("--limit", type=int, default=100, metavar="N", help="default 100")
    exports.add_argument("--json", action="store_true", help=JSON_HELP)
    exports.set_defaults(handler=_cmd_exports)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="since", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="until", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--actor", metavar="NAME", help="only what this user did")
    parser.add_argument("--person", metavar="WHO", help="only lines about this person")
    parser.add_argument("--find", metavar="TEXT", help="words in the change or the name")


def _where(args: argparse.Namespace, session: Any) -> Any:
    from db.audit_log import AuditFilter
    from db.people import find_person

    since = dt.datetime.combine(args.since, dt.time()) if args.since else None
    until = (
        dt.datetime.combine(args.until + dt.timedelta(days=1), dt.time()) if args.until else None
    )
    person = find_person(session, args.person) if args.person else None
    return AuditFilter(since=since, until=until, actor=args.actor, person_id=person, text=args.find)


def _cmd_list(args: argparse.Namespace) -> int:
    from db.audit_log import audit_count, audit_lines

    with session_for(args) as session:
        where = _where(args, session)
        total = audit_count(session, where)
        lines = audit_lines(session, where, limit=args.limit)
    text = "\n".join(
        f"{line.at:%Y-%m-%d %H:%M} {line.actor} {line.action} {line.what}"
        + (f" ({line.person})" if line.person else "")
        + (f": {line.detail}" if line.detail else "")
        for line in lines
    )
    footer = f"{len(lines):,} of {total:,} lines shown." if total > len(lines) else ""
    emit(
        args,
        {"total": total, "lines": [asdict(line) for line in lines]},
        "\n".join(part for part in (text, footer) if part) or "The audit trail is empty.",
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from reports.audit_export import audit_export_steps
    from reports.xlsx_table import run_steps

    show = progress_printer()
    with session_for(args) as session:
        steps = audit_export_steps(session, args.output, _where(args, session))
        written = run_steps(steps, progress=show)
    print(f"{written:,} lines of the audit trail written to {args.output}.")
    return 0


def _cmd_exports(args: argparse.Namespace) -> int:
    from db.export_log import list_exports

    with session_for(args) as session:
        lines = list_exports(session, limit=args.limit)
    text = "\n".join(
        f"{line.at:%Y-%m-%d %H:%M} {line.actor} {line.kind}"
        + (f" of {line.segment}" if line.segment else "")
        + (f", {line.people:,} people" if line.people else "")
        + f": {line.file_name}"
        for line in lines
    )
    emit(args, [asdict(line) for line in lines], text or "No files have been exported yet.")
    return 0
