"""Issue 9, items 1-3 and 13: the lock works from every window and hides them all; copies carry
their mark once and every clipboard mode is cleared; every window and dialog carries banners top
and bottom; audit results are sentences (pytest-qt, offscreen; PRIMARY under Xvfb)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from hstc_desk import markings
from hstc_desk.exchange.selection import plan
from hstc_desk.gui import help_dialogs
from hstc_desk.gui.admin.audit_viewer import AuditViewer, detail_text
from hstc_desk.gui.editing.editor import ItemEditor
from hstc_desk.gui.editing.item_picker import ItemPicker
from hstc_desk.gui.editing.link_dialog import LinkDialog
from hstc_desk.gui.exchange import ConflictsDialog, ExportDialog, ImportDialog
from hstc_desk.gui.exchange import menu as exchange_menu
from hstc_desk.gui.main_window import MainWindow
from hstc_desk.gui.widgets.banner import BOTTOM_BANNER, TOP_BANNER, BannerBar, banner_colours
from hstc_desk.markings import Marking
from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW
from exchange_helpers import bundle_bytes, new_store, trust_pair
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]
SYSTEM_HIGH = "TOP SECRET//HCS/SI/TK"  # the test stores' accreditation, as a banner
CTRL = Qt.KeyboardModifier.ControlModifier


def _visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def _press_lock(target: QWidget) -> None:
    """Ctrl+L as the analyst types it, to the widget that has the keyboard focus."""
    from PySide6.QtTest import QTest

    QTest.keyClick(target, Qt.Key.Key_L, CTRL)


def _item_with_portions(w: MainWindow, prefix: str = "(S//") -> str:
    return w.session.store.conn.execute(
        "SELECT id FROM items WHERE marking LIKE ? AND body LIKE '%\"portions\":[{%' LIMIT 1",
        (prefix + "%",)).fetchone()[0]


OPENERS: dict[str, Callable[[MainWindow], QWidget]] = {
    "editor": lambda w: w.edit_item(w.browser.model.item_id(0)),
    "audit viewer": lambda w: w.show_audit(),
    "export": exchange_menu.open_export,
    "import": exchange_menu.open_import,
    "conflicts": exchange_menu.open_conflicts,
    "link": lambda w: w.link_item(w.browser.model.item_id(0)),
    "trusted keys": exchange_menu.open_keys,
    "settings": lambda w: w.edit_settings(),
    "keyboard shortcuts": help_dialogs.open_shortcuts,
    "markings guide": help_dialogs.open_guide,
    "about": help_dialogs.open_about,
    # added this session: products, disclosure
    "drafting window": lambda w: w.products.new_draft(),
    "open product": lambda w: w.products.open_product(),
    "verify PDF": lambda w: w.products.verify_pdf(),
    "originator authorizations": exchange_menu.open_authorize,
}
HELP = (help_dialogs.ShortcutsDialog, help_dialogs.MarkingsGuide, help_dialogs.AboutDialog)


# ---- 1. the lock, from every window ------------------------------------------------------------

def test_ctrl_l_locks_from_every_window_and_hides_them_all(qtbot, demo_copy: Path,
                                                           tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    for name, opener in OPENERS.items():
        window = opener(w)
        if not window.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
            qtbot.addWidget(window)  # (one that deletes itself on close is gone by teardown)
        window.activateWindow()
        qtbot.waitUntil(lambda win=window: QApplication.activeWindow() is win, timeout=3000)
        if isinstance(window, ItemEditor):
            window.ui.titleEdit.setFocus()
            window.ui.titleEdit.setText("Unsaved title")
            window.ui.titleEdit.textEdited.emit("x")
        focus = QApplication.focusWidget() or window
        assert focus.window() is window, name
        _press_lock(focus)
        assert w.session.is_locked, f"Ctrl+L in the {name} window did not lock"
        assert _visible_windows() == [w], f"{name}: still on screen while locked"
        assert w.stack.currentWidget() is w.lock_screen
        assert w.statusBar().currentMessage() == ""
        assert w.resume(ANALYST_PW)
        if isinstance(window, ItemEditor):  # an editor comes back with its unsaved edit
            assert window.isVisible() and window.ui.titleEdit.text() == "Unsaved title"
            assert window.is_dirty()
            window.ask_before_close = False
            window.close()
        else:  # a window over the closed store does not: it is opened again from the menu
            assert not window.isVisible(), name
        assert _visible_windows() == [w]


def test_ctrl_l_locks_from_inside_a_modal_dialog(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    seen: dict[str, str] = {}

    def press() -> None:
        modal = QApplication.activeModalWidget()
        seen["modal"] = type(modal).__name__
        _press_lock(QApplication.focusWidget() or modal)
        seen["locked"] = str(w.session.is_locked)

    def fallback() -> None:  # before the fix the key did nothing: end the dialog, fail below
        if (modal := QApplication.activeModalWidget()) is not None:
            modal.reject()

    QTimer.singleShot(300, press)
    QTimer.singleShot(3000, fallback)
    w.go_to_row()  # QInputDialog.getInt: its own exec() loop, modal to the window
    assert seen == {"modal": "QInputDialog", "locked": "True"}
    assert w.session.is_locked and _visible_windows() == [w]
    assert QApplication.activeModalWidget() is None


def test_activity_in_another_window_keeps_the_lock_away(qtbot, demo_copy: Path,
                                                        tmp_path: Path) -> None:
    """Typing in an editor counts as activity: the idle lock does not fire under the analyst's
    hands; Ctrl+L typed there locks at once and types nothing into the field."""
    w = open_window(qtbot, demo_copy, tmp_path, idle_minutes=1.5 / 60)
    editor = w.edit_item(w.browser.model.item_id(0))
    qtbot.addWidget(editor)
    editor.activateWindow()
    editor.ui.titleEdit.setFocus()
    title = editor.ui.titleEdit.text()
    for _ in range(12):  # 2.4 s of typing, longer than the 1.5 s idle limit
        qtbot.keyClick(editor.ui.titleEdit, Qt.Key.Key_End)
        qtbot.wait(200)
    assert not w.session.is_locked
    _press_lock(editor.ui.titleEdit)
    assert w.session.is_locked and not editor.isVisible()
    assert editor.ui.titleEdit.text() == title  # no "l" typed


def test_a_lock_during_an_export_stops_it_then_locks(qtbot, demo_copy: Path,
                                                     tmp_path: Path) -> None:
    """Ctrl+L while an export writes: the export stops at its next safe point (nothing is
    written) and the lock comes as it ends, never with the store closed under it."""
    w = open_window(qtbot, demo_copy, tmp_path)
    dialog = exchange_menu.open_export(w)
    qtbot.addWidget(dialog)
    assert dialog.preview()
    out = tmp_path / "x.bundle"
    dialog.out_path.setText(str(out))
    shown = dialog._progress
    seen: list[bool] = []

    def progress(stage: str, n: int, total: int) -> None:
        shown(stage, n, total)
        if stage == "building":
            _press_lock(dialog.export_button)
            seen.append(w.session.is_locked)

    dialog._progress = progress  # type: ignore[method-assign]
    assert not dialog.run()
    assert seen == [False]  # not while it ran
    assert w.session.is_locked and not dialog.isVisible()
    assert not out.exists() and list(tmp_path.glob(".x.bundle*")) == []
    assert w.resume(ANALYST_PW)
    assert w.session.store.conn.execute("SELECT count(*) FROM exports").fetchone()[0] == 0


# ---- 2. the clipboard ----------------------------------------------------------------------------

def _select_whole_portion(w: MainWindow, item_id: str) -> tuple[str, str]:
    """Select the first portion in the detail pane as shown, its mark included."""
    assert w.detail.show_item(item_id)
    portion = w.detail.item.portions[0]
    text = w.detail.text
    found = text.document().find(f"{portion.marking} {portion.text[:20]}")
    assert not found.isNull()
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart())
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    text.setTextCursor(cursor)
    return portion.marking, portion.text


def test_copying_a_whole_portion_puts_its_mark_in_once(qtbot, demo_copy: Path,
                                                       tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    mark, body = _select_whole_portion(w, _item_with_portions(w, "(C//REL TO "))
    w.detail.text.copy()
    copied = QGuiApplication.clipboard().text()
    expected = markings.rollup([markings.parse(mark)]).portion()
    assert copied == f"{expected} {body}"
    assert copied.count(expected) == 1, copied


def test_lock_clears_the_clipboard_and_leaves_others_copies(qtbot, demo_copy: Path,
                                                            tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    clip = QGuiApplication.clipboard()
    _select_whole_portion(w, _item_with_portions(w))
    w.detail.text.copy()
    assert clip.text().startswith("(S")
    w.lock()
    assert clip.text() == ""  # cleared on lock, not a minute later
    assert w.resume(ANALYST_PW)
    clip.setText("copied in another program")
    w.lock()
    assert clip.text() == "copied in another program"


PRIMARY_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from PySide6.QtCore import QProcess, QSettings, Qt, QTimer
    from PySide6.QtGui import QClipboard
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session
    from hstc_desk.gui.exchange.menu import open_export
    from hstc_desk.store import Store
    store, user, password, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    READER = (
        "import json, sys\\n"
        "from PySide6.QtGui import QClipboard\\n"
        "from PySide6.QtWidgets import QApplication\\n"
        "app = QApplication(sys.argv[:1])\\n"
        "c, m = app.clipboard(), QClipboard.Mode\\n"
        "for _ in sys.stdin:\\n"
        "    app.processEvents()\\n"
        "    print(json.dumps([c.text(m.Selection), c.text(m.Clipboard)]), flush=True)\\n")
    reader = QProcess()
    reader.start(sys.executable, ["-c", READER])
    assert reader.waitForStarted(10000)
    def elsewhere():
        # what another program on the display gets for a middle-click and for a paste, asked
        # of a program already running (its start-up would outlast a short clearing time)
        reader.write(b"\\n")
        while not reader.canReadLine():
            reader.waitForReadyRead(20)
            app.processEvents()
        return json.loads(bytes(reader.readLine()).decode())
    def select_all(view):
        QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # as typed
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(Store.open(store, user, password)), settings)
    w.ask_before_quit = False
    w.show()
    seen = {"supports": app.clipboard().supportsSelection()}
    def run():
        item = w.session.store.conn.execute(
            "SELECT id FROM items WHERE marking LIKE '(S//%' LIMIT 1").fetchone()[0]
        w.detail.show_item(item)
        select_all(w.detail.text)  # a selection in a read-only view: X11 makes it PRIMARY
        app.processEvents()
        seen["selected"] = elsewhere()
        w.lock()
        app.processEvents()
        seen["locked"] = elsewhere()
        assert w.resume(password)
        w.guard.set_seconds(1)
        w.detail.show_item(item)
        select_all(w.detail.text)
        w.detail.text.copy()
        app.processEvents()
        seen["copied"] = elsewhere()
        deadline = QTimer(); deadline.setSingleShot(True); deadline.start(1600)
        while deadline.isActive():
            app.processEvents()
        seen["after timeout"] = elsewhere()
        dialog = open_export(w)  # text selected in any read-only field of any window
        assert dialog.preview()
        select_all(dialog.summary)
        app.processEvents()
        seen["summary selected"] = elsewhere()
        deadline.start(1600)
        while deadline.isActive():
            app.processEvents()
        seen["summary after timeout"] = elsewhere()
        (out / "seen.json").write_text(json.dumps(seen))
        reader.closeWriteChannel()
        reader.waitForFinished(5000)
        w.close()
        app.quit()
    QTimer.singleShot(300, run)
    app.exec()
""")


