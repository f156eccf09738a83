"""The importer's pause of the cycle collector leaves nothing it cannot collect after."""

from __future__ import annotations

import gc
import weakref

from db.importing.gc_pause import paused_gc


class _Holder:
    me: object


def test_a_cycle_made_during_a_pause_is_collected_after_it() -> None:
    with paused_gc(), paused_gc():  # nested, as the workflow's stages are
        holder = _Holder()
        holder.me = holder
        gone = weakref.ref(holder)
        del holder
        assert not gc.isenabled()
    gc.collect()
    assert gone() is None
