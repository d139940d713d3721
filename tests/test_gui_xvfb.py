"""Every window on a real X display (Xvfb) at 1280x800 and 1920x1080: the main window with both
docks, the editor, every dialog and the lock screen. Saves the screenshots (the folder is
printed; run with -s to see it) and checks what a person would see first: the window fits the
screen, the banners top and bottom are in the standard colours, the Title column is readable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui import help_dialogs
    from hstc_desk.gui.exchange import menu as exchange_menu
    from hstc_desk.gui.app import load_style
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session
    from hstc_desk.gui.session.unlock_dialog import UnlockDialog
    store, user, password, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    load_style(app)
    screen = app.primaryScreen().availableGeometry()

    def settle():
        for _ in range(8):
            app.processEvents()

    def save(widget, name):
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print(name, widget.width(), widget.height(), widget.frameGeometry().bottom(), flush=True)

    dialog = UnlockDialog([], store_path=store, user=user)
    dialog.show()
    settle()
    dialog.ui.passwordEdit.setText("wrong")
    dialog.unlock()
    save(dialog, "unlock")
    dialog.ui.passwordEdit.setText(password)
    dialog.unlock()
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(dialog.store), settings)
    w.ask_before_quit = False
    w.move(0, 0)
    w.resize(screen.width(), screen.height())
    w.show()

    def shoot():
        w.browser.view.selectRow(1)
        save(w, "main")
        hh = w.browser.view.horizontalHeader()
        print("title", hh.sectionSize(1), flush=True)
        app.primaryScreen().grabWindow(0).save(str(out / "screen.png"))
        w.browser.filters.search.setText("smuggling")
        w.browser.filters._emit()
        w.browser.view.selectRow(0)
        save(w, "main_search")
        w.browser.filters.search.setText("")
        w.browser.filters._emit()
        settle()
        w.movement.show_workspace()
        save(w, "main_movement")
        w.movement.timeline_dock.hide()
        w.movement.map_dock.hide()
        settle()
        for name, make in (
                ("editor", lambda: w.edit_item(w.detail.item.id)),
                ("editor_new", lambda: w.new_item("report")),
                ("link", lambda: w.link_item(w.detail.item.id)),
                ("export", lambda: exchange_menu.open_export(w)),
                ("import", lambda: exchange_menu.open_import(w)),
                ("keys", lambda: exchange_menu.open_keys(w)),
                ("conflicts", lambda: exchange_menu.open_conflicts(w)),
                ("audit", w.show_audit),
                ("settings", w.edit_settings),
                ("help_shortcuts", lambda: help_dialogs.open_shortcuts(w)),
                ("help_guide", lambda: help_dialogs.open_guide(w)),
                ("help_about", lambda: help_dialogs.open_about(w))):
            window = make()
            save(window, name)
            window.close()
            settle()
        w.lock()
        save(w, "locked")
        w.close()
        app.quit()

    QTimer.singleShot(500, shoot)
    app.exec()
""")
DIALOGS = ("editor", "editor_new", "link", "export", "import", "keys", "conflicts", "audit",
           "settings", "help_shortcuts", "help_guide", "help_about")
BANNER_COLOURS = {"#007a33", "#0033a0", "#c8102e", "#ff8c00", "#fce83a"}


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_every_window_under_xvfb(size: str, demo_copy: Path, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    from PySide6.QtGui import QImage

    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    out = tmp_path / f"shots-{size}"
    out.mkdir()
    print(f"screenshots in {out}")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, str(script),
         str(demo_copy), ANALYST, ANALYST_PW, str(out)],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = {line.split()[0]: [int(v) for v in line.split()[1:]]
             for line in proc.stdout.splitlines() if line.split()}
    width, height = (int(v) for v in size.split("x"))
    for name in ("unlock", "main", "main_search", "main_movement", "screen", "locked", *DIALOGS):
        assert (out / f"{name}.png").stat().st_size > 5000, name
    for name in ("main", "main_movement", "locked", *DIALOGS):
        w, h, bottom = shown[name]
        assert w <= width and bottom < height, f"{name} ({w}x{h}) does not fit {size}"
        image = QImage(str(out / f"{name}.png"))
        x = image.width() // 2
        top = {image.pixelColor(x, y).name() for y in range(0, 40)}
        low = {image.pixelColor(x, y).name() for y in range(image.height() - 40, image.height())}
        assert top & BANNER_COLOURS and low & BANNER_COLOURS, f"{name}: no banner top and bottom"
    assert shown["title"][0] >= 300, f"Title column {shown['title'][0]} px at {size}"
    main = QImage(str(out / "main.png"))
    x = main.width() // 4
    top = {main.pixelColor(x, y).name() for y in range(0, 80)}
    bottom = {main.pixelColor(x, y).name() for y in range(main.height() - 80, main.height())}
    assert "#fce83a" in top and "#fce83a" in bottom  # TOP SECRET with SCI: yellow banners
