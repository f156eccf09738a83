"""Answers from an online form's spreadsheet export: Google Forms or Microsoft Forms.

A form export has one row per response: when it was sent (Google's "Timestamp", Microsoft's
"Completion time"), who sent it (an email address, sometimes a name or membership number)
and one column per question, headed with the question's text. Each row is matched to a
person as the membership importer matches, and each question column to the branch's
question with that text. Nobody is guessed or created and no question is invented: rows
that fit nobody and cells the question cannot take are listed, with row and column.

The whole file is one transaction: an error part-way leaves the database as it was. Importing
the same export again records nothing twice (an answer already recorded that day is kept).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.database import Database
from db.errors import UserError
from db.folding import fold
from db.importing.candidates import Candidate
from db.importing.cleaned import cell_text, squash
from db.importing.dates import detect_day_first, parse_date
from db.importing.header_names import header_key
from db.importing.matching import load_index
from db.importing.table import Table
from db.importing.workbook import Cell, column_letter, is_blank, is_cell_error
from db.importing.workflow import PreparedImport, prepare_import
from db.models import Question
from db.views import check_value, save_answer

__all__ = ["AnswersImport", "QuestionColumn", "import_answers"]

SOURCE = "online_form"

# Headers that say when a response was sent, best first: Google's, then Microsoft's.
_WHEN_HEADERS = tuple(
    header_key(h)
    for h in (
        "Timestamp",
        "Completion time",
        "Submitted at",
        "Submission time",
        "Submitted",
        "Last modified time",
        "Start time",
    )
)
# A form's own bookkeeping columns: neither a question nor worth a remark.
_FORM_COLUMNS = frozenset(
    header_key(h) for h in ("ID", "Score", "Total score", "Quiz feedback", "Points", "Feedback")
)
# Google's csv download writes "2026/10/14 9:41:22 AM GMT+1"; the zone is no part of the day.
_ZONE = re.compile(r"\s+(?:GMT|UTC)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class QuestionColumn:
    column: str  # the letter, as Excel shows it
    header: str
    question_id: int


@dataclass(frozen=True)
class AnswersImport:
    file: str
    questions: tuple[QuestionColumn, ...]  # the columns read, each with its question
    rows: int  # responses in the file
    people: int  # responses matched to one person
    recorded: int  # answers written
    unchanged: int  # answers already recorded that day: nothing written
    unmatched: tuple[str, ...]  # one sentence per response that fits nobody
    ambiguous: tuple[str, ...]  # one sentence per response that fits several people
    invalid: tuple[str, ...]  # one sentence per cell or date the question cannot take
    notes: tuple[str, ...]  # columns left out, and why
    dry_run: bool = False  # True: nothing was kept
    answer_ids: tuple[int, ...] = ()  # the rows written, for taking the import back

    @property
    def problems(self) -> tuple[str, ...]:
        return self.ambiguous + self.unmatched + self.invalid


def import_answers(
    database: Database,
    path: Path,
    *,
    sheet: str | None = None,
    answered_on: dt.date | None = None,
    dry_run: bool = False,
) -> AnswersImport:
    """Record the answers in a form export; one transaction.

    ``answered_on`` dates the responses of a file with no timestamp column (a paper form
    typed up); ``dry_run`` does everything and keeps nothing, to show what would happen.
    Raises ``UserError`` for a file that cannot be read, tells no one apart, or has no
    column headed with a question's text.
    """
    prepared = prepare_import(database, path, sheet=sheet, read_ahead=False)
    prepared.require_identity()
    table = prepared.table
    where = _where(prepared)
    when = _when_column(table)
    if when is None and answered_on is None:
        raise UserError(
            f"{where} has no Timestamp (Google Forms) or Completion time (Microsoft Forms) "
            "column to tell when each response was sent; give the date the answers were "
            "collected."
        )
    with database.session() as session:
        questions, notes = _question_columns(session, prepared, when, where)
        columns = tuple(
            QuestionColumn(_letter(table, i), table.headers[i], q.id) for i, q in questions
        )
        tally = _import_rows(session, prepared, questions, when, answered_on, where)
        if dry_run:
            session.rollback()
    return AnswersImport(
        file=path.name,
        questions=columns,
        rows=len(table.rows),
        people=tally.people,
        recorded=tally.recorded,
        unchanged=tally.unchanged,
        unmatched=tuple(tally.unmatched),
        ambiguous=tuple(tally.ambiguous),
        invalid=tuple(tally.invalid),
        notes=tuple(notes),
        dry_run=dry_run,
        answer_ids=() if dry_run else tuple(tally.answer_ids),
    )


@dataclass
class _Tally:
    people: int = 0
    recorded: int = 0
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    answer_ids: list[int] = field(default_factory=list)


def _import_rows(
    session: Session,
    prepared: PreparedImport,
    questions: list[tuple[int, Question]],
    when: int | None,
    answered_on: dt.date | None,
    where: str,
) -> _Tally:
    table = prepared.table
    index = load_index(session)
    position = {row: k for k, row in enumerate(table.row_numbers)}
    day_first = _day_first(table, when)
    today = dt.date.today()
    tally = _Tally()
    unmatched, ambiguous, invalid = tally.unmatched, tally.ambiguous, tally.invalid

    def answered(cells: list[Cell]) -> bool:
        return any(not is_blank(cells[i]) for i, _ in questions)

    for row, why in prepared.candidates.skipped_rows:
        k = position.get(row)
        if k is not None and answered(table.rows[k]):
            unmatched.append(f"{where}, row {row} {why}, so its answers cannot be given to anyone.")
    for candidate in prepared.candidates.candidates:
        cells = table.rows[position[candidate.row]]
        if not answered(cells):
            continue
        at = f"{where}, row {candidate.row}"
        match = index.match(candidate, index.name_keys(candidate))
        who = _who(candidate)
        if match.person_id is None:
            if match.candidates:
                ambiguous.append(f"{at}: {who}: {match.note}")
            else:
                unmatched.append(
                    f"{at}: {who or 'this response'} matches nobody kept; add "
                    "them as a supporter, then import the file again."
                )
            continue
        tally.people += 1
        day = answered_on
        if when is not None:
            stamp = _stamp(cells[when], table, day_first)
            if isinstance(stamp, str):
                invalid.append(f"{at}, {_column(table, when)}: {stamp}.")
                continue
            day = stamp
        assert day is not None  # import_answers refuses a file with neither
        if day > today:
            invalid.append(f"{at}, {_column(table, when)}: {day:%d %B %Y} is in the future.")
            continue
        for i, question in questions:
            value = cells[i]
            if is_blank(value):
                continue  # a question they left unanswered
            if is_cell_error(value):
                invalid.append(
                    f"{at}, {_column(table, i)}: holds the spreadsheet error "
                    f"{squash(cell_text(value))}, not an answer."
                )
                continue
            checked = check_value(question, _plain(value))
            if isinstance(checked, str):
                invalid.append(f"{at}, {_column(table, i)}: the question {checked}.")
                continue
            done = save_answer(session, match.person_id, question, checked, SOURCE, day)
            if done.written:
                tally.recorded += 1
                tally.answer_ids.append(done.answer_id)
            else:
                tally.unchanged += 1
    return tally


def _question_columns(
    session: Session, prepared: PreparedImport, when: int | None, where: str
) -> tuple[list[tuple[int, Question]], list[str]]:
    """Each column headed with a question's text (exactly, else folded), and remarks on the
    columns left out."""
    table = prepared.table
    bank = list(session.scalars(select(Question).order_by(Question.position, Question.id)))
    exact = {q.text: q for q in bank}
    folded: dict[str, list[Question]] = {}
    for q in bank:
        folded.setdefault(fold(q.text), []).append(q)
    found: list[tuple[int, Question]] = []
    notes: list[str] = []
    for i, header in enumerate(table.headers):
        question = exact.get(header.strip())
        if question is None:
            fits = folded.get(fold(header), [])
            question = fits[0] if len(fits) == 1 else None
        if question is None:
            if i != when and prepared.mapping.field_of(i) is None and not _form_column(header):
                notes.append(f"C{_column(table, i)[1:]} is no question the branch asks; left out.")
            continue
        if not question.active:
            notes.append(
                f"C{_column(table, i)[1:]} is a retired question; bring it back to import its "
                "answers."
            )
            continue
        found.append((i, question))
    if not found:
        asked = "; ".join(f"'{q.text}'" for q in bank if q.active) or "none yet"
        raise UserError(
            f"{where}: no column is headed with the text of one of the branch's questions "
            f"({asked}); add the questions first, worded as on the form."
        )
    return found, notes


def _when_column(table: Table) -> int | None:
    keys = [header_key(h) for h in table.headers]
    for wanted in _WHEN_HEADERS:
        if wanted in keys:
            return keys.index(wanted)
    return None


def _form_column(header: str) -> bool:
    key = header_key(header)
    return key in _FORM_COLUMNS or key in _WHEN_HEADERS


def _day_first(table: Table, when: int | None) -> bool:
    """How the timestamps write a day: a UK Google Sheet day-first, a US one month-first."""
    if when is None:
        return True
    values = [_unzoned(row[when]) for row in table.rows]
    found = detect_day_first(values)
    return True if found is None else found


def _stamp(value: Cell, table: Table, day_first: bool) -> dt.date | str:
    if is_blank(value):
        return "no time the response was sent"
    parsed = parse_date(_unzoned(value), date1904=table.date1904, day_first=day_first)
    if parsed.value is None:
        return f"'{squash(cell_text(value))}' {parsed.problem or 'is not a date'}"
    return parsed.value


def _unzoned(value: Cell) -> Cell:
    return _ZONE.sub("", value) if isinstance(value, str) else value


def _plain(value: Cell) -> str | int | float:
    """A cell as an answer: numbers stay numbers (a scale), everything else is its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return squash(cell_text(value))


def _who(candidate: Candidate) -> str:
    name = " ".join(p for p in (candidate.first_name, candidate.last_name) if p)
    emails = ", ".join(candidate.emails)
    if name and emails:
        return f"{name} ({emails})"
    return name or emails


def _letter(table: Table, i: int) -> str:
    return column_letter(table.columns[i])


def _column(table: Table, i: int | None) -> str:
    if i is None:
        return "the date given"
    return f"column {_letter(table, i)} ('{table.headers[i]}')"


def _where(prepared: PreparedImport) -> str:
    where = prepared.path.name
    if prepared.table.sheet != where:
        where += f", sheet '{prepared.table.sheet}'"
    return where
