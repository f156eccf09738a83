"""The import wizard, driven page by page on real files and a real database.

Jobs run on the real worker thread (desktop.jobs.run_job): the wizard's Next waits for them
in a nested event loop, so each ``wizard.next()`` returns with the page's work done.
"""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QToolBar,
    QWizard,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.database import Database
from db.models import (
    CustomFieldValue,
    DetailVerification,
    EmailAddress,
    ImportBatch,
    ImportSource,
    Person,
)
from desktop.import_columns import KEEP, LEAVE, ColumnsPage
from desktop.import_pages import FilePage, OptionsPage, SheetPage
from desktop.import_preview import (
    FILTERS,
    ImportRunPage,
    PreviewPage,
    ReportPage,
    sentences_in,
)
from desktop.import_preview_model import PreviewRowsModel
from desktop.import_state import PageId
from desktop.import_wizard import ImportWizard
from desktop.main_window import MainWindow

HEADER = ["Ref", "First Name", "Surname", "Postcode", "Email", "Shoe size"]
PEOPLE = [
    ["A001", "Ann", "Lee", "LS1 1AA", "ann@example.org", "5"],
    ["A002", "Tom", "Jones", "LS2 2BB", "tom@example.org", "10"],
    ["A003", "Sam", "Hill", "LS3 1AB", "sam@example.org", "9"],
    ["A004", "Zoe", "Odegaard", "not a postcode", "zoe@example.org", "6"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def people(database: Database) -> set[tuple[str | None, str, str]]:
    with database.session() as session:
        rows = session.execute(
            select(Person.membership_number, Person.first_name, Person.last_name)
        )
        return {tuple(row) for row in rows}  # type: ignore[misc]


def count(database: Database, model: type[Any]) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def page(wizard: ImportWizard, page_id: PageId) -> Any:
    return wizard.page_of(page_id)


def open_wizard(qtbot: QtBot, database: Database, path: Path | None) -> ImportWizard:
    wizard = ImportWizard(database, None, path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def cells(model: PreviewRowsModel, line: int) -> list[str]:
    return [model.index(line, column).data() for column in range(model.columnCount())]


def next_button_enabled(wizard: ImportWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_list_is_imported_with_a_corrected_column_and_a_row_left_out(
    database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "members.csv", PEOPLE)
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    assert window.list_stack.currentWidget() is window.empty_state
    wizard = window.import_spreadsheet(path)
    assert wizard.isVisible() and wizard.windowModality() == Qt.WindowModality.WindowModal

    file_page: FilePage = page(wizard, PageId.FILE)
    assert file_page.path_edit.text() == str(path)
    wizard.next()
    # A csv holds one sheet: straight to the columns.
    assert wizard.currentId() == PageId.COLUMNS
    columns: ColumnsPage = page(wizard, PageId.COLUMNS)
    assert columns.table.rowCount() == len(HEADER)
    assert [columns.table.item(0, c).text() for c in range(5)] == [
        "A",
        "Ref",
        "A001",
        "A002",
        "A003",
    ]
    assert columns.combo(0).currentData() == KEEP  # "Ref" means nothing to Branchbook
    assert columns.combo(2).currentData() == "last_name"
    assert "recognised 4 of 6 columns" in columns.origin.text()
    columns.choose(0, "membership_number")
    columns.choose(5, LEAVE)
    assert columns.combo(0).currentText() == "Membership number"
    wizard.next()

    assert wizard.currentId() == PageId.OPTIONS
    options: OptionsPage = page(wizard, PageId.OPTIONS)
    assert "4 people in the file" in options.summary.text()
    wizard.next()

    assert wizard.currentId() == PageId.PREVIEW
    preview: PreviewPage = page(wizard, PageId.PREVIEW)
    assert preview.tiles.count("created") == 4
    assert preview.tiles.count("rejected") == 1
    assert preview.tabs.tabText(1) == "Problems (1)"
    assert sentences_in(preview.problems) == [
        "members.csv, row 5, column D (Postcode): 'not a postcode' is not a UK postcode."
    ]
    assert cells(preview.model, 1) == [
        "3",
        "Tom Jones",
        "New member",
        "A002 · LS2 2BB · tom@example.org",
    ]
    tom = preview.model.index(1, 0)
    assert tom.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # A click on Tom's box, as the view sends it.
    preview.model.setData(tom, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert wizard.state.left_out == {3}
    assert tom.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert preview.model.index(1, 1).data(Qt.ItemDataRole.FontRole).strikeOut()
    wizard.next()

    assert wizard.currentId() == PageId.IMPORT
    run_page: ImportRunPage = page(wizard, PageId.IMPORT)
    assert "3 new people" in run_page.summary.text()
    assert "1 row left out by you" in run_page.summary.text()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import"
    assert people(database) == set()  # still nothing written
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        wizard.next()

    assert wizard.currentId() == PageId.REPORT
    report: ReportPage = page(wizard, PageId.REPORT)
    assert report.tiles.count("created") == 3
    assert report.tiles.count("left_out") == 1
    assert people(database) == {
        ("A001", "Ann", "Lee"),
        ("A003", "Sam", "Hill"),
        ("A004", "Zoe", "Odegaard"),
    }
    assert count(database, CustomFieldValue) == 0  # "Shoe size" was left out
    # The window behind shows the new people at once.
    assert window.list_stack.currentWidget() is window.table
    assert window.model.total == 3
    assert "3 new" in window.statusBar().currentMessage()

    saved = tmp_path / "out" / "report"
    saved.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(saved), ""))
    qtbot.mouseClick(report.save_button, Qt.MouseButton.LeftButton)
    book = openpyxl.load_workbook(saved.with_suffix(".xlsx"))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Report"] == "Import"
    assert summary["Rows left out by you"] == 1
    assert str(saved.with_suffix(".xlsx")) in report.saved_note.text()


def test_the_saved_mapping_is_used_again_next_month(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    first = open_wizard(qtbot, database, write_csv(tmp_path / "members-2026-02.csv", PEOPLE))
    first.next()
    page(first, PageId.COLUMNS).choose(0, "membership_number")
    for _ in range(4):
        first.next()
    assert first.currentId() == PageId.REPORT

    second = open_wizard(qtbot, database, write_csv(tmp_path / "members-2026-03.csv", PEOPLE))
    second.next()
    columns: ColumnsPage = page(second, PageId.COLUMNS)
    assert columns.combo(0).currentData() == "membership_number"
    assert "choices you made for “Members” last time" in columns.origin.text()
    second.next()
    second.next()
    preview: PreviewPage = page(second, PageId.PREVIEW)
    # Everyone is found again by membership number: nobody would be added twice.
    assert preview.tiles.count("created") == 0
    assert preview.tiles.count("unchanged") + preview.tiles.count("updated") == 4


def test_cancel_pressed_during_the_import_changes_nothing(
    demo_database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.import_preview
    import desktop.jobs
    from desktop.jobs import _Relay

    pressed = threading.Event()
    real_run_import = desktop.import_preview.run_import

    def run_import_held_after_first_progress(*args: Any, **kwargs: Any) -> Any:
        # The worker waits, mid-import (the batch row already flushed in its transaction),
        # until the GUI thread has pressed Cancel: no race with a fast little import.
        progress = kwargs["progress"]

        def progress_then_wait(done: int, total: int) -> None:
            progress(done, total)
            pressed.wait(10)

        return real_run_import(*args, **{**kwargs, "progress": progress_then_wait})

    # run_job's own relay, pressing Cancel (from the GUI thread) once it has shown the
    # first progress.
    class CancelAtFirstProgress(_Relay):
        @Slot()
        def show_progress(self) -> None:
            super().show_progress()
            if not pressed.is_set():
                dialog = wizard.findChildren(QProgressDialog)[-1]
                assert dialog.maximum() == 4
                assert dialog.labelText().startswith("Importing… 0 of")
                cancel = dialog.findChild(QPushButton)
                assert cancel is not None and cancel.text() == "Cancel"
                cancel.click()
                pressed.set()

    monkeypatch.setattr(desktop.import_preview, "run_import", run_import_held_after_first_progress)
    monkeypatch.setattr(desktop.jobs, "_Relay", CancelAtFirstProgress)
    before = count(demo_database, Person)
    batches = count(demo_database, ImportBatch)
    wizard = open_wizard(qtbot, demo_database, write_csv(tmp_path / "new.csv", PEOPLE))
    for _ in range(4):
        wizard.next()
    assert wizard.currentId() == PageId.IMPORT
    wizard.next()
    assert pressed.is_set()
    run_page: ImportRunPage = page(wizard, PageId.IMPORT)
    assert wizard.currentId() == PageId.IMPORT
    assert run_page.status.text().startswith("Cancelled: nothing was changed.")
    assert count(demo_database, Person) == before
    assert count(demo_database, ImportBatch) == batches
    assert count(demo_database, ImportSource) == 0  # not even the column mapping

    wizard.next()  # pressing Import again works
    assert wizard.currentId() == PageId.REPORT
    assert count(demo_database, Person) == before + 4


def test_closing_the_wizard_before_the_import_writes_nothing(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    wizard = open_wizard(qtbot, database, write_csv(tmp_path / "members.csv", PEOPLE))
    for _ in range(4):
        wizard.next()
    assert page(wizard, PageId.PREVIEW).tiles.count("created") == 4
    wizard.reject()
    assert not wizard.isVisible()
    assert count(database, Person) == 0
    assert count(database, ImportBatch) == 0
    assert count(database, ImportSource) == 0


@pytest.mark.parametrize(
    ("name", "content", "sentence"),
    [
        (
            "members.xlsx",
            b"Name,Email\nAnn,ann@example.org\n",
            "members.xlsx is a text (CSV) file with an .xlsx name",
        ),
        ("members.csv", b"", "members.csv is empty (0 bytes); ask for the file again."),
        ("members.pdf", b"%PDF-1.4", "members.pdf"),
    ],
)
def test_a_bad_file_is_one_sentence_and_no_traceback(
    database: Database,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    sentence: str,
) -> None:
    warnings: list[str] = []
    crashes: list[object] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: crashes.append(box))
    path = tmp_path / name
    path.write_bytes(content)
    wizard = open_wizard(qtbot, database, path)
    wizard.next()
    assert wizard.currentId() == PageId.FILE
    assert crashes == []
    assert len(warnings) == 1
    assert warnings[0].startswith(sentence)
    assert "Traceback" not in warnings[0] and warnings[0].endswith(".")
    assert warnings[0].count(". ") <= 1  # one sentence (a second only for advice)


def test_next_waits_for_a_column_that_tells_people_apart(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    rows = [["Ann", "Leeds", "red"], ["Tom", "York", "blue"]]
    path = write_csv(tmp_path / "stall.csv", rows, header=["Who", "Town", "Colour"])
    wizard = open_wizard(qtbot, database, path)
    wizard.next()
    columns: ColumnsPage = page(wizard, PageId.COLUMNS)
    assert wizard.currentId() == PageId.COLUMNS
    assert not columns.isComplete() and not next_button_enabled(wizard)
    assert columns.missing.isVisible()
    assert "cannot be told apart" in columns.missing.text()
    assert [columns.table.item(0, c).text() for c in (2, 3)] == ["Ann", "Tom"]
    columns.choose(0, "full_name")
    assert columns.isComplete() and next_button_enabled(wizard)
    assert not columns.missing.isVisible()
    wizard.next()
    wizard.next()
    assert page(wizard, PageId.PREVIEW).tiles.count("created") == 2


def test_a_workbook_with_several_sheets_asks_which(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["Exported from the membership system"])
    for title, hidden in (("Members", False), ("Old list", True)):
        sheet = book.create_sheet(title)
        sheet.sheet_state = "hidden" if hidden else "visible"
        sheet.append(["Membership Number", "First Name", "Last Name"])
        for n in range(3 if hidden else 5):
            sheet.append([f"{title[0]}{n:03}", "Ann", f"Lee{n}"])
    path = tmp_path / "export.xlsx"
    book.save(path)

    wizard = open_wizard(qtbot, database, path)
    wizard.next()
    assert wizard.currentId() == PageId.SHEET
    sheets: SheetPage = page(wizard, PageId.SHEET)
    shown = [
        tuple(sheets.table.item(r, c).text() for c in range(3))
        for r in range(sheets.table.rowCount())
    ]
    assert shown[0] == ("Read me", "", "no list found")
    assert shown[1] == ("Members", "5", "Branchbook's choice; a list of people, header on row 1")
    assert shown[2][:2] == ("Old list  (hidden)", "3")
    assert "hidden in Excel" in shown[2][2]
    assert sheets.chosen() == "Members"
    sheets.table.selectRow(2)
    wizard.next()
    assert wizard.currentId() == PageId.COLUMNS
    assert wizard.state.prepared is not None
    assert wizard.state.prepared.table.sheet == "Old list"
    assert len(wizard.state.prepared.candidates.candidates) == 3


def test_a_conflict_is_kept_unless_ticked(database: Database, tmp_path: Path, qtbot: QtBot) -> None:
    header = ["Membership Number", "First Name", "Last Name", "Email"]
    first = [["A001", "Ann", "Lee", "ann@example.org"], ["A002", "Tom", "Jones", "tom@example.org"]]
    wizard = open_wizard(qtbot, database, write_csv(tmp_path / "members.csv", first, header))
    for _ in range(5):
        wizard.next()
    assert wizard.currentId() == PageId.REPORT
    with database.session() as session:
        for number in ("A001", "A002"):
            person = session.scalars(select(Person).filter_by(membership_number=number)).one()
            session.add(
                DetailVerification(
                    person_id=person.id,
                    detail="email",
                    verified_on=dt.date(2026, 2, 1),
                    source="phone_call",
                )
            )
    second = [["A001", "Ann", "Lee", "ann.new@example.org"], ["A002", "Tom", "Jones", "t@x.org"]]
    path = write_csv(tmp_path / "members.csv", second, header)
    wizard = open_wizard(qtbot, database, path)
    for _ in range(3):
        wizard.next()
    preview: PreviewPage = page(wizard, PageId.PREVIEW)
    assert preview.tiles.count("conflicts") == 2
    # Each conflict has a line of its own under its row, unticked: the branch's value stays.
    assert [cells(preview.model, line) for line in range(preview.model.rowCount())] == [
        ["2", "Ann Lee", "Update: 1 change, 1 to decide", "email: + ann.new@example.org"],
        ["", "", "Take the file's value", "email: + ann.new@example.org"],
        ["3", "Tom Jones", "Update: 1 change, 1 to decide", "email: + t@x.org"],
        ["", "", "Take the file's value", "email: + t@x.org"],
    ]
    conflict = preview.model.index(1, 2)
    assert conflict.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    preview.tick(2, True, field="email")
    assert wizard.state.accepted == {(2, "email")}
    assert conflict.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    preview.filter.setCurrentIndex(3)  # "Conflicts to decide": the tick is kept
    assert preview.filter.currentText() == "Conflicts to decide (2)"
    assert preview.model.index(1, 2).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PageId.REPORT
    with database.session() as session:
        emails = set(session.scalars(select(EmailAddress.address)))
    assert "ann.new@example.org" in emails
    assert "t@x.org" not in emails


def test_dropping_a_spreadsheet_on_the_window_opens_the_wizard(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    path = write_csv(tmp_path / "members.csv", PEOPLE)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    wizard = window.import_wizard
    assert wizard is not None and wizard.isVisible()
    assert page(wizard, PageId.FILE).path_edit.text() == str(path)
    wizard.reject()
    assert window.import_wizard is None


def test_other_things_dragged_on_the_window_are_refused(window: MainWindow, tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    for urls in ([QUrl.fromLocalFile(str(pdf))], [QUrl("https://example.org/members.csv")]):
        data = QMimeData()
        data.setUrls(urls)
        enter = QDragEnterEvent(
            QPointF(50, 50),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, enter)
        assert not enter.isAccepted()


def test_import_is_in_the_file_menu_and_the_toolbar(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    action = window.import_action
    assert action.isEnabled()
    assert action.shortcut().toString() == "Ctrl+I"
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert action in toolbar.actions()
    assert toolbar.widgetForAction(action).text() == "Import"
    assert "import" not in window.coming_actions

    path = write_csv(tmp_path / "chosen.csv", PEOPLE)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(path), ""))
    action.trigger()
    wizard = window.import_wizard
    assert wizard is not None and wizard.currentId() == PageId.FILE
    file_page: FilePage = page(wizard, PageId.FILE)
    assert file_page.path_edit.text() == "" and not next_button_enabled(wizard)
    qtbot.mouseClick(file_page.browse_button, Qt.MouseButton.LeftButton)
    assert file_page.path_edit.text() == str(path) and next_button_enabled(wizard)
    wizard.reject()


def test_the_preview_model_keeps_qts_rules(
    database: Database, tmp_path: Path, qtbot: QtBot, qtmodeltester: Any
) -> None:
    wizard = open_wizard(qtbot, database, write_csv(tmp_path / "members.csv", PEOPLE))
    for _ in range(3):
        wizard.next()
    preview: PreviewPage = page(wizard, PageId.PREVIEW)
    assert preview.model.rowCount() == 4
    qtmodeltester.check(preview.model)
    preview.tick(2, False)
    qtmodeltester.check(preview.model)
    preview.filter.setCurrentIndex(4)  # nobody is unsure: an empty list
    assert preview.model.rowCount() == 0
    qtmodeltester.check(preview.model)


def test_a_second_column_for_one_field_is_explained_and_can_take_it_over(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    rows = [["Lee", "Leigh", "ann@example.org"], ["Jones", "Jones", "tom@example.org"]]
    path = write_csv(tmp_path / "crm.csv", rows, header=["Last Name", "Surname", "Email"])
    wizard = open_wizard(qtbot, database, path)
    wizard.next()
    columns: ColumnsPage = page(wizard, PageId.COLUMNS)
    assert columns.notes.text() == 'Column B "Surname": not used, column A is already the last name'
    columns.choose(1, "last_name")
    assert [columns.combo(c).currentData() for c in range(3)] == [KEEP, "last_name", "email"]
    assert columns.notes.text() == ""
    columns.choose(0, LEAVE)
    grey = columns.table.item(0, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and grey.color().name() == "#a0a0a4"
    for _ in range(4):
        wizard.next()
    assert wizard.currentId() == PageId.REPORT
    # Surnames from column B; column A's "Lee" went nowhere, not even a custom field.
    assert people(database) == {(None, "", "Leigh"), (None, "", "Jones")}
    assert count(database, CustomFieldValue) == 0


def test_a_full_list_lapses_the_members_it_leaves_out(
    demo_database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    with demo_database.session() as session:
        members = session.scalar(select(func.count()).where(Person.status == "member"))
    assert members
    wizard = open_wizard(qtbot, demo_database, write_csv(tmp_path / "members.csv", PEOPLE))
    wizard.next()
    page(wizard, PageId.COLUMNS).choose(0, "membership_number")
    wizard.next()
    options: OptionsPage = page(wizard, PageId.OPTIONS)
    options.full_list.setChecked(True)
    options.supporters.setChecked(True)  # a petition is never the full list of members
    assert not options.full_list.isChecked()
    options.full_list.setChecked(True)
    assert not options.supporters.isChecked()
    wizard.next()
    assert page(wizard, PageId.PREVIEW).tiles.count("lapsed") == members
    wizard.next()
    assert f"{members:,} members not in the list marked lapsed" in (
        page(wizard, PageId.IMPORT).summary.text()
    )
    wizard.next()
    assert page(wizard, PageId.REPORT).tiles.count("lapsed") == members
    with demo_database.session() as session:
        still = set(session.scalars(select(Person.membership_number).filter_by(status="member")))
    assert still == {"A001", "A002", "A003", "A004"}


def test_the_secretary_says_whom_a_row_that_could_be_two_people_is(
    database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.db.importing.people import add

    with database.session() as session:
        add(session, "John", "Smith", number="0805914")
        son = add(session, "John", "Smith", status="supporter")
    father_row = ["0805914", "John", "Smith", "LS1 1AA", ""]
    unsure_row = ["", "John", "Smith", "LS1 1AA", "07700 900123"]
    path = write_csv(
        tmp_path / "stall.csv",
        [father_row, unsure_row],
        header=["Membership Number", "First Name", "Surname", "Postcode", "Mobile"],
    )
    wizard = open_wizard(qtbot, database, path)
    wizard.next()  # the columns
    wizard.next()  # the options
    wizard.next()  # the preview
    assert wizard.currentId() == PageId.PREVIEW
    preview: PreviewPage = page(wizard, PageId.PREVIEW)
    assert preview.tiles.count("ambiguous") == 1
    assert not preview.choose_button.isEnabled()
    preview.rows.setCurrentIndex(preview.model.index(0, 1))
    assert preview.choose_button.isEnabled()

    asked: list[tuple[str, list[str]]] = []
    answer = [f"person {son},"]

    def answered(*args: Any) -> tuple[str, bool]:
        asked.append((args[2], list(args[3])))
        return next(text for text in args[3] if answer[0] in text), True

    monkeypatch.setattr(QInputDialog, "getItem", answered)
    preview.choose_button.click()
    # The father is row 2 of the file already: only his son, or someone new, is offered.
    question, offered = asked[-1]
    assert "person 1 is row 2" in question
    assert len(offered) == 2 and offered[-1].startswith("Someone new")
    assert "John Smith (person 2, supporter)" in offered[0]
    assert (preview.tiles.count("ambiguous"), preview.tiles.count("updated")) == (0, 1)
    assert not preview.choose_button.isEnabled()  # planned again: no row chosen now

    # A choice can be taken back, and made again; the rows shown stay those chosen.
    preview.filter.setCurrentIndex(0)
    line = preview.model.line_of(3)
    assert line is not None
    preview.rows.setCurrentIndex(preview.model.index(line, 1))
    assert preview.choose_button.isEnabled()
    answer[0] = "Undecided"
    preview.choose_button.click()
    assert preview.tiles.count("ambiguous") == 1
    assert wizard.state.chosen == {}
    unsure = next(i for i, (label, _) in enumerate(FILTERS) if label == "Unsure who")
    preview.filter.setCurrentIndex(unsure)
    assert preview.choose(3, son, (1, 2))
    assert preview.filter.currentIndex() == unsure and preview.model.rowCount() == 0

    wizard.next()
    assert wizard.currentId() == PageId.IMPORT
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        wizard.next()
    with database.session() as session:
        assert [phone.number for phone in session.get(Person, son).phones] == ["07700 900123"]  # type: ignore[union-attr]


def test_choices_are_forgotten_when_the_sheet_or_the_columns_change(
    database: Database, tmp_path: Path
) -> None:
    from dataclasses import replace

    from db.importing.workflow import prepare_import
    from desktop.import_state import ImportState

    first = prepare_import(database, write_csv(tmp_path / "members.csv", PEOPLE))
    state = ImportState(database, prepared=first)
    state.chosen, state.chosen_among, state.chosen_for = {3: None}, {3: (1, 2)}, first
    assert state.decisions().chosen == {3: None}
    state.prepared = replace(first)  # read again with other columns: row 3 is someone else
    assert state.decisions().chosen == {}
    state.keep_decisions_that_apply()
    assert (state.chosen, state.chosen_among) == ({}, {})
    first.release()
