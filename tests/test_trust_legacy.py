"""A store made before user certificates (schema 9 or older) has no root of trust: audit
verify says so, and `hstc audit certify`, run once by an admin, certifies its users as they
stand; from then on records are signed and forgeries named (issue 12, item 0)."""

from __future__ import annotations

from pathlib import Path

from hstc_desk.store import Store, audit

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, make_store, run_hstc


def _as_made_before_certificates(path: Path) -> None:
    """What such a store holds: no certificates, an unsigned chain (rebuilt here as the old
    program wrote it)."""
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        rows = s.conn.execute("SELECT actor, action, target, detail FROM audit ORDER BY seq"
                              ).fetchall()
        s.conn.execute("DELETE FROM certificates")
        s.conn.execute("DELETE FROM audit")
        for actor, action, target, detail in rows:
            d = audit.json.loads(detail)
            d.pop("certificate_sha256", None)
            if action != "user.certify":
                audit.append(s.conn, s.store_id, actor, action, target, d)


def test_a_store_without_certificates_is_certified_once(tmp_path: Path, monkeypatch) -> None:
    from hstc_desk.store import certificates as C

    # Such a store's id is a random version-4 UUID, not one derived from a root made at init.
    with monkeypatch.context() as m:
        m.setattr(C, "store_id_of", C._early_store_id_of)
        path = make_store(tmp_path / "store")
    _as_made_before_certificates(path)
    r = run_hstc("audit", "verify", str(path))
    assert r.returncode == 1 and "no root of trust" in r.stderr, r.stderr
    r = run_hstc("audit", "certify", str(path), user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1 and "needs an admin" in r.stderr, r.stderr
    r = run_hstc("audit", "certify", str(path))
    assert r.returncode == 0, r.stderr
    assert "certificate 1: admin (admin, active)" in r.stdout
    assert ": sup (supervisor, active), key " in r.stdout, r.stdout
    for args in (("audit", "verify", str(path)), ("check", str(path))):
        r = run_hstc(*args)
        assert r.returncode == 0, r.stdout + r.stderr
    r = run_hstc("audit", "certify", str(path))
    assert r.returncode == 1 and "already certified" in r.stderr
    # From now on the roots hold: a role flipped by SQL is named, and gives no power.
    with Store.open(path, ANALYST, ANALYST_PW) as a:
        a.conn.execute("UPDATE users SET role = 'supervisor' WHERE name = ?", (ANALYST,))
    with Store.open(path, ANALYST, ANALYST_PW) as a:
        assert a.user.role == "analyst"
        seq = a.audit_head().seq
    r = run_hstc("audit", "verify", str(path))
    assert r.returncode == 1 and "user ana: the row was altered (role" in r.stderr, r.stderr
    # and a record written before certification is still covered by its hash chain
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.conn.execute("UPDATE users SET role = 'analyst' WHERE name = ?", (ANALYST,))
        s.conn.execute("UPDATE audit SET target = 'x' WHERE seq = 2")
    r = run_hstc("audit", "verify", str(path))
    assert r.returncode == 1 and "record 2" in r.stderr and seq > 2, r.stderr
