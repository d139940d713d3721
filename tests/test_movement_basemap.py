"""The offline basemap: the shipped files decode to the globe, and the build step's decoder is
right on a topology small enough to check by hand."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from hstc_desk.movement import basemap

ROOT = Path(__file__).resolve().parent.parent


def _build_module():
    spec = importlib.util.spec_from_file_location("basemap_build",
                                                  ROOT / "packaging" / "basemap_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("scale", basemap.SCALES)
def test_shipped_basemap_covers_the_globe(scale: str) -> None:
    b = basemap.load(scale)
    assert "Natural Earth" in b.source and "public domain" in b.licence
    for name in basemap.LAYERS:
        layer = b.layers[name]
        assert layer.count > 100 and layer.points > 2000, (name, layer.count, layer.points)
        assert np.nanmin(layer.lat) >= -90 and np.nanmax(layer.lat) <= 90
        # NaN pairs separate polylines: one more separator per line, never two in a row
        nan = np.isnan(layer.lon)
        assert (nan == np.isnan(layer.lat)).all()
        assert nan.sum() == layer.count and not (nan[1:] & nan[:-1]).any()
    # no coastline or border segment jumps across the map (the antimeridian is cut)
    for name in ("coast", "borders"):
        lon = b.layers[name].lon
        assert np.nanmax(np.abs(np.diff(lon))) < 180
    # Madrid is on land, inside some ring; the middle of the Atlantic is not
    land = b.layers["land"]
    assert _inside(land, -3.7, 40.4) and not _inside(land, -35.0, 30.0)
    assert _inside(land, 135.0, -80.0)  # Antarctica, a ring around the pole, closed along it


def _inside(layer: basemap.Layer, x: float, y: float) -> bool:
    """Even-odd point in polygon over every ring."""
    crossings = 0
    lon, lat = layer.lon, layer.lat
    ends = np.flatnonzero(np.isnan(lon))
    start = 0
    for end in ends:
        xs, ys = lon[start:end], lat[start:end]
        x1, y1, x2, y2 = xs, ys, np.roll(xs, -1), np.roll(ys, -1)
        hit = ((y1 > y) != (y2 > y)) & (x < (x2 - x1) * (y - y1) / (y2 - y1 + 1e-300) + x1)
        crossings += int(hit.sum())
        start = end + 1
    return crossings % 2 == 1


def test_decoder_on_a_hand_made_topology() -> None:
    build = _build_module()
    # two squares side by side sharing arc 1; quantised, delta-encoded arcs
    topo = {
        "transform": {"scale": [1.0, 1.0], "translate": [0, 0]},
        "arcs": [
            [[1, 0], [-1, 0], [0, 1], [1, 0]],  # 0: (1,0)->(0,0)->(0,1)->(1,1)
            [[1, 1], [0, -1]],                  # 1: (1,1)->(1,0), the shared edge
            [[1, 1], [1, 0], [0, -1], [-1, 0]],  # 2: (1,1)->(2,1)->(2,0)->(1,0)
        ],
        "objects": {
            "countries": {"geometries": [{"type": "Polygon", "arcs": [[0, 1]]},
                                         {"type": "Polygon", "arcs": [[~1, 2]]}]},
            "land": {"geometries": [{"type": "Polygon", "arcs": [[0, 2]]}]},
        },
    }
    layers = build.layers(topo)
    assert layers["borders"] == [[(1, 1), (1, 0)]]
    assert layers["coast"] == [[(1, 0), (0, 0), (0, 1), (1, 1)],
                               [(1, 1), (2, 1), (2, 0), (1, 0)]]
    # arc 0 then arc 2: the joining point (1,1) appears once
    assert layers["land"] == [[(1, 0), (0, 0), (0, 1), (1, 1), (2, 1), (2, 0), (1, 0)]]
    assert build.delta([(5, 5), (6, 7), (6, 7)]) == [5, 5, 1, 2, 0, 0]
    # the shipped format round-trips through the app's reader, deterministically
    data = build.convert(json.dumps(topo).encode(), "test")
    assert data == build.convert(json.dumps(topo).encode(), "test")
    b = basemap.parse(json.loads(gzip.decompress(data)), "test")
    assert b.layers["borders"].lon.tolist()[:2] == [1.0, 1.0]
    assert b.layers["land"].count == 1


def test_ring_across_the_antimeridian_is_drawn_on_both_sides() -> None:
    # a small island straddling 180 degrees: 179 -> -179 -> -179 -> 179
    lon = np.array([179.0, -179.0, -179.0, 179.0, 179.0])
    lat = np.array([-17.0, -17.0, -16.0, -16.0, -17.0])
    rings = basemap._rings(lon, lat)
    assert len(rings) == 2
    spans = sorted((float(r[0].min()), float(r[0].max())) for r in rings)
    assert spans == [(-181.0, -179.0), (179.0, 181.0)]


@pytest.mark.parametrize("doc", [None, {}, {"format": "other"},
                                 {"format": basemap.FORMAT, "transform": {}}])
def test_malformed_basemap_is_refused(doc: object) -> None:
    with pytest.raises(basemap.BasemapError):
        basemap.parse(doc, "x")  # type: ignore[arg-type]
