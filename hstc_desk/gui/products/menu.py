"""The Products menu of the main window and the supervisors' review queue dock.

New draft… and Open product… (the drafting window for a draft one may edit, the review view for
the rest); Review queue (shows or hides the dock); History… and Print / Export PDF… act on the
product of the active review view, else the one selected in the queue, else ask which; Verify
PDF… checks a product PDF file as `hstc report verify --store` does. A supervisor's
window opens with the queue showing (tabbed with the Details dock); everyone can open it.

On lock the dock lets go of the store (its rows are emptied) and hides; the main window closes
every review window and dialog (``put_away``); on resume the dock reads the store again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMenuBar, QMessageBox, QWidget

from hstc_desk.gui.products.queue_dock import ReviewQueue
from hstc_desk.gui.products.review_open import OpenProductDialog
from hstc_desk.gui.session.session import Session
from hstc_desk.store import products as store_products
from hstc_desk.store.errors import NotFound, PermissionDenied, StoreError

if TYPE_CHECKING:  # the windows themselves load when first opened (reportlab, PDFium)
    from hstc_desk.gui.products.history_dialog import HistoryDialog
    from hstc_desk.gui.products.referral_dialog import ReferralDialog
    from hstc_desk.gui.products.review_export import ExportPdfDialog
    from hstc_desk.gui.products.review_verify import VerifyPdfDialog
    from hstc_desk.gui.products.review_view import ReviewView


class MainWindow(Protocol):
    """What the menu uses of the main window (which installs it: so never imported here)."""

    session: Session
    detail_dock: QDockWidget

    def menuBar(self) -> QMenuBar: ...

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...


class ProductsDesk:
    """The menu's actions and the windows they open, for one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = window.session
        self.views: list[ReviewView] = []
        self.queue = ReviewQueue(self.session.store)
        self.dock = QDockWidget("Review queue", window, objectName="reviewQueueDock")  # type: ignore[arg-type]
        self.dock.setWidget(self.queue)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.detail_dock, self.dock)
        if self.session.user.role == "supervisor":
            self.dock.show()
            self.dock.raise_()
        else:
            self.dock.hide()
        self.queue.open_product.connect(self.review)
        self.queue.open_referral.connect(self.responses)
        self.session.locked.connect(self._locked)
        self.session.resumed.connect(self._resumed)

    @property
    def parent(self) -> QWidget:
        return self.window  # type: ignore[return-value]

    # ---- lock ----

    def _locked(self) -> None:
        self.queue.set_store(None)
        self.dock.hide()
        self.views = []

    def _resumed(self) -> None:
        self.queue.set_store(self.session.store)

    # ---- which product ----

    def current_product(self) -> tuple[str, int | None] | None:
        """The active review view's product and version, else the queue's selected one."""
        active = QApplication.activeWindow()
        for view in reversed(self.views):
            if view is active:
                return view.product_id, view.product.version
        for view in reversed(self.views):
            if view.isVisible():
                return view.product_id, view.product.version
        pid = self.queue.selected_product()
        return None if pid is None else (pid, None)

    def _with_product(self, action: str, then: Callable[[str], object]) -> object:
        current = self.current_product()
        if current is not None:
            return then(current[0])
        dialog = OpenProductDialog(self.session.store, then, action=action, parent=self.parent)
        dialog.open()
        return dialog

    # ---- actions ----

    def new_draft(self) -> object:
        from hstc_desk.gui.products.drafting_window import open_draft

        return open_draft(self.session, parent=self.parent)

    def open_product(self) -> OpenProductDialog:
        dialog = OpenProductDialog(self.session.store, self.open_by_id, parent=self.parent)
        dialog.open()
        return dialog

    def open_by_id(self, product_id: str) -> object:
        from hstc_desk.gui.products.drafting_window import open_draft

        """A draft the user may edit opens in the drafting window; the rest in the review."""
        store = self.session.store
        try:
            product = store_products.get(store, product_id)
        except NotFound as exc:
            self._refused("Open product", exc)
            return None
        may_edit = store.user.role in store_products.AUTHORS
        if product.status == "draft" and may_edit:
            return open_draft(self.session, product_id=product_id, parent=self.parent)
        return self.review(product_id)

    def review(self, product_id: str, version: int | None = None) -> ReviewView | None:
        from hstc_desk.gui.products.review_view import ReviewView

        if not product_id:
            return None
        try:
            view = ReviewView(self.session.store, product_id, version=version,
                              parent=self.parent, open_draft=self._edit_draft,
                              open_history=self.history_of,
                              open_export=self.export_of, open_responses=self.responses)
        except (NotFound, StoreError) as exc:
            self._refused("Review", exc)
            return None
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.changed.connect(lambda _pid: self.queue.refresh())
        view.destroyed.connect(lambda _obj=None, v=view: self._forget(v))
        self.views.append(view)
        view.show()
        return view

    def _forget(self, view: ReviewView) -> None:
        self.views = [v for v in self.views if v is not view]

    def _edit_draft(self, product_id: str) -> object:
        from hstc_desk.gui.products.drafting_window import open_draft

        try:
            return open_draft(self.session, product_id=product_id, parent=self.parent)
        except (NotFound, PermissionDenied, StoreError) as exc:
            self._refused("Edit draft", exc)
            return None

    def history(self) -> object:
        return self._with_product("History of", self.history_of)

    def _refused(self, title: str, exc: Exception) -> None:
        """Say why, without blocking: the analyst's other windows stay usable."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, str(exc),
                          QMessageBox.StandardButton.Ok, self.parent)
        box.setObjectName("productsRefused")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_refusal = box

    def history_of(self, product_id: str) -> HistoryDialog | None:
        from hstc_desk.gui.products.history_dialog import HistoryDialog

        try:
            dialog = HistoryDialog(self.session.store, product_id, self.parent,
                                   open_version=lambda pid, v: self.review(pid, v))
        except (NotFound, StoreError) as exc:
            self._refused("Version history", exc)
            return None
        dialog.open()
        return dialog

    def export(self) -> object:
        current = self.current_product()
        if current is not None:
            return self.export_of(*current)
        return self._with_product("Export PDF of", self.export_of)

    def export_of(self, product_id: str, version: int | None = None) -> ExportPdfDialog | None:
        from hstc_desk.gui.products.review_export import ExportPdfDialog

        try:
            dialog = ExportPdfDialog(self.session.store, product_id, version, self.parent)
        except (NotFound, StoreError) as exc:
            self._refused("Print / Export PDF", exc)
            return None
        dialog.open()
        return dialog

    def verify_pdf(self) -> VerifyPdfDialog:
        from hstc_desk.gui.products.review_verify import VerifyPdfDialog

        dialog = VerifyPdfDialog(self.session.store, self.parent)
        dialog.open()
        return dialog

    def responses(self, product_id: str) -> ReferralDialog | None:
        from hstc_desk.gui.products.referral_dialog import ReferralDialog

        if not product_id:
            return None
        try:
            dialog = ReferralDialog(self.session.store, product_id, self.parent)
        except (NotFound, StoreError) as exc:
            self._refused("Referral responses", exc)
            return None
        dialog.finished.connect(lambda _r: None if self.session.is_locked else
                                self.queue.refresh())
        dialog.open()
        return dialog


def install(window: MainWindow) -> ProductsDesk:
    """Add the Products menu and the review queue dock; its actions act on the current store."""
    desk = ProductsDesk(window)
    menu = window.menuBar().addMenu("&Products")
    for text, fn, name, key in (
        ("&New draft…", desk.new_draft, "newDraft", "Ctrl+Shift+N"),
        ("&Open product…", desk.open_product, "openProduct", "Ctrl+Shift+O"),
        (None, None, "", None),
        ("&History…", desk.history, "productHistory", None),
        ("&Print / Export PDF…", desk.export, "exportPdf", "Ctrl+Shift+P"),
        ("&Verify PDF…", desk.verify_pdf, "verifyPdf", None),
    ):
        if text is None:
            queue = desk.dock.toggleViewAction()
            queue.setText("&Review queue")
            queue.setObjectName("reviewQueue")
            menu.addAction(queue)
            menu.addSeparator()
            continue
        action = menu.addAction(text)
        action.setObjectName(name)
        if key:
            action.setShortcut(key)
        action.triggered.connect(lambda _checked=False, f=fn: f())
    return desk
