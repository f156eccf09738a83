"""Work-arounds for bugs in the Qt binding, each switched on only by a probe that shows it.

PySide6 6.12.0 on Python 3.11 gives back references it never took to the singletons None,
True and False, which are not immortal before Python 3.12: when one's count reaches zero
the process aborts ("Fatal Python error: none_dealloc", "bool_dealloc"). Measured:

* every call to a Qt method that returns nothing (``setText``, ``resize``, ``setEnabled``,
  ``processEvents``...) costs None one; a Python slot that returns None costs nothing.
  The window starts with some 30,000 to 45,000 references to None; a bare script with
  a QLabel has about 5,000, and 20,000 ``setText`` calls in it abort.
* every ``signal.emit()`` costs True one (it returns True), and every ``disconnect`` that
  finds nothing to disconnect costs False one. The window starts with some 10,000
  references to True.
* every time a Python override that C++ calls for a QVariant (``data``, ``headerData``)
  returns None, None loses one. Overrides return ``empty_variant()`` instead of ``None``:
  it hands back None together with the reference the binding may drop. Not every call
  path drops it (a repaint's go through Qt's multiData and mostly do not), and an extra
  reference to None costs nothing, while a missing one is a crash: so every None handed
  back carries one.

``guard_singleton_refcounts()``, called wherever a QApplication is made, puts so many
references on each drained singleton that no session uses them up: the fix for the whole
process. ``empty_variant`` stays as the exact fix for its own path, so the models stay
right if the guard is ever taken out. All three are immortal from Python 3.12, and a
binding without the bug makes the probes come out false: then nothing is added.
"""

from __future__ import annotations

import ctypes
import sys
import warnings
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

_PROBE_CALLS = 8
# Enough that no session runs out: a million dropped references a second, far more than
# the window ever makes, would take twelve days to use them up; and nowhere near an
# overflow, which takes 2**63. Capped for a 32-bit build, where 1 << 40 does not fit in
# a Py_ssize_t.
_GUARD_REFERENCES = min(1 << 40, sys.maxsize >> 2)
_guarded: set[str] = set()


class _ProbeModel(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        return None


def _binding_drops_none() -> bool:
    if sys.version_info >= (3, 12):
        return False  # None is immortal: a dropped reference cannot free it.
    model = _ProbeModel()  # kept alive while its index is used
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        index.data(Qt.ItemDataRole.DisplayRole)
    return sys.getrefcount(None) <= before - _PROBE_CALLS


BINDING_DROPS_NONE = _binding_drops_none()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def empty_variant() -> object:
    """What a model override returns for "no data": None, safe to hand to Qt."""
    if BINDING_DROPS_NONE:
        _incref(None)
    return None


def _void_methods_drop_none() -> bool:
    """Whether a Qt method that returns nothing drops a reference to None.

    A QObject's ``setObjectName`` goes through the same generated wrapper as
    ``QLabel.setText`` (both measured: 50 calls, 50 references gone), and needs no
    QApplication, so the probe cannot abort a process that has none yet.
    """
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - _PROBE_CALLS


class _ProbeSignals(QObject):
    fired = Signal()


def _emit_drops_true() -> bool:
    """Whether ``signal.emit()`` drops a reference to the True it returns."""
    probe = _ProbeSignals()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_CALLS):
        probe.fired.emit()
    return sys.getrefcount(True) <= before - _PROBE_CALLS


def _failed_disconnect_drops_false() -> bool:
    """Whether a ``disconnect`` that finds nothing to disconnect drops a reference to the
    False it returns. It also warns: silenced here, where warnings may be errors."""
    probe = _ProbeSignals()
    before = sys.getrefcount(False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(_PROBE_CALLS):
            probe.fired.disconnect(_never_connected)
    return sys.getrefcount(False) <= before - _PROBE_CALLS


def _never_connected() -> None:
    pass


# Each singleton with the probe that shows the binding draining it.
_PROBES: dict[str, tuple[object, Callable[[], bool]]] = {
    "None": (None, _void_methods_drop_none),
    "True": (True, _emit_drops_true),
    "False": (False, _failed_disconnect_drops_false),
}


def _refcount_field(singleton: object) -> ctypes.c_ssize_t | None:
    """The singleton's ``ob_refcnt``, as a ctypes view that writes straight into it, or None
    when this interpreter's layout is not the one relied on.

    On CPython ``id()`` is the object's address, and a PyObject starts with
    ``Py_ssize_t ob_refcnt`` on every release build, debug builds included; only a
    ``--with-trace-refs`` build puts two list pointers before it, and only such a build
    has ``sys.getobjects``. The field is a Py_ssize_t, hence c_ssize_t and not c_long:
    on 64-bit Windows a long is 32 bits while Py_ssize_t is 64.
    """
    if sys.implementation.name != "cpython" or hasattr(sys, "getobjects"):
        return None
    field = ctypes.c_ssize_t.from_address(id(singleton))
    # The field must read as the reference count (getrefcount adds its own argument);
    # anything else means a layout not described above, and writing would corrupt memory.
    if abs(field.value - (sys.getrefcount(singleton) - 1)) > 2:
        return None
    return field


def guard_singleton_refcounts() -> frozenset[str]:
    """Make None, True and False safe from the binding's dropped references, for the rest
    of the process; returns the names of those that now carry extra references.

    Call it once a QApplication exists; calling it again adds nothing. Only a singleton
    its probe shows being drained gets the references, so on Python 3.12+ (where all
    three are immortal) or a binding without the bug nothing changes.
    """
    if sys.version_info >= (3, 12):
        return frozenset()
    for name, (singleton, drains) in _PROBES.items():
        if name in _guarded or not drains():
            continue
        field = _refcount_field(singleton)
        if field is None:
            continue
        # A read, an add and a write: a reference another thread took or dropped in
        # between would be lost, which is a rounding error beside the margin.
        field.value += _GUARD_REFERENCES
        _guarded.add(name)
    return frozenset(_guarded)


def guarded_singletons() -> frozenset[str]:
    return frozenset(_guarded)
