"""The ``branchbook`` command: no arguments opens the window; every command is headless.

Nothing here imports Qt at module level: only ``branchbook`` with no command reaches
``desktop.app``. Exit codes: 0 success, 1 a problem the user can fix (one sentence on
stderr), 2 a usage error (from argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from db.errors import Ambiguous, UserError
from db.stale_files import remove_stale_files

JSON_HELP = "print one JSON document on stdout instead of text"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="branchbook",
        description="Branchbook: the branch secretary's member database. "
        "With no command, opens the window.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (default: BRANCHBOOK_DB, else branchbook.sqlite3 in your "
        "data folder)",
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="an encrypted database's passphrase, the file's first line (default: "
        "BRANCHBOOK_PASSPHRASE, else this computer's credential store)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = commands.add_parser("info", help="where the database is, its schema and its counts")
    info.add_argument("--json", action="store_true", help=JSON_HELP)
    info.set_defaults(handler=_cmd_info)

    demo = commands.add_parser("demo", help="fill an empty database with a believable branch")
    demo.add_argument("--people", type=positive_int, default=1500, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the demo branch's history runs up to (default: today)",
    )
    demo.add_argument("--json", action="store_true", help=JSON_HELP)
    demo.set_defaults(handler=_cmd_demo)

    people = commands.add_parser("people", help="list people")
    people_commands = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    find = people_commands.add_parser(
        "find", help="people whose name, number, postcode or email starts with the words given"
    )
    find.add_argument("query", nargs="*", help="words to look for (none lists everyone)")
    find.add_argument("--limit", type=positive_int, default=50, metavar="N")
    find.add_argument("--json", action="store_true", help=JSON_HELP)
    find.set_defaults(handler=_cmd_people_find)

    from desktop.cli_person import add_person_commands

    add_person_commands(commands)

    settings = commands.add_parser(
        "settings", help="the branch's name, secretary, address, imprint"
    )
    settings_commands = settings.add_subparsers(
        dest="settings_command", metavar="ACTION", required=True
    )
    settings_show = settings_commands.add_parser("show", help="print the branch settings")
    settings_show.add_argument("--json", action="store_true", help=JSON_HELP)
    settings_show.set_defaults(handler=_cmd_settings_show)
    settings_set = settings_commands.add_parser("set", help="change settings: KEY=VALUE ...")
    settings_set.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    settings_set.set_defaults(handler=_cmd_settings_set)
    settings_logo = settings_commands.add_parser(
        "logo", help="the letterhead's logo: a PNG or JPEG file, or --clear"
    )
    logo_source = settings_logo.add_mutually_exclusive_group(required=True)
    logo_source.add_argument("file", nargs="?", type=Path, metavar="FILE.png")
    logo_source.add_argument("--clear", action="store_true", help="print no logo")
    settings_logo.set_defaults(handler=_cmd_settings_logo)

    from desktop.cli_import import add_import_commands

    add_import_commands(commands)

    from desktop.cli_meetings import add_meeting_commands

    add_meeting_commands(commands)

    from desktop.cli_people_quality import add_people_quality_commands

    add_people_quality_commands(commands)

    from desktop.cli_activity import add_activity_commands

    add_activity_commands(commands)

    from desktop.cli_views import add_view_commands

    add_view_commands(commands)

    from desktop.cli_letters import add_letter_commands

    add_letter_commands(commands)

    from desktop.cli_segments import add_segment_commands

    add_segment_commands(commands)

    from desktop.cli_reports import add_report_commands

    add_report_commands(commands)

    from desktop.cli_encryption import add_encryption_commands

    add_encryption_commands(commands)

    from desktop.cli_audit import add_audit_commands

    add_audit_commands(commands)

    from desktop.cli_backup import add_backup_commands

    add_backup_commands(commands)

    from desktop.cli_erasure import add_erasure_commands

    add_erasure_commands(commands)
    return parser


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def ask_first(question: str, *, doing: str, done: str) -> None:
    """Ask ``question`` [y/N] at a terminal; anything but yes raises "Nothing was
    ``done``." Off a terminal it refuses at once, pointing to --yes."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UserError(f"Add --yes to {doing} without being asked; nothing was {done}.")
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise UserError(f"Nothing was {done}.")


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-27") from None


def open_database_for(args: argparse.Namespace) -> Any:
    from db.database import ENV_VAR, default_path, open_database
    from db.encryption import is_new
    from db.keys import (
        Credentials,
        credential_store_available,
        passphrase_from_environment,
        read_passphrase_file,
    )

    file = getattr(args, "passphrase_file", None)
    credentials = Credentials(passphrase=read_passphrase_file(file)) if file else None
    # The user's own database (no --db, no BRANCHBOOK_DB) is made encrypted, as the window
    # makes it, whenever there is somewhere to keep its key; a file named on purpose is
    # made as asked (plain, unless a passphrase is given), which scripts and tests rely on.
    own = args.db is None and not os.environ.get(ENV_VAR)
    first = own and is_new(default_path())
    encrypt_new = first and (
        passphrase_from_environment() is not None or credential_store_available()
    )
    database = open_database(args.db, credentials=credentials, encrypt_new=encrypt_new)
    if database.path is not None:
        # As the window does at start: what a killed run left beside the database goes.
        remove_stale_files(database.path)
    if first and not database.encrypted:
        sys.stderr.write(
            f"branchbook: {database.location} was created unencrypted (no passphrase given "
            "and no credential store here); 'branchbook encrypt' encrypts it.\n"
        )
    if database.recovery_key is not None:
        from desktop.cli_encryption import RECOVERY_NOTE

        # A new encrypted database: its recovery key exists nowhere else, so say it now.
        sys.stderr.write(f"branchbook: {database.location} was created encrypted.\n")
        sys.stderr.write(f"{RECOVERY_NOTE}\n    {database.recovery_key}\n")
    return database


