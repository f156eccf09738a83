"""Letter templates: the secretary's letters, kept in the database, written in a text form
anyone can edit in Notepad and share by email.

The text form
-------------
A template is Jinja2 (``{{ first_name }}``, ``{% if is_member %}...{% endif %}``) around a
small Markdown-like text:

- paragraphs are separated by a blank line; the lines of one paragraph run together;
- ``**bold**`` and ``*italic*`` inside a paragraph;
- a line starting with ``- `` is a bullet; consecutive bullet lines make one list.

Nothing else is markup: ``<``, ``&`` and ``>`` print as themselves. A paragraph only for a
segment is ``{% if in_segment("Members") %}...{% endif %}``, one not for it
``{% if not in_segment("Members") %}...{% endif %}``.

Rendering is sandboxed (``jinja2.sandbox.SandboxedEnvironment``: a shared template cannot
reach Python) with ``StrictUndefined``, so a field the template names but Branchbook lacks is
an error, found by ``check_template`` with its line before anything prints. Autoescaping is
off because the output is not HTML: every ``{{ ... }}`` value is instead passed through
``finalize``, which marks where it starts and ends and shields its ``*`` from the markup, so
a value can never become bold, a bullet or a reportlab tag (``to_blocks`` escapes all text).

Those marks also give a letter's *variant*: a short hash of the rendered text with every
merge value blanked out, so two people who got the same paragraphs share a variant however
their names differ, and the mailing records which variant each person got.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.meta import find_undeclared_variables
from jinja2.runtime import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import Conflict, NotFound, UserError
from db.models import LetterTemplate

__all__ = [
    "FIELDS",
    "SALUTATION_MARK",
    "Block",
    "CompiledTemplate",
    "TemplateSummary",
    "check_template",
    "compile_template",
    "delete_template",
    "fill_salutation",
    "get_template",
    "list_templates",
    "plain_text",
    "save_template",
    "to_blocks",
    "variant_of",
]

# What a template may name, with what each holds (the editor's "insert field" buttons).
FIELDS: dict[str, str] = {
    "title": "Mr, Ms, Dr ... (empty when none is recorded)",
    "first_name": "first name",
    "preferred_name": "the name they go by: their preferred name, else their first name",
    "last_name": "last name",
    "full_name": "first, middle and last names",
    "salutation": "who 'Dear ...' is for; in a household letter, everyone it is for",
    "membership_number": "membership number (empty for non-members)",
    "ward": "ward name",
    "postcode": "postcode",
    "address_lines": "the address as a list of lines, postcode last",
    "address": "the address on one line",
    "status": "Member, Lapsed member, Supporter, Contact or Guest",
    "is_member": "true for a current member",
    "is_lapsed": "true for a lapsed member",
    "lives_with_member": "true when someone else at their address is a member",
    "engagement": "Active, Occasional, Dormant or Never seen",
    "last_meeting_attended": "the date of the last meeting they came to, or none",
    "today": "the date the letters are printed",
    "in_segment": 'in_segment("Name"): true when they are in that saved segment',
}

# Where a merge value starts and ends in rendered text, and the placeholders for what must not
# act as markup inside one (Unicode private-use characters: no name contains them).
_OPEN, _CLOSE, _STAR = "\ue020", "\ue021", "\ue001"
# Stands for ``salutation`` until it is known whom a (household) letter is for.
SALUTATION_MARK = "\ue030"
_VALUE = re.compile(f"{_OPEN}[^{_CLOSE}]*{_CLOSE}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")


def _finalize(value: Any) -> str:
    """Every ``{{ ... }}`` output: None prints as nothing, a date as 27 November 2026."""
    if value is None:
        text = ""
    elif hasattr(value, "strftime") and hasattr(value, "day"):
        text = f"{value.day} {value:%B %Y}"
    elif isinstance(value, list | tuple):
        text = ", ".join(str(item) for item in value)
    else:
        text = str(value)
    text = " ".join(text.split()).replace("*", _STAR)
    return f"{_OPEN}{text}{_CLOSE}"


_ENVIRONMENT = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, finalize=_finalize, keep_trailing_newline=False
)


@dataclass(frozen=True)
class Block:
    """One paragraph or bullet of a letter, as reportlab paragraph markup."""

    kind: str  # "paragraph" or "bullet"
    markup: str


@dataclass(frozen=True)
class TemplateSummary:
    id: int
    name: str
    lines: int


@dataclass(frozen=True)
class CompiledTemplate:
    """A checked template, ready to render many times; ``segments`` are the names its
    ``in_segment`` calls ask about."""

    body: str
    segments: tuple[str, ...]
    _render: Callable[[Mapping[str, Any]], str]

    def render(self, context: Mapping[str, Any]) -> str:
        """The letter's text with its merge values marked (see ``to_blocks``)."""
        try:
            return self._render(context)
        except UserError:
            raise
        except Exception as error:  # a sandbox refusal, a filter on the wrong kind of value
            raise UserError(f"The letter cannot be filled in: {_plain(error)}.") from error


