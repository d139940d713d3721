"""The main window on a real X display (Xvfb): opens on a demo store and saves screenshots."""

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
    from hstc_desk.gui.app import load_style
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session import Session
    from hstc_desk.gui.unlock_dialog import UnlockDialog
    from hstc_desk.store import Store
    store, user, password, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    load_style(app)
    dialog = UnlockDialog([], store_path=store, user=user)
    dialog.show()
    app.processEvents()
    dialog.ui.passwordEdit.setText("wrong")
    dialog.unlock()
    app.processEvents()
    dialog.grab().save(str(out / "unlock.png"))
    dialog.ui.passwordEdit.setText(password)
    dialog.unlock()
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(dialog.store), settings)
    w.show()
    def shoot():
        w.browser.view.selectRow(1)
        app.processEvents()
        screen = app.primaryScreen().grabWindow(0)
        screen.save(str(out / "screen.png"))
        w.grab().save(str(out / "main.png"))
        editor = w.edit_item(w.detail.item.id)
        app.processEvents()
        editor.grab().save(str(out / "editor.png"))
        editor.close()
        w.lock()
        app.processEvents()
        w.grab().save(str(out / "locked.png"))
        w.close()
        app.quit()
    QTimer.singleShot(500, shoot)
    app.exec()
    print("screenshots", out)
""")


def test_main_window_under_xvfb(demo_copy: Path, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    out = tmp_path / "shots"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, str(script),
         str(demo_copy), ANALYST, ANALYST_PW, str(out)],
        capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("unlock", "main", "screen", "editor", "locked"):
        png = out / f"{name}.png"
        assert png.stat().st_size > 5000, name
    from PySide6.QtGui import QImage

    main = QImage(str(out / "main.png"))
    assert main.width() >= 1000
    x = main.width() // 4
    top = {main.pixelColor(x, y).name() for y in range(0, 80)}
    bottom = {main.pixelColor(x, y).name() for y in range(main.height() - 80, main.height())}
    assert "#fce83a" in top and "#fce83a" in bottom  # TOP SECRET with SCI: yellow banners
