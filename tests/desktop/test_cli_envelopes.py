"""``branchbook envelopes`` on a real database file: the PDF read back with pypdf."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.branch_settings import BranchSettings, save_branch_settings
from db.database import Database
from desktop.cli import main
from tests.helpers.mailing_people import NAMES, seed_branch

MM = 72 / 25.4


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.fixture
def db(database: Database) -> str:
    seed_branch(database)
    return str(database.url.database)


def test_dl_envelopes_one_per_person(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "envelopes.pdf"
    text = run(capsys, "--db", db, "envelopes", "--segment", "Everyone", "--size", "DL",
               "-o", str(out))  # fmt: skip
    assert text.startswith("6 DL envelopes for 6 people written to")
    assert "Left out: 1 refused post; 1 no postal address." in text
    pages = PdfReader(out).pages
    assert len(pages) == 6
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(220 * MM, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(110 * MM, abs=0.01)
    texts = [page.extract_text() for page in pages]
    for name in NAMES:
        assert sum(name in page for page in texts) == 1, name
    assert not any("Peter Quiet" in page or "Nora Nowhere" in page for page in texts)
    assert not any("If undelivered" in page for page in texts)
    # By postcode: Cardiff's two, then Hull, Leeds's two, Cork.
    assert ["CF10 1AA" in page for page in texts] == [True, True, False, False, False, False]
    assert "T12 X70" in texts[-1]


def test_c5_envelopes_per_household_with_the_return_address(
    capsys: pytest.CaptureFixture[str], database: Database, db: str, tmp_path: Path
) -> None:
    with database.session() as session:
        save_branch_settings(
            session,
            BranchSettings(branch_name="Cathays Branch", address="1 Cathedral Road, Cardiff"),
        )
    out = tmp_path / "envelopes.pdf"
    document = json.loads(
        run(
            capsys,
            "--db",
            db,
            "envelopes",
            "--segment",
            "Everyone",
            "--size",
            "C5",
            "--per-household",
            "--sort",
            "name",
            "--return-address",
            "-o",
            str(out),
            "--json",
        )  # fmt: skip
    )
    assert document["size"] == "C5" and document["return_address"] is True
    assert (document["envelopes"], document["pages"], document["recipients"]) == (4, 4, 6)
    assert document["left_out"] == 2
    assert document["left_out_reasons"] == {"refused post": 1, "no postal address": 1}
    assert {p["name"] for p in document["left_out_people"]} == {"Peter Quiet", "Nora Nowhere"}
    pages = PdfReader(out).pages
    assert len(pages) == 4
    assert float(pages[0].mediabox.width) == pytest.approx(229 * MM, abs=0.01)
    assert float(pages[0].mediabox.height) == pytest.approx(162 * MM, abs=0.01)
    texts = [page.extract_text() for page in pages]
    assert "Ms Nguyễn Thị Hương" in texts[0]
    assert "Ms S & Mr D Llŷr-Jones" in texts[1]
    assert "Dr Zoë Ó Dúnlaing" in texts[2]
    assert "Mr Ł & Mrs A Wójcik" in texts[3]
    for page in texts:
        assert "If undelivered please return to:" in page
        assert "Cathays Branch" in page and "1 Cathedral Road, Cardiff" in page


def test_a_return_address_needs_the_branchs_address(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "envelopes.pdf"
    error = refused(
        capsys, "--db", db, "envelopes", "--segment", "Everyone", "--size", "DL",
        "--return-address", "-o", str(out),
    )  # fmt: skip
    assert "The branch has no address to print as the return address" in error
    assert error.count("\n") == 1
    assert not out.exists()


def test_a_segment_nobody_can_be_posted_to_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "envelopes.pdf"
    rules = json.dumps({"rule": "contact", "channel": "post", "is": "refused"})
    run(capsys, "--db", db, "segment", "save", "Quiet ones", "--rules", rules)
    error = refused(capsys, "--db", db, "envelopes", "--segment", "Quiet ones", "--size", "DL",
                    "-o", str(out))  # fmt: skip
    assert "Nobody in 'Quiet ones' can be sent post (1 left out)" in error
    assert not out.exists()


def test_an_unknown_size_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, "envelopes", "--segment", "Everyone", "--size", "C4",
              "-o", str(tmp_path / "x.pdf")])  # fmt: skip
    assert exit_.value.code == 2
    assert "invalid choice: 'C4'" in capsys.readouterr().err
