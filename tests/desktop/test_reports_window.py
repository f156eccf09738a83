"""Reports → Reports…: each report written from the window, a PDF shown in it, a workbook
saved, one person's record for the person picked; every file in the export log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from db.database import Database
from db.export_log import list_exports
from db.people import find_person
from desktop.main_window import MainWindow
from desktop.reports_window import ReportsWindow
from reports.report_registry import REPORTS


def test_the_reports_menu_lists_every_report_and_writes_a_pdf_it_shows(
    demo_database: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    main = MainWindow(demo_database)
    qtbot.addWidget(main)
    main.show()
    action = main.findChild(QAction, "reportsAction")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+R"
    action.trigger()
    window = main.findChild(ReportsWindow)
    assert window is not None and window.isVisible()
    names = [window.kind_combo.itemData(i) for i in range(window.kind_combo.count())]
    assert names == list(REPORTS)
    window.choose("attendance")
    window.start_edit.setDate(QDate(2025, 1, 1))
    written = window.write(tmp_path / "attendance.pdf")
    assert written is not None and written.format == "pdf"
    assert window.request().start == dt.date(2025, 1, 1)
    pages = len(PdfReader(tmp_path / "attendance.pdf").pages)
    assert window.preview.page_count() == pages and pages >= 1
    assert window.print_button.isEnabled() and window.open_button.isEnabled()
    assert window.status.text() == written.summary
    window.close()


def test_a_persons_record_needs_the_person_and_a_workbook_is_saved(
    demo_database: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    window = ReportsWindow(demo_database)
    qtbot.addWidget(window)
    window.show()
    window.choose("person")
    assert window.person_search.isVisible() and not window.start_edit.isEnabled()
    assert window.write(tmp_path / "nobody.pdf") is None
    assert "Choose whose record" in window.status.text()
    window.person_search.set_text("lukasz wojcik")
    window.person_search.pick_selected()
    with demo_database.session() as session:
        lukasz = find_person(session, "Łukasz Wójcik")
    assert window.person_id == lukasz
    window.format_combo.setCurrentIndex(window.format_combo.findData(".xlsx"))
    written = window.write(tmp_path / "record.xlsx")
    assert written is not None and written.format == "xlsx"
    book = openpyxl.load_workbook(tmp_path / "record.xlsx")
    assert any("Wójcik" in str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)
    assert not window.print_button.isEnabled()
    with demo_database.session() as session:
        logged = list_exports(session)
    assert [(line.kind, Path(line.file_name).name, line.people) for line in logged] == [
        ("personal record", "record.xlsx", 1)
    ]
