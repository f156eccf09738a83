"""The ways in: ``generate_demo`` writes into a caller's session and yields progress;
``load_demo`` fills an empty database in one transaction, or leaves it as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.database import Database
from db.demo.builder import Builder, DemoSummary
from db.demo.state import DEFAULT_PEOPLE
from db.errors import Cancelled, UserError
from db.models import Base


def generate_demo(
    session: Session,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = 1,
    as_of: dt.date | None = None,
) -> Iterator[tuple[int, int, str]]:
    """Yields (done, total, label) progress; writes into `session` without committing.

    The demo's history ends the day before ``as_of`` (today unless given): two years of
    meetings, activity and answers, and the next few meetings still to come.
    """
    builder = Builder(session, people, seed, as_of or dt.date.today())
    yield from builder.run()


def _check_empty(session: Session) -> None:
    tables = Base.metadata.tables
    people = session.scalar(select(func.count()).select_from(tables["person"])) or 0
    if people:
        noun = "person" if people == 1 else "people"
        raise UserError(
            f"This database already holds {people:,} {noun}; demo data goes only into an "
            "empty database."
        )
    # Names that must be unique: the demo's own would collide with them.
    for name, words in (
        ("ward", "wards"),
        ("polling_district", "polling districts"),
        ("organisation", "organisations"),
        ("question", "questions"),
        ("tag", "tags"),
    ):
        if session.scalar(select(tables[name].c.id).limit(1)) is not None:
            raise UserError(
                f"This database already holds {words}; demo data goes only into an empty database."
            )


def load_demo(
    database: Database,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = 1,
    as_of: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill an empty database with a demo branch in one transaction.

    Raises ``UserError`` if the database already holds people, and ``Cancelled`` when
    ``cancelled()`` turns true; either way, and on any failure, nothing is written.
    """
    with database.session() as session:
        _check_empty(session)
        builder = Builder(session, people, seed, as_of or dt.date.today())
        for done, total, label in builder.run():
            if progress is not None:
                progress(done, total, label)
            if cancelled is not None and cancelled():
                raise Cancelled("Loading the demo data was cancelled; nothing was written.")
    return builder.summary()