def test_primary_selection_cleared_on_lock_and_timeout_under_xvfb(demo_copy: Path,
                                                                  tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    import json

    script = tmp_path / "primary.py"
    script.write_text(PRIMARY_SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, str(script),
         str(demo_copy), ANALYST, ANALYST_PW, str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen["supports"] is True
    primary, clipboard = seen["selected"]
    assert primary.startswith("(S") and clipboard == ""  # the reader does see PRIMARY
    assert seen["locked"] == ["", ""]  # nothing for a middle-click while locked
    primary, clipboard = seen["copied"]
    assert clipboard.startswith("(S") and primary.startswith("(S")
    assert seen["after timeout"] == ["", ""]
    assert seen["summary selected"][0].startswith("destination ")
    assert seen["summary after timeout"] == ["", ""]


# ---- 3. banners on every window ----------------------------------------------------------------

def _frame_of(window: QWidget) -> tuple[BannerBar, BannerBar]:
    bars = {b.objectName(): b for b in window.findChildren(BannerBar)
            if b.objectName() in (TOP_BANNER, BOTTOM_BANNER) and b.window() is window}
    assert set(bars) == {TOP_BANNER, BOTTOM_BANNER}, f"{window.windowTitle()}: {sorted(bars)}"
    return bars[TOP_BANNER], bars[BOTTOM_BANNER]


def assert_framed(window: QWidget, expected: Marking) -> None:
    """A banner top and bottom, edge to edge, with the expected text in its standard colours."""
    title = window.windowTitle()
    top, bottom = _frame_of(window)
    bg, fg = banner_colours(expected)
    for bar in (top, bottom):
        assert bar.isVisible(), title
        assert bar.text() == expected.banner(), (title, bar.text(), expected.banner())
        style = bar.styleSheet()
        assert f"background: {bg}" in style and f"color: {fg}" in style, (title, style)
        assert bar.width() >= window.width() - 2, title  # the whole width of the window
    above = below = 2
    if isinstance(window, QMainWindow):
        above += window.menuBar().height()
        below += window.statusBar().height()
    assert top.mapTo(window, QPoint(0, 0)).y() <= above, title
    assert bottom.mapTo(window, QPoint(0, bottom.height())).y() >= window.height() - below, title


def _picked_marks(editor: ItemEditor) -> list[str]:
    """The markings of the items an editor's pickers show by their marked titles, and of those
    a list of ids (an event's participants) names in its tooltip."""
    store = editor.session.store
    ids = [p.item_id for p in editor.findChildren(ItemPicker) if p.item_id]
    for name, widget in (editor.fields.widgets.items() if editor.fields else ()):
        if name.endswith("_ids"):
            ids += [i.strip() for i in widget.text().split(",") if i.strip()]
    return [store.get_item(i).marking for i in ids]


def _rollup(marks: list[str]) -> Marking:
    return markings.rollup(markings.parse(m) for m in marks if m)


def test_every_window_and_dialog_has_banners_top_and_bottom(qtbot, demo_copy: Path,
                                                            tmp_path: Path) -> None:
    sender = new_store(tmp_path / "sender", items=60, seed=3)
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as receiver:
        trust_pair(sender, receiver)
    bundle = tmp_path / "in.bundle"
    bundle.write_bytes(bundle_bytes(sender, tmp_path, dest="USA"))
    sent = plan(sender, "USA")
    sender.close()

    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    system_high = markings.parse(SYSTEM_HIGH)
    item = store.get_item(_item_with_portions(w))
    w.browser.select_item(item.id)
    opened = [w.edit_item(item.id), w.show_audit(), exchange_menu.open_export(w),
              exchange_menu.open_import(w), exchange_menu.open_conflicts(w),
              w.link_item(item.id), exchange_menu.open_keys(w), w.edit_settings(),
              *(opener(w) for opener in (help_dialogs.open_shortcuts, help_dialogs.open_guide,
                                         help_dialogs.open_about))]
    for d in opened:
        qtbot.addWidget(d)
    export = next(d for d in opened if isinstance(d, ExportDialog))
    importer = next(d for d in opened if isinstance(d, ImportDialog))
    conflicts = next(d for d in opened if isinstance(d, ConflictsDialog))
    link = next(d for d in opened if isinstance(d, LinkDialog))

    after: dict[int, Marking] = {}  # what a dialog shows once it has done its work

    def expected(window: QWidget) -> Marking:
        if id(window) in after:
            return after[id(window)]
        if isinstance(window, ItemEditor):  # the item, and each item its pickers show
            return _rollup([*(p.marking for p in item.portions), item.marking,
                            *_picked_marks(window)])
        if isinstance(window, LinkDialog):
            return _rollup([item.marking, link.picker.portion()])
        if isinstance(window, ConflictsDialog):
            listed = [m for _i, m, _t in conflicts.flow.items()]
            return _rollup(listed) if listed else system_high
        if isinstance(window, HELP):  # the app's own help: nothing from the store
            return markings.parse("U")
        return system_high  # main window, audit, keys, export and import before their work

    def walk() -> int:
        windows = _visible_windows()
        for window in windows:
            assert_framed(window, expected(window))
        return len(windows)

    assert walk() == 1 + len(opened)
    higher = store.conn.execute(
        "SELECT i.id, c.marking FROM items i JOIN items c ON c.id = i.case_id "
        "WHERE c.level > i.level AND i.kind = 'person' LIMIT 1").fetchone()
    assert higher is not None
    editor = w.edit_item(higher[0])
    qtbot.addWidget(editor)
    low = store.get_item(higher[0])
    assert low.case_id in {p.item_id for p in editor.findChildren(ItemPicker)}
    assert_framed(editor, _rollup([*(p.marking for p in low.portions), low.marking, higher[1],
                                   *_picked_marks(editor)]))
    assert editor.banners.marking.level > markings.parse(low.marking).level
    editor.close()
    # the same for an event's place, picked by its marked title: the class, not the instance
    event, place_mark = store.conn.execute(
        "SELECT e.id, p.marking FROM items e JOIN items p ON p.id = "
        "json_extract(e.body, '$.location_id') WHERE p.level > e.level LIMIT 1").fetchone()
    editor = w.edit_item(event)
    qtbot.addWidget(editor)
    low = store.get_item(event)
    assert_framed(editor, _rollup([*(p.marking for p in low.portions), low.marking, place_mark,
                                   *_picked_marks(editor)]))
    assert editor.banners.marking.level == markings.parse(place_mark).level
    editor.close()
    # the export dialog after a preview: the roll-up of what it shows, and the bundle's banner
    # (what goes) in its own standard colours, no longer black text
    export.destination.setCurrentIndex(export.destination.findData("GBR"))
    assert export.preview()
    p = export.flow.plan
    goes = _rollup(sorted(p.markings))
    after[id(export)] = _rollup([*p.markings, *(e.marking for e in p.excluded[:2000])])
    assert_framed(export, after[id(export)])
    assert export.banner.text() == goes.banner() == p.banner
    assert f"background: {banner_colours(goes)[0]}" in export.banner.styleSheet()
    # the import dialog once a bundle verifies: the roll-up of what it holds
    importer.path.setText(str(bundle))
    assert importer.verify(), importer.status.text()
    after[id(importer)] = _rollup(sorted(sent.markings))
    assert_framed(importer, after[id(importer)])
    # the link dialog follows what it shows: both ends and the link's own marking
    other = store.conn.execute("SELECT id, marking FROM items WHERE marking LIKE '(TS//%' "
                               "AND kind = 'person' LIMIT 1").fetchone()
    if other is not None and item.id.startswith("PER"):
        link.ui.dstEdit.setText(other[0])
        after[id(link)] = _rollup([item.marking, other[1], link.picker.portion()])
        assert_framed(link, after[id(link)])
    assert walk() == 1 + len(opened)


# ---- 13. audit results are sentences ----------------------------------------------------------

def test_verify_audit_says_a_sentence_and_the_lock_clears_it(qtbot, demo_copy: Path,
                                                             tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    w.verify_audit()
    qtbot.waitUntil(lambda: w.task is None and w.statusBar().currentMessage() != "",
                    timeout=10000)
    message = w.statusBar().currentMessage()
    assert re.fullmatch(r"Audit chain intact: [\d,]+ records, head [0-9a-f]{12}… "
                        r"\(record [\d,]+\)\.", message), message
    w.lock()
    assert w.statusBar().currentMessage() == ""
    assert w.resume(ANALYST_PW)
    assert w.statusBar().currentMessage() == ""
    w.close()
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        s.conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    w = open_window(qtbot, demo_copy, tmp_path / "again")
    w.verify_audit()
    qtbot.waitUntil(lambda: w.task is None and w.statusBar().currentMessage() != "",
                    timeout=10000)
    message = w.statusBar().currentMessage()
    assert message.startswith("Audit chain broken at record 2: ") and message.endswith(".")
    assert "AuditVerdict" not in message


def test_audit_viewer_detail_is_readable_text(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    viewer = w.show_audit()
    qtbot.addWidget(viewer)
    assert isinstance(viewer, AuditViewer)
    model = viewer.model
    raw = {r.action: r for r in model.rows}
    load = raw["demo.load"]
    row = model.rows.index(load)
    shown = model.index(row, 5).data()
    tip = model.index(row, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert not shown.startswith("{") and '"' not in shown
    assert re.search(r"items: [\d,]+; ", shown) and "links: " in shown
    digest = re.search(r'"sha256":"([0-9a-f]{64})"', load.detail)[1]
    assert f"sha256: {digest[:12]}…" in shown and digest in tip  # shortened whole, full in tip
    assert shown == detail_text(load.detail) and tip == detail_text(load.detail, short=False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", model.index(row, 1).data())
    assert viewer.view.wordWrap()


def test_dialog_banner_helper_wraps_any_dialog(qtbot) -> None:
    """The one way to frame a window: its layout moves between the two banners, unchanged."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout

    from hstc_desk.gui.widgets.banner import Banners

    d = QDialog()
    qtbot.addWidget(d)
    layout = QVBoxLayout(d)
    label = QLabel("content", d)
    layout.addWidget(label)
    banners = Banners(d, markings.parse("(S//NF)"))
    d.resize(400, 200)
    d.show()
    qtbot.waitExposed(d)
    assert label.isVisible() and label.window() is d
    assert_framed(d, markings.parse("(S//NF)"))
    banners.set_marking(markings.parse("(C)"))
    assert_framed(d, markings.parse("(C)"))
