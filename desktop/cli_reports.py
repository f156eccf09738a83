"""``branchbook report``: list the reports, and write one as PDF or xlsx.

Registered by ``desktop.cli``; like it, nothing here imports Qt. The reports themselves are
``reports.report_registry.REPORTS``: each gets a subcommand, with ``--from``/``--to`` when it
covers a period and ``--person`` when it is about one person, so adding a report there adds
it here without touching the parsing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import JSON_HELP, emit, iso_date, progress_printer, session_for
from reports.report_registry import REPORTS, ReportKind, ReportRequest, write_report

_WHO = "membership number, id, or a name matching one person"


def add_report_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="reports for the committee or the AGM, as PDF or xlsx"
    )
    actions = report.add_subparsers(dest="report_name", metavar="NAME", required=True)
    listing = actions.add_parser("list", help="the reports there are, and what each holds")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_list)
    for kind in REPORTS.values():
        one = actions.add_parser(kind.name, help=kind.description)
        if kind.takes_period:
            one.add_argument(
                "--from",
                dest="start",
                type=iso_date,
                default=None,
                metavar="YYYY-MM-DD",
                help="the period's first day (default: the start of the month eleven months ago)",
            )
            one.add_argument(
                "--to",
                dest="end",
                type=iso_date,
                default=None,
                metavar="YYYY-MM-DD",
                help="the period's last day (default: today)",
            )
        if kind.needs_person:
            one.add_argument("--person", required=True, metavar="WHO", help=_WHO)
        one.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            metavar="FILE.pdf|FILE.xlsx",
            help="where to save it; the extension chooses PDF or Excel",
        )
        one.add_argument("--json", action="store_true", help=JSON_HELP)
        one.set_defaults(handler=_cmd_write, report=kind)


def _cmd_list(args: argparse.Namespace) -> int:
    width = max(len(name) for name in REPORTS)
    lines = [f"{kind.name:<{width}}  {kind.description}" for kind in REPORTS.values()]
    document = [
        {
            "name": kind.name,
            "title": kind.title,
            "description": kind.description,
            "takes_period": kind.takes_period,
            "needs_person": kind.needs_person,
        }
        for kind in REPORTS.values()
    ]
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_write(args: argparse.Namespace) -> int:
    from reports.report_document import report_format

    kind: ReportKind = args.report
    report_format(args.output)  # a wrong extension is refused before the database is opened
    request = ReportRequest(
        start=getattr(args, "start", None),
        end=getattr(args, "end", None),
        person=getattr(args, "person", None),
    )
    with session_for(args) as session:
        outcome = write_report(session, kind.name, args.output, request, progress_printer())
    emit(args, outcome.document, outcome.summary)
    return 0
