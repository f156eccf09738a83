"""Meetings attended, and what people did there: who came, who sent apologies, who
chaired, minuted, proposed, seconded, spoke, asked and volunteered."""

from __future__ import annotations

import datetime as dt

from db.demo import names_branch
from db.demo.dates import at_time
from db.demo.meetings import MeetingStage
from db.demo.records import Known, Meeting, Row
from db.demo.state import MAX_ATTENDEES

_ATTEND = {3: 0.8, 2: 0.25, 1: 0.06}
_APOLOGIES = {3: 0.55, 2: 0.15, 1: 0.02}
_SPEAKS = {3: 0.45, 2: 0.2, 1: 0.08, 0: 0.05}
_VOLUNTEERS = {3: 0.2, 2: 0.1, 1: 0.05, 0: 0.02}


class AttendanceStage(MeetingStage):
    """Writes attendance and contributions for every meeting, once everyone is written."""

    def _attendance(self) -> None:
        rng = self.rng
        engaged = [k for k in self.known if k.tier > 0]
        regulars = [k for k in engaged if k.tier == 3 and k.status == "member"]
        officers = regulars[:]
        rng.shuffle(officers)
        if len(officers) < 2:
            members = [k for k in engaged if k.status == "member"]
            officers += [k for k in members if k not in officers][: 2 - len(officers)]
        chair = officers[0] if officers else None
        secretary = officers[1] if len(officers) > 1 else None
        vice_chair = officers[2] if len(officers) > 2 else None
        for k in engaged:
            k.delegate = (k.tier == 3 and rng.random() < 0.4) or (
                k.tier == 2 and rng.random() < 0.05
            )
        for officer in officers[:5]:
            officer.delegate = True
        guests: dict[int, list[Known]] = {}
        for k in self.known:
            for meeting_id in k.guest_meetings:
                guests.setdefault(meeting_id, []).append(k)

        attendance: list[Row] = []
        contributions: list[Row] = []
        for meeting in self.meetings:
            day = meeting.starts_at.date()
            season = 0.8 if day.month in (7, 8) else 0.85 if day.month == 12 else 1.0
            if any(0 <= (election - day).days <= 42 for election in self.elections):
                season = 1.15
            present: list[Known] = []
            apologies: list[Known] = []
            for k in engaged:
                if (k.joined or k.since) > day:
                    continue
                if k.lapsed is not None and k.lapsed < day:
                    continue
                if k.status == "contact" and meeting.kind != "social":
                    continue
                if k.status == "guest":
                    continue
                p = self._attend_chance(meeting.kind, k, season)
                if k is chair or k is secretary:
                    p = 0.95 if meeting.kind in ("branch", "agm", "general_committee") else p
                if rng.random() < p:
                    present.append(k)
                elif (
                    meeting.kind in ("branch", "agm")
                    or (meeting.kind == "general_committee" and k.delegate)
                ) and (rng.random() < _APOLOGIES[k.tier]):
                    apologies.append(k)
            if not meeting.past:
                # Apologies already in for what is still to come; nobody has been yet.
                apologies = [k for k in apologies + present if rng.random() < 0.25]
                present = []
            else:
                present += guests.get(meeting.id, [])
            if len(present) > MAX_ATTENDEES:
                present = sorted(rng.sample(present, MAX_ATTENDEES), key=lambda k: k.id)
            for k in present:
                checked_in = meeting.starts_at + dt.timedelta(
                    seconds=int(rng.triangular(-20 * 60, 25 * 60, -6 * 60))
                )
                attendance.append(
                    {
                        "id": self._new_id("attendance"),
                        "meeting_id": meeting.id,
                        "person_id": k.id,
                        "status": "present",
                        "checked_in_at": checked_in,
                        "method": "scan"
                        if k.status == "member" and rng.random() < 0.35
                        else "search",
                        "recorded_at": checked_in,
                        "version": 1,
                    }
                )
                k.attended.append(day)
            for k in apologies:
                sent = meeting.starts_at - dt.timedelta(
                    days=rng.randint(1, 6), hours=rng.randint(0, 10)
                )
                if not meeting.past:
                    sent = min(sent, at_time(self.as_of - dt.timedelta(days=1), 20))
                attendance.append(
                    {
                        "id": self._new_id("attendance"),
                        "meeting_id": meeting.id,
                        "person_id": k.id,
                        "status": "apologies",
                        "checked_in_at": None,
                        "method": None,
                        "recorded_at": sent,
                        "version": 1,
                    }
                )
            if meeting.past and present:
                contributions += self._contributions(meeting, present, chair, vice_chair, secretary)
        self._insert("attendance", attendance)
        self._insert("contribution", contributions)
        self.counts["attendance"] = len(attendance)
        self.counts["contribution"] = len(contributions)

    def _attend_chance(self, kind: str, k: Known, season: float) -> float:
        base = _ATTEND[k.tier]
        if kind == "branch":
            return base * season
        if kind == "agm":
            return min(0.95, base * 1.35)
        if kind == "general_committee":
            return 0.85 if k.delegate else 0.0
        if kind == "social":
            return 0.3 if k.status == "contact" else base * 0.6
        if kind == "campaign":
            return {3: 0.45, 2: 0.2, 1: 0.06, 4: 0.02}.get(k.activity, 0.01) * season
        return {3: 0.25, 2: 0.12, 1: 0.02}[k.tier]  # training

    def _contributions(
        self,
        meeting: Meeting,
        present: list[Known],
        chair: Known | None,
        vice_chair: Known | None,
        secretary: Known | None,
    ) -> list[Row]:
        rng = self.rng
        rows: list[Row] = []
        minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)

        def add(k: Known, kind: str, item: int | None = None, note: str | None = None) -> None:
            at = meeting.starts_at + dt.timedelta(minutes=rng.randint(0, max(1, minutes)))
            rows.append(
                {
                    "id": self._new_id("contribution"),
                    "meeting_id": meeting.id,
                    "person_id": k.id,
                    "agenda_item_id": item,
                    "kind": kind,
                    "note": note,
                    "recorded_at": at,
                    "version": 1,
                }
            )

        here = {k.id for k in present}
        regulars = [k for k in present if k.tier == 3]
        if meeting.kind in ("branch", "agm", "general_committee"):
            chaired = next(
                (k for k in (chair, vice_chair) if k is not None and k.id in here),
                regulars[0] if regulars else present[0],
            )
            add(chaired, "chaired")
            minuted = secretary if secretary is not None and secretary.id in here else None
            if minuted is None or minuted is chaired:
                others = [k for k in present if k is not chaired]
                minuted = others[0] if others else None
            if minuted is not None:
                add(minuted, "minuted")
            members = [k for k in present if k.status == "member"]
            for item in meeting.motions:
                if len(members) < 2:
                    break
                weights = [4.0 if k.tier == 3 else 1.0 for k in members]
                proposer = rng.choices(members, weights)[0]
                seconder = proposer
                while seconder is proposer:
                    seconder = rng.choices(members, weights)[0]
                add(proposer, "proposed", item)
                add(seconder, "seconded", item)
                for k in rng.sample(present, min(len(present), rng.randint(1, 3))):
                    add(k, "spoke", item)
        if meeting.kind == "training" or meeting.kind == "social":
            for k in present:
                if meeting.kind == "training" and rng.random() < 0.3:
                    add(k, "question", meeting.talks[0] if meeting.talks else None)
                elif meeting.kind == "social" and rng.random() < 0.05:
                    add(k, "volunteered", None, "Helped set up and clear away")
            return rows
        for k in present:
            if rng.random() < _SPEAKS[k.tier]:
                talk = rng.choice(meeting.talks) if meeting.talks and rng.random() < 0.6 else None
                add(k, "spoke", talk)
            if meeting.speaker_item is not None and rng.random() < 0.12:
                add(k, "question", meeting.speaker_item)
            if rng.random() < _VOLUNTEERS[k.tier]:
                add(k, "volunteered", None, rng.choice(names_branch.VOLUNTEER_NOTES))
        return rows
