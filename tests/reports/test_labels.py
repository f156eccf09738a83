"""Address labels as a PDF, read back with pypdf: the sheets a start position makes, every
line inside its own label's rectangle, sorting, households, every name intact."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import pytest
from pypdf import PdfReader

from db.database import Database
from db.errors import UserError
from db.mailing_data import Gathered, gather_recipients
from reports.labels import (
    LAYOUTS,
    AddressLabel,
    LabelLayout,
    LabelRenderer,
    Sheet,
    parse_grid,
    place_labels,
    plan_labels,
)
from tests.helpers.mailing_people import NAMES, Branch, seed_branch

MM = 72 / 25.4


@pytest.fixture
def branch(database: Database) -> Branch:
    return seed_branch(database)


@pytest.fixture
def gathered(database: Database, branch: Branch) -> Gathered:
    with database.session() as session:
        return gather_recipients(session, branch.everyone)


def fake_labels(count: int) -> list[AddressLabel]:
    return [
        AddressLabel((n,), f"Person {n:03d}", (f"{n} Long Road", f"Town {n}", f"LS{n} 1AA"))
        for n in range(count)
    ]


def render(sheets: Sequence[Sheet], layout: LabelLayout) -> bytes:
    return LabelRenderer(sheets, layout).render()


def _page_lines(page: Any) -> list[tuple[str, float, float]]:
    lines: list[list[Any]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if lines and not lines[-1][0].endswith("\n") and abs(lines[-1][2] - y) < 0.1:
            lines[-1][0] += text
        else:
            lines.append([text, x, y])

    page.extract_text(visitor_text=visit)
    return [(t.strip(), x, y) for t, x, y in lines]


def text_lines(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, each drawn line as (text, x, y) of where it starts; a line reportlab splits
    across font subsets is joined back together (pypdf ends each whole line with a newline)."""
    return [_page_lines(page) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_avery_layouts_fit_a4_with_their_published_counts() -> None:
    assert {name: layout.per_sheet for name, layout in LAYOUTS.items()} == {
        "L7160": 21,
        "L7163": 14,
        "L7161": 18,
    }
    for layout in LAYOUTS.values():
        left, bottom, width, height = layout.rectangle(layout.per_sheet - 1)
        assert left + width <= 210 * MM and bottom >= 0
        assert layout.rectangle(0)[1] + height <= 297 * MM
    l7160 = LAYOUTS["L7160"].rectangle(4)  # row 2, column 2
    assert l7160[0] == pytest.approx((7.21 + 66.04) * MM)
    assert l7160[1] == pytest.approx((297 - 15.15 - 2 * 38.1) * MM)


def test_a_custom_grid_is_checked() -> None:
    grid = LabelLayout("mine", 2, 5, 90, 50, 10, 10, 100, 55)
    assert grid.per_sheet == 10
    with pytest.raises(UserError, match="do not fit on an A4 sheet"):
        LabelLayout("wide", 3, 5, 90, 50, 10, 10, 100, 55)
    with pytest.raises(UserError, match="pitch"):
        LabelLayout("overlap", 2, 5, 90, 50, 10, 10, 80, 55)


def test_a_grid_from_the_command_line_is_the_layout_it_describes() -> None:
    assert parse_grid("3x7,63.5x38.1,15.15,7.21,66.04,38.1", "L7160") == LAYOUTS["L7160"]
    touching = parse_grid(" 2 X 4 , 105 x 74 , 0 , 0 ")
    assert (touching.horizontal_pitch, touching.vertical_pitch) == (105, 74)
    assert touching.rectangle(7) == pytest.approx((105 * MM, 1 * MM, 105 * MM, 74 * MM))
    assert parse_grid("2x4,100x70,5,3,104").vertical_pitch == 70


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("", "is not COLSxROWS"),
        ("3x7,63.5x38.1,15.15", "is not COLSxROWS"),
        ("3x7,63.5x38.1,15.15,7.21,66.04,38.1,9", "is not COLSxROWS"),
        ("3x7,-63.5x38.1,15.15,7.21", "is not COLSxROWS"),
        ("3x7,63.5x38.1,15.15,7.21,70", "they reach 210.71 mm across"),
        ("1x1,6x40,0,0", "too small"),
    ],
)
def test_a_bad_grid_is_one_sentence(grid: str, message: str) -> None:
    with pytest.raises(UserError, match=re.escape(message)) as error:
        parse_grid(grid)
    assert str(error.value).endswith(".") and "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("layout", "count", "start", "pages"),
    [
        ("L7160", 25, 20, 3),  # 2 on the used sheet, 21 on the next, 2 on a third
        ("L7160", 20, 20, 2),
        ("L7160", 21, 1, 1),
        ("L7160", 22, 1, 2),
        ("L7160", 2, 21, 2),
        ("L7163", 14, 2, 2),
        ("L7161", 36, 1, 2),
    ],
)
def test_a_start_position_decides_the_sheets(
    layout: str, count: int, start: int, pages: int
) -> None:
    sheets = place_labels(fake_labels(count), LAYOUTS[layout], start)
    assert len(sheets) == pages
    assert sheets[0].labels[0][0] == start - 1
    assert len(PdfReader(io.BytesIO(render(sheets, LAYOUTS[layout]))).pages) == pages


