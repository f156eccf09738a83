"""Who lives together, and what they are to the branch: households drawn as lists of
people-to-be (``Spec``), and the few households every build has."""

from __future__ import annotations

from db.demo import names_people
from db.demo.choices import Choices
from db.demo.records import Spec
from db.demo.state import BuildState

_UNIT_SIZES = Choices([(1, 38.0), (2, 41.0), (3, 12.0), (4, 9.0)])
_ANCHOR_STATUS = Choices(
    [("member", 81.0), ("lapsed", 12.0), ("supporter", 5.5), ("contact", 0.5), ("guest", 1.0)]
)
_PARTNER_STATUS = {
    "member": Choices(
        [("member", 44.0), ("contact", 27.0), ("supporter", 13.0), ("lapsed", 14.0), ("guest", 2.0)]
    ),
    "lapsed": Choices([("lapsed", 40.0), ("member", 20.0), ("contact", 25.0), ("supporter", 15.0)]),
    "supporter": Choices(
        [("supporter", 40.0), ("contact", 30.0), ("member", 20.0), ("lapsed", 10.0)]
    ),
    "contact": Choices([("contact", 40.0), ("supporter", 30.0), ("member", 30.0)]),
    "guest": Choices([("contact", 50.0), ("guest", 20.0), ("supporter", 30.0)]),
}
_CHILD_STATUS = Choices(
    [("member", 30.0), ("contact", 28.0), ("supporter", 24.0), ("lapsed", 12.0), ("guest", 6.0)]
)
_HOUSEMATE_STATUS = Choices(
    [("member", 50.0), ("supporter", 20.0), ("contact", 10.0), ("guest", 6.0), ("lapsed", 14.0)]
)
_AGES: dict[str, Choices[tuple[int, int]]] = {
    "member": Choices(
        [((16, 25), 9.0), ((26, 39), 19.0), ((40, 54), 24.0), ((55, 69), 29.0), ((70, 92), 19.0)]
    ),
    "lapsed": Choices(
        [((19, 29), 16.0), ((30, 44), 26.0), ((45, 59), 25.0), ((60, 74), 22.0), ((75, 94), 11.0)]
    ),
    "supporter": Choices([((18, 29), 20.0), ((30, 49), 35.0), ((50, 69), 30.0), ((70, 88), 15.0)]),
    "contact": Choices([((18, 34), 25.0), ((35, 59), 45.0), ((60, 85), 30.0)]),
    "guest": Choices([((16, 29), 30.0), ((30, 59), 50.0), ((60, 85), 20.0)]),
}
_ORIGINS = Choices(
    [((origin, name_set), weight) for origin, name_set, weight in names_people.ORIGINS]
)
_NAME_SETS = {origin: name_set for origin, name_set, _ in names_people.ORIGINS}

# The people every build has, whose names try every printer and every search.
_SPECIAL_NAMES = frozenset(
    {
        ("Siân", "Llŷr-Jones"),
        ("Łukasz", "Wójcik"),
        ("Zoë", "Ødegaard"),
        ("Lan", "Nguyễn"),
        ("Aoife", "Ó Dúnlaing"),
        ("Seán", "O'Brien"),
    }
)


