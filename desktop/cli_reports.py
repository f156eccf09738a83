"""``branchbook report``: list the reports, and write one for a period as PDF or xlsx.

Registered by ``desktop.cli``; like it, nothing here imports Qt. Each report is one entry
in ``REPORTS``: a name, a line saying what it is, and the core function that writes it, so
adding a report adds a subcommand without touching the parsing.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from desktop.cli import JSON_HELP, emit, iso_date, progress_printer, session_for

Progress = Callable[[int, int, str], None]
# (session, file, first day, last day, progress) -> (JSON document, one line for people)
Writer = Callable[[Any, Path, dt.date | None, dt.date | None, Progress], tuple[dict[str, Any], str]]


@dataclass(frozen=True)
class ReportEntry:
    name: str
    description: str
    write: Writer


def _write_membership(
    session: Any, path: Path, start: dt.date | None, end: dt.date | None, progress: Progress
) -> tuple[dict[str, Any], str]:
    from reports.membership_report import write_membership_report

    written = write_membership_report(session, path, start=start, end=end, progress=progress)
    figures = written.figures
    document = {
        "report": "membership",
        "file": str(written.path),
        "format": written.format,
        "pages": written.pages,
        "net_change": figures.net_change,
        **asdict(figures),
    }
    pages = (
        f", {written.pages} {'page' if written.pages == 1 else 'pages'}" if written.pages else ""
    )
    text = (
        f"Membership report for {figures.period.label} written to {written.path}{pages}: "
        f"{figures.members_at_start:,} members at the start, {figures.joined:,} joined, "
        f"{figures.left:,} lapsed, {figures.members_at_end:,} at the end."
    )
    return document, text


REPORTS: dict[str, ReportEntry] = {
    entry.name: entry
    for entry in (
        ReportEntry(
            "membership",
            "members at the start and end of a period, joiners and leavers by month, wards, "
            "statuses, membership types and ages",
            _write_membership,
        ),
    )
}


def add_report_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="reports for the committee or the AGM, as PDF or xlsx"
    )
    actions = report.add_subparsers(dest="report_name", metavar="NAME", required=True)
    listing = actions.add_parser("list", help="the reports there are, and what each holds")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_list)
    for entry in REPORTS.values():
        one = actions.add_parser(entry.name, help=entry.description)
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
        one.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            metavar="FILE.pdf|FILE.xlsx",
            help="where to save it; the extension chooses PDF or Excel",
        )
        one.add_argument("--json", action="store_true", help=JSON_HELP)
        one.set_defaults(handler=_cmd_write, report=entry)


def _cmd_list(args: argparse.Namespace) -> int:
    width = max(len(name) for name in REPORTS)
    lines = [f"{entry.name:<{width}}  {entry.description}" for entry in REPORTS.values()]
    document = [{"name": e.name, "description": e.description} for e in REPORTS.values()]
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_write(args: argparse.Namespace) -> int:
    from reports.report_document import report_format

    entry: ReportEntry = args.report
    report_format(args.output)  # a wrong extension is refused before the database is opened
    with session_for(args) as session:
        document, text = entry.write(session, args.output, args.start, args.end, progress_printer())
    emit(args, document, text)
    return 0
