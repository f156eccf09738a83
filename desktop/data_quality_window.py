"""People → Data quality: who has no or a wrong email address, phone number or postcode,
and whose details nobody has confirmed for a long time, one tab for each.

Each list is worked out on a worker thread the first time its tab is opened (one to four
seconds at 100,000 people; all four at once took fifteen), and its count then joins the tab's
title. Changing the number of months works out that one list again. Double-click (or Enter
on) a person opens the person editor; Check again re-reads the list shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QPushButton, QTabWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from db.data_quality import (
    QualityIssue,
    email_issues,
    phone_issues,
    postcode_issues,
    unverified_details,
)
from db.database import Database
from db.errors import Cancelled
from desktop import window_state
from desktop.data_quality_layout import TABS, IssuesPage
from desktop.errors import show_error
from desktop.jobs import Progress, run_job
from desktop.person_editor import open_person_editor

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class DataQualityWindow(QMainWindow):
    SETTINGS_KEY = "DataQualityWindow"

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        changed: Callable[[], None] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dataQualityWindow")
        self.setWindowTitle("Data quality — Branchbook")
        self.database = database
        self.today = today
        self._changed = changed
        self.found: dict[str, list[QualityIssue] | None] = {tab.key: None for tab in TABS}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("qualityTabs")
        self.pages = {tab.key: IssuesPage(tab) for tab in TABS}
        for tab in TABS:
            self.tabs.addTab(self.pages[tab.key], tab.title)
            self.pages[tab.key].table.activated.connect(
                lambda index, key=tab.key: self._person_chosen(key, index)
            )
        self.check_again_button = QPushButton("&Check again")
        self.check_again_button.setObjectName("checkAgainButton")
        self.check_again_button.setToolTip("Read the list shown again, after putting things right.")
        self.check_again_button.clicked.connect(lambda: self.check_again())
        self.tabs.setCornerWidget(self.check_again_button)
        page = self.pages["unverified"]
        assert page.months is not None
        self.months = page.months
        self.group = page.choice
        # Arrow clicks come quickly: the list is worked out once they pause.
        self._months_timer = QTimer(self)
        self._months_timer.setSingleShot(True)
        self._months_timer.setInterval(600)
        self._months_timer.timeout.connect(self._months_changed)
        self.months.valueChanged.connect(lambda _value: self._months_timer.start())
        for key, shown in self.pages.items():
            shown.choice.currentIndexChanged.connect(lambda _index, k=key: self._show(k))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)
        for tab in TABS:
            self._show(tab.key)
        self.tabs.currentChanged.connect(lambda _index: self.show_current())
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(900, 640)

    # working lists out ---------------------------------------------------------------

    def current_key(self) -> str:
        return TABS[self.tabs.currentIndex()].key

    def show_current(self) -> None:
        """The list of the tab shown, worked out first if it has not been yet."""
        key = self.current_key()
        if self.found[key] is None:
            self.count(key)
        else:
            self._show(key)

    def check_again(self) -> None:
        """Read the list shown again; the others are read again when next opened."""
        for key in self.found:
            self.found[key] = None
            self._show(key)
        self.show_current()

    def count(self, key: str) -> bool:
        """Work out one list behind a progress dialog; False when stopped or failed."""
        tab = next(tab for tab in TABS if tab.key == key)
        find = self._finder(key)
        database = self.database

        def job(progress: Progress, cancelled: Callable[[], bool]) -> list[QualityIssue]:
            progress(0, 0, tab.working)
            with database.session() as session:
                found = find(session)
            if cancelled():
                raise Cancelled
            return found

        outcome = run_job(self, tab.working, job)
        if isinstance(outcome.error, Cancelled):
            self.pages[key].shown.setText("Stopped before the end. Press Check again to count.")
            return False
        if outcome.error is not None:
            show_error(self, outcome.error)
            return False
        self.found[key] = outcome.result
        self._show(key)
        return True

    def _finder(self, key: str) -> Callable[[Session], list[QualityIssue]]:
        if key == "emails":
            return email_issues
        if key == "phones":
            return phone_issues
        if key == "postcodes":
            return postcode_issues
        months, today = self.months.value(), self.today
        return lambda session: unverified_details(session, months=months, today=today)

    def _months_changed(self) -> None:
        self.found["unverified"] = None
        self._show("unverified")
        if self.current_key() == "unverified":
            self.count("unverified")

    def recount_unverified(self, months: int) -> None:
        """Set the months and work the list out now (what a pause after the arrows does)."""
        self.months.setValue(months)
        self._months_timer.stop()
        self._months_changed()

    # showing them --------------------------------------------------------------------

    def _show(self, key: str) -> None:
        page = self.pages[key]
        issues = self.found[key]
        index = [tab.key for tab in TABS].index(key)
        title = page.tab.title
        if key == "unverified":
            title = f"{title} in {self.months.value()} months"
        if issues is None:
            page.model.set_issues([])
            page.shown.setText("Not counted yet.")
            self.tabs.setTabText(index, title)
            return
        self.tabs.setTabText(index, f"{title} ({len(issues):,})")
        shown = page.chosen(issues)
        header = page.table.horizontalHeader()
        page.model.set_issues(shown)
        if header.sortIndicatorSection() != 0 or (
            header.sortIndicatorOrder() != Qt.SortOrder.AscendingOrder
        ):
            page.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        page.shown.setText(self._shown_text(key, issues, len(shown)))

    def _shown_text(self, key: str, issues: list[QualityIssue], shown: int) -> str:
        total = len(issues)
        people = len({issue.person_id for issue in issues})
        whom = f"{people:,} {'person' if people == 1 else 'people'}"
        if total == 0:
            if key == "unverified":
                return "Every detail has been confirmed recently."
            return "Nothing to put right here."
        if key == "unverified":
            text = f"{total:,} {'detail' if total == 1 else 'details'} to confirm, for {whom}"
        elif people == total:
            text = whom
        else:
            text = f"{total:,} problems, for {whom}"
        if shown != total:
            choice = self.pages[key].choice.currentText().lower()
            return f"{text}; showing {shown:,}: {choice}."
        return f"{text}."

    # opening a person ----------------------------------------------------------------

    def _person_chosen(self, key: str, index: QModelIndex) -> None:
        person_id = self.pages[key].model.person_id(index.row())
        if person_id is not None:
            self.open_person(person_id)

    def open_person(self, person_id: int) -> None:
        open_person_editor(self, self.database, person_id, self._person_edited)

    def _person_edited(self, _person_id: int) -> None:
        self.statusBar().showMessage(
            "Changed. Press Check again to see the list as it is now.", 15000
        )
        if self._changed is not None:
            self._changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_data_quality(window: MainWindow) -> DataQualityWindow:
    """People → Data quality: the one window already open, else a new one showing its first
    list."""
    existing = window_state.raise_open(window, DataQualityWindow)
    if existing is not None:
        return existing
    quality = DataQualityWindow(window.database, window, changed=window.refresh)
    quality.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    quality.show()
    quality.show_current()
    return quality
