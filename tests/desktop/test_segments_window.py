"""Mailings → Segments…: the list with counts, the rule tree and its live count, save,
delete and their undo, and the Excel export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from db.database import Database
from db.segments import count_segment, list_segments
from desktop.main_window import MainWindow
from desktop.segment_rule_editor import RuleDialog, describe, load_choices
from desktop.segments_window import SegmentsWindow


@pytest.fixture
def segments(demo_database: Database, qtbot: QtBot) -> SegmentsWindow:
    window = SegmentsWindow(demo_database)
    qtbot.addWidget(window)
    window.show()
    return window


def _ward(database: Database) -> str:
    with database.session() as session:
        return load_choices(session).wards[0]


def _fill_rule(monkeypatch: pytest.MonkeyPatch, kind: str, values: dict[str, str]) -> None:
    def fill(dialog: RuleDialog) -> int:
        dialog.set_kind(kind)
        for name, text in values.items():
            box = dialog.field(name)
            assert isinstance(box, QComboBox)
            box.setCurrentIndex(box.findText(text))
            assert box.currentText() == text
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(RuleDialog, "exec", fill)


def _new_members_in_ward(
    segments: SegmentsWindow, monkeypatch: pytest.MonkeyPatch, ward: str
) -> None:
    segments.new_segment()
    _fill_rule(monkeypatch, "status", {"in": "Member"})
    assert segments.add_rule() == {"rule": "status", "in": ["member"]}
    segments.ui.rules.setCurrentItem(segments.ui.rules.topLevelItem(0))
    _fill_rule(monkeypatch, "ward", {"in": ward})
    segments.add_rule()


def test_builtins_are_listed_with_their_counts(
    segments: SegmentsWindow, demo_database: Database
) -> None:
    with demo_database.session() as session:
        expected = {row.name: count_segment(session, row.name) for row in list_segments(session)}
    listing = segments.ui.segment_list
    shown = {}
    for i in range(listing.topLevelItemCount()):
        item = listing.topLevelItem(i)
        assert item is not None
        shown[item.text(0).replace("  (built in)", "")] = int(item.text(1).replace(",", ""))
    assert shown == expected
    assert "Members  (built in)" in [
        listing.topLevelItem(i).text(0)  # type: ignore[union-attr]
        for i in range(listing.topLevelItemCount())
    ]
    assert not segments.ui.save_button.isEnabled()  # Everyone, built in, is chosen


def test_rules_built_in_the_dialog_update_the_live_count(
    segments: SegmentsWindow, demo_database: Database, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    ward = _ward(demo_database)
    _new_members_in_ward(segments, monkeypatch, ward)
    tree = {"all": [{"rule": "status", "in": ["member"]}, {"rule": "ward", "in": [ward]}]}
    assert segments.draft() == tree
    with demo_database.session() as session:
        expected = count_segment(session, tree)
    assert expected > 0
    qtbot.waitUntil(lambda: segments.count == expected, timeout=3000)
    assert segments.ui.count_label.text().startswith(f"{expected:,} ")
    assert segments.ui.people.count() == min(expected, 200)
    root = segments.ui.rules.topLevelItem(0)
    assert root is not None and root.child(1) is not None
    assert root.child(1).text(0) == f"Ward is {ward}"  # type: ignore[union-attr]


def test_an_invalid_rule_shows_its_sentence(
    segments: SegmentsWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    segments.new_segment()
    segments.add_group("not")
    segments.update_count()
    assert segments.count is None
    assert segments.ui.count_label.text() == "A “Not” group needs a rule inside it."
    segments.remove_selected()
    segments.ui.rules.setCurrentItem(segments.ui.rules.topLevelItem(0))
    monkeypatch.setattr(RuleDialog, "exec", lambda dialog: _unknown_ward(dialog))
    segments.add_rule()
    qtbot.waitUntil(lambda: segments.ui.count_label.text() != "Counting…", timeout=3000)
    assert segments.count is None
    assert "Nowhere at all" in segments.ui.count_label.text()
    assert not segments.ui.export_button.isEnabled()


def _unknown_ward(dialog: RuleDialog) -> int:
    dialog.set_kind("ward")
    box = dialog.field("in")
    assert isinstance(box, QComboBox)
    box.setEditText("Nowhere at all")
    return QDialog.DialogCode.Accepted.value


def test_save_makes_the_segment_and_undo_removes_it(
    segments: SegmentsWindow, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = _ward(demo_database)
    _new_members_in_ward(segments, monkeypatch, ward)
    segments.ui.name_edit.setText("Ward members")
    assert segments.save()
    with demo_database.session() as session:
        rows = {row.name: row for row in list_segments(session)}
    assert "Ward members" in rows
    assert segments.current is not None and segments.current.name == "Ward members"
    assert segments.history.undo()
    with demo_database.session() as session:
        assert "Ward members" not in {row.name for row in list_segments(session)}
    assert segments.history.redo()
    with demo_database.session() as session:
        assert "Ward members" in {row.name for row in list_segments(session)}


def test_delete_and_undo(
    segments: SegmentsWindow, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new_members_in_ward(segments, monkeypatch, _ward(demo_database))
    segments.ui.name_edit.setText("Doomed")
    assert segments.save()
    assert segments.ui.delete_button.isEnabled()
    assert segments.delete_selected(confirm=False)
    with demo_database.session() as session:
        assert "Doomed" not in {row.name for row in list_segments(session)}
    assert segments.history.undo()
    with demo_database.session() as session:
        assert "Doomed" in {row.name for row in list_segments(session)}
    assert segments.current is not None and segments.current.name == "Doomed"


def test_export_writes_the_people(
    segments: SegmentsWindow,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    ward = _ward(demo_database)
    _new_members_in_ward(segments, monkeypatch, ward)
    segments.update_count()
    target = tmp_path / "out" / "ward members"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(target), ""))
    written = segments.export()
    assert written == target.with_name("ward members.xlsx")
    sheet = openpyxl.load_workbook(written).active
    assert sheet is not None
    assert sheet.max_row - 1 == segments.count
    assert "Wrote" in segments.ui.status.text()


def test_describe_reads_as_a_sentence() -> None:
    assert (
        describe({"rule": "status", "in": ["member", "lapsed"]})
        == "Status is Member or Lapsed member"
    )
    assert describe({"rule": "age", "min": 18, "max": 30}) == "Aged 18 to 30"
    assert describe({"rule": "tag", "name": "Has a car"}) == "Has the tag “Has a car”"


def test_the_segments_action_opens_the_window(window: MainWindow, qtbot: QtBot) -> None:
    assert window.segments_action.isEnabled()
    window.segments_action.trigger()
    shown = window.findChild(SegmentsWindow, SegmentsWindow.OBJECT_NAME)
    assert shown is not None
    qtbot.waitExposed(shown)
    qtbot.waitUntil(lambda: shown.count is not None, timeout=3000)
    shown.grab().save("/tmp/segments.png")
