"""The meetings stage: two years of branch meetings, AGMs, committees, campaign days,
training and socials, the next few still to come, and their agendas."""

from __future__ import annotations

import datetime as dt

from db.demo import names_branch, names_places
from db.demo.dates import at_time, nth_weekday
from db.demo.records import Meeting, Row
from db.demo.reference import ReferenceStage


class MeetingStage(ReferenceStage):
    """Writes the meetings and agenda items; needs the wards and localities."""

    def _meetings(self) -> None:
        rng = self.rng
        localities = [locality.name for locality, _, _ in self.places]
        main_venue = f"{localities[0]} Community Centre"
        other_venue = f"{localities[1 % len(localities)]} Methodist Church Hall"
        wards = names_places.WARDS[: self.counts["ward"]]
        plan: list[tuple[str, str, dt.datetime, int, str]] = []  # kind, title, start, mins, venue
        month = dt.date(self.start.year, self.start.month, 1)
        horizon = self.as_of + dt.timedelta(days=120)
        campaign_turn = 0
        while month <= horizon:
            y, m = month.year, month.month
            if m == 2:
                plan.append(
                    (
                        "agm",
                        f"Annual General Meeting {y}",
                        at_time(nth_weekday(y, m, 1, 2), 19, 0),
                        150,
                        main_venue,
                    )
                )
            elif m != 8:
                venue = main_venue if rng.random() < 0.8 else other_venue
                plan.append(
                    (
                        "branch",
                        f"Branch meeting, {month:%B %Y}",
                        at_time(nth_weekday(y, m, 1, 2), 19, 30),
                        105,
                        venue,
                    )
                )
            if m in (1, 4, 7, 10):
                plan.append(
                    (
                        "general_committee",
                        "General committee",
                        at_time(nth_weekday(y, m, 3, 3), 19, 0),
                        120,
                        f"Quaker Meeting House, {self.places[0][0].town}",
                    )
                )
            saturdays = {2: (1,), 3: (1, 3), 4: (1, 3), 9: (1,), 11: (1,)}.get(m, ())
            for n in saturdays:
                ward = wards[campaign_turn % len(wards)]
                campaign_turn += 1
                plan.append(
                    (
                        "campaign",
                        f"Campaign day: {ward.name}",
                        at_time(nth_weekday(y, m, 5, n), 10, 30),
                        150,
                        f"Outside {ward.localities[0].name} Library",
                    )
                )
            if m == 3:
                title = "Canvassing training" if y % 2 else "Chairing and minute-taking training"
                plan.append(
                    ("training", title, at_time(nth_weekday(y, m, 2, 4), 19, 0), 120, main_venue)
                )
            if m == 7:
                plan.append(
                    (
                        "social",
                        "Summer barbecue",
                        at_time(nth_weekday(y, m, 5, 2), 13, 0),
                        180,
                        f"{localities[-1]} Park",
                    )
                )
            if m == 10:
                plan.append(
                    (
                        "social",
                        "Quiz night",
                        at_time(nth_weekday(y, m, 4, -1), 19, 30),
                        150,
                        other_venue,
                    )
                )
            if m == 12:
                plan.append(
                    (
                        "social",
                        "Christmas social",
                        at_time(nth_weekday(y, m, 4, 2), 19, 0),
                        210,
                        main_venue,
                    )
                )
            month = dt.date(y + m // 12, m % 12 + 1, 1)
        plan.sort(key=lambda item: item[2])
        past = [p for p in plan if self.start <= p[2].date() < self.as_of]
        # The next two, and the next branch meeting (or AGM) if it is not one of them.
        ahead = [p for p in plan if p[2].date() >= self.as_of]
        upcoming = ahead[:2]
        if not any(p[0] in ("branch", "agm") for p in upcoming):
            upcoming += [p for p in ahead if p[0] in ("branch", "agm")][:1]

        meetings: list[Row] = []
        items: list[Row] = []
        self.meetings: list[Meeting] = []
        motions = list(names_branch.MOTIONS)
        rng.shuffle(motions)
        motion_turn = 0
        for kind, title, starts_at, minutes, venue in past + upcoming:
            meeting = Meeting(
                id=self._new_id("meeting"),
                kind=kind,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=minutes),
                venue=venue,
                past=starts_at.date() < self.as_of,
            )
            self.meetings.append(meeting)
            created = min(
                starts_at - dt.timedelta(days=rng.randint(14, 40)),
                at_time(self.as_of - dt.timedelta(days=1), 18),
            )
            meetings.append(
                {
                    "id": meeting.id,
                    "kind": kind,
                    "title": title,
                    "starts_at": starts_at,
                    "ends_at": meeting.ends_at,
                    "venue": venue,
                    "notes": "Hybrid: online link sent with the agenda."
                    if kind == "branch" and rng.random() < 0.2
                    else None,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            agenda: list[tuple[str, str, str | None]] = []
            if kind in ("branch", "agm", "general_committee"):
                agenda += [
                    ("Welcome and apologies", "item", None),
                    ("Minutes of the last meeting", "item", None),
                    ("Matters arising", "item", None),
                ]
                if kind == "agm":
                    agenda += [
                        ("Chair's report", "item", None),
                        ("Secretary's report", "item", None),
                        ("Treasurer's report and accounts", "item", None),
                        ("Election of officers", "item", None),
                    ]
                else:
                    agenda += [
                        ("Treasurer's report", "item", None),
                        ("Campaigns update", "item", None),
                    ]
                if kind == "branch" and rng.random() < 0.4:
                    topic = rng.choice(names_branch.GUEST_SPEAKER_TOPICS)
                    agenda.append((f"Guest speaker on {topic}", "item", None))
                motion_count = {"agm": 2, "general_committee": rng.randint(0, 2)}.get(
                    kind, 1 if rng.random() < 0.35 else 0
                )
                for _ in range(motion_count):
                    motion_title, text = motions[motion_turn % len(motions)]
                    motion_turn += 1
                    agenda.append((f"Motion: {motion_title}", "motion", text))
                agenda.append(("Any other business", "item", None))
            elif kind == "campaign":
                agenda += [
                    ("Briefing and safety", "item", None),
                    ("Routes and pairs", "item", None),
                ]
            elif kind == "training":
                agenda += [
                    ("Introductions", "item", None),
                    ("The session", "item", None),
                    ("Practice in pairs", "item", None),
                    ("Questions", "item", None),
                ]
            for position, (item_title, item_kind, motion_text) in enumerate(agenda):
                item_id = self._new_id("agenda_item")
                items.append(
                    {
                        "id": item_id,
                        "meeting_id": meeting.id,
                        "position": position,
                        "title": item_title,
                        "kind": item_kind,
                        "motion_text": motion_text,
                        "version": 1,
                    }
                )
                if item_kind == "motion":
                    meeting.motions.append(item_id)
                elif item_title.startswith("Guest speaker"):
                    meeting.speaker_item = item_id
                    meeting.talks.append(item_id)
                elif item_title in (
                    "Campaigns update",
                    "Matters arising",
                    "Chair's report",
                    "The session",
                    "Election of officers",
                ):
                    meeting.talks.append(item_id)
        self._insert("meeting", meetings)
        self._insert("agenda_item", items)
        self.counts["meeting"] = len(meetings)
        self.elections = [
            day
            for year in range(self.start.year, self.as_of.year + 1)
            if self.start <= (day := nth_weekday(year, 5, 3, 1)) < self.as_of
        ]
        self.guest_meetings = [
            m for m in self.meetings if m.past and m.kind in ("branch", "agm", "social", "campaign")
        ]
