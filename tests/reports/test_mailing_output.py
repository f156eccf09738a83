"""A planned mailing: its variants and who is left out, then written as one PDF or one PDF
per letter, recorded with it, and neither written nor recorded when cancelled."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.branch_settings import BranchSettings
from db.database import Database
from db.errors import Cancelled, UserError
from db.mailing_data import LEFT_OUT_NO_ADDRESS, LEFT_OUT_REFUSED_POST
from db.mailing_plan import MailingPlan, plan_mailing
from db.models import Mailing, MailingRecipient
from reports.mailing_output import preview_letter, write_letter_files, write_letters
from tests.helpers.mailing_people import NAMES, Branch, seed_branch

TODAY = dt.date(2026, 11, 27)
BRANCH = BranchSettings(branch_name="Cathays Branch", secretary_name="Gwen ap Rhys")
TEMPLATE = """Dear {{ salutation }},

{% if is_member %}MEMBER-VARIANT {{ membership_number }}{% else %}SUPPORTER-VARIANT{% endif %}

Yours sincerely,
"""


@pytest.fixture
def branch(database: Database) -> Branch:
    return seed_branch(database)


def plan(database: Database, *, per_household: bool = False, body: str = TEMPLATE) -> MailingPlan:
    with database.session() as session:
        return plan_mailing(
            session,
            template_name="Autumn",
            body=body,
            segment="Everyone",
            per_household=per_household,
            today=TODAY,
        )


def recorded(database: Database) -> tuple[int, int]:
    with database.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Mailing)) or 0,
            session.scalar(select(func.count()).select_from(MailingRecipient)) or 0,
        )


def test_a_plan_counts_variants_and_says_who_is_left_out(
    database: Database, branch: Branch
) -> None:
    planned = plan(database)
    assert len(planned.letters) == 6 and planned.recipients == 6
    assert planned.left_out_reasons() == {LEFT_OUT_REFUSED_POST: 1, LEFT_OUT_NO_ADDRESS: 1}
    variants = planned.variants()
    assert sorted((v.letters, v.people) for v in variants) == [(3, 3), (3, 3)]
    for variant in variants:
        assert planned.letters[variant.first].variant == variant.name
    member = next(v for v in variants if "MEMBER" in planned.letters[v.first].text)
    assert "SUPPORTER" not in planned.letters[member.first].text

    households = plan(database, per_household=True)
    assert len(households.letters) == 5 and households.recipients == 6


def test_a_template_problem_stops_the_plan_with_its_line(
    database: Database, branch: Branch
) -> None:
    with pytest.raises(UserError, match="Line 3: there is no field called 'frist_name'"):
        plan(database, body="Dear,\n\n{{ frist_name }}\n")


def test_one_pdf_is_written_and_the_mailing_recorded(
    database: Database, branch: Branch, tmp_path: Path
) -> None:
    planned = plan(database)
    target = tmp_path / "letters.pdf"
    with database.session() as session:
        written = write_letters(session, planned, BRANCH, target, qr=True)
    assert written.pages == len(PdfReader(target).pages) == 6
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert all(name in text for name in NAMES)
    assert recorded(database) == (1, 6)


def test_one_pdf_per_letter_in_a_new_folder(
    database: Database, branch: Branch, tmp_path: Path
) -> None:
    planned = plan(database, per_household=True)
    out = tmp_path / "out"
    out.mkdir()
    folder = out / "Autumn letters"
    with database.session() as session:
        written = write_letter_files(session, planned, BRANCH, folder)
    files = sorted(folder.iterdir())
    assert written.files == len(files) == 5
    assert files[0].name == "1 Ms Siân Llŷr-Jones.pdf"
    for file, letter in zip(files, planned.letters, strict=True):
        reader = PdfReader(file)
        assert len(reader.pages) == 1
        assert letter.addressee in reader.pages[0].extract_text()
    assert recorded(database) == (1, 6)
    assert [p.name for p in out.iterdir()] == ["Autumn letters"]

    with database.session() as session, pytest.raises(UserError, match="already exists"):
        write_letter_files(session, planned, BRANCH, folder)
    assert recorded(database) == (1, 6)


@pytest.mark.parametrize("each", [False, True])
def test_cancelling_writes_and_records_nothing(
    database: Database, branch: Branch, tmp_path: Path, each: bool
) -> None:
    planned = plan(database)
    out = tmp_path / "out"
    out.mkdir()

    def cancel(done: int, total: int, label: str) -> None:
        if done == 3:
            raise Cancelled()

    with pytest.raises(Cancelled), database.session() as session:
        if each:
            write_letter_files(session, planned, BRANCH, out / "each", progress=cancel)
        else:
            write_letters(session, planned, BRANCH, out / "all.pdf", progress=cancel)
    assert list(out.iterdir()) == []
    assert recorded(database) == (0, 0)


def test_a_preview_is_one_letter_and_records_nothing(database: Database, branch: Branch) -> None:
    planned = plan(database)
    reader = PdfReader(io.BytesIO(preview_letter(planned, 2, BRANCH, qr=False)))
    assert len(reader.pages) == 1
    assert planned.letters[2].addressee in reader.pages[0].extract_text()
    assert recorded(database) == (0, 0)


def test_a_name_cannot_lead_a_file_out_of_the_chosen_folder(tmp_path: Path) -> None:
    from reports.mailing_output import _safe

    for hostile in ("../../etc/passwd", "..\\..\\Windows\\win.ini", "C:\\x", "a/b:c*d?e", ". . ."):
        name = _safe(hostile)
        assert name and not {"/", "\\", ":", "*", "?"} & set(name) and not name.startswith(".")
        assert (tmp_path / f"1 {name}.pdf").resolve().parent == tmp_path.resolve()


def test_letters_left_by_a_killed_run_are_removed_at_the_next_start(
    database: Database, branch: Branch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import shutil

    from db.stale_files import PENDING_PREFIX, STALE_AFTER, remove_stale_files

    assert database.path is not None
    planned = plan(database)
    out = tmp_path / "out"
    out.mkdir()
    seen: list[tuple[list[Path], list[str]]] = []

    def killed(done: int, total: int, label: str) -> None:
        if done == 3:
            markers = sorted(database.path.parent.glob(PENDING_PREFIX + "*"))  # type: ignore[union-attr]
            seen.append((markers, [m.read_text(encoding="utf-8") for m in markers]))
            raise Cancelled()

    # As if the process died at letter 3, or Windows kept the folder it tried to remove
    # (a letter held open): the folder stays, and so must the marker naming it.
    with monkeypatch.context() as patched:
        patched.setattr(shutil, "rmtree", lambda *args, **kwargs: None)
        with pytest.raises(Cancelled), database.session() as session:
            write_letter_files(session, planned, BRANCH, out / "each", progress=killed)
    [(markers, named)] = seen
    [staging] = list(out.iterdir())
    assert len(markers) == 1 and named == [str(staging.resolve())]
    assert len(list(staging.glob("*.pdf"))) == 3  # plain letters, named after people

    old = (dt.datetime.now() - STALE_AFTER - dt.timedelta(minutes=1)).timestamp()
    os.utime(markers[0], (old, old))
    assert markers[0].exists()
    remove_stale_files(database.path)
    assert list(out.iterdir()) == []
    assert not markers[0].exists()


def test_a_finished_run_leaves_no_marker(
    database: Database, branch: Branch, tmp_path: Path
) -> None:
    from db.stale_files import PENDING_PREFIX

    assert database.path is not None
    with database.session() as session:
        write_letter_files(session, plan(database), BRANCH, tmp_path / "letters")
    assert list(database.path.parent.glob(PENDING_PREFIX + "*")) == []
