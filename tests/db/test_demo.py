"""The demo branch: believable, consistent, repeatable, and all-or-nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select, text

from db.database import Database, open_database
from db.demo import MAX_ATTENDEES, Cancelled, DemoSummary, generate_demo, load_demo
from db.errors import UserError
from db.folding import sort_key
from db.models import Base, Person
from db.search import person_filter, search_document

AS_OF = dt.date(2026, 3, 18)
PEOPLE = 1500
SEED = 11

UK_POSTCODE = re.compile(
    r"^(?:[A-Z]\d{1,2}|[A-Z]{2}\d{1,2}|[A-Z]\d[A-Z]|[A-Z]{2}\d[A-Z]) \d[ABD-HJLNP-UW-Z]{2}$"
)
PHONE = re.compile(r"^(?:07700 900\d{3}|0113 496 0\d{3})$")


def _open(path: Path) -> Database:
    return open_database(path, actor="tester")


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One default-sized branch, built once for the read-only tests below."""
    database = _open(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    summary = load_demo(database, people=PEOPLE, seed=SEED, as_of=AS_OF)
    yield database, summary
    database.close()


@pytest.fixture
def conn(branch: tuple[Database, DemoSummary]) -> Iterator[Connection]:
    with branch[0].engine.connect() as connection:
        yield connection


def rows(conn: Connection, sql: str, **params: Any) -> list[Any]:
    return list(conn.execute(text(sql), params).all())


def scalar(conn: Connection, sql: str, **params: Any) -> Any:
    return conn.execute(text(sql), params).scalar()


def count(conn: Connection, table: str) -> int:
    return int(scalar(conn, f"SELECT count(*) FROM {table}"))


# --- shape and counts ---------------------------------------------------------------------


def test_the_summary_counts_what_was_written(
    branch: tuple[Database, DemoSummary], conn: Connection
) -> None:
    summary = branch[1]
    assert summary.people == count(conn, "person") == PEOPLE
    assert summary.members == scalar(conn, "SELECT count(*) FROM person WHERE status = 'member'")
    expected = {
        "households": "household",
        "meetings": "meeting",
        "attendances": "attendance",
        "contributions": "contribution",
        "activities": "activity",
        "answers": "answer",
        "affiliations": "affiliation",
        "organisations": "organisation",
        "questions": "question",
        "wards": "ward",
        "polling_districts": "polling_district",
        "emails": "email_address",
        "phones": "phone_number",
    }
    for field, table in expected.items():
        assert getattr(summary, field) == count(conn, table), field
    assert 6 <= summary.wards <= 10
    assert 2 * summary.wards <= summary.polling_districts <= 4 * summary.wards
    assert summary.questions == 4


def test_the_branch_is_plausibly_mixed(conn: Connection) -> None:
    statuses = dict(rows(conn, "SELECT status, count(*) FROM person GROUP BY status"))
    share = {status: n / PEOPLE for status, n in statuses.items()}
    assert 0.52 <= share["member"] <= 0.68
    assert 0.10 <= share["lapsed"] <= 0.20
    assert 0.08 <= share["supporter"] <= 0.16
    assert 0.06 <= share["contact"] <= 0.15
    assert 0.01 <= share["guest"] <= 0.06
    sizes = Counter(
        n
        for (n,) in rows(
            conn,
            "SELECT count(*) FROM person WHERE household_id IS NOT NULL GROUP BY household_id",
        )
    )
    assert set(sizes) == {1, 2, 3, 4}
    assert sizes[1] + sizes[2] > 0.7 * sum(sizes.values())
    types = {t for (t,) in rows(conn, "SELECT DISTINCT membership_type FROM person")}
    assert {"Standard", "Reduced", "Youth", "Retired", "Unwaged"} <= types
    titles = {t for (t,) in rows(conn, "SELECT DISTINCT title FROM person")}
    assert {"Mr", "Mrs", "Ms", "Miss", "Dr"} <= titles
    bobs = rows(conn, "SELECT preferred_name FROM person WHERE first_name = 'Robert'")
    assert ("Bob",) in bobs
    assert scalar(conn, "SELECT count(*) FROM person WHERE preferred_name IS NOT NULL") > 20


def test_members_live_with_partners_who_are_not_members(conn: Connection) -> None:
    mixed = scalar(
        conn,
        "SELECT count(*) FROM (SELECT household_id FROM person WHERE household_id IS NOT NULL "
        "GROUP BY household_id HAVING sum(status = 'member') > 0 "
        "AND sum(status IN ('contact', 'supporter')) > 0)",
    )
    assert mixed >= 0.05 * count(conn, "household")
    # Partners who share a surname, and partners who do not.
    pairs = rows(
        conn,
        "SELECT m.last_name = o.last_name FROM person m JOIN person o "
        "ON o.household_id = m.household_id AND o.id <> m.id "
        "WHERE m.status = 'member' AND o.status = 'contact'",
    )
    assert {same for (same,) in pairs} == {0, 1}


# --- names and search -------------------------------------------------------------------------

SPECIAL = [
    ("Siân", None, "Llŷr-Jones"),
    ("Łukasz", None, "Wójcik"),
    ("Zoë", None, "Ødegaard"),
    ("Lan", "Thị", "Nguyễn"),
    ("Aoife", None, "Ó Dúnlaing"),
    ("Seán", None, "O'Brien"),
]


def test_the_names_that_test_every_printer_are_there(conn: Connection) -> None:
    for first, middle, last in SPECIAL:
        found = rows(
            conn,
            "SELECT middle_names FROM person WHERE first_name = :f AND last_name = :l",
            f=first,
            l=last,
        )
        assert [m for (m,) in found] == [middle], (first, last)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sian", ("Siân", "Llŷr-Jones")),
        ("sian llyr", ("Siân", "Llŷr-Jones")),
        ("lukasz", ("Łukasz", "Wójcik")),
        ("lukasz wojcik", ("Łukasz", "Wójcik")),
        ("odegaard", ("Zoë", "Ødegaard")),
        ("zoe odeg", ("Zoë", "Ødegaard")),
        ("obrien", ("Seán", "O'Brien")),
        ("sean o'brien", ("Seán", "O'Brien")),
        ("nguyen lan", ("Lan", "Nguyễn")),
        ("aoife dunlaing", ("Aoife", "Ó Dúnlaing")),
    ],
)
def test_search_finds_them_as_people_type(
    branch: tuple[Database, DemoSummary], typed: str, expected: tuple[str, str]
) -> None:
    with branch[0].session() as session:
        clause = person_filter("sqlite", typed)
        assert clause is not None
        found = session.execute(select(Person.first_name, Person.last_name).where(clause)).all()
    assert expected in [tuple(row) for row in found]


