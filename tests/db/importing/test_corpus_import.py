"""Every corpus file through the whole importer into a real database: it imports the people it
holds, or is refused in one sentence; and importing it a second time changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.errors import UserError
from db.importing.workflow import ImportOptions, prepare_import, run_import
from db.models import Person
from tests.db.importing.test_corpus import CORPUS_FILES


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_each_file_imports_its_people_or_is_refused(database: Database, path: Path) -> None:
    try:
        prepared = prepare_import(database, path)
        prepared.require_identity()
    except UserError as error:
        message = str(error)
        assert path.name in message and message.endswith(".") and "\n" not in message
        with database.session() as session:
            assert session.scalar(select(func.count()).select_from(Person)) == 0
        return
    options = ImportOptions()
    plan, result = run_import(database, prepared, options)
    counts = result.counts
    assert len(plan.rows) == len(prepared.candidates.candidates)
    with database.session() as session:
        stored = session.scalar(select(func.count()).select_from(Person))
    assert stored == counts["created"]
    assert counts["created"] + counts["ambiguous"] + counts["duplicate"] + counts[
        "unchanged"
    ] + counts["updated"] == len(plan.rows)

    # The same file again: everyone is found, and nothing is changed or added.
    _, again = run_import(database, prepare_import(database, path), options)
    assert again.counts["created"] == 0, again.counts
    assert again.counts["updated"] == 0, again.counts
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == stored
