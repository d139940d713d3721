"""``hstc-desk --smoke STORE --user NAME``: prove a built bundle works without a display.

Starts Qt on the offscreen platform, unlocks the store with the password from
``--password-file`` or ``$HSTC_PASSWORD`` (never a prompt), opens the main window, waits until the
browser has painted its first page into an image, prints one line saying what it saw, and exits 0.
Any failure prints one line on stderr and exits 1.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from hstc_desk.store import Store
from hstc_desk.store.errors import StoreError

FIRST_PAGE_TIMEOUT_S = 30.0


def _password(path: str) -> str:
    if path:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    value = os.environ.get("HSTC_PASSWORD")
    if value is None:
        raise ValueError("no password: set HSTC_PASSWORD or pass --password-file")
    return value


def run(store_path: str, user: str, password_file: str, settings_path: str) -> int:
    """The smoke check; returns the exit status."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from hstc_desk.gui.style import load_style

    app = QApplication.instance() or QApplication([sys.argv[0]])
    load_style(app)
    try:
        if not store_path or not user:
            raise ValueError("--smoke needs a STORE and --user")
        store = Store.open(Path(store_path), user, _password(password_file), where="smoke check")
    except (OSError, ValueError, StoreError) as exc:
        print(f"hstc-desk --smoke: {exc}", file=sys.stderr)
        return 1
    unlocked = time.perf_counter()

    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session

    settings = (QSettings(settings_path, QSettings.Format.IniFormat) if settings_path
                else QSettings(os.devnull, QSettings.Format.IniFormat))
    window = MainWindow(Session(store), settings)
    window.ask_before_quit = False
    window.resize(1280, 800)
    window.show()
    deadline = time.perf_counter() + FIRST_PAGE_TIMEOUT_S
    rows = 0
    while time.perf_counter() < deadline:
        app.processEvents()
        rows = window.browser.model.rowCount()
        if rows:
            break
        time.sleep(0.01)
    image = window.grab().toImage()
    painted = time.perf_counter()
    banner = window.top_banner.text()
    window.close()
    store.close()
    if not rows or image.isNull() or not banner:
        print(f"hstc-desk --smoke: the first page did not paint (rows {rows}, banner {banner!r})",
              file=sys.stderr)
        return 1
    print(f"smoke ok: {rows} rows on the first page under {banner}; "
          f"unlocked in {(unlocked - started) * 1000:.0f} ms, "
          f"first page painted {(painted - unlocked) * 1000:.0f} ms later", flush=True)
    return 0
