"""How a person's details are drawn: title, membership, e-mail address, sort key and
search text, and how much they come and help."""

from __future__ import annotations

import datetime as dt

from db.demo import names_branch, names_people
from db.demo.choices import Choices
from db.demo.dates import years_back
from db.demo.records import Spec
from db.demo.state import BuildState
from db.folding import fold

_TITLES_MALE = Choices(list(names_people.TITLES_MALE))
_TITLES_FEMALE = Choices(list(names_people.TITLES_FEMALE))
_WORKING_TYPES = Choices(list(names_people.MEMBERSHIP_TYPES_WORKING))
# Years since joining, for members: two recruitment surges, a long tail of stalwarts.
_JOIN_YEARS = Choices(
    [
        (y, w)
        for y, w in enumerate(
            [9, 9, 8, 6, 6, 6, 7, 10, 12, 8, 5, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
        )
    ]
    + [(y, 0.4) for y in range(26, 45)]
)
_EMAIL_DOMAINS = Choices(list(names_branch.EMAIL_DOMAINS))
_ENGAGEMENT = {  # (regular, occasional, rare) shares before scaling
    "member": (0.018, 0.08, 0.12),
    "supporter": (0.004, 0.035, 0.09),
    "lapsed": (0.0, 0.03, 0.07),
    "contact": (0.0, 0.0, 0.05),
    "guest": (0.0, 0.0, 0.0),
}


class PersonDetails(BuildState):
    """Draws one detail of a person at a time; the people stage puts them together."""

    def _title(self, spec: Spec, married: bool) -> str | None:
        rng = self.rng
        if spec.gender == "x":
            return names_people.TITLE_NON_BINARY if rng.random() < 0.7 else None
        if spec.gender == "m":
            title = _TITLES_MALE.pick(rng)
        elif spec.age < 25:
            title = "Miss" if rng.random() < 0.45 else "Ms" if rng.random() < 0.8 else ""
        else:
            title = _TITLES_FEMALE.pick(rng)
            if married and title in ("Ms", "Miss") and rng.random() < 0.5:
                title = "Mrs"
        if title in ("Dr", "Prof") and spec.age < 28:
            title = "Mr" if spec.gender == "m" else "Ms"
        return title or None

    def _joined(self, age: int, *, lapsed: bool) -> dt.date:
        rng = self.rng
        years = _JOIN_YEARS.pick(rng) + (rng.randint(1, 4) if lapsed else 0)
        years = min(years, max(0, age - 15))
        day = self.as_of - dt.timedelta(days=years * 365 + rng.randrange(365) + 1)
        return max(day, years_back(self.as_of, max(1, age - 14)))

    def _membership_number(self, joined: dt.date) -> str:
        """National numbers grow with time; people who joined long ago have leading zeros."""
        rng = self.rng
        old = self.as_of - dt.timedelta(days=12 * 365)
        if joined < old:
            oldest = self.as_of - dt.timedelta(days=46 * 365)
            share = (joined - oldest).days / (old - oldest).days
            value = 20_000 + int(max(0.0, share) * 960_000)
        else:
            share = (joined - old).days / (self.as_of - old).days
            value = 1_000_000 + int(share * 8_800_000)
        value += rng.randrange(0, 9_000)
        while f"{value:07d}" in self.numbers_used:
            value += 1
        number = f"{value:07d}"
        self.numbers_used.add(number)
        return number

    def _membership_type(self, age: int) -> str:
        if age < 27:
            return "Youth"
        if age >= 66 and self.rng.random() < 0.75:
            return "Retired"
        return _WORKING_TYPES.pick(self.rng)

    def _email(self, spec: Spec, birth_year: int) -> str:
        rng = self.rng
        first = self._fold(spec.preferred if spec.preferred and rng.random() < 0.5 else spec.first)
        last = self._fold(spec.last)
        style = rng.randrange(7)
        if style == 0:
            local = f"{first}{last}"
        elif style == 1:
            local = f"{first[0]}{last}"
        elif style == 2:
            local = f"{first}.{last}{rng.randint(1, 99)}"
        elif style == 3:
            local = f"{first}{birth_year % 100:02d}"
        elif style == 4:
            local = f"{last}.{first[0]}"
        else:
            local = f"{first}.{last}"
        domain = _EMAIL_DOMAINS.pick(rng)
        address = f"{local}@{domain}"
        while address in self.emails_used:
            address = f"{local}{rng.randint(2, 999)}@{domain}"
        self.emails_used.add(address)
        return address

    def _fold(self, name: str) -> str:
        """A name as letters for an e-mail address: Llŷr-Jones -> llyrjones."""
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = fold(name).replace(" ", "")
        return folded

    def _sort_key(self, spec: Spec) -> str:
        return self.documents.sort_key(spec.last, spec.first)

    def _search_text(
        self, spec: Spec, number: str | None, postcode: str | None, emails: list[str]
    ) -> str:
        return self.documents.document(
            first_name=spec.first,
            last_name=spec.last,
            middle_names=spec.middle,
            preferred_name=spec.preferred,
            membership_number=number,
            postcode=postcode,
            emails=emails,
        )

    def _tier(self, spec: Spec) -> int:
        if spec.tier is not None:
            return spec.tier
        regular, occasional, rare = _ENGAGEMENT[spec.status]
        r = self.rng.random() / self.scale
        if r < regular:
            return 3
        if r < regular + occasional:
            return 2
        if r < regular + occasional + rare:
            return 1
        return 0

    def _activity_level(self, tier: int, status: str) -> int:
        """3 a stalwart, 2 regular helper, 1 now and then, 4 delivers their own round."""
        if status not in ("member", "supporter"):
            return 0
        r = self.rng.random()
        if tier == 3:
            return 3 if r < 0.6 else 2 if r < 0.9 else 1
        if tier == 2:
            return 2 if r < 0.35 else 1 if r < 0.6 else 0
        if tier == 1:
            return 1 if r < 0.2 else 0
        return 4 if r < 0.03 else 2 if r < 0.04 else 0
