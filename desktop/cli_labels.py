"""``branchbook labels`` and ``branchbook envelopes``: a segment's addresses on Avery sheets
(or a grid of one's own) and on DL or C5 envelopes, headless.

Registered by ``desktop.cli_letters``; like ``desktop.cli``, nothing here imports Qt, and
reports/ is imported only when a command runs (it brings reportlab).
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from db.errors import UserError
from db.export_log import record_export
from desktop.cli import JSON_HELP, emit, iso_date, progress_printer, session_for

LABEL_LAYOUTS = ("L7160", "L7163", "L7161")  # reports.labels.LAYOUTS, without importing it
ENVELOPE_SIZES = ("DL", "C5")  # reports.envelopes.ENVELOPES, likewise
GRID_HELP = (
    "a sheet of your own instead, in mm: COLSxROWS,WIDTHxHEIGHT,TOP,LEFT[,HPITCH[,VPITCH]] - "
    "columns and rows; one label's width and height; the top-left label's distance from the "
    "sheet's top and left edges; and how far each label's left edge is from the next one "
    "across (HPITCH), and its top edge from the next one down (VPITCH), each the label's "
    "size if left out (labels touching). L7160 would be 3x7,63.5x38.1,15.15,7.21,66.04,38.1"
)


def add_label_commands(commands: Any) -> None:
    labels = commands.add_parser(
        "labels", help="print address labels for everyone in a segment on A4 label sheets"
    )
    _segment_options(labels, "who the labels are for")
    sheet = labels.add_mutually_exclusive_group(required=True)
    sheet.add_argument("--layout", choices=LABEL_LAYOUTS, help="the Avery sheet")
    sheet.add_argument("--grid", metavar="GRID", help=GRID_HELP)
    labels.add_argument(
        "--start",
        type=int,
        default=1,
        metavar="N",
        help="the first free label on a partly used sheet, counting across then down (default 1)",
    )
    labels.add_argument(
        "--outlines", action="store_true", help="draw each label's edge (for a plain-paper test)"
    )
    _output_options(labels)
    labels.set_defaults(handler=_cmd_labels)

    envelopes = commands.add_parser(
        "envelopes", help="print addresses straight onto DL or C5 envelopes, one per page"
    )
    _segment_options(envelopes, "who the envelopes are for")
    envelopes.add_argument(
        "--size",
        required=True,
        choices=ENVELOPE_SIZES,
        help="DL (220 x 110 mm, an A4 letter folded in three) or C5 (229 x 162 mm, folded once)",
    )
    envelopes.add_argument(
        "--return-address",
        action="store_true",
        help="print 'If undelivered please return to:' and the branch's name and address "
        "(from 'branchbook settings') small at the top left",
    )
    _output_options(envelopes)
    envelopes.set_defaults(handler=_cmd_envelopes)


def _segment_options(parser: argparse.ArgumentParser, who: str) -> None:
    parser.add_argument("--segment", required=True, metavar="NAME", help=who)
    parser.add_argument(
        "--sort",
        choices=("postcode", "name"),
        default="postcode",
        help="the order they print in (default: postcode)",
    )
    parser.add_argument(
        "--per-household", action="store_true", help="one per address, naming everyone"
    )
    parser.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="the segment as of (default: today)"
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.pdf")
    parser.add_argument("--json", action="store_true", help=JSON_HELP)


def _addresses(args: argparse.Namespace, session: Any) -> tuple[list[Any], Any]:
    """(labels, gathered) for the segment: reports.labels.plan_labels's, one per person or
    household, in the order asked for; nobody who refused post or has no address."""
    from db.mailing_data import gather_recipients
    from db.segments import segment_ids
    from reports.labels import plan_labels

    people = segment_ids(session, args.segment, args.date)
    gathered = gather_recipients(session, people, today=args.date)
    return plan_labels(gathered, per_household=args.per_household, sort=args.sort), gathered


def _nobody(args: argparse.Namespace, gathered: Any) -> UserError:
    return UserError(
        f"Nobody in '{args.segment}' can be sent post "
        f"({len(gathered.left_out)} left out); no PDF was written."
    )


def _left_out(gathered: Any) -> tuple[dict[str, Any], str]:
    """The left-out part of the JSON document, and of the sentence (empty if nobody)."""
    reasons = Counter(left.reason for left in gathered.left_out)
    document = {
        "left_out": len(gathered.left_out),
        "left_out_reasons": dict(reasons),
        "left_out_people": [asdict(left) for left in gathered.left_out],
    }
    left = "; ".join(f"{count} {reason}" for reason, count in reasons.items())
    return document, f" Left out: {left}." if left else ""


def _cmd_labels(args: argparse.Namespace) -> int:
    from reports.labels import LAYOUTS, LabelRenderer, parse_grid, place_labels

    # A bad grid or --start stops here, before the database is opened.
    layout = LAYOUTS[args.layout] if args.layout else parse_grid(args.grid)
    place_labels([], layout, args.start)
    show = progress_printer()
    with session_for(args) as session:
        labels, gathered = _addresses(args, session)
        if not labels:
            raise _nobody(args, gathered)
        sheets = place_labels(labels, layout, args.start)
        pages = LabelRenderer(sheets, layout, outlines=args.outlines).write(args.output, show)
        recipients = sum(len(label.person_ids) for label in labels)
        record_export(session, "labels", args.output, recipients, segment=args.segment)
    left_document, left_text = _left_out(gathered)
    document = {
        "output": str(args.output),
        "layout": layout.name,
        "grid": args.grid,
        "start": args.start,
        "labels": len(labels),
        "sheets": pages,
        "recipients": recipients,
        **left_document,
    }
    sheets_text = f"{pages} {layout.name} sheet{'' if pages == 1 else 's'}"
    text = (
        f"{len(labels)} labels ({sheets_text}) for {recipients} people written to "
        f"{args.output}.{left_text}"
    )
    emit(args, document, text)
    return 0


def _cmd_envelopes(args: argparse.Namespace) -> int:
    from db.branch_settings import load_branch_settings
    from reports.envelopes import ENVELOPES, EnvelopeRenderer, return_address

    size = ENVELOPES[args.size]
    show = progress_printer()
    with session_for(args) as session:
        # Checked first: a branch without an address stops before anything is gathered.
        lines = return_address(load_branch_settings(session)) if args.return_address else ()
        envelopes, gathered = _addresses(args, session)
        if not envelopes:
            raise _nobody(args, gathered)
        renderer = EnvelopeRenderer(envelopes, size, return_lines=lines)
        pages = renderer.write(args.output, show)
        recipients = sum(len(envelope.person_ids) for envelope in envelopes)
        record_export(session, "envelopes", args.output, recipients, segment=args.segment)
    left_document, left_text = _left_out(gathered)
    document = {
        "output": str(args.output),
        "size": size.name,
        "return_address": bool(lines),
        "envelopes": len(envelopes),
        "pages": pages,
        "recipients": recipients,
        **left_document,
    }
    text = (
        f"{len(envelopes)} {size.name} envelope{'' if len(envelopes) == 1 else 's'} for "
        f"{recipients} {'person' if recipients == 1 else 'people'} written to "
        f"{args.output}.{left_text}"
    )
    emit(args, document, text)
    return 0
