"""``branchbook activity``, ``tag``, ``org``, ``affiliate``, ``unions`` and ``engagement``:
what people do for the branch and what they belong to, headless.

Registered by ``desktop.cli``; like it, nothing here imports Qt. A command that names
several people records nothing unless every one of them is found.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.cli import JSON_HELP, emit, iso_date, session_for

_PERSON_HELP = "membership number, id, or a name matching one person"


def add_activity_commands(commands: Any) -> None:
    activity = commands.add_parser("activity", help="log canvassing, leafleting and other work")
    actions = activity.add_subparsers(dest="activity_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="log one session for everyone who did it")
    add.add_argument("--kind", required=True, type=_kind, metavar="K", help=_kinds_help())
    add.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD")
    add.add_argument("--hours", required=True, type=_hours, metavar="H", help="each, e.g. 2.5")
    add.add_argument("--notes", metavar="N")
    add.add_argument("people", nargs="+", metavar="PERSON", help=_PERSON_HELP)
    add.add_argument("--json", action="store_true", help=JSON_HELP)
    add.set_defaults(handler=_cmd_activity_add)
    listing = actions.add_parser("list", help="one person's activity, latest first")
    listing.add_argument("person", metavar="PERSON", help=_PERSON_HELP)
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_activity_list)
    totals = actions.add_parser("totals", help="sessions, hours and people for each kind")
    totals.add_argument(
        "--since", type=iso_date, metavar="YYYY-MM-DD", help="default: a year ago today"
    )
    totals.add_argument("--json", action="store_true", help=JSON_HELP)
    totals.set_defaults(handler=_cmd_activity_totals)
    delete = actions.add_parser("delete", help="remove one person's activity logged by mistake")
    delete.add_argument("activity", type=int, metavar="ACTIVITY")
    delete.set_defaults(handler=_cmd_activity_delete)

    tag = commands.add_parser("tag", help='label people: "has a car", "Welsh speaker"')
    tag_actions = tag.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    for name, handler, what in (
        ("add", _cmd_tag_add, "give people a tag (made if new)"),
        ("remove", _cmd_tag_remove, "take a tag off people"),
    ):
        parser = tag_actions.add_parser(name, help=what)
        parser.add_argument("label", metavar="LABEL")
        parser.add_argument("people", nargs="+", metavar="PERSON", help=_PERSON_HELP)
        parser.add_argument("--json", action="store_true", help=JSON_HELP)
        parser.set_defaults(handler=handler)
    tag_list = tag_actions.add_parser("list", help="every tag and how many people have it")
    tag_list.add_argument("--json", action="store_true", help=JSON_HELP)
    tag_list.set_defaults(handler=_cmd_tag_list)
    rename = tag_actions.add_parser("rename", help="call a tag something else")
    rename.add_argument("label", metavar="LABEL")
    rename.add_argument("new_label", metavar="NEW_LABEL")
    rename.set_defaults(handler=_cmd_tag_rename)
    tag_delete = tag_actions.add_parser("delete", help="take a tag off everyone and forget it")
    tag_delete.add_argument("label", metavar="LABEL")
    tag_delete.set_defaults(handler=_cmd_tag_delete)

    org = commands.add_parser("org", help="unions, co-ops, campaigns and community groups")
    org_actions = org.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    org_add = org_actions.add_parser("add", help="add an organisation; prints its id")
    org_add.add_argument("name", metavar="NAME")
    org_add.add_argument("--kind", required=True, metavar="K", help=_org_kinds_help())
    org_add.add_argument("--short", metavar="S", help='a short name, e.g. "GMB"')
    org_add.add_argument("--json", action="store_true", help=JSON_HELP)
    org_add.set_defaults(handler=_cmd_org_add)
    org_list = org_actions.add_parser("list", help="organisations and how many belong now")
    org_list.add_argument("--json", action="store_true", help=JSON_HELP)
    org_list.set_defaults(handler=_cmd_org_list)

    affiliate = commands.add_parser("affiliate", help="record that someone belongs to an org")
    affiliate.add_argument("person", metavar="PERSON", help=_PERSON_HELP)
    affiliate.add_argument("org", metavar="ORG", help="id, name or short name")
    affiliate.add_argument("--role", metavar="R", help='e.g. "shop steward"')
    affiliate.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    affiliate.add_argument("--json", action="store_true", help=JSON_HELP)
    affiliate.set_defaults(handler=_cmd_affiliate)

    unions = commands.add_parser("unions", help="the branch's members in each trade union")
    unions.add_argument("--json", action="store_true", help=JSON_HELP)
    unions.set_defaults(handler=_cmd_unions)

    engagement = commands.add_parser(
        "engagement", help="how many people are active, occasional, dormant or never seen"
    )
    engagement.add_argument(
        "--active", type=int, metavar="N", help="store: active means N or more events a year"
    )
    engagement.add_argument(
        "--occasional", type=int, metavar="N", help="store: occasional means N or more"
    )
    engagement.add_argument("--months", type=int, metavar="N", help="store: count N months")
    engagement.add_argument("--json", action="store_true", help=JSON_HELP)
    engagement.set_defaults(handler=_cmd_engagement)


def _kinds_help() -> str:
    from db.models.vocabulary import ACTIVITY_KINDS

    return ", ".join(ACTIVITY_KINDS)


def _org_kinds_help() -> str:
    from db.models.vocabulary import ORGANISATION_KINDS

    return ", ".join(ORGANISATION_KINDS)


def _kind(text: str) -> str:
    """``phone banking`` and ``Phone-Banking`` are ``phone_banking``; the core checks it."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def _hours(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours like 2.5") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours like 2.5")
    return value


