"""Route-map geometry without Qt: width classes, colours, arcs and arrowheads."""

from __future__ import annotations

import numpy as np

from hstc_desk.movement import routes
from hstc_desk.movement.query import LegGroup, Place


def test_width_classes_follow_traffic_on_a_log_scale() -> None:
    assert routes.width_class(1, 1) == 0
    assert routes.width_class(1, 1000) == 0
    assert routes.width_class(1000, 1000) == len(routes.WIDTHS) - 1
    classes = [routes.width_class(n, 1000) for n in (1, 10, 100, 1000)]
    assert classes == sorted(classes) and len(set(classes)) == len(routes.WIDTHS)


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
    hx, hy = routes.chevron(x, y, 1.0)
    assert hx[1] == x[-1] and hy[1] == y[-1]
    assert max(hx) <= x[-1] + 1e-9  # both strokes trail behind the point


def test_arrows_group_by_colour_and_width_and_skip_unknown_places() -> None:
    p = {k: Place(k, k, "(U)", lat, lon, "USA") for k, lat, lon in
         (("LOC-a", 0, 0), ("LOC-b", 5, 5), ("LOC-c", 10, -5))}
    groups = [LegGroup("LOC-a", "LOC-b", "ORG-1", 100, 0, 1),
              LegGroup("LOC-b", "LOC-c", "ORG-2", 1, 0, 1),
              LegGroup("LOC-a", "LOC-x", "ORG-1", 50, 0, 1)]  # LOC-x not drawn
    colours = routes.colours_for(["ORG-1", "ORG-2"])
    sets, heads = routes.arrows(groups, p, colours)
    drawn = [g for s in sets for g in s.groups]
    assert sorted((g.loc_from, g.loc_to) for g in drawn) == [("LOC-a", "LOC-b"),
                                                             ("LOC-b", "LOC-c")]
    widths = {s.groups[0].key: s.width for s in sets}
    assert widths["ORG-1"] > widths["ORG-2"]
    for s in sets:
        assert np.isnan(s.x).sum() == len(s.groups)
    # a head per arrow, halfway along, pointing from origin to destination on screen (y down)
    assert len(heads.x) == 2 and heads.colour == [colours["ORG-1"], colours["ORG-2"]]
    assert heads.angle[0] == -45.0  # LOC-a (0, 0) to LOC-b (5, 5): up and to the right
    assert 0 < heads.x[0] < 5 and 0 < heads.y[0] < 5
    assert heads.width[0] > heads.width[1]


def test_arrows_of_one_route_fan_out_side_by_side() -> None:
    groups = [LegGroup("LOC-a", "LOC-b", f"ORG-{i}", 10 - i, 0, 1) for i in range(3)]
    assert routes.fan(groups).tolist() == [0, 1, 2]
    p = {k: Place(k, k, "(U)", 0, lon, "USA") for k, lon in (("LOC-a", 0), ("LOC-b", 10))}
    _, e = routes.ends(groups, p)
    mids = routes.midpoints(e[:, 0], e[:, 1], e[:, 2], e[:, 3], e[:, 4])
    assert 0 < mids[0, 1] < mids[1, 1] < mids[2, 1]  # the busiest innermost


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
