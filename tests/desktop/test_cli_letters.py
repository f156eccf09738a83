"""``branchbook letters``, ``branchbook template`` and ``branchbook labels`` on a real
database file."""

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


def test_the_label_layouts_and_envelopes_offered_are_the_reports_own() -> None:
    from desktop.cli_labels import ENVELOPE_SIZES, LABEL_LAYOUTS
    from reports.envelopes import ENVELOPES
    from reports.labels import LAYOUTS

    assert set(LABEL_LAYOUTS) == set(LAYOUTS)
    assert set(ENVELOPE_SIZES) == set(ENVELOPES)


def test_labels_on_a_grid_of_ones_own(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    # Two across, two down, 99 x 57 mm, 10 mm from the top and 6 from the left, 2 mm gaps.
    document = json.loads(
        run(
            capsys,
            "--db",
            db,
            "labels",
            "--segment",
            "Everyone",
            "--grid",
            "2x2,99x57,10,6,101,59",
            "--sort",
            "name",
            "-o",
            str(out),
            "--json",
        )  # fmt: skip
    )
    assert (document["layout"], document["grid"]) == ("custom", "2x2,99x57,10,6,101,59")
    assert (document["labels"], document["sheets"]) == (6, 2)
    pages = PdfReader(out).pages
    assert len(pages) == 2
    first, second = pages[0].extract_text(), pages[1].extract_text()
    assert "Nguyễn Thị Hương" in first and "Zoë Ó Dúnlaing" in first
    assert "Łukasz Wójcik" in second and "Agnieszka" in second
    # The fourth label (by name, Dr Zoë Ó Dúnlaing) is the second row's second: its name
    # starts 6 + 101 + 4 mm (the padding) from the sheet's left edge, in the lower half.
    spots: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        spots.setdefault(text.strip(), (tm[4], tm[5]))

    pages[0].extract_text(visitor_text=visit)
    x, y = next(spot for text, spot in spots.items() if text.startswith("Dr Zo"))
    assert x == pytest.approx((6 + 101 + 4) * 72 / 25.4)
    assert (297 - 10 - 59 - 57) * 72 / 25.4 < y < (297 - 10 - 59) * 72 / 25.4


def test_labels_without_a_gap_take_the_labels_size_as_pitch(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    text = run(capsys, "--db", db, "labels", "--segment", "Everyone", "--grid",
               "3x8,70x37,0.5,0", "-o", str(out))  # fmt: skip
    assert text.startswith("6 labels (1 custom sheet) for 6 people written to")
    assert len(PdfReader(out).pages) == 1


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("3x7", "is not COLSxROWS,WIDTHxHEIGHT,TOP,LEFT"),
        ("3 by 7, 63.5x38.1, 15, 7", "is not COLSxROWS"),
        ("3x7,63.5x38.1,15.15,7.21,70,38.1", "do not fit on an A4 sheet"),
        ("2x8,99x38,15,5,101,38", "reach 205 mm across and 319 mm down"),
        ("2x5,99x57,10,6,90", "pitch must be at least the label's size"),
        ("0x5,99x57,10,6", "at least one column and one row"),
    ],
)
def test_a_bad_grid_is_one_sentence_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, grid: str, message: str
) -> None:
    out = tmp_path / "labels.pdf"
    error = refused(capsys, "--db", db, "labels", "--segment", "Everyone", "--grid", grid,
                    "-o", str(out))  # fmt: skip
    assert error.startswith("branchbook: ") and message in error
    assert error.count("\n") == 1 and error.rstrip().endswith(".")
    assert not out.exists()


def test_labels_need_a_layout_or_a_grid_but_not_both(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = str(tmp_path / "labels.pdf")
    for sheet in ([], ["--layout", "L7160", "--grid", "2x2,99x57,10,6"]):
        with pytest.raises(SystemExit) as exit_:
            main(["--db", db, "labels", "--segment", "Everyone", *sheet, "-o", out])
        assert exit_.value.code == 2
        assert "--layout" in capsys.readouterr().err


def test_the_labels_help_explains_the_grid(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["labels", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "COLSxROWS,WIDTHxHEIGHT,TOP,LEFT[,HPITCH[,VPITCH]]" in shown
    assert "3x7,63.5x38.1,15.15,7.21,66.04,38.1" in shown
