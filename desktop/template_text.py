"""A letter template's stored text form and the rich text the editor shows, each made from
the other (the form itself is described in ``db.letter_templates``).

Both directions go through ``Piece``s, one per paragraph, bullet or Jinja tag line, so the
rules live once: ``parse`` reads text the way ``db.letter_templates.to_blocks`` prints it,
``render`` writes the one canonical text for a list of pieces, and the Qt side only moves
pieces in and out of a ``QTextDocument``. Text the editor wrote comes back exactly;
hand-written text comes back in its canonical layout, which prints the same.

Merge fields and tag lines are coloured by a ``QSyntaxHighlighter`` (the window's), never by
character formats, so nothing the highlighting does can reach the stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from PySide6.QtGui import (
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextList,
    QTextListFormat,
)

__all__ = [
    "FIELD",
    "TAG",
    "TAG_LINE",
    "Piece",
    "Run",
    "block_format",
    "char_format",
    "tighten_before",
    "differences",
    "lines_of",
    "normalise",
    "parse",
    "pieces_of",
    "render",
    "to_text",
    "write_document",
]

TAG = re.compile(r"\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\}")
# A line of nothing but tags prints nothing but a line break, so it parts paragraphs.
TAG_LINE = re.compile(rf"^\s*(?:(?:{TAG.pattern})\s*)+$")
FIELD = re.compile(r"\{\{.*?\}\}")
_KEYWORD = re.compile(r"\{[%#]-?\s*(\w+)")
# Tag lines that open or continue a section hug what follows them, and those that continue
# or close one hug what precedes them, so a conditional paragraph reads as one unit.
_OPENS = {"if", "elif", "else", "for", "with", "block", "macro", "call", "filter"}
_CLOSES = {"elif", "else"}
# The same patterns, in the same order, as db.letter_templates uses to print: bold first,
# then italic over what is left, so the editor shows what will print.
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")
_B_ON, _B_OFF, _I_ON, _I_OFF = "\ue101", "\ue102", "\ue103", "\ue104"
_OBJECT = "\ufffc"  # an image or other object pasted into the editor: nothing to print
_SOFT_BREAK = "\u2028"  # Shift+Enter; a paragraph's lines run together when printed
_BOLD_WEIGHT = QFont.Weight.DemiBold.value
PARAGRAPH_GAP, LINE_GAP = 9.0, 2.0  # pixels below a paragraph, a bullet or a tag line


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Piece:
    """A paragraph, a bullet or a tag line; bullets with the same ``group`` are one list."""

    kind: str  # "paragraph", "bullet" or "tag"
    runs: tuple[Run, ...]
    group: int = 0
    block: int = field(default=-1, compare=False)  # the document's block it came from

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


# --- text <-> pieces (no Qt) ---------------------------------------------------------------


def parse(text: str) -> list[Piece]:
    """The pieces ``text`` prints as: blank lines part paragraphs, a paragraph's lines join
    with a space, ``- `` lines are bullets (one list while no blank line parts them)."""
    pieces: list[Piece] = []
    lines: list[str] = []
    group = 0
    previous_bullet = False

    def flush() -> None:
        if lines:
            pieces.append(Piece("paragraph", _inline(" ".join(lines))))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            previous_bullet = False
        elif TAG_LINE.match(line):
            flush()
            pieces.append(Piece("tag", (Run(line),)))
            previous_bullet = False
        elif line.startswith("- ") or line == "-":
            flush()
            if not previous_bullet:
                group += 1
            pieces.append(Piece("bullet", _inline(line[1:].strip()), group))
            previous_bullet = True
        else:
            lines.append(line)
            previous_bullet = False
    flush()
    return pieces


def _inline(text: str) -> tuple[Run, ...]:
    marked = _BOLD.sub(f"{_B_ON}\\1{_B_OFF}", text)
    marked = _ITALIC.sub(f"{_I_ON}\\1{_I_OFF}", marked)
    runs: list[Run] = []
    bold = italic = False
    for part in re.split(f"([{_B_ON}{_B_OFF}{_I_ON}{_I_OFF}])", marked):
        if part in (_B_ON, _B_OFF):
            bold = part == _B_ON
        elif part in (_I_ON, _I_OFF):
            italic = part == _I_ON
        elif part:
            runs.append(Run(part, bold, italic))
    return _merged(runs)


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def render(pieces: list[Piece]) -> str:
    """The canonical text for ``pieces``: a blank line between paragraphs, none inside a
    list, none after a tag line that opens a section or before one that closes it."""
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index:
            out.append("\n" if _hug(pieces[index - 1], piece) else "\n\n")
        if piece.kind == "tag":
            out.append(piece.text.strip())
        elif piece.kind == "bullet":
            body = _markup(piece.runs)
            out.append(f"- {body}" if body else "-")
        else:
            out.append(_markup(piece.runs))
    return "".join(out) + ("\n" if out else "")


def _hug(before: Piece, after: Piece) -> bool:
    if before.kind == after.kind == "bullet":
        return before.group == after.group
    if before.kind == "tag" and _keyword(before) in _OPENS:
        return True
    keyword = _keyword(after) if after.kind == "tag" else ""
    return keyword.startswith("end") or keyword in _CLOSES


def _keyword(piece: Piece) -> str:
    """The last tag's keyword: in ``{% endif %}{% if x %}`` the line opens a section."""
    found = _KEYWORD.findall(piece.text)
    return found[-1] if found else ""


