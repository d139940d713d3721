"""Issue 12, item 3: the audit viewer shows who signed each record, checked, on real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hstc_desk.gui.admin.audit_viewer import SIGNER_COLUMN, AuditViewer, verdict_sentence
from hstc_desk.store import Store, audit

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, make_store

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


def test_viewer_shows_each_signer_and_flags_a_forged_signature(qtbot, tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", items=20)
    with Store.open(path, ANALYST, ANALYST_PW) as a:
        item = a.get_item(a.conn.execute("SELECT id FROM items LIMIT 1").fetchone()[0])
        a.save_item(item.model_copy(update={"title": "t", "version": item.version + 1}))
        # The analyst re-signs an admin record with their own key.
        seq, digest = a.conn.execute("SELECT seq, hash FROM audit WHERE action = 'user.add' "
                                     "LIMIT 1").fetchone()
        a.conn.execute("UPDATE audit SET signature = ? WHERE seq = ?", (a.signing_key.sign(
            audit.signed_message(a.store_id, seq, digest, ADMIN)).hex(), seq))
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        viewer = AuditViewer(s)
        qtbot.addWidget(viewer)
        viewer.show()
        model = viewer.model
        assert model.headerData(SIGNER_COLUMN, Qt.Orientation.Horizontal) == "Signed by"
        cells = {r.seq: (model.index(i, SIGNER_COLUMN).data(),
                         model.index(i, SIGNER_COLUMN).data(Qt.ItemDataRole.ToolTipRole))
                 for i, r in enumerate(model.rows)}
        assert cells[seq][0] == f"✗ {ADMIN}: fails" and "does not verify" in cells[seq][1]
        good = [c for q, c in cells.items() if q != seq]
        assert good and all(text.startswith("✓ ") for text, _ in good)
        assert any(text == f"✓ {ANALYST}" and "certificate 2 (analyst)" in tip
                   for text, tip in good)
        sentence = verdict_sentence(s.verify_audit())
        assert sentence.startswith(f"Audit chain broken at record {seq}: ")
        assert "not by admin's certified key" in sentence
