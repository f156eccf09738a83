"""The main window: the people list with type-ahead search and a detail pane."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelection, QMimeData, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.branch_settings import load_branch_settings
from db.database import Database
from db.errors import Cancelled, UserError
from db.importing.apply import ImportResult
from db.info import count_summary
from db.meetings import add_meeting
from db.participation import person_participation
from db.people import person_detail
from db.person_mailings import person_mailings
from desktop import export_actions, window_state
from desktop.attendance_import_dialog import AttendanceResultDialog, import_attendance_from_file
from desktop.backup_actions import backup_actions, start_schedule
from desktop.checkin_window import AddMeetingDialog, CheckInWindow, ChooseMeetingDialog
from desktop.detail_pane import DetailPane
from desktop.import_history import ImportHistoryDialog
from desktop.import_state import SUFFIXES
from desktop.import_wizard import ImportWizard
from desktop.jobs import Progress, run_job
from desktop.mailing_menu import fill_mailings_menu, mailing_actions
from desktop.meetings_window import MeetingsWindow
from desktop.people_table_model import PeopleTableModel
from desktop.people_tools import add_people_tools
from desktop.person_editor import PersonEditor, open_person_editor
from desktop.privacy_menu import add_privacy_menu, privacy_actions
from desktop.reports_menu import reports_actions
from desktop.settings_dialog import edit_settings

# What is coming, in the order the issues bring it; shown disabled until it exists.
COMING: dict[str, str] = {}
TOOLBAR = ["import", "meetings", "checkin", "segments", "letters", "dashboard", "backup"]
TOOLBAR_LABELS = {
    "import": "Import",
    "meetings": "Meetings",
    "checkin": "Check-in",
    "segments": "Segments",
    "letters": "Letters",
    "dashboard": "Dashboard",
    "backup": "Backup",
}


class SearchBox(QLineEdit):
    """Down arrow or Enter hands the keyboard to the list; Escape clears."""

    def __init__(self, table: QTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table = table

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._table.model().rowCount() > 0:
                self._table.setFocus()
                if not self._table.selectionModel().hasSelection():
                    self._table.selectRow(0)
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    SETTINGS_KEY = "MainWindow"

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setObjectName("mainWindow")
        self.setMinimumSize(760, 500)
        self.model = PeopleTableModel(database, self)
        self.coming_actions: dict[str, QAction] = {}
        self.import_wizard: ImportWizard | None = None
        self.checkin_window: CheckInWindow | None = None
        self.meetings_window: MeetingsWindow | None = None
        # A spreadsheet dropped anywhere on the window opens the import wizard with it.
        self.setAcceptDrops(True)
        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1280, 760)
        window_state.restore_splitter(self.splitter, self.SETTINGS_KEY)
        self.refresh()
        self.backup_schedule = start_schedule(self)

    # layout --------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate([130, 110, 80, 110, 110, 165, 80]):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.edit_person())  # Enter, double-click

        self.search = SearchBox(self.table)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(
            "Find people by name, membership number, postcode or email   (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setMinimumWidth(160)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)

        self.empty_state = self._build_empty_state()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_state)

        self.detail = DetailPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 360])
        self.splitter.setChildrenCollapsible(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(search_row)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        page.setObjectName("emptyState")
        title = QLabel("<h2>This database is empty</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Lines broken by hand: a word-wrapped label on a stacked page that is not yet
        # shown measures its height for the wrong width and clips its own text.
        text = QLabel(
            "Import your membership list (or drop the file here), or load<br>"
            "a demo branch to try Branchbook out: about 1,500 people in<br>"
            "households, two years of meetings, views, activities and<br>"
            "union members."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_import_button = QPushButton("Import a spreadsheet…")
        self.empty_import_button.setObjectName("emptyImportButton")
        self.empty_import_button.clicked.connect(lambda: self.import_spreadsheet())
        self.demo_button = QPushButton("Load demo data")
        self.demo_button.setObjectName("loadDemoButton")
        self.demo_button.clicked.connect(self.load_demo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.empty_import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(title)
        box_layout.addWidget(text)
        box_layout.addLayout(buttons)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_actions(self) -> None:
        self.find_action = QAction("&Find people", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.edit_person_action = QAction("&Edit person…", self)
        self.edit_person_action.setObjectName("editPersonAction")
        self.edit_person_action.setShortcut(QKeySequence("F2"))  # Ctrl+E exports
        self.edit_person_action.triggered.connect(lambda: self.edit_person())
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh)
        self.import_action = QAction("&Import a spreadsheet…", self)
        self.import_action.setObjectName("importAction")
        self.import_action.setIconText("Import")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip(
            "Add or update people from a membership list, a sign-up sheet or a petition."
        )
        self.import_action.triggered.connect(lambda: self.import_spreadsheet())
        self.imports_action = QAction("Im&ports…", self)
        self.imports_action.setObjectName("importsAction")
        self.imports_action.setStatusTip("See earlier imports, and undo one.")
        self.imports_action.triggered.connect(lambda: self.show_imports())
        self.export_people_action = QAction("&Export people…", self)
        self.export_people_action.setObjectName("exportPeopleAction")
        self.export_people_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_people_action.setStatusTip(
            "Save everyone as an Excel workbook (which Branchbook can import again)."
        )
        self.export_people_action.triggered.connect(self.export_people)
        self.export_corrections_action = QAction("Export &corrections for the region…", self)
        self.export_corrections_action.setObjectName("exportCorrectionsAction")
        self.export_corrections_action.setStatusTip(
            "Save what the branch corrected or checked since the last national list."
        )
        self.export_corrections_action.triggered.connect(self.export_corrections)
        self.add_meeting_action = QAction("&Add a meeting…", self)
        self.add_meeting_action.setObjectName("addMeetingAction")
        self.add_meeting_action.setStatusTip("Add a branch meeting, AGM or other event.")
        self.add_meeting_action.triggered.connect(lambda: self.add_meeting())
        self.checkin_action = QAction("&Check-in at the door…", self)
        self.checkin_action.setObjectName("checkInAction")
        self.checkin_action.setIconText("Check-in")
        self.checkin_action.setStatusTip("Check people in as they arrive at a meeting.")
        self.checkin_action.triggered.connect(lambda: self.open_check_in())
        self.import_attendance_action = QAction("Import &attendance…", self)
        self.import_attendance_action.setObjectName("importAttendanceAction")
        self.import_attendance_action.setStatusTip(
            "Check people in from a typed-up sign-in sheet or an online form's spreadsheet."
        )
        self.import_attendance_action.triggered.connect(lambda: self.import_attendance())
        self.meetings_action = QAction("&Meetings…", self)
        self.meetings_action.setObjectName("meetingsAction")
        self.meetings_action.setIconText("Meetings")
        self.meetings_action.setStatusTip(
            "Meetings, their agendas, who came, and who took part and how."
        )
        self.meetings_action.triggered.connect(lambda: self.open_meetings())
        self.mailing_actions = mailing_actions(self)
        self.reports_actions = reports_actions(self)
        self.backup_actions = backup_actions(self)
        self.privacy_actions = privacy_actions(self)
        self.segments_action = self.mailing_actions["segments"]
        self.demo_action = QAction("Load &demo data…", self)
        self.demo_action.triggered.connect(self.load_demo)
        self.settings_action = QAction("Branch &settings…", self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.edit_settings)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction("&About Branchbook", self)
        self.about_action.triggered.connect(self.show_about)
        for key, text in COMING.items():
            action = QAction(f"{text}  (coming soon)", self)
            action.setEnabled(False)
            action.setStatusTip(f"{text.rstrip('…')} is not yet available in this version.")
            action.setToolTip(f"{text.rstrip('…')}: not yet available")
            self.coming_actions[key] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.imports_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_people_action)
        file_menu.addAction(self.export_corrections_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_actions["backup"])
        file_menu.addAction(self.backup_actions["restore"])
        self.privacy_menu = add_privacy_menu(file_menu, self, self.privacy_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        people_menu = bar.addMenu("&People")
        people_menu.addAction(self.find_action)
        people_menu.addAction(self.edit_person_action)
        people_menu.addAction(self.refresh_action)
        self.people_tool_actions = add_people_tools(self, people_menu)
        meetings_menu = bar.addMenu("&Meetings")
        meetings_menu.addAction(self.add_meeting_action)
        meetings_menu.addAction(self.checkin_action)
        meetings_menu.addAction(self.import_attendance_action)
        meetings_menu.addSeparator()
        meetings_menu.addAction(self.meetings_action)
        mailings_menu = bar.addMenu("M&ailings")
        fill_mailings_menu(mailings_menu, self.mailing_actions)
        reports_menu = bar.addMenu("&Reports")
        reports_menu.addAction(self.reports_actions["dashboard"])
        reports_menu.addAction(self.reports_actions["reports"])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for key in TOOLBAR:
            real = {
                "import": self.import_action,
                "meetings": self.meetings_action,
                "checkin": self.checkin_action,
                "segments": self.segments_action,
                "letters": self.mailing_actions["letters"],
                "dashboard": self.reports_actions["dashboard"],
                "backup": self.backup_actions["backup"],
            }
            if key in real:
                toolbar.addAction(real[key])
                continue
            button_action = QAction(TOOLBAR_LABELS[key], self)
            button_action.setEnabled(False)
            button_action.setToolTip(self.coming_actions[key].toolTip())
            button_action.setStatusTip(self.coming_actions[key].statusTip())
            toolbar.addAction(button_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    # behaviour -----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        self.model.set_query(text)
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total
        query = self.model.query.strip()
        if query:
            if total == 0:
                self.count_label.setText(f"No one matches “{query}”")
            else:
                self.count_label.setText(f"{total:,} {'match' if total == 1 else 'matches'}")
        else:
            self.count_label.setText(f"{total:,} people")

    def refresh(self) -> None:
        selected = self.selected_person_id()
        self.model.refresh()
        self._update_count()
        with self.database.session() as session:
            people, members, households, meetings = count_summary(session)
            branch = load_branch_settings(session).branch_name
        self.list_stack.setCurrentIndex(1 if people == 0 else 0)
        self.setWindowTitle(f"{branch} — Branchbook" if branch else "Branchbook")
        self.status_label.setText(
            f"{people:,} people · {members:,} members · {households:,} households · "
            f"{meetings:,} meetings   |   {self.database.location}"
        )
        if selected is not None:
            row = self.model.row_of(selected)
            if row is not None:
                self.table.selectRow(row)
                return
        self.detail.show_nothing()

    def use_database(self, database: Database) -> None:
        """Go on with ``database``, the same file opened anew (encrypted now)."""
        self.database = self.backup_schedule.database = database
        old_selection = self.table.selectionModel()
        self.model = PeopleTableModel(database, self)
        self.model.set_query(self.search.text())
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        old_selection.deleteLater()
        self.refresh()

    def selected_person_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.person_id(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        person_id = self.selected_person_id()
        if person_id is None:
            self.detail.show_nothing()
            return
        with self.database.session() as session:
            detail = person_detail(session, person_id)
            # The person is loaded now: the timeline adds its own two SELECTs, the letters
            # two more, no more.
            meetings = person_participation(session, person_id)
            mailings = person_mailings(session, person_id, limit=5)
        self.detail.show_person(detail, meetings, mailings)

    def edit_person(self) -> PersonEditor | None:
        person_id = self.selected_person_id()
        if person_id is None:
            return None
        return open_person_editor(self, self.database, person_id, lambda _id: self.refresh())

    def load_demo(self) -> None:
        from db.demo import DemoSummary, load_demo

        database = self.database

        def job(progress: Progress, cancelled: Callable[[], bool]) -> DemoSummary:
            return load_demo(database, progress=progress, cancelled=cancelled)

        outcome = run_job(self, "Building a demo branch…", job)
        if isinstance(outcome.error, Cancelled):
            self.statusBar().showMessage("Cancelled: nothing was changed.", 8000)
        elif outcome.error is not None:
            self.show_error(outcome.error)
        else:
            self.statusBar().showMessage(
                f"Demo branch loaded: {outcome.result.people:,} people.", 8000
            )
        self.refresh()

    def import_spreadsheet(self, path: Path | None = None) -> ImportWizard:
        """Open the import wizard (window-modal, not blocking), with ``path`` filled in."""
        if self.import_wizard is not None and self.import_wizard.isVisible():
            self.import_wizard.raise_()
            return self.import_wizard
        wizard = ImportWizard(self.database, self, path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self._imported)
        wizard.finished.connect(self._import_wizard_closed)
        self.import_wizard = wizard
        wizard.open()
        return wizard

    def _import_wizard_closed(self) -> None:
        self.import_wizard = None

    def _imported(self, result: ImportResult) -> None:
        counts = result.counts
        self.statusBar().showMessage(
            f"Imported: {counts.get('created', 0):,} new, {counts.get('updated', 0):,} updated, "
            f"{counts.get('lapsed', 0):,} lapsed.",
            15000,
        )
        self.refresh()

    def show_imports(self) -> ImportHistoryDialog:
        """Open the Imports dialog (window-modal, not blocking); the list is refreshed when
        it closes, if an import was undone in it."""
        dialog = ImportHistoryDialog(self.database, self)
        dialog.finished.connect(lambda _result: self._imports_closed(dialog))
        dialog.open()
        return dialog

    def _imports_closed(self, dialog: ImportHistoryDialog) -> None:
        if dialog.undone:
            numbers = ", ".join(str(result.batch_id) for result in dialog.undone)
            self.statusBar().showMessage(
                f"Undid import{'s' if len(dialog.undone) > 1 else ''} {numbers}.", 15000
            )
            self.refresh()
        dialog.deleteLater()

    def add_meeting(self) -> None:
        dialog = AddMeetingDialog(self)
        accepted = dialog.exec() == AddMeetingDialog.DialogCode.Accepted
        new = dialog.new_meeting()
        dialog.deleteLater()
        if not accepted:
            return
        try:
            with self.database.session() as session:
                add_meeting(session, new)
        except UserError as exc:
            self.show_error(exc)
            return
        self.statusBar().showMessage(f"Added the meeting “{' '.join(new.title.split())}”.", 8000)
        self.refresh()

    def open_check_in(self) -> CheckInWindow | None:
        """Ask which meeting, then open the door screen for it (one at a time)."""
        if self.checkin_window is not None and self.checkin_window.isVisible():
            self.checkin_window.raise_()
            self.checkin_window.activateWindow()
            return self.checkin_window
        dialog = ChooseMeetingDialog(self.database, self)
        if not dialog.meetings:
            dialog.deleteLater()
            QMessageBox.information(
                self, "Branchbook", "There are no meetings yet: add one first (Meetings menu)."
            )
            return None
        accepted = dialog.exec() == ChooseMeetingDialog.DialogCode.Accepted
        meeting_id = dialog.meeting_id()
        dialog.deleteLater()
        if not accepted or meeting_id is None:
            return None
        door = window_state.show_owned(
            CheckInWindow(self.database, meeting_id, self), self._check_in_closed
        )
        self.checkin_window = door
        return door

    def _check_in_closed(self) -> None:
        self.checkin_window = None

    def open_meetings(self) -> MeetingsWindow:
        """The meetings window (one at a time)."""
        if self.meetings_window is not None and self.meetings_window.isVisible():
            self.meetings_window.raise_()
            self.meetings_window.activateWindow()
            return self.meetings_window
        window = window_state.show_owned(MeetingsWindow(self.database, self), self._meetings_closed)
        self.meetings_window = window
        return window

    def _meetings_closed(self) -> None:
        self.meetings_window = None

    def import_attendance(self) -> AttendanceResultDialog | None:
        """Meetings → Import attendance…: meeting, file, import, then the rows to resolve."""
        return import_attendance_from_file(self, self.database, self.refresh)

    def export_people(self) -> None:
        export_actions.export_people_to_file(self, self.database)

    def export_corrections(self) -> None:
        export_actions.export_corrections_to_file(self, self.database)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_spreadsheet(path)

    def edit_settings(self) -> None:
        try:
            saved = edit_settings(self.database, self)
        except UserError as exc:
            self.show_error(exc)
            return
        if saved:
            self.refresh()

    def show_error(self, error: BaseException) -> None:
        from desktop.errors import show_error

        show_error(self, error)

    def show_about(self) -> None:
        from desktop.about import about_text

        QMessageBox.about(self, "About Branchbook", about_text(self.database))

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        window_state.save_splitter(self.splitter, self.SETTINGS_KEY)
        self.backup_schedule.on_close()
        super().closeEvent(event)


def _dropped_file(data: QMimeData | None) -> Path | None:
    """The one local spreadsheet file being dragged, or None for anything else."""
    if data is None or not data.hasUrls():
        return None
    urls = data.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in SUFFIXES else None
