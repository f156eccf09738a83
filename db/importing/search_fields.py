"""The folded search fields of people an import or an undo changed, worked out again.

Core writes bypass the session's before-flush hook that keeps ``sort_key`` and
``search_text`` current, so bulk writers call this for the people they touched.

On SQLite the new values go in a few hundred people per UPDATE statement, not one statement
a person: the search index's update trigger makes FTS5 write its pending changes out at the
start of every statement, so 5,000 single-row UPDATEs left 5,000 tiny index segments to be
merged (1.3 s of a re-import's 5,000 changes; a few dozen statements take 0.1 s).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from db.bulk import chunked, select_rows
from db.folding import sort_key
from db.models import EmailAddress, Household, Person
from db.search import search_document

__all__ = ["refresh_search"]


def refresh_search(session: Session, ids: set[int]) -> None:
    """Work out the folded search fields again for updated people, from what is stored."""
    if not ids:
        return
    emails: defaultdict[int, list[str]] = defaultdict(list)
    params: list[dict[str, Any]] = []
    for chunk in chunked(sorted(ids)):
        for pid, address in session.execute(
            select(EmailAddress.person_id, EmailAddress.address)
            .where(EmailAddress.person_id.in_(chunk))
            .order_by(EmailAddress.id)
        ):
            emails[pid].append(address)
        rows = select_rows(
            session,
            select(
                Person.id,
                Person.first_name,
                Person.last_name,
                Person.middle_names,
                Person.preferred_name,
                Person.membership_number,
                Household.postcode,
            )
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.id.in_(chunk)),
        )
        for pid, first, last, middle, preferred, number, postcode in rows:
            params.append(
                {
                    "_id": pid,
                    "sort_key": sort_key(last or "", first or ""),
                    "search_text": search_document(
                        first_name=first or "",
                        last_name=last or "",
                        middle_names=middle,
                        preferred_name=preferred,
                        membership_number=number,
                        postcode=postcode,
                        emails=emails.get(pid, ()),
                    ),
                }
            )
    table: Table = Person.__table__  # type: ignore[assignment]
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite" or (dialect.server_version_info or (0,)) < _UPDATE_FROM:
        session.execute(update(table).where(table.c.id == bindparam("_id")), params)
        return
    found = [(row["_id"], row["sort_key"], row["search_text"]) for row in params]
    for part in chunked(found, _PEOPLE_PER_UPDATE):
        values = ", ".join(["(?, ?, ?)"] * len(part))
        connection.exec_driver_sql(
            "UPDATE person SET sort_key = v.column2, search_text = v.column3 "
            f"FROM (VALUES {values}) AS v WHERE person.id = v.column1",
            tuple(value for row in part for value in row),
        )


_UPDATE_FROM = (3, 33)  # the first SQLite with UPDATE ... FROM
# Three parameters a person: well inside the 999 an old SQLite allows in one statement.
_PEOPLE_PER_UPDATE = 300
