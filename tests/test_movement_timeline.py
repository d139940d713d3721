"""The timeline's level of detail on a real store: marks when they fit, per-lane buckets when
they do not, every item in the window drawn (an "other" row past the lane limit)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hstc_desk import markings
from hstc_desk.movement import query as mq
from hstc_desk.movement.timeline import OTHER, Frame, frame, lane_rows
from hstc_desk.movement.timeline_cache import FrameCache
from hstc_desk.store import TEST_KDF, Store

from conftest import ADMIN, ADMIN_PW, make_store


@pytest.fixture(scope="module")
def store(demo_template):
    with Store.open(demo_template, ADMIN, ADMIN_PW) as s:
        yield s


@pytest.mark.parametrize("by", ["case", "network", "person", "kind"])
def test_marks_when_they_fit_buckets_when_not(store: Store, by: str) -> None:
    flt = mq.MovementFilter()
    t0, t1 = mq.extent(store, flt)
    rows = mq.count(store, flt, by=by)
    fine = frame(store, flt, by, t0, t1, 1000, max_marks=100_000, max_lanes=1000)
    assert fine.marks is not None and fine.bins is None
    assert len(fine.marks) == rows
    assert sum(fine.counts) == rows
    assert {m.lane for m in fine.marks} == set(fine.rows)

    coarse = frame(store, flt, by, t0, t1, 900, max_marks=50, max_lanes=6)
    assert coarse.marks is None and coarse.bins is not None
    assert coarse.bins.shape == (len(coarse.rows), 300)
    if by == "kind":  # three kinds: all fit
        assert len(coarse.rows) == 3 and OTHER not in coarse.rows
    else:
        assert coarse.rows[-1] == OTHER and len(coarse.rows) == 7
    # every lane row that starts in the window is in some bucket, the "other" row included
    starting = mq.count(store, mq.MovementFilter(t_from=t0, t_to=t1), by=by)
    assert int(coarse.bins.sum()) == starting == rows
    assert sum(coarse.counts) == rows
    assert coarse.bucket_seconds == pytest.approx((t1 - t0) / 300)
    assert coarse.banner == fine.banner == mq.view_banner(store, flt)


def test_a_narrow_window_holds_fewer_and_marks_it_so(store: Store) -> None:
    flt = mq.MovementFilter()
    t0, t1 = mq.extent(store, flt)
    mid = (t0 + t1) // 2
    narrow = frame(store, flt, "case", mid, mid + 30 * 86400, 800)
    assert narrow.total == mq.count(store, flt.between(mid, mid + 30 * 86400))
    assert narrow.total < mq.count(store, flt)
    assert narrow.marks is not None
    assert all(m.t0 <= mid + 30 * 86400 and m.t1 >= mid for m in narrow.marks)
    assert narrow.banner == mq.view_banner(store, flt.between(mid, mid + 30 * 86400))


def test_rows_stay_put_while_the_window_moves(store: Store) -> None:
    flt = mq.MovementFilter()
    t0, t1 = mq.extent(store, flt)
    rows = lane_rows(store, flt, "network", max_lanes=5)
    assert rows[-1] == OTHER and len(rows) == 6
    mid = (t0 + t1) // 2
    for a, b in ((t0, t1), (t0, mid), (mid, t1)):
        f = frame(store, flt, "network", a, b, 600, rows=rows, max_marks=10)
        assert f.rows == rows
        assert sum(f.counts) == f.total
        starting = store.conn.execute(
            "SELECT count(*) FROM movement WHERE t0 BETWEEN ? AND ?", (a, b)).fetchone()[0]
        assert f.bins is not None and int(f.bins.sum()) == starting


# ---- the view's cache of the pyramid: the same frames, far fewer reads ----------------------

@pytest.fixture(scope="module")
def cached(store: Store) -> FrameCache:
    return FrameCache(store)


def _same(a: Frame, b: Frame) -> None:
    assert (a.rows, a.total, a.counts, a.banner) == (b.rows, b.total, b.counts, b.banner)
    assert (a.marks is None) == (b.marks is None) and a.marks == b.marks
    assert (a.bins is None) == (b.bins is None)
    if a.bins is not None:
        assert np.array_equal(a.bins, b.bins)
        assert a.bucket_seconds == b.bucket_seconds


@settings(max_examples=60)
@given(data=st.data())
def test_cached_frames_equal_the_pyramids(store: Store, cached: FrameCache,
                                          data: st.DataObject) -> None:
    lo, hi = mq.extent(store, mq.MovementFilter())
    span = data.draw(st.integers(3600, hi - lo + 86400 * 60))
    a = data.draw(st.integers(lo - 86400 * 30, hi))
    by = data.draw(st.sampled_from(["case", "network", "kind"]))
    cases = [ln.key for ln in mq.lanes(store, mq.MovementFilter(), "case", limit=5) if ln.key]
    flt = mq.MovementFilter(
        kinds=tuple(data.draw(st.sets(st.sampled_from(mq.KINDS), min_size=1))),
        cases=tuple(data.draw(st.lists(st.sampled_from(cases), max_size=2, unique=True)))
        if by != "network" else (),
        destination=data.draw(st.sampled_from([None, None, "EUROPOL", "GBR"])))
    max_lanes = data.draw(st.sampled_from([3, 24]))
    rows = lane_rows(store, flt, by, max_lanes=max_lanes)
    assert lane_rows(store, flt, by, max_lanes=max_lanes, cache=cached) == rows
    width = data.draw(st.sampled_from([300, 900, 1400]))
    max_marks = data.draw(st.sampled_from([50, 400]))
    plain = frame(store, flt, by, a, a + span, width, rows=rows, max_marks=max_marks,
                  described=False)
    _same(frame(store, flt, by, a, a + span, width, rows=rows, max_marks=max_marks,
                described=False, cache=cached), plain)
    # and the counts are the table's own
    assert plain.total == mq.count(store, flt.between(a, a + span))


def test_zoom_pan_and_kinds_are_served_from_memory(store: Store) -> None:
    cache = FrameCache(store)
    flt = mq.MovementFilter()
    lo, hi = mq.extent(store, flt)
    rows = lane_rows(store, flt, "case", cache=cache)
    while not cache.prefetch(flt, "case", rows, lo, hi):
        pass
    frame(store, flt, "case", lo, hi, 1200, rows=rows, max_marks=50, cache=cache)
    read = cache.reads
    span = (hi - lo) // 3
    for kinds in (mq.KINDS, ("event",), ("route_leg", "report")):
        k = mq.MovementFilter(kinds=kinds)
        for a in range(lo, hi - span, span // 4):
            f = frame(store, k, "case", a, a + span, 1200, rows=rows, max_marks=50,
                      cache=cache)
            assert f.total == mq.count(store, k.between(a, a + span))
    assert cache.reads == read  # not one pyramid query more: only the edge slivers were read
    frame(store, mq.MovementFilter(destination="EUROPOL"), "case", lo, hi, 1200, rows=rows,
          max_marks=50, cache=cache)
    assert cache.reads > read  # another filter: its own reads


def test_the_cache_forgets_when_the_store_changes(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", items=600, seed=4)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        cache = FrameCache(s)
        flt = mq.MovementFilter()
        lo, hi = mq.extent(s, flt)
        rows = lane_rows(s, flt, "kind", cache=cache)
        before = frame(s, flt, "kind", lo, hi, 900, rows=rows, max_marks=10, cache=cache)
        with s.transaction() as conn:
            conn.execute("DELETE FROM items WHERE kind = 'report' AND rid % 2 = 0")
        after = frame(s, flt, "kind", lo, hi, 900, rows=rows, max_marks=10, cache=cache)
        assert after.total == mq.count(s, flt.between(lo, hi)) < before.total
        assert after.counts == [mq.count(s, mq.MovementFilter(t_from=lo, t_to=hi, kinds=(k,)))
                                for k in rows]


def test_the_cache_holds_nothing_above_the_users_clearance(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", items=1500, seed=11)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user("nosi", "no si clearance here", "analyst", clearance="S", kdf=TEST_KDF)
        assert s.conn.execute("SELECT count(*) FROM movement WHERE sci & 2 OR level = 3"
                              ).fetchone()[0] > 0
    with Store.open(path, "nosi", "no si clearance here") as low:
        cache = FrameCache(low)
        flt = mq.MovementFilter()
        lo, hi = mq.extent(low, flt)
        for by in ("case", "network", "kind"):
            rows = lane_rows(low, flt, by, cache=cache)
            assert sum(ln.count for ln in cache.busiest(flt, by, 10_000)) == mq.count(
                low, flt, by=by)
            f = frame(low, flt, by, lo, hi, 900, rows=rows, max_marks=10, cache=cache)
            assert f.total == mq.count(low, flt) and f.banner == mq.view_banner(low, flt)
        held = [markings.parse(m) for m in cache._markings]
        assert held and all("SI" not in m.sci and m.level <= markings.Level.S for m in held)


def test_marks_crowding_one_lane_are_drawn_as_densities(store: Store) -> None:
    flt = mq.MovementFilter()
    t0, t1 = mq.extent(store, flt)
    loose = frame(store, flt, "kind", t0, t1, 800, max_marks=100_000)
    assert loose.marks is not None and loose.bins is None
    busiest = max(loose.counts)
    second = sorted(loose.counts)[-2]
    assert second < busiest
    # room for the second lane's marks but not the busiest's: that one lane as densities
    mixed = frame(store, flt, "kind", t0, t1, 800, max_marks=100_000,
                  mark_px=800 / busiest * 1.01)
    assert mixed.marks is not None and mixed.bins is not None
    top = loose.counts.index(busiest)
    assert {mixed.row(m.lane) for m in mixed.marks} == set(range(len(loose.rows))) - {top}
    assert int(mixed.bins[top].sum()) == busiest  # the whole range: nothing starts before it
    assert int(mixed.bins.sum()) == busiest and len(mixed.marks) == loose.total - busiest
    assert mixed.total == loose.total and mixed.banner == loose.banner
    # no room for any: densities alone
    dense = frame(store, flt, "kind", t0, t1, 800, max_marks=100_000, mark_px=800)
    assert dense.marks is None and int(dense.bins.sum()) == loose.total
