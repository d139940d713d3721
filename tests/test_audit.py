"""The audit chain: every change recorded; edits, deletions, reordering and truncation named."""

from __future__ import annotations

from pathlib import Path

import pytest

from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, run_hstc


def _tamper(path: Path, sql: str, *args: object) -> None:
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.conn.execute(sql, args)


def _verify_cli(path: Path) -> tuple[int, str]:
    r = run_hstc("audit", "verify", str(path))
    assert "Traceback" not in r.stderr
    return r.returncode, r.stdout + r.stderr


def test_intact_chain_verifies(demo_copy: Path) -> None:
    code, out = _verify_cli(demo_copy)
    assert code == 0, out
    assert "audit chain intact" in out


def test_every_change_is_audited(demo_copy: Path) -> None:
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        before = s.audit_head().seq
        item = s.get_item(s.conn.execute("SELECT id FROM items LIMIT 1").fetchone()[0])
        s.save_item(item.model_copy(update={"title": item.title + " (revised)",
                                            "version": item.version + 1}))
        head = s.audit_head()
        assert head.seq == before + 1
        last = s.conn.execute("SELECT action, target FROM audit ORDER BY seq DESC LIMIT 1")
        assert last.fetchone() == ("item.update", item.id)


@pytest.mark.parametrize(
    ("name", "sql", "expect"),
    [
        ("edited", "UPDATE audit SET actor = 'mallory' WHERE seq = 3", "record 3"),
        ("edited detail", "UPDATE audit SET detail = '{}' WHERE seq = 2", "record 2"),
        ("deleted", "DELETE FROM audit WHERE seq = 4", "record 4 is missing"),
        ("reordered", "UPDATE audit SET seq = CASE seq WHEN 2 THEN 3 WHEN 3 THEN 2 END "
                      "WHERE seq IN (2, 3)", "record 2"),
        ("truncated", "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
         "cut from the end"),
    ],
)
def test_tampering_is_named(demo_copy: Path, name: str, sql: str, expect: str) -> None:
    if name == "reordered":
        # Swap two whole records by moving through a free sequence number.
        _tamper(demo_copy, "UPDATE audit SET seq = -1 WHERE seq = 2")
        _tamper(demo_copy, "UPDATE audit SET seq = 2 WHERE seq = 3")
        _tamper(demo_copy, "UPDATE audit SET seq = 3 WHERE seq = -1")
    else:
        _tamper(demo_copy, sql)
    code, out = _verify_cli(demo_copy)
    assert code == 1, out
    assert "audit chain broken" in out
    assert expect in out, out


def test_rehashed_edit_still_breaks_the_link(demo_copy: Path) -> None:
    """An attacker who recomputes the edited record's own hash is caught at that record: since
    issue 12 every record is signed by its actor, and the rehashed record's signature (by admin,
    over the old hash) no longer holds. Before signing, the next record's link caught it."""
    from hstc_desk.store.audit import record_hash

    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        seq, at, _actor, action, target, detail, prev = s.conn.execute(
            "SELECT seq, at, actor, action, target, detail, prev FROM audit WHERE seq = 2"
        ).fetchone()
        forged = record_hash(seq, at, "mallory", action, target, detail, prev)
        s.conn.execute("UPDATE audit SET actor = 'mallory', hash = ? WHERE seq = 2", (forged,))
    code, out = _verify_cli(demo_copy)
    assert code == 1 and "record 2" in out and "signed by admin" in out, out