def test_the_special_people_are_found_exactly_once(branch: tuple[Database, DemoSummary]) -> None:
    with branch[0].session() as session:
        clause = person_filter("sqlite", "lukasz wojcik")
        assert clause is not None
        found = session.execute(select(Person.first_name).where(clause)).scalars().all()
    assert found == ["Łukasz"]


def test_search_text_and_sort_key_are_what_the_app_computes(conn: Connection) -> None:
    emails: dict[int, list[str]] = defaultdict(list)
    for person_id, address in rows(
        conn, "SELECT person_id, address FROM email_address ORDER BY id"
    ):
        emails[person_id].append(address)
    people = rows(
        conn,
        "SELECT p.id, p.first_name, p.middle_names, p.last_name, p.preferred_name, "
        "p.membership_number, h.postcode, p.search_text, p.sort_key "
        "FROM person p LEFT JOIN household h ON h.id = p.household_id",
    )
    for pid, first, middle, last, preferred, number, postcode, search, key in people:
        assert search == search_document(
            first_name=first,
            last_name=last,
            middle_names=middle,
            preferred_name=preferred,
            membership_number=number,
            postcode=postcode,
            emails=emails[pid],
        )
        assert key == sort_key(last, first)
    # The FTS index holds every person (its triggers fired for the bulk insert).
    assert scalar(conn, "SELECT count(*) FROM person_fts WHERE person_fts MATCH 'sian'") >= 1


# --- membership, contact details, addresses -----------------------------------------------


