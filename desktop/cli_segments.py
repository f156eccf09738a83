"""``branchbook segment``: list, count, export, save and delete segments, headless.

Registered by ``desktop.cli``; like it, nothing here imports Qt. ``--rules`` takes a JSON
file or the JSON itself; the rule language is described in ``db.segment_rules``.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from db.errors import UserError
from desktop.cli import JSON_HELP, emit, iso_date, progress_printer, session_for


def add_segment_commands(commands: Any) -> None:
    segment = commands.add_parser("segment", help="saved groups of people: list, count, export")
    actions = segment.add_subparsers(dest="segment_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every segment with how many people it holds")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_list)

    count = actions.add_parser("count", help="print how many people are in a segment")
    count.add_argument("name", metavar="NAME")
    _today_option(count)
    count.add_argument("--json", action="store_true", help=JSON_HELP)
    count.set_defaults(handler=_cmd_count)

    export = actions.add_parser("export", help="write a segment's people to an Excel workbook")
    export.add_argument("name", metavar="NAME")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    _today_option(export)
    export.add_argument("--json", action="store_true", help=JSON_HELP)
    export.set_defaults(handler=_cmd_export)

    save = actions.add_parser("save", help="create a segment, or change one's rules")
    save.add_argument("name", metavar="NAME")
    save.add_argument(
        "--rules", required=True, metavar="FILE_OR_JSON", help="a .json file or the JSON itself"
    )
    save.add_argument("--description", metavar="D")
    save.add_argument("--json", action="store_true", help=JSON_HELP)
    save.set_defaults(handler=_cmd_save)

    delete = actions.add_parser("delete", help="delete a segment you made")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(handler=_cmd_delete)


def _today_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day ages and recent activity are reckoned from (default: today)",
    )


def _cmd_list(args: argparse.Namespace) -> int:
    from db.segments import list_segments

    with session_for(args) as session:
        rows = list_segments(session, counts=True)
    width = max((len(row.name) for row in rows), default=0)
    lines = [
        f"{row.name:<{width}}  {row.count or 0:>8,}{'  (built in)' if row.builtin else ''}"
        for row in rows
    ]
    document = [
        {
            "name": row.name,
            "builtin": row.builtin,
            "count": row.count,
            "description": row.description,
        }
        for row in rows
    ]
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    from db.segments import count_segment

    with session_for(args) as session:
        total = count_segment(session, args.name, today=args.as_of)
    emit(args, {"name": args.name, "count": total}, str(total))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from reports.segment_export import export_segment

    with session_for(args) as session:
        written = export_segment(
            session, args.name, args.output, today=args.as_of, progress=progress_printer()
        )
    emit(
        args,
        {"name": args.name, "file": str(args.output), "people": written},
        f"{written:,} {'person' if written == 1 else 'people'} written to {args.output}.",
    )
    return 0


def _cmd_save(args: argparse.Namespace) -> int:
    from db.segments import save_segment

    rules = _rules_text(args.rules)
    with session_for(args) as session:
        saved = save_segment(session, args.name, rules, args.description)
    verb = "Created" if saved.created else "Changed" if saved.changed else "Unchanged:"
    emit(args, asdict(saved), f"{verb} segment '{saved.name}'.")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    from db.segments import delete_segment

    with session_for(args) as session:
        delete_segment(session, args.name)
    emit(args, {}, f"Deleted segment '{args.name}'.")
    return 0


def _rules_text(value: str) -> str:
    """The JSON itself when it looks like JSON; else the file it names."""
    if value.lstrip().startswith(("{", "[")):
        return value
    path = Path(value)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(
            f"There is no rules file {path}; give a .json file or the JSON itself."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path} cannot be read as a JSON text file ({error}).") from None
