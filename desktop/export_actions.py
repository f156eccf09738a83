"""File → Export: ask where to save, write the workbook on a worker thread, say what it wrote.

The writing is reports/; this is only the window's side of it: the save dialog, the job
behind a progress dialog, and one status-bar sentence or one error sentence afterwards.
reports/ is imported when an export starts, not with the window: it brings openpyxl, and
the window's start-up time is measured (bench/startup.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from db.corrections import Corrections
from db.database import Database
from db.errors import Cancelled
from desktop.errors import show_error
from desktop.jobs import Progress, run_job

XLSX_FILTER = "Excel workbook (*.xlsx)"
STATUS_SECONDS = 15


def default_export_path(stem: str, today: dt.date | None = None) -> Path:
    """``<Documents>/<stem> <yyyy-mm-dd>.xlsx``: dated, so this month's never replaces last
    month's unless asked to."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents else Path.home()
    return folder / f"{stem} {(today or dt.date.today()).isoformat()}.xlsx"


def ask_save_path(parent: QWidget, caption: str, stem: str) -> Path | None:
    """The file to write, from the system's save dialog; None when it was cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, caption, str(default_export_path(stem)), XLSX_FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() == ".xlsx":
        return path
    path = path.with_name(path.name + ".xlsx")
    # The dialog asked about replacing the name as typed; this is another file.
    if path.exists() and not _confirm_replace(parent, path):
        return None
    return path


def _confirm_replace(parent: QWidget, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        "Branchbook",
        f"{path.name} already exists in {path.parent}. Replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def export_people_to_file(window: QMainWindow, database: Database) -> Path | None:
    """File → Export people…: everyone, in the columns the importer reads back."""
    from reports.people_export import export_people

    path = ask_save_path(window, "Export people", "Branchbook people")
    if path is None:
        return None

    def job(progress: Progress, cancelled: Callable[[], bool]) -> int:
        def people_written(done: int, total: int) -> None:
            progress(done, total, f"Writing {done:,} of {total:,} people…")

        with database.session() as session:
            return export_people(session, path, progress=people_written, cancelled=cancelled)

    outcome = run_job(window, f"Exporting people to {path.name}…", job)
    if isinstance(outcome.error, Cancelled):
        _say(window, "Cancelled: no file was written.")
        return None
    if outcome.error is not None:
        show_error(window, outcome.error)
        return None
    count: int = outcome.result
    _say(window, f"Wrote {count:,} {_plural(count, 'person', 'people')} to {path}")
    return path


def export_corrections_to_file(window: QMainWindow, database: Database) -> Path | None:
    """File → Export corrections for the region…: what the branch changed or checked since
    the last national list, for the regional office to work through."""
    from reports.corrections_export import export_corrections

    path = ask_save_path(window, "Export corrections for the region", "Branchbook corrections")
    if path is None:
        return None

    def job(_progress: Progress, _cancelled: Callable[[], bool]) -> Corrections:
        with database.session() as session:
            return export_corrections(session, path)

    # reports/ writes this one in a single step that cannot stop half way: no Cancel.
    outcome = run_job(window, f"Exporting corrections to {path.name}…", job, cancellable=False)
    if outcome.error is not None:
        show_error(window, outcome.error)
        return None
    _say(window, corrections_sentence(outcome.result, path))
    return path


def corrections_sentence(found: Corrections, path: Path) -> str:
    rows = len(found.rows)
    people = len({row.person_id for row in found.rows})
    if found.since is None:
        period = "since records began (no national list has been imported yet)"
    else:
        # Stored in UTC without a zone, as every timestamp in the database.
        local = found.since.replace(tzinfo=dt.UTC).astimezone()
        period = f"since the national list imported on {local:%d/%m/%Y at %H:%M}"
    return (
        f"Wrote {rows:,} {_plural(rows, 'correction', 'corrections')} for "
        f"{people:,} {_plural(people, 'person', 'people')}, {period}, to {path}"
    )


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _say(window: QMainWindow, message: str) -> None:
    window.statusBar().showMessage(message, STATUS_SECONDS * 1000)
