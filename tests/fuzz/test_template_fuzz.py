"""The letter template renderer fed any text a secretary (or a shared file) could hold: it
gives its problems as sentences or a letter, never another exception; and whatever a
person's details say, they print as text, never as bold, a bullet, a new paragraph or a tag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from db.errors import UserError
from db.letter_templates import (
    FIELDS,
    SALUTATION_MARK,
    Block,
    check_template,
    compile_template,
    fill_salutation,
    plain_text,
    to_blocks,
    variant_of,
)
from tests.fuzz.strategies import FUZZ

# The pieces templates are made of, so that most examples get past the parser and reach
# the renderer; raw text besides, for the ones that should not.
_PIECES = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ ", " }}", "{% if ", "{% endif %}", "{% else %}",
    "{% for line in address_lines %}", "{% endfor %}", "{% set x = ", "{% macro m() %}",
    "{% endmacro %}", "{{ m() }}", "{% raw %}", "{% endraw %}", "{% include 'x' %}",
    'in_segment("Members")', "in_segment(ward)", "in_segment()", "not ", " and ", " or ",
    "(", ")", "[", "]", "|", "upper", "title", "default('x')", "join(', ')", "length",
    "attr('__class__')", ".__class__", ".__globals__", "._render", ".mro()", "[0]", "'", '"',
    " ~ ", " + ", " * ", " ** ", " // ", "1", "0", "-1", "99999999", "range(", "lipsum",
    "**", "*", "- ", "-", "\n", "\n\n", " ", "Dear ", "&", "<b>", "</b>", "<br/>", "\ue020",
    *FIELDS,
]  # fmt: skip
TEMPLATES = st.one_of(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=30).map("".join),
    st.text(max_size=80),
)
# Merge values as a branch's files could hold them: anything at all.
VALUES = st.text(max_size=40)


def _context(value: str, **others: object) -> dict[str, Any]:
    """Every field, as db.mailing_data fills them, each text field holding ``value``."""
    context: dict[str, Any] = {name: value for name in FIELDS}
    context.update(
        salutation=SALUTATION_MARK,
        address_lines=[value, value, "LS1 1AA"],
        address=f"{value}, {value}, LS1 1AA",
        is_member=True,
        is_lapsed=False,
        lives_with_member=False,
        last_meeting_attended=dt.date(2026, 10, 1),
        today=dt.date(2026, 11, 27),
        in_segment=lambda name: name == "Members",
    )
    context.update(others)
    return context


def _is_sentence(text: str) -> bool:
    return bool(text) and text.endswith(".") and "Traceback" not in text


@FUZZ
@given(body=TEMPLATES, value=VALUES)
# Both once raised Jinja's own exceptions: an unknown filter, and Python refusing to compile
# a hundred nested blocks.
@example(body="Dear {{ first_name|bogus }},", value="")
@example(body="{% if 1 %}" * 100 + "{% endif %}" * 100, value="")
def test_any_template_gives_sentences_or_a_letter(body: str, value: str) -> None:
    problems = check_template(body)
    assert all(isinstance(p, str) and _is_sentence(p) for p in problems), problems
    try:
        compiled = compile_template(body)
    except UserError as error:
        # check_template only parses: a hundred nested blocks pass it, and only Python's
        # compiler, in compile_template, refuses them (in a sentence, all the same).
        assert problems or "nests brackets or blocks too deeply" in str(error)
        assert _is_sentence(str(error))
        return
    assert not problems, "compile_template took a template check_template refused"
    try:
        text = compiled.render(_context(value))
    except UserError as error:
        assert _is_sentence(str(error))
        return
    blocks = to_blocks(fill_salutation(text, value))
    assert all(block.kind in ("paragraph", "bullet") for block in blocks)
    plain_text(text)
    variant_of(text)


@settings(FUZZ, max_examples=25)
@given(
    nesting=st.sampled_from(["(", "[", "{% if 1 %}", "{% for x in address_lines %}"]),
    depth=st.integers(1, 1_500),
)
def test_a_template_nested_however_deep_is_read_or_refused_in_a_sentence(
    nesting: str, depth: int
) -> None:
    # Jinja recurses once per level, and writes each block as nested Python: deep enough,
    # the stack or Python's compiler gives out, and that too must come back as a sentence.
    # (Not chains of "not", "-" or filters: Jinja's time for those grows with the cube of
    # the depth, seconds at 100, and would only time this test.)
    if nesting.startswith("{%"):
        end = "{% endif %}" if "if" in nesting else "{% endfor %}"
        body = f"{nesting * depth}{{{{ first_name }}}}{end * depth}"
    else:
        closing = ")" if nesting == "(" else "]"
        body = f"Dear {{{{ {nesting * depth}first_name{closing * depth} }}}}"
    problems = check_template(body)
    assert all(_is_sentence(p) for p in problems), problems
    try:
        compile_template(body).render(_context("Ann"))
    except UserError as error:
        assert _is_sentence(str(error)), error
    else:
        assert not problems


def _escaped(value: str) -> str:
    """``value`` as it must reach reportlab: spaces squashed, every character escaped."""
    text = " ".join(value.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Text without the private-use characters the renderer marks merge values with: those are
# dropped from what prints, which is the only way a value is not printed as it is.
CLEAN_VALUES = st.text(alphabet=st.characters(blacklist_categories=("Co", "Cs")), max_size=40)


@FUZZ
@given(value=CLEAN_VALUES)
def test_a_merge_value_prints_as_itself_and_never_as_markup(value: str) -> None:
    body = "Dear {{ first_name }},\n\n**{{ last_name }}** at {{ address }}\n- {{ postcode }}"
    text = compile_template(body).render(_context(value))
    expected = _escaped(value)
    assert to_blocks(text) == [
        Block("paragraph", f"Dear {expected},"),
        Block("paragraph", f"<b>{expected}</b> at {_escaped(f'{value}, {value}, LS1 1AA')}"),
        Block("bullet", expected),
    ]


@FUZZ
@given(value=VALUES)
def test_no_merge_value_makes_a_tag_a_paragraph_or_a_bullet(value: str) -> None:
    body = "Dear {{ first_name }} {{ salutation }},\n{{ last_name }}"
    text = fill_salutation(compile_template(body).render(_context(value)), value)
    blocks = to_blocks(text)
    assert len(blocks) == 1 and blocks[0].kind == "paragraph"
    assert "<" not in blocks[0].markup


@FUZZ
@given(first=CLEAN_VALUES, second=CLEAN_VALUES, member=st.booleans())
def test_the_variant_depends_on_the_paragraphs_not_on_the_values(
    first: str, second: str, member: bool
) -> None:
    body = "Dear {{ first_name }},\n\n{% if is_member %}Thank you.{% else %}Join us.{% endif %}"
    compiled = compile_template(body)

    def variant(value: str, context: Mapping[str, object]) -> str:
        return variant_of(compiled.render(_context(value, **context)))

    assert variant(first, {"is_member": member}) == variant(second, {"is_member": member})
    assert variant(first, {"is_member": True}) != variant(first, {"is_member": False})
