"""The movement pyramid answers exactly what the movement table does: counts, markings and
lanes for random windows and filters, kept through edits, deletes and imports."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hstc_desk.movement import bins
from hstc_desk.movement import query as mq
from hstc_desk.store import Store
from hstc_desk.store.schema import BIN_WIDTHS

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, make_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    path = make_store(tmp_path_factory.mktemp("bins") / "store", items=2500, seed=5)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        assert bins.fold(s)
        yield s


def _span(store: Store) -> tuple[int, int]:
    span = mq.extent(store, mq.MovementFilter())
    assert span
    return span


def test_decompose_covers_a_window_exactly_once() -> None:
    for a, b in ((0, 10 * 365 * 86400), (12345, 12345 + 86400 * 40 + 17), (-86400 * 3 - 5, 77),
                 (1_600_000_123, 1_600_000_999)):
        pieces, raw = bins.decompose(a, b)
        covered = sorted([(p.first * p.width, (p.last + 1) * p.width - 1) for p in pieces]
                         + raw)
        assert covered[0][0] == a and covered[-1][1] == b
        for (_, hi), (lo, _) in itertools.pairwise(covered):
            assert lo == hi + 1
        assert all(hi - lo < BIN_WIDTHS[0] for lo, hi in raw)
        assert len(pieces) <= 2 * len(BIN_WIDTHS)


@settings(max_examples=80)
@given(data=st.data())
def test_pyramid_equals_the_table(store: Store, data: st.DataObject) -> None:
    lo, hi = _span(store)
    a = data.draw(st.integers(lo - 86400 * 30, hi))
    b = data.draw(st.integers(a, hi + 86400 * 30))
    cases = [ln.key for ln in mq.lanes(store, mq.MovementFilter(), "case", limit=6) if ln.key]
    flt = mq.MovementFilter(
        kinds=tuple(data.draw(st.sets(st.sampled_from(mq.KINDS), min_size=1))),
        cases=tuple(data.draw(st.lists(st.sampled_from(cases), max_size=2, unique=True))),
        destination=data.draw(st.sampled_from([None, None, "EUROPOL", "GBR", "USA-DOJ"])))
    window = flt.between(a, b)
    assert bins.usable(store, flt, "case")
    assert not bins.usable(store, flt.between(None, None).__class__(modes=("sea",)), "case")
    assert bins.count(store, flt, a, b) == mq.count(store, window)
    assert bins.markings_in(store, flt, a, b) == mq.view_markings(store, window)
    keys = [ln.key for ln in mq.lanes(store, window, "case", limit=8)]
    assert bins.lane_counts(store, flt, "case", a, b, keys) == mq.lane_counts(
        store, window, "case", keys)
    kinds = list(mq.KINDS)
    assert bins.lane_counts(store, flt, "kind", a, b, kinds) == mq.lane_counts(
        store, window, "kind", kinds)
    n = data.draw(st.integers(1, 300))
    got = bins.lane_bins(store, flt, "case", a, b, n, keys)
    want = mq.lane_bins(store, window, "case", a, b, n, keys) if b > a else None
    starting = store.conn.execute(
        "SELECT count(*) FROM movement m WHERE " + mq.where(store, flt.between(None, None))[0]
        + " AND m.t0 BETWEEN ? AND ?", [*mq.where(store, flt.between(None, None))[1], a, b]
    ).fetchone()[0]
    total = bins.lane_bins(store, flt, None, a, b, n, None)[None]
    assert int(total.sum()) == starting
    if want is not None:
        for k in keys:
            assert int(got[k].sum()) == int(want[k].sum())
            # nothing is placed more than one display bucket away from where it is
            drift = np.abs(np.cumsum(got[k]) - np.cumsum(want[k]))
            assert (drift <= np.maximum(np.roll(want[k], -1), want[k]) + want[k]).all()


def test_edits_deletes_and_a_lower_clearance(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", items=800, seed=2)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        lo, hi = _span(s)
        _rid, item_id = s.conn.execute(
            "SELECT rid, id FROM items WHERE kind = 'event' LIMIT 1").fetchone()
        event = s.get_item(item_id)
        s.save_item(event.model_copy(update={
            "occurred": datetime(2001, 2, 3, tzinfo=event.occurred.tzinfo),
            "version": event.version + 1}), expected_version=event.version)
        with s.transaction() as conn:
            conn.execute("DELETE FROM items WHERE kind = 'report' AND rid % 3 = 0")
        for a, b in ((lo, hi), (lo - 10**9, hi), ((lo + hi) // 2, hi)):
            assert bins.count(s, mq.MovementFilter(), a, b) == mq.count(
                s, mq.MovementFilter(t_from=a, t_to=b))
        assert s.conn.execute("SELECT count(*) FROM movement_log").fetchone()[0] == 0
    with Store.open(path, ANALYST, ANALYST_PW) as low:
        flt = mq.MovementFilter()
        assert bins.count(low, flt, lo - 10**9, hi) == mq.count(low, flt.between(lo - 10**9, hi))
        assert bins.markings_in(low, flt, lo, hi) == mq.view_markings(low, flt.between(lo, hi))


def test_busiest_lanes_from_the_pyramid(store: Store) -> None:
    for by in ("case", "network", "kind"):
        want = mq.lanes(store, mq.MovementFilter(), by, limit=10_000)  # type: ignore[arg-type]
        got = bins.busiest(store, mq.MovementFilter(), by, 10_000)
        assert {ln.key: ln.count for ln in got} == {ln.key: ln.count for ln in want}
        assert [ln.count for ln in got] == sorted((ln.count for ln in got), reverse=True)


def test_banner_from_the_pyramid_equals_the_tables(store: Store) -> None:
    lo, hi = _span(store)
    for flt in (mq.MovementFilter(), mq.MovementFilter(kinds=("route_leg",)),
                mq.MovementFilter(t_from=(lo + hi) // 2), mq.MovementFilter(t_to=(lo + hi) // 2),
                mq.MovementFilter(destination="EUROPOL"), mq.MovementFilter(modes=("sea",))):
        assert bins.banner(store, flt) == mq.view_banner(store, flt)
        assert bins.banner(store, flt, extra=["(TS//SI)"]) == mq.view_banner(
            store, flt, extra=["(TS//SI)"])
