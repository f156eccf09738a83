"""``branchbook duplicates``, ``not-duplicate``, ``merge`` and ``data-quality``: keeping the
list of people clean, headless.

Registered by ``desktop.cli``; like it, nothing here imports Qt. A merge is one transaction:
refused or failed, nothing changes.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from desktop.cli import JSON_HELP, emit, session_for

_WHO = "membership number, id, or a name matching one person"


def add_people_quality_commands(commands: Any) -> None:
    duplicates = commands.add_parser(
        "duplicates", help="people who may be on the list twice, and why"
    )
    duplicates.add_argument("--limit", type=int, default=200, metavar="N", help="pairs shown")
    duplicates.add_argument("--json", action="store_true", help=JSON_HELP)
    duplicates.set_defaults(handler=_cmd_duplicates)

    dismiss = commands.add_parser(
        "not-duplicate", help="remember that two people are different, so they are not suggested"
    )
    dismiss.add_argument("first", metavar="FIRST", help=_WHO)
    dismiss.add_argument("second", metavar="SECOND", help=_WHO)
    dismiss.add_argument("--undo", action="store_true", help="suggest the pair again")
    dismiss.set_defaults(handler=_cmd_not_duplicate)

    merge = commands.add_parser("merge", help="move everything of OTHER to KEEP, then delete OTHER")
    merge.add_argument("keep", metavar="KEEP", help=_WHO)
    merge.add_argument("other", metavar="OTHER", help=_WHO)
    merge.add_argument("--json", action="store_true", help=JSON_HELP)
    merge.set_defaults(handler=_cmd_merge)

    quality = commands.add_parser(
        "data-quality",
        help="people with a missing or broken email, phone or postcode, or old details",
    )
    quality.add_argument(
        "--months", type=int, default=24, metavar="N", help="details older than this (24)"
    )
    quality.add_argument(
        "--limit", type=int, default=20, metavar="N", help="people shown in each list (20)"
    )
    quality.add_argument("--json", action="store_true", help=JSON_HELP)
    quality.set_defaults(handler=_cmd_data_quality)


def _cmd_duplicates(args: argparse.Namespace) -> int:
    from db.duplicates import find_duplicates

    with session_for(args) as session:
        pairs = find_duplicates(session)
    shown = pairs[: max(args.limit, 0)]
    lines = [
        f"{pair.keep.name} (id {pair.keep.id}) and {pair.other.name} (id {pair.other.id}): "
        f"{', '.join(pair.reasons)}; names {pair.similarity}% alike"
        for pair in shown
    ]
    if not pairs:
        lines = ["No likely duplicates."]
    elif len(shown) < len(pairs):
        lines.append(f"({len(shown):,} of {len(pairs):,} pairs; --limit shows more)")
    else:
        lines.append(f"({len(pairs):,} {'pair' if len(pairs) == 1 else 'pairs'})")
    lines.append("Merge with: branchbook merge KEEP OTHER; or: branchbook not-duplicate A B")
    document = {"total": len(pairs), "pairs": [asdict(pair) for pair in shown]}
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_not_duplicate(args: argparse.Namespace) -> int:
    from db.duplicates import forget_not_duplicate, mark_not_duplicate
    from db.people import find_person

    with session_for(args) as session:
        first, second = find_person(session, args.first), find_person(session, args.second)
        if args.undo:
            changed = forget_not_duplicate(session, first, second)
            text = "They may be suggested again." if changed else "They were not set aside."
        else:
            changed = mark_not_duplicate(session, first, second)
            text = (
                "They will not be suggested as duplicates again."
                if changed
                else "They were already set aside as different people."
            )
    emit(args, {"changed": changed}, f"People {first} and {second}: {text}")
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from db.merge import merge
    from db.people import find_person

    with session_for(args) as session:
        keep, other = find_person(session, args.keep), find_person(session, args.other)
        result = merge(session, keep, other)
    moved = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in result.moved.items())
    combined = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in result.combined.items())
    lines = [
        f"Merged {result.other_name} (id {result.other_id}) into {result.keep_name} "
        f"(id {result.keep_id}).",
        f"Moved: {moved or 'nothing'}.",
    ]
    if combined:
        lines.append(f"Already on both, now one: {combined}.")
    if result.filled:
        lines.append(f"Filled in: {', '.join(result.filled)}.")
    for clash in result.clashes:
        lines.append(
            f"  {clash.what}: {clash.kept or '(none)'} / {clash.other or '(none)'} "
            f"({clash.resolution})"
        )
    if result.clashes:
        lines.append("Every value not kept is written in the notes of the person kept.")
    emit(args, asdict(result), "\n".join(lines))
    return 0


def _cmd_data_quality(args: argparse.Namespace) -> int:
    from db.data_quality import data_quality

    with session_for(args) as session:
        report = data_quality(session, months=args.months)
    limit = max(args.limit, 0)
    titles = {
        "emails": "Email addresses",
        "phones": "Phone numbers",
        "postcodes": "Postcodes",
        "unverified": f"Details not confirmed in {args.months} months",
    }
    lines: list[str] = []
    document: dict[str, Any] = {"months": args.months, "counts": report.counts()}
    for key, title in titles.items():
        issues = getattr(report, key)
        lines.append(f"{title}: {len(issues):,}")
        lines.extend(f"  {i.name} (id {i.person_id}): {i.problem}" for i in issues[:limit])
        if len(issues) > limit:
            lines.append(f"  ... and {len(issues) - limit:,} more (--limit, or --json for all)")
        document[key] = [asdict(issue) for issue in issues]
    emit(args, document, "\n".join(lines))
    return 0
