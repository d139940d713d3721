"""The ``browser`` section of ``hstc bench``: the item browser's first page, a jump far down the
list, and search as you type, each beside the bare query that feeds it; and peak memory.

The Qt code lives in hstc_desk.gui.bench_probe and is imported here only when the section runs,
on Qt's offscreen platform (no display needed); the rest of the core stays Qt-free.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def run(store: Any, work: Path, n: int, progress: Any = None) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hstc_desk.gui.bench_probe import probe

    return probe(store, n, progress)
