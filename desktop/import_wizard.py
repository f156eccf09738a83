"""The import wizard: file → sheet → columns → options → preview → import → report.

Every step before Import only reads (the file, and the database to compare against), so
Cancel anywhere before it leaves the database untouched; the import itself is one
transaction that Cancel rolls back. The pages live in ``import_pages`` and
``import_preview``; what they share is one ``ImportState``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from db.database import Database
from desktop import window_state
from desktop.import_columns import ColumnsPage
from desktop.import_pages import FilePage, OptionsPage, SheetPage
from desktop.import_preview import ImportRunPage, PreviewPage, ReportPage
from desktop.import_state import ImportState, PageId
from desktop.jobs import Job, JobOutcome, run_job

_BUTTONS = (
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.CommitButton,
    QWizard.WizardButton.FinishButton,
    QWizard.WizardButton.CancelButton,
)


class ImportWizard(QWizard):
    SETTINGS_KEY = "ImportWizard"
    # Emitted with the ImportResult once an import is written, so the window refreshes.
    imported = Signal(object)

    def __init__(
        self, database: Database, parent: QWidget | None = None, path: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import a spreadsheet")
        self.state = ImportState(database, path=path)
        self._busy = False
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Close")
        pages = {
            PageId.FILE: FilePage,
            PageId.SHEET: SheetPage,
            PageId.COLUMNS: ColumnsPage,
            PageId.OPTIONS: OptionsPage,
            PageId.PREVIEW: PreviewPage,
            PageId.IMPORT: ImportRunPage,
            PageId.REPORT: ReportPage,
        }
        for page_id, page_class in pages.items():
            self.setPage(int(page_id), page_class(self.state, self.run_job))
        self.setStartId(int(PageId.FILE))
        self.currentIdChanged.connect(self._page_changed)
        # Fits a 1366x768 laptop screen with the taskbar showing.
        self.setMinimumSize(820, 560)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1060, 680)

    def page_of(self, page_id: PageId) -> QWidget:
        return self.page(int(page_id))

    def run_job(self, title: str, job: Job) -> JobOutcome:
        """Run a page's job; the wizard's buttons wait, so Next cannot be pressed twice
        in the moment before the progress dialog appears."""
        buttons = [self.button(which) for which in _BUTTONS]
        enabled = [button.isEnabled() for button in buttons]
        for button in buttons:
            button.setEnabled(False)
        self._busy = True
        try:
            return run_job(self, title, job)
        finally:
            self._busy = False
            for button, was in zip(buttons, enabled, strict=True):
                button.setEnabled(was)

    def _page_changed(self, page_id: int) -> None:
        if page_id == PageId.REPORT and self.state.result is not None:
            self.imported.emit(self.state.result)

    def reject(self) -> None:
        # Escape or the close box while a job runs: the progress dialog's Cancel is the way
        # to stop it, so the job is never left running behind a closed wizard.
        if not self._busy:
            super().reject()

    def done(self, result: int) -> None:
        self._remember_geometry()
        if self.state.prepared is not None:
            self.state.prepared.release()  # its connection must not outlive the wizard
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    def _remember_geometry(self) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
