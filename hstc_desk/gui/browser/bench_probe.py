"""Timing of the item browser for ``hstc bench --sections browser`` (offscreen, no display).

Each GUI figure is set beside the bare query that feeds it, run on the same connection: the ratio
is what the model, the view and painting add.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView

from hstc_desk.gui.browser.item_browser import ItemBrowser
from hstc_desk.store import Store, browse
from hstc_desk.store.browse import BrowseFilter, Sort


def _ms(fn: Callable[[], Any], setup: Callable[[], Any] | None = None, repeat: int = 5) -> float:
    runs = []
    for i in range(repeat + 1):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        if i:  # the first run warms up
            runs.append((time.perf_counter() - t) * 1000)
    runs.sort()
    return runs[len(runs) // 2]


def _cmp(ours: float, raw: float, target: str = "<= 1.5x the bare query and <= 100 ms") -> dict:
    return {"ms": round(ours, 2), "raw_ms": round(raw, 2),
            "ratio": round(ours / raw, 2) if raw else None,
            "under_100_ms": ours <= 100.0, "target": target}


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _qt_alone(app: QApplication, w: ItemBrowser) -> float:
    """Milliseconds for Qt alone to show the same first page: a plain QTableView over a C++
    QStandardItemModel that already holds the page's strings (no query, no Python model, no
    filter bar). Bare query + this is the least any item browser could take."""
    rows = [[str(w.model.index(r, c).data() or "") for c in range(w.model.columnCount())]
            for r in range(min(256, w.model.rowCount()))]
    views: list[QTableView] = []
    models: list[QStandardItemModel] = []

    def prepare() -> None:  # outside the clock: the strings are already in a C++ model
        while views:
            views.pop().deleteLater()
        app.processEvents()
        model = QStandardItemModel(len(rows), len(rows[0]) if rows else 0)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                model.setItem(r, c, QStandardItem(text))
        models[:] = [model]

    def show() -> None:
        view = QTableView()
        view.setModel(models[0])
        models[0].setParent(view)
        view.resize(w.view.size())
        view.show()
        app.processEvents()
        views.append(view)

    took = _ms(show, setup=prepare)
    while views:
        views.pop().deleteLater()
    app.processEvents()
    return took


def _search_prefix(store: Store) -> str:
    """A word prefix that matches many items: what an analyst types first."""
    title = browse.page(store, BrowseFilter(), Sort(), limit=1, skip=7)[0].title
    word = max(title.replace(",", " ").split(), key=len)
    return word[:4].lower()


def probe(store: Store, n: int, progress: Any = None) -> dict[str, Any]:
    app = QApplication.instance() or QApplication(["hstc-bench"])
    total = browse.count(store, BrowseFilter())
    target_row = min(500_000, total - 1) if total < 1_000_000 else 500_000
    conn = store.conn
    out: dict[str, Any] = {"rows": total}

    # 1. unlock to first page shown: model (count + first block), view, paint
    holder: dict[str, ItemBrowser] = {}

    def first_page() -> None:
        w = ItemBrowser(store)
        w.resize(1200, 800)
        w.show()
        app.processEvents()
        assert w.model.index(0, 1).data()
        holder["w"] = w

    def drop() -> None:
        if "w" in holder:
            holder.pop("w").deleteLater()
            app.processEvents()

    def bare_first_page() -> None:
        browse.count(store, BrowseFilter())
        browse.page(store, BrowseFilter(), Sort())

    ours = _ms(first_page, setup=drop)
    bare = _ms(bare_first_page)
    out["first_page"] = _cmp(ours, bare)
    out["first_page"]["bare_query"] = "count(*) + first keyset page (256 rows, by date)"
    floor = _qt_alone(app, holder["w"])
    out["first_page"]["qt_view_alone_ms"] = round(floor, 2)
    out["first_page"]["floor_ratio"] = round((bare + floor) / bare, 2) if bare else None

    # 2. jump to row 500,000 with nothing cached near it
    w = holder["w"]
    view = w.view

    def fresh() -> None:
        w.browse_model.refresh()
        view.scrollToTop()
        app.processEvents()

    def jump() -> None:
        view.scrollTo(w.model.index(target_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        app.processEvents()
        assert w.model.index(target_row, 1).data()

    def bare_jump() -> None:
        browse.page(store, BrowseFilter(), Sort(), skip=target_row)

    ours = _ms(jump, setup=fresh)
    out["jump"] = _cmp(ours, _ms(bare_jump))
    out["jump"]["row"] = target_row
    out["jump"]["bare_query"] = "the page at that offset along the sort index"

    # 3. search as you type: first page of the prefix the analyst has typed
    prefix = _search_prefix(store)

    def type_search() -> None:
        w.filters.search.setText(prefix)
        w.filters._emit()
        app.processEvents()
        assert w.model is w.search_model

    def clear() -> None:
        w.filters.search.setText("")
        w.filters._emit()
        app.processEvents()

    def bare_search() -> None:
        rids = [r[0] for r in conn.execute(
            "SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC LIMIT 100",
            (browse.search_expr(prefix),))]
        conn.execute(f"SELECT rid, id, kind, title, marking FROM items WHERE rid IN "
                     f"({','.join('?' * len(rids))})", rids).fetchall()

    ours = _ms(type_search, setup=clear)
    out["search_as_you_type"] = _cmp(ours, _ms(bare_search))
    out["search_as_you_type"]["prefix"] = prefix
    out["search_as_you_type"]["matches_shown"] = w.search_model.rowCount()
    out["search_as_you_type"]["bare_query"] = "FTS5 prefix match, newest 100, joined to items"

    # 4. peak memory while browsing: jumps all over, sorts, scrolls
    clear()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM)
    rng = random.Random(1)
    started = time.perf_counter()
    for i, column in enumerate((4, 1, 2, 0, 3, 5)):
        w.browse_model.sort(column)
        for _ in range(25):
            view.scrollTo(w.model.index(rng.randrange(total), 0))
            app.processEvents()
        if progress:
            progress(i)
    for row in range(0, min(total, 10_000), 40):
        view.scrollTo(w.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        app.processEvents()
    out["memory"] = {"peak_rss_mb": round(_rss_kib("VmHWM") / 1024, 1),
                     "rss_mb": round(_rss_kib("VmRSS") / 1024, 1),
                     "blocks_cached": w.browse_model.window.blocks_cached,
                     "seconds": round(time.perf_counter() - started, 1),
                     "target": "peak < 400 MB while browsing"}
    w.deleteLater()
    app.processEvents()
    return out


def run(store: Store, work: Path, n: int, progress: Any = None) -> dict[str, Any]:
    """The ``browser`` section of ``hstc bench``: first page, a jump far down the list and
    search as you type, each beside the bare query that feeds it; and peak memory."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the app is made
    return probe(store, n, progress)
