"""The whole build: ``Builder`` puts the stages together and runs them in order,
yielding progress, and ``DemoSummary`` says how much was written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from db.audit import record_bulk
from db.demo.activities import ActivityStage
from db.demo.answers import AnswerStage
from db.demo.attendance import AttendanceStage
from db.demo.households import HouseholdStage
from db.demo.letters import add_demo_letters
from db.demo.people import Batch, PeopleStage
from db.demo.state import CHUNK_PEOPLE


@dataclass(frozen=True)
class DemoSummary:
    """How much demo data was written."""

    people: int
    members: int
    households: int
    meetings: int
    attendances: int
    contributions: int
    activities: int
    answers: int
    affiliations: int
    organisations: int
    questions: int
    wards: int
    polling_districts: int
    emails: int
    phones: int


class Builder(HouseholdStage, PeopleStage, AttendanceStage, ActivityStage, AnswerStage):
    """A demo branch drawn from one seed: every stage, run in the order they must be."""

    def run(self) -> Iterator[tuple[int, int, str]]:
        chunks = -(-self.people // CHUNK_PEOPLE)
        total = 1 + chunks + 3  # reference data, people in chunks, three stages after
        done = 0
        yield done, total, "Preparing the demo branch"
        self._start_ids()
        self._reference_data()
        self._meetings()
        done += 1
        yield done, total, "Wards, organisations, questions and meetings"
        written = 0
        specials = self._special_units()
        room = max(1, self.people - 16)
        marks = sorted(self.rng.sample(range(room), min(len(specials), room)))
        for chunk in range(chunks):
            goal = min(self.people, (chunk + 1) * CHUNK_PEOPLE)
            batch = Batch()
            while written < goal:
                if marks and written >= marks[0]:
                    marks.pop(0)
                    unit, has_home = specials.pop(0), True
                else:
                    unit, has_home = self._unit()
                unit = unit[: self.people - written]
                self._household(batch, unit, has_home)
                written += len(unit)
            batch.write(self)
            done += 1
            yield done, total, f"People: {written:,} of {self.people:,}"
        self._attendance()
        done += 1
        yield done, total, "Meeting attendance and contributions"
        self._activities()
        done += 1
        yield done, total, "Canvassing, leafleting and other activity"
        self._answers()
        self._advance_sequences()
        add_demo_letters(self.session, self._insert, self.as_of)
        record_bulk(self.session, "person", f"Demo data: {self.counts['person']} people", None)
        done += 1
        yield done, total, "Answers to the branch's questions"

    def summary(self) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            people=c["person"],
            members=c["member"],
            households=c["household"],
            meetings=c["meeting"],
            attendances=c["attendance"],
            contributions=c["contribution"],
            activities=c["activity"],
            answers=c["answer"],
            affiliations=c["affiliation"],
            organisations=c["organisation"],
            questions=c["question"],
            wards=c["ward"],
            polling_districts=c["polling_district"],
            emails=c["email_address"],
            phones=c["phone_number"],
        )
