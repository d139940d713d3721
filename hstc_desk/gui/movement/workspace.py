"""The Movement workspace: the timeline and the route map as docks of the main window, linked
to the browser, the detail pane and each other.

- A mark clicked on either view selects its item in the browser (and so the detail pane) and
  highlights it on the other view; an item made current in the browser is highlighted on both.
- The timeline's range brush sets the browser's date filter and the map's time range.
- The map's playback moves the timeline's cursor.
- View > Movement workspace shows both docks in a layout of their own (kept in QSettings, as
  the window's other docks are); each dock can also be shown alone.
- A lock empties both views (they hold nothing of the store) and hides them; the unlock draws
  them again from the store it opens.
- The views are made, and read the store, the first time either dock shows (or either view is
  asked for): the window opens without waiting for a timeline and a map nobody has opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow

from hstc_desk.gui.movement.map_view import MapView
from hstc_desk.gui.movement.timeline_view import TimelineView

if TYPE_CHECKING:
    from hstc_desk.gui.browser.item_browser import ItemBrowser
    from hstc_desk.gui.session.session import Session

WORKSPACE_KEY = "workspace/movement"


class MovementWorkspace(QObject):
    def __init__(self, window: QMainWindow, session: Session, browser: ItemBrowser,
                 show_item: Callable[[str], object], settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.session, self.browser, self.settings = window, session, browser, settings
        self.show_item = show_item  # the detail pane's
        self._views: tuple[TimelineView, MapView] | None = None
        self.timeline_dock = self._dock("Timeline", "timelineDock")
        self.map_dock = self._dock("Route map", "mapDock")
        window.splitDockWidget(self.timeline_dock, self.map_dock, Qt.Orientation.Horizontal)
        for dock in (self.timeline_dock, self.map_dock):
            dock.hide()  # the analyst opens them (View menu); a saved layout then wins
            dock.visibilityChanged.connect(self._dock_shown)

        self.browser.current_changed.connect(self._current_in_browser)
        session.locked.connect(self._locked)
        session.resumed.connect(self._resumed)

    def _dock(self, title: str, name: str) -> QDockWidget:
        dock = QDockWidget(title, self.window, objectName=name)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    @property
    def built(self) -> bool:
        return self._views is not None

    def _build(self) -> tuple[TimelineView, MapView]:
        if self._views is None:
            store = self.session.store
            timeline, route_map = TimelineView(store, self.window), MapView(store, self.window)
            self._views = (timeline, route_map)
            self.timeline_dock.setWidget(timeline)
            self.map_dock.setWidget(route_map)
            timeline.item_selected.connect(self._picked_on_timeline)
            route_map.item_selected.connect(self._picked_on_map)
            timeline.range_selected.connect(self._brushed)
            route_map.cursor_moved.connect(timeline.set_cursor)
        return self._views

    @property
    def timeline(self) -> TimelineView:
        return self._build()[0]

    @property
    def map(self) -> MapView:
        return self._build()[1]

    def _dock_shown(self, visible: bool) -> None:
        if visible and not self.session.is_locked:
            self._build()

    def install_menu(self, view_menu: object) -> None:
        """View menu: each dock alone, and the workspace (both, in its saved layout)."""
        menu = view_menu
        menu.addSeparator()  # type: ignore[attr-defined]
        menu.addAction(self.timeline_dock.toggleViewAction())  # type: ignore[attr-defined]
        menu.addAction(self.map_dock.toggleViewAction())  # type: ignore[attr-defined]
        action = menu.addAction("&Movement workspace")  # type: ignore[attr-defined]
        action.setObjectName("movementWorkspace")
        action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        action.triggered.connect(self.show_workspace)
        save = menu.addAction("Save this layout as the Movement workspace")  # type: ignore[attr-defined]
        save.setObjectName("saveMovementWorkspace")
        save.triggered.connect(self.save_workspace)
        self.workspace_action = action

    def show_workspace(self) -> None:
        state = self.settings.value(WORKSPACE_KEY)
        if state is not None and self.window.restoreState(state):
            return
        self.timeline_dock.show()
        self.map_dock.show()
        height = max(300, self.window.height() * 45 // 100)
        self.window.resizeDocks([self.timeline_dock], [height], Qt.Orientation.Vertical)

    def save_workspace(self) -> None:
        self.settings.setValue(WORKSPACE_KEY, self.window.saveState())
        self.settings.sync()

    # ---- linking ----------------------------------------------------------------------------

    def _picked_on_timeline(self, item_id: str) -> None:
        self.map.select(item_id)
        self.browser.select_item(item_id)
        self.show_item(item_id)

    def _picked_on_map(self, item_id: str) -> None:
        self.timeline.select(item_id)
        self.browser.select_item(item_id)
        self.show_item(item_id)

    def _current_in_browser(self, item_id: str) -> None:
        if self.built:
            self.timeline.select(item_id)
            self.map.select(item_id)

    def _brushed(self, t0: int, t1: int) -> None:
        self.map.set_range(t0, t1)
        days = [datetime.fromtimestamp(t, UTC).date().isoformat() for t in (t0, t1)]
        self.browser.filters.set_days(*days)

    # ---- lock -------------------------------------------------------------------------------

    def _locked(self) -> None:
        for dock in (self.timeline_dock, self.map_dock):
            dock.hide()
        if self.built:
            for view in (self.timeline, self.map):
                view.set_store(None)

    def _resumed(self) -> None:
        if self.built:
            store = self.session.store
            self.timeline.set_store(store)
            self.map.set_store(store)
