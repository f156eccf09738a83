"""The branch's questions and people's answers, on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import Conflict, NotFound, UserError
from db.models import Answer, AnswerChoice, AuditEntry, Question, QuestionOption
from db.people import NewPerson, add_person
from db.views import (
    InvalidAnswer,
    Value,
    add_question,
    answer_summary,
    delete_answer,
    delete_question,
    edit_question,
    find_question,
    list_questions,
    person_answers,
    question_state,
    record_answer,
    reorder_questions,
    restore_answer,
    restore_question,
    retire_question,
    split_choices,
)
from tests.helpers.table_contents import contents

ISSUES = "Top three local issues"
ISSUE_OPTIONS = ["Housing", "Transport", "NHS", "Schools", "Cost of living"]
DAY = dt.date(2026, 10, 14)


@pytest.fixture
def bank(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {
            "ann": add_person(session, NewPerson("Ann", "Jones", status="member")),
            "bob": add_person(session, NewPerson("Bob", "Hale", status="supporter")),
            "issues": add_question(session, ISSUES, "multiple choice", ISSUE_OPTIONS, 3).id,
            "week": add_question(session, "Support for a four-day week", "1–5 scale").id,
            "stance": add_question(
                session,
                "Should the council build on the green belt?",
                "single choice",
                ["Yes", "No", "Not sure"],
            ).id,
            "next": add_question(session, "What should we campaign on next?", "free text").id,
        }


def rows(database: Database, model: Any) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def record(database: Database, person: int, question: int, value: Value, day: dt.date = DAY) -> Any:
    with database.session() as session:
        return record_answer(session, person, question, value, source="doorstep", answered_on=day)


def test_the_question_bank(database: Database, bank: dict[str, int]) -> None:
    with database.session() as session:
        questions = list_questions(session)
    assert [q.text for q in questions] == [
        ISSUES,
        "Support for a four-day week",
        "Should the council build on the green belt?",
        "What should we campaign on next?",
    ]
    assert [q.kind for q in questions] == ["multiple_choice", "scale", "single_choice", "free_text"]
    assert questions[0].options == tuple(ISSUE_OPTIONS)
    assert questions[0].max_choices == 3
    assert [q.position for q in questions] == [0, 1, 2, 3]

    with database.session() as session:
        moved = reorder_questions(session, [bank["next"], bank["issues"]])
        retire_question(session, bank["week"])
    assert set(moved) == {bank["next"], bank["issues"]}
    with database.session() as session:
        order = [q.id for q in list_questions(session)]
        active = [q.id for q in list_questions(session, include_retired=False)]
    # The two swapped places; the others kept theirs.
    assert order == [bank["next"], bank["week"], bank["stance"], bank["issues"]]
    assert active == [bank["next"], bank["stance"], bank["issues"]]

    with database.session() as session:
        assert find_question(session, str(bank["stance"])).id == bank["stance"]
        assert find_question(session, ISSUES).id == bank["issues"]
        assert find_question(session, "top THREE local issues!").id == bank["issues"]
        with pytest.raises(NotFound, match="no question with the id or text 'Parking'"):
            find_question(session, "Parking")


@pytest.mark.parametrize(
    ("text", "kind", "options", "most", "message"),
    [
        ("  ", "scale", [], None, "needs some words"),
        ("Top three LOCAL issues", "free text", [], None, "asks that already"),
        ("Favourite colour", "poll", [], None, "'poll' is not a kind of question"),
        ("Favourite colour", "single choice", ["Red"], None, "needs two options or more"),
        ("Favourite colour", "single choice", ["Red", "red "], None, "given twice"),
        ("Favourite colour", "scale", ["Red", "Blue"], None, "has no options"),
        ("Favourite colour", "multiple", ["Red", "Blue"], 3, "from 1 to 2 choices, not 3"),
        ("Favourite colour", "scale", [], 2, "Only a multiple choice question"),
        ("Favourite colour", "multiple", ["Red;Blue", "Green"], None, "cannot hold a semicolon"),
    ],
)
def test_a_question_that_cannot_be_asked_is_refused(
    database: Database,
    bank: dict[str, int],
    text: str,
    kind: str,
    options: list[str],
    most: int | None,
    message: str,
) -> None:
    before = rows(database, Question), rows(database, QuestionOption)
    with pytest.raises(UserError, match=message), database.session() as session:
        add_question(session, text, kind, options, most)
    assert (rows(database, Question), rows(database, QuestionOption)) == before


def test_editing_keeps_the_answers(database: Database, bank: dict[str, int]) -> None:
    record(database, bank["ann"], bank["issues"], ["NHS", "Housing"])
    with database.session() as session:
        edited = edit_question(
            session,
            bank["issues"],
            text="Top local issues",
            options=["NHS", "housing", "Jobs", "Transport", "Schools", "Cost of living"],
            max_choices=2,
        )
    assert edited.changed == ("text", "options", "max_choices")
    with database.session() as session:
        question = find_question(session, bank["issues"])
        ann = person_answers(session, bank["ann"])
    assert question.options == ("NHS", "housing", "Jobs", "Transport", "Schools", "Cost of living")
    assert ann[0].current.choices == ("NHS", "housing")  # the same options, one renamed

    # An option someone chose cannot go: their answer would lose it.
    with (
        pytest.raises(Conflict, match="'NHS' .* is part of 1 answer"),
        database.session() as session,
    ):
        edit_question(session, bank["issues"], options=["Jobs", "Transport", "Housing"])
    with database.session() as session:
        assert edit_question(session, bank["issues"], text="Top local issues").changed == ()
        removed = edit_question(
            session, bank["issues"], options=["NHS", "Housing", "Transport"], max_choices=None
        )
    assert removed.changed == ("options", "max_choices")


def test_answers_history_and_repeats(database: Database, bank: dict[str, int]) -> None:
    ann, issues = bank["ann"], bank["issues"]
    assert record(database, ann, issues, "Housing, NHS", DAY).outcome == "new"
    audit = rows(database, AuditEntry)
    again = record(database, ann, issues, ["housing", "nhs"], DAY)
    assert (again.outcome, again.written) == ("unchanged", False)
    assert rows(database, Answer) == 1 and rows(database, AuditEntry) == audit

    later = DAY + dt.timedelta(days=30)
    assert record(database, ann, issues, ["NHS", "Transport"], later).outcome == "changed"
    assert record(database, ann, issues, "NHS, Transport", later + dt.timedelta(1)).outcome == (
        "confirmed"
    )
    assert record(database, ann, issues, "Schools", DAY - dt.timedelta(days=90)).outcome == (
        "earlier"
    )
    with database.session() as session:
        (answer,) = person_answers(session, ann)
    assert answer.current.choices == ("NHS", "Transport")
    assert answer.current.answered_on == later + dt.timedelta(1)
    assert [h.choices for h in answer.history] == [
        ("NHS", "Transport"),
        ("Housing", "NHS"),
        ("Schools",),
    ]
    assert answer.current.source_label == "Doorstep"
    assert rows(database, Answer) == 4


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("issues", "Parking", "'Top three local issues' has no option 'Parking'; its options"),
        ("issues", "Housing, NHS, Schools, Transport", "takes at most 3 choices; 4 were given"),
        ("issues", ["NHS", "nhs"], "was given 'NHS' twice"),
        ("issues", "", "needs an answer"),
        ("week", 7, "'Support for a four-day week' is a 1–5 scale; 7 is outside it"),
        ("week", "0", "0 is outside it"),
        ("week", "3.5", "'3.5' is not a whole number from 1 to 5"),
        ("week", "strongly agree", "is not a whole number from 1 to 5"),
        ("stance", "Yes, No", "takes one choice; 2 were given"),
        ("stance", "Maybe", "has no option 'Maybe'"),
        ("next", ["Buses", "Parks"], "takes one text; 2 were given"),
    ],
)
def test_a_value_the_question_cannot_take_changes_nothing(
    database: Database, bank: dict[str, int], question: str, value: Value, message: str
) -> None:
    record(database, bank["ann"], bank["issues"], "NHS")
    before = rows(database, Answer), rows(database, AnswerChoice), rows(database, AuditEntry)
    with pytest.raises(InvalidAnswer, match=message):
        record(database, bank["ann"], bank[question], value)
    assert (rows(database, Answer), rows(database, AnswerChoice), rows(database, AuditEntry)) == (
        before
    )


def test_other_refusals(database: Database, bank: dict[str, int]) -> None:
    with pytest.raises(NotFound, match="no person 999"):
        record(database, 999, bank["issues"], "NHS")
    with pytest.raises(NotFound, match="no question 999"):
        record(database, bank["ann"], 999, "NHS")
    with pytest.raises(InvalidAnswer, match="in the future"):
        record(database, bank["ann"], bank["week"], 3, dt.date.today() + dt.timedelta(days=1))
    with (
        pytest.raises(InvalidAnswer, match="'carrier pigeon' is not where an answer can come"),
        database.session() as session,
    ):
        record_answer(
            session, bank["ann"], bank["week"], 3, source="carrier pigeon", answered_on=DAY
        )
    with database.session() as session:
        retire_question(session, bank["week"])
    with pytest.raises(Conflict, match="is retired"):
        record(database, bank["ann"], bank["week"], 3)
    assert rows(database, Answer) == 0
    with database.session() as session:
        retire_question(session, bank["week"], retired=False)
        done = record_answer(
            session, bank["ann"], bank["week"], "3", source="Paper form", answered_on=DAY
        )
    assert done.outcome == "new"


def test_summary_counts_current_answers_only(database: Database, bank: dict[str, int]) -> None:
    with database.session() as session:
        people = [add_person(session, NewPerson(f"P{i}", "Smith")) for i in range(4)]
    record(database, people[0], bank["issues"], ["Housing", "NHS"])
    record(database, people[1], bank["issues"], ["NHS", "Housing", "Schools"])
    record(database, people[2], bank["issues"], ["Transport"], DAY - dt.timedelta(days=60))
    record(database, people[2], bank["issues"], ["NHS"])  # changed: Transport is history
    for person, value in zip(people, [5, 4, 4, 1], strict=True):
        record(database, person, bank["week"], value, DAY - dt.timedelta(days=10))
    record(database, people[3], bank["week"], 2)  # moved from 1 to 2
    record(database, people[0], bank["stance"], "No")
    record(database, people[1], bank["next"], "Buses")

    with database.session() as session:
        issues = answer_summary(session, bank["issues"])
        week = answer_summary(session, bank["week"])
        stance = answer_summary(session, bank["stance"])
        words = answer_summary(session, bank["next"])
    assert issues.respondents == 3
    assert [(o.label, o.count, o.first_choice) for o in issues.options] == [
        ("Housing", 2, 1),
        ("Transport", 0, 0),
        ("NHS", 3, 2),
        ("Schools", 1, 0),
        ("Cost of living", 0, 0),
    ]
    assert week.respondents == 4
    assert week.scale == ((1, 0), (2, 1), (3, 0), (4, 2), (5, 1))
    assert week.mean == pytest.approx(15 / 4)
    assert [(o.label, o.count, o.first_choice) for o in stance.options] == [
        ("Yes", 0, 0),
        ("No", 1, 1),
        ("Not sure", 0, 0),
    ]
    assert words.respondents == 1 and words.options == () and words.scale == ()


def test_commas_inside_options() -> None:
    labels = ["Housing, rent and repairs", "Transport", "NHS"]
    assert split_choices("NHS, Housing, rent and repairs, Transport", labels) == [
        "NHS",
        "Housing, rent and repairs",
        "Transport",
    ]
    assert split_choices("Housing;NHS;", labels) == ["Housing", "NHS"]
    assert split_choices("housing, rent and repairs", labels) == ["housing, rent and repairs"]
    assert split_choices("Parking, NHS", labels) == ["Parking", "NHS"]


def test_summary_and_bank_on_the_demo_branch(demo_database: Database) -> None:
    """The demo's answers, read as reports read them: the numbers add up."""
    with demo_database.session() as session:
        questions = list_questions(session)
        issues = find_question(session, "Top three local issues")
        summary = answer_summary(session, issues.id)
        current = session.scalar(
            select(func.count(func.distinct(Answer.person_id))).where(
                Answer.question_id == issues.id
            )
        )
    assert len(questions) == 4 and all(q.respondents > 0 for q in questions)
    assert summary.respondents == current == issues.respondents
    assert sum(o.first_choice for o in summary.options) == summary.respondents
    assert all(o.count >= o.first_choice for o in summary.options)


