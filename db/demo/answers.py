"""Views: members' and supporters' answers to the branch's four questions, some asked
twice, at meetings, on the doorstep, by telephone and on forms."""

from __future__ import annotations

import datetime as dt

from db.demo import names_branch
from db.demo.choices import Choices
from db.demo.records import Known, Row
from db.demo.reference import ReferenceStage

_ANSWER_SOURCES = Choices(
    [
        ("meeting", 30.0),
        ("doorstep", 25.0),
        ("phone", 15.0),
        ("paper_form", 15.0),
        ("online_form", 15.0),
    ]
)
_SCALE = Choices([(1, 15.0), (2, 28.0), (3, 32.0), (4, 18.0), (5, 7.0)])


class AnswerStage(ReferenceStage):
    """Writes answers and the options chosen; needs the questions."""

    def _answers(self) -> None:
        rng = self.rng
        answers: list[Row] = []
        choices: list[Row] = []
        questions = [self.q_issues, self.q_four_day, self.q_council, self.q_next]
        last_day = self.as_of - dt.timedelta(days=1)

        def value(question_id: int, k: Known) -> tuple[int | None, str | None, list[int]]:
            options = self.options[question_id]
            if question_id == self.q_issues:
                weights = [
                    20.0 + (8 if k.age < 35 else 0),
                    12.0,
                    18.0 + (8 if k.age >= 60 else 0),
                    8.0,
                    22.0,
                    10.0 + (6 if k.age < 35 else 0),
                    5.0,
                    5.0,
                ]
                picked: list[int] = []
                wanted = 3 if rng.random() < 0.7 else 2 if rng.random() < 0.67 else 1
                pool = list(zip(options, weights, strict=True))
                while len(picked) < wanted:
                    option = Choices(pool).pick(rng)
                    picked.append(option)
                    pool = [(o, w) for o, w in pool if o != option]
                return None, None, picked
            if question_id == self.q_four_day:
                support = 62.0 if k.age < 40 else 48.0
                return (
                    None,
                    None,
                    [Choices(list(zip(options, [support, 22.0, 26.0], strict=True))).pick(rng)],
                )
            if question_id == self.q_council:
                return _SCALE.pick(rng), None, []
            return None, rng.choice(names_branch.CAMPAIGN_IDEAS), []

        def add(
            k: Known,
            question_id: int,
            day: dt.date,
            source: str,
            answer: tuple[int | None, str | None, list[int]],
        ) -> None:
            answer_id = self._new_id("answer")
            scale, text, picked = answer
            answers.append(
                {
                    "id": answer_id,
                    "person_id": k.id,
                    "question_id": question_id,
                    "answered_on": day,
                    "source": source,
                    "scale_value": scale,
                    "text_value": text,
                    "version": 1,
                }
            )
            multiple = question_id == self.q_issues
            for rank, option in enumerate(picked, start=1):
                choices.append(
                    {
                        "answer_id": answer_id,
                        "option_id": option,
                        "rank": rank if multiple else None,
                    }
                )

        for k in self.known:
            chance = {"member": 0.3, "supporter": 0.12}.get(k.status, 0.0)
            if not rng.random() < chance:
                continue
            count = rng.choice((1, 2, 2, 3, 3, 4, 4))
            for question_id in sorted(rng.sample(questions, count)):
                first = max(self.question_days[question_id], k.since)
                if first > last_day:
                    continue
                source = _ANSWER_SOURCES.pick(rng)
                meeting_days = [d for d in k.attended if d >= first]
                if source == "meeting" and meeting_days:
                    day = rng.choice(meeting_days)
                else:
                    source = "doorstep" if source == "meeting" else source
                    day = self._day_between(first, last_day)
                if question_id != self.q_next and rng.random() < 0.1 and day > first:
                    older = self._day_between(first, day - dt.timedelta(days=1))
                    add(
                        k,
                        question_id,
                        older,
                        _ANSWER_SOURCES.pick(rng)
                        if not meeting_days
                        else "meeting"
                        if older in meeting_days
                        else "doorstep",
                        value(question_id, k),
                    )
                add(k, question_id, day, source, value(question_id, k))
        self._insert("answer", answers)
        self._insert("answer_choice", choices)
        self.counts["answer"] = len(answers)
