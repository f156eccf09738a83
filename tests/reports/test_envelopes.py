"""Envelopes as a PDF, read back with pypdf: one page per envelope the size of the envelope,
the address where Royal Mail looks for it, every name intact, households, the return address."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from db.branch_settings import BranchSettings
from db.database import Database
from db.errors import UserError
from db.mailing_data import Gathered, gather_recipients
from reports.envelopes import ENVELOPES, RETURN_HEADING, EnvelopeRenderer, return_address
from reports.labels import AddressLabel, plan_labels
from tests.helpers.mailing_people import NAMES, Branch, seed_branch

MM = 72 / 25.4
BRANCH = BranchSettings(
    branch_name="Cathays Branch",
    address="Unit 4, Transport House\n1 Cathedral Road, Cardiff, CF11 9SD",
)


@pytest.fixture
def branch(database: Database) -> Branch:
    return seed_branch(database)


@pytest.fixture
def gathered(database: Database, branch: Branch) -> Gathered:
    with database.session() as session:
        return gather_recipients(session, branch.everyone)


def pages_of(data: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(data)).pages)


def drawn(page: Any) -> list[tuple[str, float, float, float]]:
    """Each piece of text drawn as (text, x, y, size in points), the pieces reportlab splits
    a line into across font subsets joined back together."""
    lines: list[list[Any]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if lines and not lines[-1][0].endswith("\n") and abs(lines[-1][2] - y) < 0.1:
            lines[-1][0] += text
        else:
            lines.append([text, x, y, size * tm[0]])

    page.extract_text(visitor_text=visit)
    return [(t.strip(), x, y, size) for t, x, y, size in lines]


@pytest.mark.parametrize(("size", "width", "height"), [("DL", 220, 110), ("C5", 229, 162)])
def test_one_page_per_envelope_the_size_of_the_envelope(
    gathered: Gathered, size: str, width: float, height: float
) -> None:
    envelopes = plan_labels(gathered)
    pages = pages_of(EnvelopeRenderer(envelopes, ENVELOPES[size]).render())
    assert len(pages) == len(envelopes) == 6
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(width * MM, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height * MM, abs=0.01)
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape


def test_every_name_on_its_own_envelope_and_nobody_who_refused_post(
    gathered: Gathered,
) -> None:
    envelopes = plan_labels(gathered, sort="name")
    texts = [
        page.extract_text()
        for page in pages_of(EnvelopeRenderer(envelopes, ENVELOPES["DL"]).render())
    ]
    for envelope, text in zip(envelopes, texts, strict=True):
        assert envelope.name in text
        assert all(line in text for line in envelope.address_lines)
    for name in NAMES:
        assert sum(name in text for text in texts) == 1, name
    assert not any("Quiet" in text or "Nowhere" in text for text in texts)


def test_a_household_shares_one_envelope(gathered: Gathered) -> None:
    envelopes = plan_labels(gathered, per_household=True, sort="name")
    texts = [
        page.extract_text()
        for page in pages_of(EnvelopeRenderer(envelopes, ENVELOPES["C5"]).render())
    ]
    assert len(texts) == 4
    assert "Ms S & Mr D Llŷr-Jones" in texts[1] and "12 Heol y Bont" in texts[1]
    assert "Mr Ł & Mrs A Wójcik" in texts[3]
    assert sum("Heol y Bont" in text for text in texts) == 1


@pytest.mark.parametrize("size", ["DL", "C5"])
def test_the_address_sits_right_of_centre_below_the_stamp_and_above_the_barcode(
    gathered: Gathered, size: str
) -> None:
    envelope = ENVELOPES[size]
    width, height = envelope.width * MM, envelope.height * MM
    envelopes = plan_labels(gathered)
    for label, page in zip(
        envelopes, pages_of(EnvelopeRenderer(envelopes, envelope).render()), strict=True
    ):
        lines = drawn(page)
        assert [text for text, *_ in lines] == list(label.lines)
        ys = [y for _, _, y, _ in lines]
        assert all(x == pytest.approx(0.45 * width) for _, x, _, _ in lines)
        assert min(ys) > 20 * MM and max(ys) < height - 40 * MM
        middle = (max(ys) + min(ys)) / 2
        assert middle < height / 2  # a little below the middle
        assert lines[0][3] == pytest.approx(12)  # the largest size: the address is short
        for text, x, _, points in lines:
            font = "DejaVuSans-Bold" if text == label.name else "DejaVuSans"
            assert x + stringWidth(text, font, points) <= width - 15 * MM


def test_a_long_name_shrinks_to_fit_rather_than_running_off(gathered: Gathered) -> None:
    long_name = "Dr Maximiliana Featherstonehaugh-Llŷr-Wójcik-Ó Dúnlaing"
    envelope = AddressLabel((1,), long_name, ("1 The Street", "Leeds", "LS1 4AB"))
    page = pages_of(EnvelopeRenderer([envelope], ENVELOPES["DL"]).render())[0]
    lines = drawn(page)
    assert lines[0][0] == long_name  # shrunk, not cut
    _, x, _, size = lines[0]
    assert size < lines[1][3]
    assert x + stringWidth(long_name, "DejaVuSans-Bold", size) <= (220 - 15) * MM + 0.01


def test_the_return_address_is_small_at_the_top_left(gathered: Gathered) -> None:
    lines = return_address(BRANCH)
    assert lines == (
        "Cathays Branch",
        "Unit 4",
        "Transport House",
        "1 Cathedral Road",
        "Cardiff",
        "CF11 9SD",
    )
    envelopes = plan_labels(gathered)[:1]
    page = pages_of(EnvelopeRenderer(envelopes, ENVELOPES["DL"], return_lines=lines).render())[0]
    printed = drawn(page)
    top = [line for line in printed if line[2] > 70 * MM]
    assert [text for text, *_ in top] == [
        RETURN_HEADING,
        "Cathays Branch",
        "Unit 4, Transport House, 1 Cathedral Road, Cardiff, CF11 9SD",
    ]
    for _, x, y, size in top:
        assert x == pytest.approx(10 * MM) and size <= 7 and y > (110 - 25) * MM
    assert envelopes[0].name in {line[0] for line in printed if line not in top}
    without = drawn(pages_of(EnvelopeRenderer(envelopes, ENVELOPES["DL"]).render())[0])
    assert RETURN_HEADING not in {text for text, *_ in without}


def test_a_long_return_address_takes_more_lines_not_smaller_type() -> None:
    branch = BranchSettings(
        branch_name="Cardiff Central Constituency Labour Party",
        address="The Old Chapel Vestry, Heol Llanishen Fach, Rhiwbina Garden Village, "
        "Caerdydd, Cardiff, CF14 6RF",
    )
    envelope = AddressLabel((1,), "Ms A Person", ("1 The Street", "LS1 4AB"))
    renderer = EnvelopeRenderer([envelope], ENVELOPES["DL"], return_lines=return_address(branch))
    top = [line for line in drawn(pages_of(renderer.render())[0]) if line[2] > 70 * MM]
    assert len(top) >= 4
    assert all(size == pytest.approx(7) for *_, size in top)
    assert "CF14 6RF" in top[-1][0] and "The Old Chapel Vestry" in top[2][0]


def test_a_branch_without_an_address_cannot_be_returned_to() -> None:
    with pytest.raises(UserError, match="no address to print as the return address"):
        return_address(BranchSettings(branch_name="Cathays Branch"))
    assert return_address(BranchSettings(address="1 High St, Leeds")) == ("", "1 High St", "Leeds")


def test_progress_counts_envelopes(gathered: Gathered) -> None:
    envelopes = plan_labels(gathered)
    seen: list[tuple[int, int, str]] = []
    EnvelopeRenderer(envelopes, ENVELOPES["DL"]).render(lambda *step: seen.append(step))
    assert seen[-1] == (6, 6, "Envelope 6 of 6")
