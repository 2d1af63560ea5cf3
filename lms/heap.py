"""The worker's heap after start-up, frozen (issue 12).

A worker holds some 200,000 long-lived Python objects once the app is built (modules,
SQLAlchemy mappers, templates, catalogues). A page of a large course allocates many objects
that live for the whole request (rows, cells), which makes CPython run full (generation 2)
collections, each walking every one of those long-lived objects: on a grid page that was
about half of its CPU time. `gc.freeze()` moves the objects present at start-up to a
permanent generation that collections skip (the pattern the CPython docs give for forking
servers; it also keeps those pages shared between workers). Objects made afterwards are
collected as before, so nothing leaks that would not leak anyway.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then freeze every object left: call after the app is built (and warmed
    up), before serving. Returns the number of objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