def _people(session: Any, queries: list[str], done: str) -> list[int]:
    """Everyone named, or the first who cannot be found, with ``done`` ("nothing was
    recorded") added so the secretary knows the others were not recorded either."""
    from db.errors import Ambiguous, UserError
    from db.people import find_person

    found: list[int] = []
    for query in queries:
        try:
            found.append(find_person(session, query))
        except Ambiguous as exc:
            raise Ambiguous(f"{str(exc).rstrip('.')}; {done}.", exc.candidates) from exc
        except UserError as exc:
            raise type(exc)(f"{str(exc).rstrip('.')}; {done}.") from exc
    return found


def _person(session: Any, query: str) -> int:
    from db.people import find_person

    return find_person(session, query)


def _cmd_activity_add(args: argparse.Namespace) -> int:
    from db.activities import log_activity
    from db.models.vocabulary import ACTIVITY_KIND_LABELS

    with session_for(args) as session:
        people = _people(session, args.people, "nothing was recorded")
        ids = log_activity(session, args.kind, args.date, args.hours, people, args.notes)
    count = len(ids)
    label = ACTIVITY_KIND_LABELS.get(args.kind, args.kind)
    text = (
        f"{label} on {args.date.isoformat()} recorded for {count} "
        f"{'person' if count == 1 else 'people'}, {args.hours} "
        f"{'hour' if args.hours == 1 else 'hours'} each."
    )
    document = {
        "ids": ids,
        "kind": args.kind,
        "done_on": args.date.isoformat(),
        "hours": str(args.hours),
        "people": list(dict.fromkeys(people)),
    }
    emit(args, document, text)
    return 0


def _cmd_activity_list(args: argparse.Namespace) -> int:
    from db.activities import person_activities

    with session_for(args) as session:
        rows = person_activities(session, _person(session, args.person))
    lines = [
        f"{row.id:>7}  {row.done_on:%Y-%m-%d}  {row.kind_label:<14} "
        f"{'' if row.hours is None else f'{row.hours} h'}" + (f"  {row.notes}" if row.notes else "")
        for row in rows
    ] or ["No activity recorded."]
    emit(args, [asdict(row) for row in rows], "\n".join(lines))
    return 0


def _cmd_activity_totals(args: argparse.Namespace) -> int:
    from db.activities import activity_totals
    from db.engagement import window_start

    since = args.since or window_start(dt.date.today())
    with session_for(args) as session:
        totals = activity_totals(session, since)
    lines = [f"Since {since.isoformat()}:"] + [
        f"  {t.kind_label:<14} {t.sessions:>6,} sessions {t.hours:>9} hours {t.people:>6,} people"
        for t in totals
    ]
    emit(args, {"since": since, "totals": [asdict(t) for t in totals]}, "\n".join(lines))
    return 0


def _cmd_activity_delete(args: argparse.Namespace) -> int:
    from db.activities import delete_activity

    with session_for(args) as session:
        delete_activity(session, args.activity)
    emit(args, {}, f"Activity {args.activity} deleted.")
    return 0


def _cmd_tag_add(args: argparse.Namespace) -> int:
    from db.tags import tag_people

    with session_for(args) as session:
        done = tag_people(session, args.label, _people(session, args.people, "nobody was tagged"))
    text = f"Tagged {_count(done.changed)} '{done.name}'" + (
        f"; {_count(done.unchanged)} had it already." if done.unchanged else "."
    )
    emit(args, asdict(done), text)
    return 0


