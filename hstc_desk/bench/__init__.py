"""``hstc bench``: figures beside raw baselines measured in the same run."""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlcipher3

from hstc_desk import __version__
from hstc_desk.outputs import guard_work_folder

# Sections beyond "store": modules with ``run(store, work, n, progress) -> dict``, run over the
# store that section built. They are named, not imported: the browser section lives with the GUI
# (it drives real widgets on Qt's offscreen platform), and the core never imports the GUI.
EXTRA_SECTIONS = {"browser": "hstc_desk.gui.browser.bench_probe",
                  "exchange": "hstc_desk.bench.exchange_bench",
                  "trust": "hstc_desk.bench.trust_bench",  # signed audit (issue 12)
                  "visual": "hstc_desk.gui.movement.bench_visual",
                  "products": "hstc_desk.bench.products_bench",
                  "rekey": "hstc_desk.bench.rekey_bench",  # user removal's rekey (issue 12)
                  "memsec": "hstc_desk.bench.memory_security_bench"}  # cipher_memory_security


def run_cli(args: argparse.Namespace) -> int:
    import importlib

    from hstc_desk.bench import store_bench

    sections = {s.strip() for s in args.sections.split(",") if s.strip()} | {"store"}
    unknown = sections - {"store", *EXTRA_SECTIONS}
    if unknown:
        print(f"hstc: unknown bench section(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if args.items < 100:
        print("hstc: --items must be at least 100", file=sys.stderr)
        return 2
    work = guard_work_folder(args.dir) if args.dir else \
        Path(tempfile.mkdtemp(prefix="hstc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()

    def progress(n: int) -> None:
        if not args.json:
            print(f"\rbuilding: {n} items", end="", file=sys.stderr, flush=True)

    result: dict[str, Any] = {
        "version": __version__,
        "items": args.items,
        "machine": {"python": platform.python_version(), "cpus": _cpus(),
                    "sqlcipher": _cipher_version(), "sqlite": sqlcipher3.sqlite_version},
    }
    try:
        store, result["store"] = store_bench.run(work, args.items, progress=progress)
        try:
            for name, module in EXTRA_SECTIONS.items():
                if name in sections:
                    mod = importlib.import_module(module)
                    result[name] = mod.run(store, work, args.items, progress)
        finally:
            store.close()
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.time() - started, 1)
    if not args.json:
        print(file=sys.stderr)
    print(json.dumps(result, indent=2))
    return 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _cipher_version() -> str:
    conn = sqlcipher3.connect(":memory:")
    try:
        return conn.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        conn.close()
