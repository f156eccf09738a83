"""Address labels on A4 sheets: Avery L7160, L7163, L7161 or a grid of one's own.

``plan_labels`` turns ``db.mailing_data.gather_recipients``'s recipients into labels, one per
person or one per household ("Mr A & Ms B Smith", by ``db.mailing_data.addressee``), sorted
by postcode or by name. (``plan_letters`` groups a household by its letters' text, which
labels have none of, so the grouping here is by household alone.) ``place_labels`` lays them
on sheets from any position of a partly used first sheet, and ``LabelRenderer`` draws the
sheets, one page each, shrinking a line that is too long for its label rather than letting
it run over into the next. ``parse_grid`` reads a sheet of one's own as the command line
gives it; ``draw_address_block`` is shared with ``reports.envelopes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from db.errors import UserError
from db.folding import sort_key
from db.mailing_data import Gathered, Recipient, addressee
from reports.fonts import register_fonts
from reports.pdf_renderer import PdfRenderer

__all__ = [
    "GRID_FORMAT",
    "LAYOUTS",
    "AddressLabel",
    "LabelLayout",
    "LabelRenderer",
    "Sheet",
    "SortOrder",
    "draw_address_block",
    "fit_line",
    "parse_grid",
    "place_labels",
    "plan_labels",
]

SortOrder = Literal["postcode", "name"]
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
_MAX_SIZE = 10.0  # points: the type size a label's lines start from
_MIN_SIZE = 5.0  # points: smaller than this is unreadable, so a line is cut instead
_LEADING = 1.2  # line height as a multiple of the type size


@dataclass(frozen=True)
class LabelLayout:
    """A sheet of labels in millimetres: the first label's top-left corner is ``left_margin``
    from the sheet's left edge and ``top_margin`` from its top; each next label across is
    ``horizontal_pitch`` further right, each next row ``vertical_pitch`` further down."""

    name: str
    columns: int
    rows: int
    label_width: float
    label_height: float
    top_margin: float
    left_margin: float
    horizontal_pitch: float
    vertical_pitch: float
    padding: float = 4.0  # kept clear inside each label's edges, for a sheet fed slightly off

    def __post_init__(self) -> None:
        if self.columns < 1 or self.rows < 1:
            raise UserError("A label sheet needs at least one column and one row.")
        if min(self.label_width, self.label_height) <= 2 * self.padding:
            raise UserError("The labels are too small to print an address on.")
        if min(self.top_margin, self.left_margin) < 0:
            raise UserError("A label sheet's margins cannot be negative.")
        if self.horizontal_pitch < self.label_width or self.vertical_pitch < self.label_height:
            raise UserError("The label pitch must be at least the label's size.")
        right = self.left_margin + (self.columns - 1) * self.horizontal_pitch + self.label_width
        bottom = self.top_margin + (self.rows - 1) * self.vertical_pitch + self.label_height
        if right > PAGE_WIDTH_MM + 0.01 or bottom > PAGE_HEIGHT_MM + 0.01:
            raise UserError(
                f"The labels of layout '{self.name}' do not fit on an A4 sheet "
                f"({PAGE_WIDTH_MM:g} x {PAGE_HEIGHT_MM:g} mm): they reach {right:g} mm across "
                f"and {bottom:g} mm down."
            )

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def rectangle(self, position: int) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) in points, PDF-style from the page's bottom-left,
        of the label at ``position`` (0-based, across then down)."""
        row, column = divmod(position, self.columns)
        left = self.left_margin + column * self.horizontal_pitch
        top = self.top_margin + row * self.vertical_pitch
        bottom = PAGE_HEIGHT_MM - top - self.label_height
        return left * mm, bottom * mm, self.label_width * mm, self.label_height * mm


