"""Route-map geometry without Qt: width classes, colours, arcs and arrowheads."""

from __future__ import annotations

import numpy as np

from hstc_desk.movement import ribbons, routes
from hstc_desk.movement.query import LegGroup, Place


def test_colours_are_distinct_until_the_palette_runs_out() -> None:
    keys = [f"ORG-{i:016x}" for i in range(10)]
    colours = routes.colours_for(keys)
    firsts = [colours[k] for k in keys[:7]]
    assert len(set(firsts)) == 7
    assert {colours[k] for k in keys[7:]} == {routes.PALETTE[-1]}


def test_arcs_bow_left_so_return_legs_do_not_overlap() -> None:
    x, y = routes.arc(0, 0, 10, 0)
    assert (x[0], y[0]) == (0, 0) and (x[-1], y[-1]) == (10, 0)
    assert y[len(y) // 2] > 0  # eastbound bows north
    _, by = routes.arc(10, 0, 0, 0)
    assert by[len(by) // 2] < 0  # the way back bows south
    ax, ay = routes.arcs(np.array([0.0]), np.array([0.0]), np.array([10.0]), np.array([0.0]),
                         np.array([0.18]))
    assert np.allclose(ax[0], x) and np.allclose(ay[0], y)


def _places() -> dict[str, Place]:
    return {k: Place(k, k, "(U)", lat, lon, "USA") for k, lat, lon in
            (("LOC-a", 0, 0), ("LOC-b", 5, 5), ("LOC-c", 10, -5))}


def test_a_route_is_one_ribbon_of_side_by_side_stripes() -> None:
    groups = [LegGroup("LOC-a", "LOC-b", "ORG-1", 90, 0, 1),
              LegGroup("LOC-a", "LOC-b", "ORG-2", 10, 0, 1),
              LegGroup("LOC-b", "LOC-c", "ORG-2", 1, 0, 1),
              LegGroup("LOC-a", "LOC-x", "ORG-1", 50, 0, 1)]  # LOC-x not drawn
    colours = routes.colours_for(["ORG-1", "ORG-2"])
    lay = ribbons.layout(groups, _places(), colours, ["ORG-2", "ORG-1"])
    assert lay.routes == [("LOC-a", "LOC-b"), ("LOC-b", "LOC-c")]
    assert lay.drawn == [1, 0, 2]  # the legend's order within a route
    assert lay.total.tolist() == [100, 1]
    assert lay.width[0] > lay.width[1] >= 1  # the busier route is the wider ribbon
    assert lay.width[0] <= ribbons.WIDE + 1
    # the stripes of a route tile its width: side by side, none on another
    first = lay.stripe_route == 0
    w, off = lay.stripe_width[first], lay.stripe_offset[first]
    assert abs(w.sum() - lay.width[0]) < 1e-9 and w[1] > w[0]  # ORG-1 has 90% of the legs
    assert np.allclose(np.diff(off), (w[:-1] + w[1:]) / 2)
    assert lay.stripe_colour == [colours["ORG-2"], colours["ORG-1"], colours["ORG-2"]]


def test_stripes_keep_their_pixel_spacing_at_every_zoom() -> None:
    groups = [LegGroup("LOC-a", "LOC-c", f"ORG-{i}", 10, 0, 1) for i in range(3)]
    lay = ribbons.layout(groups, _places(), routes.colours_for(["ORG-0"]), ["ORG-0"])
    for per_degree in (2.0, 40.0):
        x, y = ribbons.geometry(lay, per_degree)
        mid = ribbons.STEPS // 2
        gap = np.hypot(x[1, mid] - x[0, mid], y[1, mid] - y[0, mid]) * per_degree
        assert abs(gap - (lay.stripe_offset[1] - lay.stripe_offset[0])) < 1e-6
    hx, _, angle = ribbons.heads(lay)
    # LOC-a (lon 0, lat 0) to LOC-c (lon -5, lat 10): up and to the left on screen (y down)
    assert len(hx) == 1 and -135 < float(angle[0]) < -90
    px, _ = ribbons.polyline(x, y, [0, 2])
    assert len(px) == 2 * (ribbons.STEPS + 1) and np.isnan(px[ribbons.STEPS])


def test_keys_past_the_palette_merge_into_one_other_arrow_per_route() -> None:
    groups = [LegGroup("LOC-a", "LOC-b", f"ORG-{i}", 10 - i, i, i + 1) for i in range(10)]
    groups.append(LegGroup("LOC-b", "LOC-c", "ORG-9", 1, 0, 1))
    kept = routes.keep_busiest(groups)
    keys = {g.key for g in kept}
    assert keys == {f"ORG-{i}" for i in range(7)} | {routes.OTHER}
    other = [g for g in kept if g.key == routes.OTHER]
    assert sorted((g.loc_from, g.loc_to, g.count) for g in other) == [
        ("LOC-a", "LOC-b", 3 + 2 + 1), ("LOC-b", "LOC-c", 1)]
    assert sum(g.count for g in kept) == sum(g.count for g in groups)
    assert routes.colours_for([g.key for g in kept])[routes.OTHER] == routes.PALETTE[-1]
