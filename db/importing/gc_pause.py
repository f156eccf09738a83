"""Pausing Python's cycle collector while an import builds its rows.

Building 100,000 row lists makes the collector run hundreds of times, each time walking
every cell object already made: 0.3 s of a 0.6 s table pass on 100,000 rows. Row lists
hold cells, never themselves, so there are no cycles to collect in the meantime.

Turning the collector back on is not enough: everything made while it was off is young,
so the first collection after walks all of it (0.3-0.4 s after reading 100,000 rows, and
again after planning). So what is alive when the pause ends is moved to the oldest
generation without being walked (``gc.freeze`` then ``gc.unfreeze``, each a list splice):
young collections leave it alone, it is freed as usual when nothing refers to it any more,
and a cycle among it is still found by the next full collection.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cycle collection inside; nested and threaded uses restore the state once, last."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.freeze()
                gc.unfreeze()
                if _was_enabled:
                    gc.enable()
