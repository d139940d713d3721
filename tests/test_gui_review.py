"""Review and sign-off in the window (issue 11 items 3, 5, 6): the supervisors' queue, the review
view over the real PDF pages, separation of duties in the GUI (and the store behind it), the
password asked again before signing, return with comments anchored to portions, the version
history, referral responses and Export PDF. Real stores, real keys, real PDFs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hstc_desk.domain.products import Authority, Paragraph, Tearline
from hstc_desk.store import TEST_KDF, Store
from hstc_desk.store import products as P

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SUP2, SUP2_PW = "sup2", "second supervisor pass 3"
AUTH = Authority(classified_by="J. Analyst, HSTC", derived_from="HSTC SCG 2024",
                 declassify_on="20501231")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = make_store(tmp_path / "store")
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user(SUP2, SUP2_PW, "supervisor", kdf=TEST_KDF)
    return path


@pytest.fixture
def world_path(demo_copy: Path) -> Path:
    """A store with case items, for the tests that open the main window (the Movement timeline
    cannot yet draw a store without items: timeline_view._draw on an empty array; reported)."""
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        s.add_user(SUP2, SUP2_PW, "supervisor", kdf=TEST_KDF)
    return demo_copy


def _portions() -> list:
    return [Paragraph(marking="(S//NF)", text="Smuggling cell moves **twelve** people weekly."),
            Paragraph(marking="(S//REL TO USA, GBR)", text="Routes run through the port."),
            Paragraph(marking="(U)", text="- open source indicator\n- second indicator"),
            Tearline(destination="GBR", title="Port routes for partners",
                     marking="(S//REL TO USA, GBR)"),
            Paragraph(marking="(S//REL TO USA, GBR)", text="The port route, releasable.")]


def draft(path: Path, user: str = ANALYST, pw: str = ANALYST_PW, *, title: str = "Port cell",
          submit: bool = True) -> str:
    with Store.open(path, user, pw) as s:
        p = P.create(s, product_type="intelligence_bulletin", title=title,
                     title_marking="(U)", portions=_portions(), authority=AUTH)
        if submit:
            P.submit(s, p.id)
        return p.id


def referral(path: Path) -> str:
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        p = P.create(s, product_type="referral", title="Refer the port cell",
                     title_marking="(U)", authority=AUTH,
                     portions=[Paragraph(marking="(S//REL TO USA, GBR)",
                                         text="The cell should be looked at.")],
                     addressees=["GBR", "EUROPOL"],
                     recommended_action="Open an investigation of the port cell")
        P.submit(s, p.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, p.id, password=SUPERVISOR_PW)
    return p.id


def status(path: Path, pid: str) -> tuple[str, int, bool]:
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        p = P.get(s, pid)
        return p.status, p.version, P.signoff_of(s, pid, p.version) is not None


def view_of(qtbot, path: Path, pid: str, user: str, pw: str):
    from hstc_desk.gui.products.review_view import ReviewView

    store = Store.open(path, user, pw)
    view = ReviewView(store, pid)
    qtbot.addWidget(view)
    return store, view


def test_queue_lists_products_in_review_and_referrals_awaiting(qtbot, world_path: Path,
                                                               tmp_path: Path) -> None:
    store_path = world_path
    from hstc_desk.gui.products.referral_dialog import ReferralDialog
    from hstc_desk.gui.widgets.banner import banner_colours
    from hstc_desk.markings import parse

    waiting = draft(store_path)
    draft(store_path, title="Still a draft", submit=False)  # not in the queue
    ref = referral(store_path)
    w = open_window(qtbot, store_path, tmp_path, user=SUPERVISOR, password=SUPERVISOR_PW)
    desk = w.products
    assert desk.dock.isVisible()  # a supervisor's window opens with the queue
    q = desk.queue
    assert q.reviews.rowCount() == 1
    assert q.reviews.item(0, 1).text().startswith("Port cell\nwaiting ")
    assert q.reviews.item(0, 1).text().endswith(f" min · Intelligence bulletin · {ANALYST} · v1")
    banner = q.reviews.item(0, 0)
    assert banner.text() == "(S//NF)" and banner.toolTip() == "SECRET//NOFORN"
    assert banner.background().color().name() == banner_colours(parse("(S//NF)"))[0]
    assert q.reviews.item(0, 0).data(256) == waiting
    assert q.referrals.rowCount() == 1
    assert q.referrals.item(0, 1).text().startswith(
        "Refer the port cell\nawaiting EUROPOL, GBR · approved 20")

    seen = desk.review(ref)  # an approved referral's review view leads to its responses
    assert seen.responses_button.isVisibleTo(seen) and "To GBR, EUROPOL" in seen.heading.text()
    seen.close()
    dialog = ReferralDialog(w.session.store, ref, w)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 1).text() == "awaiting"
    dialog.addressee.setCurrentIndex(dialog.addressee.findData("GBR"))
    dialog.response.setCurrentIndex(dialog.response.findData("acted_on"))
    dialog.note.setText("opened case 44")
    assert dialog.record(), dialog.status.text()
    assert [dialog.table.item(0, c).text() for c in (0, 1, 3)] == ["GBR", "Acted on",
                                                                  "opened case 44"]
    q.refresh()
    assert "awaiting EUROPOL · " in q.referrals.item(0, 1).text()
    dialog.addressee.setCurrentIndex(dialog.addressee.findData("EUROPOL"))
    dialog.response.setCurrentIndex(dialog.response.findData("declined"))
    assert dialog.record()
    q.refresh()
    assert q.referrals.rowCount() == 0 and "none" in q.referral_label.text()

    view = desk.review(waiting)
    assert view.isVisible() and view.banners.top.text() == "SECRET//NOFORN"
    w.lock()  # the queue lets go of the store: nothing of it on screen
    assert q.reviews.rowCount() == 0 and not desk.dock.isVisible()
    assert not view.isVisible() and desk.views == []
    assert w.resume(SUPERVISOR_PW)
    assert q.reviews.rowCount() == 1


def test_a_double_click_in_the_queue_opens_one_review(qtbot, store_path: Path) -> None:
    from PySide6.QtCore import Qt

    from hstc_desk.gui.products.queue_dock import ReviewQueue

    pid = draft(store_path)
    store = Store.open(store_path, SUPERVISOR, SUPERVISOR_PW)
    try:
        queue = ReviewQueue(store)
        qtbot.addWidget(queue)
        queue.resize(500, 400)
        queue.show()
        qtbot.waitExposed(queue)
        opened: list[str] = []
        queue.open_product.connect(opened.append)
        rect = queue.reviews.visualItemRect(queue.reviews.item(0, 1))
        for click in (qtbot.mouseClick, qtbot.mouseDClick):  # press, release, then the double
            click(queue.reviews.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert opened == [pid]  # once, not once per signal
        queue.reviews.setFocus()
        queue.reviews.setCurrentCell(0, 1)
        qtbot.keyClick(queue.reviews, Qt.Key.Key_Return)
        assert opened == [pid, pid]  # Enter opens it too
    finally:
        store.close()


def test_referral_response_bad_input_refused(qtbot, store_path: Path) -> None:
    from hstc_desk.gui.products.referral_dialog import ReferralDialog

    pid = draft(store_path)  # not a referral, in review
    store = Store.open(store_path, SUPERVISOR, SUPERVISOR_PW)
    try:
        dialog = ReferralDialog(store, pid)
        qtbot.addWidget(dialog)
        assert not dialog.record_button.isEnabled()
        assert not dialog.record()  # the store refuses even when called
        assert dialog.status.text().startswith("Refused:")
    finally:
        store.close()


def test_self_approval_and_an_editor_refused_in_the_gui(qtbot, store_path: Path) -> None:
    own = draft(store_path, SUPERVISOR, SUPERVISOR_PW, title="My own")
    store, view = view_of(qtbot, store_path, own, SUPERVISOR, SUPERVISOR_PW)
    try:
        assert not view.approve_button.isEnabled()
        assert "you authored" in view.refusal.text() and view.refusal.isVisibleTo(view)
        why = view.approve_with(SUPERVISOR_PW)  # the store refuses anyway
        assert "separation of duties" in why
    finally:
        store.close()
    assert status(store_path, own) == ("in_review", 1, False)

    edited = draft(store_path, submit=False, title="Edited by sup2")
    with Store.open(store_path, SUP2, SUP2_PW) as s:
        P.edit(s, edited, title="Edited by sup2, better")
    with Store.open(store_path, ANALYST, ANALYST_PW) as s:
        P.submit(s, edited)
    store, view = view_of(qtbot, store_path, edited, SUP2, SUP2_PW)
    try:
        assert not view.approve_button.isEnabled() and "you edited" in view.refusal.text()
        assert "separation of duties" in view.approve_with(SUP2_PW)
    finally:
        store.close()
    assert status(store_path, edited) == ("in_review", 1, False)

    store, view = view_of(qtbot, store_path, edited, ANALYST, ANALYST_PW)
    try:
        assert not view.approve_button.isEnabled() and "Only a supervisor" in view.refusal.text()
        assert not view.return_button.isEnabled()
    finally:
        store.close()

    store, view = view_of(qtbot, store_path, edited, SUPERVISOR, SUPERVISOR_PW)
    try:  # someone who neither wrote nor edited it may
        assert view.approve_button.isEnabled() and not view.refusal.isVisibleTo(view)
        dialog = view.ask_to_sign()
        dialog.password.setText(SUPERVISOR_PW)
        assert dialog.sign()
        assert view.product.status == "approved" and not view.approve_button.isEnabled()
        assert "signed by sup" in view.status.text()
        assert "approved and signed by sup on " in view.refusal.text()  # where it stands
        assert view.edit_button.text() == "Edit as a new version…"
    finally:
        store.close()
    assert status(store_path, edited) == ("approved", 1, True)


def test_approval_needs_the_password_again(qtbot, store_path: Path) -> None:
    pid = draft(store_path)
    store, view = view_of(qtbot, store_path, pid, SUPERVISOR, SUPERVISOR_PW)
    try:
        dialog = view.ask_to_sign()
        assert dialog.banners.top.text() == "SECRET//NOFORN"
        assert dialog.banners.bottom.text() == "SECRET//NOFORN"
        assert not dialog.sign()  # empty
        assert "type your password again" in dialog.error.text()
        dialog.password.setText(ANALYST_PW)  # someone's password, not the signer's
        assert not dialog.sign()
        assert dialog.error.text().startswith("Refused:") and dialog.isVisible()
        assert dialog.password.text() == ""  # not kept
        assert status(store_path, pid) == ("in_review", 1, False)
        dialog.password.setText(SUPERVISOR_PW + " ")
        assert not dialog.sign()
        assert status(store_path, pid) == ("in_review", 1, False)
        dialog.password.setText(SUPERVISOR_PW)
        assert dialog.sign() and dialog.signed
    finally:
        store.close()
    assert status(store_path, pid) == ("approved", 1, True)


def test_return_with_anchored_comments_round_trips(qtbot, store_path: Path) -> None:
    from hstc_desk.store.product_history import comments

    pid = draft(store_path)
    store, view = view_of(qtbot, store_path, pid, SUPERVISOR, SUPERVISOR_PW)
    try:
        view.portions.item(1, 3).setText("Name the port.")
        view.portions.item(4, 3).setText("Not releasable as written?")
        assert not view.return_to_draft()  # no overall comment
        assert "overall comment" in view.status.text()
        assert status(store_path, pid)[0] == "in_review"
        view.overall.setPlainText("Two portions need work.")
        view.show()
        answers: list[bool] = [False]
        view.confirm_discard = lambda: answers.pop()  # the analyst says Cancel
        view.reject()  # Escape: the typed comments are not thrown away unasked
        assert view.isVisible() and view.overall.toPlainText() == "Two portions need work."
        pids = [view.product.portions[i].pid for i in (1, 4)]
        assert view.return_to_draft(), view.status.text()
        assert view.product.status == "draft" and not view.return_button.isEnabled()
        assert "Earlier comments" in view.earlier.text()
    finally:
        store.close()
    with Store.open(store_path, ANALYST, ANALYST_PW) as s:
        got = comments(s, pid)
        p = P.get(s, pid)
    assert p.status == "draft"
    by_anchor = {c.comment.anchor: c for c in got}
    assert by_anchor[None].comment.text == "Two portions need work."
    assert by_anchor[pids[0]].comment.text == "Name the port."
    assert by_anchor[pids[0]].portion_index == 1
    assert by_anchor[pids[1]].portion_index == 4
    assert {c.comment.who for c in got} == {SUPERVISOR}


def test_review_view_shows_the_pdf_pages_and_changes(qtbot, store_path: Path) -> None:
    from hstc_desk.gui.products.review_pages import page_count

    pid = draft(store_path)
    with Store.open(store_path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, pid, password=SUPERVISOR_PW)
    with Store.open(store_path, ANALYST, ANALYST_PW) as s:
        v1 = P.get(s, pid)
        changed = [*v1.portions]
        changed[1] = Paragraph(marking="(S//REL TO USA, GBR)", text="Routes run through Tuxpan.",
                               pid=v1.portions[1].pid)
        P.edit(s, pid, portions=changed)
        P.submit(s, pid)
    store, view = view_of(qtbot, store_path, pid, SUPERVISOR, SUPERVISOR_PW)
    try:
        assert view.product.version == 2
        assert view.pages.message.text().startswith("Drawing the pages")  # off the GUI thread
        with qtbot.waitSignal(view.pages_ready, timeout=20000):
            pass
        assert view.pdf.startswith(b"%PDF") and len(view.pages.pages) == page_count(view.pdf)
        assert view.pages.pages[0].pixmap().width() >= 420  # a page as wide as the column
        rows = [[view.changes.item(r, c).text() for c in range(3)]
                for r in range(view.changes.rowCount())]
        assert rows[0][:2] == ["changed", "portion 2 (S//REL TO USA, GBR)"], rows
        assert "Tuxpan" in rows[0][2]
        detail = view.change_detail.toHtml()  # word by word: the port went, Tuxpan came
        assert "line-through" in detail and "Tuxpan" in detail and "port." in detail
        assert "approved version 1" in view.changes_note.text()
        assert view.banners.top.text() == "SECRET//NOFORN"
    finally:
        store.close()


def test_a_long_product_draws_only_the_pages_in_view(qtbot, store_path: Path) -> None:
    from hstc_desk.gui.products.review_pages import page_count

    text = ("The network moved people along the corridor in small groups, paying guides at "
            "each crossing and changing vehicles at the border towns. ") * 6
    with Store.open(store_path, ANALYST, ANALYST_PW) as s:
        pid = P.create(s, product_type="strategic_assessment", title="Corridor outlook",
                       title_marking="(U)", authority=AUTH,
                       portions=[Paragraph(marking="(S)", text=f"{n}. {text}")
                                 for n in range(160)]).id
    store, view = view_of(qtbot, store_path, pid, SUPERVISOR, SUPERVISOR_PW)
    try:
        view.resize(1200, 800)
        view.show()
        qtbot.waitExposed(view)
        qtbot.waitUntil(lambda: bool(view.pdf), timeout=20000)
        column = view.pages
        pages = page_count(view.pdf)
        assert pages >= 20 and len(column.pages) == pages
        column.draw_near()
        first = column.drawn()
        assert 0 in first and len(first) <= 6, first  # a few pages' pixels, not all
        bar = column.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0)  # laid out
        bar.setValue(bar.maximum())
        assert pages - 1 in column.drawn() and 0 not in column.drawn()
        assert not column.pages[pages - 1].pixmap().isNull()
        view.tabs.setCurrentIndex(1)
        view.portions.setCurrentCell(80, 2)  # choosing a portion turns the pages to it
        page = column.find_page("80. The network moved")
        assert page is not None and 5 < page < pages - 1
        assert bar.value() == column._tops[page] and page in column.drawn()
        assert view.show_portion(view.product.portions[0]) == 0 and bar.value() == column._tops[0]
    finally:
        store.close()


def test_history_lists_versions_with_signer(qtbot, store_path: Path) -> None:
    from hstc_desk.gui.products.history_dialog import HistoryDialog

    pid = draft(store_path)
    with Store.open(store_path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, pid, password=SUPERVISOR_PW)
    with Store.open(store_path, ANALYST, ANALYST_PW) as s:
        P.edit(s, pid, title="Port cell, second look")
    store = Store.open(store_path, ANALYST, ANALYST_PW)
    try:
        dialog = HistoryDialog(store, pid)
        qtbot.addWidget(dialog)
        cells = [[dialog.table.item(r, c).text() for c in range(8)] for r in range(2)]
        assert dialog.table.rowCount() == 2
        assert cells[0][:2] == ["1", "approved"] and cells[0][6] == SUPERVISOR
        assert cells[0][7].endswith("UTC") and cells[0][2] == "SECRET//NOFORN"
        assert cells[1][:2] == ["2", "draft"] and cells[1][6] == "" and cells[1][7] == ""
        assert cells[1][3] == "Port cell, second look"
        assert dialog.banners.top.text() == "SECRET//NOFORN"
    finally:
        store.close()


def _pdf_banners(pdf: Path) -> list[tuple[str, str]]:
    """(first line, last line) of every page's text, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out = []
    for page in text.split("\f"):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        if lines:
            out.append((lines[0], lines[-1]))
    return out