def test_membership_numbers_are_unique_text_some_with_leading_zeros(conn: Connection) -> None:
    numbered = [
        (status, number)
        for status, number in rows(conn, "SELECT status, membership_number FROM person")
    ]
    numbers = [n for s, n in numbered if s in ("member", "lapsed")]
    assert all(n is not None and re.fullmatch(r"\d{7}", n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert any(n.startswith("0") for n in numbers)
    assert all(n is None for s, n in numbered if s not in ("member", "lapsed"))


def test_membership_dates_are_consistent(conn: Connection) -> None:
    for status, joined, lapsed, born in rows(
        conn, "SELECT status, joined_on, lapsed_on, date_of_birth FROM person"
    ):
        if status == "member":
            assert joined is not None and lapsed is None
        elif status == "lapsed":
            assert joined is not None and lapsed is not None and lapsed >= joined
        else:
            assert joined is None and lapsed is None
        for day in (joined, lapsed, born):
            assert day is None or day < AS_OF.isoformat()
    first_joined = scalar(conn, "SELECT min(joined_on) FROM person")
    assert first_joined < (AS_OF - dt.timedelta(days=20 * 365)).isoformat()


def test_addresses_have_uk_postcodes_and_wards(conn: Connection) -> None:
    households = rows(
        conn, "SELECT line1, town, postcode, ward_id, polling_district_id FROM household"
    )
    assert all(line1 and town for line1, town, _, _, _ in households)
    bad = [pc for _, _, pc, _, _ in households if not UK_POSTCODE.match(pc)]
    assert bad == []
    in_area = [h for h in households if h[3] is not None]
    assert len(in_area) >= 0.97 * len(households)
    mismatched = scalar(
        conn,
        "SELECT count(*) FROM household h JOIN polling_district d "
        "ON d.id = h.polling_district_id WHERE d.ward_id IS NOT h.ward_id",
    )
    assert mismatched == 0
    codes = [c for (c,) in rows(conn, "SELECT code FROM polling_district")]
    assert all(re.fullmatch(r"[A-Z]{2}\d", c) for c in codes)


def test_contact_details_have_one_primary_each(conn: Connection) -> None:
    for table in ("email_address", "phone_number"):
        primaries = rows(conn, f"SELECT person_id, sum(is_primary) FROM {table} GROUP BY person_id")
        assert primaries and all(n == 1 for _, n in primaries), table
    phones = [n for (n,) in rows(conn, "SELECT number FROM phone_number")]
    assert all(PHONE.match(n) for n in phones)
    with_email = scalar(conn, "SELECT count(DISTINCT person_id) FROM email_address")
    assert with_email >= 0.7 * PEOPLE
    domains = {a.split("@")[1] for (a,) in rows(conn, "SELECT address FROM email_address")}
    assert all(
        d.endswith((".example", "example.com", "example.org", "example.net")) for d in domains
    )


def test_contact_preferences_cover_most_people(conn: Connection) -> None:
    people = scalar(conn, "SELECT count(DISTINCT person_id) FROM contact_preference")
    assert people >= 0.85 * PEOPLE
    channels = {c for (c,) in rows(conn, "SELECT DISTINCT channel FROM contact_preference")}
    assert channels == {"post", "email", "phone", "sms"}
    refused = scalar(conn, "SELECT count(*) FROM contact_preference WHERE NOT allowed")
    assert refused > 0
    assert scalar(conn, "SELECT count(*) FROM contact_preference WHERE how IS NULL") == 0
    # Nobody may be e-mailed at no address.
    orphan = scalar(
        conn,
        "SELECT count(*) FROM contact_preference c WHERE c.channel = 'email' AND NOT EXISTS "
        "(SELECT 1 FROM email_address e WHERE e.person_id = c.person_id)",
    )
    assert orphan == 0
    sources = {s for (s,) in rows(conn, "SELECT DISTINCT source FROM detail_verification")}
    assert {"national_list", "email_reply", "phone_call", "letter_returned"} <= sources


# --- meetings --------------------------------------------------------------------------------


def test_two_years_of_meetings_and_a_few_to_come(conn: Connection) -> None:
    meetings = rows(conn, "SELECT kind, starts_at FROM meeting ORDER BY starts_at")
    past = [(k, s) for k, s in meetings if s < AS_OF.isoformat()]
    upcoming = [(k, s) for k, s in meetings if s >= AS_OF.isoformat()]
    assert 2 <= len(upcoming) <= 3
    assert past[0][1] >= (AS_OF - dt.timedelta(days=731)).isoformat()
    kinds = Counter(k for k, _ in past)
    assert kinds["agm"] == 2
    assert 18 <= kinds["branch"] <= 22
    assert kinds["general_committee"] >= 4
    assert kinds["social"] >= 4 and kinds["campaign"] >= 6 and kinds["training"] >= 1
    motions = scalar(conn, "SELECT count(*) FROM agenda_item WHERE kind = 'motion'")
    assert motions >= 4
    assert (
        scalar(
            conn, "SELECT count(*) FROM agenda_item WHERE kind = 'motion' AND motion_text IS NULL"
        )
        == 0
    )


def test_attendance_follows_people_and_meetings(conn: Connection) -> None:
    assert rows(conn, "PRAGMA foreign_key_check") == []
    duplicates = rows(
        conn,
        "SELECT meeting_id, person_id FROM attendance GROUP BY 1, 2 HAVING count(*) > 1",
    )
    assert duplicates == []
    present = rows(
        conn,
        "SELECT m.starts_at, a.checked_in_at, a.method FROM attendance a "
        "JOIN meeting m ON m.id = a.meeting_id WHERE a.status = 'present'",
    )
    for starts, checked_in, method in present:
        assert starts < AS_OF.isoformat()
        gap = dt.datetime.fromisoformat(checked_in) - dt.datetime.fromisoformat(starts)
        assert dt.timedelta(minutes=-30) <= gap <= dt.timedelta(minutes=30)
        assert method in ("search", "scan")
    apologies = rows(
        conn,
        "SELECT m.starts_at, a.recorded_at, a.checked_in_at FROM attendance a "
        "JOIN meeting m ON m.id = a.meeting_id WHERE a.status = 'apologies'",
    )
    assert apologies
    assert all(recorded < starts and checked is None for starts, recorded, checked in apologies)
    statuses = {s for (s,) in rows(conn, "SELECT DISTINCT status FROM attendance")}
    assert statuses == {"present", "apologies"}
    # Lapsed members came only while they were members.
    late = scalar(
        conn,
        "SELECT count(*) FROM attendance a JOIN person p ON p.id = a.person_id "
        "JOIN meeting m ON m.id = a.meeting_id WHERE a.status = 'present' "
        "AND (date(m.starts_at) > p.lapsed_on OR date(m.starts_at) < p.joined_on)",
    )
    assert late == 0


def test_a_small_core_comes_and_most_never_do(conn: Connection) -> None:
    per_branch_meeting = [
        n
        for (n,) in rows(
            conn,
            "SELECT count(a.id) FROM meeting m LEFT JOIN attendance a "
            "ON a.meeting_id = m.id AND a.status = 'present' "
            "WHERE m.kind = 'branch' AND m.starts_at < :day GROUP BY m.id",
            day=AS_OF.isoformat(),
        )
    ]
    assert all(15 <= n <= 60 for n in per_branch_meeting), per_branch_meeting
    times = Counter(
        n
        for (n,) in rows(
            conn,
            "SELECT count(*) FROM attendance WHERE status = 'present' GROUP BY person_id",
        )
    )
    came = sum(times.values())
    assert came < 0.3 * PEOPLE
    regulars = sum(v for k, v in times.items() if k >= 20)
    assert 5 <= regulars <= 60


def test_contributions_come_from_people_who_were_there(conn: Connection) -> None:
    absent = scalar(
        conn,
        "SELECT count(*) FROM contribution c WHERE NOT EXISTS (SELECT 1 FROM attendance a "
        "WHERE a.meeting_id = c.meeting_id AND a.person_id = c.person_id "
        "AND a.status = 'present')",
    )
    assert absent == 0
    kinds = {k for (k,) in rows(conn, "SELECT DISTINCT kind FROM contribution")}
    assert kinds == {
        "spoke",
        "question",
        "proposed",
        "seconded",
        "chaired",
        "minuted",
        "volunteered",
    }
    motions = rows(
        conn,
        "SELECT c.kind, i.kind, i.meeting_id = c.meeting_id FROM contribution c "
        "LEFT JOIN agenda_item i ON i.id = c.agenda_item_id "
        "WHERE c.kind IN ('proposed', 'seconded')",
    )
    assert motions and all(item == "motion" and same for _, item, same in motions)
    pairs = rows(
        conn,
        "SELECT p.person_id, s.person_id FROM contribution p JOIN contribution s "
        "ON s.agenda_item_id = p.agenda_item_id AND s.kind = 'seconded' "
        "WHERE p.kind = 'proposed'",
    )
    assert all(a != b for a, b in pairs)
    chaired = rows(
        conn,
        "SELECT meeting_id, count(*) FROM contribution WHERE kind = 'chaired' GROUP BY meeting_id",
    )
    assert all(n == 1 for _, n in chaired)


# --- engagement -------------------------------------------------------------------------------


def test_activity_answers_affiliations_and_tags(conn: Connection) -> None:
    kinds = {k for (k,) in rows(conn, "SELECT DISTINCT kind FROM activity")}
    assert {"canvassing", "leafleting", "phone_banking", "street_stall", "event_help"} <= kinds
    assert scalar(conn, "SELECT count(*) FROM activity WHERE hours IS NULL OR hours <= 0") == 0
    assert scalar(conn, "SELECT max(done_on) FROM activity") < AS_OF.isoformat()

    answered = scalar(
        conn,
        "SELECT count(DISTINCT a.person_id) FROM answer a JOIN person p ON p.id = a.person_id "
        "WHERE p.status = 'member'",
    )
    members = scalar(conn, "SELECT count(*) FROM person WHERE status = 'member'")
    assert 0.2 * members <= answered <= 0.4 * members
    history = scalar(
        conn,
        "SELECT count(*) FROM (SELECT 1 FROM answer GROUP BY person_id, question_id "
        "HAVING count(*) > 1)",
    )
    assert history > 0
    by_kind = rows(
        conn,
        "SELECT q.kind, a.id, a.scale_value, a.text_value, count(c.option_id), "
        "group_concat(c.rank) FROM answer a JOIN question q ON q.id = a.question_id "
        "LEFT JOIN answer_choice c ON c.answer_id = a.id GROUP BY a.id",
    )
    for kind, _, scale, free_text, choices, ranks in by_kind:
        if kind == "multiple_choice":
            assert 1 <= choices <= 3
            assert sorted(int(r) for r in ranks.split(",")) == list(range(1, choices + 1))
        elif kind == "single_choice":
            assert choices == 1
        elif kind == "scale":
            assert choices == 0 and 1 <= scale <= 5
        else:
            assert choices == 0 and free_text
    sources = {s for (s,) in rows(conn, "SELECT DISTINCT source FROM answer")}
    assert {"meeting", "doorstep", "phone", "paper_form", "online_form"} <= sources

    affiliated = scalar(
        conn,
        "SELECT count(DISTINCT a.person_id) FROM affiliation a JOIN person p "
        "ON p.id = a.person_id WHERE p.status = 'member'",
    )
    assert 0.15 * members <= affiliated <= 0.35 * members
    assert scalar(conn, "SELECT count(*) FROM affiliation WHERE role = 'Workplace rep'") > 0
    kinds = {k for (k,) in rows(conn, "SELECT DISTINCT kind FROM organisation")}
    assert kinds == {"trade_union", "cooperative", "campaign", "community"}
    tags = {
        t
        for (t,) in rows(
            conn, "SELECT DISTINCT t.name FROM person_tag pt JOIN tag t ON t.id = pt.tag_id"
        )
    }
    assert {"has a car", "Welsh speaker"} <= tags


def test_one_audit_line_for_the_whole_load(conn: Connection) -> None:
    audit = rows(conn, "SELECT action, table_name, summary, actor FROM audit_entry")
    assert audit == [("bulk", "person", f"Demo data: {PEOPLE} people", "tester")]


# --- repeatable, all or nothing -----------------------------------------------------------------

# Every table the demo fills, but the audit line, which carries the time it was written.
DUMPED = tuple(t.name for t in Base.metadata.sorted_tables if t.name != "audit_entry")


def dump(database: Database) -> dict[str, list[Any]]:
    with database.engine.connect() as connection:
        return {t: rows(connection, f"SELECT * FROM {t} ORDER BY 1") for t in DUMPED}


def test_the_same_seed_and_day_give_the_same_branch(tmp_path: Path) -> None:
    dumps = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        database = _open(tmp_path / f"{name}.sqlite3")
        load_demo(database, people=500, seed=seed, as_of=AS_OF)
        dumps.append(dump(database))
        database.close()
    first, again, other = dumps
    assert first == again
    assert first["person"] != other["person"]
    assert first["attendance"] != other["attendance"]


def test_a_database_with_people_is_refused_and_left_alone(tmp_path: Path) -> None:
    database = _open(tmp_path / "full.sqlite3")
    load_demo(database, people=300, seed=2, as_of=AS_OF)
    before = dump(database)
    with pytest.raises(UserError) as caught:
        load_demo(database, people=300, seed=3, as_of=AS_OF)
    message = str(caught.value)
    assert message == (
        "This database already holds 300 people; demo data goes only into an empty database."
    )
    assert dump(database) == before
    database.close()


def test_cancelling_writes_nothing(tmp_path: Path) -> None:
    database = _open(tmp_path / "cancel.sqlite3")
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, label: str) -> None:
        calls.append((done, total, label))

    with pytest.raises(Cancelled):
        load_demo(
            database,
            people=6000,
            seed=1,
            as_of=AS_OF,
            progress=progress,
            cancelled=lambda: len(calls) >= 3,
        )
    assert len(calls) == 3 and calls[-1][0] < calls[-1][1]
    with database.engine.connect() as connection:
        for table in ("person", "household", "meeting", "ward", "tag", "audit_entry"):
            assert count(connection, table) == 0, table
    # And the database still takes a demo afterwards.
    assert load_demo(database, people=60, seed=1, as_of=AS_OF).people == 60
    database.close()


def test_progress_counts_up_to_its_total(database: Database) -> None:
    with database.session() as session:
        steps = list(generate_demo(session, people=2600, seed=1, as_of=AS_OF))
        session.rollback()
    totals = {total for _, total, _ in steps}
    assert len(totals) == 1
    assert [done for done, _, _ in steps] == list(range(len(steps)))
    assert steps[-1][0] == steps[-1][1]
    assert all(label for _, _, label in steps)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_small_branches_still_have_everyone_special(tmp_path: Path) -> None:
    database = _open(tmp_path / "small.sqlite3")
    summary = load_demo(database, people=50, seed=9, as_of=AS_OF)
    assert summary.people == 50
    with database.engine.connect() as connection:
        names = set(rows(connection, "SELECT first_name, last_name FROM person"))
    assert {(first, last) for first, _, last in SPECIAL} <= names
    database.close()


def test_a_big_branch_keeps_meetings_to_a_few_hundred(tmp_path: Path) -> None:
    database = _open(tmp_path / "big.sqlite3")
    summary = load_demo(database, people=12_000, seed=1, as_of=AS_OF)
    assert summary.people == 12_000
    with database.engine.connect() as connection:
        sizes = [
            n
            for (n,) in rows(
                connection,
                "SELECT count(*) FROM attendance WHERE status = 'present' GROUP BY meeting_id",
            )
        ]
        assert max(sizes) <= MAX_ATTENDEES
        branch_meetings = rows(
            connection,
            "SELECT count(a.id) FROM meeting m JOIN attendance a ON a.meeting_id = m.id "
            "AND a.status = 'present' WHERE m.kind = 'branch' GROUP BY m.id",
        )
        assert 100 <= sum(n for (n,) in branch_meetings) / len(branch_meetings) <= 350
        assert rows(connection, "PRAGMA foreign_key_check") == []
    database.close()


def test_the_demo_has_a_letterhead_and_letters_that_print(
    branch: tuple[Database, DemoSummary],
) -> None:
    from db.branch_settings import load_branch_settings
    from db.letter_templates import check_template, get_template, list_templates
    from db.mailing_plan import plan_mailing

    database, _ = branch
    with database.session() as session:
        assert load_branch_settings(session).branch_name == "Riverside Branch"
        names = [t.name for t in list_templates(session)]
        assert names == ["Autumn letter and AGM", "Winter social invitation"]
        bodies = [get_template(session, name)[1] for name in names]
        assert [check_template(body) for body in bodies] == [[], []]
        plan = plan_mailing(
            session, template_name=names[0], body=bodies[0], segment="Everyone", today=AS_OF
        )
        session.rollback()  # the plan made the built-in segments; leave the module's branch
    assert len(plan.letters) > 1000 and len(plan.variants()) >= 3
