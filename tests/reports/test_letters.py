"""Letters as a PDF, read back with pypdf: one recipient per page, the right variant, the
address in the DL window, every name intact."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.branch_settings import BranchSettings
from db.database import Database
from db.errors import Cancelled
from db.letter_templates import compile_template
from db.mailing_data import Letter, gather_recipients, plan_letters
from reports.letters import DL_WINDOW, LetterRenderer
from tests.helpers.mailing_people import NAMES, Branch, seed_branch

TODAY = dt.date(2026, 11, 27)
BRANCH = BranchSettings(
    branch_name="Cathays Branch",
    secretary_name="Gwen ap Rhys",
    address="10 High Street, Cardiff, CF10 2BB",
    imprint="Promoted by Gwen ap Rhys on behalf of Cathays Branch, 10 High Street, Cardiff",
)
TEMPLATE = """Dear {{ salutation }},

{% if is_member %}MEMBER-VARIANT: thank you, member {{ membership_number }}.{% else %}\
SUPPORTER-VARIANT: please **join** us.{% endif %}

- item one
- item two

Yours sincerely,
"""
MM = 72 / 25.4


@pytest.fixture
def branch(database: Database) -> Branch:
    return seed_branch(database)


def letters_for(
    database: Database, branch: Branch, body: str = TEMPLATE, *, per_household: bool = False
) -> list[Letter]:
    with database.session() as session:
        gathered = gather_recipients(session, branch.everyone, today=TODAY)
    return plan_letters(gathered, compile_template(body), per_household=per_household, today=TODAY)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_each_recipient_gets_their_own_page_with_their_variant(
    database: Database, branch: Branch
) -> None:
    letters = letters_for(database, branch)
    renderer = LetterRenderer(letters, BRANCH, date=TODAY)
    text = pages(renderer.render())
    assert len(text) == len(letters) == renderer.pages == 6
    members = {"Siân Llŷr-Jones", "Zoë Ó Dúnlaing", "Nguyễn Thị Hương"}
    for letter, page in zip(letters, text, strict=True):
        assert letter.addressee in page
        expected = (
            "MEMBER-VARIANT"
            if any(m in letter.addressee for m in members)
            else ("SUPPORTER-VARIANT")
        )
        assert expected in page
        assert "27 November 2026" in page
        assert "Gwen ap Rhys" in page and "Promoted by Gwen ap Rhys" in page
    assert "thank you, member M0001" in text[0]
    everything = "\n".join(text)
    assert "Peter Quiet" not in everything and "Nora Nowhere" not in everything


def test_every_name_prints_intact(database: Database, branch: Branch) -> None:
    everything = "\n".join(pages(LetterRenderer(letters_for(database, branch), BRANCH).render()))
    for name in NAMES:
        assert name in everything
    assert "Dear Siân," in everything and "Dear Zoë," in everything


def test_households_are_merged_as_promised(database: Database, branch: Branch) -> None:
    letters = letters_for(database, branch, per_household=True)
    text = pages(LetterRenderer(letters, BRANCH).render())
    assert len(text) == 5  # the Wójciks share one; Siân and Dafydd do not
    siân = next(page for page in text if "Ms Siân Llŷr-Jones" in page)
    dafydd = next(page for page in text if "Mr Dafydd Llŷr-Jones" in page)
    assert "MEMBER-VARIANT" in siân and "SUPPORTER-VARIANT" not in siân
    assert "SUPPORTER-VARIANT" in dafydd
    wójciks = next(page for page in text if "Mr Ł & Mrs A Wójcik" in page)
    assert "Dear Łukasz and Agnieszka," in wójciks

    same = letters_for(database, branch, "Dear {{ salutation }},\n\nHello.\n", per_household=True)
    text = pages(LetterRenderer(same, BRANCH).render())
    assert len(text) == 4
    assert any("Ms S & Mr D Llŷr-Jones" in p and "Dear Siân and Dafydd," in p for p in text)


def test_the_address_sits_in_the_dl_window(database: Database, branch: Branch) -> None:
    letters = letters_for(database, branch)
    reader = PdfReader(io.BytesIO(LetterRenderer(letters[:1], BRANCH).render()))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4], height - tm[5]))

    page.extract_text(visitor_text=visit)
    left, top, width, window_height = (v / MM for v in DL_WINDOW)
    for line in (letters[0].addressee, *letters[0].address_lines):
        x, y = found[line]
        assert left * MM <= x <= (left + width) * MM - 20, line
        assert top * MM < y < (top + window_height) * MM, line


def test_qr_codes_are_optional(database: Database, branch: Branch) -> None:
    letters = letters_for(database, branch)[:1]
    plain = LetterRenderer(letters, BRANCH).render()
    coded = LetterRenderer(letters, BRANCH, qr=True).render()
    assert len(coded) > len(plain)
    assert "M0001" in pages(coded)[0].split("CF10 1AA")[-1]


def test_a_long_letter_runs_on_and_a_missing_imprint_prints_no_footer(
    database: Database, branch: Branch
) -> None:
    body = "Dear {{ salutation }},\n\n" + "\n\n".join(f"Paragraph {n} " * 30 for n in range(25))
    letters = letters_for(database, branch, body)[:2]
    renderer = LetterRenderer(letters, BranchSettings(branch_name="Cathays Branch"))
    text = pages(renderer.render())
    assert renderer.pages == len(text) > 2
    assert "Ms Siân Llŷr-Jones · page 2" in text[1]
    assert "Promoted" not in "".join(text)
    assert sum(page.count("Dear ") for page in text) == 2


def test_cancel_writes_nothing(database: Database, branch: Branch, tmp_path: Path) -> None:
    target = tmp_path / "out" / "letters.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the earlier run")

    def cancel(done: int, total: int, label: str) -> None:
        if done == 2:
            raise Cancelled()

    renderer = LetterRenderer(letters_for(database, branch), BRANCH)
    with pytest.raises(Cancelled):
        renderer.write(target, cancel)
    assert target.read_bytes() == b"the earlier run"
    assert renderer.write(target) == 6
    assert len(PdfReader(target).pages) == 6
    assert list(target.parent.iterdir()) == [target]


def test_a_long_imprint_prints_whole_on_letters_and_reports(
    database: Database, branch: Branch
) -> None:
    from reports.membership_report import MembershipReport  # noqa: F401 - the report's renderer
    from reports.report_document import ReportDocument

    imprint = (
        "Promoted by Gwen ap Rhys on behalf of the Cathays and Gabalfa Branch of the party, "
        "both of the Old Chapel Community Centre, 10 High Street, Cathays, Cardiff CF10 2BB, "
        "printed by Llŷr Print Co-operative Ltd, Unit 4, Ocean Way, Cardiff CF24 5PE."
    )
    settings = BranchSettings(branch_name="Cathays Branch", imprint=imprint)
    letter = pages(LetterRenderer(letters_for(database, branch)[:1], settings).render())[0]

    class Tiny(ReportDocument):
        def body(self) -> list:  # type: ignore[type-arg]
            return [self.paragraph("Nothing else.")]

    report = pages(Tiny(settings).render())[0]
    for text in (letter, report):
        assert imprint in " ".join(text.split()), text[-400:]