# --- the reverse of each change, for undo -----------------------------------------------


def test_an_unanswered_question_is_deleted_and_put_back_exactly(
    database: Database, bank: dict[str, int]
) -> None:
    before = contents(database)
    with database.session() as session:
        gone = delete_question(session, bank["stance"])
    assert gone.text == "Should the council build on the green belt?"
    assert [o.label for o in gone.options] == ["Yes", "No", "Not sure"]
    assert rows(database, QuestionOption) == len(ISSUE_OPTIONS)
    with database.session() as session:
        restore_question(session, gone)
    assert contents(database) == before


def test_a_question_with_answers_is_not_deleted(database: Database, bank: dict[str, int]) -> None:
    record(database, bank["ann"], bank["week"], 4)
    before = contents(database)
    with database.session() as session, pytest.raises(Conflict) as refused:
        delete_question(session, bank["week"])
    assert str(refused.value) == (
        "'Support for a four-day week' has answers from 1 person, so it cannot be deleted; "
        "retire it instead."
    )
    assert contents(database) == before


def test_an_edit_is_reversed_from_the_state_before_it(
    database: Database, bank: dict[str, int]
) -> None:
    record(database, bank["ann"], bank["issues"], ["NHS", "Housing"])
    with database.session() as session:
        was = question_state(session, bank["issues"])
    before = contents(database)
    with database.session() as session:
        edit_question(
            session,
            bank["issues"],
            text="Top local issues",
            options=["NHS", "housing", "Jobs", "Transport"],
            max_choices=2,
        )
        retire_question(session, bank["issues"])
    with database.session() as session:
        view = restore_question(session, was)
    assert view.options == tuple(ISSUE_OPTIONS) and view.max_choices == 3 and view.active
    assert contents(database) == before


