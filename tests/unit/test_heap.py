"""The start-up heap is frozen: full collections skip it (lms/heap.py, issue 12)."""

from __future__ import annotations

import gc
from pathlib import Path

from lms.heap import freeze_startup_heap


def test_freeze_moves_the_startup_objects_out_of_the_collected_generations():
    gc.unfreeze()
    kept = [object() for _ in range(3)]  # noqa: F841 - alive across the freeze
    try:
        frozen = freeze_startup_heap()
        # frozen objects freed since (by the live server's thread, say) leave the count
        assert frozen > 0 and 0 < gc.get_freeze_count() <= frozen
        assert sum(gc.get_count()) < frozen
        # objects made afterwards are still collected
        cycle = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_wsgi_entry_point_freezes_after_building_the_app():
    source = Path("wsgi.py").read_text(encoding="utf-8")
    assert source.index("create_app()") < source.index("freeze_startup_heap()")
