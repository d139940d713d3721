"""The Exchange menu of the main window: export, verify and import bundles, keys, conflicts,
and foreign releases (the release requests dock, originator authorizations)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDockWidget, QMenuBar, QVBoxLayout, QWidget

from hstc_desk.gui.browser.item_browser import ItemBrowser
from hstc_desk.gui.exchange import ConflictsDialog, ExportDialog, ImportDialog, TrustedKeysPage
from hstc_desk.gui.exchange.disclosure_authorize import AuthorizeDialog
from hstc_desk.gui.exchange.disclosure_desk import DisclosureDesk
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.widgets.banner import Banners, clearance_banner


class MainWindow(Protocol):
    """What the menu uses of the main window (which installs it: so never imported here)."""

    browser: ItemBrowser
    session: Session
    detail_dock: QDockWidget

    def menuBar(self) -> QMenuBar: ...

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...


def _selected_ids(window: MainWindow) -> tuple[str, ...] | None:
    """The ids of the rows the analyst selected in the browser (two or more), else None."""
    rows = {i.row() for i in window.browser.view.selectionModel().selectedRows()}
    if len(rows) < 2:
        return None
    return tuple(window.browser.model.item_id(r) for r in sorted(rows))


def open_export(window: MainWindow) -> ExportDialog:
    dialog = ExportDialog(window.session.store, window, selection=_selected_ids(window))
    dialog.open()
    return dialog


def open_import(window: MainWindow) -> ImportDialog:
    dialog = ImportDialog(window.session.store, window)
    dialog.finished.connect(lambda _r: None if window.session.is_locked else  # closed store
                            window.browser.apply_filter(window.browser.filters.current()))
    dialog.open()
    return dialog


def open_keys(window: MainWindow) -> QDialog:
    dialog = QDialog(window)
    dialog.setWindowTitle("Trusted workstation keys")
    layout = QVBoxLayout(dialog)
    page: QWidget = TrustedKeysPage(window.session.store, dialog)
    layout.addWidget(page)
    Banners(dialog, clearance_banner(window.session.store.accreditation))  # the store at large
    dialog.resize(760, 420)
    dialog.open()
    return dialog


def open_conflicts(window: MainWindow) -> ConflictsDialog:
    dialog = ConflictsDialog(window.session.store, window)
    dialog.open()
    return dialog


def open_authorize(window: MainWindow) -> AuthorizeDialog:
    dialog = AuthorizeDialog(window.session.store, window)  # type: ignore[arg-type]
    dialog.open()
    return dialog


def install(window: MainWindow) -> DisclosureDesk:
    """Add the Exchange menu and the release requests dock; its actions always act on the
    window's current store."""
    menu = window.menuBar().addMenu("E&xchange")
    desk = DisclosureDesk(window)
    for text, fn, name in (
        ("&Export bundle…", open_export, "exportBundle"),
        ("&Verify and import bundle…", open_import, "importBundle"),
        ("&Trusted keys…", open_keys, "trustedKeys"),
        ("&Conflicts to resolve…", open_conflicts, "conflicts"),
    ):
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False, f=fn: f(window))
    menu.addSeparator()
    queue = desk.dock.toggleViewAction()
    queue.setText("&Release requests")
    queue.setObjectName("releaseRequests")
    menu.addAction(queue)
    action = menu.addAction("&Originator authorizations…")
    action.setObjectName("originatorAuthorizations")
    action.triggered.connect(lambda _checked=False: open_authorize(window))
    return desk