# Avery's template dimensions for A4 sheets, in mm, as recalled (no source could be read
# here) and checked for consistency: each sheet's labels and gaps are centred on the page
# (side margin = (210 - columns x width - gaps) / 2, top = (297 - rows x height) / 2).
# Print one with --outlines on plain paper against a real sheet before trusting it.
# L7160: 21 labels, 3 x 7, 63.5 x 38.1; top margin 15.15, side margin 7.21,
#        horizontal pitch 66.04, vertical pitch 38.1.
# L7163: 14 labels, 2 x 7, 99.1 x 38.1; top margin 15.15, side margin 4.65,
#        horizontal pitch 101.6, vertical pitch 38.1.
# L7161: 18 labels, 3 x 6, 63.5 x 46.6; top margin 8.7, side margin 7.21,
#        horizontal pitch 66.04, vertical pitch 46.6.
LAYOUTS: dict[str, LabelLayout] = {
    "L7160": LabelLayout("L7160", 3, 7, 63.5, 38.1, 15.15, 7.21, 66.04, 38.1),
    "L7163": LabelLayout("L7163", 2, 7, 99.1, 38.1, 15.15, 4.65, 101.6, 38.1),
    "L7161": LabelLayout("L7161", 3, 6, 63.5, 46.6, 8.7, 7.21, 66.04, 46.6),
}


GRID_FORMAT = "COLSxROWS,WIDTHxHEIGHT,TOP,LEFT[,HPITCH[,VPITCH]]"
_NUMBER = r"\s*(\d+(?:\.\d+)?)\s*"
_GRID = re.compile(
    rf"\s*(\d+)\s*[xX]\s*(\d+)\s*,{_NUMBER}[xX]{_NUMBER},{_NUMBER},{_NUMBER}"
    rf"(?:,{_NUMBER}(?:,{_NUMBER})?)?"
)


def parse_grid(text: str, name: str = "custom") -> LabelLayout:
    """A sheet of one's own from ``GRID_FORMAT`` in millimetres, e.g. "3x7,63.5x38.1,15.15,
    7.21,66.04,38.1"; a pitch left out is the label's size (labels touching, as on many
    sheets without gaps). A grid that is not that shape, or that runs off A4, is a UserError."""
    match = _GRID.fullmatch(text)
    if match is None:
        raise UserError(
            f"The grid '{text}' is not {GRID_FORMAT} in millimetres, "
            "e.g. 3x7,63.5x38.1,15.15,7.21,66.04,38.1."
        )
    columns, rows = int(match.group(1)), int(match.group(2))
    width, height, top, left = (float(match.group(n)) for n in range(3, 7))
    across = float(match.group(7)) if match.group(7) else width
    down = float(match.group(8)) if match.group(8) else height
    return LabelLayout(name, columns, rows, width, height, top, left, across, down)


@dataclass(frozen=True)
class AddressLabel:
    person_ids: tuple[int, ...]
    name: str  # "Mr A & Ms B Smith"
    address_lines: tuple[str, ...]  # postcode last

    @property
    def lines(self) -> tuple[str, ...]:
        return (self.name, *self.address_lines)


@dataclass(frozen=True)
class Sheet:
    """One page: (position on the sheet, 0-based, label) for each label printed on it."""

    number: int
    labels: tuple[tuple[int, AddressLabel], ...]


def _postcode_key(postcode: str) -> tuple[str, int, str]:
    """'LS1 4AB' before 'LS10 1AA': the district's number compared as a number."""
    compact = re.sub(r"\s+", "", postcode.upper())
    match = re.match(r"([A-Z]+)(\d+)(.*)", compact)
    if match is None:
        return compact, 0, ""
    return match.group(1), int(match.group(2)), match.group(3)


def _name_key(person: Recipient) -> str:
    return sort_key(person.last_name, person.first_name)


def plan_labels(
    gathered: Gathered, *, per_household: bool = False, sort: SortOrder = "postcode"
) -> list[AddressLabel]:
    """One label per recipient, or per household; sorted by postcode (then name) or by name
    (then postcode). A household's label is sorted by its first person's name."""
    groups: dict[tuple[str, int], list[Recipient]] = {}
    for person in gathered.recipients:
        key = ("person", person.person_id)
        if per_household and person.household_id is not None:
            key = ("household", person.household_id)
        groups.setdefault(key, []).append(person)
    people = list(groups.values())
    if sort == "postcode":
        people.sort(key=lambda g: (_postcode_key(g[0].postcode), _name_key(g[0])))
    else:
        people.sort(key=lambda g: (_name_key(g[0]), _postcode_key(g[0].postcode)))
    return [
        AddressLabel(tuple(p.person_id for p in g), addressee(g), g[0].address_lines)
        for g in people
    ]


