"""The analyst's main window: it composes the parts, each of which owns one job.

Banners (system high) top and bottom; the item browser in the centre; the case tree and the detail
pane as docks the analyst can rearrange, and the Movement workspace's timeline and route map; a
status bar with user, role, store and lock countdown; the lock screen in place of the content
while locked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QWidget,
)

from hstc_desk.gui import help_dialogs
from hstc_desk.gui.admin import users_page
from hstc_desk.gui.admin.audit_viewer import AuditViewer, verdict_sentence
from hstc_desk.gui.browser.case_tree import CASE_ROLE, KIND_ROLE, CaseTreeModel
from hstc_desk.gui.browser.detail_pane import DetailPane
from hstc_desk.gui.browser.item_browser import ItemBrowser
from hstc_desk.gui.editing.editor import ItemEditor
from hstc_desk.gui.editing.link_dialog import LinkDialog
from hstc_desk.gui.exchange import menu as exchange_menu
from hstc_desk.gui.movement.workspace import MovementWorkspace
from hstc_desk.gui.products import menu as products_menu
from hstc_desk.gui.session.app_lock import LockKey, lock_holds, put_away
from hstc_desk.gui.session.clipboard import ClipboardGuard
from hstc_desk.gui.session.idle import IdleMonitor
from hstc_desk.gui.session.lock_screen import LockScreen
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.session.settings_dialog import SettingsDialog, preferences
from hstc_desk.gui.widgets.banner import BannerBar, clearance_banner
from hstc_desk.gui.widgets.icons import get_icon
from hstc_desk.gui.widgets.tasks import Task, TaskContext, run_task
from hstc_desk.store import browse, failed_unlocks, policy


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        store = session.store
        self.setWindowTitle(f"HSTC Desk — {store.path.name}")
        # The user's own times, never above the workstation policy kept in the store.
        idle_minutes, clipboard_seconds = preferences(settings, policy.load(store))
        self.guard = ClipboardGuard(clipboard_seconds, self)
        self.editors: list[ItemEditor] = []
        self._hidden_editors: list[ItemEditor] = []
        self.task: Task | None = None
        self.ask_before_quit = True

        # centre: banners around a stack of (browser, lock screen)
        system_high = clearance_banner(str(store.accreditation))
        self.top_banner = BannerBar(self, name="topBanner")
        self.bottom_banner = BannerBar(self, name="bottomBanner")
        for b in (self.top_banner, self.bottom_banner):
            b.set_marking(system_high)
        self.browser = ItemBrowser(store, self)
        self.lock_screen = LockScreen(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)
        # The banners sit in fixed tool bars, so they span the whole window, docks included.
        for banner, area in ((self.top_banner, Qt.ToolBarArea.TopToolBarArea),
                             (self.bottom_banner, Qt.ToolBarArea.BottomToolBarArea)):
            bar = QToolBar(self, objectName=f"{banner.objectName()}Bar")
            bar.setMovable(False)
            bar.setFloatable(False)
            bar.toggleViewAction().setEnabled(False)
            bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
            bar.setStyleSheet("QToolBar { border: 0; padding: 0; spacing: 0; }")
            banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            bar.addWidget(banner)
            self.addToolBar(area, bar)

        # docks
        self.detail = DetailPane(self.guard, self)
        self.detail.set_store(store)
        self.detail_dock = self._dock("Details", "detailDock", self.detail,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.case_model = CaseTreeModel(store, self)
        self.case_view = QTreeView(self, objectName="caseTree")
        self.case_view.setHeaderHidden(True)
        self.case_view.setModel(self.case_model)
        self.case_view.clicked.connect(self._case_clicked)
        self.case_dock = self._dock("Cases", "caseDock", self.case_view,
                                    Qt.DockWidgetArea.LeftDockWidgetArea)

        # status bar
        self.status_user = QLabel(self, objectName="statusUser")
        self.status_store = QLabel(self, objectName="statusStore")
        self.status_lock = QLabel(self, objectName="statusLock")
        self.progress = QProgressBar(self, objectName="taskProgress")
        self.progress.setMaximumWidth(200)
        self.cancel_button = QPushButton("Cancel", self, objectName="taskCancel")
        self.cancel_button.clicked.connect(self.cancel_task)
        for w in (self.status_user, self.status_store):
            self.statusBar().addWidget(w)
        for w in (self.progress, self.cancel_button, self.status_lock):
            self.statusBar().addPermanentWidget(w)
        self.progress.hide()
        self.cancel_button.hide()
        self._status()

        # idle lock
        self.idle = IdleMonitor(idle_minutes * 60, self)
        QApplication.instance().installEventFilter(self.idle)
        self.idle.idle.connect(self.lock)
        self.idle.tick.connect(self._tick)
        self._tick(self.idle.remaining())

        self.browser.current_changed.connect(self._show_current)
        self.detail.navigate.connect(self.browser.select_item)
        self.browser.filters.changed.connect(self._filters_changed)  # after the list's own slot
        self.detail.edit_requested.connect(self.edit_item)
        self.detail.link_requested.connect(self.link_item)
        self.lock_screen.resume_requested.connect(self.resume)
        self.session.locked.connect(self._on_locked)
        # after _on_locked above: the window keeps the dock layout, then the workspace hides
        self.movement = MovementWorkspace(self, session, self.browser, self.detail.show_item,
                                          settings)
        self._actions()
        # Ctrl+L from every window and dialog, modal ones too (a QAction shortcut cannot)
        self.lock_key = LockKey(self.lock_action.shortcut(), self)
        QApplication.instance().installEventFilter(self.lock_key)
        self.lock_key.pressed.connect(self.lock)
        self._lock_pending = False
        lock_holds().released.connect(self._lock_if_pending)
        self._initial_layout()
        self._restore()
        self.report_failed_unlocks()

    def _initial_layout(self) -> None:
        """A first size that fits the screen, and dock widths in proportion to it, so the list
        keeps a readable Title column from 1280x800 up (a saved layout then wins)."""
        screen = self.screen().availableGeometry()
        width, height = min(1400, screen.width()), min(860, screen.height())
        self.resize(width, height)
        self.resizeDocks([self.case_dock, self.detail_dock],
                         [max(180, min(280, width * 16 // 100)),
                          max(300, min(480, width // 4))], Qt.Orientation.Horizontal)

    def _dock(self, title: str, name: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _actions(self) -> None:
        def act(menu: Any, text: str, slot: Any, shortcut: Any = None, name: str = "") -> QAction:
            a = menu.addAction(text)
            a.triggered.connect(slot)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setObjectName(name or text)
            return a

        file = self.menuBar().addMenu("&File")
        self.new_action = act(file, "&New item…", lambda: self.new_item(), "Ctrl+N", "newItem")
        self.new_action.setIcon(get_icon("new-item"))
        self.lock_action = act(file, "&Lock", self.lock, "Ctrl+L", "lock")
        self.lock_action.setIcon(get_icon("lock"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        file.addSeparator()
        act(file, "&Audit records…", self.show_audit, None, "audit")
        act(file, "&Verify audit chain", self.verify_audit, None, "verifyAudit")
        users_page.install(self, file)  # File > Users…, for an admin (issue 12)
        act(file, "&Settings…", self.edit_settings, None, "settings")
        file.addSeparator()
        act(file, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quit")
        edit = self.menuBar().addMenu("&Edit")
        self.find_action = act(edit, "&Find", self.browser.filters.focus_search, "Ctrl+F", "find")
        self.find_action.setIcon(get_icon("search"))
        edit.addAction(self.browser.filters.clear_action)
        act(edit, "&Go to row…", self.go_to_row, "Ctrl+G", "goToRow")
        act(edit, "&Back", self.detail.back, "Alt+Left", "back")
        act(edit, "&Forward", self.detail.forward, "Alt+Right", "forward")
        self.disclosure = exchange_menu.install(self)  # Exchange menu, release requests dock
        self.products = products_menu.install(self)  # Products menu, review queue dock
        view = self.menuBar().addMenu("&View")
        view.addAction(self.detail_dock.toggleViewAction())
        view.addAction(self.case_dock.toggleViewAction())
        self.movement.install_menu(view)
        help_dialogs.install(self)  # last: the Help menu lists the shortcuts of all the others

    # ---- state kept in QSettings ----

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def may_quit(self) -> bool:
        """Each editor with unsaved edits asks Save / Discard / Cancel in turn and closes as
        answered; Cancel (or a save that fails) stops the quit with the rest kept open.

        While locked, quitting waits for the unlock: nothing can be saved without the key, and
        whoever is at a locked workstation has not shown they may throw the analyst's work away.
        """
        dirty = [e for e in self.editors if e.is_dirty()]
        if not dirty or not self.ask_before_quit:
            return True
        if self.session.is_locked:
            box = QMessageBox(QMessageBox.Icon.Information, "Unsaved edits",
                              f"{len(dirty)} editor(s) hold unsaved edits. Unlock first, then "
                              "save or discard them.", QMessageBox.StandardButton.Ok, self)
            box.setObjectName("quitWhileLockedBox")
            box.exec()
            return False
        for e in dirty:
            if not e.may_close():
                return False
            e.close()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_quit():
            event.ignore()
            return
        self.save_layout()
        QApplication.instance().removeEventFilter(self.idle)
        QApplication.instance().removeEventFilter(self.lock_key)
        for e in self.editors:
            e.close()
        self.guard.clear_if_ours()
        self.session.close()
        super().closeEvent(event)

    # ---- status ----

    def _status(self) -> None:
        user = self.session.user
        self.status_user.setText(f"{user.name} ({user.role}, cleared {user.clearance})")
        self.status_store.setText(str(self.session.path))

    def _tick(self, seconds: int) -> None:
        self.status_lock.setText(f"Locks in {seconds // 60}:{seconds % 60:02d}")

    # ---- lock and resume ----

    def lock(self) -> None:
        if self.session.is_locked:
            return
        if lock_holds().held:  # an export is writing: stop it, lock the moment it ends
            self._lock_pending = True
            lock_holds().ask_to_stop()
            return
        self.session.lock()

    def _lock_if_pending(self) -> None:
        if self._lock_pending:
            self._lock_pending = False
            self.lock()

    def _on_locked(self) -> None:
        # Every other window goes first, while the store is still open for their last signals:
        # editors are hidden (their edits kept), the rest closed; then the clipboards are cleared.
        self._hidden_editors = put_away(self, self.editors)
        self.guard.clear_if_ours()
        self.statusBar().clearMessage()
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self._dock_state = self.saveState()
        self._case_tree_state = self._case_tree_now()
        self.detail.set_store(None)
        self.browser.detach()
        self.case_view.setModel(None)
        for dock in (self.detail_dock, self.case_dock):
            dock.hide()
        self.menuBar().setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.show_for(self.session.user.name, self.session.path.name)
        self.idle.active = False
        self.status_lock.setText("Locked")

    def resume(self, password: str) -> bool:
        if not self.session.resume(password):
            self.lock_screen.fail()
            return False
        store = self.session.store
        self.browser.attach(store)
        self.case_model.set_store(store)
        self.case_view.setModel(self.case_model)
        self.detail.set_store(store)
        self._restore_case_tree(*self._case_tree_state)
        if self.detail.history.current:
            self.detail.show_item(self.detail.history.current, record=False)
            # selected again, so the list's focus cannot make another row current
            self.browser.select_item(self.detail.history.current)
        self.restoreState(self._dock_state)
        self.stack.setCurrentWidget(self.browser)
        self.menuBar().setEnabled(True)
        for e in self._hidden_editors:
            e.show()
            e.raise_()  # back where the analyst left it: over the main window
            e.check_conflict()
        self._hidden_editors = []
        self.idle.reset()
        self.idle.active = True
        self.apply_policy()
        self.report_failed_unlocks()
        self._tick(self.idle.remaining())  # the countdown at once, not "Locked" until a tick
        return True

    def _case_tree_now(self) -> tuple[set[str], str, str, int]:
        """The case tree by ids (they outlive the model): expanded cases, the current case
        and kind, how many cases were loaded."""
        m, view = self.case_model, self.case_view
        if view.model() is None:
            return set(), "", "", 0
        expanded = {c.id for r, c in enumerate(m.cases) if view.isExpanded(m.index(r, 0))}
        current = view.currentIndex()
        return (expanded, current.data(CASE_ROLE) or "", current.data(KIND_ROLE) or "",
                len(m.cases))

    def _restore_case_tree(self, expanded: set[str], case_id: str, kind: str,
                           loaded: int) -> None:
        m, view = self.case_model, self.case_view
        while len(m.cases) < loaded and m.canFetchMore(QModelIndex()):
            m.fetchMore(QModelIndex())
        for r, case in enumerate(m.cases):
            index = m.index(r, 0)
            if case.id in expanded:
                view.expand(index)
            if case.id == case_id:
                if kind:
                    if m.canFetchMore(index):
                        m.fetchMore(index)
                    index = next((m.index(k, 0, index) for k in range(m.rowCount(index))
                                  if m.index(k, 0, index).data(KIND_ROLE) == kind), index)
                view.setCurrentIndex(index)

    # ---- items ----

    def _show_current(self, item_id: str) -> None:
        searching = self.browser.model is self.browser.search_model
        self.detail.terms = self.browser.search_model.terms if searching else []
        self.detail.show_item(item_id)

    def _filters_changed(self, flt: browse.BrowseFilter, _ranked: bool) -> None:
        """What sits beside the list follows its filter: the case tree highlights the case
        filtered on (nothing once that filter is gone), the detail pane only current search
        words."""
        self._sync_case_tree(flt)
        searching = self.browser.model is self.browser.search_model
        terms = self.browser.search_model.terms if searching else []
        if terms != self.detail.terms:
            self.detail.terms = terms
            if self.detail.item is not None:
                self.detail.show_item(self.detail.item.id, record=False)

    def _sync_case_tree(self, flt: browse.BrowseFilter) -> None:
        selection = self.case_view.selectionModel()
        if selection is None:
            return
        current = self.case_view.currentIndex()
        if not flt.case_id or (current.isValid() and current.data(CASE_ROLE) != flt.case_id):
            selection.clear()
        elif current.isValid() and current.data(KIND_ROLE) and flt.kinds != (
                current.data(KIND_ROLE),):
            self.case_view.setCurrentIndex(current.parent())  # the case, no longer one kind

    def _case_clicked(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ROLE)
        kind = index.data(KIND_ROLE) or ""
        label = self.case_model.data(index.parent() if kind else index) or case_id
        self.browser.filters.set_case(case_id, str(label)[:40], kind)

    def new_item(self, kind: str = "person") -> ItemEditor:
        editor = ItemEditor(self.session, kind=kind, parent=self)
        return self._open_editor(editor)

    def edit_item(self, item_id: str) -> ItemEditor | None:
        for e in self.editors:
            if e.item_id == item_id:
                e.show()
                e.raise_()
                return e
        item = self.session.store.get_item(item_id)
        return self._open_editor(ItemEditor(self.session, item, parent=self))

    def _open_editor(self, editor: ItemEditor) -> ItemEditor:
        editor.setWindowModality(Qt.WindowModality.NonModal)
        editor.ask_before_close = self.ask_before_quit
        editor.saved.connect(self._saved)
        editor.finished.connect(lambda _r, e=editor: self._editor_closed(e))
        self.editors.append(editor)
        room = self.screen().availableGeometry()
        hint = editor.sizeHint()  # never taller or wider than the screen it opens on
        editor.resize(min(hint.width(), room.width()), min(hint.height(), room.height() - 40))
        editor.show()
        return editor

    def _editor_closed(self, editor: ItemEditor) -> None:
        if editor in self.editors and not self.session.is_locked:
            self.editors.remove(editor)

    def _saved(self, item_id: str) -> None:
        self.browser.apply_filter(self.browser.filters.current())
        self.detail.show_item(item_id)

    def link_item(self, item_id: str) -> LinkDialog:
        dialog = LinkDialog(self.session, item_id, self)
        dialog.accepted.connect(lambda: self.detail.show_item(item_id, record=False))
        dialog.open()
        return dialog

    def go_to_row(self) -> None:
        total = self.browser.model.rowCount()
        row, ok = QInputDialog.getInt(self, "Go to row", f"Row (1–{total:,})", 1, 1,
                                      max(1, total))
        if ok:
            self.browser.jump_to_row(row - 1)

    def show_audit(self) -> AuditViewer:
        viewer = AuditViewer(self.session.store, self)
        viewer.show()
        return viewer

    def edit_settings(self) -> SettingsDialog:
        """One dialog: the user's times within the policy (and, for an admin, the policy)."""
        dialog = SettingsDialog(self.session.store, self.idle.seconds / 60,
                                self.guard.timer.interval() / 1000, self)
        dialog.accepted.connect(lambda: self._settings_chosen(dialog))
        dialog.open()
        return dialog

    def _settings_chosen(self, dialog: SettingsDialog) -> None:
        self.settings.setValue("idle_minutes", dialog.idle_minutes)
        self.settings.setValue("clipboard_seconds", dialog.clipboard_seconds)
        self.apply_policy()

    def apply_policy(self) -> None:
        """The saved preferences under the policy now in the store (an admin may have lowered
        it meanwhile, here or from the command line): the policy wins."""
        if self.session.is_locked:
            return
        idle_minutes, clipboard_seconds = preferences(self.settings,
                                                      policy.load(self.session.store))
        self.idle.set_seconds(idle_minutes * 60)
        self.guard.set_seconds(clipboard_seconds)

    def report_failed_unlocks(self) -> str:
        """Tell the user of failed unlocks under their name since their last unlock, in a
        status-bar label of its own (a passing message would be missed, or overwritten)."""
        text = failed_unlocks.message(self.session.store.failed_unlocks)
        label = self.findChild(QLabel, "statusFailedUnlocks")
        if label is None:
            label = QLabel(self, objectName="statusFailedUnlocks")
            label.setStyleSheet("color: #b00020; font-weight: bold;")
            label.setToolTip("Each attempt is in the audit log (File > Audit records).")
            self.statusBar().addWidget(label)
        label.setText(text)
        label.setVisible(bool(text))
        return text

    # ---- long work ----

    def run(self, label: str, fn: Any, on_done: Any) -> Task:
        """Run ``fn(context)`` off the GUI thread with the status-bar progress and Cancel."""
        self.progress.setFormat(f"{label} %p%")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()

        def done(result: Any) -> None:
            self._task_over()
            on_done(result)

        def failed(message: str) -> None:
            self._task_over()
            if not self.session.is_locked:  # a lock closed the store under it: nothing to say
                self.statusBar().showMessage(f"{label} failed: {message}", 10000)

        def progress(n: int, total: int) -> None:
            self.progress.setRange(0, total)
            self.progress.setValue(n)

        def cancelled() -> None:
            self._task_over()
            if not self.session.is_locked:
                self.statusBar().showMessage(f"{label} cancelled", 5000)

        self.task = run_task(fn, on_done=done, on_error=failed, on_progress=progress,
                             on_cancel=cancelled)
        return self.task

    def _task_over(self) -> None:
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()

    def cancel_task(self) -> None:
        if self.task is not None:
            self.task.context.cancel()

    def verify_audit(self) -> Task:
        store = self.session.store

        def work(ctx: TaskContext) -> str:
            rows = browse.audit_page(store, limit=1)
            total = rows[0].seq if rows else 0
            ctx.progress(0, max(1, total))
            verdict = store.verify_audit()
            ctx.progress(total, max(1, total))
            return verdict_sentence(verdict)

        def show(sentence: str) -> None:
            if not self.session.is_locked:  # a lock clears the status bar; nothing comes back
                self.statusBar().showMessage(sentence, 15000)

        return self.run("Verifying audit chain", work, show)
