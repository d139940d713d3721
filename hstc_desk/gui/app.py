"""The ``hstc-desk`` entry point: unlock a store, then open the main window on it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from hstc_desk import __version__
from hstc_desk.gui.style import load_style

ORG, APP = "HSTC", "HSTC Desk"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--figure"]:
        # `hstc figure` in the offline bundle: the one executable renders the figure offscreen
        # (from source, the command runs hstc_desk.gui.movement.figure_main with -m instead).
        from hstc_desk.gui.movement.figure_main import main as render_figure

        return render_figure(argv[1:])
    parser = argparse.ArgumentParser(prog="hstc-desk", description="HSTC Desk analyst workstation")
    parser.add_argument("store", nargs="?", default="", help="store folder to unlock")
    parser.add_argument("--user", default="", help="user name to fill in")
    parser.add_argument("--settings", default="", help="keep settings in this INI file")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--smoke", action="store_true",
                        help="check this install without a display: unlock STORE as --user "
                        "(password from --password-file or $HSTC_PASSWORD) on the offscreen "
                        "platform, paint the first page, exit 0")
    parser.add_argument("--password-file", default="", help="with --smoke: the password's file")
    args, qt_args = parser.parse_known_args(argv)
    if args.smoke:
        from hstc_desk.gui.smoke import run

        return run(args.store, args.user, args.password_file, args.settings)

    from hstc_desk.gui.qt_check import problem

    if message := problem():
        print(f"hstc-desk: {message}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationVersion(__version__)
    load_style(app)

    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session
    from hstc_desk.gui.session.unlock_dialog import UnlockDialog

    settings = (QSettings(args.settings, QSettings.Format.IniFormat) if args.settings
                else QSettings())
    recent = [str(p) for p in (settings.value("recent_stores") or []) if p]
    store_path = str(Path(args.store).resolve()) if args.store else (recent[0] if recent else "")
    dialog = UnlockDialog(recent, store_path=store_path,
                          user=args.user or str(settings.value("last_user", "")))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.store is None:
        return 1
    settings.setValue("recent_stores", dialog.flow.recent)
    settings.setValue("last_user", dialog.store.user.name)
    window = MainWindow(Session(dialog.store), settings)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
