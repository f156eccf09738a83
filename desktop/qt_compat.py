"""Work-arounds for bugs in the Qt binding, each switched on only by a probe that shows it.

PySide6 6.12.0 on Python 3.11 drops one reference to None every time a Python override
that C++ calls for a QVariant (``data``, ``headerData``) returns None. None is not immortal
before Python 3.12, so a long session of repaints ends in "Fatal Python error: none_dealloc".
Overrides return ``empty_variant()`` instead of ``None``: it hands back None together with
the reference the binding may drop. Not every call path drops it (a repaint's go through
Qt's multiData and mostly do not), and an extra reference to None costs nothing, while a
missing one is a crash: so every None handed back carries one. A binding without the bug
makes the probe come out false and nothing is added.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

_PROBE_CALLS = 8


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
