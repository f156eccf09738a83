"""The main window, driven as a secretary would drive it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from db.branch_settings import load_branch_settings
from db.database import Database
from db.info import count_summary
from db.people import count_people, list_people
from desktop.main_window import MainWindow
from desktop.people_table_model import PAGE_SIZE, PeopleTableModel
from desktop.settings_dialog import SettingsDialog


def visible_names(window: MainWindow) -> list[str]:
    model = window.model
    return [
        f"{model.index(r, 1).data()} {model.index(r, 0).data()}" for r in range(model.rowCount())
    ]


def test_the_window_opens_on_the_people_list(window: MainWindow) -> None:
    with window.database.session() as session:
        people = count_summary(session)[0]
    assert window.model.total == people
    assert window.model.rowCount() == min(people, PAGE_SIZE)
    assert window.count_label.text() == f"{people:,} people"
    assert f"{people:,} people" in window.status_label.text()
    assert window.list_stack.currentWidget() is window.table


def test_typing_narrows_the_list(window: MainWindow, qtbot: QtBot) -> None:
    total = window.model.total
    qtbot.keyClicks(window.search, "lukasz woj")
    assert visible_names(window) == ["Łukasz Wójcik"]
    assert window.count_label.text() == "1 match"
    window.search.clear()
    assert window.model.total == total
    qtbot.keyClicks(window.search, "s")
    with window.database.session() as session:
        assert window.model.total == count_people(session, "s") < total
    qtbot.keyClicks(window.search, "zzzzqq")
    assert window.model.rowCount() == 0
    assert window.count_label.text() == "No one matches “szzzzqq”"


def test_accented_text_typed_into_the_box_still_finds(window: MainWindow) -> None:
    # Non-ASCII key simulation aborts Qt's test harness; setText is what a paste does.
    window.search.setText("Zoë Ødegaard")
    assert [n.split()[-1] for n in visible_names(window)] == ["Ødegaard"]


def test_enter_selects_and_shows_the_first_match(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.search, "sian llyr")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.selected_person_id() == window.model.person_id(0)
    html = window.detail.toPlainText()
    assert "Siân Llŷr-Jones" in html
    assert "Status" in html


def test_escape_clears_the_search(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.search, "obrien")
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""


def test_scrolling_down_fetches_everyone_once(window: MainWindow, qtbot: QtBot) -> None:
    assert window.model.rowCount() == PAGE_SIZE < window.model.total
    for _ in range(window.model.total // PAGE_SIZE + 1):
        window.table.scrollToBottom()
        qtbot.wait(1)
    assert not window.model.canFetchMore()
    ids = [window.model.person_id(r) for r in range(window.model.rowCount())]
    with window.database.session() as session:
        expected = [row.id for row in list_people(session, "", limit=10_000)]
    assert ids == expected


def test_the_people_model_keeps_qts_rules(demo_database: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PeopleTableModel(demo_database)
    model.set_query("")
    qtmodeltester.check(model)
    model.set_query("a")
    qtmodeltester.check(model)


def test_branch_settings_are_saved_to_the_database(
    window: MainWindow, qtbot: QtBot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def fill_and_accept(dialog: SettingsDialog) -> int:
        name = dialog.field("branch_name")
        imprint = dialog.field("imprint")
        assert isinstance(name, QLineEdit) and isinstance(imprint, QPlainTextEdit)
        name.setText("Millbrook & Riverside")
        imprint.setPlainText("Promoted by A. Secretary on behalf of Millbrook Branch")
        return SettingsDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SettingsDialog, "exec", fill_and_accept)
    window.settings_action.trigger()
    with window.database.session() as session:
        settings = load_branch_settings(session)
    assert settings.branch_name == "Millbrook & Riverside"
    assert settings.imprint.startswith("Promoted by A. Secretary")
    assert window.windowTitle() == "Millbrook & Riverside — Branchbook"


def test_what_is_not_built_yet_is_visible_but_disabled(window: MainWindow) -> None:
    for key, action in window.coming_actions.items():
        assert not action.isEnabled(), key
        assert "coming soon" in action.text()
    assert "segments" not in window.coming_actions
    assert window.segments_action.isEnabled()
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "People", "Meetings", "Mailings", "Reports", "Help"]


def test_window_geometry_is_remembered(demo_database: Database, qtbot: QtBot) -> None:
    first = MainWindow(demo_database)
    qtbot.addWidget(first)
    first.show()
    # Within the offscreen screen (800x600), which Qt clamps a restored window to.
    first.resize(790, 560)
    first.close()
    assert QSettings().value("MainWindow/geometry") is not None
    second = MainWindow(demo_database)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (790, 560)


def test_an_empty_database_offers_demo_data_and_loads_it(database: Database, qtbot: QtBot) -> None:
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    assert window.list_stack.currentWidget() is window.empty_state
    qtbot.mouseClick(window.demo_button, Qt.MouseButton.LeftButton)
    assert window.list_stack.currentWidget() is window.table
    assert window.model.total == 1500
    window.search.setText("Łukasz Wójc")
    assert [n for n in visible_names(window)] == ["Łukasz Wójcik"]


def test_the_database_path_is_shown(window: MainWindow) -> None:
    assert str(Path(window.database.location).name) in window.status_label.text()


def test_cancelling_the_demo_leaves_the_database_empty(
    database: Database, qtbot: QtBot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import desktop.jobs

    real_run_job = desktop.jobs.run_job

    def cancel_at_once(parent, title, job):  # type: ignore[no-untyped-def]
        return real_run_job(parent, title, lambda progress, cancelled: job(progress, lambda: True))

    monkeypatch.setattr("desktop.main_window.run_job", cancel_at_once)
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    window.demo_action.trigger()
    assert window.statusBar().currentMessage() == "Cancelled: nothing was changed."
    assert window.list_stack.currentWidget() is window.empty_state
    with database.session() as session:
        assert count_summary(session) == (0, 0, 0, 0)


def test_about_names_the_version_and_the_database(window: MainWindow) -> None:
    from desktop.about import about_text

    text = about_text(window.database)
    assert "Branchbook" in text and window.database.location in text


def test_a_bad_database_file_is_one_sentence_in_a_dialog(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop import app

    shown: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    bad = tmp_path / "members.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    assert app.run_window(str(bad)) == 1
    assert shown == [f"{bad} is not a Branchbook database (or it is encrypted)."]


def test_each_row_shows_its_engagement_once_the_list_has_settled(
    demo_database: Database, qtbot: QtBot
) -> None:
    from db.engagement import LEVEL_LABELS, engagement_levels
    from desktop.people_table_model import ENGAGEMENT_COLUMN

    model = PeopleTableModel(demo_database)
    model.set_query("")
    # Read after the rows are shown, so typing never waits for it.
    assert model.index(0, ENGAGEMENT_COLUMN).data() == ""
    qtbot.waitUntil(lambda: model.index(0, ENGAGEMENT_COLUMN).data() != "", timeout=3000)
    ids = [model.person_id(row) for row in range(model.rowCount())]
    with demo_database.session() as session:
        expected = engagement_levels(session, [pid for pid in ids if pid is not None])
    shown = [model.index(row, ENGAGEMENT_COLUMN).data() for row in range(model.rowCount())]
    assert shown == [LEVEL_LABELS[expected[pid].level] for pid in ids if pid is not None]
    assert len(set(shown)) > 1  # the demo branch has more than one kind of member
    assert model.headerData(ENGAGEMENT_COLUMN, Qt.Orientation.Horizontal) == "Engagement"


def test_quorums_and_engagement_thresholds_are_set_in_settings(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.door import quorums
    from db.engagement import EngagementThresholds, get_engagement_thresholds

    def fill_and_accept(dialog: SettingsDialog) -> int:
        assert dialog.quorum_spins["agm"].text() == "No quorum"
        dialog.quorum_spins["agm"].setValue(25)
        dialog.months.setValue(6)
        dialog.active_events.setValue(4)
        return SettingsDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SettingsDialog, "exec", fill_and_accept)
    window.settings_action.trigger()
    with window.database.session() as session:
        assert quorums(session)["agm"] == 25 and quorums(session)["branch"] is None
        assert get_engagement_thresholds(session) == EngagementThresholds(4, 1, 6)

    def refuse(dialog: SettingsDialog) -> int:
        dialog.quorum_spins["agm"].setValue(30)
        dialog.occasional_events.setValue(9)  # above the active number: refused
        return SettingsDialog.DialogCode.Accepted.value

    shown: list[str] = []
    monkeypatch.setattr(SettingsDialog, "exec", refuse)
    monkeypatch.setattr(window, "show_error", lambda error: shown.append(str(error)))
    window.settings_action.trigger()
    assert len(shown) == 1 and "." in shown[0]
    with window.database.session() as session:
        assert quorums(session)["agm"] == 25  # nothing of the refused save was kept
