"""The offline basemap: Natural Earth land, coastlines and borders from ``resources/basemap``.

The files are made at build time by ``packaging/basemap_build.py`` from the npm ``world-atlas``
package; nothing is fetched at run time. Each layer comes back as two float64 arrays of longitudes
and latitudes in degrees with NaN between polylines, the shape one pyqtgraph curve draws with
``connect="finite"`` (one item per layer, however many coastlines).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from hstc_desk.resources import resource_path

SCALES = ("110m", "50m")
LAYERS = ("land", "coast", "borders")
FORMAT = "hstc-basemap/1"
_MAX_BYTES = 64 * 1024 * 1024  # a decompressed basemap is about 2 MB


class BasemapError(ValueError):
    """The basemap file is missing, malformed or not of this format."""


@dataclass(frozen=True)
class Layer:
    """Polylines in degrees: ``lon[i], lat[i]``; a NaN pair ends one polyline."""

    name: str
    lon: np.ndarray
    lat: np.ndarray
    count: int  # polylines

    @property
    def points(self) -> int:
        return int(np.count_nonzero(~np.isnan(self.lon)))


@dataclass(frozen=True)
class Basemap:
    scale: str
    source: str
    licence: str
    layers: dict[str, Layer]


@cache
def load(scale: str = "50m") -> Basemap:
    """The basemap at ``scale`` ("110m" or "50m"), parsed once per process."""
    if scale not in SCALES:
        raise BasemapError(f"unknown basemap scale {scale!r}: choose one of {', '.join(SCALES)}")
    path = resource_path(f"basemap/world-{scale}.json.gz")
    with gzip.open(path, "rb") as fh:
        raw = fh.read(_MAX_BYTES + 1)
    if len(raw) > _MAX_BYTES:
        raise BasemapError(f"{path.name} is larger than {_MAX_BYTES} bytes decompressed")
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise BasemapError(f"{path.name} is not valid JSON: {exc}") from None
    return parse(doc, scale)


def parse(doc: dict, scale: str) -> Basemap:
    """Build the layers of a decoded basemap document (see packaging/basemap_build.py)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BasemapError(f"not a basemap of format {FORMAT}")
    try:
        (sx, sy), (tx, ty) = doc["transform"]["scale"], doc["transform"]["translate"]
        layers = {name: _layer(name, doc["layers"][name], float(sx), float(sy), float(tx),
                               float(ty)) for name in LAYERS}
    except (KeyError, TypeError, ValueError) as exc:
        raise BasemapError(f"malformed basemap: {exc}") from None
    return Basemap(scale, str(doc.get("source", "")), str(doc.get("licence", "")), layers)


def _layer(name: str, lines: list[list[int]], sx: float, sy: float, tx: float,
           ty: float) -> Layer:
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    for line in lines:
        q = np.asarray(line, dtype=np.int64).reshape(-1, 2).cumsum(axis=0)
        lon, lat = q[:, 0] * sx + tx, q[:, 1] * sy + ty
        parts += _rings(lon, lat) if name == "land" else _split(lon, lat)
    total = sum(len(x) + 1 for x, _ in parts)
    lon_out = np.full(total, np.nan)
    lat_out = np.full(total, np.nan)
    at = 0
    for x, y in parts:
        lon_out[at:at + len(x)] = x
        lat_out[at:at + len(x)] = y
        at += len(x) + 1
    if np.nanmax(np.abs(lat_out), initial=0) > 90.001:
        raise ValueError(f"layer {name} has points outside the globe")
    return Layer(name, lon_out, lat_out, len(parts))


def _split(lon: np.ndarray, lat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """A polyline cut where it crosses the antimeridian (a jump of more than 180 degrees)."""
    cuts = np.flatnonzero(np.abs(np.diff(lon)) > 180) + 1
    return [(x, y) for x, y in zip(np.split(lon, cuts), np.split(lat, cuts), strict=True)
            if len(x) > 1]


def _rings(lon: np.ndarray, lat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """A land ring drawable on a flat map: longitudes unwrapped across the antimeridian, a ring
    around a pole (Antarctica) closed along the pole's edge, and a shifted copy of any ring that
    then reaches past 180 degrees, so each side of the map shows its half."""
    jumps = np.diff(lon)
    steps = np.where(jumps > 180, -360.0, np.where(jumps < -180, 360.0, 0.0))
    lon = lon + np.concatenate(([0.0], np.cumsum(steps)))
    if abs(lon[-1] - lon[0]) > 180:  # circles a pole: close it along that pole
        pole = -90.0 if lat.mean() < 0 else 90.0
        lon = np.concatenate((lon, [lon[-1], lon[0]]))
        lat = np.concatenate((lat, [pole, pole]))
    out = [(lon, lat)]
    if lon.max() > 180.001:
        out.append((lon - 360.0, lat))
    if lon.min() < -180.001:
        out.append((lon + 360.0, lat))
    return out
