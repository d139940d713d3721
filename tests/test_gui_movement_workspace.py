"""The Movement workspace in the main window: docks, selection linked both ways, the brush
filtering the browser and the map, playback moving the timeline's cursor, lock and unlock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hstc_desk.movement import query as mq

from conftest import ANALYST_PW
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


@pytest.fixture
def window(qtbot, demo_copy: Path, tmp_path: Path):
    w = open_window(qtbot, demo_copy, tmp_path)
    w.movement.timeline.max_marks = 400
    yield w
    w.movement.timeline._timer.stop()


def test_the_workspace_shows_both_views_and_keeps_its_layout(qtbot, window) -> None:
    ws = window.movement
    assert not ws.timeline_dock.isVisible() and not ws.map_dock.isVisible()
    ws.workspace_action.trigger()
    qtbot.waitUntil(lambda: ws.timeline_dock.isVisible() and ws.map_dock.isVisible())
    ws.map_dock.hide()
    ws.save_workspace()
    ws.map_dock.show()
    ws.show_workspace()
    assert not ws.map_dock.isVisible()  # the saved layout wins


def test_selection_links_both_ways(qtbot, window) -> None:
    ws = window.movement
    ws.show_workspace()
    (leg_id,) = ws.timeline.store.conn.execute(
        "SELECT i.id FROM movement m JOIN items i ON i.rid = m.rid "
        "WHERE m.kind = 'route_leg' LIMIT 1").fetchone()
    ws.timeline.around(leg_id, days=2)
    ws.timeline.item_selected.emit(leg_id)  # as a click on its mark does
    qtbot.waitUntil(lambda: window.detail.item is not None and window.detail.item.id == leg_id)
    rows = window.browser.view.selectionModel().selectedRows()
    assert [window.browser.model.item_id(r.row()) for r in rows] in ([leg_id], [])
    assert len(ws.map.highlight.data) == 2  # the leg's two ends
    # made current in the browser: highlighted on the timeline
    ws.timeline.select(None)
    ws._current_in_browser(leg_id)
    assert ws.timeline.selected == leg_id and len(ws.timeline.highlight.data) == 1


def test_brush_filters_the_browser_and_the_map(qtbot, window) -> None:
    ws = window.movement
    ws.show_workspace()
    t0, t1 = mq.extent(ws.timeline.store, ws.timeline.flt)
    a, b = t0 + (t1 - t0) // 3, t0 + (t1 - t0) // 2
    ws.timeline.range_selected.emit(a, b)
    flt = window.browser.filters.current()
    assert flt.day_from == datetime.fromtimestamp(a, UTC).date().isoformat()
    assert flt.day_to == datetime.fromtimestamp(b, UTC).date().isoformat()
    assert ws.map.flt.t_from == a and ws.map.flt.t_to == b
    legs = sum(g.count for g in ws.map.groups)
    assert legs == mq.count(ws.map.store, mq.MovementFilter(kinds=("route_leg",), t_from=a,
                                                            t_to=b))


def test_playback_moves_the_timeline_cursor(window) -> None:
    ws = window.movement
    lo, hi = ws.map._span
    ws.map.step_to((lo + hi) // 2)
    assert ws.timeline.cursor.isVisible() and ws.timeline.cursor.value() == (lo + hi) // 2


def test_lock_empties_the_views_and_unlock_draws_them_again(qtbot, window) -> None:
    ws = window.movement
    ws.show_workspace()
    before = ws.timeline.current.total
    window.lock()
    assert not ws.timeline_dock.isVisible() and not ws.map_dock.isVisible()
    assert ws.timeline.current is None and ws.map.groups == []
    assert window.resume(ANALYST_PW)
    qtbot.waitUntil(lambda: ws.timeline_dock.isVisible())
    assert ws.timeline.store is window.session.store
    assert ws.timeline.current is not None and ws.timeline.current.total == before
    assert ws.map.groups
