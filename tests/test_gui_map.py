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