class HouseholdStage(BuildState):
    """Draws households of people with names, sexes, ages and statuses, not yet written."""

    def _age(self, status: str) -> int:
        low, high = _AGES[status].pick(self.rng)
        return self.rng.randint(low, high)

    def _new_spec(
        self,
        origin: str,
        gender: str,
        age: int,
        status: str,
        surnames: tuple[str, str] | None = None,
    ) -> Spec:
        rng = self.rng
        name_set = _NAME_SETS[origin]
        pool = {"f": name_set.female, "m": name_set.male}.get(
            gender, name_set.female if rng.random() < 0.5 else name_set.male
        )
        pair = surnames or rng.choice(name_set.surnames)
        last = pair[1] if gender == "f" else pair[0]
        first = rng.choice(pool)
        while (first, last) in _SPECIAL_NAMES:  # one Łukasz Wójcik, so a search finds one
            first = rng.choice(pool)
        middle_pool = name_set.female_middle if gender == "f" else name_set.male_middle
        middle = None
        if middle_pool and rng.random() < (0.85 if origin == "vietnamese" else 0.22):
            middle = rng.choice(middle_pool)
        preferred = None
        nicknames = names_people.PREFERRED_NAMES.get(first)
        if nicknames and rng.random() < 0.5:
            preferred = rng.choice(nicknames)
        return Spec(
            first=first,
            last=last,
            gender=gender,
            age=age,
            status=status,
            origin=origin,
            middle=middle,
            preferred=preferred,
        )

    def _gender(self) -> str:
        r = self.rng.random()
        return "x" if r < 0.01 else "f" if r < 0.52 else "m"

    def _unit(self) -> tuple[list[Spec], bool]:
        rng = self.rng
        if rng.random() < 0.016:  # a guest who gave only a name and an e-mail
            origin, _ = _ORIGINS.pick(rng)
            return [self._new_spec(origin, self._gender(), self._age("guest"), "guest")], False
        size = _UNIT_SIZES.pick(rng)
        status = _ANCHOR_STATUS.pick(rng)
        origin, name_set = _ORIGINS.pick(rng)
        gender = self._gender()
        age = self._age(status)
        surnames = rng.choice(name_set.surnames)
        anchor = self._new_spec(origin, gender, age, status, surnames)
        unit = [anchor]
        if size == 1:
            return unit, True
        if age < 25 and rng.random() < 0.7:  # students sharing a house
            for _ in range(size - 1):
                mate_origin, _ = _ORIGINS.pick(rng)
                unit.append(
                    self._new_spec(
                        mate_origin,
                        self._gender(),
                        max(18, min(30, age + rng.randint(-3, 3))),
                        _HOUSEMATE_STATUS.pick(rng),
                    )
                )
            return unit, True
        partner_gender = (
            {"f": "m", "m": "f"}.get(gender, self._gender()) if rng.random() < 0.93 else gender
        )
        partner_age = max(18, min(95, age + round(rng.gauss(0, 4))))
        partner_status = _PARTNER_STATUS[status].pick(rng)
        if rng.random() < name_set.share_surname:
            partner = self._new_spec(origin, partner_gender, partner_age, partner_status, surnames)
        else:
            partner_origin = origin if rng.random() < 0.8 else _ORIGINS.pick(rng)[0]
            partner = self._new_spec(partner_origin, partner_gender, partner_age, partner_status)
        unit.append(partner)
        for _ in range(size - 2):
            if age >= 40 and rng.random() < 0.8:
                parent = anchor if rng.random() < 0.7 else partner
                child_age = rng.randint(16, max(16, min(age, partner_age) - 20))
                child = self._new_spec(
                    parent.origin,
                    self._gender(),
                    child_age,
                    _CHILD_STATUS.pick(rng),
                    (parent.last, parent.last),
                )
                if child.status == "member" and child_age > 26:
                    child.status = "lapsed"
                unit.append(child)
            else:
                mate_origin, _ = _ORIGINS.pick(rng)
                unit.append(
                    self._new_spec(
                        mate_origin,
                        self._gender(),
                        rng.randint(20, 65),
                        _HOUSEMATE_STATUS.pick(rng),
                    )
                )
        return unit, True

    def _special_units(self) -> list[list[Spec]]:
        """The people whose names test every printer and every search."""
        age = self._age
        return [
            [
                Spec(
                    "Siân",
                    "Llŷr-Jones",
                    "f",
                    age("member"),
                    "member",
                    "welsh",
                    tags=("Welsh speaker",),
                    tier=2,
                ),
                Spec(
                    "Dafydd",
                    "Llŷr-Jones",
                    "m",
                    age("contact"),
                    "contact",
                    "welsh",
                    preferred="Dai",
                    tags=("Welsh speaker",),
                ),
            ],
            [
                Spec(
                    "Łukasz",
                    "Wójcik",
                    "m",
                    age("member"),
                    "member",
                    "polish",
                    tags=("Polish speaker",),
                    tier=2,
                ),
                Spec(
                    "Agnieszka",
                    "Wójcik",
                    "f",
                    age("supporter"),
                    "supporter",
                    "polish",
                    preferred=None,
                ),
            ],
            [Spec("Zoë", "Ødegaard", "f", age("member"), "member", "nordic", tier=3)],
            [
                Spec(
                    "Lan",
                    "Nguyễn",
                    "f",
                    age("member"),
                    "member",
                    "vietnamese",
                    middle="Thị",
                    tags=("Vietnamese speaker",),
                    tier=2,
                ),
                Spec("Minh", "Trần", "m", age("contact"), "contact", "vietnamese", middle="Văn"),
            ],
            [
                Spec(
                    "Aoife",
                    "Ó Dúnlaing",
                    "f",
                    age("member"),
                    "member",
                    "gaelic",
                    tags=("Irish speaker",),
                    tier=1,
                )
            ],
            [
                Spec("Seán", "O'Brien", "m", age("member"), "member", "irish", tier=2),
                Spec("Sarah", "Kelly", "f", age("supporter"), "supporter", "irish"),
            ],
        ]