def test_restoring_does_not_remove_an_option_chosen_since(
    database: Database, bank: dict[str, int]
) -> None:
    with database.session() as session:
        was = question_state(session, bank["stance"])
        edit_question(session, bank["stance"], options=["Yes", "No", "Not sure", "Only brownfield"])
    record(database, bank["bob"], bank["stance"], "Only brownfield")
    before = contents(database)
    with database.session() as session, pytest.raises(Conflict, match="'Only brownfield'"):
        restore_question(session, was)
    assert contents(database) == before


def test_one_answer_is_deleted_and_put_back_exactly(
    database: Database, bank: dict[str, int]
) -> None:
    record(database, bank["ann"], bank["issues"], ["NHS", "Housing"], DAY - dt.timedelta(days=9))
    before = contents(database)
    done = record(database, bank["ann"], bank["issues"], ["Schools", "NHS", "Transport"])
    after = contents(database)
    with database.session() as session:
        gone = delete_answer(session, done.answer_id)
    assert gone.choices == ((2, 3), (3, 2), (4, 1))  # (option id, rank): Schools, NHS, Transport
    assert contents(database) == before
    with database.session() as session:
        assert person_answers(session, bank["ann"])[0].current.value == "NHS; Housing"
        assert restore_answer(session, gone) == done.answer_id
    assert contents(database) == after
    with database.session() as session, pytest.raises(Conflict):
        restore_answer(session, gone)
    with database.session() as session:
        delete_answer(session, done.answer_id)
    with database.session() as session, pytest.raises(NotFound):
        delete_answer(session, done.answer_id)
