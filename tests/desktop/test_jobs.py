"""desktop.jobs.run_job on the real worker thread: the dialog is only ever touched from the
GUI thread, however fast the job reports, and the result, error or Cancel comes back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QThread, Slot
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

import desktop.jobs
from db.errors import Cancelled, UserError
from desktop.jobs import Progress, _Relay, _Worker, run_job

REPORTS = 10_000


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


class RecordingRelay(_Relay):
    """run_job's relay, noting the thread each progress slot runs in and what the dialog
    showed after it (closing the dialog resets it, so it cannot be read afterwards)."""

    threads: list[QThread] = []
    shown: list[tuple[int, int, str]] = []
    visible: list[bool] = []

    @Slot()
    def show_progress(self) -> None:
        RecordingRelay.threads.append(QThread.currentThread())
        super().show_progress()
        dialog = self._dialog
        RecordingRelay.shown.append((dialog.value(), dialog.maximum(), dialog.labelText()))
        RecordingRelay.visible.append(dialog.isVisible())


def test_progress_from_the_worker_is_shown_from_the_gui_thread(
    parent: QWidget,
    qapp: QApplication,
    qtlog: QtLoggingPlugin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    RecordingRelay.threads = []
    RecordingRelay.shown = []
    RecordingRelay.visible = []
    monkeypatch.setattr(desktop.jobs, "_Relay", RecordingRelay)
    touched: list[QThread] = []
    real_set_value = QProgressDialog.setValue

    def set_value(dialog: QProgressDialog, value: int) -> None:
        touched.append(QThread.currentThread())
        real_set_value(dialog, value)

    monkeypatch.setattr(QProgressDialog, "setValue", set_value)
    job_threads: list[QThread] = []

    def job(progress: Progress, cancelled: Callable[[], bool]) -> str:
        job_threads.append(QThread.currentThread())
        for done in range(1, REPORTS + 1):
            progress(done, REPORTS, f"Row {done:,} of {REPORTS:,}")
            if done % 100 == 0:
                # Slow enough (half a second in all) that the dialog appears and repaints
                # while the reports pour in, as in a big import.
                time.sleep(0.005)
        return "done"

    outcome = run_job(parent, "Counting…", job)

    assert outcome.error is None and outcome.result == "done"
    assert job_threads and job_threads[0] is not qapp.thread()
    assert RecordingRelay.threads, "no progress reached the dialog"
    assert all(thread is qapp.thread() for thread in RecordingRelay.threads)
    assert touched and all(thread is qapp.thread() for thread in touched)
    assert any(RecordingRelay.visible)  # it appeared, and repainted, while reports came
    assert RecordingRelay.shown[-1] == (REPORTS, REPORTS, f"Row {REPORTS:,} of {REPORTS:,}")
    values = [value for value, _maximum, _label in RecordingRelay.shown]
    assert values == sorted(values)  # never an older report after a newer one
    assert not [r.message for r in qtlog.records if "thread" in r.message.lower()]


def test_reports_the_gui_has_not_taken_yet_are_replaced_by_the_newest(
    qapp: QApplication,
) -> None:
    worker = _Worker(lambda progress, cancelled: None)
    signalled: list[None] = []
    worker.progress_waiting.connect(lambda: signalled.append(None))
    worker.report(1, 10, "one")
    worker.report(2, 10, "two")
    worker.report(3, 10, "three")
    assert len(signalled) == 1  # one event waiting, however many reports
    assert worker.take_progress() == (3, 10, "three")
    assert worker.take_progress() is None
    worker.report(4, 10, "four")  # taken, so the next report signals again
    assert len(signalled) == 2
    assert worker.take_progress() == (4, 10, "four")


def test_a_failure_comes_back_as_the_outcome(parent: QWidget) -> None:
    def job(progress: Progress, cancelled: Callable[[], bool]) -> None:
        progress(1, 2, "Half way")
        raise UserError("members.xlsx is open in another program.")

    outcome = run_job(parent, "Failing…", job)

    assert isinstance(outcome.error, UserError)
    assert str(outcome.error) == "members.xlsx is open in another program."
    assert outcome.result is None


def test_cancel_in_the_dialog_reaches_the_job(
    parent: QWidget, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    pressed_in: list[QThread] = []
    after_cancel: list[tuple[bool, bool]] = []

    class CancelAtFirstProgress(_Relay):
        @Slot()
        def show_progress(self) -> None:
            super().show_progress()
            if not pressed_in:
                pressed_in.append(QThread.currentThread())
                dialog = parent.findChildren(QProgressDialog)[-1]
                cancel = dialog.findChild(QPushButton)
                assert cancel is not None
                cancel.click()
                # QProgressDialog hides itself on Cancel; the job is still rolling back.
                after_cancel.append((dialog.isVisible(), cancel.isEnabled()))

    monkeypatch.setattr(desktop.jobs, "_Relay", CancelAtFirstProgress)
    checks: list[int] = []

    def job(progress: Progress, cancelled: Callable[[], bool]) -> None:
        for done in range(1000):
            progress(done, 1000, "Working")
            checks.append(done)
            if cancelled():
                raise Cancelled("Cancelled: nothing was changed.")
            time.sleep(0.001)

    outcome = run_job(parent, "Working…", job)

    assert isinstance(outcome.error, Cancelled)
    assert pressed_in == [qapp.thread()]
    assert len(checks) < 1000
    assert after_cancel == [(True, False)]  # still up, blocking the window; Cancel greyed
    dialog = parent.findChildren(QProgressDialog)[-1]
    assert dialog.labelText() == "Cancelling; putting everything back as it was…"


def test_a_job_that_cannot_stop_has_no_cancel_and_escape_leaves_it_up(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()
    seen: list[tuple[bool, int]] = []

    class PressEscape(_Relay):
        @Slot()
        def show_progress(self) -> None:
            super().show_progress()
            if not released.is_set():
                dialog = self._dialog
                dialog.show()  # without waiting out the dialog's 300 ms
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
                dialog.close()  # the close box
                seen.append((dialog.isVisible(), len(dialog.findChildren(QPushButton))))
                released.set()

    monkeypatch.setattr(desktop.jobs, "_Relay", PressEscape)

    def job(progress: Progress, cancelled: Callable[[], bool]) -> str:
        progress(0, 1, "Writing")
        assert released.wait(10)
        return "written"

    outcome = run_job(parent, "Writing…", job, cancellable=False)

    assert outcome.result == "written" and outcome.error is None
    assert seen == [(True, 0)]