MOST_CHARACTERS = 50_000
# A real tag is a handful of tokens: {% if in_segment("Members") and not in_segment("Lapsed") %}
# is 14. Sixty keeps every letter anyone writes and any check under a tenth of a second.
MOST_TOKENS_IN_A_TAG = 60


def _plain(error: Exception) -> str:
    return str(error).rstrip(".") or type(error).__name__


def _segment_calls(tree: nodes.Template) -> tuple[list[str], list[str]]:
    """The segment names ``in_segment`` is called with, and problems with the calls."""
    names: list[str] = []
    problems: list[str] = []
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "in_segment"):
            continue
        args = call.args
        if len(args) == 1 and isinstance(args[0], nodes.Const) and isinstance(args[0].value, str):
            if args[0].value not in names:
                names.append(args[0].value)
        else:
            problems.append(
                f"Line {call.lineno}: in_segment needs one segment name in quotes, like "
                f'in_segment("Members").'
            )
    return names, problems


def _too_big(body: str) -> str | None:
    """Why ``body`` is too big to check, or None. Jinja's parser and compiler take time that
    grows with the cube of one expression's length (200 filters in a row: ten seconds), so a
    silly shared template would stall the window; counting the lexer's tokens is linear."""
    if len(body) > MOST_CHARACTERS:
        return (
            f"The template is too long: {len(body):,} characters, where a letter needs at "
            f"most {MOST_CHARACTERS:,}."
        )
    count = 0
    try:
        for lineno, kind, _value in _ENVIRONMENT.lexer.tokeniter(body, None):
            if kind in ("variable_begin", "block_begin"):
                count = 0
            elif kind != "whitespace":
                count += 1
                if count > MOST_TOKENS_IN_A_TAG:
                    return (
                        f"Line {lineno}: one {{{{ … }}}} or {{% … %}} holds too much; split it "
                        "into simpler ones."
                    )
    except TemplateSyntaxError:
        return None  # the parser says what is wrong, with its line
    return None


def _parse(body: str) -> tuple[nodes.Template | None, list[str], list[str]]:
    too_big = _too_big(body)
    if too_big is not None:
        return None, [], [too_big]
    try:
        tree = _ENVIRONMENT.parse(body)
        # Inside the try: finding the fields compiles the template, and compiling is where
        # an unknown filter or test ({{ name|bogus }}) is found.
        undeclared = find_undeclared_variables(tree)
    except TemplateSyntaxError as error:
        message = (error.message or "it cannot be read").rstrip(".")
        return None, [], [f"Line {error.lineno}: the template cannot be read: {message}."]
    except RecursionError:
        # Jinja recurses once per bracket, sign or block: a few hundred deep, the stack ends.
        return None, [], ["The template cannot be read: it nests brackets or blocks too deeply."]
    problems: list[str] = []
    unknown = undeclared - FIELDS.keys()
    for name in sorted(unknown, key=lambda n: (_first_line(tree, n), n)):
        problems.append(
            f"Line {_first_line(tree, name)}: there is no field called '{name}'; "
            f"the fields are {', '.join(sorted(FIELDS))}."
        )
    segments, segment_problems = _segment_calls(tree)
    return tree, segments, problems + segment_problems


def _first_line(tree: nodes.Template, name: str) -> int:
    lines = [n.lineno for n in tree.find_all(nodes.Name) if n.name == name and n.ctx == "load"]
    return min(lines, default=1)


