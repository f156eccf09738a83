"""Letter templates: checked before anything prints, rendered safely, stored by name."""

from __future__ import annotations

import pytest

from db.database import Database
from db.errors import NotFound, UserError
from db.letter_templates import (
    SALUTATION_MARK,
    Block,
    check_template,
    compile_template,
    delete_template,
    fill_salutation,
    get_template,
    list_templates,
    plain_text,
    save_template,
    to_blocks,
    variant_of,
)

GOOD = """Dear {{ salutation }},

{% if is_member %}Thank you for being a **member**.{% else %}Please *join* us.{% endif %}

- housing in {{ ward }}
- buses
"""


def render(body: str, **values: object) -> str:
    context: dict[str, object] = {
        "salutation": SALUTATION_MARK,
        "is_member": True,
        "ward": "Cathays",
        "first_name": "Siân",
    }
    context.update(values)
    return compile_template(body).render(context)


def test_a_good_template_has_no_problems() -> None:
    assert check_template(GOOD) == []


def test_a_syntax_error_is_reported_with_its_line() -> None:
    problems = check_template("Dear {{ first_name }},\n\nWe met {{ last_meeting_attended }\n")
    assert len(problems) == 1
    assert problems[0].startswith("Line 3: the template cannot be read")


def test_an_unknown_field_is_reported_with_its_line() -> None:
    problems = check_template("Dear {{ first_name }},\n\n{% if is_membr %}Hi{% endif %}\n")
    assert problems == [problems[0]]
    assert problems[0].startswith("Line 3: there is no field called 'is_membr'")


def test_in_segment_needs_a_name_in_quotes() -> None:
    problems = check_template(
        '{% if in_segment("Members") %}a{% endif %}\n{% if in_segment(ward) %}b{% endif %}'
    )
    assert problems == [
        'Line 2: in_segment needs one segment name in quotes, like in_segment("Members").'
    ]
    assert compile_template('{% if in_segment("Members") %}a{% endif %}').segments == ("Members",)


def test_compiling_a_broken_template_is_one_sentence_naming_the_line() -> None:
    with pytest.raises(UserError, match=r"^Line 2: there is no field called 'frist_name'"):
        compile_template("Hello\n{{ frist_name }} and {{ nickname }}")


@pytest.mark.parametrize(
    "tag",
    [
        "{{ first_name" + "|upper" * 40 + " }}",
        "{% if " + "not " * 70 + "is_member %}x{% endif %}",
        "{{ first_name" + " ~ first_name" * 40 + " }}",
    ],
)
def test_a_tag_too_big_to_check_quickly_is_refused_by_its_line(tag: str) -> None:
    # Unchecked, 200 filters in a row kept Jinja busy for ten seconds.
    assert check_template(f"Dear {{{{ salutation }}}},\n\n{tag}\n") == [
        "Line 3: one {{ … }} or {% … %} holds too much; split it into simpler ones."
    ]
    # The busiest tag a real letter uses is well inside the limit.
    assert (
        check_template(
            '{% if in_segment("Members") and not in_segment("Lapsed") and is_member %}x{% endif %}'
        )
        == []
    )


def test_a_template_longer_than_any_letter_is_refused() -> None:
    assert check_template("x" * 50_001) == [
        "The template is too long: 50,001 characters, where a letter needs at most 50,000."
    ]


def test_the_sandbox_keeps_templates_away_from_python() -> None:
    with pytest.raises(UserError, match="cannot be filled in"):
        render("{{ first_name.__class__.__mro__[1].__subclasses__() }}")


def test_markup_becomes_paragraphs_bullets_bold_and_italic() -> None:
    blocks = to_blocks(fill_salutation(render(GOOD), "Siân"))
    assert blocks == [
        Block("paragraph", "Dear Siân,"),
        Block("paragraph", "Thank you for being a <b>member</b>."),
        Block("bullet", "housing in Cathays"),
        Block("bullet", "buses"),
    ]
    assert to_blocks(render(GOOD, is_member=False))[1] == Block(
        "paragraph", "Please <i>join</i> us."
    )


def test_lines_of_one_paragraph_run_together() -> None:
    assert to_blocks("one\ntwo\n\nthree") == [
        Block("paragraph", "one two"),
        Block("paragraph", "three"),
    ]


def test_merge_values_and_template_text_cannot_become_markup() -> None:
    text = render("{{ first_name }} & <b>{{ ward }}</b>", first_name="*A* <i>", ward="**B**")
    assert to_blocks(text) == [
        Block("paragraph", "*A* &lt;i&gt; &amp; &lt;b&gt;**B**&lt;/b&gt;"),
    ]
    line_start = render("{{ ward }}\n\n- x", ward="- not a bullet")
    assert to_blocks(line_start)[0] == Block("paragraph", "- not a bullet")


def test_a_missing_value_prints_nothing_and_a_date_reads_as_words() -> None:
    import datetime as dt

    text = render("[{{ ward }}] {{ today }}", ward=None, today=dt.date(2026, 11, 7))
    assert plain_text(text) == "[] 7 November 2026"


def test_the_variant_ignores_merge_values_but_not_paragraphs() -> None:
    siân = render(GOOD, first_name="Siân", ward="Cathays")
    zoë = render(GOOD, first_name="Zoë", ward="Splott")
    lapsed = render(GOOD, is_member=False)
    assert variant_of(siân) == variant_of(zoë)
    assert variant_of(siân) != variant_of(lapsed)
    assert len(variant_of(siân)) == 8


def test_templates_are_saved_listed_replaced_and_deleted(database: Database) -> None:
    with database.session() as session:
        tid, created = save_template(session, "  Winter   letter ", GOOD)
        assert created
        again, created = save_template(session, "Winter letter", GOOD + "\nMore.\n")
        assert (again, created) == (tid, False)
    with database.session() as session:
        assert [(t.name, t.lines) for t in list_templates(session)] == [("Winter letter", 8)]
        assert get_template(session, "Winter letter")[1].endswith("More.\n")
        with pytest.raises(UserError, match="Line 1: there is no field"):
            save_template(session, "Broken", "{{ nope }}")
        delete_template(session, "Winter letter")
    with database.session() as session:
        assert list_templates(session) == []
        with pytest.raises(NotFound, match="no letter template called 'Winter letter'"):
            get_template(session, "Winter letter")
