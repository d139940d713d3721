"""The Users page and the forced password change under a real X display (Xvfb) at 1280x800 and
1920x1080, driven as an admin and a reset user would: screenshots of the page, its
confirmation, the one-time password, the add dialog, and the unlock's forced change; each
window fits the screen and the page carries its banners top and bottom."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hstc_desk.store import TEST_KDF, Store, user_lifecycle

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui.app import load_style
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session
    from hstc_desk.gui.session.unlock_dialog import UnlockDialog
    from hstc_desk.gui.session import password_change
    from hstc_desk.store import Store
    store, admin_pw, user, one_time, out = sys.argv[1:6]
    out = Path(out)
    load_style(app)
    screen = app.primaryScreen().availableGeometry()

    def settle():
        for _ in range(10):
            app.processEvents()

    def save(widget, name):
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        g = widget.frameGeometry()
        print(name, widget.width(), widget.height(), g.right(), g.bottom(), flush=True)

    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(Store.open(Path(store), "admin", admin_pw)), settings)
    w.ask_before_quit = False
    w.move(0, 0)
    w.resize(screen.width(), screen.height())
    w.show()

    def shoot():
        w.findChild(type(w.lock_action), "changePassword").trigger()
        own = w.own_password_dialog
        own.current.setText("wrong")
        own.new.setText("a new pass phrase here")
        own.confirm.setText("a new pass phrase here")
        own.change()
        save(own, "change_my_password")
        own.close()
        action = w.findChild(type(w.lock_action), "users")
        action.trigger()
        page = w.users_page
        page.move(40, 40)
        page.select(user)
        save(page, "users_page")
        seen = {}

        def fake_confirm(title, text, verb):
            box = QMessageBox(QMessageBox.Icon.Warning, title, f"<b>{title}</b>", parent=page)
            box.setInformativeText(text.replace(chr(10) * 2, "<br><br>"))
            box.addButton(verb, QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.show()
            save(box, "users_confirm_" + verb.split()[0].lower())
            box.close()
            return False
        page.confirm = fake_confirm
        page.select("sup")
        page.change_state("remove")
        page.select(user)
        page.reset_user()
        dialog = page.add_user()
        dialog.name.setText("newcomer")
        dialog.role.setCurrentText("analyst")
        dialog.password.setText("short")
        dialog.confirm.setText("short")
        dialog.add()
        save(dialog, "users_add")
        dialog.close()
        page.close()
        w.close()
        unlock = UnlockDialog([], store_path=store, user=user)
        unlock.show()
        unlock.ui.passwordEdit.setText(one_time)
        original = password_change.PasswordChangeDialog.exec

        def shoot_change(self):
            self.show()
            self.new.setText("abc")
            self.confirm.setText("abd")
            self.change()
            save(self, "forced_change")
            return 0
        password_change.PasswordChangeDialog.exec = shoot_change
        unlock.unlock()
        save(unlock, "forced_change_refused")
        app.quit()

    QTimer.singleShot(500, shoot)
    app.exec()
""")
BANNER_COLOURS = {"#007a33", "#0033a0", "#c8102e", "#ff8c00", "#fce83a"}
SHOTS = ("users_page", "users_confirm_remove", "users_add", "forced_change",
         "forced_change_refused", "change_my_password")


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_users_page_and_forced_change_under_xvfb(size: str, demo_copy: Path,
                                                 tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    from PySide6.QtGui import QImage

    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        one_time = user_lifecycle.reset(s, ANALYST).one_time_password
        user_lifecycle.disable(s, SUPERVISOR)
        user_lifecycle.enable(s, SUPERVISOR)
        for name, role in (("former", "analyst"), ("onleave", "supervisor")):
            s.add_user(name, f"{name} pass phrase 1", role, kdf=TEST_KDF)
        user_lifecycle.remove(s, "former")
        user_lifecycle.disable(s, "onleave")
    assert ANALYST_PW  # the analyst's own password no longer opens: the reset replaced it
    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    out = Path(os.environ.get("HSTC_USERS_SHOTS", tmp_path / f"shots-{size}")) / size
    out.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {out}")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, str(script),
         str(demo_copy), ADMIN_PW, ANALYST, one_time, str(out)],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = {line.split()[0]: [int(v) for v in line.split()[1:]]
             for line in proc.stdout.splitlines() if len(line.split()) == 5}
    width, height = (int(v) for v in size.split("x"))
    for name in SHOTS:
        assert (out / f"{name}.png").stat().st_size > 3000, name
        _w, _h, right, bottom = shown[name]
        assert right < width and bottom < height, f"{name} does not fit {size}"
    for name in ("users_page", "users_add"):
        image = QImage(str(out / f"{name}.png"))
        x = image.width() // 2
        top = {image.pixelColor(x, y).name() for y in range(0, 30)}
        low = {image.pixelColor(x, y).name() for y in range(image.height() - 30,
                                                             image.height())}
        assert top & BANNER_COLOURS and low & BANNER_COLOURS, f"{name}: no banners"