def check_template(body: str) -> list[str]:
    """What is wrong with ``body``, one sentence each starting with its line; [] when it can
    print. A syntax error stops the check, as nothing after it can be read."""
    return _parse(body)[2]


def compile_template(body: str) -> CompiledTemplate:
    """``body`` ready to render; its first problem is a ``UserError``."""
    tree, segments, problems = _parse(body)
    if problems or tree is None:
        more = len(problems) - 1
        extra = f" ({more} more {'problem' if more == 1 else 'problems'})" if more else ""
        raise UserError(problems[0].rstrip(".") + extra + ".")
    try:
        template = _ENVIRONMENT.from_string(tree)
    except (SyntaxError, RecursionError):
        # Jinja writes each nested block as nested Python, and Python refuses 100 levels.
        raise UserError(
            "The template cannot be read: it nests brackets or blocks too deeply."
        ) from None
    return CompiledTemplate(body, tuple(segments), template.render)


def variant_of(text: str) -> str:
    """A short name for which paragraphs a letter has: its text with merge values blanked."""
    skeleton = _VALUE.sub(_OPEN + _CLOSE, text)
    skeleton = "\n".join(line.rstrip() for line in skeleton.strip().splitlines())
    return hashlib.sha256(skeleton.encode("utf-8")).hexdigest()[:8]


def fill_salutation(text: str, salutation: str) -> str:
    """``text`` with the salutation placeholder replaced by whom the letter is for."""
    return text.replace(SALUTATION_MARK, " ".join(salutation.split()).replace("*", _STAR))


def to_blocks(text: str) -> list[Block]:
    """Rendered text as paragraphs and bullets of reportlab markup, every character escaped
    except the ``<b>``/``<i>`` this makes from ``**``/``*``."""
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(Block("paragraph", _inline(" ".join(lines))))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line.replace(_OPEN, "").replace(_CLOSE, "").strip():
            flush()
        elif line.startswith("- ") or line == "-":
            flush()
            blocks.append(Block("bullet", _inline(line[1:].strip())))
        else:
            lines.append(line)
    flush()
    return blocks


@lru_cache(maxsize=8192)
def _inline(text: str) -> str:
    """One block's markup; cached, as most blocks of a mailing are the same in every letter."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    return text.replace(_OPEN, "").replace(_CLOSE, "").replace(_STAR, "*")


def plain_text(text: str) -> str:
    """Rendered text as a person reads it: marks removed (for previews and tests)."""
    return text.replace(_OPEN, "").replace(_CLOSE, "").replace(_STAR, "*")


# --- stored templates -------------------------------------------------------------------


def save_template(session: Session, name: str, body: str) -> tuple[int, bool]:
    """Store ``body`` as template ``name`` (replacing one of that name); (id, created).
    A template with problems is refused with the first of them."""
    name = " ".join(name.split())
    if not name:
        raise UserError("A letter template needs a name.")
    if len(name) > 120:
        raise UserError("A letter template's name can be at most 120 characters long.")
    compile_template(body)
    row = session.scalar(select(LetterTemplate).where(LetterTemplate.name == name))
    created = row is None
    if row is None:
        row = LetterTemplate(name=name, body=body)
        session.add(row)
    else:
        row.body = body
    session.flush()
    return row.id, created


def list_templates(session: Session) -> list[TemplateSummary]:
    return [
        TemplateSummary(tid, name, len(body.splitlines()))
        for tid, name, body in session.execute(
            select(LetterTemplate.id, LetterTemplate.name, LetterTemplate.body).order_by(
                LetterTemplate.name
            )
        )
    ]


def get_template(session: Session, name: str) -> tuple[int, str]:
    """(id, body) of the template called ``name``."""
    found = session.execute(
        select(LetterTemplate.id, LetterTemplate.body).where(
            LetterTemplate.name == " ".join(name.split())
        )
    ).first()
    if found is None:
        raise NotFound(
            f"There is no letter template called '{name}'; 'branchbook template list' shows them."
        )
    return int(found[0]), str(found[1])


def delete_template(session: Session, name: str) -> None:
    tid, _ = get_template(session, name)
    row = session.get(LetterTemplate, tid)
    if row is None:  # deleted since it was read
        raise Conflict(f"The letter template '{name}' was deleted meanwhile.")
    session.delete(row)
    session.flush()
