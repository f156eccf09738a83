"""The people stage: each household and everyone in it, with their e-mail addresses,
telephones, contact preferences, checked details, tags and affiliations, written a
chunk (``Batch``) at a time."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from db.demo import names_branch
from db.demo.choices import Choices
from db.demo.dates import at_time, years_back
from db.demo.meetings import MeetingStage
from db.demo.person_details import PersonDetails
from db.demo.records import Address, Known, Row, Spec
from db.demo.state import BuildState

_CONTACT_HOW = Choices(list(names_branch.CONTACT_HOW))
_UNIONS = Choices([((name, short), w) for name, short, w in names_branch.UNIONS])
_UNION_ROLES = Choices(list(names_branch.UNION_ROLES))
_COMMUNITY_ROLES = Choices(list(names_branch.COMMUNITY_ROLES))
_EMAIL_CHANCE = {"member": 0.88, "lapsed": 0.72, "supporter": 0.82, "contact": 0.45, "guest": 0.7}
_MOBILE_CHANCE = {"member": 0.72, "lapsed": 0.5, "supporter": 0.62, "contact": 0.35, "guest": 0.5}


@dataclass
class Batch:
    """One chunk of people and everything hanging off them, written together."""

    households: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    emails: list[Row] = field(default_factory=list)
    phones: list[Row] = field(default_factory=list)
    preferences: list[Row] = field(default_factory=list)
    verifications: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)
    affiliations: list[Row] = field(default_factory=list)

    def write(self, builder: BuildState) -> None:
        builder._insert("household", self.households)
        builder._insert("person", self.people)
        builder._insert("email_address", self.emails)
        builder._insert("phone_number", self.phones)
        builder._insert("contact_preference", self.preferences)
        builder._insert("detail_verification", self.verifications)
        builder._insert("person_tag", self.tags)
        builder._insert("affiliation", self.affiliations)
        counts = builder.counts
        counts["household"] += len(self.households)
        counts["email_address"] += len(self.emails)
        counts["phone_number"] += len(self.phones)
        counts["affiliation"] += len(self.affiliations)


class PeopleStage(MeetingStage, PersonDetails):
    """Writes households and people; guests need the meetings they came to, and addresses
    the streets."""

    def _household(self, batch: Batch, unit: list[Spec], has_home: bool) -> None:
        rng = self.rng
        address = self._address() if has_home else None
        household_id = self._new_id("household") if address is not None else None
        landline = (
            next(self.landlines)
            if address is not None and rng.random() < (0.45 if unit[0].age >= 60 else 0.15)
            else None
        )
        shared = len(unit) >= 2 and unit[0].last == unit[1].last
        returned = address is not None and rng.random() < 0.01
        created_days: list[dt.datetime] = []
        for position, spec in enumerate(unit):
            created = self._person(
                batch,
                spec,
                household_id,
                address,
                landline,
                married=shared and position < 2,
                returned=returned and position == 0,
            )
            created_days.append(created)
        if address is not None and household_id is not None:
            created = min(created_days)
            batch.households.append(
                {
                    "id": household_id,
                    "line1": address.line1,
                    "line2": address.line2,
                    "line3": address.line3,
                    "town": address.town,
                    "county": None,
                    "postcode": address.postcode,
                    "ward_id": address.ward_id,
                    "polling_district_id": address.district_id,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )

    def _person(
        self,
        batch: Batch,
        spec: Spec,
        household_id: int | None,
        address: Address | None,
        landline: str | None,
        *,
        married: bool,
        returned: bool,
    ) -> dt.datetime:
        rng = self.rng
        as_of = self.as_of
        yesterday = self.yesterday
        person_id = self._new_id("person")
        status = spec.status
        age = spec.age
        birthday = years_back(as_of - dt.timedelta(days=rng.randint(1, 365)), age)
        member_like = status in ("member", "lapsed")
        dob = birthday if rng.random() < (0.8 if member_like else 0.25) else None

        joined = lapsed = None
        number = membership_type = None
        if member_like:
            joined = self._joined(age, lapsed=status == "lapsed")
            if status == "lapsed":
                first = joined + dt.timedelta(days=180)
                last = as_of - dt.timedelta(days=20)
                lapsed = self._day_between(first, last) if first < last else max(joined, last)
                membership_type = self._membership_type(age - (as_of - lapsed).days // 365)
            else:
                membership_type = self._membership_type(age)
            number = self._membership_number(joined)

        # When the branch first wrote this person down.
        guest_meetings: tuple[int, ...] = ()
        if status == "guest" and self.guest_meetings:
            picks = rng.sample(
                self.guest_meetings, min(len(self.guest_meetings), 1 if rng.random() < 0.8 else 2)
            )
            picks.sort(key=lambda m: m.starts_at)
            guest_meetings = tuple(m.id for m in picks)
            created = picks[0].starts_at + dt.timedelta(minutes=rng.randint(-10, 15))
        elif joined is not None and joined > self.start:
            import_day = self._day_between(
                joined + dt.timedelta(days=3), joined + dt.timedelta(days=33)
            )
            created = self._time_on(min(import_day, yesterday))
        elif member_like:
            created = at_time(self.start, 19, 42)
        else:
            created = self._time_on(self._day_between(self.start, yesterday))
        since = max(self.start, created.date())

        # E-mail addresses and telephones.
        emails: list[str] = []
        if rng.random() < _EMAIL_CHANCE[status]:
            emails.append(self._email(spec, birthday.year))
            if rng.random() < 0.12:
                emails.append(self._email(spec, birthday.year))
        for index, address_text in enumerate(emails):
            batch.emails.append(
                {
                    "id": self._new_id("email_address"),
                    "person_id": person_id,
                    "address": address_text,
                    "kind": "home" if index == 0 else "work" if 22 <= age <= 66 else "other",
                    "is_primary": index == 0,
                    "version": 1,
                }
            )
        mobile_chance = _MOBILE_CHANCE[status] * (0.6 if age >= 75 else 1.0)
        mobile = next(self.mobiles) if rng.random() < mobile_chance else None
        home = landline if landline is not None and rng.random() < 0.9 else None
        for number_text, kind in ((mobile, "mobile"), (home, "home")):
            if number_text is not None:
                batch.phones.append(
                    {
                        "id": self._new_id("phone_number"),
                        "person_id": person_id,
                        "number": number_text,
                        "kind": kind,
                        "is_primary": kind == "mobile" or mobile is None,
                        "version": 1,
                    }
                )

        # Contact preferences, recorded once with the channels they can be reached on.
        if rng.random() < 0.92:
            how = _CONTACT_HOW.pick(rng)
            recorded = self._time_on(self._day_between(since, yesterday))
            channels: list[tuple[str, bool, str]] = []
            if address is not None:
                channels.append(("post", rng.random() < 0.96, how))
            if emails:
                unsubscribed = rng.random() < 0.07
                channels.append(
                    ("email", not unsubscribed, "Asked not to be e-mailed" if unsubscribed else how)
                )
            if mobile or home:
                channels.append(("phone", rng.random() < 0.8, how))
            if mobile:
                channels.append(("sms", rng.random() < 0.6, how))
            for channel, allowed, how_text in channels:
                batch.preferences.append(
                    {
                        "id": self._new_id("contact_preference"),
                        "person_id": person_id,
                        "channel": channel,
                        "allowed": allowed,
                        "recorded_at": recorded,
                        "how": how_text,
                        "version": 1,
                    }
                )

        # When each group of details was last confirmed, and by what.
        checks: list[tuple[str, dt.date, str, str | None]] = []
        if member_like:
            last_seen = self.imports[-1]
            if lapsed is not None:
                last_seen = self.imports[max(0, bisect.bisect_right(self.imports, lapsed) - 1)]
            if last_seen >= since:
                checks.append(("membership", last_seen, "national_list", None))
                if address is not None:
                    checks.append(("address", last_seen, "national_list", None))
        elif address is not None and rng.random() < 0.3:
            checks.append(
                (
                    "address",
                    self._day_between(since, yesterday),
                    rng.choice(("in_person", "form", "phone_call")),
                    None,
                )
            )
        if emails and rng.random() < 0.35:
            checks.append(
                (
                    "email",
                    self._day_between(since, yesterday),
                    "email_reply" if rng.random() < 0.75 else "in_person",
                    None,
                )
            )
        if (mobile or home) and rng.random() < 0.2:
            checks.append(("phone", self._day_between(since, yesterday), "phone_call", None))
        if returned:
            checks.append(
                (
                    "address",
                    self._day_between(since, yesterday),
                    "letter_returned",
                    "Returned: addressee gone away",
                )
            )
        for detail, day, source, note in checks:
            batch.verifications.append(
                {
                    "id": self._new_id("detail_verification"),
                    "person_id": person_id,
                    "detail": detail,
                    "verified_on": day,
                    "source": source,
                    "note": note,
                }
            )

        # How much they come and help.
        tier = self._tier(spec)
        activity = self._activity_level(tier, status)
        tags = list(spec.tags)
        language = names_branch.LANGUAGE_TAGS.get(spec.origin)
        if language and not tags and rng.random() < 0.35:
            tags.append(language)
        if rng.random() < (0.35 if activity else 0.03):
            tags.append(rng.choice(names_branch.SKILL_TAGS))
            if rng.random() < 0.25:
                tags.append(rng.choice(names_branch.SKILL_TAGS))
        if activity and 18 <= age < 80 and rng.random() < 0.25:
            tags.append("has a car")
        if age >= 78 and rng.random() < 0.15:
            tags.append("needs a lift")
        if 18 <= age <= 23 and rng.random() < 0.4:
            tags.append("student")
        if age >= 80 and rng.random() < 0.1:
            tags.append("large print letters")
        if rng.random() < 0.003:
            tags.append("BSL signer")
        for tag in dict.fromkeys(tags):
            batch.tags.append({"person_id": person_id, "tag_id": self.tag_ids[tag]})

        self._affiliations(batch, person_id, status, age)

        title = self._title(spec, married)
        if tier == 3 and status == "member" and age >= 30 and rng.random() < 0.08:
            title = "Cllr"  # a councillor or two among the regulars
        notes = rng.choice(names_branch.PERSON_NOTES) if rng.random() < 0.04 else None
        follow_up = returned or rng.random() < 0.015
        postcode = address.postcode if address is not None else None
        batch.people.append(
            {
                "id": person_id,
                "title": title,
                "first_name": spec.first,
                "middle_names": spec.middle,
                "last_name": spec.last,
                "preferred_name": spec.preferred,
                "date_of_birth": dob,
                "status": status,
                "membership_number": number,
                "membership_type": membership_type,
                "joined_on": joined,
                "lapsed_on": lapsed,
                "household_id": household_id,
                "follow_up": follow_up,
                "notes": notes,
                "sort_key": self._sort_key(spec),
                "search_text": self._search_text(spec, number, postcode, emails),
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
        self.counts["person"] += 1
        if status == "member":
            self.counts["member"] += 1
        self.known.append(
            Known(
                id=person_id,
                status=status,
                joined=joined,
                lapsed=lapsed,
                since=since,
                age=age,
                tier=tier,
                activity=activity,
                guest_meetings=guest_meetings,
            )
        )
        return created

    def _affiliations(self, batch: Batch, person_id: int, status: str, age: int) -> None:
        rng = self.rng
        as_of = self.as_of

        def add(
            org_id: int, role: str | None, earliest_age: int, until: dt.date | None = None
        ) -> None:
            years = max(0, age - earliest_age)
            since = as_of - dt.timedelta(days=rng.randint(30, 30 + years * 365))
            batch.affiliations.append(
                {
                    "id": self._new_id("affiliation"),
                    "person_id": person_id,
                    "organisation_id": org_id,
                    "role": role or None,
                    "since": since,
                    "until": max(until, since) if until is not None else None,
                    "version": 1,
                }
            )

        union_chance = {"member": 0.18, "lapsed": 0.1, "supporter": 0.08, "contact": 0.06}.get(
            status, 0.0
        )
        if age >= 67:
            union_chance *= 0.4
        if age >= 18 and rng.random() < union_chance:
            union = self.union_ids[_UNIONS.pick(rng)]
            ended = None
            if age >= 67 and rng.random() < 0.5:
                ended = years_back(as_of, age - 65)
            elif rng.random() < 0.04:
                ended = as_of - dt.timedelta(days=rng.randint(30, 900))
            add(union, _UNION_ROLES.pick(rng) if ended is None else None, 18, ended)
        if status in ("member", "supporter"):
            if rng.random() < 0.05:
                add(self.coop_id, None, 18)
            if rng.random() < 0.04:
                add(rng.choice(self.campaign_ids), None, 16)
            if rng.random() < 0.03:
                add(rng.choice(self.community_ids), _COMMUNITY_ROLES.pick(rng), 20)
