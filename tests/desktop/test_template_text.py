"""The letter template's text form and the editor's rich text, each made from the other:
exact for what the editor writes, stable for hand-written text, and printing the same."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument, QTextListFormat

from db.letter_templates import FIELDS, compile_template, plain_text, to_blocks
from desktop.template_text import (
    Piece,
    Run,
    char_format,
    differences,
    normalise,
    parse,
    pieces_of,
    to_text,
    write_document,
)

EDITOR_TEXTS = {
    "plain": "Dear friend,\n\nThank you.\n",
    "bold": "We meet on **Tuesday** at 7pm.\n",
    "italic": "Bring *a friend* if you like.\n",
    "italic inside bold": "**The AGM is *on Tuesday* this year**, not Monday.\n",
    "bold inside italic": "*Please **do** come*, everyone.\n",
    "bullets": "You can vote on:\n\n- the officers\n- the **budget**\n- the plan\n\nThanks.\n",
    "two lists": "- one\n- two\n\n- three\n",
    "empty bullet": "- one\n-\n",
    "fields": "Dear {{ salutation }},\n\nYour number is **{{ membership_number }}**.\n",
    "only for": (
        "Dear {{ first_name }},\n\n"
        '{% if in_segment("Members") %}\n'
        "As a member you can vote.\n\n"
        "- officers\n"
        "- budget\n"
        "{% endif %}\n\n"
        '{% if not in_segment("Members") %}\n'
        "Do join us.\n"
        "{% endif %}\n\n"
        "Yours sincerely,\n"
    ),
    "else": "{% if is_member %}\nMember.\n{% else %}\nFriend.\n{% endif %}\n",
    "non-ascii": "Annwyl **Siân Llŷr-Jones**, Zoë, Łukasz, Nguyễn, *Ó Dúnlaing*:\n\n- Ødegaard\n",
    "inline tags": "You are {% if is_member %}a member{% else %}a friend{% endif %} of ours.\n",
    "empty": "",
}

HAND_WRITTEN = {
    "lines run together": "Dear {{ first_name }},\nthank you\n   for coming.   \n",
    "extra blank lines": "\n\nOne.\n\n\n\nTwo.\n\n\n",
    "bullets without blank lines": "Vote on:\n- officers\n- budget\nThanks.\n",
    "dash without space": "-not a bullet\n- a bullet\n",
    "tags with blank lines": '{% if in_segment("Members") %}\n\nHello.\n\n{% endif %}\nBye.\n',
    "indented tag": "  {%- if is_member -%}  \nYes.\n{% endif %}\n",
    "windows line ends": "One.\r\n\r\n- a\r\n- b\r\n",
    "stars": "5 * 3 * 2 and ***both*** and **unclosed\n",
}


def _document(text: str) -> QTextDocument:
    document = QTextDocument()
    write_document(document, text)
    return document


@pytest.mark.parametrize("name", EDITOR_TEXTS)
def test_what_the_editor_writes_comes_back_exactly(qapp: object, name: str) -> None:
    text = EDITOR_TEXTS[name]
    document = _document(text)
    assert to_text(document) == text
    assert differences(document) == []
    assert normalise(text) == text


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_hand_written_text_settles_after_one_normalisation(qapp: object, name: str) -> None:
    text = HAND_WRITTEN[name]
    once = to_text(_document(text))
    assert once == normalise(text)
    assert to_text(_document(once)) == once


def _context(member: bool) -> dict[str, Any]:
    context: dict[str, Any] = {name: f"<{name}>" for name in FIELDS}
    context.update(is_member=member, is_lapsed=False, lives_with_member=False)
    context["in_segment"] = lambda segment: member and segment == "Members"
    return context


@pytest.mark.parametrize("name", [*EDITOR_TEXTS, *HAND_WRITTEN])
@pytest.mark.parametrize("member", [True, False])
def test_the_normalised_text_prints_the_same(name: str, member: bool) -> None:
    text = {**EDITOR_TEXTS, **HAND_WRITTEN}[name]
    printed = compile_template(text).render(_context(member))
    normalised = compile_template(normalise(text)).render(_context(member))
    assert to_blocks(normalised) == to_blocks(printed)


def test_the_document_holds_formats_lists_and_tag_lines(qapp: object) -> None:
    document = _document(EDITOR_TEXTS["only for"])
    blocks = []
    block = document.begin()
    while block.isValid():
        blocks.append((block.text(), block.textList() is not None))
        block = block.next()
    assert blocks == [
        ("Dear {{ first_name }},", False),
        ('{% if in_segment("Members") %}', False),
        ("As a member you can vote.", False),
        ("officers", True),
        ("budget", True),
        ("{% endif %}", False),
        ('{% if not in_segment("Members") %}', False),
        ("Do join us.", False),
        ("{% endif %}", False),
        ("Yours sincerely,", False),
    ]
    nested = pieces_of(_document(EDITOR_TEXTS["italic inside bold"]))
    assert nested == [
        Piece(
            "paragraph",
            (
                Run("The AGM is ", bold=True),
                Run("on Tuesday", bold=True, italic=True),
                Run(" this year", bold=True),
                Run(", not Monday."),
            ),
        )
    ]


def test_a_document_built_with_formats_becomes_markup(qapp: object) -> None:
    """As the toolbar builds it: char formats and a list made by createList."""
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText("Dear ", char_format(False, False))
    cursor.insertText("{{ first_name }}", char_format(False, False))
    cursor.insertText(",  ", char_format(False, False))
    cursor.insertBlock()
    cursor.insertBlock()  # an empty paragraph prints nothing and is left out
    cursor.insertText("  Come ", char_format(False, False))
    cursor.insertText("early", char_format(True, False))
    cursor.insertText(" and ", char_format(False, False))
    cursor.insertText("hungry", char_format(False, True))
    cursor.insertText("!\u2028Really.", char_format(False, False))
    cursor.insertBlock()
    cursor.insertText("Siân", char_format(True, True))
    cursor.insertText(" Llŷr-Jones", char_format(False, False))
    cursor.createList(QTextListFormat.Style.ListDisc)
    cursor.insertBlock()
    cursor.insertText("Zoë", char_format(False, False))
    text = to_text(document)
    assert text == (
        "Dear {{ first_name }},\n\nCome **early** and *hungry*! Really.\n\n"
        "- ***Siân*** Llŷr-Jones\n- Zoë\n"
    )
    assert to_text(_document(text)) == text


def test_what_cannot_print_as_shown_is_pointed_out(qapp: object) -> None:
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText("Fine.", char_format(False, False))
    cursor.insertBlock()
    cursor.insertText("5 * 3 * 2", char_format(False, False))
    cursor.insertBlock()
    cursor.insertText("- typed, not a list", char_format(False, False))
    assert differences(document) == [2, 3]
    assert parse("5 * 3 * 2")[0].runs == (Run("5 "), Run(" 3 ", italic=True), Run(" 2"))


def test_tag_lines_print_nothing_but_a_paragraph_break() -> None:
    text = EDITOR_TEXTS["only for"]
    member = plain_text(compile_template(text).render(_context(True)))
    other = plain_text(compile_template(text).render(_context(False)))
    assert [b.kind for b in to_blocks(member)] == [
        "paragraph",
        "paragraph",
        "bullet",
        "bullet",
        "paragraph",
    ]
    assert "Do join us." not in member
    assert "Do join us." in other and "As a member" not in other
