"""Conflicts are shown to the analyst only within their clearance: an item in conflict above it
is not listed, its versions are not shown, and it cannot be resolved by id."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hstc_desk.domain import revise
from hstc_desk.exchange.flows import ConflictFlow
from hstc_desk.exchange.merge import import_bundle
from hstc_desk.store import TEST_KDF, Store

from conftest import ADMIN, ADMIN_PW
from exchange_helpers import bundle_bytes, location, new_store, trust_pair


def test_conflicts_above_the_clearance_are_not_shown_nor_resolved(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        low = location(1, "(C//REL TO USA, GBR)")
        high = location(2, "(TS//SI//NF)")
        a.insert_items([low, high])
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        for item in (low, high):
            a.save_item(revise(item, updated=item.updated + timedelta(hours=1), title="at a"))
            b.save_item(revise(item, updated=item.updated + timedelta(hours=2), title="at b"))
        import_bundle(b, bundle_bytes(a, tmp_path, "USA"))
        assert {i for i, _, _ in ConflictFlow(b).items()} == {low.id, high.id}
        b.add_user("lowan", "low analyst pass", "analyst", clearance="S", kdf=TEST_KDF)
    with Store.open(tmp_path / "b", "lowan", "low analyst pass") as s:
        flow = ConflictFlow(s)
        assert [i for i, _, _ in flow.items()] == [low.id]
        assert flow.alternatives(high.id) == []
        assert len(flow.alternatives(low.id)) == 2
        with Store.open(tmp_path / "b", ADMIN, ADMIN_PW) as admin:
            sha = ConflictFlow(admin).alternatives(high.id)[1].sha256
        assert not flow.keep(high.id, sha) and "no such version" in flow.error
    with Store.open(tmp_path / "b", ADMIN, ADMIN_PW) as admin:
        assert admin.get_item(high.id).version == 2  # still in conflict, untouched
