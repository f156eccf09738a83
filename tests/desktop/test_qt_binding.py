"""Guards against binding bugs that would crash the window after long use.

PySide6 6.12.0 on Python 3.11 drops a reference to None each time a Python override called
from C++ returns None (measured: 1,000 calls, None's count down by 1,000), and each time a
Qt method that returns nothing is called. None is not immortal before Python 3.12, so a
long session ends in "Fatal Python error: none_dealloc". The people model returns None for
every role it does not fill; every window calls setText and friends all day.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel

from db.database import Database
from desktop import qt_compat
from desktop.people_table_model import PeopleTableModel

SET_TEXT_CALLS = 100_000


def test_roles_the_model_leaves_empty_do_not_drain_nones_refcount(
    demo_database: Database,
) -> None:
    model = PeopleTableModel(demo_database)
    model.set_query("")
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(2000):
        assert index.data(Qt.ItemDataRole.DecorationRole) is None
    assert sys.getrefcount(None) > before - 100


class Signals(QObject):
    fired = Signal()


def _never_connected() -> None:
    pass


def drains(singleton: object, call: Callable[[], object], times: int = 100) -> bool:
    before = sys.getrefcount(singleton)
    for _ in range(times):
        call()
    return sys.getrefcount(singleton) <= before - times


def test_the_guard_covers_exactly_what_the_binding_drains(qapp: QApplication) -> None:
    # Measured here with the calls that crashed, not the module's own probes.
    label = QLabel()
    signals = Signals()

    def failed_disconnect() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            signals.fired.disconnect(_never_connected)

    drained = {
        "None": drains(None, lambda: label.setText("drop?")),
        "True": drains(True, signals.fired.emit),
        "False": drains(False, failed_disconnect),
    }
    assert qt_compat.guarded_singletons() == {name for name, yes in drained.items() if yes}
    for name in qt_compat.guarded_singletons():
        assert sys.getrefcount({"None": None, "True": True, "False": False}[name]) > 1 << 39


def test_100000_set_text_calls_leave_none_far_from_zero(qapp: QApplication) -> None:
    # Without the guard this aborts the whole run: the suite starts with some tens of
    # thousands of references to None, and each call below drops one.
    label = QLabel()
    before = sys.getrefcount(None)
    for number in range(SET_TEXT_CALLS):
        label.setText(str(number))
    after = sys.getrefcount(None)
    assert label.text() == str(SET_TEXT_CALLS - 1)
    if "None" in qt_compat.guarded_singletons():
        assert before - after >= SET_TEXT_CALLS  # the binding really did drop them all...
        assert after > 1 << 39  # ...and what is left would take days more of them
    else:
        assert after >= before - 100  # a binding without the bug leaves None alone


def test_100000_emits_leave_true_far_from_zero(qapp: QApplication) -> None:
    signals = Signals()
    received: list[None] = []
    signals.fired.connect(lambda: received.append(None))
    before = sys.getrefcount(True)
    for _ in range(SET_TEXT_CALLS):
        signals.fired.emit()
    after = sys.getrefcount(True)
    assert len(received) == SET_TEXT_CALLS
    if "True" in qt_compat.guarded_singletons():
        assert before - after >= SET_TEXT_CALLS
        assert after > 1 << 39
    else:
        assert after >= before - 100


def test_a_second_guard_adds_nothing(qapp: QApplication) -> None:
    before = [sys.getrefcount(x) for x in (None, True, False)]
    assert qt_compat.guard_singleton_refcounts() == qt_compat.guarded_singletons()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    assert all(abs(b - a) < 1_000 for b, a in zip(before, after, strict=True))


def test_the_app_guards_its_own_qapplication() -> None:
    # A fresh process, as the app starts: this suite's QApplication is already guarded.
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QLabel\n"
        "from desktop.app import make_application\n"
        "from desktop.qt_compat import guarded_singletons\n"
        "app = make_application([])\n"
        "label = QLabel()\n"
        f"for _ in range({SET_TEXT_CALLS}):\n"
        "    label.setText('x')\n"
        "    label.windowTitleChanged.emit('x')\n"
        "print(','.join(sorted(guarded_singletons())), sys.getrefcount(None), "
        "sys.getrefcount(True))\n"
    )
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        cwd=Path(__file__).parents[2],  # where ``desktop`` imports from
    )
    assert run.returncode == 0, run.stderr[-800:]
    guarded, none_references, true_references = run.stdout.split()
    assert guarded == ",".join(sorted(qt_compat.guarded_singletons()))
    for name, references in (("None", none_references), ("True", true_references)):
        assert int(references) > (1 << 39 if name in guarded else 1_000)
