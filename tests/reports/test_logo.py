"""The letterhead's logo: checked when chosen, kept in the settings, printed once per
document however many letters carry it, and left out when there is none."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.branch_logo import logo_bytes, logo_from_file
from db.branch_settings import BranchSettings, parse_assignment
from db.errors import UserError
from db.letter_templates import compile_template
from db.mailing_data import Gathered, Recipient, plan_letters
from reports.letters import LetterRenderer
from tests.helpers.images import png


def recipient(number: int, first: str, last: str) -> Recipient:
    return Recipient(
        person_id=number,
        title="",
        first_name=first,
        preferred_name=first,
        last_name=last,
        full_name=f"{first} {last}",
        membership_number="",
        status="member",
        household_id=number,
        address_lines=("1 High Street", "CF10 1AA"),
        postcode="CF10 1AA",
        ward="",
        lives_with_member=False,
        engagement="Active",
        last_meeting_attended=None,
    )


def letters() -> list:  # type: ignore[type-arg]
    people = (recipient(1, "Siân", "Llŷr-Jones"), recipient(2, "Łukasz", "Wójcik"))
    template = compile_template("Dear {{ salutation }},\n\nHello.\n")
    return plan_letters(Gathered(people, ()), template, today=dt.date(2026, 11, 27))


def test_a_png_or_jpeg_is_kept_and_anything_else_is_one_sentence(tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(png())
    text = logo_from_file(image)
    assert logo_bytes(BranchSettings(logo=text)) == png()
    (tmp_path / "logo.txt").write_text("not an image")
    with pytest.raises(UserError, match="^logo.txt is not a PNG or JPEG image"):
        logo_from_file(tmp_path / "logo.txt")
    (tmp_path / "huge.png").write_bytes(png() + b"\0" * 1_100_000)
    with pytest.raises(UserError, match="a logo must be under 1 MB"):
        logo_from_file(tmp_path / "huge.png")
    with pytest.raises(UserError, match="There is no file"):
        logo_from_file(tmp_path / "missing.png")
    with pytest.raises(UserError, match="settings logo FILE.png"):
        parse_assignment("logo=abc")
    assert logo_bytes(BranchSettings(logo="%%% not base64")) is None


def test_the_logo_prints_once_per_document_beside_the_branch_name(tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(png(300, 100))
    branch = BranchSettings(branch_name="Cathays Branch", logo=logo_from_file(image))
    data = LetterRenderer(letters(), branch).render()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert len(page.images) == 1
        assert page.images[0].image.size == (300, 100)
        assert "Cathays Branch" in page.extract_text()
    # One image object in the file, referred to by both pages.
    names = {
        page["/Resources"]["/XObject"].raw_get(n).idnum
        for page in reader.pages
        for n in page["/Resources"]["/XObject"]
    }
    assert len(names) == 1
    plain = LetterRenderer(letters(), BranchSettings(branch_name="Cathays Branch")).render()
    assert all(not page.images for page in PdfReader(io.BytesIO(plain)).pages)
    assert "Siân Llŷr-Jones" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
