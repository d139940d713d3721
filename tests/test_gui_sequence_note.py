"""The import dialog tells of missing bundles and a suspicious sequence jump in its status line,
after verifying and after importing, not only deep in the scrolled report."""

from __future__ import annotations

from pathlib import Path

import pytest

from hstc_desk.exchange.merge import import_bundle

from exchange_helpers import build_bytes, location, new_store, trust_pair

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


def test_import_dialog_status_names_gaps_and_a_suspicious_jump(qtbot, tmp_path: Path) -> None:
    from hstc_desk.gui.exchange import ImportDialog

    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        a.insert_items([location(1, "(C//REL TO USA, GBR)")])
        for n in range(1, 4):
            import_bundle(b, build_bytes(a, sequence=n))
        far = tmp_path / "far.bundle"
        far.write_bytes(build_bytes(a, sequence=999_999_999_999))
        dlg = ImportDialog(b)
        qtbot.addWidget(dlg)
        dlg.path.setText(str(far))
        assert dlg.verify()
        status = dlg.status.text()
        assert status.startswith("Every check passed. Nothing has been changed yet.")
        assert "Bundles 4-999999999998 from this sender have not arrived yet." in status
        assert "SUSPICIOUS: sequence number 999999999999 jumps 999999999996" in status
        assert status.endswith("tell the security officer.")
        assert dlg.import_()
        status = dlg.status.text()
        assert status.startswith("Imported. Bundles 4-999999999998") and "SUSPICIOUS" in status
