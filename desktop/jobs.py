"""Long work off the GUI thread, behind a progress dialog with Cancel.

A job is a plain function ``job(progress, cancelled) -> result`` from db/ or reports/; it
opens its own session and hands back plain data. Cancel makes ``cancelled()`` true; the
job then raises and its transaction rolls back, so the database is as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int, str], None]
Job = Callable[[Progress, Callable[[], bool]], Any]


class _Worker(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.cancel_requested = False

    def run(self) -> None:
        try:
            result = self._job(self.progressed.emit, lambda: self.cancel_requested)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread to show
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class JobOutcome:
    def __init__(self) -> None:
        self.result: Any = None
        self.error: BaseException | None = None


def run_job(parent: QWidget | None, title: str, job: Job) -> JobOutcome:
    """Run ``job`` on a worker thread; returns once it finished, failed or was cancelled."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Branchbook")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    thread = QThread()
    worker = _Worker(job)
    worker.moveToThread(thread)
    outcome = JobOutcome()
    loop = QEventLoop()

    def on_progress(done: int, total: int, label: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(label)

    def on_success(result: Any) -> None:
        outcome.result = result
        loop.quit()

    def on_failure(error: BaseException) -> None:
        outcome.error = error
        loop.quit()

    def on_cancel() -> None:
        worker.cancel_requested = True
        dialog.setLabelText("Cancelling; putting everything back as it was…")

    worker.progressed.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    worker.succeeded.connect(on_success, Qt.ConnectionType.QueuedConnection)
    worker.failed.connect(on_failure, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(on_cancel)
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    return outcome
