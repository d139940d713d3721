"""``drafting_window_open`` in the ``products`` section of ``hstc bench`` (offscreen): opening the
drafting window on the bench product (200 portions, 10 figures with their PNG images) held in a
store, from the store read to the first painted frame, beside a raw baseline in the same run:
the same product read from the same store with its image bytes, and its portions shown as
one-line strings in a bare QListWidget, painted. Target: under 300 ms.

Called by hstc_desk.bench.products_bench (which never imports Qt) as
``run(store, work, product, images)``."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from hstc_desk.domain.products import Product
from hstc_desk.store import TEST_KDF, Store, product_images, products

USER, PASSWORD = "analyst", "bench drafting pass phrase"
REPEAT = 7


def _bench_store(work: Path, product: Product, images: dict[str, bytes]) -> Path:
    """A store holding ``product`` (as it is: an approved version) and its images. Its KDF is
    the test one: what is measured is the window, not the unlock."""
    path = work / "drafting-bench"
    with Store.create(path, "admin", PASSWORD, kdf=TEST_KDF) as s:
        s.add_user(USER, PASSWORD, "analyst", kdf=TEST_KDF)
    with Store.open(path, USER, PASSWORD) as s:
        marks = {p.image_sha256: p.marking for p in product.figures() if p.image_sha256}
        for sha, png in images.items():
            product_images.put_image(s, png, marking=marks.get(sha, product.marking()))
        with s.transaction() as conn:
            conn.execute(products.INSERT, products.product_row(product))
    return path


def _times(fn: Any) -> dict[str, float]:
    fn()  # warm: imports, fonts, the first style polish
    runs = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(runs), 1), "worst_ms": round(max(runs), 1)}


def run(_store: Store, work: Path, product: Product, images: dict[str, bytes]
        ) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the app is made
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QListWidget

    from hstc_desk.domain.product_portions import portion_summary
    from hstc_desk.gui.products.drafting_window import DraftingWindow
    from hstc_desk.gui.session.session import Session

    def quiet(_mode: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:  # the offscreen platform's, not ours
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication(["hstc-bench"])
    path = _bench_store(work, product, images)
    session = Session(Store.open(path, USER, PASSWORD))
    try:
        def window() -> None:
            w = DraftingWindow(session, product_id=product.id)
            w.ask_before_close = False
            w.resize(1280, 800)
            w.show()
            app.processEvents()
            w.grab()  # painted in full
            rows = w.model.rowCount()
            w.close()
            w.deleteLater()
            app.processEvents()
            assert rows == len(product.portions)

        def raw() -> None:
            p = products.get(session.store, product.id)
            for f in p.figures():  # the window reads every image too
                product_images.get_image(session.store, f.image_sha256 or "")
            bare = QListWidget()
            bare.addItems([portion_summary(x) for x in p.portions])
            bare.resize(1280, 800)
            bare.show()
            app.processEvents()
            bare.grab()
            bare.close()
            bare.deleteLater()
            app.processEvents()

        ours, bare = _times(window), _times(raw)
        typing = _typing(app, session, product.id)
    finally:
        session.close()
        qInstallMessageHandler(previous)
    return {"ms": ours["median_ms"], "worst_ms": ours["worst_ms"],
            "raw_ms": bare["median_ms"],
            "ratio": round(ours["median_ms"] / bare["median_ms"], 2) if bare["median_ms"]
            else None,
            "target": "< 300 ms", "portions": len(product.portions),
            "figures": len(product.figures()),
            "raw": "the product and its image bytes read from the store, its portions as "
                   "one-line strings in a bare QListWidget, painted",
            "keystroke": typing}


def _typing(app: Any, session: Any, product_id: str) -> dict[str, Any]:
    """A key typed into a paragraph of that product: the undo step, the tearline and
    lowering rules, the banner's roll-up and the row's repaint, each keystroke."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from hstc_desk.gui.products.drafting_window import DraftingWindow

    w = DraftingWindow(session, product_id=product_id)
    w.ask_before_close = False
    w.autosave_timer.setInterval(3_600_000)  # typing alone, no save in between
    w.resize(1280, 800)
    w.show()
    app.processEvents()
    row = next(i for i, e in enumerate(w.state.entries) if e.kind == "paragraph")
    w.list.setCurrentIndex(w.model.index(row))
    w.editor.paragraph.text.setFocus()
    w.editor.paragraph.text.moveCursor(w.editor.paragraph.text.textCursor().MoveOperation.End)
    runs = []
    for n in range(40):
        t = time.perf_counter()
        QTest.keyClick(w.editor.paragraph.text, Qt.Key.Key_A if n % 5 else Qt.Key.Key_Space)
        app.processEvents()
        runs.append((time.perf_counter() - t) * 1000)
    w.close()
    w.deleteLater()
    app.processEvents()
    return {"median_ms": round(statistics.median(runs), 2), "worst_ms": round(max(runs), 2),
            "keys": len(runs), "target": "reported (a key should feel instant: < 16 ms)"}
