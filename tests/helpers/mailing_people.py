"""A small branch for the letter tests: names that need more than Latin-1, a household of a
member and a non-member, a household of two supporters, someone who refused post and someone
with no address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.database import Database
from db.models import ContactPreference, Household, Person, Ward

NAMES = ("Siân Llŷr-Jones", "Zoë Ó Dúnlaing", "Łukasz Wójcik", "Nguyễn Thị Hương")


@dataclass(frozen=True)
class Branch:
    ids: dict[str, int]  # full name -> person id

    def __getitem__(self, name: str) -> int:
        return self.ids[name]

    @property
    def everyone(self) -> list[int]:
        return list(self.ids.values())


def _person(
    first: str, last: str, status: str, title: str, household: Household | None, **more: object
) -> Person:
    return Person(
        first_name=first, last_name=last, status=status, title=title, household=household, **more
    )


def seed_branch(database: Database) -> Branch:
    with database.session() as session:
        ward = Ward(name="Cathays")
        home = Household(line1="12 Heol y Bont", town="Caerdydd", postcode="CF10 1AA", ward=ward)
        flat = Household(line1="Flat 3", line2="7 Quay Street", town="Cork", postcode="T12 X70")
        terrace = Household(line1="4 Mill Lane", town="Leeds", postcode="LS1 4AB", ward=ward)
        corner = Household(line1="1 Corner Road", town="Hull", postcode="HU1 1AA")
        refusers = Household(line1="9 Quiet Close", town="York", postcode="YO1 7HH")
        people = [
            _person("Siân", "Llŷr-Jones", "member", "Ms", home, membership_number="M0001"),
            _person("Dafydd", "Llŷr-Jones", "contact", "Mr", home),
            _person("Zoë", "Ó Dúnlaing", "member", "Dr", flat, membership_number="M0002"),
            _person("Łukasz", "Wójcik", "supporter", "Mr", terrace),
            _person("Agnieszka", "Wójcik", "supporter", "Mrs", terrace),
            _person(
                "Nguyễn",
                "Hương",
                "member",
                "Ms",
                corner,
                middle_names="Thị",
                membership_number="M0003",
            ),
            _person("Peter", "Quiet", "member", "Mr", refusers, membership_number="M0004"),
            _person("Nora", "Nowhere", "supporter", "Ms", None),
        ]
        session.add_all(people)
        session.flush()
        session.add(
            ContactPreference(
                person_id=people[6].id,
                channel="post",
                allowed=False,
                recorded_at=dt.datetime(2026, 1, 5),
                how="phoned to say no more letters",
            )
        )
        session.add(
            ContactPreference(person_id=people[0].id, channel="post", allowed=True, how="form")
        )
        return Branch({p.full_name: p.id for p in people})
