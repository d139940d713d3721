"""Helpers shared by the GUI tests: a real store, a real main window, settings in tmp."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from hstc_desk.gui.main_window import MainWindow
from hstc_desk.gui.session.session import Session
from hstc_desk.store import Store

from conftest import ANALYST, ANALYST_PW


def open_window(qtbot, store_path: Path, tmp_path: Path, *, idle_minutes: float | None = None,
                user: str = ANALYST, password: str = ANALYST_PW) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    if idle_minutes is not None:
        settings.setValue("idle_minutes", idle_minutes)
    window = MainWindow(Session(Store.open(store_path, user, password)), settings)
    window.ask_before_quit = False
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window
