"""The release requests dock of the main window and the review windows it opens (issue 12
item 2). A disclosure officer's window opens with the queue showing (tabbed with the Details
dock); anyone can show it from the Exchange menu. On lock the queue lets go of the store and
hides (the main window closes the review windows); on resume it reads the store again."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from hstc_desk.exchange.authorizations import OFFICER
from hstc_desk.gui.exchange.disclosure_queue import DisclosureQueue
from hstc_desk.gui.exchange.disclosure_review import DisclosureReview
from hstc_desk.gui.session.session import Session


class MainWindow(Protocol):
    session: Session
    detail_dock: QDockWidget

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...


class DisclosureDesk(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self.window = window
        self.session = window.session
        self.queue = DisclosureQueue(self.session.store)
        self.dock = QDockWidget("Release requests", window,  # type: ignore[arg-type]
                                objectName="disclosureQueueDock")
        self.dock.setWidget(self.queue)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.detail_dock, self.dock)
        if self.session.user.role == OFFICER:
            self.dock.show()
            self.dock.raise_()
        else:
            self.dock.hide()
        self.queue.open_request.connect(self.review)
        self.session.locked.connect(self._locked)
        self.session.resumed.connect(lambda: self.queue.set_store(self.session.store))
        self.views: list[DisclosureReview] = []

    def _locked(self) -> None:
        self.queue.set_store(None)
        self.dock.hide()
        self.views = []

    def review(self, request_id: str | None = None) -> DisclosureReview | None:
        request_id = request_id or self.queue.selected_request()
        if not request_id:
            return None
        view = DisclosureReview(self.session.store, request_id,
                                self.window)  # type: ignore[arg-type]
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.decided.connect(lambda _id: self.queue.refresh())
        view.destroyed.connect(lambda _o=None, v=view: self._forget(v))
        self.views.append(view)
        view.show()
        return view

    def _forget(self, view: QWidget) -> None:
        self.views = [v for v in self.views if v is not view]
