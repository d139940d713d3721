"""Two-person foreign disclosure in the window (issue 12 item 2), on real stores and widgets:
a foreign export writes no bundle and makes a release request; the officer's queue lists it;
the requester and a non-officer cannot approve it (button disabled with the reason, and the
store refuses anyway); the officer approves, then the analyst writes the approved bundle and
the receiver shows who released it; a refusal's reason reaches the requester; an originator's
authorization is recorded by an officer only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from hstc_desk.exchange import disclosure
from hstc_desk.exchange.flows import ExportState
from hstc_desk.store import Store

from conftest import ANALYST, ANALYST_PW, OFFICER, OFFICER_PW, make_store
from exchange_helpers import new_store, trust_pair

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


def _request(qtbot, store: Store, tmp_path: Path, dest: str = "GBR"):
    from hstc_desk.gui.exchange import ExportDialog

    dlg = ExportDialog(store)
    qtbot.addWidget(dlg)
    dlg.destination.setCurrentIndex(dlg.destination.findData(dest))
    assert dlg.preview()
    return dlg


def test_foreign_export_makes_a_request_and_writes_no_bundle(qtbot, tmp_path: Path) -> None:
    path = make_store(tmp_path / "a", items=120, seed=6)
    with Store.open(path, ANALYST, ANALYST_PW) as ana:
        dlg = _request(qtbot, ana, tmp_path)
        # the request state: no Export, a Request release button and the officer named
        assert dlg.request_button.isVisibleTo(dlg) and dlg.request_button.isEnabled()
        assert not dlg.export_button.isVisibleTo(dlg) and not dlg.export_button.isEnabled()
        assert "disclosure officer" in dlg.status.text()
        out = tmp_path / "gbr.bundle"
        dlg.out_path.setText(str(out))
        assert not dlg.run() and not out.exists()  # Export pressed anyway: refused, nothing
        assert "release request" in dlg.status.text()
        assert not dlg.requests.isVisibleTo(dlg)  # no requests yet
        assert dlg.request_release()
        assert dlg.flow.state == ExportState.REQUESTED and not out.exists()
        assert list(tmp_path.glob("*.bundle")) == []
        assert "a disclosure officer other than you must approve" in dlg.status.text()
        assert "No bundle written" in dlg.status.text()
        assert not dlg.request_button.isEnabled()
        assert ana.conn.execute("SELECT count(*) FROM exports").fetchone()[0] == 0
        (req,) = disclosure.list_requests(ana, "pending")
        assert req.requester == ANALYST and req.destination == "GBR"
        assert req.items == len(dlg.flow.plan.items) > 0
        # the analyst's own requests list shows it waiting, and Write approved is off
        assert dlg.requests.isVisibleTo(dlg) and dlg.requests.table.rowCount() == 1
        assert dlg.requests.table.item(0, 1).text() == req.id
        assert "waiting" in dlg.requests.table.item(0, 4).text()
        dlg.requests.table.selectRow(0)
        assert not dlg.requests.write_button.isEnabled()
        # a US destination stays one-person: Export, no request
        dlg.destination.setCurrentIndex(dlg.destination.findData("USA"))
        assert dlg.preview() and dlg.export_button.isEnabled()
        assert not dlg.request_button.isVisibleTo(dlg)
        assert dlg.run() and out.exists()


def test_queue_review_self_approval_refused_then_approved_and_written(qtbot,
                                                                       tmp_path: Path) -> None:
    from hstc_desk.gui.exchange.disclosure_queue import DisclosureQueue
    from hstc_desk.gui.exchange.disclosure_review import DisclosureReview
    from hstc_desk.gui.exchange.import_dialog import ImportDialog

    path = make_store(tmp_path / "a", items=120, seed=6)
    ana = Store.open(path, ANALYST, ANALYST_PW)
    dso = Store.open(path, OFFICER, OFFICER_PW)
    b = new_store(tmp_path / "b")  # the receiving workstation, its admin
    try:
        dlg = _request(qtbot, ana, tmp_path)
        assert dlg.request_release()
        rid = dlg.flow.release.id
        # the officer's queue lists it: banner, destination, requester, items, age
        queue = DisclosureQueue(dso)
        qtbot.addWidget(queue)
        assert queue.table.rowCount() == 1
        cell = queue.table.item(0, 1)
        assert cell.text().startswith("GBR · ") and f"by {ANALYST}" in cell.text()
        assert f"{len(dlg.flow.plan.items)} items" in cell.text() and "waiting" in cell.text()
        assert queue.table.item(0, 0).text().startswith("(")  # the banner, portion form
        assert "1" in queue.count.text()
        opened: list[str] = []
        queue.open_request.connect(opened.append)
        queue.table.itemActivated.emit(queue.table.item(0, 1))
        assert opened == [rid]

        # the analyst (requester, not an officer) sees the review, Approve disabled with why
        own = DisclosureReview(ana, rid)
        qtbot.addWidget(own)
        assert "Unchanged" in own.state.text()
        assert not own.approve_button.isEnabled() and not own.refuse_button.isEnabled()
        assert "only a disclosure officer" in own.why.text()
        assert not own.approve()  # pressed anyway: the store refuses
        assert "only a disclosure officer" in own.status.text()
        assert disclosure.get(ana, rid).status == "pending"

        # an officer who asked for a release themselves cannot approve it
        self_dlg = _request(qtbot, dso, tmp_path, "CAN")
        assert self_dlg.request_release()
        own_rid = self_dlg.flow.release.id
        mine = DisclosureReview(dso, own_rid)
        qtbot.addWidget(mine)
        assert not mine.approve_button.isEnabled() and "two-person rule" in mine.why.text()
        assert not mine.approve() and "two-person rule" in mine.status.text()
        assert disclosure.get(dso, own_rid).status == "pending"
        queue.refresh()
        texts = [queue.table.item(r, 1).text() for r in range(queue.table.rowCount())]
        assert len(texts) == 2 and sum("yours: another officer decides" in t for t in texts) == 1

        # the officer's review: exactly what goes, what is left out, then Approve
        view = DisclosureReview(dso, rid)
        qtbot.addWidget(view)
        p = view.plan
        assert view.goes_model.rowCount() == len(p.items) + len(p.links) + len(p.products)
        ids = {view.goes_model.index(r, 0).data() for r in range(view.goes_model.rowCount())}
        assert {r[0] for r in (view.goes_model.row(i) for i in range(len(p.items)))} <= ids
        assert view.left_out.rowCount() == len(p.excluded) > 0
        assert view.banner.text() == p.banner
        assert view.banners.top.text() and view.banners.bottom.text()
        assert view.approve_button.isEnabled(), view.why.text()
        decided: list[str] = []
        view.decided.connect(decided.append)
        assert view.approve() and decided == [rid]
        assert "Approved by dso" in view.status.text() and not view.approve_button.isEnabled()
        assert disclosure.get(dso, rid).status == "approved"
        queue.refresh()
        assert queue.table.rowCount() == 1  # only the officer's own, still pending

        # the analyst writes the approved bundle from the export dialog
        dlg.requests.refresh()
        assert "APPROVED" in dlg.requests.table.item(0, 4).text()
        assert dlg.requests.selected().id == rid and dlg.requests.write_button.isEnabled()
        out = tmp_path / "gbr.bundle"
        dlg.out_path.setText(str(out))
        assert dlg.requests.write_selected(), dlg.status.text()
        assert out.exists() and "media may be removed" in dlg.status.text()
        assert disclosure.get(ana, rid).status == "exported"
        assert "written" in dlg.requests.table.item(0, 4).text()
        assert not dlg.requests.write_button.isEnabled()

        # the receiver shows who released it
        trust_pair(ana, b)
        imp = ImportDialog(b)
        qtbot.addWidget(imp)
        imp.path.setText(str(out))
        assert imp.verify(), imp.status.text()
        assert f"Released by disclosure officer {OFFICER}" in imp.status.text()
        assert f"asked by {ANALYST}" in imp.status.text()
        assert "released by   dso (disclosure officer)" in imp.report.toPlainText()
        row = next(r for r in range(imp.checks.rowCount())
                   if imp.checks.item(r, 0).text() == "disclosure")
        assert imp.checks.item(row, 1).text() == "ok"
    finally:
        for s in (ana, dso, b):
            s.close()


def test_refusal_reason_reaches_the_requester(qtbot, tmp_path: Path) -> None:
    from hstc_desk.gui.exchange.disclosure_review import DisclosureReview

    path = make_store(tmp_path / "a", items=60, seed=3)
    with Store.open(path, ANALYST, ANALYST_PW) as ana, \
            Store.open(path, OFFICER, OFFICER_PW) as dso:
        dlg = _request(qtbot, ana, tmp_path, "EUROPOL")
        assert dlg.request_release()
        rid = dlg.flow.release.id
        view = DisclosureReview(dso, rid)
        qtbot.addWidget(view)
        assert not view.refuse_button.isEnabled()  # no reason typed yet
        view.reason.setText("   ")
        assert not view.refuse_button.isEnabled()
        assert not view.refuse() and "reason" in view.status.text()  # the store says why
        view.reason.setText("Case 12 is under a court seal; ask again after the hearing.")
        assert view.refuse_button.isEnabled() and view.refuse()
        assert disclosure.get(dso, rid).status == "refused"
        assert not view.approve_button.isEnabled() and not view.refuse_button.isEnabled()
        dlg.requests.refresh()
        assert dlg.requests.table.item(0, 4).text() == "REFUSED"
        assert "court seal" in dlg.requests.table.item(0, 5).text()
        assert dlg.requests.table.item(0, 5).text().startswith(f"{OFFICER}: ")
        assert "refused" in dlg.requests.note.text()
        dlg.requests.table.selectRow(0)
        assert not dlg.requests.write_button.isEnabled()
        shown = dlg.requests.show_selected()
        qtbot.addWidget(shown)
        assert "court seal" in shown.heading.text() and "refused" in shown.heading.text()
        assert not dlg.flow.write_approved(rid, str(tmp_path / "x.bundle"))
        assert "refused" in dlg.flow.error and not (tmp_path / "x.bundle").exists()


def test_changed_items_cannot_be_approved(qtbot, tmp_path: Path) -> None:
    from hstc_desk.domain import revise
    from hstc_desk.gui.exchange.disclosure_review import DisclosureReview

    path = make_store(tmp_path / "a", items=60, seed=3)
    with Store.open(path, ANALYST, ANALYST_PW) as ana, \
            Store.open(path, OFFICER, OFFICER_PW) as dso:
        dlg = _request(qtbot, ana, tmp_path)
        assert dlg.request_release()
        p = dlg.flow.plan
        from hstc_desk.domain import parse_item

        item = ana.get_item(parse_item(p.items[0]).id)
        ana.save_item(revise(item, updated=item.updated + timedelta(hours=1),
                             title=item.title + " (edited)"))
        view = DisclosureReview(dso, dlg.flow.release.id)
        qtbot.addWidget(view)
        assert "CHANGED" in view.state.text()
        assert not view.approve_button.isEnabled() and "changed" in view.why.text()
        view.reason.setText("The items changed; ask again.")
        assert view.refuse_button.isEnabled()  # a changed request can still be refused


def test_officer_records_an_authorization_others_cannot(qtbot, tmp_path: Path) -> None:
    from hstc_desk.exchange.authorizations import authorizations
    from hstc_desk.gui.exchange.disclosure_authorize import AuthorizeDialog

    path = make_store(tmp_path / "a", items=60, seed=3)
    with Store.open(path, ANALYST, ANALYST_PW) as ana, \
            Store.open(path, OFFICER, OFFICER_PW) as dso:
        item, originator = ana.conn.execute("SELECT id, originator FROM items LIMIT 1"
                                            ).fetchone()
        denied = AuthorizeDialog(ana)
        qtbot.addWidget(denied)
        assert not denied.record_button.isEnabled() and "only a disclosure" in denied.why.text()
        dlg = AuthorizeDialog(dso)
        qtbot.addWidget(dlg)
        assert dlg.banners.top.text() and dlg.banners.bottom.text()
        assert not dlg.record() and "Name the item" in dlg.status.text()
        dlg.target.setText(item)
        dlg.originator.setText(originator)  # only an item's own originator releases it
        dlg.purpose.setText("joint operation TIDE")
        dlg.reference.setText("DEA msg 2026-114")
        dlg.destination.setCurrentIndex(dlg.destination.findData("GBR"))
        assert dlg.record(), dlg.status.text()
        assert dlg.table.rowCount() == 1 and dlg.table.item(0, 2).text() == item
        (auth,) = authorizations(dso, "GBR")
        assert auth.item_id == item and auth.officer == OFFICER
        dlg.target.setText("LOC-0000000000000000")
        assert not dlg.record() and "no item" in dlg.status.text()
        # pressed anyway by a non-officer: the store refuses
        denied.target.setText(item)
        for field in (denied.originator, denied.purpose, denied.reference):
            field.setText("x")
        assert not denied.record() and "only a disclosure officer" in denied.status.text()


def test_the_window_installs_the_queue_for_officers(qtbot, tmp_path: Path) -> None:
    from PySide6.QtGui import QAction

    from gui_helpers import open_window

    path = make_store(tmp_path / "a", items=60, seed=3)
    with Store.open(path, ANALYST, ANALYST_PW) as ana:
        disclosure.prepare(ana, "GBR", disclosure.Scope())
    w = open_window(qtbot, path, tmp_path, user=OFFICER, password=OFFICER_PW)
    names = {a.objectName() for a in w.findChildren(QAction)}
    assert {"releaseRequests", "originatorAuthorizations"} <= names
    desk = w.disclosure
    assert desk.dock.isVisible() and desk.queue.table.rowCount() == 1
    desk.queue.table.selectRow(0)
    view = desk.review()
    qtbot.addWidget(view)
    assert view.isVisible() and view.approve_button.isEnabled()
    w.lock()
    assert not desk.dock.isVisible() and desk.queue.table.rowCount() == 0
    assert w.resume(OFFICER_PW)
    assert desk.queue.table.rowCount() == 1
    w.close()
    (tmp_path / "w2").mkdir()  # its own settings
    w2 = open_window(qtbot, path, tmp_path / "w2")
    assert not w2.disclosure.dock.isVisible()  # an analyst's window: hidden, in the menu


def test_the_review_names_what_goes_by_an_originator_authorization(qtbot, tmp_path: Path) -> None:
    """An ORCON item goes only once the officer records the originator's release (in the
    authorizations dialog); the review then lists it with that note."""
    from hstc_desk.gui.exchange.disclosure_authorize import AuthorizeDialog
    from hstc_desk.gui.exchange.disclosure_review import DisclosureReview

    from exchange_helpers import location

    path = make_store(tmp_path / "a")
    with Store.open(path, ANALYST, ANALYST_PW) as ana, \
            Store.open(path, OFFICER, OFFICER_PW) as dso:
        orcon = location(5, "S//OC/REL TO USA, GBR")
        ana.insert_items([orcon, location(6, "(S//REL TO USA, GBR)")])
        before = _request(qtbot, ana, tmp_path)
        assert orcon.id in {e.id for e in before.flow.plan.excluded}  # ORCON stays without one
        auth = AuthorizeDialog(dso)
        qtbot.addWidget(auth)
        auth.target.setText(orcon.id)
        auth.originator.setText("CBP")
        auth.purpose.setText("joint interdiction")
        auth.reference.setText("CBP letter 77")
        auth.destination.setCurrentIndex(auth.destination.findData("GBR"))
        assert auth.record(), auth.status.text()
        dlg = _request(qtbot, ana, tmp_path)
        assert orcon.id not in {e.id for e in dlg.flow.plan.excluded}
        assert dlg.request_release()
        view = DisclosureReview(dso, dlg.flow.release.id)
        qtbot.addWidget(view)
        rows = {view.goes_model.row(r)[0]: view.goes_model.row(r)
                for r in range(view.goes_model.rowCount())}
        assert rows[orcon.id][4] == "ORCON released by the originator"
        assert "1 by an originator's ORCON release" in view.goes_label.text()
        assert view.approve()


def test_the_export_flow_says_why_it_will_not(tmp_path: Path) -> None:
    """Headless: the flow refuses a request to a US agency, a request before a preview, and
    writing a request that is not approved (nothing written), each with a message."""
    from hstc_desk.exchange.flows import ExportFlow

    path = make_store(tmp_path / "a", items=40, seed=2)
    with Store.open(path, ANALYST, ANALYST_PW) as ana:
        flow = ExportFlow(ana)
        assert not flow.request() and "Preview" in flow.error
        assert flow.preview("USA") and not flow.needs_release
        assert not flow.request() and "US agency" in flow.error
        assert flow.preview("FVEY") and flow.needs_release and flow.request()
        out = tmp_path / "x.bundle"
        assert not flow.write_approved(flow.release.id, str(out))
        assert "pending" in flow.error and not out.exists()
        assert not flow.write_approved("REL-nope", str(out)) and "no release request" in \
            flow.error
        assert [r.id for r in flow.my_requests()] == [flow.release.id]


def test_a_new_destination_needs_a_new_preview(qtbot, tmp_path: Path) -> None:
    path = make_store(tmp_path / "a", items=40, seed=2)
    with Store.open(path, ANALYST, ANALYST_PW) as ana:
        dlg = _request(qtbot, ana, tmp_path, "USA")
        assert dlg.export_button.isEnabled()
        dlg.destination.setCurrentIndex(dlg.destination.findData("GBR"))
        assert not dlg.export_button.isEnabled() and not dlg.request_button.isEnabled()
        assert "preview again" in dlg.status.text()
        assert dlg.preview() and dlg.request_button.isEnabled()
