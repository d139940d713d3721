"""The application's stylesheet (resources/style.qss), for the window, the smoke check and the
screenshot tests alike."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from hstc_desk.resources import resources_dir


def load_style(app: QApplication) -> None:
    qss = resources_dir() / "style.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
