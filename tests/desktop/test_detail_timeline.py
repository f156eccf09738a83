"""The Meetings section of the detail pane: its HTML as a pure function, the two SELECTs it
costs, and the main window showing it for the person selected."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

from pytestqt.qtbot import QtBot
from sqlalchemy import event

from db.database import Database
from db.meeting_ledger import add_agenda_item, record_contribution
from db.meetings import NewMeeting, add_meeting, check_in, record_apologies
from db.participation import (
    Figures,
    PersonParticipation,
    TimelineEntry,
    participation_figures,
    person_participation,
)
from db.people import NewPerson, add_person, person_detail
from desktop.detail_pane import TIMELINE_MEETINGS, detail_html, meetings_html
from desktop.main_window import MainWindow

TODAY = dt.date(2026, 11, 27)


def text_of(html: str) -> str:
    """The HTML as the pane reads: tags gone, one space between words."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def attended(day: int, meeting_id: int, title: str) -> TimelineEntry:
    when = dt.datetime(2026, 10, day, 19, 30)
    return TimelineEntry(when, meeting_id, title, "Attended", None, "present")


def test_one_line_per_meeting_newest_first_with_what_was_done() -> None:
    october = dt.datetime(2026, 10, 1, 19, 30)
    june = dt.datetime(2026, 6, 4, 19, 30)
    timeline = [
        TimelineEntry(october, 3, "October <branch>", "Attended", None, "present"),
        TimelineEntry(october, 3, "October <branch>", "Spoke", "Housing", "spoke", "Housing"),
        TimelineEntry(
            october,
            3,
            "October <branch>",
            "Proposed a motion",
            "Motion A; M",
            "proposed",
            "Motion A",
            "M",
        ),  # fmt: skip
        TimelineEntry(june, 2, "June", "Sent apologies", None, "apologies"),
    ]
    figures = Figures(attended_12m=1, last_attended=october, contributions=2, apologies_12m=1)

    text = text_of(meetings_html(PersonParticipation(figures, timeline)))

    assert text == (
        "Meetings "
        "Last 12 months 1 meeting attended, apologies sent for 1 "
        "Last attended 01 Oct 2026 "
        "Contributions 2 "
        "01 Oct 2026 October <branch> Attended Spoke on “Housing” "
        "Proposed a motion: “Motion A” — M "
        "04 Jun 2026 June Sent apologies"
    )
    # The meeting's title is text, not markup.
    assert "October &lt;branch&gt;" in meetings_html(PersonParticipation(figures, timeline))


def test_a_long_timeline_is_cut_and_the_rest_counted() -> None:
    timeline = [attended(28 - i, i, f"Meeting {i}") for i in range(TIMELINE_MEETINGS + 3)]
    figures = Figures(len(timeline), timeline[0].when, 0, 0)

    text = text_of(meetings_html(PersonParticipation(figures, timeline)))

    shown = [f"Meeting {i}" for i in range(TIMELINE_MEETINGS + 3) if f"Meeting {i} " in text]
    assert shown == [f"Meeting {i}" for i in range(TIMELINE_MEETINGS)]
    assert text.endswith("… and 3 earlier meetings.")
    one_more = text_of(meetings_html(PersonParticipation(figures, timeline[:2]), limit=1))
    assert one_more.endswith("… and 1 earlier meeting.")


def test_someone_who_never_came_is_told_so() -> None:
    text = text_of(meetings_html(PersonParticipation(Figures(0, None, 0, 0), [])))
    assert text == (
        "Meetings Last 12 months 0 meetings attended Last attended — Contributions 0 "
        "No meetings attended and no apologies sent yet."
    )


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        seen.append(sql)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", note)


def test_figures_agree_with_everyones_figures_for_two_selects(database: Database) -> None:
    with database.session() as session:
        ann = add_person(session, NewPerson("Ann", "Jones", status="member"))
        old = add_meeting(session, NewMeeting("Old AGM", dt.datetime(2025, 3, 1, 19, 30)))
        june = add_meeting(session, NewMeeting("June", dt.datetime(2026, 6, 4, 19, 30)))
        july = add_meeting(session, NewMeeting("July", dt.datetime(2026, 7, 2, 19, 30)))
        october = add_meeting(session, NewMeeting("October", dt.datetime(2026, 10, 1, 19, 30)))
        motion = add_agenda_item(session, october, "Motion A", motion_text="We resolve")
        check_in(session, old, ann)
        check_in(session, june, ann)
        record_apologies(session, july, ann)
        record_contribution(session, october, ann, "proposed", agenda_item_id=motion)
        record_contribution(session, old, ann, "spoke")

    with database.session() as session:
        person_detail(session, ann)  # what the window reads first, in the same session
        with statements(database) as seen:
            mine = person_participation(session, ann, today=TODAY)
        everyone = participation_figures(session, [ann], today=TODAY)
        html = detail_html(person_detail(session, ann, today=TODAY), mine)
    assert len(seen) == 2  # attendance and contributions; no query per meeting
    # Taking part at a meeting is being there: October counts as attended.
    assert mine.figures == everyone[ann] == Figures(2, dt.datetime(2026, 10, 1, 19, 30), 2, 1)
    assert [(e.meeting, e.what) for e in mine.timeline] == [
        ("October", "Attended"),
        ("October", "Proposed a motion"),
        ("July", "Sent apologies"),
        ("June", "Attended"),
        ("Old AGM", "Attended"),
        ("Old AGM", "Spoke"),
    ]
    text = text_of(html)
    assert text.startswith("Ann Jones Status Member")
    assert "01 Oct 2026 October Attended Proposed a motion: “Motion A”" in text


def test_selecting_a_person_shows_their_meetings(window: MainWindow, qtbot: QtBot) -> None:
    with window.database.session() as session:
        figures = participation_figures(session)
        busiest = max(figures, key=lambda pid: (figures[pid].contributions, -pid))
        name = person_detail(session, busiest).full_name
        expected = person_participation(session, busiest)
    assert expected.figures.contributions > 0 and len(expected.timeline) > 3

    window.search.setText(name)  # names may hold accents: typed keys would abort Qt's harness
    row = window.model.row_of(busiest)
    assert row is not None
    window.table.selectRow(row)

    assert window.detail.person_id == busiest
    text = " ".join(window.detail.toPlainText().split())
    newest = expected.timeline[0]
    assert "Meetings" in text
    assert f"Contributions {expected.figures.contributions}" in text
    assert f"{newest.when:%d %b %Y} {newest.meeting} {newest.what}" in text
    meetings = len({e.meeting_id for e in expected.timeline})
    if meetings > TIMELINE_MEETINGS:
        assert f"and {meetings - TIMELINE_MEETINGS:,} earlier" in text
