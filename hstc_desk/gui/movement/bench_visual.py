"""``hstc bench --sections visual``: the timeline and the route map, offscreen, beside a bare
pyqtgraph plot holding every point (no lanes, no level of detail) in the same run.

For each size (``--items`` / 100, / 10 and itself: ``--items 1000000`` gives 10,000, 100,000
and 1,000,000 events, with a fifth as many legs) a movement store is built, then: the time to
build each view from the store to its first painted frame; median and worst time to redraw
after a zoom step, a pan step and a filter change (each redraw painted in full with ``grab``);
the same zoom and pan steps on the bare plot; and the process's resident memory before and
after the views (and its peak so far), before the bare plot loads its points.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from hstc_desk.bench.movement_world import PASSWORD, USER, build_store
from hstc_desk.gui.movement.map_view import MapView
from hstc_desk.gui.movement.timeline_view import TimelineView
from hstc_desk.movement import query as mq
from hstc_desk.store import Store

STEPS = 12
SIZE = (1400, 800)


def _mib(field: str) -> float:
    """VmRSS (now) or VmHWM (the process's peak) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _times(steps: list[Callable[[], Any]]) -> dict[str, float]:
    runs = []
    for step in steps:
        t = time.perf_counter()
        step()
        runs.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(runs), 1), "worst_ms": round(max(runs), 1)}


