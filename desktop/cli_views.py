"""``branchbook question``, ``answer`` and ``answers-import``: the branch's questions and what
people answer, headless.

Registered by ``desktop.cli``; like it, nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli import JSON_HELP, emit, iso_date, open_database_for, session_for

_OUTCOMES = {
    "new": "recorded",
    "changed": "recorded; their view has changed",
    "confirmed": "recorded; the same view as before",
    "earlier": "recorded as an earlier answer; their current answer stays",
}


def add_view_commands(commands: Any) -> None:
    question = commands.add_parser("question", help="the branch's questions: add, list, retire")
    actions = question.add_subparsers(dest="question_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a question; prints its id")
    add.add_argument("text", metavar="TEXT", help="the question, as people are asked it")
    add.add_argument(
        "--kind", required=True, help="single choice, multiple choice, scale (1 to 5) or free text"
    )
    add.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="O",
        help="one option of a choice question; repeat it for each, in order",
    )
    add.add_argument(
        "--max-choices", type=int, metavar="N", help="how many a multiple choice may pick"
    )
    add.add_argument("--json", action="store_true", help=JSON_HELP)
    add.set_defaults(handler=_cmd_question_add)

    listing = actions.add_parser("list", help="the questions in order, with how many answered")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_question_list)

    retire = actions.add_parser("retire", help="stop asking a question; its answers stay")
    retire.add_argument("question", metavar="QUESTION", help="its id or its exact text")
    retire.add_argument("--undo", action="store_true", help="bring a retired question back")
    retire.set_defaults(handler=_cmd_question_retire)

    summary = actions.add_parser("summary", help="how people answer a question now")
    summary.add_argument("question", metavar="QUESTION", help="its id or its exact text")
    summary.add_argument("--json", action="store_true", help=JSON_HELP)
    summary.set_defaults(handler=_cmd_question_summary)

    answer = commands.add_parser("answer", help="record someone's answer to a question")
    answer_actions = answer.add_subparsers(dest="answer_command", metavar="ACTION", required=True)
    record = answer_actions.add_parser("add", help="record an answer; a changed view is kept")
    record.add_argument(
        "person", metavar="PERSON", help="membership number, id, or a name matching one person"
    )
    record.add_argument(
        "--question", required=True, metavar="Q", help="the question's id or its exact text"
    )
    record.add_argument(
        "--value",
        required=True,
        action="append",
        metavar="V",
        help="the answer: an option, a number from 1 to 5 or the text; for multiple choice "
        "repeat it or separate the options with commas, first choice first",
    )
    record.add_argument(
        "--source",
        default="other",
        metavar="S",
        help="meeting, doorstep, phone, paper form, online form, import or other (default)",
    )
    record.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="when it was given (default: today)"
    )
    record.add_argument("--json", action="store_true", help=JSON_HELP)
    record.set_defaults(handler=_cmd_answer_add)

    imported = commands.add_parser(
        "answers-import", help="record the answers in a Google Forms or Microsoft Forms export"
    )
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--sheet", metavar="S")
    imported.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="when the answers were given, for a file with no Timestamp column",
    )
    imported.add_argument(
        "--dry-run", action="store_true", help="show what would be recorded; keep nothing"
    )
    imported.add_argument("--json", action="store_true", help=JSON_HELP)
    imported.set_defaults(handler=_cmd_answers_import)


def _cmd_question_add(args: argparse.Namespace) -> int:
    from db.views import add_question

    with session_for(args) as session:
        added = add_question(session, args.text, args.kind, args.option, args.max_choices)
    emit(args, asdict(added), str(added.id))
    return 0


def _cmd_question_list(args: argparse.Namespace) -> int:
    from db.views import list_questions

    with session_for(args) as session:
        questions = list_questions(session)
    lines = []
    for q in questions:
        most = f", up to {q.max_choices}" if q.kind == "multiple_choice" and q.max_choices else ""
        retired = " [retired]" if not q.active else ""
        lines.append(
            f"{q.id:>4}  {q.text}{retired}  ({q.kind_label.lower()}{most}; "
            f"{q.respondents:,} answered)"
        )
        lines.extend(f"        - {option}" for option in q.options)
    emit(args, [asdict(q) for q in questions], "\n".join(lines) or "No questions yet.")
    return 0


def _cmd_question_retire(args: argparse.Namespace) -> int:
    from db.views import find_question, retire_question

    with session_for(args) as session:
        question = find_question(session, args.question)
        changed = retire_question(session, question.id, retired=not args.undo)
    state = "asked again" if args.undo else "retired"
    already = "" if changed.changed else " already"
    emit(args, asdict(changed), f"Question {question.id} is{already} {state}.")
    return 0


def _cmd_question_summary(args: argparse.Namespace) -> int:
    from db.views import answer_summary, find_question

    with session_for(args) as session:
        summary = answer_summary(session, find_question(session, args.question).id)
    lines = [f"{summary.text}: {summary.respondents:,} answered"]
    if summary.kind == "multiple_choice":
        lines.extend(
            f"  {o.label}: {o.count:,} ({o.first_choice:,} first)" for o in summary.options
        )
    else:
        lines.extend(f"  {o.label}: {o.count:,}" for o in summary.options)
    lines.extend(f"  {point}: {people:,}" for point, people in summary.scale)
    if summary.mean is not None:
        lines.append(f"  average: {summary.mean:.2f}")
    emit(args, asdict(summary), "\n".join(lines))
    return 0


def _cmd_answer_add(args: argparse.Namespace) -> int:
    from db.models import Person
    from db.people import find_person
    from db.views import find_question, record_answer

    with session_for(args) as session:
        person_id = find_person(session, args.person)
        question = find_question(session, args.question)
        values = args.value[0] if len(args.value) == 1 else args.value
        day = args.date or dt.date.today()
        done = record_answer(
            session, person_id, question.id, values, source=args.source, answered_on=day
        )
        name = session.get(Person, person_id).full_name
    if done.written:
        text = f"{name}, '{question.text}': {done.value} ({_OUTCOMES[done.outcome]})."
    else:
        text = (
            f"{name}, '{question.text}': {done.value} was already recorded on {day:%d %B %Y}; "
            "nothing changed."
        )
    emit(args, {**asdict(done), "written": done.written, "answered_on": day.isoformat()}, text)
    return 0


def _cmd_answers_import(args: argparse.Namespace) -> int:
    from db.importing.answers import import_answers

    database = open_database_for(args)
    try:
        result = import_answers(
            database, args.file, sheet=args.sheet, answered_on=args.date, dry_run=args.dry_run
        )
    finally:
        database.close()
    would = "would record" if result.dry_run else "recorded"
    lines = [
        f"{result.file}: {would} {_count(result.recorded, 'answer')} from {result.people:,} of "
        f"{_count(result.rows, 'response')}; {result.unchanged:,} already recorded; "
        f"{_count(len(result.problems), 'problem')} to put right by hand.",
        *(f"  {c.column}: {c.header}" for c in result.questions),
        *(f"  {note}" for note in result.notes),
        *(f"  {sentence}" for sentence in result.problems),
    ]
    if result.dry_run:
        lines.append("Nothing was kept (--dry-run).")
    document = {**asdict(result), "problems": list(result.problems)}
    emit(args, document, "\n".join(lines))
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
