"""The Organisations window: adding one, a person's affiliations, and members by union."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from db.database import Database
from db.organisations import add_organisation, affiliate, person_affiliations
from db.people import NewPerson, add_person
from desktop.organisations_window import OrganisationsWindow
from tests.helpers.table_contents import contents

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def branch(database: Database) -> dict[str, int]:
    """Three unions; members, a supporter and a lapsed member in them, one left already."""
    with database.session() as session:
        ids = {
            "unison": add_organisation(session, "UNISON", "trade_union"),
            "unite": add_organisation(session, "Unite the Union", "trade_union", "Unite"),
            "fbu": add_organisation(session, "Fire Brigades Union", "trade_union", "FBU"),
            "coop": add_organisation(session, "Co-operative Party", "cooperative"),
        }
        for first, last, status in (
            ("Siân", "Evans", "member"),
            ("Łukasz", "Nowak", "member"),
            ("Bríd", "O'Brien", "member"),
            ("Tom", "Supporter", "supporter"),
            ("Lapsed", "Lewis", "lapsed"),
        ):
            ids[first] = add_person(session, NewPerson(first, last, status=status))
        for person in ("Siân", "Łukasz", "Tom", "Lapsed"):
            affiliate(session, ids[person], ids["unison"])
        affiliate(session, ids["Bríd"], ids["unite"], "shop steward", dt.date(2019, 4, 1))
        affiliate(session, ids["Siân"], ids["coop"])
        gone = affiliate(session, ids["Łukasz"], ids["unite"], since=dt.date(2015, 1, 1))
        from db.organisations import end_affiliation

        end_affiliation(session, gone, dt.date(2020, 1, 1))
    return ids


@pytest.fixture
def orgs(database: Database, branch: dict[str, int], qtbot: QtBot) -> OrganisationsWindow:
    refreshed: list[bool] = []
    window = OrganisationsWindow(database, today=TODAY, changed=lambda: refreshed.append(True))
    window.refreshed = refreshed  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_rest: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))
    return shown


def rows(tree: object) -> list[list[str]]:
    from PySide6.QtWidgets import QTreeWidget

    assert isinstance(tree, QTreeWidget)
    found = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item is not None
        found.append([item.text(c) for c in range(tree.columnCount())])
    return found


def test_organisations_are_listed_and_one_is_added(
    database: Database, orgs: OrganisationsWindow, messages: list[str]
) -> None:
    assert rows(orgs.organisation_list) == [
        ["Co-operative Party", "", "Co-operative society", "1"],
        ["Fire Brigades Union", "FBU", "Trade union", "0"],
        ["UNISON", "", "Trade union", "4"],
        ["Unite the Union", "Unite", "Trade union", "1"],
    ]
    orgs.name_edit.setText("  Cymdeithas   yr Iaith ")
    orgs.kind_combo.setCurrentIndex(orgs.kind_combo.findData("campaign"))
    orgs.add_organisation_button.click()
    assert ["Cymdeithas yr Iaith", "", "Campaign group", "0"] in rows(orgs.organisation_list)
    assert orgs.status.text() == "Added “Cymdeithas yr Iaith”."
    assert orgs.name_edit.text() == ""
    assert orgs.organisation_combo.findData(orgs.organisations[1].id) >= 0

    orgs.name_edit.setText("unison")
    orgs.add_organisation_button.click()
    assert messages == ["There is already an organisation called 'UNISON'."]
    assert len(orgs.organisations) == 5


def test_an_affiliation_is_added_and_ended(
    database: Database, branch: dict[str, int], orgs: OrganisationsWindow, messages: list[str]
) -> None:
    assert not orgs.affiliate_button.isEnabled()  # nobody chosen yet
    orgs.tabs.setCurrentIndex(1)
    orgs.finder.set_text("lukasz")
    orgs.finder.pick_selected()
    assert orgs.person_label.text() == "Łukasz Nowak belongs to (or belonged to):"
    assert rows(orgs.affiliation_list) == [
        ["UNISON", "", "not known", "", "yes"],
        ["Unite the Union", "", "1 Jan 2015", "1 Jan 2020", "no"],
    ]

    orgs.organisation_combo.setCurrentIndex(orgs.organisation_combo.findData(branch["fbu"]))
    orgs.role_edit.setText("branch secretary")
    orgs.since_check.setChecked(True)
    orgs.since_edit.setDate(QDate(2024, 3, 1))
    orgs.affiliate_button.click()

    assert orgs.status.text() == "Łukasz Nowak now belongs to Fire Brigades Union."
    assert ["Fire Brigades Union", "branch secretary", "1 Mar 2024", "", "yes"] in rows(
        orgs.affiliation_list
    )
    assert orgs.refreshed == [True]  # type: ignore[attr-defined]

    # Ending it: chosen in the list, the day in the box.
    for i in range(orgs.affiliation_list.topLevelItemCount()):
        item = orgs.affiliation_list.topLevelItem(i)
        if item is not None and item.text(0) == "Fire Brigades Union":
            orgs.affiliation_list.setCurrentItem(item)
    assert orgs.end_button.isEnabled()
    orgs.until_edit.setDate(QDate(2026, 11, 20))
    orgs.end_button.click()
    with database.session() as session:
        fbu = [
            row
            for row in person_affiliations(session, branch["Łukasz"], today=TODAY)
            if row.organisation == "Fire Brigades Union"
        ]
    assert [(row.role, row.since, row.until, row.current) for row in fbu] == [
        ("branch secretary", dt.date(2024, 3, 1), dt.date(2026, 11, 20), False)
    ]
    assert "left Fire Brigades Union on 20 Nov 2026" in orgs.status.text()
    assert not orgs.end_button.isEnabled()  # ended already

    # An affiliation still open is refused a second time, in one sentence.
    orgs.organisation_combo.setCurrentIndex(orgs.organisation_combo.findData(branch["unison"]))
    orgs.since_check.setChecked(False)
    orgs.affiliate_button.click()
    assert messages == [
        "Łukasz Nowak already belongs to UNISON; end that affiliation before starting another."
    ]


def test_union_members_by_union_with_counts_and_a_chart(
    branch: dict[str, int], orgs: OrganisationsWindow
) -> None:
    orgs.tabs.setCurrentIndex(2)
    # Members only: the supporter and the lapsed member in UNISON are not counted, nor
    # Łukasz, who left Unite; the co-operative is not a union.
    assert rows(orgs.union_list) == [
        ["UNISON", "2"],
        ["Unite the Union (Unite)", "1"],
        ["Fire Brigades Union (FBU)", "0"],
    ]
    assert [(bar.label, bar.value) for bar in orgs.union_chart.bars()] == [
        ("UNISON", 2),
        ("Unite", 1),
        ("FBU", 0),
    ]
    assert orgs.members_box.title() == "Members in UNISON (2)"
    members = [orgs.member_list.item(i).text() for i in range(orgs.member_list.count())]
    assert members == ["Siân Evans", "Łukasz Nowak"]
    orgs.union_list.setCurrentItem(orgs.union_list.topLevelItem(1))
    assert orgs.member_list.item(0).text() == "Bríd O'Brien"
    assert "3 memberships in 3 unions" in orgs.union_note.text()


def test_the_demo_branchs_unions_match_the_core(demo_database: Database, qtbot: QtBot) -> None:
    from db.organisations import union_members

    window = OrganisationsWindow(demo_database, today=dt.date(2026, 11, 1))
    qtbot.addWidget(window)
    with demo_database.session() as session:
        expected = union_members(session, today=dt.date(2026, 11, 1))
    assert [int(row[1]) for row in rows(window.union_list)] == [u.members for u in expected]
    assert sum(u.members for u in expected) > 0


def undone_and_redone(database: Database, window: OrganisationsWindow, before: object) -> None:
    """Undo: the database exactly as before the edit; Redo: exactly as after it."""
    after = contents(database)
    assert after != before
    window.history.undo_action.trigger()
    assert contents(database) == before
    window.history.redo_action.trigger()
    assert contents(database) == after


def pick(orgs: OrganisationsWindow, typed: str) -> None:
    orgs.tabs.setCurrentIndex(1)
    orgs.finder.set_text(typed)
    orgs.finder.pick_selected()


def choose(orgs: OrganisationsWindow, organisation: str) -> None:
    for i in range(orgs.affiliation_list.topLevelItemCount()):
        item = orgs.affiliation_list.topLevelItem(i)
        if item is not None and item.text(0) == organisation and item.text(4) == "yes":
            orgs.affiliation_list.setCurrentItem(item)


def test_each_edit_is_undone_and_redone(
    database: Database, branch: dict[str, int], orgs: OrganisationsWindow, messages: list[str]
) -> None:
    assert not orgs.history.undo_action.isEnabled()
    before = contents(database)
    orgs.name_edit.setText("Cymdeithas yr Iaith")
    orgs.kind_combo.setCurrentIndex(orgs.kind_combo.findData("campaign"))
    orgs.add_organisation_button.click()
    assert orgs.history.undo_action.text() == "Undo add organisation “Cymdeithas yr Iaith”"
    undone_and_redone(database, orgs, before)
    assert ["Cymdeithas yr Iaith", "", "Campaign group", "0"] in rows(orgs.organisation_list)

    pick(orgs, "lukasz")
    before = contents(database)
    orgs.organisation_combo.setCurrentIndex(orgs.organisation_combo.findData(branch["fbu"]))
    orgs.role_edit.setText("branch secretary")
    orgs.since_check.setChecked(True)
    orgs.since_edit.setDate(QDate(2024, 3, 1))
    orgs.affiliate_button.click()
    assert orgs.history.undo_action.text() == "Undo add Łukasz Nowak to Fire Brigades Union"
    refreshed = len(orgs.refreshed)  # type: ignore[attr-defined]
    undone_and_redone(database, orgs, before)
    assert len(orgs.refreshed) == refreshed + 2  # type: ignore[attr-defined]
    assert ["Fire Brigades Union", "branch secretary", "1 Mar 2024", "", "yes"] in rows(
        orgs.affiliation_list
    )

    before = contents(database)
    choose(orgs, "UNISON")
    orgs.until_edit.setDate(QDate(2026, 11, 20))
    orgs.end_button.click()
    assert orgs.history.undo_action.text() == "Undo end Łukasz Nowak's affiliation to UNISON"
    assert orgs.history.undo_action.toolTip() == orgs.history.undo_action.text()
    assert orgs.undo_button.text() == "Undo"
    undone_and_redone(database, orgs, before)
    orgs.history.undo_action.trigger()
    assert ["UNISON", "", "not known", "", "yes"] in rows(orgs.affiliation_list)
    assert orgs.status.text() == "Undone: end Łukasz Nowak's affiliation to UNISON."

    while orgs.history.undo_action.isEnabled():
        orgs.history.undo_action.trigger()
    assert len(orgs.organisations) == 4
    assert messages == []


def test_a_refused_edit_never_reaches_the_stack(
    database: Database, branch: dict[str, int], orgs: OrganisationsWindow, messages: list[str]
) -> None:
    before = contents(database)
    orgs.name_edit.setText("unison")
    orgs.add_organisation_button.click()
    pick(orgs, "lukasz")
    orgs.organisation_combo.setCurrentIndex(orgs.organisation_combo.findData(branch["unison"]))
    orgs.affiliate_button.click()
    orgs.since_check.setChecked(True)
    orgs.since_edit.setDate(QDate(2015, 1, 1))
    orgs.organisation_combo.setCurrentIndex(orgs.organisation_combo.findData(branch["unite"]))
    orgs.affiliate_button.click()  # his old Unite membership began that day
    assert len(messages) == 3
    assert contents(database) == before
    assert orgs.history.stack.count() == 0
    assert not orgs.history.undo_action.isEnabled()


def test_an_undo_the_database_no_longer_allows_is_refused_and_forgets_the_history(
    database: Database, branch: dict[str, int], orgs: OrganisationsWindow, messages: list[str]
) -> None:
    orgs.name_edit.setText("Shelter")
    orgs.add_organisation_button.click()
    shelter = orgs.history.stack.command(0).organisation_id  # type: ignore[attr-defined]
    with database.session() as session:  # someone else, meanwhile
        affiliate(session, branch["Bríd"], shelter)
    before = contents(database)
    orgs.history.undo_action.trigger()
    assert messages == ["Shelter has 1 affiliation recorded, so it was kept."]
    assert contents(database) == before
    assert not orgs.history.undo_action.isEnabled()
    assert ["Shelter", "", "Trade union", "1"] in rows(orgs.organisation_list)
