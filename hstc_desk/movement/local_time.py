"""Each item's local time, from where it happened (no Qt, no network).

The time zone of a place is the zone of the nearest zone city in the system's time-zone
database (``zone1970.tab``, which lists each zone with the coordinates of its principal city).
Near a border the nearest city can be across it, so the label names the zone it used. When the
database is not on the machine, local times are "unknown", never guessed.
"""

from __future__ import annotations

import math
import zoneinfo
from datetime import UTC, datetime
from functools import cache
from pathlib import Path


def _table() -> Path | None:
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone1970.tab"
        if path.is_file():
            return path
    return None


def _degrees(text: str, width: int) -> float:
    """ISO 6709 +DDMM[SS] / +DDDMM[SS] to degrees."""
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:]
    d, rest = int(digits[:width]), digits[width:]
    m = int(rest[:2])
    s = int(rest[2:4]) if len(rest) >= 4 else 0
    return sign * (d + m / 60 + s / 3600)


@cache
def zones() -> tuple[tuple[float, float, str], ...]:
    """(latitude, longitude, zone name) of every zone city; empty without the database."""
    path = _table()
    if path is None:
        return ()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            continue
        coords = fields[1]
        cut = max(coords.rfind("+"), coords.rfind("-"))
        lat, lon = coords[:cut], coords[cut:]
        out.append((_degrees(lat, 2), _degrees(lon, 3), fields[2]))
    return tuple(out)


def zone_at(lat: float, lon: float) -> str | None:
    """The zone of the zone city nearest (lat, lon) on the globe; None without the database."""
    best, name = math.inf, None
    phi = math.radians(lat)
    for zlat, zlon, zone in zones():
        dphi, dlmb = math.radians(zlat - lat), math.radians(zlon - lon)
        a = math.sin(dphi / 2) ** 2 + math.cos(phi) * math.cos(math.radians(zlat)) * (
            math.sin(dlmb / 2) ** 2)
        if a < best:
            best, name = a, zone
    return name


def local_time(t: int, lat: float, lon: float) -> str:
    """``t`` (Unix seconds) as the place's local time, with the zone it was read in."""
    zone = zone_at(lat, lon)
    if zone is None:
        return "local time unknown (no time-zone database)"
    when = datetime.fromtimestamp(t, UTC).astimezone(zoneinfo.ZoneInfo(zone))
    return f"{when:%Y-%m-%d %H:%M} {when.tzname()} ({zone}, the nearest zone city)"
