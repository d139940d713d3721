"""Bulk work that builds many long-lived objects, with the cyclic garbage collector paused.

An import holds a few hundred thousand validated records at once. None of them form reference
cycles, yet every collection of the oldest generation walks all of them again: a quarter of an
import's time. Pausing the collector for the duration changes no result; it resumes (and catches
up on any cycles) when the outermost pause ends, on any thread.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
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
            if _depth == 0 and _was_enabled:
                gc.enable()
