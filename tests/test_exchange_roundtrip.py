"""Round trips between real stores: through the API and through the `hstc` command."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from hstc_desk.domain import revise
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError, ExportCancelled
from hstc_desk.exchange.merge import import_bundle, resolve
from hstc_desk.exchange.selection import Scope, plan
from hstc_desk.exchange.sequence import Gap
from hstc_desk.exchange.writer import export
from hstc_desk.store import StoreError

from conftest import make_store, run_hstc
from exchange_helpers import (
    audit_actions,
    bundle_bytes,
    cli_release,
    location,
    new_store,
    open_admin,
    trust_pair,
)


def test_cli_round_trip(tmp_path: Path) -> None:
    a = make_store(tmp_path / "a", items=60, seed=2)
    b = make_store(tmp_path / "b")
    r = run_hstc("keys", "export", str(a), "--out", str(tmp_path / "a.key"))
    assert r.returncode == 0, r.stderr
    fp = re.search(r"fingerprint: ([0-9a-f ]+)", r.stdout)[1]
    bad = run_hstc("keys", "trust", str(b), str(tmp_path / "a.key"), "--fingerprint",
                   fp.replace(fp[0], "f" if fp[0] != "f" else "e", 1))
    assert bad.returncode == 1 and "NOT" in bad.stderr and "Traceback" not in bad.stderr
    r = run_hstc("keys", "trust", str(b), str(tmp_path / "a.key"), "--fingerprint", fp)
    assert r.returncode == 0, r.stderr
    assert fp in run_hstc("keys", "list", str(b)).stdout
    out = tmp_path / "gbr.bundle"
    # A foreign export is a release request (issue 12): the command alone writes nothing.
    r = run_hstc("export", str(a), "--to", "GBR", "--out", str(out))
    assert r.returncode == 2 and "release request" in r.stderr and not out.exists()
    r = run_hstc("disclosure", "request", str(a), "--to", "GBR")
    assert r.returncode == 0, r.stderr
    assert "left out:" in r.stdout and "NOFORN" in r.stdout
    request, written = cli_release(a, "GBR", out)
    assert "the media may be removed" in written.splitlines()[-1]
    before = run_hstc("stats", str(b), "--json").stdout
    r = run_hstc("verify", str(out), "--store", str(b))
    assert r.returncode == 0, r.stderr
    assert "TRUSTED" in r.stdout and "GBR" in r.stdout and "sequence" in r.stdout
    assert f"released by   dso (disclosure officer), request {request}" in r.stdout
    assert json.loads(run_hstc("stats", str(b), "--json").stdout)["content_digest"] == \
        json.loads(before)["content_digest"]
    r = run_hstc("import", str(b), str(out))
    assert r.returncode == 0, r.stderr
    assert "added" in r.stdout
    stats_b = json.loads(run_hstc("stats", str(b), "--json").stdout)
    assert stats_b["items"] > 0 and "NOFORN" not in stats_b["banner"]
    r = run_hstc("import", str(b), str(out))
    assert r.returncode == 0 and "a replay" in r.stdout
    damaged = tmp_path / "damaged.bundle"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x20
    damaged.write_bytes(bytes(data))
    for cmd in (("verify", str(damaged), "--store", str(b)), ("import", str(b), str(damaged))):
        r = run_hstc(*cmd)
        assert r.returncode == 1 and "bundle refused" in r.stderr
        assert "Traceback" not in r.stderr + r.stdout
    assert json.loads(run_hstc("stats", str(b), "--json").stdout)["content_digest"] == \
        stats_b["content_digest"]
    assert run_hstc("audit", "verify", str(b)).returncode == 0
    r = run_hstc("keys", "revoke", str(b), fp)
    assert r.returncode == 0
    r = run_hstc("verify", str(out), "--store", str(b))
    assert r.returncode == 1 and "revoked" in r.stderr
    r = run_hstc("export", str(a), "--to", "MARS", "--out", str(tmp_path / "x"))
    assert r.returncode == 1 and "unknown destination" in r.stderr
    print("CLI round trip: keys, export, verify, import, replay, refusal, revoke")


def test_full_exchange_converges(tmp_path: Path) -> None:
    with new_store(tmp_path / "a", items=80, seed=4) as a, \
            new_store(tmp_path / "b", items=40, seed=9) as b:
        trust_pair(a, b)
        trust_pair(b, a)
        ab, ba = bundle_bytes(a, tmp_path, "USA"), bundle_bytes(b, tmp_path, "USA")
        import_bundle(b, ab)
        import_bundle(a, ba)
        assert a.content_digest() == b.content_digest()
        assert a.count("links") == b.count("links") > 0


def test_concurrent_edits_kept_both_and_flagged(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        trust_pair(b, a)
        item = location(1, "(S//REL TO USA, GBR)")
        a.insert_items([item])
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        ea = revise(item, updated=item.updated + timedelta(hours=1), title="edited at a")
        eb = revise(item, updated=item.updated + timedelta(hours=2), title="edited at b",
                    marking="(S//NF)")
        a.save_item(ea)
        b.save_item(eb)
        from_a, from_b = bundle_bytes(a, tmp_path, "USA"), bundle_bytes(b, tmp_path, "USA")
        assert import_bundle(b, from_a).items.conflicts == 1
        assert import_bundle(a, from_b).items.conflicts == 1
        assert a.content_digest() == b.content_digest()
        for s in (a, b):
            assert s.conn.execute("SELECT conflict FROM items WHERE id = ?",
                                  (item.id,)).fetchone()[0] == 1
            assert s.stats()["conflicts"] == 1
            # the higher marking sits in the table: nothing is shown lower than it might be
            assert s.get_item(item.id).marking == "(S//NF)"
        kept = a.conn.execute("SELECT sha256 FROM conflicts").fetchone()[0]
        resolve(a, item.id, kept, now=item.updated + timedelta(days=1))
        resolved = a.get_item(item.id)
        assert resolved.version == 3 and resolved.title == "edited at a"
        assert resolved.marking == "(S//NF)"  # roll-up of both: never lowered
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        assert a.content_digest() == b.content_digest()
        assert b.stats()["conflicts"] == 0 and a.stats()["conflicts"] == 0


def test_lowered_marking_refused(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        item = location(1, "(S//NF)")
        a.insert_items([item])
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        # A sender that does not keep the rule (this store refuses such an edit): its store
        # holds a lowered newer version, written past the editor.
        lowered = revise(item, updated=item.updated + timedelta(hours=1), marking="(U)")
        with pytest.raises(StoreError, match="no marking is ever lowered"):
            a.save_item(lowered)
        rid = a.conn.execute("SELECT rid FROM items WHERE id = ?", (item.id,)).fetchone()[0]
        a.conn.execute("DELETE FROM items_fts WHERE rowid = ?", (rid,))
        a.conn.execute("DELETE FROM items WHERE rid = ?", (rid,))
        a.insert_items([lowered])
        digest = b.content_digest()
        with pytest.raises(BundleError, match="no marking is lowered") as info:
            import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        assert info.value.check == "merge"
        assert b.content_digest() == digest and b.get_item(item.id).marking == "(S//NF)"
        assert audit_actions(b, "exchange.refused") == 1


def test_out_of_order_merged_and_gaps_reported(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        bundles = []
        for i in range(1, 4):
            a.insert_items([location(i, "(C//REL TO USA, GBR)")])
            bundles.append(bundle_bytes(a, tmp_path, "GBR"))
        r3 = import_bundle(b, bundles[2])
        assert r3.gaps == (Gap(1, 2),) and r3.items.added == 3
        assert "missing 1-2" in r3.verification.check("sequence").detail
        r1 = import_bundle(b, bundles[0])
        assert r1.gaps == (Gap(2, 2),)
        assert "out of order" in r1.verification.check("sequence").detail
        assert r1.items.unchanged == 1
        assert import_bundle(b, bundles[1]).gaps == ()
        assert b.content_digest() == a.content_digest()
        details = [json.loads(d) for (d,) in b.conn.execute(
            "SELECT detail FROM audit WHERE action = 'exchange.import' ORDER BY seq")]
        assert [d["gaps"] for d in details] == [[[1, 2]], [[2, 2]], []]


def test_scopes_cancel_and_zip_interop(tmp_path: Path) -> None:
    with new_store(tmp_path / "a", items=200, seed=3) as a:
        case_id = a.conn.execute("SELECT id FROM items WHERE kind = 'case' LIMIT 1").fetchone()[0]
        by_case = plan(a, "USA", Scope(case_id=case_id))
        n_case = a.conn.execute("SELECT count(*) FROM items WHERE case_id = ? OR id = ?",
                                (case_id, case_id)).fetchone()[0]
        assert len(by_case.items) == n_case
        word = a.get_item(case_id).title.split()[0]
        by_query = plan(a, "USA", Scope(query=word))
        assert 0 < len(by_query.items) < a.count("items")
        ids = tuple(r[0] for r in a.conn.execute("SELECT id FROM items LIMIT 7"))
        assert len(plan(a, "USA", Scope(ids=ids)).items) == 7
        out = tmp_path / "c.bundle"
        with pytest.raises(ExportCancelled):
            export(a, by_case, out, cancel=lambda: True)
        assert not out.exists() and list(tmp_path.glob(".c.bundle*")) == []
        assert a.conn.execute("SELECT count(*) FROM exports").fetchone()[0] == 0
        stages: list[str] = []
        res = export(a, by_case, out, progress=lambda s, n, t: stages.append(s))
        assert stages == ["building", "writing", "verifying", "done"]
        assert res.verification.ok and res.info.sequence == 1
        with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as zf:
            assert zf.testzip() is None
            assert sorted(zf.namelist()) == sorted(bf.MEMBER_ORDER)
        assert audit_actions(a, "exchange.export") == 1


def test_reopened_store_keeps_trust(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        data = bundle_bytes(a, tmp_path, "USA")
        path = b.path
    with open_admin(path) as b2:
        assert import_bundle(b2, data).status == "imported"


def test_merge_rows_match_store_rows(tmp_path: Path) -> None:
    from hstc_desk.exchange.merge import item_row_of, link_row_of
    from hstc_desk.exchange.reader import verify
    from hstc_desk.exchange.trust import Keyring
    from hstc_desk.store.rows import item_row, link_row

    with new_store(tmp_path / "a", items=300, seed=3) as a:
        v = verify(bundle_bytes(a, tmp_path, "USA"), Keyring.of_own(a))
        assert v.ok and v.items and v.links
        for r in v.items:
            assert item_row_of(7, r) == item_row(7, r.obj)
        for r in v.links:
            assert link_row_of(7, r) == link_row(7, r.obj)


def test_group_rel_to_is_not_a_lowering(tmp_path: Path) -> None:
    """Found by the convergence machine: REL TO FVEY compared with itself is not lower."""
    from hstc_desk.exchange.merge import _lowers

    assert not _lowers("(S//REL TO USA, FVEY)", "(S//REL TO USA, FVEY)")
    assert _lowers("(S//NF)", "(S//REL TO USA, FVEY)")
    assert not _lowers("(C//REL TO USA, FVEY)", "(S//REL TO USA, GBR)")