def test_a_start_outside_the_sheet_is_refused() -> None:
    with pytest.raises(UserError, match="between 1 and 21"):
        place_labels(fake_labels(3), LAYOUTS["L7160"], 22)
    with pytest.raises(UserError):
        place_labels(fake_labels(3), LAYOUTS["L7160"], 0)


def test_every_line_prints_inside_its_own_label() -> None:
    layout = LAYOUTS["L7160"]
    labels = fake_labels(25)
    sheets = place_labels(labels, layout, 20)
    pages = text_lines(render(sheets, layout))
    for sheet, drawn in zip(sheets, pages, strict=True):
        texts = {text: (x, y) for text, x, y in drawn}
        for position, label in sheet.labels:
            left, bottom, width, height = layout.rectangle(position)
            for line in label.lines:
                x, y = texts[line]
                assert left < x < left + width and bottom < y < bottom + height, line
    first = {text for text, _, _ in pages[0]}
    assert {"Person 000", "Person 001"} <= first and "Person 002" not in first
    assert len(pages) == 3
    assert "Person 024" in {text for text, _, _ in pages[2]}


def test_a_long_line_shrinks_to_fit_its_label() -> None:
    layout = LAYOUTS["L7160"]
    long_name = "Dr Maximiliana Featherstonehaugh-Llŷr"
    label = AddressLabel((1,), long_name, ("1 The Street", "LS1 4AB"))
    sizes: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            sizes.append((text.strip(), size * tm[0], tm[4]))

    page = PdfReader(io.BytesIO(render(place_labels([label], layout), layout))).pages[0]
    text = page.extract_text(visitor_text=visit)
    assert long_name in text  # shrunk, not cut
    name_size = min(size for t, size, _ in sizes if t in long_name)
    street_size = next(size for t, size, _ in sizes if t == "1 The Street")
    assert name_size < street_size
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth(long_name, "DejaVuSans-Bold", name_size) <= (63.5 - 8) * MM + 0.01


def test_an_absurdly_long_line_is_cut_with_an_ellipsis() -> None:
    layout = LAYOUTS["L7160"]
    label = AddressLabel((1,), "x" * 200, ("LS1 4AB",))
    text = PdfReader(io.BytesIO(render(place_labels([label], layout), layout))).pages[0]
    assert "x…" in text.extract_text()


def test_labels_sorted_by_postcode_or_name(gathered: Gathered) -> None:
    by_postcode = [label.address_lines[-1] for label in plan_labels(gathered)]
    assert by_postcode == ["CF10 1AA", "CF10 1AA", "HU1 1AA", "LS1 4AB", "LS1 4AB", "T12 X70"]
    by_name = [label.name for label in plan_labels(gathered, sort="name")]
    assert by_name == [
        "Ms Nguyễn Thị Hương",
        "Mr Dafydd Llŷr-Jones",
        "Ms Siân Llŷr-Jones",
        "Dr Zoë Ó Dúnlaing",
        "Mrs Agnieszka Wójcik",
        "Mr Łukasz Wójcik",
    ]


def test_postcodes_sort_by_district_number() -> None:
    from reports.labels import _postcode_key

    codes = ["LS10 1AA", "LS2 9JT", "LS1 4AB"]
    assert sorted(codes, key=_postcode_key) == ["LS1 4AB", "LS2 9JT", "LS10 1AA"]


def test_a_household_shares_one_label_naming_everyone(gathered: Gathered) -> None:
    labels = plan_labels(gathered, per_household=True, sort="name")
    assert [label.name for label in labels] == [
        "Ms Nguyễn Thị Hương",
        "Ms S & Mr D Llŷr-Jones",
        "Dr Zoë Ó Dúnlaing",
        "Mr Ł & Mrs A Wójcik",
    ]
    assert len(next(label for label in labels if "Wójcik" in label.name).person_ids) == 2


def test_refusers_and_the_homeless_are_left_out_and_counted(
    gathered: Gathered, branch: Branch
) -> None:
    assert {(left.name, left.reason) for left in gathered.left_out} == {
        ("Peter Quiet", "refused post"),
        ("Nora Nowhere", "no postal address"),
    }
    printed = {pid for label in plan_labels(gathered) for pid in label.person_ids}
    assert branch["Peter Quiet"] not in printed and branch["Nora Nowhere"] not in printed


def test_every_name_prints_intact(gathered: Gathered) -> None:
    layout = LAYOUTS["L7163"]
    data = render(place_labels(plan_labels(gathered), layout, 3), layout)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    for name in NAMES:
        assert name in text
    assert "Peter Quiet" not in text
