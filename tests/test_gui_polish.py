"""Issue 9, the rough edges a person sees: layout at 1280x800 and 1920x1080 with both docks,
trusted keys for a non-admin, the conflicts dialog with nothing to resolve, item pickers where
raw ids were typed, and the Help menu. Real stores, real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from hstc_desk.domain import KINDS
from hstc_desk.gui.main_window import MainWindow

from conftest import ANALYST_PW
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]
SIZES = ((1280, 800), (1920, 1080))


def _settle(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    for dock in (window.detail_dock, window.case_dock):
        dock.show()
    for _ in range(5):
        QApplication.processEvents()


def _columns(window: MainWindow) -> dict[int, int]:
    view = window.browser.view
    hh = view.horizontalHeader()
    return {c: hh.sectionSize(c) for c in range(hh.count()) if not view.isColumnHidden(c)}


def _assert_layout(window: MainWindow, size: tuple[int, int]) -> None:
    view = window.browser.view
    cols = _columns(window)
    assert cols[1] >= 300, f"Title column {cols[1]} px at {size}: {cols}"
    # the columns fill the table: no gap on the right, no horizontal scrolling
    assert abs(sum(cols.values()) - view.viewport().width()) <= 2, (cols, size)
    assert not view.horizontalScrollBar().isVisible()
    fm = QFontMetrics(view.font())
    kinds = max(fm.horizontalAdvance(k.replace("_", " ")) for k in KINDS)
    assert cols[0] >= kinds + 8, ("the Kind column elides a kind", cols[0], kinds)
    index = view.model().index(0, 2)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()  # a marking cut is whole
    for edit in (window.browser.filters.day_from, window.browser.filters.day_to):
        inner = edit.contentsRect().width() - edit.textMargins().left() - \
            edit.textMargins().right()
        assert inner >= QFontMetrics(edit.font()).horizontalAdvance("2026-12-03") + 4, (
            edit.objectName(), inner, size)


# ---- 12: layout ------------------------------------------------------------------------------

def test_layout_holds_at_both_sizes_with_both_docks(qtbot, demo_copy: Path,
                                                    tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    for size in SIZES:
        _settle(w, size)
        _assert_layout(w, size)
        # a case filter with a long name keeps the date fields whole
        case = w.case_model.index(0, 0)
        w._case_clicked(case)
        qtbot.waitUntil(lambda: bool(w.browser.filters.case_id))
        _settle(w, size)
        _assert_layout(w, size)
        w.browser.filters.set_case("")


def test_columns_fill_the_table_after_unlock(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    _settle(w, SIZES[0])
    before = _columns(w)
    w.lock()
    assert w.resume(ANALYST_PW)
    _settle(w, SIZES[0])
    assert _columns(w) == before
    _assert_layout(w, SIZES[0])


def test_detail_dock_does_not_grow_with_its_content(qtbot, demo_copy: Path,
                                                     tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    _settle(w, SIZES[0])
    widths = set()
    for row in range(0, 60, 2):  # titles and banners of every length
        w.browser.view.selectRow(row)
        QApplication.processEvents()
        widths.add(w.detail_dock.width())
    assert len(widths) == 1, sorted(widths)
    assert _columns(w)[1] >= 300


def test_editor_fits_a_1280x800_screen(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    w.browser.view.selectRow(1)
    for editor in (w.edit_item(w.detail.item.id), w.new_item("report")):
        room = editor.screen().availableGeometry()
        # with a title bar and a panel on a 1280x800 screen, 720 px are left for the editor
        assert editor.minimumSizeHint().height() <= 720, editor.minimumSizeHint()
        assert editor.minimumSizeHint().width() <= 1280
        assert editor.height() <= max(room.height() - 40, editor.minimumSizeHint().height())
        assert editor.ui.saveButton.isVisible()


def test_controls_button_arrow_has_room_of_its_own(qtbot, demo_copy: Path,
                                                   tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    button = w.browser.filters.controls_button
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    text = QFontMetrics(button.font()).horizontalAdvance(button.text())
    assert button.width() >= text + arrow + 8, (button.width(), text, arrow)


def test_highlighted_title_elides_at_a_word_with_an_ellipsis(qapp) -> None:
    from hstc_desk.gui.browser.item_browser import elide_words

    font = QFont()
    bold = QFont(font)
    bold.setBold(True)  # highlighted words are drawn in bold: the cut must fit them too
    text = "Communication between Yowit Hafaye Mibrehiwet and Sessie Kefaye Iblom"
    wide = QFontMetrics(bold).horizontalAdvance(text)
    assert elide_words(text, font, wide) == text
    cut = elide_words(text, font, wide // 2)
    assert cut.endswith("…") and text.startswith(cut[:-1])
    assert text[len(cut) - 1] == " "  # the cut falls between words
    assert QFontMetrics(bold).horizontalAdvance(cut) <= wide // 2


def test_selected_search_hit_is_drawn_in_the_highlighted_text_colour(
        qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    _settle(w, SIZES[0])
    w.browser.filters.search.setText("smuggling")
    qtbot.waitUntil(lambda: w.browser.model is w.browser.search_model
                    and w.browser.model.rowCount() > 0)
    view = w.browser.view
    view.setFocus()
    view.selectRow(0)
    QApplication.processEvents()
    rect: QRect = view.visualRect(view.model().index(0, 1))
    image = view.viewport().grab(rect).toImage()
    dark = sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).lightness() < 40)
    light = sum(1 for x in range(image.width()) for y in range(image.height())
                if image.pixelColor(x, y).lightness() > 215)
    assert light > 20, "the selected title shows no text in the highlighted-text colour"
    assert dark == 0, f"{dark} near-black pixels on the selected row"


# ---- 15: conflicts -------------------------------------------------------------------------

def test_conflicts_dialog_with_nothing_to_resolve(qtbot, empty_store: Path) -> None:
    from hstc_desk.gui.exchange import ConflictsDialog
    from hstc_desk.store import Store

    from conftest import ADMIN, ADMIN_PW

    with Store.open(empty_store, ADMIN, ADMIN_PW) as store:
        dlg = ConflictsDialog(store)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.empty_label.isVisible()
        assert dlg.empty_label.text() == "No conflicts: nothing to resolve."
        assert not dlg.items.isVisible() and not dlg.body.isVisible()
        assert not dlg.keep_button.isEnabled()


def test_conflicts_dialog_labels_its_panes_and_keeps_only_a_choice(qtbot,
                                                                   tmp_path: Path) -> None:
    from datetime import timedelta

    from PySide6.QtWidgets import QLabel

    from hstc_desk.domain import revise
    from hstc_desk.exchange.merge import import_bundle
    from hstc_desk.gui.exchange import ConflictsDialog

    from exchange_helpers import bundle_bytes, location, new_store, trust_pair

    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        item = location(1, "(S//REL TO USA, GBR)")
        a.insert_items([item])
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        a.save_item(revise(item, updated=item.updated + timedelta(hours=1), title="at a"))
        b.save_item(revise(item, updated=item.updated + timedelta(hours=2), title="at b"))
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        dlg = ConflictsDialog(b)
        qtbot.addWidget(dlg)
        dlg.show()
        assert not dlg.empty_label.isVisible() and dlg.items.isVisible()
        buddies = {lab.buddy(): lab.text() for lab in dlg.findChildren(QLabel) if lab.buddy()}
        assert buddies[dlg.items] == "Conflicted items"
        assert buddies[dlg.versions].startswith("Versions")
        assert buddies[dlg.body].startswith("The chosen version")
        assert not dlg.keep_button.isEnabled()
        dlg.items.setCurrentRow(0)
        assert not dlg.keep_button.isEnabled()  # an item, but no version chosen yet
        dlg.versions.setCurrentRow(0)
        assert dlg.keep_button.isEnabled()
        body = dlg.body.toPlainText().splitlines()  # one field a line, not raw JSON
        assert body[0] in ("title: at a", "title: at b")
        assert body[1] == "marking: (S//REL TO USA, GBR)"
        assert dlg.width() >= 820
        assert dlg.keep()
        assert dlg.empty_label.isVisible() and not dlg.keep_button.isEnabled()


# ---- 14: trusted keys ------------------------------------------------------------------------

def test_keys_page_tells_a_non_admin_before_anything_is_filled(qtbot, empty_store: Path) -> None:
    from hstc_desk.gui.exchange import TrustedKeysPage
    from hstc_desk.store import Store

    from conftest import ANALYST

    with Store.open(empty_store, ANALYST, ANALYST_PW) as store:
        page = TrustedKeysPage(store)
        qtbot.addWidget(page)
        page.show()
        assert page.role_note.isVisible()
        assert page.role_note.text() == ("Trusting a key needs an admin; you are signed in as "
                                         "analyst.")
        for w in (page.key_path, page.fingerprint, page.trust_button, page.revoke_button):
            assert not w.isEnabled(), w
        assert page.export_button.isEnabled()  # anyone may hand out this workstation's key


def test_keys_page_for_an_admin_shows_the_whole_fingerprint(qtbot, demo_copy: Path,
                                                           tmp_path: Path) -> None:
    from PySide6.QtGui import QFontInfo

    from hstc_desk.exchange.keys import grouped
    from hstc_desk.exchange.trust import own_fingerprint
    from hstc_desk.gui.exchange import TrustedKeysPage
    from hstc_desk.gui.exchange import menu as exchange_menu

    from conftest import ADMIN, ADMIN_PW

    w = open_window(qtbot, demo_copy, tmp_path, user=ADMIN, password=ADMIN_PW)
    dialog = exchange_menu.open_keys(w)
    qtbot.waitExposed(dialog)
    page = dialog.findChild(TrustedKeysPage)
    assert page.trust_button.isEnabled()
    field = page.fingerprint
    text = grouped(own_fingerprint(w.session.store))
    assert len(text.split()) == 16
    field.setText(text)
    room = field.contentsRect().width() - field.textMargins().left() - \
        field.textMargins().right() - 4  # the line edit's own inner padding
    assert QFontInfo(field.font()).fixedPitch()
    assert room >= QFontMetrics(field.font()).horizontalAdvance(text), (room, field.width())
    assert not page.role_note.isVisible()


def test_export_this_workstations_key(qtbot, empty_store: Path, tmp_path: Path) -> None:
    from hstc_desk.exchange.keys import grouped, parse_key_file
    from hstc_desk.exchange.trust import own_fingerprint
    from hstc_desk.gui.exchange import TrustedKeysPage
    from hstc_desk.store import Store

    from conftest import ANALYST, store_bytes

    with Store.open(empty_store, ANALYST, ANALYST_PW) as store:
        page = TrustedKeysPage(store)
        qtbot.addWidget(page)
        out = tmp_path / "ws.pub"
        assert page.export_own_key(str(out))
        parsed = parse_key_file(out.read_bytes())
        assert parsed.fingerprint == own_fingerprint(store)
        assert parsed.workstation == store.meta("workstation_name")
        assert grouped(parsed.fingerprint) in page.status.text()
        before = store_bytes(empty_store)
        assert not page.export_own_key(str(empty_store / "ws.pub"))
        assert "store folder" in page.status.text()
        assert store_bytes(empty_store) == before


def test_import_dialog_is_wide_and_names_this_workstations_own_key(qtbot,
                                                                   tmp_path: Path) -> None:
    from hstc_desk.gui.exchange import ImportDialog

    from exchange_helpers import bundle_bytes, new_store

    with new_store(tmp_path / "a", items=20, seed=3) as a:
        out = tmp_path / "own.bundle"
        out.write_bytes(bundle_bytes(a, tmp_path, "USA"))
        dlg = ImportDialog(a)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.width() >= 640
        dlg.path.setText(str(out))
        assert not dlg.verify()  # its own bundle is never imported back
        report = dlg.report.toPlainText()
        assert "(unknown)" not in report and "NOT TRUSTED" not in report
        assert f"this workstation ({a.meta('workstation_name')})" in report
        assert "written by this workstation" in dlg.status.text()
        signature = next(r for r in range(dlg.checks.rowCount())
                         if dlg.checks.item(r, 0).text() == "signature")
        assert "own key" in dlg.checks.item(signature, 2).text()
        assert "trust store" not in report
        assert not dlg.import_button.isEnabled()


# ---- 18: help --------------------------------------------------------------------------------

def _help_action(w: MainWindow, name: str):
    from PySide6.QtGui import QAction

    menus = {m.title(): m for m in (a.menu() for a in w.menuBar().actions()) if m}
    help_menu = menus["&Help"]
    return next(a for a in help_menu.actions() if isinstance(a, QAction)
                and a.objectName() == name)


def test_help_shortcuts_are_read_off_the_actions(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    from hstc_desk.gui.help_dialogs import ShortcutsDialog

    w = open_window(qtbot, demo_copy, tmp_path)
    extra = QAction("Jump somewhere", w)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    w.menuBar().actions()[0].menu().addAction(extra)
    _help_action(w, "shortcuts").trigger()
    dialog = next(d for d in w.findChildren(ShortcutsDialog))
    table = dialog.table
    rows = {(table.item(r, 0).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    native = QKeySequence.SequenceFormat.NativeText
    expected = {(a.text().replace("&", "").rstrip("…").strip(), a.shortcut().toString(native))
                for a in w.findChildren(QAction) if not a.shortcut().isEmpty()}
    assert {("Lock", "Ctrl+L"), ("Find", "Ctrl+F"), ("Jump somewhere", "Ctrl+Alt+J")} <= rows
    missing = {e for e in expected if not any(r[0] == e[0] and e[1] in r[1] for r in rows)}
    assert not missing, missing
    # an item editor's own keys are listed from the same table the editor makes them from
    from PySide6.QtGui import QShortcut

    where = {(table.item(r, 0).text(), table.item(r, 1).text()): table.item(r, 2).text()
             for r in range(table.rowCount())}
    editor = w.new_item()
    made = {s.key().toString(native) for s in editor.findChildren(QShortcut)}
    listed = {v for (what, menu), v in where.items() if menu == "Item editor"}
    assert listed and listed <= made
    assert ("Save", "Item editor") in where and ("Redo", "Item editor") in where
    assert {b.objectName() for b in dialog.findChildren(QWidget)} >= {"topBanner",
                                                                     "bottomBanner"}


def test_help_about_names_every_version(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    import platform

    from PySide6.QtCore import qVersion

    from hstc_desk import __version__
    from hstc_desk.gui.help_dialogs import AboutDialog

    w = open_window(qtbot, demo_copy, tmp_path)
    _help_action(w, "about").trigger()
    text = w.findChild(AboutDialog).label.text()
    conn = w.session.store.conn
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    engine = conn.execute("SELECT sqlite_version()").fetchone()[0]
    for v in (__version__, cipher, engine, qVersion(), platform.python_version()):
        assert v and v in text, v


def test_help_markings_guide(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    from hstc_desk import markings
    from hstc_desk.gui.help_dialogs import MarkingsGuide
    from hstc_desk.gui.widgets.banner import BannerBar

    w = open_window(qtbot, demo_copy, tmp_path)
    _help_action(w, "markingsGuide").trigger()
    guide = w.findChild(MarkingsGuide)
    text = guide.text.toPlainText()
    for words in ("portion mark", "banner", "NOFORN", "REL TO", "LES-NF", "investigative leads",
                  "never lower"):
        assert words in text, words
    # its roll-up examples are the library's own answers
    assert "(S//REL TO USA, GBR) + (S//REL TO USA, CAN)" in text
    assert markings.rollup([markings.parse("(S//REL TO USA, GBR)"),
                            markings.parse("(S//REL TO USA, CAN)")]).banner() in text
    bars = {b.objectName(): b.text() for b in guide.findChildren(BannerBar)}
    assert bars == {"topBanner": "UNCLASSIFIED", "bottomBanner": "UNCLASSIFIED"}


# ---- 16: pickers where raw ids were typed ----------------------------------------------------

def _a_case(store) -> tuple[str, str]:
    from hstc_desk.store import browse
    from hstc_desk.store.browse import BrowseFilter, Sort

    row = browse.page(store, BrowseFilter(kinds=("case",)), Sort(), limit=1)[0]
    return row.id, row.title


def test_item_picker_finds_by_title_with_the_keyboard(qtbot, demo_copy: Path,
                                                      open_store) -> None:
    from PySide6.QtCore import Qt

    from hstc_desk.gui.editing.item_picker import ItemPicker

    store = open_store(demo_copy)
    case_id, title = _a_case(store)
    picker = ItemPicker(store, kinds=("case",))
    qtbot.addWidget(picker)
    picker.show()
    word = max(title.replace(":", " ").split(), key=len)
    with qtbot.waitSignal(picker.picked, timeout=3000) as picked:
        qtbot.keyClicks(picker.edit, word)
        popup = picker.completer.popup()
        qtbot.waitUntil(popup.isVisible, timeout=3000)
        assert all(m[0].startswith("CAS-") for m in picker.rows)
        row = next(i for i, m in enumerate(picker.rows) if m[0] == case_id)
        popup.setCurrentIndex(popup.model().index(row, 0))
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picked.args == [case_id] and picker.item_id == case_id
    assert picker.edit.text().endswith(title) and picker.edit.text().startswith("(")
    # every query is one bounded page, whatever the word
    assert len(picker.matches("smuggling")) <= ItemPicker.LIMIT
    assert len(ItemPicker(store).matches("")) == ItemPicker.LIMIT
    assert picker.matches(case_id)[0][0] == case_id  # a pasted id still works
    assert picker.search("zzzqqqxxnomatch") == []
    assert picker.info.text() == "No visible item matches."


def test_editor_case_is_picked_by_title(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    case_id, title = _a_case(w.session.store)
    editor = w.new_item("location")
    picker = editor.case_picker
    assert picker.isVisible() and not editor.ui.caseEdit.isVisible()
    picker.search(title)
    picker.choose(next(i for i, m in enumerate(picker.rows) if m[0] == case_id))
    assert editor.state()["case_id"] == case_id
    assert title in picker.edit.text()
    editor.undo_stack.undo()
    assert editor.state()["case_id"] == "" and picker.edit.text() == ""


def test_link_dialog_target_is_picked_by_title(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from hstc_desk.store import browse
    from hstc_desk.store.browse import BrowseFilter, Sort

    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    person = browse.page(store, BrowseFilter(kinds=("person",)), Sort(), limit=1)[0]
    network = browse.page(store, BrowseFilter(kinds=("organization",)), Sort(), limit=1)[0]
    dialog = w.link_item(person.id)
    picker = dialog.dst_picker
    assert picker.isVisible() and not dialog.ui.dstEdit.isVisible()
    picker.search(network.title)
    picker.choose(next(i for i, m in enumerate(picker.rows) if m[0] == network.id))
    assert dialog.ui.dstEdit.text() == network.id
    assert network.title in dialog.ui.dstInfo.text()
    assert dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_export_case_scope_is_picked_by_title(qtbot, demo_copy: Path, open_store) -> None:
    from hstc_desk.exchange.selection import Scope, plan
    from hstc_desk.gui.exchange import ExportDialog

    from conftest import ADMIN, ADMIN_PW

    store = open_store(demo_copy, ADMIN, ADMIN_PW)
    case_id, title = _a_case(store)
    dlg = ExportDialog(store)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.case_picker.isVisible() and not dlg.case_id.isVisible()
    assert dlg.width() >= 720  # the left-out table's id, marking and reason unwrapped
    dlg.case_picker.search(title)
    popup = dlg.case_picker.completer.popup()
    entry = dlg.case_picker.model.item(0).text()
    assert popup.width() >= popup.fontMetrics().horizontalAdvance(entry), "ids cut off"
    dlg.case_picker.choose(next(i for i, m in enumerate(dlg.case_picker.rows)
                                if m[0] == case_id))
    assert dlg.case_id.text() == case_id
    assert dlg.preview()
    assert dlg.flow.plan.scope == Scope(case_id=case_id)
    table = dlg.left_out
    assert table.rowCount() > 0
    for c in (0, 1):  # the left-out ids and markings are shown whole
        widest = max(table.fontMetrics().horizontalAdvance(table.item(r, c).text())
                     for r in range(min(50, table.rowCount())))
        assert table.columnWidth(c) >= widest, (c, table.columnWidth(c), widest)
    assert 0 < len(dlg.flow.plan.items) == len(
        plan(store, dlg.destination.currentData(), Scope(case_id=case_id)).items)


def test_editor_id_fields_are_picked_by_title(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    from hstc_desk.store import browse
    from hstc_desk.store.browse import BrowseFilter, Sort

    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    place = browse.page(store, BrowseFilter(kinds=("location",)), Sort(), limit=1)[0]
    editor = w.new_item("event")
    picker = editor.id_pickers["location_id"]
    assert picker.isVisible() and not editor.fields.widgets["location_id"].isVisible()
    picker.search(place.title)
    assert all(m[0].startswith("LOC-") for m in picker.rows)
    picker.choose(next(i for i, m in enumerate(picker.rows) if m[0] == place.id))
    assert editor.state()["fields"]["location_id"] == place.id
    people = browse.page(store, BrowseFilter(kinds=("person",)), Sort(), limit=2)
    adder = editor.id_pickers["participant_ids"]
    for person in (*people, people[0]):  # each added once, in order
        adder.search(person.title)
        adder.choose(next(i for i, m in enumerate(adder.rows) if m[0] == person.id))
        assert adder.edit.text() == ""  # ready for the next
    assert editor.state()["fields"]["participant_ids"] == f"{people[0].id}, {people[1].id}"
    assert people[1].title in editor.fields.widgets["participant_ids"].toolTip()
    editor.ui.kindCombo.setCurrentIndex(editor.ui.kindCombo.findData("route_leg"))
    assert set(editor.id_pickers) == {"from_location_id", "to_location_id", "network_id"}
    assert all(m[0].startswith("ORG-") for m in editor.id_pickers["network_id"].search(""))


def test_a_pickers_open_list_is_under_the_windows_banners(qtbot, demo_copy: Path,
                                                           tmp_path: Path) -> None:
    """The dropped-down list shows marked titles: while it is open, the banners of the window
    around it cover them (and fall back once it closes)."""
    from hstc_desk.gui.widgets.banner import BannerBar

    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    low = store.conn.execute("SELECT id FROM items WHERE marking = '(U)' AND kind = 'person' "
                             "LIMIT 1").fetchone()[0]
    top_title = store.conn.execute("SELECT title FROM items WHERE marking LIKE '(TS%' "
                                   "ORDER BY length(title) DESC LIMIT 1").fetchone()[0]
    dialog = w.link_item(low)
    bars = [b for b in dialog.findChildren(BannerBar)
            if b.objectName() in ("topBanner", "bottomBanner")]
    assert len(bars) == 2 and all(not b.text().startswith("TOP SECRET") for b in bars)
    picker = dialog.dst_picker
    picker.edit.setFocus()
    picker.search(top_title)
    qtbot.waitUntil(picker.completer.popup().isVisible)
    assert any(m.startswith("(TS") for m in picker.listed_marks())
    assert all(b.text().startswith("TOP SECRET") for b in bars), [b.text() for b in bars]
    picker.completer.popup().hide()
    qtbot.waitUntil(lambda: not picker.completer.popup().isVisible())
    assert all(not b.text().startswith("TOP SECRET") for b in bars)


def test_editor_banner_covers_the_participants_it_names(qtbot, demo_copy: Path,
                                                        tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    secret = store.conn.execute("SELECT id FROM items WHERE kind = 'person' AND marking "
                                "LIKE '(TS%' LIMIT 1").fetchone()[0]
    editor = w.new_item("event")
    editor.picker.ui.levelCombo.setCurrentIndex(editor.picker.ui.levelCombo.findText(
        "UNCLASSIFIED (U)"))
    editor.ui.portionText.setPlainText("A meeting.")
    editor.validate()
    assert editor.banners.top.text() == "UNCLASSIFIED"
    adder = editor.id_pickers["participant_ids"]
    adder.search(secret)  # a pasted id
    adder.choose(0)
    assert secret in editor.fields.widgets["participant_ids"].text()
    editor.validate()
    assert editor.banners.top.text().startswith("TOP SECRET")