@contextmanager
def session_for(args: argparse.Namespace) -> Iterator[Any]:
    """One unit of work on the database the command names; the database is closed after."""
    database = open_database_for(args)
    try:
        with database.session() as session:
            yield session
    finally:
        database.close()


def emit(args: argparse.Namespace, document: Any, text: str) -> None:
    if getattr(args, "json", False):
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def _cmd_info(args: argparse.Namespace) -> int:
    from db.info import database_info

    database = open_database_for(args)
    try:
        info = database_info(database)
    finally:
        database.close()
    text = "\n".join(
        [
            f"Database:    {info.location}",
            f"Schema:      {info.schema_revision} (this program's: {info.schema_head})",
            f"People:      {info.people:,}",
            f"Members:     {info.members:,}",
            f"Households:  {info.households:,}",
            f"Meetings:    {info.meetings:,}",
        ]
    )
    encryption = "encrypted (SQLCipher)" if database.encrypted else "not encrypted"
    text += f"\nEncryption:  {encryption}"
    emit(args, {**asdict(info), "encrypted": database.encrypted}, text)
    return 0


def progress_printer(stream: Any = None) -> Callable[[int, int, str], None]:
    """A one-line progress bar on a terminal; silence when stderr is a file or pipe."""
    stream = stream or sys.stderr
    interactive = hasattr(stream, "isatty") and stream.isatty()

    def report(done: int, total: int, label: str) -> None:
        if not interactive:
            return
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {label[:40]:<40}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return report


def _cmd_demo(args: argparse.Namespace) -> int:
    from db.demo import load_demo

    database = open_database_for(args)
    try:
        summary = load_demo(
            database,
            people=args.people,
            seed=args.seed,
            as_of=args.as_of,
            progress=progress_printer(),
        )
    finally:
        database.close()
    document = asdict(summary)
    text = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in document.items())
    emit(args, document, f"Demo branch loaded into {database.location}: {text}.")
    return 0


def _cmd_people_find(args: argparse.Namespace) -> int:
    from db.people import count_people, list_people

    query = " ".join(args.query)
    with session_for(args) as session:
        total = count_people(session, query)
        rows = list_people(session, query, limit=args.limit, total=total)
    lines = [
        f"{row.last_name}, {row.first_name}\t{row.status_label}\t"
        f"{row.membership_number or ''}\t{row.postcode or ''}\tid {row.id}"
        for row in rows
    ]
    shown = f"{len(rows):,} of {total:,}" if total > len(rows) else f"{total:,}"
    lines.append(f"({shown} {'person' if total == 1 else 'people'})")
    document = {"total": total, "people": [asdict(row) for row in rows]}
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_settings_show(args: argparse.Namespace) -> int:
    from db.branch_logo import logo_bytes, logo_format
    from db.branch_settings import SETTING_LABELS, load_branch_settings

    with session_for(args) as session:
        settings = load_branch_settings(session)
    document: dict[str, Any] = asdict(settings)
    logo = logo_bytes(settings)
    # The logo's base64 is no use on a terminal: say what it is instead.
    document["logo"] = None if logo is None else {"format": logo_format(logo), "bytes": len(logo)}
    lines = [f"{SETTING_LABELS[k]} ({k}): {document[k]}" for k in settings.text_field_names()]
    lines.append(
        "Logo (logo): " + ("none" if logo is None else f"{logo_format(logo)}, {len(logo):,} bytes")
    )
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_settings_logo(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from db.branch_logo import logo_from_file
    from db.branch_settings import load_branch_settings, save_branch_settings

    logo = "" if args.clear else logo_from_file(args.file)
    with session_for(args) as session:
        save_branch_settings(session, replace(load_branch_settings(session), logo=logo))
    print(
        "The letterhead has no logo now."
        if args.clear
        else f"The letterhead's logo is {args.file.name}."
    )
    return 0


def _cmd_settings_set(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from db.branch_settings import load_branch_settings, parse_assignment, save_branch_settings

    updates = dict(parse_assignment(text) for text in args.assignments)
    with session_for(args) as session:
        changed = save_branch_settings(session, replace(load_branch_settings(session), **updates))
    sys.stderr.write(f"Changed: {', '.join(changed) or 'nothing'}.\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.app import run_window

        return run_window(args.db)
    try:
        result: int = args.handler(args)
        return result
    except Ambiguous as exc:
        sys.stderr.write(f"branchbook: {exc}\n")
        for candidate in exc.candidates:
            sys.stderr.write(f"  {candidate}\n")
        return 1
    except UserError as exc:
        sys.stderr.write(f"branchbook: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\nbranchbook: stopped; nothing was changed.\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: log, one sentence
        from desktop.crash_log import write_crash_log

        log = write_crash_log(exc)
        sys.stderr.write(
            f"branchbook: an internal error stopped this command ({type(exc).__name__}); "
            f"the details are in {log}. Please report it.\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