def place_labels(
    labels: Sequence[AddressLabel], layout: LabelLayout, start: int = 1
) -> list[Sheet]:
    """The sheets ``labels`` fill, the first from position ``start`` (1-based, across then
    down), the positions before it being already used."""
    if not 1 <= start <= layout.per_sheet:
        raise UserError(
            f"The start position must be between 1 and {layout.per_sheet} on a {layout.name} sheet."
        )
    sheets: list[list[tuple[int, AddressLabel]]] = []
    for index, label in enumerate(labels):
        slot = start - 1 + index
        page, position = divmod(slot, layout.per_sheet)
        if page == len(sheets):
            sheets.append([])
        sheets[page].append((position, label))
    return [Sheet(n + 1, tuple(placed)) for n, placed in enumerate(sheets)]


class LabelRenderer(PdfRenderer[Sheet]):
    """Draws each sheet on its own page; ``outlines`` draws each label's edge, for a test
    print on plain paper held up against a sheet of labels."""

    title = "Address labels"

    def __init__(
        self, sheets: Sequence[Sheet], layout: LabelLayout, *, outlines: bool = False
    ) -> None:
        super().__init__(sheets)
        self.layout = layout
        self.outlines = outlines
        self.regular, self.bold = register_fonts()

    def label(self, item: Sheet, index: int) -> str:
        return f"Sheet {item.number} of {len(self.items)}"

    def draw(self, canvas: Canvas, item: Sheet) -> None:
        for position, label in item.labels:
            self._draw_label(canvas, position, label)

    def _draw_label(self, canvas: Canvas, position: int, label: AddressLabel) -> None:
        left, bottom, width, height = self.layout.rectangle(position)
        if self.outlines:
            canvas.setLineWidth(0.25)
            canvas.roundRect(left, bottom, width, height, 2 * mm)
        pad = self.layout.padding * mm
        box = (left + pad, bottom + pad, width - 2 * pad, height - 2 * pad)
        draw_address_block(canvas, label.lines, box, (self.regular, self.bold), _MAX_SIZE)


def draw_address_block(
    canvas: Canvas,
    lines: Sequence[str],
    box: tuple[float, float, float, float],
    fonts: tuple[str, str],
    max_size: float,
) -> None:
    """The addressee in bold, then the address, left-aligned in ``box`` (left, bottom, width,
    height in points) and centred in its height; the type is as large as ``max_size`` but
    small enough for every line to fit the height, and a line too wide shrinks on its own."""
    left, bottom, room_w, room_h = box
    regular, bold = fonts
    shown = [line for line in lines if line]
    size = min(max_size, room_h / (len(shown) * _LEADING))
    # Centred in the box's height, so a short address sits in the middle.
    top = bottom + room_h - (room_h - len(shown) * size * _LEADING) / 2
    for number, line in enumerate(shown):
        font = bold if number == 0 else regular
        line_size, text = fit_line(canvas, line, font, size, room_w)
        canvas.setFont(font, line_size)
        canvas.drawString(left, top - (number + 1) * size * _LEADING + 0.2 * size, text)


def fit_line(canvas: Canvas, text: str, font: str, size: float, room: float) -> tuple[float, str]:
    """(type size, text) that fit ``room`` points: the size shrinks as far as ``_MIN_SIZE``;
    a line too long even then is cut with an ellipsis."""
    width = canvas.stringWidth(text, font, size)
    if width <= room:
        return size, text
    smaller = size * room / width
    if smaller >= _MIN_SIZE:
        return smaller, text
    while text and canvas.stringWidth(text + "…", font, _MIN_SIZE) > room:
        text = text[:-1]
    return _MIN_SIZE, text + "…"
