"""``branchbook duplicates``, ``not-duplicate``, ``merge`` and ``data-quality`` on a real file."""

from __future__ import annotations

import json

import pytest

from db.database import Database
from db.models import EmailAddress, Person
from desktop.cli import main
from tests.helpers.checks import dump_tables


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _twins(database: Database) -> tuple[str, int, int]:
    with database.session() as session:
        ann = Person(
            first_name="Ann", last_name="Jones", status="member", membership_number="0805914"
        )
        ann.emails.append(EmailAddress(address="ann@example.org", is_primary=True))
        again = Person(first_name="Anne", last_name="Jones", status="guest", notes="Came once.")
        again.emails.append(EmailAddress(address="Ann@Example.org", is_primary=True))
        session.add_all([ann, again, Person(first_name="Bob", last_name="Hale")])
        session.flush()
        ids = ann.id, again.id
    path = str(database.path)
    database.close()
    return path, *ids


def test_find_and_merge_duplicates_from_the_command_line(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db, ann, again = _twins(database)
    text = run(capsys, "--db", db, "duplicates")
    assert f"Ann Jones (id {ann}) and Anne Jones (id {again}): same email address" in text
    document = json.loads(run(capsys, "--db", db, "duplicates", "--json"))
    assert document["total"] == 1
    assert document["pairs"][0]["keep"]["id"] == ann
    assert document["pairs"][0]["reasons"] == ["same email address"]

    merged = json.loads(run(capsys, "--db", db, "merge", "0805914", str(again), "--json"))
    assert (merged["keep_id"], merged["other_id"]) == (ann, again)
    assert merged["combined"] == {"email_address": 1}
    assert {c["what"] for c in merged["clashes"]} == {"first name", "status"}
    assert "No likely duplicates." in run(capsys, "--db", db, "duplicates")
    assert "Came once." in run(capsys, "--db", db, "person", "show", "0805914", "--json")


def test_not_duplicate_and_refusals(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    db, ann, again = _twins(database)
    assert "will not be suggested" in run(capsys, "--db", db, "not-duplicate", str(ann), str(again))
    assert "No likely duplicates." in run(capsys, "--db", db, "duplicates")
    assert "suggested again" in run(
        capsys, "--db", db, "not-duplicate", "--undo", str(ann), str(again)
    )

    from db.database import open_database

    reopened = open_database(db)
    before = dump_tables(reopened)
    reopened.close()
    assert main(["--db", db, "merge", str(ann), str(ann)]) == 1
    assert "cannot be merged with themself" in capsys.readouterr().err
    assert main(["--db", db, "merge", str(ann), "Nobody Here"]) == 1
    assert "Nobody is called or numbered 'Nobody Here'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["--db", db, "merge", str(ann)])
    assert usage.value.code == 2
    reopened = open_database(db)
    assert dump_tables(reopened) == before
    reopened.close()


def test_data_quality_from_the_command_line(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db, ann, again = _twins(database)
    text = run(capsys, "--db", db, "data-quality", "--limit", "1")
    assert "Email addresses: 1" in text and "Bob Hale" in text and "has no email address" in text
    assert "Phone numbers: 3" in text and "... and 2 more" in text
    document = json.loads(run(capsys, "--db", db, "data-quality", "--json", "--months", "6"))
    assert document["counts"]["emails"] == 1 and document["months"] == 6
    assert len(document["phones"]) == 3
