"""What every kill starts from, made once per test run: an 800-person branch with a saved
letter template, an 800-row membership list, and how long ``branchbook`` takes to start."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from db.database import open_database
from tests.crash.kills import cli, run_to_the_end

PEOPLE = 800
LIST_ROWS = 800
TEMPLATE_NAME = "Meeting"
TEMPLATE = """\
Dear {{ salutation }},

Our branch meets on Thursday at the community centre{% if ward %} in {{ ward }}{% endif %}.

{% if is_member %}Thank you for being a member: your number is **{{ membership_number }}**.
{% else %}You would be very welcome to join us.{% endif %}

- bring a friend
- bring your questions

Yours in solidarity,
the secretary
"""


@pytest.fixture(scope="session")
def crash_branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A believable branch of 800 people with the letter template saved; copied per kill."""
    from db.demo import load_demo
    from db.letter_templates import save_template

    path = tmp_path_factory.mktemp("crash-branch") / "branch.sqlite3"
    database = open_database(path, actor="crash-test")
    try:
        load_demo(database, people=PEOPLE, seed=3, as_of=dt.date(2026, 11, 1))
        with database.session() as session:
            save_template(session, TEMPLATE_NAME, TEMPLATE)
    finally:
        database.close()
    return path


@pytest.fixture(scope="session")
def member_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A national office's list as the import bench makes it (households, odd spellings,
    a few values no cleaning can save), at a size a kill can land anywhere in."""
    # The bench's generator, so this list is as realistic as the one the bench times.
    from bench.import_bench import _MemberList, _write_xlsx

    path = tmp_path_factory.mktemp("crash-list") / "Members 2026-11.xlsx"
    _write_xlsx(path, _MemberList(LIST_ROWS, random.Random(17)).rows())
    return path


@pytest.fixture(scope="session")
def startup_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long ``branchbook`` takes to start and parse its arguments on this machine: the
    earliest moment a kill is worth making."""
    folder = tmp_path_factory.mktemp("crash-startup")
    # The quickest of three: the first start in a test run also fills the disk cache.
    return min(run_to_the_end(cli("--help"), folder).seconds for _ in range(3))
