"""The views summary's figures against answers whose counts are known: only current answers
count, free text is gathered newest first and without names."""

from __future__ import annotations

import datetime as dt

from db.database import Database
from db.people import NewPerson, add_person
from db.question_bank import add_question, retire_question
from db.views import record_answer
from db.views_figures import views_figures

DAY = dt.date(2026, 3, 1)
LATER = dt.date(2026, 5, 1)
WEEK = "Support for a four-day week?"
ISSUES = "Top local issues"
SCORE = "How satisfied are you with the council?"
NEXT = "What should the branch campaign on next?"


def seed_views(database: Database) -> dict[str, int]:
    """Four people, one of each kind of question; the comments give the current answers."""
    with database.session() as session:
        p = {
            "Łukasz": add_person(session, NewPerson("Łukasz", "Wójcik", status="member")),
            "Huong": add_person(session, NewPerson("Nguyễn Thị", "Hương", status="member")),
            "Ann": add_person(session, NewPerson("Ann", "Able", status="supporter")),
            "Ben": add_person(session, NewPerson("Ben", "Bloggs", status="member")),
        }
        week = add_question(session, WEEK, "single choice", ["Support", "Oppose", "Not sure"]).id
        issues = add_question(
            session, ISSUES, "multiple choice", ["Housing", "Transport", "NHS"], 3
        ).id
        score = add_question(session, SCORE, "1–5 scale").id
        text = add_question(session, NEXT, "free text").id
        retired = add_question(session, "An old question", "free text").id
        retire_question(session, retired)

        def say(who: str, question: int, value: object, day: dt.date = DAY) -> None:
            record_answer(session, p[who], question, value, source="doorstep", answered_on=day)

        # Week: Support 2 (Łukasz, and Huong who changed her mind), Oppose 1 (Ann).
        say("Łukasz", week, "Support")
        say("Huong", week, "Oppose")
        say("Huong", week, "Support", LATER)
        say("Ann", week, "Oppose")
        # Issues: Housing 3 (first for two), NHS 2 (first for one), Transport 0.
        say("Łukasz", issues, ["Housing", "NHS"])
        say("Huong", issues, ["NHS", "Housing"])
        say("Ann", issues, ["Housing"])
        # Score: 2, 4, 4; mean 10/3.
        say("Łukasz", score, 2)
        say("Huong", score, 4)
        say("Ben", score, 4)
        # Free text: two say the same in different case; Ben's earlier answer is replaced.
        say("Łukasz", text, "Bus routes")
        say("Ann", text, "bus  routes", LATER)
        say("Ben", text, "Libraries")
        say("Ben", text, "Housing repairs", LATER)
        return p


def test_the_known_answers(database: Database) -> None:
    seed_views(database)
    with database.session() as session:
        f = views_figures(session, today=LATER)
    assert (f.people, f.respondents) == (4, 4)
    by_text = {q.question.text: q for q in f.questions}
    assert list(by_text) == [WEEK, ISSUES, SCORE, NEXT, "An old question"]
    week = by_text[WEEK]
    assert week.respondents == 3
    assert [(o.label, o.count) for o in week.summary.options] == [
        ("Support", 2),
        ("Oppose", 1),
        ("Not sure", 0),
    ]
    issues = by_text[ISSUES].summary
    assert [(o.label, o.count, o.first_choice) for o in issues.options] == [
        ("Housing", 3, 2),
        ("Transport", 0, 0),
        ("NHS", 2, 1),
    ]
    score = by_text[SCORE].summary
    assert score.scale == ((1, 0), (2, 1), (3, 0), (4, 2), (5, 0))
    assert score.mean == 10 / 3
    assert [text for _day, text in by_text[NEXT].texts] == [
        "Housing repairs",
        "bus  routes",
        "Bus routes",
    ]
    assert by_text["An old question"].respondents == 0
    assert not by_text["An old question"].question.active
