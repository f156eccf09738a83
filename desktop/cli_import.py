"""``branchbook import`` and ``branchbook export``: the importer and the exports, headless.

Registered by ``desktop.cli``; like it, nothing here imports Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import JSON_HELP, emit, iso_date, open_database_for, progress_printer, session_for

if TYPE_CHECKING:
    from db.importing.apply import ImportResult
    from db.importing.plan import ImportPlan
    from db.importing.workflow import PreparedImport

_SHOWN = 20  # problems and conflicts listed on a terminal before "and N more"


def add_import_commands(commands: Any) -> None:
    """Add ``import`` and ``export`` to the ``branchbook`` subcommands."""
    command = commands.add_parser(
        "import",
        help="import a membership list or sign-up sheet (xlsx, xls, ods, csv)",
        description="Read a spreadsheet, match its rows to the people kept, and write the "
        "changes in one transaction. Use --dry-run to see what would change first.",
    )
    command.add_argument("file", nargs="?", type=Path, help="the spreadsheet to import")
    command.add_argument("--sheet", metavar="S", help="the sheet to read (default: found)")
    command.add_argument(
        "--mapping",
        metavar="NAME",
        help="use this saved column mapping (default: the one "
        "saved for a file with the same headers, else recognised from the headers)",
    )
    command.add_argument(
        "--full-list",
        action="store_true",
        help="the file lists every member: members missing from it become lapsed",
    )
    command.add_argument(
        "--supporters",
        action="store_true",
        help="the file lists non-members (a petition, a stall, a sign-up sheet)",
    )
    command.add_argument(
        "--choose",
        action="append",
        type=_choice,
        default=[],
        metavar="ROW=PERSON",
        help="a row that could be several people is this person (their id, as the "
        "'could be' note lists them) or 'new'; repeat for more rows",
    )
    command.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    command.add_argument("--report", type=Path, metavar="FILE.xlsx", help="save a full report")
    command.add_argument("--undo", type=int, metavar="BATCH", help="undo an earlier import")
    command.add_argument("--list", action="store_true", help="list earlier imports")
    command.add_argument("--json", action="store_true", help=JSON_HELP)
    command.set_defaults(handler=_cmd_import, parser=command)

    export = commands.add_parser("export", help="write people or corrections to xlsx")
    exports = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    people = exports.add_parser(
        "people", help="everyone, with the national list's columns; imports back unchanged"
    )
    people.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    people.add_argument("--json", action="store_true", help=JSON_HELP)
    people.set_defaults(handler=_cmd_export_people)
    corrections = exports.add_parser(
        "corrections",
        help="details the branch changed or verified since the last national import, "
        "to send to the regional office",
    )
    corrections.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    corrections.add_argument(
        "--since",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="from this day on (default: since the last national list was imported)",
    )
    corrections.add_argument("--json", action="store_true", help=JSON_HELP)
    corrections.set_defaults(handler=_cmd_export_corrections)


def _cmd_import(args: argparse.Namespace) -> int:
    if args.undo is not None:
        return _undo(args)
    if args.list:
        return _list(args)
    if args.file is None:
        args.parser.error("give the FILE to import, or --undo BATCH, or --list")
    if args.full_list and args.supporters:
        args.parser.error("--full-list and --supporters cannot be used together")
    from db.importing.apply import Decisions
    from db.importing.workflow import ImportOptions, prepare_import, preview_import, run_import

    options = ImportOptions(full_list=args.full_list, supporters=args.supporters)
    decisions = Decisions(chosen=dict(args.choose))
    database = open_database_for(args)
    try:
        prepared = prepare_import(database, args.file, sheet=args.sheet, mapping_name=args.mapping)
        prepared.require_identity()
        result: ImportResult | None = None
        if args.dry_run:
            plan = preview_import(database, prepared, options, decisions)
        else:
            show = progress_printer()
            plan, result = run_import(
                database,
                prepared,
                options,
                decisions,
                progress=lambda done, total: show(done, total, "Importing"),
            )
    finally:
        database.close()
    if args.report is not None:
        _report(args.report, prepared, plan, result)
    emit(args, _document(prepared, plan, result), _text(prepared, plan, result))
    return 0


def _choice(text: str) -> tuple[int, int | None]:
    """``ROW=PERSON`` (a person id) or ``ROW=new``, for --choose."""
    row, equals, person = text.partition("=")
    person = person.strip().lower()
    if not equals or not row.strip().isdigit() or not (person.isdigit() or person == "new"):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not ROW=PERSON: a sheet row number, '=', and a person id or 'new'"
        )
    return int(row), None if person == "new" else int(person)


def _report(
    path: Path, prepared: PreparedImport, plan: ImportPlan, result: ImportResult | None
) -> None:
    from reports.import_report import write_import_report

    write_import_report(path, prepared, plan, result)


def _document(
    prepared: PreparedImport, plan: ImportPlan, result: ImportResult | None
) -> dict[str, Any]:
    counts = dict(result.counts if result is not None else plan.counts())
    rejected = [
        {
            "file": p.file,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "reason": p.reason,
        }
        for p in plan.problems
        if p.rejected
    ]
    return {
        "file": str(prepared.path),
        "sheet": prepared.table.sheet,
        "mapping": prepared.source_name,
        "mapping_reused": prepared.reused,
        "dry_run": result is None,
        "batch_id": None if result is None else result.batch_id,
        **{name: counts.get(name, 0) for name in _COUNT_NAMES},
        "rejected": rejected,
        "rejected_count": len(rejected),
        "warnings": [p.sentence() for p in plan.problems if not p.rejected],
        "held_back": [] if result is None else result.held_back,
        "rows": [
            {
                "row": row.row,
                "action": row.action,
                "person_id": row.person_id,
                "matched_by": row.matched_by,
                "changes": [
                    {"field": c.field, "before": c.before, "after": c.after, "conflict": c.conflict}
                    for c in row.changes
                ],
                "note": row.note,
            }
            for row in plan.rows
            if row.action != "unchanged"
        ],
        "lapsing": plan.lapsing,
    }


_COUNT_NAMES = (
    "created",
    "updated",
    "unchanged",
    "lapsed",
    "conflicts",
    "ambiguous",
    "duplicate",
    "left_out",
)


def _text(prepared: PreparedImport, plan: ImportPlan, result: ImportResult | None) -> str:
    counts = result.counts if result is not None else plan.counts()
    where = prepared.path.name
    if prepared.table.sheet != prepared.path.name:
        where += f", sheet '{prepared.table.sheet}'"
    lines = [
        f"{where}: {len(plan.rows):,} people read"
        + (f" (columns as saved in '{prepared.source_name}')" if prepared.reused else ""),
        "  "
        + ", ".join(
            f"{counts.get(name, 0):,} {name.replace('_', ' ')}"
            for name in ("created", "updated", "unchanged", "lapsed", "conflicts", "rejected")
        ),
    ]
    unsure = [f"Row {row.row}: {row.note}" for row in plan.rows if row.action == "ambiguous"]
    repeats = [f"Row {row.row}: {row.note}" for row in plan.rows if row.action == "duplicate"]
    for title, sentences in (
        ("Rejected values", [p.sentence() for p in plan.problems if p.rejected]),
        ("Not imported, who is it? (--choose ROW=PERSON or ROW=new)", unsure),
        ("Repeated rows, merged into the first", repeats),
        ("Kept as the branch has them", result.held_back if result is not None else []),
    ):
        if sentences:
            lines.append(f"{title}:")
            lines += [f"  {sentence}" for sentence in sentences[:_SHOWN]]
            if len(sentences) > _SHOWN:
                lines.append(f"  … and {len(sentences) - _SHOWN:,} more (--report FILE.xlsx)")
    if result is None:
        lines.append("Dry run: nothing was written.")
    else:
        lines.append(
            f"Written as import {result.batch_id}; "
            f"undo with: branchbook import --undo {result.batch_id}"
        )
    return "\n".join(lines)


def _undo(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from db.importing.undo import undo_import

    with session_for(args) as session:
        undone = undo_import(session, args.undo)
    emit(
        args,
        asdict(undone),
        undone.describe(),
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from db.importing.history import list_imports

    with session_for(args) as session:
        batches = list_imports(session)
    lines = [
        f"{b.id:>4}  {b.started_local:%Y-%m-%d %H:%M}  {b.status_label:<9}  {b.file_name}  "
        f"({b.summary})"
        for b in batches
    ] or ["No imports yet."]
    emit(args, [b.as_json() for b in batches], "\n".join(lines))
    return 0


def _cmd_export_people(args: argparse.Namespace) -> int:
    from reports.people_export import export_people

    database = open_database_for(args)
    show = progress_printer()
    try:
        with database.session() as session:
            count = export_people(
                session,
                args.output,
                progress=lambda done, total: show(done, total, "Exporting"),
            )
    finally:
        database.close()
    emit(
        args,
        {"file": str(args.output), "people": count},
        f"Wrote {count:,} {'person' if count == 1 else 'people'} to {args.output}.",
    )
    return 0


def _cmd_export_corrections(args: argparse.Namespace) -> int:
    import datetime as dt
    from dataclasses import asdict

    from reports.corrections_export import export_corrections

    since = None if args.since is None else dt.datetime.combine(args.since, dt.time())
    with session_for(args) as session:
        found = export_corrections(session, args.output, since)
    people = len({c.person_id for c in found.rows})
    period = f"since {found.since:%d/%m/%Y}" if found.since else "since records began"
    emit(
        args,
        {
            "file": str(args.output),
            "since": found.since,
            "rows": [asdict(c) for c in found.rows],
        },
        f"Wrote {len(found.rows):,} corrections for {people:,} people ({period}) to {args.output}.",
    )
    return 0
