"""Small timing helpers: medians of repeated runs, ratios against a raw baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_ms(fn: Callable[[], Any], *, repeat: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)


def compare(ours_ms: float, raw_ms: float, target: str) -> dict[str, Any]:
    """A figure beside its baseline; ratio is ours / raw (lower is faster)."""
    return {"ms": round(ours_ms, 3), "raw_ms": round(raw_ms, 3),
            "ratio": round(ours_ms / raw_ms, 3) if raw_ms else None, "target": target}
