"""The analyst's flows through real widgets over real store files (pytest-qt, offscreen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog

from hstc_desk import markings
from hstc_desk.gui.session.flows import CreateFlow, State, UnlockFlow
from hstc_desk.gui.session.unlock_dialog import NewStoreDialog, UnlockDialog
from hstc_desk.store import TEST_KDF, Store, browse
from hstc_desk.store.browse import BrowseFilter

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]
ROOT = Path(__file__).resolve().parent.parent


# ---- unlock --------------------------------------------------------------------------------

def test_unlock_flow_is_headless(demo_copy: Path) -> None:
    flow = UnlockFlow()
    assert not flow.unlock(str(demo_copy), ANALYST, "wrong")
    assert flow.error == "Wrong user name or password." and flow.state is State.ENTER
    assert not flow.unlock("/nonexistent/store", ANALYST, "x")
    assert "not an HSTC store" in flow.error
    assert flow.unlock(str(demo_copy), ANALYST, ANALYST_PW)
    assert flow.state is State.UNLOCKED and flow.recent[0] == str(demo_copy)
    assert flow.store.failed_unlocks == 1  # the wrong one, recorded from the window
    flow.store.close()


def test_unlock_dialog_wrong_then_right(qtbot, demo_copy: Path) -> None:
    demo_template = demo_copy  # a wrong password adds a line to the failed-unlocks side file
    core = ("store.db", "keyslots.json")
    before = {p.name: p.read_bytes() for p in demo_template.iterdir() if p.name in core}
    dialog = UnlockDialog([], store_path=str(demo_template), user=ANALYST)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.passwordEdit, "not the password")
    qtbot.mouseClick(dialog.ui.unlockButton, Qt.MouseButton.LeftButton)
    assert dialog.ui.errorLabel.text() == "Wrong user name or password."
    assert dialog.ui.passwordEdit.text() == "" and dialog.isVisible()
    assert before == {p.name: p.read_bytes() for p in demo_template.iterdir() if p.name in core}
    qtbot.keyClicks(dialog.ui.passwordEdit, ANALYST_PW)
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.store is not None and dialog.store.user.name == ANALYST
    dialog.store.close()


def test_new_store_flow(qtbot, tmp_path: Path) -> None:
    flow = CreateFlow(kdf=TEST_KDF)
    assert not flow.create(str(tmp_path / "a"), "admin", "longpassword", "different", "S")
    assert flow.error == "The passwords do not match."
    dialog = NewStoreDialog(TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.ui.pathEdit.setText(str(tmp_path / "new"))
    dialog.ui.passwordEdit.setText("first admin pw")
    dialog.ui.confirmEdit.setText("first admin pw")
    dialog.ui.accreditationCombo.setCurrentText("TS//SI")
    dialog.create()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.ui.errorLabel.text()
    store = dialog.flow.store
    assert store.user.role == "admin" and str(store.accreditation) == "TS//SI"
    store.close()
    Store.open(tmp_path / "new", "admin", "first admin pw").close()


# ---- browse, filter, search, detail ------------------------------------------------------------

def test_main_window_banners_status_and_browse(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    assert w.top_banner.text() == w.bottom_banner.text() == "TOP SECRET//HCS/SI/TK"
    assert "#fce83a" in w.top_banner.styleSheet()  # TOP SECRET with SCI: yellow
    assert ANALYST in w.status_user.text() and "analyst" in w.status_user.text()
    assert w.status_lock.text().startswith("Locks in")
    model = w.browser.model
    assert model.rowCount() == browse.count(w.session.store, BrowseFilter())
    w.browser.view.selectRow(2)
    item_id = model.item_id(2)
    assert w.detail.item.id == item_id
    shown = markings.rollup(markings.parse(m) for m in [
        w.detail.item.marking, *(lk.marking for lk in w.session.store.links_of(item_id))])
    assert w.detail.banner.marking.level >= shown.level
    w.browser.jump_to_row(model.rowCount() - 1)
    assert w.detail.item.id == model.item_id(model.rowCount() - 1)


def test_filter_bar_filters_in_sql(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    bar = w.browser.filters
    bar.kind.setCurrentIndex(bar.kind.findData("document"))
    bar.level.setCurrentIndex(bar.level.findData(2))
    bar.control_actions["NF"].setChecked(True)
    model = w.browser.model
    assert 0 < model.rowCount() < 3000
    for r in range(model.rowCount()):
        assert model.index(r, 0).data() == "document"
        assert model.index(r, 2).data().startswith("(S//") and "NF" in model.index(r, 2).data()
    assert w.browser.count_label.text() == f"{model.rowCount():,} items"
    bar.day_from.setText("not a date")
    bar.day_from.editingFinished.emit()
    assert "ffd7d7" in bar.day_from.styleSheet()


def test_case_tree_filters_by_case(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    index = w.case_model.index(0, 0)
    w._case_clicked(index)
    case_id = index.data(Qt.ItemDataRole.UserRole + 1)
    model = w.browser.model
    assert model.rowCount() > 0
    assert {model.index(r, 5).data(Qt.ItemDataRole.ToolTipRole)
            for r in range(model.rowCount())} == {case_id}
    assert model.index(0, 5).data() == index.data()  # the case's marked title, not its id
    qtbot.mouseClick(w.browser.filters.case_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == browse.count(w.session.store, BrowseFilter())


def test_search_as_you_type_highlights_and_ranks(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    assert w.find_action.shortcut() == QKeySequence("Ctrl+F")
    w.find_action.trigger()
    search = w.browser.filters.search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "passp")
    qtbot.waitUntil(lambda: w.browser.model is w.browser.search_model)
    model = w.browser.search_model
    assert model.rowCount() > 0 and not model.ranked
    assert "latest added first" in w.browser.count_label.text()
    assert w.browser.view.itemDelegateForColumn(1) is w.browser.delegate
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert model.ranked and "best matches first" in w.browser.count_label.text()
    w.browser.view.selectRow(0)
    assert "ffe066" in w.detail.text.toHtml() + w.detail.title.text()
    search.clear()
    qtbot.waitUntil(lambda: w.browser.model is w.browser.browse_model)


def test_follow_link_back_and_forward(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    src, dst = store.conn.execute("SELECT src, dst FROM links LIMIT 1").fetchone()
    assert w.detail.show_item(src)
    assert f"item:{dst}" in w.detail.text.toHtml()
    w.detail._anchor(__import__("PySide6.QtCore").QtCore.QUrl(f"item:{dst}"))
    assert w.detail.item.id == dst
    w.detail.back()
    assert w.detail.item.id == src
    w.detail.forward()
    assert w.detail.item.id == dst


def test_detail_banner_covers_linked_titles_marked_higher(qtbot, demo_copy: Path,
                                                          tmp_path: Path) -> None:
    """A linked item's marked title shown on the pane raises the pane's banner to cover it."""
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    src, dst_marking = store.conn.execute(
        "SELECT s.id, d.marking FROM links l JOIN items s ON s.id = l.src "
        "JOIN items d ON d.id = l.dst WHERE d.level > s.level AND l.level <= s.level "
        "LIMIT 1").fetchone()
    assert w.detail.show_item(src)
    item_marking = markings.parse(w.detail.item.marking)
    banner = w.detail.banner.marking
    assert banner.level >= markings.parse(dst_marking).level > item_marking.level
    assert banner.banner() in w.detail.banner.text()
    # The title line still carries the item's own portion mark.
    assert w.detail.title.text().startswith(item_marking.portion().replace("&", "&amp;"))


# ---- editing -----------------------------------------------------------------------------------

def test_editor_marking_picker_undo_and_save(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    item_id = store.conn.execute(
        "SELECT id FROM items WHERE kind = 'person' AND marking = '(U)' "
        "AND json_array_length(body, '$.portions') = 1 LIMIT 1").fetchone()[0]
    editor = w.edit_item(item_id)
    qtbot.addWidget(editor)
    version = editor.base_version
    picker = editor.picker
    # only valid combinations: SCI needs a classified portion, FOUO an unclassified one
    assert not picker.sci["SI"].isEnabled() and picker.dissem["FOUO"].isEnabled()
    picker.ui.levelCombo.setCurrentIndex(2)  # SECRET
    assert picker.sci["SI"].isEnabled() and not picker.dissem["FOUO"].isEnabled()
    picker.dissem["NOFORN"].setChecked(True)
    assert not picker.ui.relToCheck.isEnabled()
    assert picker.ui.preview.text() == "(S//NF)"
    assert editor.ui.itemMarkingLabel.text() == "SECRET//NOFORN"
    assert editor.banner.text() == "SECRET//NOFORN"
    # raising below the portions changes nothing; the roll-up wins
    editor.ui.raiseEdit.setText("C")
    editor.ui.raiseEdit.textEdited.emit("C")
    assert editor.ui.itemMarkingLabel.text() == "SECRET//NOFORN"
    # a second portion with its own mark
    editor.add_portion()
    assert picker.is_unset()  # a new portion has no marking until the analyst picks one
    assert editor.ui.portionList.currentItem().text().startswith("(not marked)")
    picker.ui.levelCombo.setCurrentIndex(2)  # SECRET, picked by the analyst
    picker.dissem["NOFORN"].setChecked(False)
    picker.ui.relToCheck.setChecked(True)
    picker.ui.relToEdit.setText("GBR")
    assert "REL TO" in picker.ui.errorLabel.text() or picker.portion() == "(S//REL TO USA, GBR)"
    qtbot.keyClicks(editor.ui.portionText, "Second paragraph.")
    assert editor.ui.itemMarkingLabel.text() == "SECRET//NOFORN"  # NF in any portion wins
    # undo back to one portion, redo again
    depth = editor.undo_stack.index()
    while editor.undo_stack.index() > depth - 4:
        editor.undo_stack.undo()
    assert len(editor.state()["portions"]) == 1
    editor.undo_stack.redo()
    while editor.undo_stack.canRedo():
        editor.undo_stack.redo()
    assert len(editor.state()["portions"]) == 2
    seq = browse.audit_page(store, limit=1)[0].seq
    assert editor.save(), editor.ui.errorLabel.text()
    saved = store.get_item(item_id)
    assert saved.version == version + 1 and saved.marking == "(S//NF)"
    assert [p.marking for p in saved.portions] == ["(S//NF)", "(S//REL TO USA, GBR)"]
    audit = browse.audit_page(store, limit=1)[0]
    assert audit.seq == seq + 1 and audit.action == "item.update" and audit.target == item_id


def test_editor_invalid_marking_names_rule(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    editor = w.new_item("person")
    qtbot.addWidget(editor)
    editor.picker.ui.levelCombo.setCurrentIndex(1)
    editor.picker.ui.relToCheck.setChecked(True)
    editor.picker.ui.relToEdit.setText("ZZZ")
    assert "rule:" in editor.picker.error() and "ZZZ" in editor.picker.error()
    assert not editor.save()
    editor.ui.raiseEdit.setText("(U//SI)")
    editor.ui.raiseEdit.textEdited.emit("(U//SI)")
    assert "rule:" in editor.ui.errorLabel.text()


def test_create_every_kind_new_person(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    assert w.new_action.shortcut() == QKeySequence("Ctrl+N")
    w.new_action.trigger()
    editor = w.editors[-1]
    qtbot.addWidget(editor)
    for kind in ("person", "organization", "location", "document", "event", "route_leg",
                 "report", "case"):
        editor.ui.kindCombo.setCurrentIndex(editor.ui.kindCombo.findData(kind))
        assert editor.fields is not None and editor.fields.widgets
    editor.ui.kindCombo.setCurrentIndex(editor.ui.kindCombo.findData("person"))
    editor.ui.titleEdit.setText("New smuggler")
    editor.ui.titleEdit.textEdited.emit("x")
    editor.ui.originatorEdit.setText("CBP")
    editor.ui.originatorEdit.textEdited.emit("x")
    f = editor.fields.widgets
    f["name"].setText("Ana Example")
    f["nationality"].setText("MEX")
    f["nationality"].textEdited.emit("x")
    editor.ui.portionText.setPlainText("Seen at the crossing.")
    assert "not marked" in editor.validate() and not editor.save()  # nothing marked for you
    editor.picker.ui.levelCombo.setCurrentIndex(0)  # UNCLASSIFIED, picked by the analyst
    assert editor.validate() == "role: choose one (nothing is chosen for you)"
    f["role"].setCurrentIndex(f["role"].findText("witness"))
    assert editor.validate() == ""
    assert editor.save()
    item = w.session.store.get_item(editor.item_id)
    assert item.title == "New smuggler" and item.version == 1
    assert w.detail.item.id == item.id


def test_link_items(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    person, org = (store.conn.execute(f"SELECT id FROM items WHERE kind = '{k}' LIMIT 1")
                   .fetchone()[0] for k in ("person", "organization"))
    dialog = w.link_item(person)
    qtbot.addWidget(dialog)
    dialog.ui.dstEdit.setText(org)
    dialog.ui.typeCombo.setCurrentText("member_of")
    dialog.picker.ui.levelCombo.setCurrentIndex(2)
    dialog.save()
    assert dialog.link is not None, dialog.ui.errorLabel.text()
    link = next(lk for lk in store.links_of(person) if lk.id == dialog.link.id)
    assert link.dst == org and link.link_type == "member_of" and link.marking == "(S)"
    assert browse.audit_page(store, limit=1)[0].action == "link.add"
    assert w.detail.show_item(person) and "member of" in w.detail.text.toPlainText()


def test_import_conflict_loses_nothing(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    item_id = store.conn.execute("SELECT id FROM items WHERE kind = 'case' LIMIT 1").fetchone()[0]
    editor = w.edit_item(item_id)
    qtbot.addWidget(editor)
    version = editor.base_version
    editor.ui.titleEdit.setText("My title")
    editor.ui.titleEdit.textEdited.emit("x")
    # meanwhile an import writes the next version
    from datetime import UTC, datetime

    from hstc_desk.domain import revise
    theirs = revise(store.get_item(item_id), updated=datetime.now(UTC), title="Their title")
    store.save_item(theirs)
    assert not editor.save()
    assert editor.ui.conflictFrame.isVisibleTo(editor)
    assert f"version {version + 1}" in editor.ui.conflictLabel.text()
    editor.take_theirs()
    assert editor.ui.titleEdit.text() == "Their title"
    editor.undo_stack.undo()  # mine comes back
    assert editor.ui.titleEdit.text() == "My title"
    editor.keep_mine()
    saved = store.get_item(item_id)
    assert saved.title == "My title" and saved.version == version + 2


# ---- handling: clipboard, lock ----

def test_copy_carries_portion_mark_and_clipboard_clears(qtbot, demo_copy: Path,
                                                        tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    item_id = store.conn.execute(
        "SELECT id FROM items WHERE marking LIKE '(S//%' LIMIT 1").fetchone()[0]
    w.detail.show_item(item_id)
    portion = w.detail.item.portions[0]
    text = w.detail.text
    w.guard.set_seconds(0.2)
    cursor = text.document().find(portion.text[:30])
    assert not cursor.isNull()
    text.setTextCursor(cursor)
    text.copy()
    clip = QGuiApplication.clipboard()
    assert clip.text() == f"{portion.marking} {portion.text[:30]}"
    qtbot.waitUntil(lambda: clip.text() == "", timeout=3000)
    # something else the analyst copied is left alone
    w.guard.copy_marked("(U)", "mine")
    clip.setText("copied elsewhere")
    w.guard.clear_if_ours()
    assert clip.text() == "copied elsewhere"


def test_lock_and_resume_keeps_unsaved_edits(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    item_id = w.browser.model.item_id(0)
    w.browser.view.selectRow(0)
    editor = w.edit_item(item_id)
    qtbot.addWidget(editor)
    editor.ui.titleEdit.setText("Unsaved title")
    editor.ui.titleEdit.textEdited.emit("x")
    store = w.session.store
    assert w.lock_action.shortcut() == QKeySequence("Ctrl+L")
    w.lock_action.trigger()
    assert store.conn is None and store._keys.db_key == b""  # the key has left memory
    assert w.session.is_locked and w.session._store is None
    assert w.stack.currentWidget() is w.lock_screen
    assert not w.detail_dock.isVisible() and not editor.isVisible()
    assert w.browser.view.model() is None
    qtbot.keyClicks(w.lock_screen.password, "wrong password")
    qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
    assert w.lock_screen.error.text() == "Wrong password." and w.session.is_locked
    qtbot.keyClicks(w.lock_screen.password, ANALYST_PW)
    qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
    assert not w.session.is_locked and w.stack.currentWidget() is w.browser
    assert editor.isVisible() and editor.ui.titleEdit.text() == "Unsaved title"
    assert w.detail.item.id == item_id and w.browser.model.rowCount() > 0
    assert editor.save()


def test_idle_lock(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path, idle_minutes=0.5 / 60)
    qtbot.waitUntil(lambda: w.session.is_locked, timeout=5000)
    assert w.stack.currentWidget() is w.lock_screen


def test_items_above_clearance_never_show(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as admin:
        admin.add_user("low", "low clearance pw", "analyst", clearance="C", kdf=TEST_KDF)
        secret = admin.conn.execute(
            "SELECT id FROM items WHERE level >= 2 LIMIT 1").fetchone()[0]
    w = open_window(qtbot, demo_copy, tmp_path, user="low", password="low clearance pw")
    assert w.top_banner.text() == "TOP SECRET//HCS/SI/TK"  # the workstation's system high
    model = w.browser.model
    marks = {model.index(r, 2).data()[:3] for r in range(min(model.rowCount(), 500))}
    assert marks <= {"(U)", "(U/", "(C)", "(C/"}
    assert not w.detail.show_item(secret)


def test_audit_viewer_and_background_task(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    viewer = w.show_audit()
    qtbot.addWidget(viewer)
    assert viewer.model.rowCount() > 0
    with qtbot.waitSignal(w.statusBar().messageChanged, timeout=10000):
        w.verify_audit()
        assert w.progress.isVisible() and w.cancel_button.isVisible()
    qtbot.waitUntil(lambda: w.task is None)
    assert not w.progress.isVisible()


def test_task_cancel(qtbot) -> None:
    from hstc_desk.gui.widgets.tasks import TaskContext, run_task

    results: list[str] = []

    def work(ctx: TaskContext) -> str:
        for i in range(10_000_000):
            ctx.progress(i, 10_000_000)
        return "finished"

    task = run_task(work, on_done=results.append, on_cancel=lambda: results.append("cancelled"))
    task.context.cancel()
    qtbot.waitUntil(lambda: results == ["cancelled"], timeout=5000)


def test_layout_kept_in_settings(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    w.case_dock.hide()
    w.close()
    w2 = open_window(qtbot, demo_copy, tmp_path)
    assert not w2.case_dock.isVisible() and w2.detail_dock.isVisible()


def test_compiled_forms_match_sources(tmp_path: Path) -> None:
    uic = Path(sys.executable).parent / "pyside6-uic"
    for ui in sorted((ROOT / "ui").glob("*.ui")):
        out = tmp_path / f"ui_{ui.stem}.py"
        subprocess.run([str(uic), str(ui), "-o", str(out)], check=True)
        compiled = ROOT / "hstc_desk" / "gui" / "forms" / out.name
        assert _code(compiled) == _code(out), f"run `make forms`: {ui.name} changed"


def _code(path: Path) -> list[str]:
    """The generated code, without the header line naming the uic version."""
    return [ln for ln in path.read_text().splitlines() if "User Interface Compiler" not in ln]


def test_hstc_desk_entry_unlocks_and_opens_window(qtbot, demo_copy: Path,
                                                  tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from hstc_desk.gui.app import main
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.qt_check import problem

    if problem():
        pytest.skip(problem())
    seen: dict[str, object] = {}

    def unlock() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, UnlockDialog) and w.isVisible())
        seen["store"] = dialog.ui.storeCombo.currentText()
        dialog.ui.userEdit.setText(ANALYST)
        dialog.ui.passwordEdit.setText(ANALYST_PW)
        dialog.unlock()
        QTimer.singleShot(0, close)

    def close() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        seen["banner"] = window.top_banner.text()
        window.close()

    QTimer.singleShot(0, unlock)
    settings = tmp_path / "desk.ini"
    try:
        assert main([str(demo_copy), "--settings", str(settings)]) == 0
    finally:
        QApplication.instance().setStyleSheet("")  # main() styled the shared app
    assert seen == {"store": str(demo_copy.resolve()), "banner": "TOP SECRET//HCS/SI/TK"}
    assert str(demo_copy.resolve()) in settings.read_text()  # remembered as a recent store


def test_exchange_menu_opens_the_dialogs_on_the_current_store(qtbot, demo_copy: Path,
                                                             tmp_path: Path) -> None:
    from PySide6.QtGui import QAction

    from hstc_desk.gui.exchange import ExportDialog
    from hstc_desk.gui.exchange import menu as exchange_menu

    w = open_window(qtbot, demo_copy, tmp_path)
    names = {a.objectName() for a in w.findChildren(QAction)}
    assert {"exportBundle", "importBundle", "trustedKeys", "conflicts"} <= names
    w.browser.view.selectRow(0)
    dialog = exchange_menu.open_export(w)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    assert dialog.selection is None  # one row selected: the scope is chosen in the dialog
    dialog.close()
    w.browser.view.selectAll()  # the rows loaded so far
    dialog = exchange_menu.open_export(w)
    qtbot.addWidget(dialog)
    loaded = w.browser.model.rowCount()
    assert dialog.selection == tuple(w.browser.model.item_id(r) for r in range(loaded))
    dialog.close()
    for opener in (exchange_menu.open_import, exchange_menu.open_keys,
                   exchange_menu.open_conflicts):
        d = opener(w)
        qtbot.addWidget(d)
        assert d.isVisible()
        d.close()


def test_following_a_link_selects_the_item_far_down_the_list(qtbot, demo_copy: Path,
                                                             tmp_path: Path) -> None:
    from PySide6.QtCore import QUrl

    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    model = w.browser.model
    flt, sort = model.window.flt, model.window.sort
    far = next((src, dst) for src, dst in store.conn.execute("SELECT src, dst FROM links")
               if (browse.position(store, flt, sort, dst) or 0) > 3 * browse.PAGE
               and browse.position(store, flt, sort, src) is not None)
    src, dst = far
    assert model.window.cached(browse.position(store, flt, sort, dst)) is None  # not fetched
    assert w.detail.show_item(src)
    w.detail._anchor(QUrl(f"item:{dst}"))
    selected = w.browser.view.selectionModel().selectedRows()
    assert [model.item_id(i.row()) for i in selected] == [dst]
    assert w.detail.item.id == dst
