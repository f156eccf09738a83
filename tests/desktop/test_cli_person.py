"""``branchbook person verify``, ``contact`` and ``history`` on a real file."""

from __future__ import annotations

import json

import pytest

from db.database import Database, open_database
from db.people import NewPerson, add_person
from db.verification import contact_preferences, last_verified
from desktop.cli import main


@pytest.fixture
def db(database: Database) -> str:
    with database.session() as session:
        add_person(session, NewPerson("Ann", "Jones", "member", membership_number="0805914"))
    path = str(database.path)
    database.close()
    return path


def test_verify_by_membership_number_records_source_and_date(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--db", db, "person", "verify", "0805914", "--what", "address"]
    assert main([*argv, "--how", "in person", "--date", "2026-11-20"]) == 0
    assert capsys.readouterr().out.strip().endswith("verified on 2026-11-20: In person.")
    assert main([*argv, "--how", "asked at the stall", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["source"], document["note"], document["detail"]) == (
        "other",
        "asked at the stall",
        "address",
    )
    database = open_database(db, actor="check")
    with database.session() as session:
        latest = last_verified(session, document["person_id"])["address"]
    database.close()
    assert latest.note == "asked at the stall"


def test_contact_preferences_and_the_trail(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--db", db, "person", "contact", "ann jones", "--channel", "sms", "--allowed", "no"])
        == 0
    )
    assert capsys.readouterr().out.strip() == "Person 1 may not be contacted by sms."
    database = open_database(db, actor="check")
    with database.session() as session:
        assert {c: p.allowed for c, p in contact_preferences(session, 1).items()} == {"sms": False}
    database.close()
    assert main(["--db", db, "person", "history", "0805914", "--json"]) == 0
    trail = json.loads(capsys.readouterr().out)["history"]
    newest = [line for line in trail if line["at"] == trail[0]["at"]]
    assert {(line["what"], line["old"], line["new"]) for line in newest} >= {
        ("contact preference channel", None, "sms"),
        ("contact preference allowed", None, False),
    }


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["verify", "Nobody", "--what", "email", "--how", "x"], "Nobody is called or numbered"),
        (["verify", "0805914", "--what", "email", "--how", "  "], "Say how the details were"),
    ],
)
def test_mistakes_are_one_sentence_and_exit_1(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], sentence: str
) -> None:
    assert main(["--db", db, "person", *args]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"branchbook: {sentence}") and "Traceback" not in captured.err


def test_show_prints_everything_held_about_the_person(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    from db.activities import log_activity
    from db.organisations import add_organisation, affiliate
    from db.question_bank import add_question
    from db.tags import tag_people
    from db.verification import mark_verified, set_contact_preference
    from db.views import record_answer

    day = dt.date(2026, 11, 20)
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", "member", membership_number="0805914"))
        tag_people(session, "Welsh speaker", [ann])
        affiliate(session, ann, add_organisation(session, "Unison", "trade_union"), "Steward")
        question = add_question(session, "Support for a four-day week", "scale")
        record_answer(session, ann, question.id, 5, source="doorstep", answered_on=day)
        log_activity(session, "canvassing", day, 2.5, [ann], today=day)
        mark_verified(session, ann, "address", "in person", on=day)
        set_contact_preference(session, ann, "post", False, how="Asked at the door")
    path = str(database.path)
    database.close()
    assert main(["--db", path, "person", "show", "0805914"]) == 0
    text = capsys.readouterr().out
    for line in (
        "Ann Jones (Member), id 1",
        "Contact by post: no (Asked at the door)",
        "Address verified 2026-11-20: In person",
        "Tags: Welsh speaker",
        "Unison, Steward",
        "Support for a four-day week: 5 (2026-11-20)",
        "2026-11-20 Canvassing, 2.50 h",
    ):
        assert line in text.splitlines(), (line, text)
    assert main(["--db", path, "person", "show", "0805914", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["detail"]["membership_number"] == "0805914"
    assert document["tags"] == ["Welsh speaker"]
    assert document["affiliations"][0]["organisation"] == "Unison"
    assert document["answers"][0]["current"]["scale_value"] == 5
    assert document["activities"][0]["kind"] == "canvassing"
    assert document["verified"]["address"]["source"] == "in_person"
    assert document["preferences"]["post"]["allowed"] is False
    assert document["engagement"]["level"] in ("active", "occasional")
    assert {"what": "tag", "old": None, "new": "Welsh speaker"}.items() <= next(
        line for line in document["history"] if line["what"] == "tag"
    ).items()
