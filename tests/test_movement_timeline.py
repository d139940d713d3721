"""The timeline's level of detail on a real store: marks when they fit, per-lane buckets when
they do not, every item in the window drawn (an "other" row past the lane limit)."""

from __future__ import annotations

import pytest

from hstc_desk.movement import query as mq
from hstc_desk.movement.timeline import OTHER, frame, lane_rows
from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW


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
