"""Issue 9, items 7-11 and 17: work lost or wrong in the main window, the editor, the unlock
dialog and the item browser; each test drives real widgets over a real store (pytest-qt)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hstc_desk.gui.browser.case_tree import CASE_ROLE
from hstc_desk.gui.main_window import MainWindow
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.session.unlock_dialog import UnlockDialog
from hstc_desk.store import Store, browse
from hstc_desk.store.browse import BrowseFilter

from conftest import ANALYST, ANALYST_PW
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]
B = QMessageBox.StandardButton


def answer(*buttons: B) -> list[dict]:
    """Answer the next message boxes, in order, by clicking these buttons (as the analyst
    would); each box seen is recorded (its text and its buttons). A box without the wanted
    button is dismissed with Escape; when no box comes, nothing is clicked."""
    seen: list[dict] = []
    todo = list(buttons)

    def click(tries: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or any(s["box"] is box for s in seen):
            if tries < 100:
                QTimer.singleShot(20, lambda: click(tries + 1))
            return
        seen.append({"box": box, "text": box.text(), "title": box.windowTitle(),
                     "buttons": {b for b in B if box.button(b) is not None}})
        wanted = box.button(todo.pop(0))
        if wanted is not None:
            wanted.click()
        else:
            box.reject()
        if todo:
            QTimer.singleShot(0, click)

    QTimer.singleShot(0, click)
    return seen


@pytest.fixture
def asking(qtbot, demo_copy: Path, tmp_path: Path):
    """The main window as the analyst has it: closing with unsaved edits asks. At teardown
    nobody is left to answer, so it stops asking and closes the window itself (pytest-qt would
    close it before this fixture's teardown, and a failed test must not hang the run)."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(Store.open(demo_copy, ANALYST, ANALYST_PW)), settings)
    w.show()
    qtbot.waitExposed(w)
    assert w.ask_before_quit
    yield w
    w.ask_before_quit = False
    for e in w.editors:
        e.ask_before_close = False
    w.close()
    w.deleteLater()


def _edit_title(w, row: int, title: str):
    editor = w.edit_item(w.browser.model.item_id(row))
    editor.ui.titleEdit.setText(title)
    editor.ui.titleEdit.textEdited.emit(title)
    assert editor.is_dirty()
    return editor


# ---- 7: closing never throws unsaved edits away without asking --------------------------------

def test_closing_an_editor_with_unsaved_edits_asks_save_discard_cancel(
        qtbot, asking, demo_copy: Path) -> None:
    w = asking
    editor = _edit_title(w, 0, "Unsaved title")
    item_id, version = editor.item_id, editor.base_version
    seen = answer(B.Cancel)
    editor.ui.cancelButton.click()  # the editor's Close button
    assert len(seen) == 1 and seen[0]["buttons"] == {B.Save, B.Discard, B.Cancel}
    assert editor.isVisible() and editor.ui.titleEdit.text() == "Unsaved title"
    seen = answer(B.Save)
    editor.close()  # the window's close box
    assert len(seen) == 1 and not editor.isVisible()
    saved = w.session.store.get_item(item_id)
    assert saved.title == "Unsaved title" and saved.version == version + 1
    other = _edit_title(w, 1, "Thrown away")
    seen = answer(B.Discard)
    other.close()
    assert len(seen) == 1 and not other.isVisible()
    assert w.session.store.get_item(other.item_id).title != "Thrown away"


def test_quitting_asks_for_each_editor_and_cancel_keeps_everything(
        qtbot, asking, demo_copy: Path) -> None:
    w = asking
    first = _edit_title(w, 0, "First unsaved")
    second = _edit_title(w, 1, "Second unsaved")
    seen = answer(B.Cancel)
    w.close()
    assert len(seen) == 1 and seen[0]["buttons"] == {B.Save, B.Discard, B.Cancel}
    assert w.isVisible() and not w.session.is_locked
    assert first.isVisible() and second.isVisible() and first.is_dirty() and second.is_dirty()
    ids = (first.item_id, second.item_id)
    seen = answer(B.Discard, B.Save)
    w.close()
    assert len(seen) == 2 and not w.isVisible() and w.session.is_locked  # closed: key dropped
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as store:
        assert store.get_item(ids[0]).title != "First unsaved"
        assert store.get_item(ids[1]).title == "Second unsaved"


def test_quitting_while_locked_waits_for_the_unlock(
        qtbot, asking, demo_copy: Path) -> None:
    w = asking
    editor = _edit_title(w, 0, "Kept across the lock")
    w.lock()
    seen = answer(B.Ok)
    w.close()
    assert len(seen) == 1 and "Unlock first" in seen[0]["text"]
    assert w.isVisible() and w.session.is_locked and editor in w.editors
    assert w.stack.currentWidget() is w.lock_screen  # nothing of the content was shown
    qtbot.keyClicks(w.lock_screen.password, ANALYST_PW)
    qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.ui.titleEdit.text() == "Kept across the lock"
    seen = answer(B.Save)
    w.close()
    assert len(seen) == 1 and seen[0]["buttons"] == {B.Save, B.Discard, B.Cancel}
    assert not w.isVisible()
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as store:
        assert store.get_item(editor.item_id).title == "Kept across the lock"


# ---- 8: one unlock attempt per Return ---------------------------------------------------------

def test_wrong_password_then_return_is_one_attempt(qtbot, demo_template: Path) -> None:
    dialog = UnlockDialog([], store_path=str(demo_template), user=ANALYST)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.passwordEdit, "not the password")
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.ui.errorLabel.text() == "Wrong user name or password."
    assert dialog.flow.attempts == 1
    assert dialog.ui.passwordEdit.text() == "" and dialog.isVisible()
    qtbot.keyClicks(dialog.ui.passwordEdit, ANALYST_PW)
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.flow.attempts == 2 and dialog.store is not None
    dialog.store.close()


