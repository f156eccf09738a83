"""``branchbook activity``, ``tag``, ``org``, ``affiliate``, ``unions`` and ``engagement``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db.activities import person_activities
from db.database import Database, open_database
from db.people import NewPerson, add_person
from db.tags import person_tags
from desktop.cli import main
from tests.helpers.checks import dump_tables

LAST_SATURDAY = dt.date.today() - dt.timedelta(days=(dt.date.today().weekday() - 5) % 7 or 7)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def fail(capsys: pytest.CaptureFixture[str], code: int, *args: str) -> str:
    """Run a command that must fail with ``code``; what it said on stderr."""
    if code == 2:  # mistyped: argparse exits
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        assert exited.value.code == 2
    else:
        assert main(list(args)) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.fixture
def db(database: Database) -> tuple[str, dict[str, int]]:
    with database.session() as session:
        who = {
            "ann": add_person(
                session, NewPerson("Ann", "Jones", status="member", membership_number="0805914")
            ),
            "bob": add_person(session, NewPerson("Bob", "Hale", status="member")),
            "ann1": add_person(session, NewPerson("Ann", "Hale", status="member")),
            "ann2": add_person(session, NewPerson("Ann", "Hale", status="supporter")),
        }
    path = str(database.path)
    database.close()
    return path, who


def test_activity_add_for_several_people(
    db: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, who = db
    day = LAST_SATURDAY.isoformat()
    out = run(
        capsys, "--db", path, "activity", "add", "--kind", "Phone banking", "--date", day,
        "--hours", "2.5", "0805914", "bob hale", str(who["ann1"]), "--notes", "Target seats",
    )  # fmt: skip
    assert out == f"Phone banking on {day} recorded for 3 people, 2.5 hours each.\n"
    document = json.loads(
        run(
            capsys,
            "--db",
            path,
            "activity",
            "add",
            "--kind",
            "leafleting",
            "--date",
            day,
            "--hours",
            "1",
            "bob hale",
            "--json",
        )  # fmt: skip
    )
    assert document["kind"] == "leafleting" and document["people"] == [who["bob"]]
    assert len(document["ids"]) == 1
    database = open_database(Path(path))
    try:
        with database.session() as session:
            rows = person_activities(session, who["bob"])
    finally:
        database.close()
    assert [(r.kind, str(r.hours)) for r in rows] == [
        ("leafleting", "1.00"),
        ("phone_banking", "2.50"),
    ]

    listed = run(capsys, "--db", path, "activity", "list", "bob hale")
    assert "Phone banking" in listed and "Leafleting" in listed
    totals = json.loads(run(capsys, "--db", path, "activity", "totals", "--json"))
    phone = next(t for t in totals["totals"] if t["kind"] == "phone_banking")
    assert (phone["sessions"], phone["hours"], phone["people"]) == (3, "7.50", 3)
    assert "Activity" in run(capsys, "--db", path, "activity", "delete", str(document["ids"][0]))


def test_activity_add_records_nothing_unless_everyone_is_found(
    db: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = db
    database = open_database(Path(path))
    before = dump_tables(database)
    database.close()
    day = LAST_SATURDAY.isoformat()
    base = ["--db", path, "activity", "add", "--kind", "canvassing", "--date", day]

    err = fail(capsys, 1, *base, "--hours", "2", "bob hale", "Zed Nobody")
    assert err == "branchbook: Nobody is called or numbered 'Zed Nobody'; nothing was recorded.\n"
    err = fail(capsys, 1, *base, "--hours", "2", "bob hale", "Ann Hale")
    lines = err.splitlines()
    assert lines[0] == (
        "branchbook: 'Ann Hale' matches 2 people; name one by id; nothing was recorded."
    )
    assert len(lines) == 3  # the two candidates
    err = fail(capsys, 1, *base, "--hours", "30", "bob hale")
    assert err == "branchbook: 30 hours is more than a day; give the hours of one session.\n"
    err = fail(capsys, 1, *base, "--hours", "-1", "bob hale")
    assert err == "branchbook: Hours cannot be negative.\n"
    err = fail(
        capsys, 1, "--db", path, "activity", "add", "--kind", "knitting", "--date", day,
        "--hours", "1", "bob hale",
    )  # fmt: skip
    assert err.startswith("branchbook: 'knitting' is not a kind of activity; use one of ")
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    err = fail(
        capsys, 1, "--db", path, "activity", "add", "--kind", "admin", "--date", future,
        "--hours", "1", "bob hale",
    )  # fmt: skip
    assert "is in the future" in err

    # Mistyped: argparse says so and exits 2.
    assert "not a number of hours" in fail(capsys, 2, *base, "--hours", "two", "bob hale")
    assert "not a date" in fail(
        capsys, 2, "--db", path, "activity", "add", "--kind", "admin", "--date", "21/11/2026",
        "--hours", "1", "bob hale",
    )  # fmt: skip
    fail(capsys, 2, *base, "--hours", "1")  # nobody named

    database = open_database(Path(path))
    assert dump_tables(database) == before
    database.close()


def test_tags_from_the_command_line(
    db: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, who = db
    out = run(capsys, "--db", path, "tag", "add", "Welsh speaker", "0805914", "bob hale")
    assert out == "Tagged 2 people 'Welsh speaker'.\n"
    out = run(capsys, "--db", path, "tag", "add", "welsh SPEAKER", "bob hale", str(who["ann1"]))
    assert out == "Tagged 1 person 'Welsh speaker'; 1 person had it already.\n"
    assert run(capsys, "--db", path, "tag", "list") == "      3  Welsh speaker\n"
    out = run(capsys, "--db", path, "tag", "remove", "Welsh speaker", "bob hale", "--json")
    assert json.loads(out)["changed"] == [who["bob"]]
    err = fail(capsys, 1, "--db", path, "tag", "add", "has a car", "bob hale", "Nobody Here")
    assert err == "branchbook: Nobody is called or numbered 'Nobody Here'; nobody was tagged.\n"
    err = fail(capsys, 1, "--db", path, "tag", "remove", "has a car", "bob hale")
    assert err == "branchbook: There is no tag 'has a car'.\n"
    assert run(capsys, "--db", path, "tag", "rename", "welsh speaker", "Cymraeg") == "Renamed.\n"
    database = open_database(Path(path))
    with database.session() as session:
        assert person_tags(session, who["ann"]) == ["Cymraeg"]
    database.close()
    assert "2 people had it" in run(capsys, "--db", path, "tag", "delete", "cymraeg")
    assert run(capsys, "--db", path, "tag", "list", "--json") == "[]\n"


def test_organisations_affiliations_and_unions(
    db: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, who = db
    unison = run(capsys, "--db", path, "org", "add", "UNISON", "--kind", "trade union").strip()
    gmb = json.loads(
        run(
            capsys,
            "--db",
            path,
            "org",
            "add",
            "GMB Union",
            "--kind",
            "trade_union",
            "--short",
            "GMB",
            "--json",
        )  # fmt: skip
    )["id"]
    run(capsys, "--db", path, "org", "add", "Shelter", "--kind", "campaign")
    err = fail(capsys, 1, "--db", path, "org", "add", "unison", "--kind", "trade_union")
    assert err == "branchbook: There is already an organisation called 'UNISON'.\n"
    err = fail(capsys, 1, "--db", path, "org", "add", "Guild", "--kind", "guild")
    assert err.startswith("branchbook: 'guild' is not a kind of organisation; use one of ")

    out = run(
        capsys, "--db", path, "affiliate", "0805914", "unison", "--role", "steward",
        "--since", "2015-04-01",
    )  # fmt: skip
    assert out.startswith("Affiliation ")
    run(capsys, "--db", path, "affiliate", "bob hale", "gmb")
    run(capsys, "--db", path, "affiliate", str(who["ann2"]), unison)  # a supporter
    run(capsys, "--db", path, "affiliate", "bob hale", "shelter")
    err = fail(capsys, 1, "--db", path, "affiliate", "0805914", "UNISON")
    assert err == (
        "branchbook: Ann Jones already belongs to UNISON; "
        "end that affiliation before starting another.\n"
    )
    err = fail(capsys, 1, "--db", path, "affiliate", "0805914", "RMT")
    assert err == "branchbook: There is no organisation called or numbered 'RMT'.\n"
    assert fail(capsys, 2, "--db", path, "affiliate", "0805914", "GMB", "--since", "May")

    assert run(capsys, "--db", path, "unions") == "      1  GMB Union (GMB)\n      1  UNISON\n"
    document = json.loads(run(capsys, "--db", path, "unions", "--json"))
    assert [(u["organisation_id"], u["members"], u["person_ids"]) for u in document] == [
        (gmb, 1, [who["bob"]]),
        (int(unison), 1, [who["ann"]]),
    ]
    listed = run(capsys, "--db", path, "org", "list")
    assert "Campaign group" in listed and "GMB Union (GMB)" in listed


def test_engagement_counts_and_thresholds(
    db: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = db
    day = LAST_SATURDAY.isoformat()
    base = ["--db", path, "activity", "add", "--kind", "canvassing", "--date", day, "--hours"]
    run(capsys, *base, "2", "bob hale", "0805914")
    run(capsys, *base, "1", "bob hale")
    out = run(capsys, "--db", path, "engagement")
    assert out.splitlines() == [
        "Events in the last 12 months: active 6+, occasional 1+.",
        "        0  Active",
        "        2  Occasional",
        "        0  Dormant",
        "        2  Never seen",
    ]
    document = json.loads(run(capsys, "--db", path, "engagement", "--active", "2", "--json"))
    assert document == {
        "counts": {"active": 1, "occasional": 1, "dormant": 0, "never_seen": 2},
        "thresholds": {"active_events": 2, "occasional_events": 1, "months": 12},
    }
    # Stored: the next run uses them without being told.
    assert "active 2+" in run(capsys, "--db", path, "engagement")
    err = fail(capsys, 1, "--db", path, "engagement", "--occasional", "3")
    assert err == "branchbook: Active needs at least as many events as occasional (3).\n"
    assert "active 2+, occasional 1+" in run(capsys, "--db", path, "engagement")
    assert fail(capsys, 2, "--db", path, "engagement", "--months", "twelve")
