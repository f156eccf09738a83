"""Long work off the GUI thread, behind a progress dialog with Cancel.

A job is a plain function ``job(progress, cancelled) -> result`` from db/ or reports/; it
opens its own session and hands back plain data. Cancel makes ``cancelled()`` true; the
job then raises and its transaction rolls back, so the database is as it was.

Everything the worker reports reaches the dialog through ``_Relay``, a QObject made in the
GUI thread: a queued connection runs in the thread of its receiving object, and a signal
connected to a plain function has only the sender (the worker, in the worker thread) to
go by. Touching the dialog from the worker thread crashed a 100,000-row import
("Recursive repaint detected") and stopped timers from the wrong thread.

The worker's signals are connected to the relay's *signals*, not to its methods. PySide
6.12 decides from the Python method whether a connection has a receiving object: a method
overridden in a subclass, or patched onto the class, is treated as a plain function and
runs in the worker thread (measured). A signal-to-signal connection is Qt's own, with the
relay as its receiver, so the hop to the GUI thread cannot depend on how the slot is
written; the relay's slots then run directly, already in the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

Progress = Callable[[int, int, str], None]
Job = Callable[[Progress, Callable[[], bool]], Any]

_QUEUED = Qt.ConnectionType.QueuedConnection
_DIRECT = Qt.ConnectionType.DirectConnection


class _Worker(QObject):
    """Runs the job in the worker thread and keeps only its latest progress.

    A job may report far faster than the screen can show (a report per row); a queued
    event for each would make the GUI thread fall behind, and the last of the job's
    events (its result) would wait behind thousands of stale ones. So the worker signals
    only when the GUI thread has taken the previous report, and the relay then reads the
    newest: none is shown late, and the last one is always shown.
    """

    progress_waiting = Signal()
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._lock = threading.Lock()
        self._latest: tuple[int, int, str] | None = None
        self.cancel_requested = threading.Event()

    def report(self, done: int, total: int, label: str) -> None:
        with self._lock:
            already_waiting = self._latest is not None
            self._latest = (done, total, label)
        if not already_waiting:
            self.progress_waiting.emit()

    def take_progress(self) -> tuple[int, int, str] | None:
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.report, self.cancel_requested.is_set)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread to show
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class JobOutcome:
    def __init__(self) -> None:
        self.result: Any = None
        self.error: BaseException | None = None


class _JobDialog(QProgressDialog):
    """The progress dialog. Without Cancel (a job that cannot stop half way) neither Escape
    nor the close box hides it: hidden, it would no longer keep the window from being used
    while the job writes."""

    def __init__(self, title: str, parent: QWidget | None, cancellable: bool) -> None:
        super().__init__(title, "Cancel", 0, 0, parent)
        self.cancellable = cancellable
        if not cancellable:
            self.setCancelButton(None)

    def reject(self) -> None:
        if self.cancellable:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cancellable:
            super().closeEvent(event)
        else:
            event.ignore()


class _Relay(QObject):
    """Lives in the GUI thread, so its slots (and everything they touch) run there."""

    progress_waiting = Signal()
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self, worker: _Worker, dialog: QProgressDialog, loop: QEventLoop, outcome: JobOutcome
    ) -> None:
        super().__init__()
        self._worker = worker
        self._dialog = dialog
        self._loop = loop
        self._outcome = outcome
        # Queued, so the relay's signals are emitted here, in the GUI thread, in the order
        # the worker sent them: the result after the last progress.
        worker.progress_waiting.connect(self.progress_waiting, _QUEUED)
        worker.succeeded.connect(self.succeeded, _QUEUED)
        worker.failed.connect(self.failed, _QUEUED)
        self.progress_waiting.connect(self.show_progress, _DIRECT)
        self.succeeded.connect(self.succeed, _DIRECT)
        self.failed.connect(self.fail, _DIRECT)
        dialog.canceled.connect(self.cancel, _DIRECT)

    def stop_listening(self) -> None:
        # Hiding the dialog may emit canceled too; that is not the secretary's Cancel.
        self._dialog.canceled.disconnect(self.cancel)

    @Slot()
    def show_progress(self) -> None:
        latest = self._worker.take_progress()
        if latest is None:
            return
        done, total, label = latest
        if self._worker.cancel_requested.is_set():
            return  # the dialog says it is cancelling; the job has not noticed yet
        self._dialog.setMaximum(max(total, 1))
        self._dialog.setValue(min(done, max(total, 1)))
        self._dialog.setLabelText(label)

    @Slot(object)
    def succeed(self, result: Any) -> None:
        self._outcome.result = result
        self._loop.quit()

    @Slot(object)
    def fail(self, error: BaseException) -> None:
        self._outcome.error = error
        self._loop.quit()

    @Slot()
    def cancel(self) -> None:
        self._worker.cancel_requested.set()
        dialog = self._dialog
        # QProgressDialog hides itself on Cancel (and on Escape). Shown again, busy and
        # with Cancel greyed, it keeps the window blocked until the rollback is done.
        for button in dialog.findChildren(QPushButton):
            button.setEnabled(False)
        dialog.setRange(0, 0)
        dialog.setLabelText("Cancelling; putting everything back as it was…")
        dialog.show()


def run_job(
    parent: QWidget | None, title: str, job: Job, *, cancellable: bool = True
) -> JobOutcome:
    """Run ``job`` on a worker thread; returns once it finished, failed or was cancelled.

    ``cancellable=False`` is for a job that never looks at ``cancelled()``: its dialog has
    no Cancel button rather than one that does nothing.
    """
    dialog = _JobDialog(title, parent, cancellable)
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
    relay = _Relay(worker, dialog, loop, outcome)
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    relay.stop_listening()
    dialog.hide()  # not close(): a dialog without Cancel refuses to be closed
    dialog.deleteLater()
    return outcome
