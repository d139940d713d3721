"""The timeline view on a real store: lanes, level of detail, hover, click, brush and banner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt

from hstc_desk import markings
from hstc_desk.gui.movement.timeline_axis import MIN_TICK_PX
from hstc_desk.gui.movement.timeline_view import TimelineView
from hstc_desk.movement import local_time
from hstc_desk.movement import query as mq
from hstc_desk.store import Store

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


@pytest.fixture
def view(qtbot, demo_template: Path):
    store = Store.open(demo_template, ANALYST, ANALYST_PW)
    v = TimelineView(store)
    v.max_marks = 400  # the 3,000-item store holds some 1,600 movement items
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    qtbot.waitExposed(v)
    v.redraw()
    yield v
    v._timer.stop()
    store.close()


def test_whole_range_draws_densities_and_a_zoom_draws_items(view: TimelineView) -> None:
    f = view.current
    assert f is not None and f.marks is None and f.bins is not None
    assert view.density.isVisible()
    assert "density" in view.status.text()
    t0, t1 = view.window()
    mid = (t0 + t1) // 2
    view.plot.setXRange(mid, mid + 20 * 86400, padding=0)
    view.redraw()
    f = view.current
    assert f.marks is not None and not view.density.isVisible()
    shown = (len(view.events.xData) // 2 + len(view.reports.data) + len(view.legs.xData) // 2
             + len(view.windows.xData) // 2)
    assert shown == len(f.marks) > 0
    # the banner is the roll-up of the window and the lane titles, never the system high
    rolled = markings.rollup([markings.parse(f.banner), *(
        markings.parse(m) for _, _, m in view.lane_titles.values())])
    assert view.top.text() == view.bottom.text() == rolled.banner()


def test_lanes_by_each_choice(view: TimelineView) -> None:
    for by in ("network", "person", "kind", "case"):
        view.set_lanes(by)
        assert view.by == by and view.current is not None and view.current.by == by
        ticks = view.lane_axis._tickLevels[0]
        assert len(ticks) == len(view.rows) > 0
    view.set_lanes("kind")
    assert [label for _, label in view.lane_axis._tickLevels[0]] == [
        {"event": "events", "route_leg": "route legs", "report": "reports"}[k]
        for k in view.rows]


def test_click_selects_and_selection_elsewhere_highlights(qtbot, view: TimelineView) -> None:
    t0, t1 = view.window()
    mid = (t0 + t1) // 2
    view.plot.setXRange(mid, mid + 10 * 86400, padding=0)
    view.redraw()
    f = view.current
    assert f.marks
    target = next(m for m in f.marks if m.kind == "event" and m.t1 == m.t0)
    vb = view.plot.getViewBox()
    scene = vb.mapViewToScene(QPointF(target.t0, f.row(target.lane)))
    with qtbot.waitSignal(view.item_selected) as got:
        class Click:
            def scenePos(self) -> QPointF:  # what pyqtgraph's click event answers
                return scene
        view._clicked(Click())
    near = {mq.describe(view.store, m.rid)[0] for m in f.marks if m.kind == "event"
            and abs(m.t0 - target.t0) < 86400}
    assert got.args[0] in near
    assert len(view.highlight.data) == 1
    view.select(None)
    assert len(view.highlight.data) == 0
    view.select(mq.describe(view.store, target.rid)[0])
    assert len(view.highlight.data) == 1
    assert f.marks[0].item_id == ""  # a redraw never reads the items table


def test_brush_sets_the_range_and_says_so(qtbot, view: TimelineView) -> None:
    t0, t1 = mq.extent(view.store, view.flt)
    a, b = t0 + (t1 - t0) // 4, t0 + (t1 - t0) // 2
    with qtbot.waitSignal(view.range_selected) as got:
        view.brush.setRegion((a, b))
        view.brush.sigRegionChangeFinished.emit(view.brush)
    assert abs(got.args[0] - a) <= 1 and abs(got.args[1] - b) <= 1
    w0, w1 = view.window()
    assert abs(w0 - a) < 2 and abs(w1 - b) < 3


def test_keyboard_zoom_and_pan(qtbot, view: TimelineView) -> None:
    (x0, x1), _ = view.plot.getViewBox().viewRange()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    (y0, y1), _ = view.plot.getViewBox().viewRange()
    assert (y1 - y0) == pytest.approx((x1 - x0) / 2, rel=0.01)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    (z0, _), _ = view.plot.getViewBox().viewRange()
    assert z0 > y0
    qtbot.keyClick(view, Qt.Key.Key_0)
    view.redraw()
    assert view.current is not None and view.current.total == mq.count(view.store, view.flt)


def test_time_zone_is_labelled(view: TimelineView) -> None:
    view.zone_box.setCurrentIndex(1)
    assert "workstation time, UTC" in view.axis.labelText
    view.zone_box.setCurrentIndex(2)
    assert view.axis.labelText == "Time (UTC; each item's local time where you point)"
    (rid,) = view.store.conn.execute(
        "SELECT rid FROM movement WHERE kind = 'event' AND loc_from IS NOT NULL "
        "LIMIT 1").fetchone()
    text = view.local_time_of(rid)
    if local_time.zones():
        assert "the nearest zone city" in text and "/" in text
    view.zone_box.setCurrentIndex(0)
    assert view.axis.labelText == "Time (UTC)"


def test_playback_cursor_follows_and_keeps_in_view(view: TimelineView) -> None:
    t0, t1 = view.window()
    view.plot.setXRange(t0, t0 + (t1 - t0) // 10, padding=0)
    view.set_cursor(t0 + (t1 - t0) // 20)
    assert view.cursor.isVisible() and view.cursor.value() == t0 + (t1 - t0) // 20
    late = t1 - 86400
    view.set_cursor(late)
    w0, w1 = view.window()
    assert w0 <= late <= w1
    view.set_cursor(None)
    assert not view.cursor.isVisible()


def test_view_as_a_partner_shows_what_it_may_receive(view: TimelineView) -> None:
    every = mq.count(view.store, view.flt)
    view.view_as.setCurrentIndex(view.view_as.findData("EUROPOL"))
    assert view.flt.destination == "EUROPOL"
    view.redraw()
    assert 0 < view.current.total < every
    assert "NOFORN" not in view.top.text()
    view.view_as.setCurrentIndex(0)
    view.redraw()
    assert view.current.total == every


def test_trace_one_network_and_what_happened_around_an_item(view: TimelineView) -> None:
    net = next(ln.key for ln in mq.lanes(view.store, view.flt, "network", limit=5) if ln.key)
    view.trace(net)
    assert view.by == "kind" and view.flt.networks == (net,)
    view.redraw()
    assert view.current.total == mq.count(view.store, mq.MovementFilter(networks=(net,)))
    view.trace(None)
    assert view.flt.networks == ()
    leg = view.store.conn.execute(
        "SELECT i.id, m.t0, m.t1 FROM movement m JOIN items i ON i.rid = m.rid "
        "WHERE m.kind = 'route_leg' LIMIT 1").fetchone()
    assert view.around(leg[0], days=3)
    w0, w1 = view.window()
    assert w0 <= leg[1] - 3 * 86400 + 1 and w1 >= leg[2] + 3 * 86400 - 1
    assert view.current.marks is not None and len(view.highlight.data) == 1
    assert not view.around("EVT-0000000000000000")
    with pytest.raises(ValueError):
        view.trace("LOC-0000000000000000")


def test_a_time_known_roughly_is_drawn_as_its_window(view: TimelineView) -> None:
    t0, t1 = view.store.conn.execute(
        "SELECT t0, t1 FROM movement WHERE kind = 'event' AND t1 > t0 "
        "ORDER BY t1 - t0 DESC LIMIT 1").fetchone()
    assert t1 - t0 >= 27 * 86400  # "March 2023": the demo world knows some only to the month
    view.plot.setXRange(t0 - 86400, t1 + 86400, padding=0)
    view.redraw()
    xs = list(view.windows.xData)
    assert (t0, t1) in set(zip(xs[0::2], xs[1::2], strict=True))
    points = set(view.events.xData[0::2])
    assert t0 not in points  # never a false point
    # a click anywhere along the window picks it
    vb = view.plot.getViewBox()
    row = next(y for x, y in zip(xs[0::2], view.windows.yData[0::2], strict=True) if x == t0)
    i = view._nearest(vb.mapViewToScene(QPointF(t0 + (t1 - t0) * 0.9, row)))
    assert i is not None and tuple(view._spans[i]) == (t0, t1)


def test_zoom_and_pan_after_the_read_ahead_ask_the_pyramid_nothing(
        qtbot, view: TimelineView) -> None:
    qtbot.waitUntil(lambda: not view._prefetch.isActive(), timeout=10_000)
    reads = view.cache.reads
    t0, t1 = view.window()
    span = t1 - t0
    for a, b in ((t0 + span // 4, t1 - span // 4), (t0 + span // 3, t1 - span // 6),
                 (t0, t0 + span // 2), (t0 + span // 2, t1)):
        view.plot.setXRange(a, b, padding=0)
        view.redraw()
        f = view.current
        assert f.total == mq.count(view.store, view.flt.between(f.t0, f.t1))
    assert view.cache.reads == reads


def test_density_bands_are_white_where_nothing_happened(view: TimelineView) -> None:
    f = view.current
    assert f.bins is not None
    image = view.density.image
    assert image.shape == (len(f.rows) * 8, f.bins.shape[1])
    bands = image.reshape(len(f.rows), 8, -1)
    assert (bands[:, 0] == 0).all() and (bands[:, -1] == 0).all()  # a white line between lanes
    # the top row of the image is the bottom lane: the item's flip undoes the view's
    assert np.array_equal(bands[:, 1] > 0, f.bins[::-1] > 0)
    assert view.density.levels[0] == 0  # an empty bucket is the colour map's white


def test_the_date_axis_keeps_only_readable_tick_levels(view: TimelineView) -> None:
    view.plot.grab()  # painted once: the axis knows its font
    plain = pg.DateAxisItem(orientation="bottom", utcOffset=0)
    plain.fontMetrics = view.axis.fontMetrics
    span = 10 * 365 * 86400
    width = 1000
    ours = view.axis.tickValues(1.5e9, 1.5e9 + span, width)
    theirs = plain.tickValues(1.5e9, 1.5e9 + span, width)
    assert ours[0] == theirs[0] and len(theirs) > len(ours)  # the month level is dropped
    assert all(len(values) <= width / MIN_TICK_PX for _, values in ours[1:])
    spacing, values = ours[0]
    assert view.axis.tickStrings(values, 1, spacing) == plain.tickStrings(values, 1, spacing)


def test_an_empty_store_draws_an_empty_timeline(qtbot, empty_store: Path) -> None:
    store = Store.open(empty_store, ANALYST, ANALYST_PW)
    try:
        v = TimelineView(store)
        qtbot.addWidget(v)
        v.resize(900, 500)
        v.show()
        qtbot.waitExposed(v)
        v.redraw()
        assert v.current is not None and v.current.total == 0 and v.current.rows == []
        assert not v.density.isVisible()
        assert v.events.xData is None or len(v.events.xData) == 0
        assert "0 in view" in v.status.text()
        assert v.top.text() == v.bottom.text() == "UNCLASSIFIED"
        v.plot.grab()
        v._timer.stop()
    finally:
        store.close()
