"""``branchbook letters`` and ``branchbook template``: tailored letters to a segment and the
letter templates letters are written from, headless. The same segment's labels and
envelopes are ``desktop.cli_labels``'s, registered from here.

Registered by ``desktop.cli``; like it, nothing here imports Qt.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from db.errors import UserError
from desktop.cli import JSON_HELP, emit, iso_date, progress_printer, session_for


def add_letter_commands(commands: Any) -> None:
    letters = commands.add_parser(
        "letters", help="print a letter template for everyone in a segment, as one A4 PDF"
    )
    letters.add_argument(
        "--template", required=True, metavar="FILE_OR_NAME", help="a template file or saved name"
    )
    letters.add_argument("--segment", required=True, metavar="NAME", help="who the letter is for")
    letters.add_argument(
        "--per-household",
        action="store_true",
        help="one envelope per address for the people whose letters read the same",
    )
    letters.add_argument(
        "--qr", action="store_true", help="print each person's check-in QR code on the letter"
    )
    letters.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    letters.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.pdf", help="or a new folder"
    )
    letters.add_argument(
        "--one-per-letter",
        action="store_true",
        help="one PDF per letter in the new folder -o names, instead of one PDF",
    )
    letters.add_argument("--json", action="store_true", help=JSON_HELP)
    letters.set_defaults(handler=_cmd_letters)

    template = commands.add_parser("template", help="letter templates: save, list, check")
    actions = template.add_subparsers(dest="template_command", metavar="ACTION", required=True)
    save = actions.add_parser("save", help="save a template file under a name (replacing it)")
    save.add_argument("name", metavar="NAME")
    save.add_argument("file", type=Path, metavar="FILE")
    save.set_defaults(handler=_cmd_template_save)
    listing = actions.add_parser("list", help="the saved templates")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_template_list)
    check = actions.add_parser("check", help="report a template's problems, with their lines")
    check.add_argument("template", metavar="FILE_OR_NAME")
    check.add_argument("--json", action="store_true", help=JSON_HELP)
    check.set_defaults(handler=_cmd_template_check)

    from desktop.cli_labels import add_label_commands

    add_label_commands(commands)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a text file saved as UTF-8.") from None
    except OSError as error:
        raise UserError(f"{path} cannot be read: {error.strerror or error}.") from None


def _template(session: Any, file_or_name: str) -> tuple[str, str, int | None]:
    """(name, body, stored id or None) of a template file, else of the saved template."""
    from db.letter_templates import get_template

    path = Path(file_or_name)
    if path.is_file():
        return path.stem, _read_file(path), None
    tid, body = get_template(session, file_or_name)
    return file_or_name, body, tid


def _cmd_letters(args: argparse.Namespace) -> int:
    from db.branch_settings import load_branch_settings
    from db.mailing_plan import plan_mailing
    from reports.mailing_output import write_letter_files, write_letters

    show = progress_printer()
    with session_for(args) as session:
        name, body, template_id = _template(session, args.template)
        plan = plan_mailing(  # a template problem stops here, before anything prints
            session,
            template_name=name,
            body=body,
            segment=args.segment,
            template_id=template_id,
            per_household=args.per_household,
            today=args.date,
        )
        writer = write_letter_files if args.one_per_letter else write_letters
        written = writer(
            session, plan, load_branch_settings(session), args.output, qr=args.qr, progress=show
        )
    reasons = plan.left_out_reasons()
    document = {
        "mailing_id": written.mailing_id,
        "output": str(args.output),
        "letters": written.letters,
        "pages": written.pages,
        "files": written.files,
        "recipients": plan.recipients,
        "variants": dict(Counter(letter.variant for letter in plan.letters)),
        "left_out": len(plan.left_out),
        "left_out_reasons": reasons,
        "left_out_people": [asdict(left) for left in plan.left_out],
    }
    left = "; ".join(f"{count} {reason}" for reason, count in reasons.items())
    where = f"{written.files} PDFs in {args.output}" if args.one_per_letter else str(args.output)
    text = (
        f"{written.letters} letters ({written.pages} pages) for {plan.recipients} people "
        f"written to {where}." + (f" Left out: {left}." if left else "")
    )
    emit(args, document, text)
    return 0


def _cmd_template_save(args: argparse.Namespace) -> int:
    from db.letter_templates import save_template

    body = _read_file(args.file)
    with session_for(args) as session:
        tid, created = save_template(session, args.name, body)
    print(f"{'Saved' if created else 'Replaced'} letter template '{args.name}' (id {tid}).")
    return 0


def _cmd_template_list(args: argparse.Namespace) -> int:
    from db.letter_templates import list_templates

    with session_for(args) as session:
        templates = list_templates(session)
    lines = [f"{t.name}\t{t.lines} lines\tid {t.id}" for t in templates]
    emit(args, [asdict(t) for t in templates], "\n".join(lines) or "No letter templates yet.")
    return 0


def _cmd_template_check(args: argparse.Namespace) -> int:
    from db.letter_templates import check_template

    with session_for(args) as session:
        name, body, _ = _template(session, args.template)
    problems = check_template(body)
    if args.json:
        emit(args, {"template": name, "problems": problems}, "")
        return 1 if problems else 0
    if problems:
        raise UserError(" ".join(problems))
    print(f"The template '{name}' is ready to print.")
    return 0