def test_export_pdf_writes_a_pdf_whose_banner_is_the_rollup(qtbot, store_path: Path,
                                                            tmp_path: Path) -> None:
    from hstc_desk.gui.products.review_export import ExportPdfDialog

    pid = draft(store_path)
    with Store.open(store_path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, pid, password=SUPERVISOR_PW)
    store = Store.open(store_path, ANALYST, ANALYST_PW)
    try:
        dialog = ExportPdfDialog(store, pid)
        qtbot.addWidget(dialog)
        rollup = P.get(store, pid).banner()
        assert rollup == "SECRET//NOFORN" and dialog.pdf_banner.text() == rollup
        out = tmp_path / "out" / "bulletin.pdf"
        out.parent.mkdir()
        dialog.path.setText(str(out))
        assert dialog.export(), dialog.status.text()
        assert out.read_bytes().startswith(b"%PDF")
        pages = _pdf_banners(out)
        assert pages and all(top.startswith(rollup) for top, _ in pages), pages
        assert all(rollup in bottom or rollup in top for top, bottom in pages)
        assert "signed off by sup" in dialog.status.text()

        from hstc_desk.gui.products.review_verify import VerifyPdfDialog

        check = VerifyPdfDialog(store)  # the file proves itself (hstc report verify --store)
        qtbot.addWidget(check)
        assert check.banners.top.text() == "TOP SECRET//HCS/SI/TK"  # nothing read yet
        check.path.setText(str(out))
        assert check.verify(), check.report.toPlainText()
        assert "PDF VALID" in check.verdict_label.text()
        assert f"signed off by {SUPERVISOR}" in check.report.toPlainText()
        assert check.banners.top.text() == rollup
        bad = bytearray(out.read_bytes())
        at = bad.index(b"Routes run")
        bad[at:at + 6] = b"Roads "
        tampered = tmp_path / "out" / "tampered.pdf"
        tampered.write_bytes(bytes(bad))
        check.path.setText(str(tampered))
        assert not check.verify() and "PDF INVALID" in check.verdict_label.text()
        assert "failed" in check.report.toPlainText()
        check.path.setText(str(tmp_path / "out"))  # a folder, not a PDF
        assert not check.verify() and "Not checked" in check.verdict_label.text()

        before = out.read_bytes()
        assert not dialog.export()  # exists, not ticked to replace
        assert "already exists" in dialog.status.text() and out.read_bytes() == before

        dialog.which.setCurrentIndex(dialog.which.findData("GBR"))
        tear = P.get(store, pid).tearline("GBR").banner()
        assert dialog.pdf_banner.text() == tear and "NOFORN" not in tear
        gbr = tmp_path / "out" / "gbr.pdf"
        dialog.path.setText(str(gbr))
        assert dialog.export(), dialog.status.text()
        assert all(top.startswith(tear) for top, _ in _pdf_banners(gbr))
        body = subprocess.run(["pdftotext", str(gbr), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "twelve" not in body and "The port route, releasable." in body

        inside = store_path / "leak.pdf"  # never into a store folder
        dialog.path.setText(str(inside))
        assert not dialog.export() and "store folder" in dialog.status.text()
        assert not inside.exists()
        dialog.path.setText(str(tmp_path / "out" / "no-suffix"))
        assert not dialog.export() and ".pdf" in dialog.status.text()

        from PySide6.QtPrintSupport import QPrinter

        from hstc_desk.gui.products.review_pages import page_count, render_pages

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # a printer that writes a file
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        dialog.which.setCurrentIndex(0)
        assert dialog.print_to(printer), dialog.status.text()
        paper = (tmp_path / "printed.pdf").read_bytes()
        assert page_count(paper) == page_count(out.read_bytes())
        sheet = render_pages(paper, dpi=30, limit=1)[0]  # the page as printed: its red banner
        red = sheet.pixelColor(sheet.width() // 8, 3)  # #c8102e, give or take the raster
        assert abs(red.red() - 0xC8) < 8 and red.green() < 24 and abs(red.blue() - 0x2E) < 8
        assert "Sent" in dialog.status.text() and rollup in dialog.status.text()
    finally:
        store.close()


def test_products_menu_in_the_main_window(qtbot, world_path: Path, tmp_path: Path) -> None:
    store_path = world_path
    from PySide6.QtWidgets import QMenu

    from hstc_desk.gui.products.history_dialog import HistoryDialog
    from hstc_desk.gui.products.review_open import OpenProductDialog
    from hstc_desk.gui.products.review_view import ReviewView

    pid = draft(store_path)
    w = open_window(qtbot, store_path, tmp_path)  # an analyst: the queue starts hidden
    menu = next(m for m in w.menuBar().findChildren(QMenu) if m.title() == "&Products")
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == ["newDraft", "openProduct", "reviewQueue", "productHistory", "exportPdf",
                     "verifyPdf"]
    desk = w.products
    assert not desk.dock.isVisible()
    draft(store_path, title="Submitted since")  # behind the window's back
    next(a for a in menu.actions() if a.objectName() == "reviewQueue").trigger()
    assert desk.dock.isVisible() and desk.queue.reviews.rowCount() == 2  # read when shown
    opened = desk.open_product()
    qtbot.addWidget(opened)
    assert isinstance(opened, OpenProductDialog) and opened.table.rowCount() == 2
    opened.filter.setText("nothing like it")
    assert "0 of 2" in opened.count.text()
    assert not opened.choose()
    opened.filter.setText("port")
    assert "1 of 2" in opened.count.text()
    assert opened.choose()  # the one that matches, chosen for the analyst's Enter
    assert not opened.choose()  # Enter's second path (the default button) opens nothing more
    view = desk.views[-1]
    assert isinstance(view, ReviewView) and view.product_id == pid  # in review: the review view
    assert not view.approve_button.isEnabled()
    view.activateWindow()
    history = desk.history()
    assert isinstance(history, HistoryDialog) and history.product_id == pid
    history.close()
    export = desk.export()
    assert export.product.id == pid
    export.close()
    for fn in (desk.review, desk.history_of, desk.export_of, desk.responses, desk.open_by_id):
        assert fn("PRD-00000000000000ff") is None  # no such product: said, nothing opened
        assert "no product PRD-00000000000000ff" in desk.last_refusal.text()
        desk.last_refusal.close()
    drafting = desk.new_draft()  # the drafting room's window, on a new draft
    assert drafting.isVisible()
    drafting.close()


def test_word_diff_marks_what_went_and_what_came() -> None:
    from hstc_desk.gui.products.review_diff_text import change_html, word_diff

    old, new = word_diff("Boats leave the port at night.", "Boats leave Tuxpan at night <b>.")
    assert "line-through'>the port</span>" in old and "Tuxpan</span>" in new
    assert "&lt;b&gt;" in new and "<b>." not in new  # text is escaped, never markup
    html = change_html(("(S)", "one"), ("(S//NF)", "one"), "portion 1")
    assert "line-through'>(S)</span>" in html and "(S//NF)</span>" in html
    assert "Added" in change_html(None, ("(U)", "new"))
    assert "Removed" in change_html(("(U)", "gone"), None)


def test_a_lock_closes_the_password_dialog_and_signs_nothing(qtbot, store_path: Path) -> None:
    from PySide6.QtWidgets import QMainWindow

    from hstc_desk.gui.session.app_lock import put_away

    pid = draft(store_path)
    main = QMainWindow()
    qtbot.addWidget(main)
    main.show()
    store, view = view_of(qtbot, store_path, pid, SUPERVISOR, SUPERVISOR_PW)
    try:
        view.show()
        view.overall.setPlainText("typed, not sent")  # a lock never stops to ask about it
        dialog = view.ask_to_sign()
        dialog.password.setText(SUPERVISOR_PW)  # typed, never submitted
        assert dialog.isVisible()
        put_away(main)  # what the main window does on Ctrl+L or the idle lock
        assert not dialog.isVisible() and not view.isVisible() and not dialog.signed
    finally:
        store.close()
    assert status(store_path, pid) == ("in_review", 1, False)
