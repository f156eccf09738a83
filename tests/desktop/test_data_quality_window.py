"""People → Data quality: a tab for each problem, worked out when first opened, on a real
SQLite file; the lists are worked out on the real worker thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

import desktop.jobs
from db.data_quality import data_quality
from db.database import Database
from db.models import DetailVerification, EmailAddress, Household, Person, PhoneNumber
from desktop import data_quality_window
from desktop.data_quality_window import TABS, DataQualityWindow
from desktop.main_window import MainWindow
from desktop.person_editor import PersonEditor

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def planted(database: Database) -> dict[str, int]:
    """Ann has everything right and confirmed in January; Bob has no email, a wrong phone
    and a postcode written oddly; Cy has a wrong email, no phone and no address."""
    with database.session() as session:
        home = Household(line1="1 High Street", town="Leeds", postcode="LS1 1AA")
        odd = Household(line1="2 High Street", town="Leeds", postcode="ls11aa")
        ann = Person(first_name="Ann", last_name="Able", household=home)
        ann.emails.append(EmailAddress(address="ann@example.org", is_primary=True))
        ann.phones.append(PhoneNumber(number="07700 900123", is_primary=True))
        bob = Person(first_name="Bob", last_name="Baker", household=odd)
        bob.phones.append(PhoneNumber(number="12345", is_primary=True))
        cy = Person(first_name="Cy", last_name="Cole")
        cy.emails.append(EmailAddress(address="not-an-email", is_primary=True))
        session.add_all([home, odd, ann, bob, cy])
        session.flush()
        for detail in ("address", "email", "phone"):
            session.add(
                DetailVerification(
                    person_id=ann.id,
                    detail=detail,
                    verified_on=dt.date(2026, 1, 15),
                    source="in_person",
                )
            )
        session.flush()
        return {"ann": ann.id, "bob": bob.id, "cy": cy.id}


@pytest.fixture
def window(database: Database, planted: dict[str, int], qtbot: QtBot) -> DataQualityWindow:
    shown = DataQualityWindow(database, today=TODAY)
    qtbot.addWidget(shown)
    shown.resize(900, 640)
    shown.show()
    qtbot.waitExposed(shown)
    shown.show_current()
    return shown


def open_tab(window: DataQualityWindow, key: str) -> None:
    window.tabs.setCurrentIndex([tab.key for tab in TABS].index(key))


def rows(window: DataQualityWindow, key: str) -> list[tuple[str, str, str]]:
    model = window.pages[key].model
    return [
        tuple(str(model.index(r, c).data()) for c in range(3))  # type: ignore[misc]
        for r in range(model.rowCount())
    ]


def titles(window: DataQualityWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_the_first_tab_is_counted_on_opening_and_the_others_when_opened(
    window: DataQualityWindow, planted: dict[str, int], qtmodeltester: Any
) -> None:
    bob, cy = planted["bob"], planted["cy"]
    assert titles(window) == ["Email (2)", "Phone", "Postcode", "Not confirmed in 24 months"]
    assert window.found["phones"] is None  # not worked out until its tab is opened
    assert rows(window, "emails") == [
        ("Bob Baker", str(bob), "has no email address"),
        ("Cy Cole", str(cy), "'not-an-email' is not an email address"),
    ]
    assert window.pages["emails"].shown.text() == "2 people."
    qtmodeltester.check(window.pages["emails"].model)

    open_tab(window, "phones")
    assert titles(window)[1] == "Phone (2)"
    assert [(name, problem.split(" ")[0]) for name, _, problem in rows(window, "phones")] == [
        ("Bob Baker", "'12345'"),
        ("Cy Cole", "has"),
    ]
    open_tab(window, "postcodes")
    assert titles(window)[2] == "Postcode (2)"
    assert rows(window, "postcodes") == [
        ("Bob Baker", str(bob), "'ls11aa' should be written LS1 1AA"),
        ("Cy Cole", str(cy), "has no address"),
    ]
    window.grab().save("/tmp/quality.png")


def test_missing_and_wrong_can_be_shown_apart(
    window: DataQualityWindow, planted: dict[str, int]
) -> None:
    choice = window.pages["emails"].choice
    assert [choice.itemText(i) for i in range(choice.count())] == [
        "Missing or wrong",
        "No email address",
        "Wrong only",
    ]
    choice.setCurrentIndex(2)
    assert [name for name, _, _ in rows(window, "emails")] == ["Cy Cole"]
    assert window.pages["emails"].shown.text() == "2 people; showing 1: wrong only."
    assert titles(window)[0] == "Email (2)"  # the tab still counts them all
    choice.setCurrentIndex(1)
    assert [name for name, _, _ in rows(window, "emails")] == ["Bob Baker"]
    window.grab().save("/tmp/quality-missing.png")


def test_details_not_confirmed_follow_the_months_chosen(
    window: DataQualityWindow, database: Database, planted: dict[str, int]
) -> None:
    open_tab(window, "unverified")
    assert titles(window)[3] == "Not confirmed in 24 months (3)"
    assert rows(window, "unverified") == [
        ("Bob Baker", str(planted["bob"]), "address never confirmed"),
        ("Bob Baker", str(planted["bob"]), "phone never confirmed"),
        ("Cy Cole", str(planted["cy"]), "email never confirmed"),
    ]
    assert window.months.value() == 24

    window.recount_unverified(6)  # Ann's January checks are now too old
    assert titles(window)[3] == "Not confirmed in 6 months (6)"
    ann = [problem for name, _, problem in rows(window, "unverified") if name == "Ann Able"]
    assert ann == ["address last confirmed on 15/01/2026"] + [
        f"{d} last confirmed on 15/01/2026" for d in ("email", "phone")
    ]
    with database.session() as session:
        expected = data_quality(session, months=6, today=TODAY).counts()
    assert expected["unverified"] == 6

    window.group.setCurrentIndex(window.group.findData("address"))
    assert [name for name, _, _ in rows(window, "unverified")] == ["Ann Able", "Bob Baker"]
    assert window.pages["unverified"].shown.text() == (
        "6 details to confirm, for 3 people; showing 2: address."
    )
    window.grab().save("/tmp/quality-unverified.png")


def test_the_spin_box_works_the_list_out_again_once_the_arrows_pause(
    window: DataQualityWindow, qtbot: QtBot
) -> None:
    open_tab(window, "unverified")
    window.months.setValue(6)
    assert titles(window)[3] == "Not confirmed in 24 months (3)"  # not yet: a pause first
    qtbot.waitUntil(lambda: titles(window)[3] == "Not confirmed in 6 months (6)", timeout=5000)


def test_check_again_reads_the_list_as_it_is_now(
    window: DataQualityWindow, database: Database, planted: dict[str, int]
) -> None:
    with database.session() as session:
        bob = session.get(Person, planted["bob"])
        assert bob is not None
        bob.emails.append(EmailAddress(address="bob@example.org", is_primary=True))
    assert titles(window)[0] == "Email (2)"
    window.check_again_button.click()
    assert titles(window)[0] == "Email (1)"
    assert [name for name, _, _ in rows(window, "emails")] == ["Cy Cole"]


def test_sorting_by_a_column_keeps_the_selected_person(
    window: DataQualityWindow, planted: dict[str, int], qtmodeltester: Any
) -> None:
    page = window.pages["emails"]
    page.table.selectRow(0)  # Bob
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by id
    assert [name for name, _, _ in rows(window, "emails")] == ["Cy Cole", "Bob Baker"]
    selected = page.table.selectionModel().selectedRows()
    assert [page.model.person_id(i.row()) for i in selected] == [planted["bob"]]
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [name for name, _, _ in rows(window, "emails")] == ["Bob Baker", "Cy Cole"]
    qtmodeltester.check(page.model)


def test_double_clicking_a_person_opens_the_person_editor(
    window: DataQualityWindow, planted: dict[str, int], qtbot: QtBot
) -> None:
    table = window.pages["emails"].table
    rect = table.visualRect(window.pages["emails"].model.index(1, 0))
    # A press first, as a real double-click has: the view opens what was pressed.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editors = [e for e in window.findChildren(PersonEditor) if e.isVisible()]
    assert [e.person_id for e in editors] == [planted["cy"]]
    for editor in editors:
        editor.close()


def test_cancelling_leaves_the_tab_uncounted(
    database: Database, planted: dict[str, int], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_job = desktop.jobs.run_job

    def cancel_at_once(parent, title, job, **options):  # type: ignore[no-untyped-def]
        return real_run_job(parent, title, lambda progress, _c: job(progress, lambda: True))

    monkeypatch.setattr(data_quality_window, "run_job", cancel_at_once)
    window = DataQualityWindow(database, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    assert not window.count("emails")
    assert window.found["emails"] is None and titles(window)[0] == "Email"
    assert "Check again" in window.pages["emails"].shown.text()


def test_the_people_menu_opens_data_quality(demo_database: Database, qtbot: QtBot) -> None:
    main = MainWindow(demo_database)
    qtbot.addWidget(main)
    main.show()
    action = main.findChild(QAction, "dataQualityAction")
    assert action is not None and action in main.people_tool_actions
    assert action.shortcut().toString() == "Ctrl+Shift+Y"
    assert action.text() == "Data qualit&y…"
    shortcuts = [a.shortcut().toString() for a in main.findChildren(QAction)]
    assert shortcuts.count("Ctrl+Shift+Y") == 1 and shortcuts.count("Ctrl+Shift+D") == 1
    action.trigger()
    opened = [w for w in main.findChildren(DataQualityWindow) if w.isVisible()]
    assert len(opened) == 1
    with demo_database.session() as session:
        expected = data_quality(session).counts()["emails"]
    assert opened[0].tabs.tabText(0) == f"Email ({expected:,})"
    opened[0].grab().save("/tmp/quality-demo.png")
    action.trigger()
    assert [w for w in main.findChildren(DataQualityWindow) if w.isVisible()] == opened
    opened[0].close()


def test_problems_sort_missing_first_and_old_details_by_date(qtmodeltester: Any) -> None:
    from db.data_quality import QualityIssue
    from desktop.quality_issues_model import PROBLEM, IssuesModel

    issues = [
        QualityIssue(
            1, "Ann Able", "address", "2024-11-03", "address last confirmed on 03/11/2024"
        ),
        QualityIssue(2, "Bob Baker", "address", None, "address never confirmed"),
        QualityIssue(3, "Cy Cole", "address", "2023-12-25", "address last confirmed on 25/12/2023"),
    ]
    model = IssuesModel()
    model.set_issues(issues)
    model.sort(PROBLEM)
    assert [model.person_id(r) for r in range(3)] == [2, 3, 1]
    model.sort(PROBLEM, Qt.SortOrder.DescendingOrder)
    assert [model.person_id(r) for r in range(3)] == [1, 3, 2]
    model.sort(0)
    assert [model.person_id(r) for r in range(3)] == [1, 2, 3]
    qtmodeltester.check(model)
