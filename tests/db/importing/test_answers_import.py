"""Answers from Google Forms and Microsoft Forms exports, on a real database file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import UserError
from db.importing.answers import import_answers
from db.models import Answer, AnswerChoice, AuditEntry
from db.views import add_question, answer_summary, person_answers, retire_question
from tests.db.importing.people import add, write_csv

ISSUES = "Top three local issues"
FOUR_DAY = "Support for a four-day week"
NEXT = "What should the branch campaign on next?"

# Google Forms, as Sheets downloads its responses: one sheet, a Timestamp, the email it
# collected, then the questions as headed on the form.
GOOGLE_HEADER = ["Timestamp", "Email address", "Your name", ISSUES, FOUR_DAY, NEXT]
# Microsoft Forms' "Open in Excel": its bookkeeping columns first, choices joined by ";".
MICROSOFT_HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    ISSUES,
    FOUR_DAY,
    NEXT,
]


def write_xlsx(
    path: Path, sheet: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def branch(database: Database) -> dict[str, int]:
    """Three people and the questions a branch asked on its autumn form."""
    with database.session() as session:
        ids = {
            "ann": add(session, "Ann", "Jones", number="0805914", email="ann@example.org"),
            "siân": add(session, "Siân", "Llŷr", email="sian.llyr@example.org"),
            "bob": add(session, "Bob", "Hale", email="bob.hale@example.org"),
        }
        ids["issues"] = add_question(
            session,
            ISSUES,
            "multiple choice",
            ["Housing, rent and repairs", "Transport", "NHS", "Schools", "Cost of living"],
            max_choices=3,
        ).id
        ids["four_day"] = add_question(session, FOUR_DAY + "?", "scale").id
        ids["next"] = add_question(session, NEXT, "free text").id
    return ids


def google_rows() -> list[list[Any]]:
    return [
        [
            dt.datetime(2026, 10, 14, 9, 41, 22),
            "ann@example.org",
            "Ann Jones",
            "Housing, rent and repairs, NHS, Transport",
            4,
            "Bus services in the evenings",
        ],
        [
            dt.datetime(2026, 10, 15, 20, 3, 1),
            "SIAN.LLYR@example.org",
            "Siân Llŷr",
            "Cost of living",
            5,
            "",
        ],
        [dt.datetime(2026, 10, 16, 7, 0, 0), "stranger@example.org", "Nia Evans", "NHS", 3, ""],
    ]


def count(database: Database, model: Any) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_google_forms_xlsx(database: Database, branch: dict[str, int], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "Autumn survey.xlsx", "Form responses 1", GOOGLE_HEADER, google_rows()
    )
    result = import_answers(database, path)

    assert [c.header for c in result.questions] == [ISSUES, FOUR_DAY, NEXT]
    assert [c.column for c in result.questions] == ["D", "E", "F"]
    assert (result.rows, result.people, result.recorded, result.unchanged) == (3, 2, 5, 0)
    assert result.invalid == () and result.ambiguous == ()
    assert len(result.unmatched) == 1
    assert "row 4" in result.unmatched[0] and "stranger@example.org" in result.unmatched[0]

    with database.session() as session:
        ann = {a.question: a.current for a in person_answers(session, branch["ann"])}
        summary = answer_summary(session, branch["issues"])
    assert ann[ISSUES].choices == ("Housing, rent and repairs", "NHS", "Transport")
    assert ann[ISSUES].answered_on == dt.date(2026, 10, 14)
    assert ann[ISSUES].source == "online_form"
    assert ann[FOUR_DAY + "?"].scale_value == 4
    assert ann[NEXT].text_value == "Bus services in the evenings"
    counts = {o.label: (o.count, o.first_choice) for o in summary.options}
    assert counts["Housing, rent and repairs"] == (1, 1)
    assert counts["Cost of living"] == (1, 1)
    assert counts["Transport"] == (1, 0)
    assert summary.respondents == 2

    # The same export again writes nothing: every answer is already recorded that day.
    audit = count(database, AuditEntry)
    again = import_answers(database, path)
    assert (again.recorded, again.unchanged) == (0, 5)
    assert count(database, Answer) == 5
    assert count(database, AuditEntry) == audit


def test_google_forms_csv_download(
    database: Database, branch: dict[str, int], tmp_path: Path
) -> None:
    """Forms' own csv download writes timestamps with a zone: "2026/10/14 9:41:22 am GMT+1"."""
    path = write_csv(
        tmp_path / "Autumn survey (Responses).csv",
        GOOGLE_HEADER,
        [
            {
                "Timestamp": "2026/10/14 9:41:22 am GMT+1",
                "Email address": "bob.hale@example.org",
                ISSUES: "Schools, Transport",
                FOUR_DAY: "2",
            },
            {
                "Timestamp": "2026/10/20 6:12:09 pm GMT+1",
                "Email address": "bob.hale@example.org",
                ISSUES: "Schools, Housing, rent and repairs",
                FOUR_DAY: "2",
            },
        ],
    )
    result = import_answers(database, path)
    assert result.invalid == () and result.unmatched == ()
    assert result.recorded == 4
    with database.session() as session:
        bob = {a.question_id: a for a in person_answers(session, branch["bob"])}
    issues = bob[branch["issues"]]
    assert issues.current.choices == ("Schools", "Housing, rent and repairs")
    assert issues.current.answered_on == dt.date(2026, 10, 20)
    assert [h.choices for h in issues.history] == [("Schools", "Transport")]
    # The same scale value a week later is a confirmation: kept, dated, not a change.
    assert [h.scale_value for h in bob[branch["four_day"]].history] == [2]