def _markup(runs: tuple[Run, ...]) -> str:
    """Runs as ``**``/``*`` text; bold outside italic where they nest, as in the printout."""
    out: list[str] = []
    opened: list[str] = []  # markers open now, innermost last
    for run in runs:
        wanted = [m for m, on in (("**", run.bold), ("*", run.italic)) if on]
        # Close back to the longest prefix still wanted, then open the rest.
        keep = 0
        while keep < len(opened) and opened[keep] in wanted:
            keep += 1
        while len(opened) > keep:
            out.append(opened.pop())
        for marker in wanted:
            if marker not in opened:
                out.append(marker)
                opened.append(marker)
        out.append(run.text)
    out.extend(reversed(opened))
    return "".join(out)


def lines_of(pieces: list[Piece]) -> list[int]:
    """The line (from 1) of ``render(pieces)`` that each piece is written on."""
    lines: list[int] = []
    for index, piece in enumerate(pieces):
        if not index:
            lines.append(1)
        else:
            lines.append(lines[-1] + (1 if _hug(pieces[index - 1], piece) else 2))
    return lines


def normalise(text: str) -> str:
    """``text`` in the canonical layout the editor writes; it prints the same."""
    return render(parse(text))


# --- pieces <-> QTextDocument ---------------------------------------------------------------


def pieces_of(document: QTextDocument) -> list[Piece]:
    """The document's blocks as pieces; empty paragraphs are left out as printing nothing."""
    pieces: list[Piece] = []
    block = document.begin()
    while block.isValid():
        runs: list[Run] = []
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fmt = fragment.charFormat()
            text = fragment.text().replace(_OBJECT, "").replace(_SOFT_BREAK, " ")
            runs.append(Run(text, fmt.fontWeight() >= _BOLD_WEIGHT, fmt.fontItalic()))
            fragments += 1
        stripped = _strip(runs)
        text = "".join(run.text for run in stripped)
        listed = block.textList()
        if listed is not None:
            pieces.append(Piece("bullet", stripped, listed.objectIndex(), block.blockNumber()))
        elif TAG_LINE.match(text):
            pieces.append(Piece("tag", (Run(text),), block=block.blockNumber()))
        elif text:
            pieces.append(Piece("paragraph", stripped, block=block.blockNumber()))
        block = block.next()
    return _numbered_groups(pieces)


def _strip(runs: list[Run]) -> tuple[Run, ...]:
    """Runs without the block's leading and trailing white space (printing drops it)."""
    merged = list(_merged(runs))
    while merged and not merged[0].text.lstrip():
        merged.pop(0)
    while merged and not merged[-1].text.rstrip():
        merged.pop()
    if merged:
        first, last = merged[0], merged[-1]
        merged[0] = Run(first.text.lstrip(), first.bold, first.italic)
        last = merged[-1]
        merged[-1] = Run(last.text.rstrip(), last.bold, last.italic)
    return tuple(merged)


def _numbered_groups(pieces: list[Piece]) -> list[Piece]:
    """Bullet groups numbered as ``parse`` numbers them: a new number whenever a list
    starts again, so the same document and its text compare equal."""
    numbered: list[Piece] = []
    group = 0
    for index, piece in enumerate(pieces):
        if piece.kind == "bullet":
            before = pieces[index - 1] if index else None
            if before is None or before.kind != "bullet" or before.group != piece.group:
                group += 1
            piece = replace(piece, group=group)
        numbered.append(piece)
    return numbered


def to_text(document: QTextDocument) -> str:
    return render(pieces_of(document))


def write_document(document: QTextDocument, text: str) -> None:
    """Replace the document's content with ``text`` as rich text, as one undo step (the
    caller clears the undo stack when this is a load rather than an edit)."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.removeSelectedText()
    listed = cursor.currentList()
    if listed is not None:
        listed.remove(cursor.block())
    cursor.setBlockFormat(block_format("paragraph"))
    cursor.setBlockCharFormat(QTextCharFormat())
    current: QTextList | None = None
    group = -1
    for index, piece in enumerate(parse(text)):
        if index:
            cursor.insertBlock(block_format(piece.kind, piece.text), QTextCharFormat())
        else:
            cursor.setBlockFormat(block_format(piece.kind, piece.text))
        if piece.kind == "tag" and _keyword(piece).startswith("end"):
            tighten_before(cursor)
        if piece.kind == "bullet":
            if current is not None and piece.group == group:
                current.add(cursor.block())
            else:
                current = cursor.createList(QTextListFormat.Style.ListDisc)
            group = piece.group
        for run in piece.runs:
            cursor.insertText(run.text, char_format(run.bold, run.italic))
    cursor.endEditBlock()


def block_format(kind: str, text: str = "") -> QTextBlockFormat:
    """Room after a paragraph and after a section's closing tag, as on paper; bullets and
    other tag lines sit close. Only looks: margins are no part of the text form."""
    closing = kind == "tag" and _keyword(Piece("tag", (Run(text),))).startswith("end")
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(PARAGRAPH_GAP if kind == "paragraph" or closing else LINE_GAP)
    return fmt


def tighten_before(cursor: QTextCursor) -> None:
    """The block before the cursor's sits close to it (a closing tag line follows it)."""
    before = cursor.block().previous()
    if before.isValid():
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(LINE_GAP)
        QTextCursor(before).mergeBlockFormat(fmt)


def char_format(bold: bool, italic: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold.value if bold else QFont.Weight.Normal.value)
    fmt.setFontItalic(italic)
    return fmt


def differences(document: QTextDocument) -> list[int]:
    """The numbers (from 1) of the document's pieces that will not print as shown: a
    literal ``*``, a paragraph typed as ``- ...``, bold and italic that end together."""
    shown = pieces_of(document)
    printed = parse(render(shown))
    changed = [i + 1 for i, (a, b) in enumerate(zip(shown, printed, strict=False)) if a != b]
    if len(shown) != len(printed):
        changed.append(min(len(shown), len(printed)) + 1)
    return changed