def _zoom_steps(plot: pg.PlotWidget, t0: float, t1: float, paint: Callable[[], Any]
                ) -> list[Callable[[], Any]]:
    """In by halves towards the middle, then back out: STEPS steps."""
    mid, half = (t0 + t1) / 2, (t1 - t0) / 2
    spans = [half / 2 ** i for i in range(STEPS // 2)]
    spans += spans[::-1]

    def step(s: float) -> Callable[[], Any]:
        return lambda: (plot.setXRange(mid - s, mid + s, padding=0), paint())

    return [step(s) for s in spans]


def _pan_steps(plot: pg.PlotWidget, t0: float, t1: float, paint: Callable[[], Any]
               ) -> list[Callable[[], Any]]:
    """A window a tenth of the range, stepped right by a fifth of itself."""
    width = (t1 - t0) / 10
    starts = [t0 + (t1 - t0) * 0.3 + width * 0.2 * i for i in range(STEPS)]
    return [lambda a=a: (plot.setXRange(a, a + width, padding=0), paint()) for a in starts]


def _timeline(app: QApplication, store: Store) -> dict[str, Any]:
    t = time.perf_counter()
    view = TimelineView(store)
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    view.redraw()
    view.grab()
    built = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    while view._prefetch.isActive():  # idle: the view reads the finer widths ahead
        app.processEvents()
    ahead = (time.perf_counter() - t) * 1000
    t0, t1 = mq.extent(store, view.flt) or (0, 1)

    def paint() -> None:
        view.redraw()
        view.plot.grab()

    cpu = time.process_time()  # beside the wall clock: on a shared machine, what we spent
    zoom = _times(_zoom_steps(view.plot, t0, t1, paint))
    zoom["cpu_mean_ms"] = round((time.process_time() - cpu) * 1000 / STEPS, 1)
    cpu = time.process_time()
    pan = _times(_pan_steps(view.plot, t0, t1, paint))
    pan["cpu_mean_ms"] = round((time.process_time() - cpu) * 1000 / STEPS, 1)
    view.plot.setXRange(t0, t1, padding=0)
    kinds = [("event",), ("route_leg",), mq.KINDS, ("event", "report")]
    lanes = ["network", "case", "kind", "case"]

    def refilter(i: int) -> Callable[[], Any]:
        def go() -> None:
            if i % 2:  # every step a change: lanes network, case, kind, case, ...
                view.set_lanes(lanes[i // 2 % len(lanes)])  # type: ignore[arg-type]
            else:
                view.set_filter(replace(view.flt, kinds=kinds[i // 2 % len(kinds)]))
            view.plot.grab()
        return go

    cpu = time.process_time()
    flt = _times([refilter(i) for i in range(STEPS)])
    flt["cpu_mean_ms"] = round((time.process_time() - cpu) * 1000 / STEPS, 1)
    view._timer.stop()
    view.close()
    return {"build_ms": round(built, 1), "read_ahead_ms": round(ahead, 1), "zoom": zoom,
            "pan": pan, "filter": flt}


def _map(app: QApplication, store: Store) -> dict[str, Any]:
    t = time.perf_counter()
    view = MapView(store)
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    view.grab()
    built = (time.perf_counter() - t) * 1000
    modes = [None, "sea", "land", "air"]

    def refilter(i: int) -> Callable[[], Any]:
        def go() -> None:
            view.mode_box.setCurrentIndex(view.mode_box.findData(modes[i % len(modes)]))
            view.plot.grab()
        return go

    flt = _times([refilter(i) for i in range(STEPS)])
    t0, t1 = view._span

    def play(i: int) -> Callable[[], Any]:
        return lambda: (view.step_to(t0 + (t1 - t0) * (i + 1) // (STEPS + 1)), view.plot.grab())

    playback = _times([play(i) for i in range(STEPS)])
    view.set_range(None, None)  # playback ends: the whole range's legs for zoom and pan
    view.fit()
    app.processEvents()
    (x0, x1), _ = view.plot.getViewBox().viewRange()

    def paint() -> None:  # a zoom or a pan asks nothing of the store: only the view moves
        view.plot.grab()

    zoom = _times(_zoom_steps(view.plot, x0, x1, paint))
    pan = _times(_pan_steps(view.plot, x0, x1, paint))
    view.close()
    return {"build_ms": round(built, 1), "zoom": zoom, "pan": pan, "filter": flt,
            "playback_step": playback}


def _bare(app: QApplication, store: Store) -> dict[str, Any]:
    """Every event in one ScatterPlotItem and every leg in one PlotCurveItem: what drawing
    everything costs. The points are read before the clock starts."""
    rows = store.conn.execute("SELECT kind, t0, t1 FROM movement").fetchall()
    ev = np.array([r[1] for r in rows if r[0] != "route_leg"], dtype=float)
    legs = np.array([(r[1], r[2]) for r in rows if r[0] == "route_leg"], dtype=float)
    rng = np.random.default_rng(1)
    plot = pg.PlotWidget()
    plot.resize(*SIZE)
    plot.addItem(pg.ScatterPlotItem(ev, rng.integers(0, 24, len(ev)).astype(float), size=6,
                                    pen=None, brush=pg.mkBrush("#0072B2")))
    ly = np.repeat(rng.integers(0, 24, len(legs)).astype(float), 2)
    plot.addItem(pg.PlotCurveItem(legs.reshape(-1), ly, connect="pairs",
                                  pen=pg.mkPen("#E69F00", width=1)))
    plot.show()
    app.processEvents()
    t0, t1 = float(min(ev.min(), legs.min())), float(max(ev.max(), legs.max()))

    def paint() -> None:
        plot.grab()

    return {"zoom": _times(_zoom_steps(plot, t0, t1, paint)),
            "pan": _times(_pan_steps(plot, t0, t1, paint))}


def run(_store: Store, work: Path, n: int, progress: Callable[[int], None]) -> dict[str, Any]:
    app = QApplication.instance() or QApplication(["hstc-bench"])
    out: dict[str, Any] = {"sizes": {}, "targets": {
        "redraw": "median < 30 ms and worst < 100 ms at every size",
        "vs_bare_at_largest": "<= 0.25x the bare plot's redraw",
        "timeline_build_at_100k": "< 1000 ms", "views_memory_at_1M": "< 300 MB"}}
    for events in sorted({max(1000, n // 100), max(1000, n // 10), max(1000, n)}):
        path = work / f"visual-{events}"
        t = time.perf_counter()
        build_store(path, events)
        store_s = round(time.perf_counter() - t, 1)
        progress(events)
        with Store.open(path, USER, PASSWORD) as store:
            before = _mib("VmRSS")
            timeline = _timeline(app, store)
            routes = _map(app, store)
            memory = {"rss_before_views_mib": before, "rss_after_views_mib": _mib("VmRSS"),
                      "process_peak_mib": _mib("VmHWM")}
            bare = _bare(app, store)
        ratios = {k: round(timeline[k]["median_ms"] / bare[k]["median_ms"], 3)
                  for k in ("zoom", "pan") if bare[k]["median_ms"]}
        out["sizes"][str(events)] = {"store_build_s": store_s, "timeline": timeline,
                                     "map": routes, "bare": bare, "vs_bare": ratios,
                                     "memory": memory}
    return out