def test_microsoft_forms_xlsx(database: Database, branch: dict[str, int], tmp_path: Path) -> None:
    sent = dt.datetime(2026, 11, 2, 18, 30, 5)
    path = write_xlsx(
        tmp_path / "Branch survey(1-3).xlsx",
        "Sheet1",
        MICROSOFT_HEADER,
        [
            [1, sent, sent, "ann@example.org", "Ann Jones", None, "NHS;Schools;", 5, None],
            [2, sent, sent, "anonymous", "Anonymous", None, "Transport;", 1, "More socials"],
            [3, sent, sent, "sian.llyr@example.org", "Siân Llŷr", None, "Transport;", 3, None],
        ],
    )
    result = import_answers(database, path)
    assert (result.people, result.recorded) == (2, 4)
    assert len(result.unmatched) == 1 and "row 3" in result.unmatched[0]
    assert result.notes == ()  # ID, times, Email and Name are the form's own, not questions
    with database.session() as session:
        ann = {a.question_id: a.current for a in person_answers(session, branch["ann"])}
    assert ann[branch["issues"]].choices == ("NHS", "Schools")
    assert ann[branch["issues"]].answered_on == dt.date(2026, 11, 2)
    assert ann[branch["four_day"]].scale_value == 5


def test_invalid_values_are_listed_with_row_and_column(
    database: Database, branch: dict[str, int], tmp_path: Path
) -> None:
    sent = dt.datetime(2026, 11, 2, 18, 30, 5)
    path = write_xlsx(
        tmp_path / "survey.xlsx",
        "Sheet1",
        MICROSOFT_HEADER,
        [
            [1, sent, sent, "ann@example.org", "Ann Jones", None, "NHS;Parking;", 7, None],
            [
                2,
                sent,
                sent,
                "bob.hale@example.org",
                "",
                None,
                "NHS;Schools;Transport;Cost of living;",
                3,
                None,
            ],
            [3, sent, "yesterday", "sian.llyr@example.org", "", None, "NHS;", 3, None],
        ],
    )
    result = import_answers(database, path)
    assert result.recorded == 1  # Bob's scale; everything else is refused
    invalid = "\n".join(result.invalid)
    assert "survey.xlsx, sheet 'Sheet1', row 2, column G ('Top three local issues')" in invalid
    assert "has no option 'Parking'" in invalid
    assert "row 2, column H ('Support for a four-day week'): the question is a 1–5 scale" in invalid
    assert "row 3, column G" in invalid and "takes at most 3 choices; 4 were given" in invalid
    assert "row 4, column C ('Completion time'): 'yesterday'" in invalid
    assert len(result.invalid) == 4


def test_file_problems_change_nothing(
    database: Database, branch: dict[str, int], tmp_path: Path
) -> None:
    no_questions = write_xlsx(
        tmp_path / "other form.xlsx",
        "Form responses 1",
        ["Timestamp", "Email address", "Favourite colour"],
        [[dt.datetime(2026, 10, 1, 9, 0), "ann@example.org", "Red"]],
    )
    with pytest.raises(UserError, match="no column is headed with the text of one of the branch"):
        import_answers(database, no_questions)

    undated = write_csv(
        tmp_path / "typed up.csv",
        ["Email", ISSUES],
        [{"Email": "ann@example.org", ISSUES: "NHS"}],
    )
    with pytest.raises(UserError, match="has no Timestamp .* column"):
        import_answers(database, undated)
    assert count(database, Answer) == 0
    # A paper form typed up: the secretary says when the answers were collected.
    result = import_answers(database, undated, answered_on=dt.date(2026, 9, 12))
    assert result.recorded == 1


def test_an_error_part_way_leaves_nothing_written(
    database: Database, branch: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "survey.xlsx", "Form responses 1", GOOGLE_HEADER, google_rows())
    import db.importing.answers as answers

    real = answers.save_answer
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(answers, "save_answer", failing)
    with pytest.raises(RuntimeError):
        import_answers(database, path)
    assert count(database, Answer) == 0
    assert count(database, AnswerChoice) == 0


def test_dry_run_keeps_nothing_and_columns_left_out_are_noted(
    database: Database, branch: dict[str, int], tmp_path: Path
) -> None:
    with database.session() as session:
        retire_question(session, branch["next"])
    header = [*GOOGLE_HEADER, "Any other comments on the council"]
    rows = [[*row, "None"] for row in google_rows()]
    path = write_xlsx(tmp_path / "survey.xlsx", "Form responses 1", header, rows)
    result = import_answers(database, path, dry_run=True)
    assert result.dry_run and result.recorded == 4
    assert count(database, Answer) == 0
    assert result.notes == (
        f"Column F ('{NEXT}') is a retired question; bring it back to import its answers.",
        "Column G ('Any other comments on the council') is no question the branch asks; left out.",
    )
