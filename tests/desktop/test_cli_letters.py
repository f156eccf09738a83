"""``branchbook letters`` and ``branchbook template`` on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.database import Database, open_database
from db.models import Mailing, MailingRecipient
from desktop.cli import main
from tests.helpers.mailing_people import NAMES, seed_branch

TEMPLATE = """Dear {{ salutation }},

{% if in_segment("Members") %}MEMBER-VARIANT{% else %}SUPPORTER-VARIANT{% endif %}

Yours sincerely,
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def mailings(db: str) -> tuple[int, int]:
    database = open_database(db)
    try:
        with database.session() as session:
            return (
                session.scalar(select(func.count()).select_from(Mailing)) or 0,
                session.scalar(select(func.count()).select_from(MailingRecipient)) or 0,
            )
    finally:
        database.close()


@pytest.fixture
def db(database: Database) -> str:
    seed_branch(database)
    return str(database.url.database)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "winter.txt"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def test_templates_are_saved_listed_and_checked(
    capsys: pytest.CaptureFixture[str], db: str, template: Path
) -> None:
    assert "Saved letter template 'Winter'" in run(
        capsys, "--db", db, "template", "save", "Winter", str(template)
    )
    listed = json.loads(run(capsys, "--db", db, "template", "list", "--json"))
    assert [t["name"] for t in listed] == ["Winter"]
    assert "ready to print" in run(capsys, "--db", db, "template", "check", "Winter")


def test_a_broken_template_is_reported_with_its_line_and_nothing_prints(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text("Dear {{ salutation }},\n\n{{ nickname }}\n", encoding="utf-8")
    error = refused(capsys, "--db", db, "template", "check", str(broken))
    assert "Line 3: there is no field called 'nickname'" in error
    out = tmp_path / "letters.pdf"
    error = refused(
        capsys, "--db", db, "letters", "--template", str(broken), "--segment", "Everyone",
        "-o", str(out),
    )  # fmt: skip
    assert error.startswith("branchbook: Line 3:")
    assert not out.exists()
    assert mailings(db) == (0, 0)
    error = refused(capsys, "--db", db, "template", "save", "Broken", str(broken))
    assert "Line 3" in error


def test_letters_to_a_segment(
    capsys: pytest.CaptureFixture[str], db: str, template: Path, tmp_path: Path
) -> None:
    out = tmp_path / "letters.pdf"
    document = json.loads(
        run(
            capsys,
            "--db",
            db,
            "letters",
            "--template",
            str(template),
            "--segment",
            "Everyone",
            "--per-household",
            "--qr",
            "--date",
            "2026-11-27",
            "-o",
            str(out),
            "--json",
        )  # fmt: skip
    )
    assert (document["letters"], document["pages"], document["recipients"]) == (5, 5, 6)
    assert document["left_out"] == 2
    assert document["left_out_reasons"] == {"refused post": 1, "no postal address": 1}
    assert {p["name"] for p in document["left_out_people"]} == {"Peter Quiet", "Nora Nowhere"}
    assert len(document["variants"]) == 2
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) == 5
    for name in NAMES:
        assert any(name in page for page in pages)
    dafydd = next(page for page in pages if "Dafydd" in page)
    assert "SUPPORTER-VARIANT" in dafydd
    assert mailings(db) == (1, 6)


def test_letters_from_a_saved_template_to_members(
    capsys: pytest.CaptureFixture[str], db: str, template: Path, tmp_path: Path
) -> None:
    run(capsys, "--db", db, "template", "save", "Winter", str(template))
    out = tmp_path / "members.pdf"
    text = run(
        capsys, "--db", db, "letters", "--template", "Winter", "--segment", "Members",
        "-o", str(out),
    )  # fmt: skip
    assert text.startswith("3 letters (3 pages) for 3 people written to")
    assert "Left out: 1 refused post." in text
    assert all("MEMBER-VARIANT" in page.extract_text() for page in PdfReader(out).pages)


def test_an_unknown_template_or_segment_is_one_sentence(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = str(tmp_path / "x.pdf")
    error = refused(
        capsys, "--db", db, "letters", "--template", "Nope", "--segment", "Members", "-o", out
    )
    assert "no letter template called 'Nope'" in error


def test_labels_for_a_segment(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    out = tmp_path / "labels.pdf"
    document = json.loads(
        run(
            capsys,
            "--db",
            db,
            "labels",
            "--segment",
            "Everyone",
            "--layout",
            "L7160",
            "--start",
            "20",
            "--sort",
            "name",
            "--per-household",
            "-o",
            str(out),
            "--json",
        )  # fmt: skip
    )
    assert (document["labels"], document["sheets"], document["recipients"]) == (4, 2, 6)
    assert document["left_out"] == 2
    assert document["left_out_reasons"] == {"refused post": 1, "no postal address": 1}
    assert {p["name"] for p in document["left_out_people"]} == {"Peter Quiet", "Nora Nowhere"}
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) == 2
    assert "Ms Nguyễn Thị Hương" in pages[0] and "Ms S & Mr D Llŷr-Jones" in pages[0]
    assert "Mr Ł & Mrs A Wójcik" in pages[1] and "Peter Quiet" not in "".join(pages)
    assert mailings(db) == (0, 0)  # labels record no mailing


def test_labels_per_person_in_plain_text(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    text = run(capsys, "--db", db, "labels", "--segment", "Everyone", "--layout", "L7163",
               "-o", str(out))  # fmt: skip
    assert text.startswith("6 labels (1 L7163 sheet) for 6 people written to")
    assert "Left out: 1 refused post; 1 no postal address." in text
    page = PdfReader(out).pages[0].extract_text()
    for name in NAMES:
        assert name in page


def test_labels_refuse_a_start_off_the_sheet(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    error = refused(
        capsys, "--db", db, "labels", "--segment", "Everyone", "--layout", "L7161",
        "--start", "19", "-o", str(out),
    )  # fmt: skip
    assert "between 1 and 18" in error
    assert not out.exists()


def test_the_label_layouts_offered_are_the_reports_own() -> None:
    from desktop.cli_letters import LABEL_LAYOUTS
    from reports.labels import LAYOUTS

    assert set(LABEL_LAYOUTS) == set(LAYOUTS)