# ---- 9: what the window says about the order of search hits is true ---------------------------

def _click_header(qtbot, view, section: int) -> None:
    hh = view.horizontalHeader()
    x = hh.sectionViewportPosition(section) + hh.sectionSize(section) // 2
    qtbot.mouseClick(hh.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, hh.height() // 2))


def test_search_order_is_what_the_window_says(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    view, hh = w.browser.view, w.browser.view.horizontalHeader()
    search = w.browser.filters.search
    qtbot.keyClicks(search, "passp")
    qtbot.waitUntil(lambda: w.browser.model is w.browser.search_model)
    model = w.browser.search_model
    assert model.rowCount() > 20
    label = w.browser.count_label.text()
    assert "latest added first" in label and "newest" not in label
    rids = [r.rid for r in model.rows]
    assert rids == sorted(rids, reverse=True)  # latest added (highest row id) first
    assert not hh.isSortIndicatorShown()  # no arrow claims an order the hits do not have
    _click_header(qtbot, view, 4)  # Date
    assert not hh.isSortIndicatorShown() and [r.rid for r in model.rows] == rids
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert model.ranked and "best matches first" in w.browser.count_label.text()
    keys = [r.key for r in model.rows]
    assert keys == sorted(keys)  # bm25 rank, best first
    assert not hh.isSortIndicatorShown()
    search.clear()
    qtbot.waitUntil(lambda: w.browser.model is w.browser.browse_model)
    # back in the item list, the arrow shows the list's real order: date, newest first
    assert hh.isSortIndicatorShown() and hh.sortIndicatorSection() == 4
    assert hh.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    days = [w.browser.model.index(r, 4).data() for r in range(300)]
    assert days == sorted(days, reverse=True)


# ---- 10: the Marking column sorts by level, then controls -------------------------------------

def test_marking_header_sorts_by_classification_level(qtbot, demo_copy: Path,
                                                      tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    hh = w.browser.view.horizontalHeader()
    _click_header(qtbot, w.browser.view, 2)
    model = w.browser.model
    assert hh.sortIndicatorSection() == 2 and model.order.column == "marking"
    descending = hh.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert model.order.descending == descending
    levels = [model.window.row(r).level for r in range(model.rowCount())]
    assert levels == sorted(levels, reverse=descending) and len(set(levels)) == 4
    _click_header(qtbot, w.browser.view, 2)  # and the other way round
    assert model.order.descending != descending
    marks = [model.index(r, 2).data() for r in range(model.rowCount())]
    top = ("(TS", "(S", "(C", "(U") if not descending else ("(U", "(C", "(S", "(TS")
    order = [next(i for i, t in enumerate(top) if m.startswith(t + "/") or m == t + ")")
             for m in marks]
    assert order == sorted(order)


# ---- 11: every active filter is visible, and one action clears them all -----------------------

def test_filter_chips_show_every_filter_and_one_action_clears_all(
        qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    bar, model = w.browser.filters, w.browser.model
    total = browse.count(w.session.store, BrowseFilter())

    def chips() -> list[str]:
        return [b.text() for b in bar._chip_buttons if b.isVisibleTo(bar)]

    assert not bar.chips.isVisibleTo(bar) and bar.controls_button.text() == "Controls"
    bar.control_actions["NF"].setChecked(True)
    assert 0 < model.rowCount() < total
    assert bar.chips.isVisibleTo(bar) and chips() == ["Controls: NF  ✕"]
    assert bar.controls_button.text() == "Controls (1)"  # the button says a filter is on
    assert "bold" in bar.controls_button.styleSheet()
    bar._chip_buttons[0].click()  # the chip removes its filter
    assert not bar.control_actions["NF"].isChecked() and model.rowCount() == total
    assert not bar.chips.isVisibleTo(bar) and bar.controls_button.text() == "Controls"

    # several filters, the case from the tree among them
    case_index = w.case_model.index(0, 0)
    w.case_view.setCurrentIndex(case_index)
    w._case_clicked(case_index)
    bar.level.setCurrentIndex(bar.level.findData(2))
    bar.control_actions["NF"].setChecked(True)
    bar.day_from.setText("2020-01-01")
    bar.day_from.editingFinished.emit()
    assert chips() == ["Classification: SECRET  ✕", "Controls: NF  ✕", "From: 2020-01-01  ✕"]
    assert bar.case_button.isVisibleTo(bar) and bar.case_button.text().startswith("Case: ")
    assert w.case_view.selectionModel().hasSelection()
    assert bar.clear_action in w.findChildren(type(bar.clear_action))
    assert bar.clear_action.shortcut().toString() == "Ctrl+Shift+F"
    bar.clear_action.trigger()
    assert bar.current() == BrowseFilter() and model.rowCount() == total
    assert not bar.chips.isVisibleTo(bar) and bar.controls_button.text() == "Controls"
    assert not w.case_view.selectionModel().hasSelection()  # the tree follows the filter

    # removing the case filter by its chip clears the tree's highlight too
    w.case_view.setCurrentIndex(case_index)
    w._case_clicked(case_index)
    assert w.case_view.currentIndex().data(CASE_ROLE) == bar.case_id
    bar.case_button.click()
    assert bar.case_id == "" and not w.case_view.selectionModel().hasSelection()

    # many chips wrap onto more lines: they never widen the window past the screen
    narrow = w.minimumSizeHint().width()
    for token in ("NF", "SI", "OC", "REL", "LES", "HCS"):
        bar.control_actions[token].setChecked(True)
    bar.level.setCurrentIndex(bar.level.findData(3))
    w._case_clicked(case_index)
    assert len(chips()) == 7 and bar.case_button.isVisibleTo(bar)
    assert w.minimumSizeHint().width() < narrow + 120


# ---- 17: no stale state -----------------------------------------------------------------------

def test_detail_pane_drops_search_highlights_when_the_search_is_cleared(
        qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    search = w.browser.filters.search
    qtbot.keyClicks(search, "passp")
    qtbot.waitUntil(lambda: w.browser.model is w.browser.search_model)
    w.browser.view.selectRow(0)
    assert "ffe066" in w.detail.text.toHtml() + w.detail.title.text()
    item_id = w.detail.item.id
    search.clear()
    qtbot.waitUntil(lambda: w.browser.model is w.browser.browse_model)
    assert w.detail.item.id == item_id and w.detail.terms == []
    assert "ffe066" not in w.detail.text.toHtml() + w.detail.title.text()


def test_unlock_keeps_the_item_the_case_tree_and_the_countdown(
        qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    view = w.browser.view
    view.selectRow(7)
    item_id = w.browser.model.item_id(7)
    w.case_view.expand(w.case_model.index(1, 0))
    w.case_view.setCurrentIndex(w.case_model.index(2, 0))
    case_id = w.case_model.index(2, 0).data(CASE_ROLE)
    w.lock()
    assert w.status_lock.text() == "Locked"
    qtbot.keyClicks(w.lock_screen.password, ANALYST_PW)
    qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
    # at once, not "Locked" until the next tick
    assert not w.session.is_locked and w.status_lock.text().startswith("Locks in")
    assert w.detail.item.id == item_id
    assert view.currentIndex().row() == 7
    assert [i.row() for i in view.selectionModel().selectedRows()] == [7]
    view.setFocus(Qt.FocusReason.TabFocusReason)  # focus must not make another row current
    qtbot.wait(50)
    assert w.detail.item.id == item_id and view.currentIndex().row() == 7
    assert w.case_view.isExpanded(w.case_model.index(1, 0))
    assert w.case_view.currentIndex().data(CASE_ROLE) == case_id


def test_export_dialog_offers_close_after_success(qtbot, tmp_path: Path) -> None:
    from hstc_desk.gui.exchange import ExportDialog

    from exchange_helpers import new_store

    with new_store(tmp_path / "a", items=40, seed=3) as a:
        dlg = ExportDialog(a)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.cancel_button.text() == "Cancel"
        assert dlg.preview()
        dlg.out_path.setText(str(tmp_path / "b.bundle"))
        assert dlg.run()
        assert dlg.cancel_button.text() == "Close"
        dlg.cancel_button.click()
        assert not dlg.isVisible()


def test_demo_progress_lines_each_end_with_a_newline(tmp_path: Path) -> None:
    # bytes, not text: text mode would turn a bare carriage return into a newline
    env = {k: v for k, v in os.environ.items() if not k.startswith("HSTC_")}
    env["HSTC_PASSWORD"] = "unused"
    r = subprocess.run([str(Path(sys.executable).parent / "hstc"), "demo", str(tmp_path / "d"),
                        "--items", "9000", "--seed", "2"], capture_output=True, env=env,
                       timeout=300, input=b"")
    assert r.returncode == 0, r.stderr
    assert b"\r" not in r.stderr
    lines = r.stderr.decode().splitlines(keepends=True)
    progress = [ln for ln in lines if "items and links written" in ln]
    assert len(progress) >= 2 and all(ln.endswith("\n") for ln in progress)
    assert all(ln.split()[0].isdigit() for ln in progress)  # one count per line
