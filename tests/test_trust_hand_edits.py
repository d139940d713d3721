"""Audit records whose detail was edited by hand into something that is not a JSON object (a
list, a number, garbage): `audit verify` and `check` name what is wrong, never crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_trust_forgery import approve, draft

from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, SUPERVISOR, SUPERVISOR_PW, make_store, run_hstc


@pytest.mark.parametrize("detail", ["[1, 2]", "7", "not json at all", ""])
def test_a_hand_edited_approval_detail_is_named_not_a_crash(tmp_path: Path, detail: str) -> None:
    path = make_store(tmp_path / "store")
    pid = draft(path)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        approve(s, pid)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.conn.execute("UPDATE audit SET detail = ? WHERE action = 'product.approve'", (detail,))
        verdict = s.verify_audit()
        assert not verdict.ok
    r = run_hstc("audit", "verify", str(path))
    assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
    assert "record" in (r.stdout + r.stderr)
