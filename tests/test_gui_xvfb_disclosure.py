"""Foreign disclosure windows on a real X display (Xvfb) at 1280x800 and 1920x1080: the export
dialog in its request state, the officer's main window with the release requests dock, the
review of a request, the originator authorizations dialog, and the export dialog once the
request is approved. Saves the screenshots (the folder is printed; run with -s) and checks each
window fits the screen and carries its banners top and bottom in the standard colours."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ANALYST, ANALYST_PW, OFFICER, OFFICER_PW, make_store

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui.app import load_style
    from hstc_desk.gui.exchange import ExportDialog
    from hstc_desk.gui.exchange import menu as exchange_menu
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session
    from hstc_desk.store import Store
    path, ana, ana_pw, dso, dso_pw, out = sys.argv[1:7]
    out = Path(out)
    load_style(app)
    screen = app.primaryScreen().availableGeometry()

    def settle():
        for _ in range(10):
            app.processEvents()

    def save(widget, name):
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print(name, widget.width(), widget.height(), widget.frameGeometry().bottom(), flush=True)

    analyst = Store.open(path, ana, ana_pw)
    dlg = ExportDialog(analyst)
    dlg.show()
    dlg.destination.setCurrentIndex(dlg.destination.findData("GBR"))
    dlg.case_id.setText(analyst.conn.execute(
        "SELECT case_id FROM items WHERE case_id IS NOT NULL GROUP BY case_id "
        "ORDER BY count(*) DESC LIMIT 1").fetchone()[0])
    dlg.preview()
    save(dlg, "export_preview")
    assert dlg.request_release(), dlg.status.text()
    save(dlg, "export_request")
    dlg.close()
    analyst.close()

    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(Store.open(path, dso, dso_pw)), settings)
    w.ask_before_quit = False
    w.move(0, 0)
    w.resize(screen.width(), screen.height())
    w.show()
    save(w, "main_queue")
    w.disclosure.queue.table.selectRow(0)
    view = w.disclosure.review()
    view.move(20, 20)
    save(view, "review")
    view.approve()
    save(view, "review_approved")
    view.close()
    auth = exchange_menu.open_authorize(w)
    save(auth, "authorize")
    auth.close()
    w.close()

    analyst = Store.open(path, ana, ana_pw)
    dlg = ExportDialog(analyst)
    dlg.show()
    save(dlg, "export_approved")
    dlg.close()
    analyst.close()
    app.quit()
""")
WINDOWS = ("export_preview", "export_request", "main_queue", "review", "review_approved",
           "authorize", "export_approved")
BANNER_COLOURS = {"#007a33", "#0033a0", "#c8102e", "#ff8c00", "#fce83a"}


def shoot(size: str, store: Path, out: Path) -> dict[str, list[int]]:
    script = out / "shoot.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, str(script),
         str(store), ANALYST, ANALYST_PW, OFFICER, OFFICER_PW, str(out)],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {line.split()[0]: [int(v) for v in line.split()[1:]]
            for line in proc.stdout.splitlines() if line.split()}


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_disclosure_windows_under_xvfb(size: str, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    from PySide6.QtGui import QImage

    store = make_store(tmp_path / "store", items=600, seed=5)
    out = tmp_path / f"shots-{size}"
    out.mkdir()
    print(f"screenshots in {out}")
    shown = shoot(size, store, out)
    width, height = (int(v) for v in size.split("x"))
    for name in WINDOWS:
        assert (out / f"{name}.png").stat().st_size > 5000, name
        w, h, bottom = shown[name]
        assert w <= width and bottom < height, f"{name} ({w}x{h}) does not fit {size}"
        image = QImage(str(out / f"{name}.png"))
        x = image.width() // 2
        top = {image.pixelColor(x, y).name() for y in range(0, 40)}
        low = {image.pixelColor(x, y).name() for y in range(image.height() - 40, image.height())}
        assert top & BANNER_COLOURS and low & BANNER_COLOURS, f"{name}: no banner top and bottom"
