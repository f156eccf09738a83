"""The first stage: wards and polling districts, the streets and addresses in them,
tags, organisations and the branch's questions."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Sequence

from db.demo import names_branch, names_places
from db.demo.dates import at_time
from db.demo.records import Address, Row, Street
from db.demo.state import BuildState


class ReferenceStage(BuildState):
    """Writes the branch's places and lists, and hands out addresses in them."""

    def _reference_data(self) -> None:
        ward_count = min(len(names_places.WARDS), 6 + self.people // 2500)
        wards: list[Row] = []
        districts: list[Row] = []
        places: list[tuple[names_places.Locality, int, int]] = []
        for plan in names_places.WARDS[:ward_count]:
            ward_id = self._new_id("ward")
            wards.append({"id": ward_id, "name": plan.name, "code": plan.code, "version": 1})
            for n, locality in enumerate(plan.localities, start=1):
                district_id = self._new_id("polling_district")
                districts.append(
                    {
                        "id": district_id,
                        "code": f"{plan.code}{n}",
                        "name": locality.name,
                        "ward_id": ward_id,
                        "version": 1,
                    }
                )
                places.append((locality, ward_id, district_id))
        self._insert("ward", wards)
        self._insert("polling_district", districts)
        self.counts["ward"] = len(wards)
        self.counts["polling_district"] = len(districts)
        self.places = places
        self._streets(places)

        tag_names = list(
            dict.fromkeys(
                [
                    *names_branch.SKILL_TAGS,
                    *names_branch.LANGUAGE_TAGS.values(),
                    *names_branch.OTHER_TAGS,
                ]
            )
        )
        self.tag_ids = {name: self._new_id("tag") for name in tag_names}
        self._insert(
            "tag", [{"id": i, "name": name, "version": 1} for name, i in self.tag_ids.items()]
        )

        organisations: list[Row] = []

        def organisation(name: str, short: str | None, kind: str) -> int:
            org_id = self._new_id("organisation")
            organisations.append(
                {"id": org_id, "name": name, "short_name": short, "kind": kind, "version": 1}
            )
            return org_id

        self.union_ids = {
            (name, short): organisation(name, short, "trade_union")
            for name, short, _ in names_branch.UNIONS
        }
        self.coop_id = organisation(*names_branch.COOPERATIVE, "cooperative")
        self.campaign_ids = [
            organisation(name, short, "campaign") for name, short in names_branch.CAMPAIGN_GROUPS
        ]
        localities = [locality.name for locality, _, _ in places]
        town = places[0][0].town
        self.community_ids = [
            organisation(f"{localities[0]} Residents' Association", None, "community"),
            organisation(f"Friends of {localities[1 % len(localities)]} Park", None, "community"),
            organisation(f"North West {town} Food Bank", None, "community"),
        ]
        self._insert("organisation", organisations)
        self.counts["organisation"] = len(organisations)

        questions: list[Row] = []
        options: list[Row] = []
        self.options: dict[int, list[int]] = {}
        self.question_days: dict[int, dt.date] = {}

        def question(
            text: str, kind: str, labels: Sequence[str], max_choices: int | None, after_days: int
        ) -> int:
            question_id = self._new_id("question")
            created = at_time(self.start + dt.timedelta(days=after_days), 20, 15)
            questions.append(
                {
                    "id": question_id,
                    "text": text,
                    "kind": kind,
                    "max_choices": max_choices,
                    "active": True,
                    "position": len(questions),
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            self.question_days[question_id] = created.date()
            ids = []
            for position, label in enumerate(labels):
                option_id = self._new_id("question_option")
                options.append(
                    {
                        "id": option_id,
                        "question_id": question_id,
                        "label": label,
                        "position": position,
                        "version": 1,
                    }
                )
                ids.append(option_id)
            self.options[question_id] = ids
            return question_id

        self.q_issues = question(
            "Top three local issues", "multiple_choice", names_branch.LOCAL_ISSUES, 3, 20
        )
        self.q_four_day = question(
            "Support for a four-day week?",
            "single_choice",
            names_branch.FOUR_DAY_WEEK_OPTIONS,
            1,
            45,
        )
        self.q_council = question(
            "How satisfied are you with the council? (1-5)", "scale", (), None, 200
        )
        self.q_next = question(
            "What should the branch campaign on next?", "free_text", (), None, 380
        )
        self._insert("question", questions)
        self._insert("question_option", options)
        self.counts["question"] = len(questions)

    def _streets(self, places: list[tuple[names_places.Locality, int, int]]) -> None:
        """Enough streets for every household, each with its own postcodes."""
        rng = self.rng
        stems = list(names_places.STREET_STEMS)
        combos = [
            (p, s, x)
            for p in names_places.STREET_PREFIXES
            for s in stems
            for x in names_places.STREET_SUFFIXES
        ]
        plain = [c for c in combos if not c[0]]
        prefixed = [c for c in combos if c[0]]
        rng.shuffle(plain)
        rng.shuffle(prefixed)
        needed = max(600, int(self.people / 1.9 * 2.2))
        streets: list[Street] = []
        capacity = 0
        for index, (prefix, stem, suffix) in enumerate(itertools.chain(plain, prefixed)):
            if capacity >= needed and len(streets) >= 3 * len(places):
                break
            locality, ward_id, district_id = places[index % len(places)]
            length = int(rng.triangular(10, 260, 40))
            street = Street(
                name=f"{prefix}{stem} {suffix}",
                town=locality.town,
                locality=locality.name,
                outward=rng.choice(locality.outward),
                sector=rng.randint(1, 9),
                ward_id=ward_id,
                district_id=district_id,
                numbers=None,
                length=length,
            )
            streets.append(street)
            capacity += length
            if rng.random() < 0.2:
                flats = rng.randint(12, 60)
                block_name = rng.choice(names_places.BLOCK_NAMES)
                block = f"{block_name} {rng.choice(names_places.BLOCK_SUFFIXES)}"
                streets.append(
                    Street(
                        name=street.name,
                        town=street.town,
                        locality=street.locality,
                        outward=street.outward,
                        sector=street.sector,
                        ward_id=ward_id,
                        district_id=district_id,
                        numbers=None,
                        length=flats,
                        block=block,
                        block_number=length + 1 + 2 * rng.randrange(20),
                    )
                )
                capacity += flats
        self.streets = streets
        self.street_weights = list(itertools.accumulate(s.length for s in streets))

    def _postcode(self, street: Street, unit: int) -> str:
        while unit >= len(street.units):
            while True:
                letters = "".join(self.rng.choices(names_places.INWARD_LETTERS, k=2))
                code = f"{street.outward} {street.sector}{letters}"
                if code not in self.postcodes_used:
                    break
            self.postcodes_used.add(code)
            street.units.append(code)
        return street.units[unit]

    def _address(self) -> Address:
        rng = self.rng
        if rng.random() < 0.006:
            index = rng.randrange(len(names_places.OUT_OF_AREA))
            postcode, town = names_places.OUT_OF_AREA[index]
            line1 = f"{rng.randint(1, 180)} {names_places.OUT_OF_AREA_STREETS[index]}"
            return Address(line1, None, None, town, postcode, None, None)
        total = self.street_weights[-1]
        index = bisect.bisect_right(self.street_weights, rng.random() * total)
        for offset in range(len(self.streets)):
            street = self.streets[(index + offset) % len(self.streets)]
            if street.numbers is None:
                street.numbers = rng.sample(range(1, street.length + 1), street.length)
            if street.numbers:
                break
        else:  # every address taken: share one (cannot happen with the capacity planned)
            street = self.streets[index]
            street.numbers = [rng.randint(1, street.length)]
        number = street.numbers.pop()
        locality = street.locality if rng.random() < 0.3 else None
        if street.block is not None:
            return Address(
                f"Flat {number}, {street.block}",
                f"{street.block_number} {street.name}",
                locality,
                street.town,
                self._postcode(street, 0),
                street.ward_id,
                street.district_id,
            )
        postcode = self._postcode(street, (number - 1) // 14)
        if rng.random() < 0.015:
            return Address(
                rng.choice(names_places.HOUSE_NAMES),
                street.name,
                locality,
                street.town,
                postcode,
                street.ward_id,
                street.district_id,
            )
        return Address(
            f"{number} {street.name}",
            locality,
            None,
            street.town,
            postcode,
            street.ward_id,
            street.district_id,
        )