def _cmd_tag_remove(args: argparse.Namespace) -> int:
    from db.tags import untag_people

    with session_for(args) as session:
        people = _people(session, args.people, "no tag was removed")
        done = untag_people(session, args.label, people)
    text = f"Took '{done.name}' off {_count(done.changed)}" + (
        f"; {_count(done.unchanged)} did not have it." if done.unchanged else "."
    )
    emit(args, asdict(done), text)
    return 0


def _count(people: tuple[int, ...]) -> str:
    return f"{len(people)} {'person' if len(people) == 1 else 'people'}"


def _cmd_tag_list(args: argparse.Namespace) -> int:
    from db.tags import list_tags

    with session_for(args) as session:
        rows = list_tags(session)
    lines = [f"{row.people:>7,}  {row.name}" for row in rows] or ["No tags yet."]
    emit(args, [asdict(row) for row in rows], "\n".join(lines))
    return 0


def _cmd_tag_rename(args: argparse.Namespace) -> int:
    from db.tags import rename_tag

    with session_for(args) as session:
        edited = rename_tag(session, args.label, args.new_label)
    emit(args, asdict(edited), "Renamed." if edited.changed else "Nothing to change.")
    return 0


def _cmd_tag_delete(args: argparse.Namespace) -> int:
    from db.tags import delete_tag

    with session_for(args) as session:
        count = delete_tag(session, args.label)
    emit(args, {"untagged": count}, f"Deleted the tag; {count:,} people had it.")
    return 0


def _cmd_org_add(args: argparse.Namespace) -> int:
    from db.organisations import add_organisation

    with session_for(args) as session:
        oid = add_organisation(session, args.name, _kind(args.kind), args.short)
    emit(args, {"id": oid}, str(oid))
    return 0


def _cmd_org_list(args: argparse.Namespace) -> int:
    from db.organisations import list_organisations

    with session_for(args) as session:
        rows = list_organisations(session)
    lines = [
        f"{row.id:>5}  {row.kind_label:<20} {row.current:>7,}  {_named(row.name, row.short_name)}"
        for row in rows
    ] or ["No organisations yet."]
    emit(args, [asdict(row) for row in rows], "\n".join(lines))
    return 0


def _named(name: str, short_name: str | None) -> str:
    """ "GMB Union (GMB)"; a short name that is the name again ("UNISON") is left out."""
    if short_name and short_name.casefold() != name.casefold():
        return f"{name} ({short_name})"
    return name


def _cmd_affiliate(args: argparse.Namespace) -> int:
    from db.organisations import affiliate, find_organisation

    with session_for(args) as session:
        person = _person(session, args.person)
        organisation = find_organisation(session, args.org)
        aid = affiliate(session, person, organisation, args.role, args.since)
    emit(
        args,
        {"id": aid, "person_id": person, "organisation_id": organisation},
        f"Affiliation {aid} recorded.",
    )
    return 0


def _cmd_unions(args: argparse.Namespace) -> int:
    from db.organisations import union_members

    with session_for(args) as session:
        unions = union_members(session)
    lines = [
        f"{union.members:>7,}  {_named(union.name, union.short_name)}" for union in unions
    ] or ["No trade unions yet; add one with 'branchbook org add NAME --kind trade_union'."]
    document = [{**asdict(union), "members": union.members} for union in unions]
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_engagement(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from db.engagement import (
        LEVEL_LABELS,
        engagement_counts,
        get_engagement_thresholds,
        set_engagement_thresholds,
    )

    given = {
        "active_events": args.active,
        "occasional_events": args.occasional,
        "months": args.months,
    }
    wanted = {name: value for name, value in given.items() if value is not None}
    with session_for(args) as session:
        thresholds = get_engagement_thresholds(session)
        if wanted:
            thresholds = replace(thresholds, **wanted)
            set_engagement_thresholds(session, thresholds)
        counts = engagement_counts(session)
    lines = [
        f"Events in the last {thresholds.months} months: active {thresholds.active_events}+, "
        f"occasional {thresholds.occasional_events}+.",
        *(f"{count:>9,}  {LEVEL_LABELS[level]}" for level, count in counts.items()),
    ]
    emit(args, {"counts": counts, "thresholds": asdict(thresholds)}, "\n".join(lines))
    return 0
