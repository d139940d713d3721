"""The route map's basemap as Qt items: Natural Earth land, coastlines and borders.

Two scales: 110m for a view wider than ``DETAIL`` degrees (a tenth of the points, and at that
zoom no pixel tells them apart) and 50m closer in. The 50m layers are cut into tiles of
``TILE`` degrees (land by intersection, lines in short runs), one item each, so a close view
paints only the tiles it shows: the scene skips the rest by their bounds. The items are built
once per process (``functools.cache``) and shared by every map.
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from hstc_desk.movement import basemap

DETAIL = 40.0
TILE = 30
RUN = 256
"""Points in one run of a coastline or border (runs share their end points)."""
LAND, COAST, BORDERS = "#f4f1e8", "#7d97a8", "#c9b9a6"


def land_path(layer: basemap.Layer) -> QPainterPath:
    """One path of every land ring (NaN separates rings)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    start = True
    for x, y in zip(layer.lon.tolist(), layer.lat.tolist(), strict=True):
        if x != x:  # NaN: the ring ends
            path.closeSubpath()
            start = True
        elif start:
            path.moveTo(x, y)
            start = False
        else:
            path.lineTo(x, y)
    return path


def _runs(layer: basemap.Layer) -> dict[tuple[int, int], list[tuple[np.ndarray, np.ndarray]]]:
    """A line layer's pieces, cut into runs of at most ``RUN`` points, by the tile of each
    run's first point."""
    lon, lat = layer.lon, layer.lat
    cuts = np.flatnonzero(np.isnan(lon))
    out: dict[tuple[int, int], list[tuple[np.ndarray, np.ndarray]]] = {}
    start = 0
    for end in [*cuts.tolist(), len(lon)]:
        for a in range(start, end - 1, RUN - 1):
            b = min(a + RUN, end)
            tile = (int(lon[a] // TILE), int(lat[a] // TILE))
            out.setdefault(tile, []).append((lon[a:b], lat[a:b]))
        start = end + 1
    return out


def _line_path(runs: list[tuple[np.ndarray, np.ndarray]]) -> QPainterPath:
    nan = np.array([np.nan])
    x = np.concatenate([p for run in runs for p in (run[0], nan)])
    y = np.concatenate([p for run in runs for p in (run[1], nan)])
    return pg.arrayToQPath(x, y, connect="finite")


@functools.cache
def paths(scale: str) -> tuple[list[QPainterPath], list[QPainterPath], list[QPainterPath]]:
    """(land, coast, borders) paths of a scale: one each at 110m, per tile at 50m."""
    base = basemap.load(scale)
    world = QPainterPath()
    world.addRect(-180.0, -90.0, 360.0, 180.0)
    # wrapped copies of rings that cross 180 degrees reach past the edge: cut them there
    land = land_path(base.layers["land"]).intersected(world)
    if scale == "110m":
        lines = [[_line_path([(base.layers[n].lon, base.layers[n].lat)])]
                 for n in ("coast", "borders")]
        return [land], lines[0], lines[1]
    tiles = []
    for x in range(-180, 180, TILE):
        for y in range(-90, 90, TILE):
            rect = QPainterPath()
            rect.addRect(x, y, TILE, TILE)
            piece = land.intersected(rect)
            if not piece.isEmpty():
                tiles.append(piece)
    coast, borders = ([_line_path(runs) for runs in _runs(base.layers[n]).values()]
                      for n in ("coast", "borders"))
    return tiles, list(coast), list(borders)


def items(scale: str) -> list[QGraphicsPathItem]:
    """New items for one map (an item belongs to one scene) over the shared paths."""
    land, coast, borders = paths(scale)
    out = []
    for path in land:
        item = QGraphicsPathItem(path)
        item.setBrush(QBrush(QColor(LAND)))
        item.setPen(QPen(Qt.PenStyle.NoPen))
        out.append(item)
    for colour, group in ((COAST, coast), (BORDERS, borders)):
        pen = QPen(QColor(colour), 1)
        pen.setCosmetic(True)
        for path in group:
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            item.setZValue(1)
            out.append(item)
    return out
