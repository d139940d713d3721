"""The exchange GUI: trusted-keys page, export dialog with preview, verify/import dialog; a full
round trip between two real stores through the dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hstc_desk.exchange import disclosure
from hstc_desk.exchange.keys import grouped
from hstc_desk.exchange.trust import own_fingerprint
from hstc_desk.store import Store

from conftest import OFFICER, OFFICER_PW
from exchange_helpers import audit_actions, key_file, new_store

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


def test_round_trip_through_the_dialogs(qtbot, tmp_path: Path) -> None:
    from hstc_desk.gui.exchange import ExportDialog, ImportDialog, TrustedKeysPage

    a = new_store(tmp_path / "a", items=120, seed=6)
    b = new_store(tmp_path / "b")
    try:
        (tmp_path / "a.key").write_bytes(key_file(a))
        page = TrustedKeysPage(b)
        qtbot.addWidget(page)
        assert grouped(own_fingerprint(b)) in page.own_label.text()
        page.key_path.setText(str(tmp_path / "a.key"))
        fp = grouped(own_fingerprint(a))
        page.fingerprint.setText(fp.replace(fp[-1], "0" if fp[-1] != "0" else "1"))
        assert not page.trust() and "NOT" in page.status.text()
        assert page.table.rowCount() == 0
        page.fingerprint.setText(fp)
        assert page.trust() and page.table.rowCount() == 1
        assert page.table.item(0, 1).text() == fp and page.table.item(0, 2).text() == "trusted"

        dlg = ExportDialog(a)
        qtbot.addWidget(dlg)
        dlg.destination.setCurrentIndex(dlg.destination.findData("GBR"))
        assert not dlg.export_button.isEnabled()
        assert dlg.preview()
        assert not dlg.export_button.isEnabled() and dlg.left_out.rowCount() > 0  # foreign
        assert "REL TO" in dlg.banner.text() and "NOFORN" not in dlg.banner.text()
        reasons = {dlg.left_out.item(r, 2).text() for r in range(dlg.left_out.rowCount())}
        assert "not releasable" in reasons
        out = tmp_path / "gbr.bundle"
        dlg.out_path.setText(str(out))
        # GBR is foreign: a release request, approved by a disclosure officer, then written
        assert dlg.request_button.isEnabled() and dlg.request_release() and not out.exists()
        with Store.open(a.path, OFFICER, OFFICER_PW) as officer:
            disclosure.approve(officer, dlg.flow.release.id)
        dlg.requests.refresh()
        assert dlg.requests.write_selected()
        assert "media may be removed" in dlg.status.text() and dlg.progress.value() == 3

        imp = ImportDialog(b)
        qtbot.addWidget(imp)
        imp.path.setText(str(out))
        digest = b.content_digest()
        assert imp.verify() and imp.import_button.isEnabled()
        assert "TRUSTED" in imp.report.toPlainText()
        assert imp.checks.rowCount() == 12 and imp.checks.item(1, 1).text() == "ok"
        assert b.content_digest() == digest  # verifying changed nothing
        assert imp.import_() and b.content_digest() != digest
        assert b.count("items") == len(dlg.flow.plan.items)
        assert imp.verify() and not imp.import_button.isEnabled()
        assert "Already imported" in imp.status.text()

        damaged = tmp_path / "damaged.bundle"
        damaged.write_bytes(out.read_bytes()[:-5])
        imp.path.setText(str(damaged))
        after = b.content_digest()
        assert not imp.verify() and not imp.import_button.isEnabled()
        assert "Refused" in imp.status.text() and imp.checks.item(0, 1).text() == "FAILED"
        assert b.content_digest() == after

        page.table.selectRow(0)
        assert page.revoke_selected() and page.table.item(0, 2).text().startswith("revoked")
        imp.path.setText(str(out))
        assert not imp.verify() and "revoked" in imp.status.text()
        assert audit_actions(b, "keys.revoke") == 1
    finally:
        a.close()
        b.close()


def test_export_cancel_writes_nothing(qtbot, tmp_path: Path) -> None:
    from hstc_desk.gui.exchange import ExportDialog

    with new_store(tmp_path / "a", items=50, seed=2) as a:
        dlg = ExportDialog(a)
        qtbot.addWidget(dlg)
        assert dlg.preview()
        out = tmp_path / "x.bundle"
        dlg.out_path.setText(str(out))
        shown = dlg._progress

        def progress(stage: str, n: int, total: int) -> None:
            shown(stage, n, total)
            if stage == "building":
                dlg.cancel_button.click()  # the analyst cancels while it runs

        dlg._progress = progress  # type: ignore[method-assign]
        assert not dlg.run()
        assert "cancelled" in dlg.status.text() and not out.exists()
        assert list(tmp_path.glob(".x.bundle*")) == []
        assert a.conn.execute("SELECT count(*) FROM exports").fetchone()[0] == 0
        assert dlg.export_button.isEnabled() and dlg.isVisible() is False
        dlg._progress = shown  # type: ignore[method-assign]
        assert dlg.run() and out.exists()


def test_conflicts_dialog_keeps_one(qtbot, tmp_path: Path) -> None:
    from datetime import timedelta

    from hstc_desk.domain import revise
    from hstc_desk.exchange.merge import import_bundle
    from hstc_desk.gui.exchange import ConflictsDialog

    from exchange_helpers import bundle_bytes, location, trust_pair

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
        assert dlg.items.count() == 1
        dlg.items.setCurrentRow(0)
        assert dlg.versions.count() == 2
        titles = [dlg.versions.item(i).data(256).title for i in range(2)]
        assert sorted(titles) == ["at a", "at b"]
        dlg.versions.setCurrentRow(titles.index("at a"))
        assert "title: at a" in dlg.body.toPlainText().splitlines()
        assert dlg.keep() and dlg.items.count() == 0
        kept = b.get_item(item.id)
        assert kept.title == "at a" and kept.version == 3
        assert b.conn.execute("SELECT conflict FROM items").fetchone()[0] == 0
        assert b.stats()["conflicts"] == 0 and b.verify_audit().ok


def test_export_dialog_selection(qtbot, tmp_path: Path) -> None:
    from hstc_desk.gui.exchange import ExportDialog

    with new_store(tmp_path / "a", items=80, seed=2) as a:
        ids = tuple(r[0] for r in a.conn.execute("SELECT id FROM items WHERE marking = '(U)' "
                                                  "LIMIT 3"))
        dlg = ExportDialog(a, selection=ids)
        qtbot.addWidget(dlg)
        assert dlg.preview() and len(dlg.flow.plan.items) == len(ids)
