"""A person's meetings timeline and the figures segments and reports will use."""

from __future__ import annotations

import datetime as dt

from db.database import Database
from db.meeting_ledger import add_agenda_item, record_contribution
from db.meetings import NewMeeting, add_meeting, check_in, record_apologies
from db.participation import participation_figures, person_timeline
from db.people import NewPerson, add_person

TODAY = dt.date(2026, 11, 27)


def test_timeline_and_figures(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        bob = add_person(session, NewPerson("Bob", "Hale", status="member"))
        idle = add_person(session, NewPerson("Cy", "Ward", status="member"))
        old = add_meeting(session, NewMeeting("Old AGM", dt.datetime(2025, 3, 1, 19, 30)))
        june = add_meeting(session, NewMeeting("June", dt.datetime(2026, 6, 4, 19, 30)))
        october = add_meeting(session, NewMeeting("October", dt.datetime(2026, 10, 1, 19, 30)))
        motion = add_agenda_item(session, october, "Motion A", motion_text="We resolve")
        check_in(session, old, ann)
        check_in(session, june, ann)
        record_contribution(session, october, ann, "proposed", agenda_item_id=motion, note="M")
        record_apologies(session, june, bob)

    with database.session() as session:
        timeline = person_timeline(session, ann)
        figures = participation_figures(session, today=TODAY)
        asked = participation_figures(session, [idle, bob], today=TODAY)
    assert [(e.meeting, e.what, e.detail) for e in timeline] == [
        ("October", "Attended", None),
        ("October", "Proposed a motion", "Motion A; M"),
        ("June", "Attended", None),
        ("Old AGM", "Attended", None),
    ]
    assert figures[ann].attended_12m == 2  # June and October; the old AGM is too long ago
    assert figures[ann].last_attended == dt.datetime(2026, 10, 1, 19, 30)
    assert figures[ann].contributions == 1
    assert figures[bob].apologies_12m == 1 and figures[bob].attended_12m == 0
    assert idle not in figures
    assert asked[idle].attended_12m == 0 and asked[bob].apologies_12m == 1
    assert set(asked) == {idle, bob}


def test_figures_for_more_people_than_one_in_list_holds(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        meeting = add_meeting(session, NewMeeting("June", dt.datetime(2026, 6, 4, 19, 30)))
        check_in(session, meeting, ann)
        asked = [ann, *range(10_000, 11_200)]  # slices of 500: three statements
        figures = participation_figures(session, asked, today=TODAY)
    assert len(figures) == len(asked)
    assert figures[ann].attended_12m == 1
    assert figures[10_500] == figures[11_199] and figures[10_500].attended_12m == 0
