"""Build the route map's basemap from Natural Earth data (run at build time: ``make basemap``).

The npm registry's ``world-atlas`` package carries Natural Earth 4.1.0 as TopoJSON. This script
fetches one pinned version with ``npm pack`` (checked against its published SHA-512), decodes the
countries topology of each scale, and writes ``resources/basemap/world-<scale>.json.gz``: three
layers of delta-encoded integer polylines in the topology's own quantisation:

- ``land``: the outer rings of the land polygons (for a filled land mass);
- ``coast``: arcs that belong to one country only (coastlines, and land edges with no neighbour);
- ``borders``: arcs shared by two countries (the internal boundaries).

Nothing is fetched at run time: the app reads the committed files through
``hstc_desk.movement.basemap``. The output is deterministic (gzip mtime 0, sorted keys), so a
rebuild from the same package gives the same bytes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "world-atlas"
VERSION = "2.0.2"
# dist.integrity of world-atlas@2.0.2 as the registry publishes it.
INTEGRITY = ("sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcY"
             "a5ChG0LQ==")
SCALES = ("110m", "50m")
OUT = Path(__file__).resolve().parent.parent / "resources" / "basemap"


def fetch_package(work: Path) -> Path:
    """``npm pack`` the pinned package into ``work`` and check its SHA-512; returns the tarball."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=work, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = work / f"{PACKAGE}-{VERSION}.tgz"
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{tgz.name}: SHA-512 {digest} is not the pinned {INTEGRITY}")
    return tgz


def read_member(tgz: Path, name: str) -> bytes:
    with tarfile.open(tgz, "r:gz") as tar:
        member = tar.getmember(f"package/{name}")
        if not member.isfile():
            raise SystemExit(f"{name} is not a regular file in {tgz.name}")
        fh = tar.extractfile(member)
        assert fh is not None
        return fh.read()


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[int, int]]]:
    """Each arc as absolute quantised points (TopoJSON arcs are delta-encoded)."""
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def _arc(arcs: list[list[tuple[int, int]]], index: int) -> list[tuple[int, int]]:
    """Arc ``index`` in its direction (a negative index ~i is arc i reversed)."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs: list[list[tuple[int, int]]], ring: list[int]) -> list[tuple[int, int]]:
    """The points of a ring made of arcs; consecutive arcs share their joining point."""
    out: list[tuple[int, int]] = []
    for i, index in enumerate(ring):
        points = _arc(arcs, index)
        out.extend(points if i == 0 else points[1:])
    return out


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def layers(topology: dict[str, Any]) -> dict[str, list[list[tuple[int, int]]]]:
    arcs = decode_arcs(topology)
    land = [ring_points(arcs, poly[0])
            for geom in topology["objects"]["land"]["geometries"] for poly in polygons(geom)]
    owners: dict[int, set[int]] = {}
    for n, geom in enumerate(topology["objects"]["countries"]["geometries"]):
        for poly in polygons(geom):
            for ring in poly:
                for index in ring:
                    owners.setdefault(index if index >= 0 else ~index, set()).add(n)
    coast = [arcs[i] for i in sorted(owners) if len(owners[i]) == 1]
    borders = [arcs[i] for i in sorted(owners) if len(owners[i]) > 1]
    return {"land": land, "coast": coast, "borders": borders}


def delta(points: list[tuple[int, int]]) -> list[int]:
    """Flatten a polyline to [x0, y0, dx1, dy1, ...] (small numbers compress well)."""
    out: list[int] = []
    px = py = 0
    for x, y in points:
        out += [x - px, y - py]
        px, py = x, y
    return out


def convert(raw: bytes, scale: str) -> bytes:
    topology = json.loads(raw)
    doc = {
        "format": "hstc-basemap/1",
        "source": f"Natural Earth 4.1.0 admin-0 countries, 1:{scale}, via npm {PACKAGE}@{VERSION}",
        "licence": "Natural Earth: public domain; world-atlas packaging: ISC",
        "transform": topology["transform"],
        "layers": {name: [delta(p) for p in lines if len(p) > 1]
                   for name, lines in layers(topology).items()},
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(text)
    return buf.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tgz = fetch_package(Path(tmp))
        for scale in SCALES:
            data = convert(read_member(tgz, f"countries-{scale}.json"), scale)
            target = OUT / f"world-{scale}.json.gz"
            target.write_bytes(data)
            print(f"{target.relative_to(OUT.parent.parent)}: {len(data):,} bytes, "
                  f"sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
