"""The drafting window (issue 11 §1) over a real store: the banner as the live roll-up, undo and
redo of every kind of change, reorder by drag and by keys, autosave that survives closing and
reopening, the leads-only restriction taken from a citation, tearlines refusing what is not
releasable to their destination, figures that keep their marking and depicted items, and case
items dragged in from the browser's own model."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from hstc_desk.domain.product_portions import Citation, Figure, Paragraph
from hstc_desk.gui.browser.item_models import BrowseModel
from hstc_desk.gui.movement.export import render_png
from hstc_desk.gui.products.drafting_window import DraftingWindow, open_draft
from hstc_desk.gui.products.portion_model import PORTION_MIME
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.widgets.item_drag import ITEM_IDS_MIME
from hstc_desk.movement.figures import record
from hstc_desk.store import Store
from hstc_desk.store import products as store_products

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


@pytest.fixture
def session(demo_copy: Path):
    s = Session(Store.open(demo_copy, ANALYST, ANALYST_PW))
    yield s
    s.close()


def _window(qtbot, session: Session, **kw) -> DraftingWindow:
    w = open_draft(session, **kw)
    w.ask_before_close = False
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    qtbot.waitExposed(w)
    return w


def _item(session: Session, where: str) -> tuple[str, str, str]:
    """(id, marking, title) of the first item matching ``where``, visible to the analyst."""
    row = session.store.conn.execute(
        f"SELECT id, marking, title FROM items WHERE {where} ORDER BY id LIMIT 1").fetchone()
    assert row is not None, where
    return row


def _titled(w: DraftingWindow, title: str = "Couriers on the northern route",
            mark: str = "(U)") -> None:
    w.header.title_edit.setFocus()
    QTest.keyClicks(w.header.title_edit, title)
    w.header.title_mark.picked.emit(mark)  # what the marking dialog's OK sends


def _paragraph(w: DraftingWindow, text: str, mark: str) -> None:
    w.add_paragraph()
    w.editor.picker.set_marking(mark)
    w.editor.paragraph.text.setFocus()
    QTest.keyClicks(w.editor.paragraph.text, text)


def _banners(w: DraftingWindow) -> tuple[str, str]:
    return w.banners.top.text(), w.banners.bottom.text()


# ---- banner --------------------------------------------------------------------------------------


def test_the_banner_is_the_live_roll_up_of_every_portion(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    # a new bulletin starts from its template: Summary, Details, Indicators, marked (U)
    assert [e.text for e in w.state.entries] == ["Summary", "Details", "Indicators"]
    assert _banners(w) == ("UNCLASSIFIED", "UNCLASSIFIED")
    _titled(w)
    assert not w.header.authority_hint.isVisibleTo(w)
    _paragraph(w, "Two couriers crossed at night.", "C")
    assert _banners(w) == ("CONFIDENTIAL", "CONFIDENTIAL")
    assert w.header.authority_hint.isVisibleTo(w)  # classified: approval needs the block
    _paragraph(w, "The handler is known to partners.", "S//NF")
    assert _banners(w) == ("SECRET//NOFORN", "SECRET//NOFORN")
    assert w.banners.top.styleSheet() and "#c8102e" in w.banners.top.styleSheet()
    nf_id, _mark, _t = _item(session, "marking LIKE '(TS//%'")
    w.cite_items([nf_id])
    assert w.banners.top.text().startswith("TOP SECRET")
    w.undo_stack.undo()  # the citation
    assert _banners(w) == ("SECRET//NOFORN", "SECRET//NOFORN")
    w.remove_current()  # the NOFORN paragraph
    assert _banners(w) == ("CONFIDENTIAL", "CONFIDENTIAL")


def test_the_banner_covers_the_marked_titles_a_search_list_shows(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    assert w.banners.top.text() == "UNCLASSIFIED"
    w.cite_picker.edit.setFocus()
    rows = w.cite_picker.search("")  # Down with the field empty: the newest items
    assert rows
    qtbot.waitUntil(lambda: w.cite_picker.completer.popup().isVisible())
    shown = {m for _i, m, _t in rows}
    from hstc_desk import markings
    want = markings.rollup(markings.parse(m) for m in [*shown, "(U)"]).banner()
    qtbot.waitUntil(lambda: w.banners.top.text() == want)
    w.cite_picker.completer.popup().hide()
    qtbot.waitUntil(lambda: w.banners.top.text() == "UNCLASSIFIED")


# ---- undo and redo -------------------------------------------------------------------------------


def test_undo_and_redo_every_change_with_the_keys(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="strategic_assessment")
    _titled(w, "Outlook for the corridor")
    _paragraph(w, "Flows will rise", "S//REL TO USA, GBR")
    row = w.current_row()
    assert w.state.entries[row].text == "Flows will rise"
    # bold by Ctrl+B: the markup keeps it
    QTest.keyClick(w.editor.paragraph.text, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(w.editor.paragraph.text, " sharply")
    assert w.state.entries[row].text == "Flows will rise** sharply**"
    before_text = w.state
    # Ctrl+Z in the text field is the window's undo, not the field's own
    QTest.keyClick(w.editor.paragraph.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.state != before_text
    assert w.editor.paragraph.markup() == w.state.entries[row].text
    while w.undo_stack.canUndo():
        QTest.keyClick(w.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.state.title == "" and w.state.title_marking == ""
    assert [e.kind for e in w.state.entries] == ["heading"] * 4
    assert w.banners.top.text() == "UNCLASSIFIED"
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    while w.undo_stack.canRedo():
        QTest.keyClick(w.header.title_edit, Qt.Key.Key_Z, ctrl_shift)
    assert w.state == before_text
    assert w.header.title_edit.text() == "Outlook for the corridor"
    assert w.banners.top.text() == "SECRET//REL TO USA, GBR"


def test_a_run_of_typing_is_one_undo_step(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _paragraph(w, "abc", "U")
    steps = w.undo_stack.count()
    QTest.keyClicks(w.editor.paragraph.text, "def")
    assert w.undo_stack.count() == steps  # merged into the typing before
    w.undo_stack.undo()
    assert w.state.entries[w.current_row()].text == ""


# ---- reorder -------------------------------------------------------------------------------------


def _drag(w: DraftingWindow, row: int, to: int) -> bool:
    mime = w.model.mimeData([w.model.index(row)])
    assert mime.hasFormat(PORTION_MIME)
    assert w.model.canDropMimeData(mime, Qt.DropAction.MoveAction, to, 0, QModelIndex())
    return w.model.dropMimeData(mime, Qt.DropAction.MoveAction, to, 0, QModelIndex())


def test_portions_reorder_by_drag_and_by_keys_and_undo(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    start = [e.text for e in w.state.entries]
    assert start == ["Summary", "Details", "Indicators"]
    assert _drag(w, 0, 3)  # Summary dropped at the end
    assert [e.text for e in w.state.entries] == ["Details", "Indicators", "Summary"]
    assert w.list.currentIndex().row() == 2  # the selection follows the moved portion
    assert _drag(w, 2, 1)
    assert [e.text for e in w.state.entries] == ["Details", "Summary", "Indicators"]
    w.list.setFocus()
    QTest.keyClick(w.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [e.text for e in w.state.entries] == ["Summary", "Details", "Indicators"]
    QTest.keyClick(w.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [e.text for e in w.state.entries] == ["Details", "Summary", "Indicators"]
    for _ in range(4):
        w.undo_stack.undo()
    assert [e.text for e in w.state.entries] == start
    assert [w.model.index(r).data() for r in range(3)] == \
        [w.model.index(r).data() for r in range(3)]  # the model shows the state
    assert [w.model.entries[r].text for r in range(3)] == start


# ---- autosave ------------------------------------------------------------------------------------


def test_autosave_on_the_timer_and_on_close_survives_reopening(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="target_package")
    w.autosave_timer.setInterval(30)
    _titled(w, "Network Alpha", "(C)")
    _paragraph(w, "Subject runs the crossings.", "C")
    w.editor.paragraph.toggle_list("bullet")
    qtbot.waitUntil(lambda: w.status.text().startswith("Saved:"), timeout=5000)
    product_id = w.saver.product_id
    assert product_id
    stored = store_products.get(session.store, product_id)
    assert stored.title == "Network Alpha" and stored.title_marking == "(C)"
    assert any(isinstance(p, Paragraph) and p.text == "- Subject runs the crossings."
               for p in stored.portions)
    # a change made just before closing is saved by the close itself
    w.autosave_timer.setInterval(60_000)
    w.header.title_edit.setFocus()
    QTest.keyClicks(w.header.title_edit, " (draft 2)")
    assert w.status.text().startswith("Unsaved")
    w.close()
    again = _window(qtbot, session, product_id=product_id)
    assert again.state.title == "Network Alpha (draft 2)"
    assert [(e.kind, e.text, e.marking) for e in again.state.entries] == \
        [(e.kind, e.text, e.marking) for e in w.state.entries]
    assert [e.pid for e in again.state.entries] == [e.pid for e in w.state.entries]
    assert again.banners.top.text() == "CONFIDENTIAL"
    assert not again.header.type_combo.isEnabled()  # a stored product keeps its type
    assert again.status.text().startswith("Saved:")


def test_a_draft_that_cannot_be_saved_says_why_and_writes_nothing(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    assert not w.autosave()
    assert "title" in w.status.text()
    _titled(w)
    w.add_paragraph()  # not marked, empty
    n = w.current_row() + 1
    assert not w.autosave()
    assert f"portion {n} (paragraph) is not marked yet" in w.status.text()
    assert session.store.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0
    w.editor.picker.set_marking("U")
    assert not w.autosave()
    assert f"portion {n} (paragraph) is empty" in w.status.text()
    QTest.keyClicks(w.editor.paragraph.text, "Now it has words.")
    w.header.classified_by.setFocus()
    QTest.keyClicks(w.header.classified_by, "Analyst 7")
    assert not w.autosave()
    assert "authority block needs derived from, declassify on" in w.status.text()
    w.header.classified_by.clear()
    w.header.edited.emit("classified_by", "")
    assert w.autosave()
    assert session.store.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 1


def test_a_saved_marking_is_never_lowered(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _titled(w)
    _paragraph(w, "Shipments doubled.", "S")
    assert w.autosave()
    w.editor.picker.set_marking("C")
    assert w.refusal.isVisible()
    n = w.current_row()
    assert f'portion {n + 1} (paragraph "Shipments doubled.")' in w.refusal.text()
    assert "was saved as (S); it may not go down to (C)" in w.refusal.text()
    assert w.state.entries[n].marking == "(S)"
    assert w.editor.picker.portion() == "(S)"  # the picker shows what the portion holds


# ---- use restriction -----------------------------------------------------------------------------


def test_citing_a_leads_only_item_restricts_the_product_and_says_so(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_report")
    _titled(w, "Leads from the port")
    statement = w.findChild(QLabel, "leadsOnlyStatement")
    assert not statement.isVisible()
    item_id, mark, title = _item(session, "restricted = 1")
    w.cite_items([item_id])
    assert statement.isVisible()
    assert "for investigative leads only" in statement.text()
    row = w.current_row()
    cited = w.state.entries[row]
    assert (cited.item_id, cited.marking, cited.item_title, cited.use_restriction) == \
        (item_id, mark, title, "leads_only")
    assert "LEADS ONLY" in w.editor.cite_title.text() and title in w.editor.cite_title.text()
    assert w.autosave()
    stored = store_products.get(session.store, w.saver.product_id)
    assert stored.use_restriction == "leads_only"
    c = next(p for p in stored.portions if isinstance(p, Citation))
    assert (c.item_id, c.marking, c.title) == (item_id, mark, title)
    # once stored, it stays restricted even if the citation goes (the store keeps it)
    w.remove_current()
    assert statement.isVisible()


# ---- tearlines -----------------------------------------------------------------------------------


def test_a_tearline_for_europol_refuses_noforn_and_orcon_portions_naming_them(qtbot,
                                                                              session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _titled(w)
    _paragraph(w, "Handler identified by a liaison service.", "S//NF")
    nf_row = w.current_row()
    assert w.add_tearline("EUROPOL")
    tear = w.current_row()
    w.editor.picker.set_marking("U")
    assert w.state.entries[tear].marking == "(U)"
    w.add_paragraph()
    QTest.keyClicks(w.editor.paragraph.text, "Routes through the northern ports.")
    w.editor.picker.set_marking("S//NF")
    refusal = w.refusal.text()
    assert w.refusal.isVisible()
    assert f"portion {tear + 2} (paragraph \"Routes through the northern ports.\")" in refusal
    assert "NOFORN: not releasable to foreign destination EUROPOL" in refusal
    assert w.state.entries[tear + 1].marking == ""  # not made
    w.editor.picker.set_marking("S//OC/REL TO USA, FVEY")
    assert "ORCON: needs the originator's release for EUROPOL" in w.refusal.text()
    assert w.state.entries[tear + 1].marking == ""
    # dragging the NOFORN paragraph under the tearline is refused too, naming it
    assert not _drag(w, nf_row, len(w.state.entries)) or \
        w.state.entries[nf_row].marking == "(S//NF)"
    assert f"portion {len(w.state.entries)} (paragraph \"Handler identified" in w.refusal.text()
    assert w.state.entries[nf_row].text == "Handler identified by a liaison service."
    # so is citing a NOFORN item there
    nf_id, _m, _t = _item(session, "marking LIKE '%NF)'")
    assert not w.cite_items([nf_id], len(w.state.entries))
    assert nf_id in w.refusal.text() and "NOFORN" in w.refusal.text()
    # and inserting a tearline above a portion that may not go there
    w.undo_stack.clear()
    w.list.setCurrentIndex(w.model.index(0))
    assert not w.add_tearline("GBR")
    assert "not releasable" in w.refusal.text() or "REL TO" in w.refusal.text()
    # releasable portions are welcome; the tearline's own banner is its section's roll-up
    w.list.setCurrentIndex(w.model.index(tear + 1))
    w.editor.picker.set_marking("U")
    assert not w.refusal.isVisible()
    from hstc_desk.gui.products.portion_state import section_banner
    assert section_banner(w.state.entries, tear).banner() == "UNCLASSIFIED"
    assert w.banners.top.text() == "SECRET//NOFORN"  # the parent's banner rolls up all


# ---- figures -------------------------------------------------------------------------------------


def _figure_png(session: Session, tmp_path: Path, qtbot) -> tuple[Path, list[str], str]:
    from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

    ids = [r[0] for r in session.store.conn.execute(
        "SELECT id FROM items WHERE kind = 'event' AND marking = '(S//REL TO USA, GBR)' "
        "ORDER BY id LIMIT 5")]
    if not ids:
        ids = [r[0] for r in session.store.conn.execute(
            "SELECT id FROM items WHERE marking LIKE '(S%' ORDER BY id LIMIT 5")]
    marks = [r[0] for r in session.store.conn.execute(
        f"SELECT marking FROM items WHERE id IN ({','.join('?' * len(ids))})", ids)]
    from hstc_desk import markings
    banner = markings.rollup(markings.parse(m) for m in marks).banner()
    scene = QGraphicsScene()
    scene.addText("a timeline of the case")
    scene.addRect(0, 30, 200, 40)
    plot = QGraphicsView(scene)
    plot.resize(320, 180)
    qtbot.addWidget(plot)
    rec = record("timeline", banner, sorted(ids), {"case": []})
    path = tmp_path / "timeline.png"
    path.write_bytes(render_png(plot, rec))
    return path, sorted(ids), rec.portion


def test_a_placed_figure_keeps_its_marking_and_depicted_items(qtbot, session, tmp_path) -> None:
    w = _window(qtbot, session, product_type="target_assessment")
    _titled(w, "Route of the network")
    path, ids, portion = _figure_png(session, tmp_path, qtbot)
    assert w.add_figure_file(path)
    e = w.state.entries[w.current_row()]
    assert (e.kind, e.marking, list(e.depicted), e.figure_kind) == \
        ("figure", portion, ids, "timeline")
    assert e.text == f"Timeline of {len(ids)} item{'s' if len(ids) != 1 else ''}"
    assert not w.editor.picker.isEnabled()  # a figure keeps its record's marking
    preview = w.editor.figure_image.pixmap()
    assert preview is not None and not preview.isNull()
    assert str(len(ids)) in w.editor.figure_items.text()
    assert w.banners.top.text() != "UNCLASSIFIED"
    # moved, the figure carries its marking and items with it
    assert _drag(w, w.current_row(), 0)
    moved = w.state.entries[0]
    assert (moved.marking, moved.depicted, moved.image) == (e.marking, e.depicted, e.image)
    assert w.autosave()
    stored = store_products.get(session.store, w.saver.product_id)
    fig = next(p for p in stored.portions if isinstance(p, Figure))
    assert (fig.marking, fig.items, fig.image_sha256) == (portion, ids, e.image_sha256)
    w.close()
    again = _window(qtbot, session, product_id=stored.id)
    f2 = again.state.entries[0]
    assert (f2.kind, f2.marking, list(f2.depicted), f2.image) == ("figure", portion, ids, e.image)


def test_an_image_without_a_figure_record_is_refused(qtbot, session, tmp_path) -> None:
    w = _window(qtbot, session, product_type="target_assessment")
    plain = tmp_path / "photo.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    image.save(str(plain))
    n = len(w.state.entries)
    assert not w.add_figure_file(plain)
    assert "no figure record" in w.refusal.text() and "photo.png" in w.refusal.text()
    svg = tmp_path / "view.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert not w.add_figure_file(svg)
    assert "PNG" in w.refusal.text()
    assert len(w.state.entries) == n  # nothing placed


# ---- citations from the browser ------------------------------------------------------------------


def test_items_dragged_from_the_browser_become_citations_with_title_and_marking(
        qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    browser = BrowseModel(session.store)
    mime = browser.mimeData([browser.index(0, 1), browser.index(0, 2), browser.index(1, 1)])
    assert mime.hasFormat(ITEM_IDS_MIME)
    assert not mime.hasText()  # only ids travel: a drop outside the app carries no marked text
    ids = [browser.item_id(0), browser.item_id(1)]
    assert w.model.canDropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert w.model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    cited = w.state.entries[1:3]
    assert [c.item_id for c in cited] == ids
    for c in cited:
        row = session.store.conn.execute("SELECT marking, title FROM items WHERE id = ?",
                                         (c.item_id,)).fetchone()
        assert (c.kind, c.marking, c.item_title) == ("citation", row[0], row[1])
    assert w.model.index(1).data().startswith(cited[0].marking)
    # "derived from" offers what is cited, and Multiple Sources for several
    offers = [w.header.derived_from.itemText(i) for i in range(w.header.derived_from.count())]
    assert offers[0] == "Multiple Sources" and any(ids[0] in o for o in offers)
    # picked by search, an item is cited after the selected portion
    w.list.setCurrentIndex(w.model.index(0))
    w.cite_picker.search("")
    w.cite_picker.choose(0)
    assert w.state.entries[1].kind == "citation"
    assert w.cite_picker.item_id == ""  # ready for the next


def test_a_product_in_review_opens_read_only(qtbot, session) -> None:
    p = store_products.create(
        session.store, product_type="intelligence_bulletin", title="In review",
        title_marking="(U)", portions=[Paragraph(marking="(U)", text="Text.")])
    store_products.submit(session.store, p.id)
    w = _window(qtbot, session, product_id=p.id)
    assert w.readonly_label.isVisible() and "in review" in w.readonly_label.text()
    assert not w.editor.isEnabled() and not w.add_paragraph_button.isEnabled()
    assert not w.autosave()


def test_locking_saves_the_draft_and_tab_walks_the_window(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _titled(w, "Saved by the lock")
    _paragraph(w, "Written just before the lock.", "C")
    assert w.saver.product_id is None  # the timer has not fired yet
    session.lock()  # the store is still open while the lock is announced
    assert w.saver.product_id is not None
    assert session.resume(ANALYST_PW)
    stored = store_products.get(session.store, w.saver.product_id)
    assert any(isinstance(p, Paragraph) and p.text == "Written just before the lock."
               for p in stored.portions)
    # keyboard: from the type, Tab reaches the title's mark, the title, then the authority
    w.header.type_combo.setFocus()
    order = [w.header.type_combo]
    for _ in range(3):
        order.append(order[-1].nextInFocusChain())
        while not (order[-1].focusPolicy() & Qt.FocusPolicy.TabFocus and order[-1].isEnabled()
                   and order[-1].isVisibleTo(w)):
            order[-1] = order[-1].nextInFocusChain()
    assert order[1:] == [w.header.title_mark, w.header.title_edit, w.header.classified_by]


def test_the_title_mark_is_chosen_in_the_marking_picker_dialog(qtbot, session) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from hstc_desk.gui.products.drafting_marking import MarkingDialog

    w = _window(qtbot, session, product_type="intelligence_bulletin")
    assert w.header.title_mark.text() == "Mark…"  # nothing is marked for the analyst

    def pick() -> None:
        dialog = next(d for d in QApplication.topLevelWidgets()
                      if isinstance(d, MarkingDialog) and d.isVisible())
        dialog.picker.set_marking("C//REL TO USA, GBR")
        dialog.accept()

    QTimer.singleShot(50, pick)
    w.header.title_mark.click()
    assert w.state.title_marking == "(C//REL TO USA, GBR)"
    assert w.header.title_mark.text() == "(C//REL TO USA, GBR)"
    assert w.banners.top.text() == "CONFIDENTIAL//REL TO USA, GBR"
    w.undo_stack.undo()
    assert w.state.title_marking == "" and w.header.title_mark.text() == "Mark…"


def test_a_new_drafts_type_brings_its_template_and_a_referral_its_addressees(qtbot,
                                                                           session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    index = w.header.type_combo.findData("referral")
    w.header.type_combo.setCurrentIndex(index)
    w.header.type_combo.activated.emit(index)
    assert [e.text for e in w.state.entries] == ["Issue", "Basis", "Recommended action",
                                                 "Points of contact"]
    assert w.header.referral.isVisibleTo(w)
    _titled(w, "Referral: the rail yard")
    assert not w.autosave()
    assert "addressees" in w.status.text()
    w.header.addressees.setFocus()
    QTest.keyClicks(w.header.addressees, "usa-doj, NOPE")
    QTest.keyClicks(w.header.recommended, "Open an investigation of the yard.")
    assert not w.autosave()
    assert "addressee NOPE" in w.status.text()
    w.header.addressees.clear()
    QTest.keyClicks(w.header.addressees, "usa-doj, GBR")
    assert w.autosave(), w.status.text()
    stored = store_products.get(session.store, w.saver.product_id)
    assert (stored.product_type, stored.addressees, stored.recommended_action) == \
        ("referral", ["USA-DOJ", "GBR"], "Open an investigation of the yard.")


def test_pasted_text_arrives_plain(qtbot, session) -> None:
    from PySide6.QtCore import QMimeData

    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _paragraph(w, "Seen: ", "U")
    mime = QMimeData()
    mime.setHtml("<h1>Big</h1><p style='color:red'><u>underlined</u> <b>bold</b></p>")
    mime.setText("Big underlined bold")
    w.editor.paragraph.text.insertFromMimeData(mime)
    assert w.state.entries[w.current_row()].text == "Seen: Big underlined bold"


def test_closing_with_changes_the_store_would_refuse_asks_first(qtbot, session) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    w = _window(qtbot, session, product_type="intelligence_bulletin")
    w.ask_before_close = True
    _titled(w)
    assert w.autosave()
    w.add_paragraph()  # unmarked and empty: the store would not take it
    assert not w.autosave() and "is not marked yet" in w.status.text()
    answers = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "cannot be saved" in box.text()
        assert "paragraph" not in box.text()  # no portion's words in a box without a banner
        answers.append(box.text())
        box.button(button).click()

    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Cancel))
    assert not w.request_close()
    assert w.isVisible() and answers
    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Discard))
    assert w.request_close()
    assert len(answers) == 2
    # a close by the app itself (a lock puts every window away) never asks
    w2 = _window(qtbot, session, product_type="intelligence_bulletin")
    w2.ask_before_close = True
    w2.add_paragraph()
    assert w2.close() and not w2.isVisible()
    assert len(answers) == 2


def test_the_movement_timeline_as_shown_is_placed_as_a_figure(qtbot, session) -> None:
    from hstc_desk.gui.movement.timeline_view import TimelineView

    w = _window(qtbot, session, product_type="target_assessment")
    view = TimelineView(session.store)
    qtbot.addWidget(view)
    view.resize(700, 360)
    view.show()
    qtbot.waitExposed(view)
    rec = view.figure_record()
    assert w.add_figure_from_view(view)
    e = w.state.entries[w.current_row()]
    assert (e.kind, e.marking, list(e.depicted), e.figure_kind) == \
        ("figure", rec.portion, rec.items, "timeline")
    assert not QImage.fromData(e.image).isNull()
    assert QImage.fromData(e.image).text("HSTC-Figure")  # the record travels in the PNG
    view._timer.stop()  # its playback timer, as the workspace tests stop it


def test_a_returned_draft_shows_its_review_comments_where_they_belong(qtbot, session,
                                                                      demo_copy) -> None:
    from conftest import SUPERVISOR, SUPERVISOR_PW

    p = store_products.create(
        session.store, product_type="intelligence_bulletin", title="Returned one",
        title_marking="(U)", portions=[Paragraph(marking="(U)", text="First."),
                                       Paragraph(marking="(C)", text="Second.")])
    store_products.submit(session.store, p.id)
    pid = p.portions[1].pid
    with Store.open(demo_copy, SUPERVISOR, SUPERVISOR_PW) as sup:
        store_products.return_product(sup, p.id, "Source the second paragraph.",
                                      anchored=[(pid, "Which report says so?")])
    w = _window(qtbot, session, product_id=p.id)
    assert w.returned.isVisible()
    assert "sup" in w.returned.text() and "Source the second paragraph." in w.returned.text()
    assert "1 more on portions" in w.returned.text()
    from hstc_desk.gui.products.portion_model import COMMENTS_ROLE
    assert [w.model.index(r).data(COMMENTS_ROLE) for r in range(2)] == [0, 1]
    w.list.setCurrentIndex(w.model.index(0))
    assert not w.editor.comments.isVisible()
    w.list.setCurrentIndex(w.model.index(1))
    assert w.editor.comments.isVisible()
    assert "Which report says so?" in w.editor.comments.text()
    # and the draft is editable again: the edit keeps the portion (and so its comment)
    w.editor.paragraph.text.setFocus()
    QTest.keyClicks(w.editor.paragraph.text, " Per the port report.")
    assert w.autosave()
    assert store_products.get(session.store, p.id).portions[1].pid == pid


def test_submitting_sends_the_draft_to_review_and_refuses_an_incomplete_one(qtbot,
                                                                            session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    sent = []
    w.submitted.connect(sent.append)
    _titled(w)
    w.list.setCurrentIndex(w.model.index(w.model.rowCount() - 1))
    assert w.add_tearline("EUROPOL", "For Europol")  # at the end: nothing under it yet
    w.editor.picker.set_marking("U")  # the tearline's title mark
    assert not w.submit()
    assert "Not submitted" in w.refusal.text() and "EUROPOL" in w.refusal.text()
    assert store_products.get(session.store, w.saver.product_id).status == "draft"
    w.add_paragraph()
    w.editor.picker.set_marking("U")
    QTest.keyClicks(w.editor.paragraph.text, "Releasable to partners.")
    assert w.submit(), w.refusal.text()
    assert sent == [w.saver.product_id]
    assert store_products.get(session.store, w.saver.product_id).status == "in_review"
    assert w.readonly_label.isVisible() and not w.submit_button.isEnabled()
    before = w.state
    w.list.setFocus()
    QTest.keyClick(w.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(w.list, Qt.Key.Key_Delete)
    assert w.state == before  # keys change nothing in review


def test_the_title_bar_never_shows_the_marked_title(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="target_package")
    _titled(w, "Secret name of the network", "(S//NF)")
    assert "Secret name" not in w.windowTitle()
    assert w.windowTitle() == "Drafting a new target package"
    _paragraph(w, "Text.", "S//NF")
    assert w.autosave()
    assert w.windowTitle() == f"Drafting {w.saver.product_id} (target package)"


def test_copies_carry_their_portion_mark(qtbot, session) -> None:
    from PySide6.QtGui import QGuiApplication, QTextCursor

    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _paragraph(w, "The handler is known to partners.", "S//NF")
    edit = w.editor.paragraph.text
    edit.moveCursor(QTextCursor.MoveOperation.Start)
    edit.moveCursor(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    edit.copy()
    assert QGuiApplication.clipboard().text() == "(S//NF) The"
    w.list.setCurrentIndex(w.model.index(0))  # the Summary heading, marked (U)
    w.editor.heading.setFocus()
    w.editor.heading.selectAll()
    QTest.keyClick(w.editor.heading, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "(U) Summary"
    QGuiApplication.clipboard().clear()
    w.header.title_edit.setFocus()
    QTest.keyClicks(w.header.title_edit, "Handlers")
    w.header.title_mark.picked.emit("(C)")
    w.header.title_edit.selectAll()
    QTest.keyClick(w.header.title_edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "(C) Handlers"
    QGuiApplication.clipboard().clear()


def test_an_approved_product_is_edited_as_its_next_version(qtbot, session, demo_copy) -> None:
    from conftest import SUPERVISOR, SUPERVISOR_PW

    p = store_products.create(
        session.store, product_type="intelligence_bulletin", title="Approved one",
        title_marking="(U)", portions=[Paragraph(marking="(U)", text="Signed text.")])
    store_products.submit(session.store, p.id)
    with Store.open(demo_copy, SUPERVISOR, SUPERVISOR_PW) as sup:
        store_products.approve(sup, p.id, password=SUPERVISOR_PW)
    w = _window(qtbot, session, product_id=p.id)
    assert "approved and signed" in w.status.text() and "version 2" in w.status.text()
    assert not w.submit_button.isEnabled()  # nothing to send until it changes
    w.list.setCurrentIndex(w.model.index(0))
    w.editor.paragraph.text.setFocus()
    QTest.keyClicks(w.editor.paragraph.text, " More.")
    assert w.submit_button.isEnabled()
    assert w.autosave()
    assert (w.saver.saved.product.version, w.saver.saved.product.status) == (2, "draft")
    assert store_products.get(session.store, p.id, 1).portions[0].text == "Signed text."
    assert store_products.get(session.store, p.id).portions[0].text == "Signed text. More."


def test_bad_input_is_refused_with_a_clear_message_and_nothing_lost(qtbot, session) -> None:
    w = _window(qtbot, session, product_type="intelligence_bulletin")
    _titled(w)
    _paragraph(w, "Kept whatever happens.", "C")
    before = w.state
    assert not w.add_tearline("NOPE")
    assert "unknown destination 'NOPE'" in w.refusal.text() and "EUROPOL" in w.refusal.text()
    assert not w.cite_items(["PER-0000000000000000"])
    assert "PER-0000000000000000" in w.refusal.text() and "no such item" in w.refusal.text()
    assert w.state == before
    w.header.classified_by.setFocus()
    QTest.keyClicks(w.header.classified_by, "Analyst 7")
    QTest.keyClicks(w.header.derived_from.lineEdit(), "Multiple Sources")
    QTest.keyClicks(w.header.declassify_on, "tomorrow")
    assert not w.autosave()
    assert "the authority block" in w.status.text() and "declassify" in w.status.text().lower()
    assert session.store.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0
    w.header.declassify_on.clear()
    QTest.keyClicks(w.header.declassify_on, "20510101")
    assert w.autosave(), w.status.text()
    stored = store_products.get(session.store, w.saver.product_id)
    assert stored.authority is not None and stored.authority.declassify_on == "20510101"
    assert any(getattr(p, "text", "") == "Kept whatever happens." for p in stored.portions)


def test_a_leads_only_product_may_not_carry_a_tearline_for_prosecution_use(qtbot,
                                                                           session) -> None:
    w = _window(qtbot, session, product_type="intelligence_report")
    _titled(w)
    item_id, _m, _t = _item(session, "restricted = 1")
    w.cite_items([item_id])
    w.list.setCurrentIndex(w.model.index(w.model.rowCount() - 1))
    assert w.add_tearline("USA-DOJ", "For the prosecutors")
    w.editor.picker.set_marking("U")  # its title's mark: refused, the product is leads only
    assert w.refusal.isVisible()
    assert "USA-DOJ" in w.refusal.text() and "use restricted" in w.refusal.text()
    assert w.state.entries[w.current_row()].marking == ""
