"""The route map on a real store: basemap, grouped arrows, filters, view-as, selection, playback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF

from hstc_desk import markings
from hstc_desk.gui.movement.map_view import TRAIL, MapView
from hstc_desk.movement import query as mq
from hstc_desk.store import Store

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


@pytest.fixture
def view(qtbot, demo_template: Path):
    store = Store.open(demo_template, ANALYST, ANALYST_PW)
    v = MapView(store)
    qtbot.addWidget(v)
    v.resize(1200, 760)
    v.show()
    qtbot.waitExposed(v)
    yield v
    v.stop()
    store.close()


def _legs(view: MapView) -> int:
    return sum(g.count for g in view.groups)


def test_arrows_cover_every_leg_between_known_places(view: MapView) -> None:
    want = mq.count(view.store, mq.MovementFilter(kinds=("route_leg",)))
    assert _legs(view) == want > 0
    assert view._curves, "no arrows drawn"
    # banner: legs, places and legend titles, rolled up
    rolled = markings.rollup([markings.parse(m) for m in
                              mq.view_markings(view.store, view.flt)
                              + [p.marking for p in view.places.values()]
                              + [m for _, _, m in view.key_titles.values()]])
    assert view.top.text() == view.bottom.text() == rolled.banner()


def test_mode_filter_and_colour_by_mode(view: MapView) -> None:
    view.colour_box.setCurrentIndex(1)
    assert view.colour_by == "mode"
    assert {g.key for g in view.groups} <= {"air", "sea", "land", "river", "foot"}
    view.mode_box.setCurrentIndex(view.mode_box.findData("sea"))
    assert view.groups and {g.key for g in view.groups} == {"sea"}
    assert _legs(view) == mq.count(view.store, mq.MovementFilter(kinds=("route_leg",),
                                                                  modes=("sea",)))


def test_view_as_a_partner_recomputes_what_shows_and_the_banner(view: MapView) -> None:
    before = _legs(view)
    view.view_as.setCurrentIndex(view.view_as.findData("EUROPOL"))
    dest = markings.destination("EUROPOL")
    assert 0 < _legs(view) < before
    assert all(markings.releasable(markings.parse(p.marking), dest)
               for p in view.places.values())
    assert "NOFORN" not in view.top.text()
    view.view_as.setCurrentIndex(0)
    assert _legs(view) == before


def test_place_click_selects_and_hover_names_it(qtbot, view: MapView) -> None:
    place = next(iter(view.places.values()))
    vb = view.plot.getViewBox()
    vb.setRange(xRange=(place.lon - 3, place.lon + 3), yRange=(place.lat - 3, place.lat + 3),
                padding=0)
    scene = vb.mapViewToScene(QPointF(place.lon, place.lat))
    i = view._nearest(scene)
    assert i is not None and view._hit_info[i][1] in view.places
    assert view._hit_info[i][0].startswith("(")  # the tooltip leads with the portion mark

    class Click:
        def scenePos(self) -> QPointF:
            return scene

    with qtbot.waitSignal(view.item_selected) as got:
        view._clicked(Click())
    assert got.args[0] == view._hit_info[i][1]
    assert len(view.highlight.data) == 1


def test_playback_steps_the_cursor_and_shows_the_trailing_window(qtbot, view: MapView) -> None:
    t0, t1 = view._span
    mid = (t0 + t1) // 2
    with qtbot.waitSignal(view.cursor_moved) as got:
        view.step_to(mid)
    assert got.args[0] == mid
    assert _legs(view) == mq.count(view.store, mq.MovementFilter(
        kinds=("route_leg",), t_from=mid - TRAIL, t_to=mid))
    view.speed.setCurrentIndex(view.speed.findData(7 * 86400))
    view._tick()
    assert view.cursor == mid + 7 * 86400 // 10
    view.play.setChecked(True)
    assert view.play.text() == "Pause"
    view.stop()
    assert view.play.text() == "Play"
    # a brushed range resets playback and bounds it
    view.set_range(mid, t1)
    assert view.cursor is None and view._span[0] >= mid - mq.longest_leg(view.store)


def _statements(view: MapView, act) -> list[str]:
    """The SQL the store runs while ``act()`` does its work."""
    seen: list[str] = []
    view.store.conn.set_trace_callback(seen.append)
    try:
        act()
    finally:
        view.store.conn.set_trace_callback(None)
    return seen


def test_zoom_and_pan_ask_nothing_of_the_store(qtbot, view: MapView) -> None:
    vb = view.plot.getViewBox()

    def move() -> None:
        vb.setRange(xRange=(-20, 20), yRange=(0, 30), padding=0)  # in: 50m coasts
        vb.translateBy(x=5)
        view.plot.grab()
        vb.setRange(xRange=(-170, 170), yRange=(-60, 80), padding=0)  # out: 110m
        view.plot.grab()

    assert _statements(view, move) == []
    assert view._scale == "110m"
    vb.setRange(xRange=(-10, 10), yRange=(0, 10), padding=0)
    assert view._scale == "50m"
    assert all(item.isVisible() for item in view._basemaps["50m"])
    assert not any(item.isVisible() for item in view._basemaps["110m"])
    # names are culled to the view: none outside it
    (x0, x1), (y0, y1) = vb.viewRange()
    shown = [lb for lb in view._labels if lb.isVisible()]
    assert all(x0 <= lb.pos().x() <= x1 and y0 <= lb.pos().y() <= y1 for lb in shown)


def test_mode_filter_and_colouring_regroup_without_asking_for_legs(view: MapView) -> None:
    def refilter() -> None:
        view.mode_box.setCurrentIndex(view.mode_box.findData("land"))
        view.colour_box.setCurrentIndex(1)
        view.mode_box.setCurrentIndex(0)

    asked = _statements(view, refilter)
    assert not [q for q in asked if "FROM movement" in q]
    assert _legs(view) == mq.count(view.store, mq.MovementFilter(kinds=("route_leg",)))


def test_colours_stay_with_their_network_while_filtering_and_playing(view: MapView) -> None:
    def colours() -> dict[str | None, str]:
        return {g.key: view.key_colours[g.key] for g in view.groups}

    before = colours()
    assert len(set(before.values())) > 1
    view.mode_box.setCurrentIndex(view.mode_box.findData("sea"))
    after = colours()
    assert after and all(before[k] == c for k, c in after.items() if k in before)
    t0, t1 = view._span
    view.step_to((t0 + t1) // 2)
    playing = colours()
    assert playing and all(before[k] == c for k, c in playing.items() if k in before)
    # a colour whose network is absent from the window is lent, never shared, and kept by the
    # borrower from one step to the next
    coloured = {k: c for k, c in playing.items() if k != "\x00other"}
    assert len(set(coloured.values())) == len(coloured)
    view.step_to((t0 + t1) // 2 + 86400)
    assert all(playing[k] == c for k, c in colours().items() if k in playing)


def test_banner_is_the_roll_up_of_exactly_the_legs_drawn(monkeypatch, view: MapView) -> None:
    import hstc_desk.gui.movement.map_view as mv

    monkeypatch.setattr(mv, "MAX_GROUPS", 3)
    view.redraw()
    assert len(view.groups) == 3
    assert "not drawn" in view.status.text()
    found: set[str] = set()
    for g in view.groups:
        sql = ("SELECT DISTINCT marking FROM movement WHERE kind = 'route_leg' "
               "AND loc_from = ? AND loc_to = ?")
        args: list = [g.loc_from, g.loc_to]
        if g.key != "\x00other":
            sql += " AND network = ?"
            args.append(g.key)
        else:
            named = [k for k in {h.key for h in view.groups} if k != "\x00other"]
            sql += f" AND network NOT IN ({','.join('?' * len(named))})"
            args += named
        found |= {m for (m,) in view.store.conn.execute(sql, args)}
    found |= {p.marking for p in view.places.values()}
    found |= {m for _, _, m in view.key_titles.values()}
    want = markings.rollup([markings.parse(m) for m in found]).banner()
    assert view.top.text() == view.bottom.text() == want


def test_a_new_leg_shows_on_the_next_redraw(qtbot, demo_copy: Path) -> None:
    from hstc_desk.domain.places import RouteLeg

    store = Store.open(demo_copy, ANALYST, ANALYST_PW)
    try:
        view = MapView(store)
        qtbot.addWidget(view)
        before = _legs(view)
        a, b = store.conn.execute(
            "SELECT loc_from, loc_to FROM movement WHERE kind = 'route_leg' LIMIT 1").fetchone()
        start = "2024-05-01T08:00:00Z"
        store.insert_items([RouteLeg.model_validate(dict(
            id="LEG-00000000000000aa", kind="route_leg", from_location_id=a, to_location_id=b,
            mode="sea", start=start, end="2024-05-02T08:00:00Z", network_id=None,
            title="A new leg", marking="(U)", portions=[{"marking": "(U)", "text": "New."}],
            originator="CBP", use_restriction="none", version=1, created=start,
            updated=start, case_id=None))])
        view.redraw()
        assert _legs(view) == before + 1
    finally:
        store.close()


def test_an_empty_store_draws_an_empty_world(qtbot, empty_store: Path) -> None:
    store = Store.open(empty_store, ANALYST, ANALYST_PW)
    try:
        view = MapView(store)
        qtbot.addWidget(view)
        view.resize(900, 600)
        view.show()
        qtbot.waitExposed(view)
        assert view.groups == [] and view.places == {} and len(view._layout.routes) == 0
        assert view.top.text() == view.bottom.text() == "UNCLASSIFIED"
        assert view.status.text() == "0 legs on 0 routes"
        view.mode_box.setCurrentIndex(view.mode_box.findData("sea"))
        view.plot.getViewBox().setRange(xRange=(-10, 10), yRange=(0, 10), padding=0)
        view.step_to(0)
        view.plot.grab()
        assert view.groups == []
    finally:
        store.close()
