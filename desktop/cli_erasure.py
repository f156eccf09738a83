"""``branchbook erase``, ``branchbook retention`` and ``branchbook erasures``: remove a
person's personal data for good, review who has not been seen for the branch's retention
period, and read the record of erasures. Erasing cannot be undone, so it asks first (or
takes ``--yes``) and says what it will remove.

Registered by ``desktop.cli``; like it, nothing here imports Qt.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from db.erasure import AFTERWARDS
from db.errors import UserError
from desktop.cli import (
    JSON_HELP,
    ask_first,
    emit,
    open_database_for,
    positive_int,
    progress_printer,
    session_for,
)


def add_erasure_commands(commands: Any) -> None:
    erase = commands.add_parser(
        "erase", help="remove people's personal data for good (cannot be undone)"
    )
    erase.add_argument("who", nargs="+", metavar="WHO", help="membership number, id or name")
    erase.add_argument("--reason", required=True, help="why, for the record (not their name)")
    erase.add_argument("--yes", action="store_true", help="do not ask first")
    erase.add_argument("--json", action="store_true", help=JSON_HELP)
    erase.set_defaults(handler=_cmd_erase)

    retention = commands.add_parser(
        "retention", help="guests and lapsed members not seen for N years, for review"
    )
    retention.add_argument(
        "--years", type=positive_int, metavar="N", help="default: the branch's period"
    )
    retention.add_argument(
        "--set-years", type=positive_int, metavar="N", help="store N as the branch's period"
    )
    retention.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx", help="the list")
    retention.add_argument(
        "--erase", action="store_true", help="erase everyone listed (asks first)"
    )
    retention.add_argument("--reason", help="for --erase; default names the retention period")
    retention.add_argument("--yes", action="store_true", help="with --erase: do not ask first")
    retention.add_argument("--json", action="store_true", help=JSON_HELP)
    retention.set_defaults(handler=_cmd_retention)

    erasures = commands.add_parser("erasures", help="the record of erasures (naming nobody)")
    erasures.add_argument("--json", action="store_true", help=JSON_HELP)
    erasures.set_defaults(handler=_cmd_erasures)


def _erase(
    args: argparse.Namespace, database: Any, ids: list[int], names: list[str], reason: str
) -> int:
    from db.erasure import describe_removed, erase_people, erasure_preview

    with database.session() as session:
        preview = erasure_preview(session, ids)
    if not args.yes:
        who = names[0] if len(names) == 1 else f"{len(names):,} people"
        ask_first(
            f"Erase {who}: {describe_removed(preview)}. This cannot be undone. Erase?",
            doing="erase",
            done="erased",
        )
    show = progress_printer()
    done = erase_people(database, ids, reason, progress=lambda n, total: show(n, total, "erasing"))
    emit(
        args,
        asdict(done),
        f"Erased {done.people:,} {'person' if done.people == 1 else 'people'} "
        f"(erasure {done.erasure_id}): {describe_removed(done.removed)}. "
        + (
            f"Meetings keep {done.anonymous_attendance:,} of their attendances as anonymous "
            "counts. "
            if done.anonymous_attendance
            else ""
        )
        + AFTERWARDS,
    )
    return 0


def _cmd_erase(args: argparse.Namespace) -> int:
    from db.models import Person
    from db.people import find_person

    # One opening for the lookup and the erasure: an encrypted file's passphrase is slow
    # to check on purpose.
    database = open_database_for(args)
    try:
        with database.session() as session:
            ids = list(dict.fromkeys(find_person(session, who) for who in args.who))
            names = [session.get_one(Person, pid).full_name for pid in ids]
        return _erase(args, database, ids, names, args.reason)
    finally:
        database.close()


def _cmd_retention(args: argparse.Namespace) -> int:
    from db.retention import get_retention_years, retention_candidates, set_retention_years

    database = open_database_for(args)
    try:
        with database.session() as session:
            if args.set_years is not None:
                set_retention_years(session, args.set_years)
            years = args.years or get_retention_years(session)
            found = retention_candidates(session, years)
            if args.output is not None:
                from reports.retention_export import export_retention

                export_retention(session, found, years, args.output)
        if args.erase:
            if not found:
                raise UserError(f"Nobody has gone unseen for {_years(years)}; nothing was erased.")
            reason = args.reason or f"Retention review: not seen for {_years(years)}"
            ids, names = [c.person_id for c in found], [c.name for c in found]
            return _erase(args, database, ids, names, reason)
    finally:
        database.close()
    text = "\n".join(
        f"{c.name} ({c.status_label.lower()}): last seen {c.last_seen:%d/%m/%Y} ({c.how})"
        for c in found
    )
    summary = (
        f"{len(found):,} {'person' if len(found) == 1 else 'people'} not seen for "
        f"{_years(years)}" + (f"; the list is in {args.output}." if args.output else ".")
    )
    emit(
        args,
        {"years": years, "people": [asdict(c) for c in found]},
        "\n".join(part for part in (text, summary) if part),
    )
    return 0


def _cmd_erasures(args: argparse.Namespace) -> int:
    from db.erasure import describe_removed, list_erasures

    with session_for(args) as session:
        lines = list_erasures(session)
    text = "\n".join(
        f"{line.at:%Y-%m-%d %H:%M} erasure {line.id} by {line.actor}: {line.people:,} "
        f"{'person' if line.people == 1 else 'people'} ({line.reason}); "
        f"{describe_removed(line.removed)}"
        for line in lines
    )
    emit(args, [asdict(line) for line in lines], text or "Nobody has been erased.")
    return 0


def _years(years: int) -> str:
    return f"{years} year{'' if years == 1 else 's'}"
