"""Breaking a letter's blocks into lines: nothing wider than the column, every word kept in
order and in its face, markup read as text, a word longer than a line cut, not lost."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR
from reports.text_layout import Line, TextLayout, TextStyle, runs_of

STYLE = TextStyle(size=10.5, leading=14, space_after=7)
TEXT = (
    "Siân Llŷr-Jones and Łukasz Wójcik asked about <b>housing in Cathays</b> and the "
    "<i>buses</i> at the last meeting; Nguyễn Thị Hương wants the library kept open &amp; "
    "staffed, and 3 &lt; 4 &gt; 2 is printed as written."
)


def width_of(line: Line, size: float = STYLE.size) -> float:
    return sum(stringWidth(text, font, size) for font, text in line.runs)


def words(lines: tuple[Line, ...]) -> list[str]:
    return " ".join("".join(text for _, text in line.runs) for line in lines).split()


def test_runs_read_bold_italic_and_entities() -> None:
    assert runs_of("a <b>b</b> <i>c &amp; d</i> e &lt;f&gt;") == [
        (REGULAR, "a "),
        (BOLD, "b"),
        (REGULAR, " "),
        (ITALIC, "c & d"),
        (REGULAR, " e <f>"),
    ]


def test_lines_fit_the_column_and_keep_every_word_in_order() -> None:
    layout = TextLayout(150)
    lines = layout.lines(TEXT, STYLE)
    assert len(lines) > 4
    assert all(width_of(line) <= 150 for line in lines)
    expected = "".join(text for _, text in runs_of(TEXT)).split()
    assert words(lines) == expected
    # A line is broken only where the next word would not fit.
    for line, following in zip(lines, lines[1:], strict=False):
        first_word = following.runs[0][1].split(" ")[0]
        space = stringWidth(" ", REGULAR, STYLE.size)
        assert width_of(line) + space + stringWidth(first_word, following.runs[0][0], 10.5) > 150


def test_faces_follow_the_markup_across_line_breaks() -> None:
    lines = TextLayout(60).lines("plain <b>bold words that wrap over lines</b> plain", STYLE)
    bold_words = [
        word for line in lines for font, text in line.runs if font == BOLD for word in text.split()
    ]
    assert bold_words == ["bold", "words", "that", "wrap", "over", "lines"]


def test_a_word_longer_than_the_line_is_cut_not_lost() -> None:
    long_word = "https://example.org/" + "x" * 120
    lines = TextLayout(100).lines(f"see {long_word} now", STYLE)
    assert all(width_of(line) <= 100 for line in lines)
    assert "".join(words(lines)).replace(" ", "") == f"see{long_word}now"


def test_an_indented_block_is_narrower_and_an_empty_block_is_one_line() -> None:
    indented = TextStyle(size=10.5, leading=14, space_after=3, indent=40)
    lines = TextLayout(200).lines(TEXT, indented)
    assert all(width_of(line) <= 160 for line in lines)
    assert TextLayout(200).lines("", STYLE) == (Line(()),)


def test_drawn_lines_read_back_from_the_pdf() -> None:
    layout = TextLayout(300)
    stream = io.BytesIO()
    canvas = Canvas(stream)
    lines = layout.lines(TEXT, STYLE)
    bullet = TextStyle(size=10.5, leading=14, space_after=3, indent=14, bullet="•")
    layout.draw(canvas, lines, bullet, 50, 700)
    canvas.save()
    text = PdfReader(stream).pages[0].extract_text()
    assert " ".join(text.split()).startswith("• Siân Llŷr-Jones and Łukasz Wójcik")
    for name in ("Nguyễn Thị Hương", "& staffed", "3 < 4 > 2"):
        assert name in " ".join(text.split())


def test_bold_and_italic_together_print_even_when_their_tags_cross() -> None:
    """``***Siân***`` becomes ``<b><i>Siân</b></i>``: not XML, but what the editor writes
    when a word is made bold and italic; reportlab's Paragraph refused it."""
    from db.letter_templates import to_blocks

    markup = to_blocks("Dear ***Siân***, and **bold *both* bold**.")[0].markup
    assert runs_of(markup) == [
        (REGULAR, "Dear "),
        (BOLD_ITALIC, "Siân"),
        (REGULAR, ", and "),
        (BOLD, "bold "),
        (BOLD_ITALIC, "both"),
        (BOLD, " bold"),
        (REGULAR, "."),
    ]
    stream = io.BytesIO()
    canvas = Canvas(stream)
    layout = TextLayout(300)
    layout.draw(canvas, layout.lines(markup, STYLE), STYLE, 50, 700)
    canvas.save()
    assert "Dear Siân, and bold both bold." in PdfReader(stream).pages[0].extract_text()
