"""What `branchbook info` and the window's status bar report about a database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.database import Database
from db.models import Household, Meeting, Person
from db.schema import SCHEMA_HEAD, stored_revision


@dataclass(frozen=True)
class DatabaseInfo:
    location: str
    backend: str
    schema_revision: str | None
    schema_head: str
    people: int
    members: int
    households: int
    meetings: int


def count_summary(session: Session) -> tuple[int, int, int, int]:
    people = session.scalar(select(func.count()).select_from(Person)) or 0
    members = (
        session.scalar(select(func.count()).select_from(Person).where(Person.status == "member"))
        or 0
    )
    households = session.scalar(select(func.count()).select_from(Household)) or 0
    meetings = session.scalar(select(func.count()).select_from(Meeting)) or 0
    return people, members, households, meetings


def database_info(database: Database) -> DatabaseInfo:
    with database.session() as session:
        revision = stored_revision(session.connection())
        people, members, households, meetings = count_summary(session)
    return DatabaseInfo(
        location=database.location,
        backend=database.url.get_backend_name(),
        schema_revision=revision,
        schema_head=SCHEMA_HEAD,
        people=people,
        members=members,
        households=households,
        meetings=meetings,
    )
