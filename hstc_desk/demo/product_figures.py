"""Figure images for the demo products: small PNGs drawn in pure Python (no Qt in the core),
each carrying its figure record in a text chunk as a Movement export does, deterministic from
a seed."""

from __future__ import annotations

import itertools
import random
import struct
import zlib
from collections.abc import Sequence

from hstc_desk.movement.figures import KEY, record

WIDTH, HEIGHT = 480, 240
_INK = (31, 78, 121)
_GRID = (220, 224, 230)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _line(px: bytearray, x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int],
          width: int = 2) -> None:
    steps = max(abs(x1 - x0), abs(y1 - y0), 1)
    for s in range(steps + 1):
        x = x0 + (x1 - x0) * s // steps
        y = y0 + (y1 - y0) * s // steps
        for dx in range(width):
            for dy in range(width):
                xx, yy = x + dx, y + dy
                if 0 <= xx < WIDTH and 0 <= yy < HEIGHT:
                    i = (yy * WIDTH + xx) * 3
                    px[i:i + 3] = bytes(colour)


def png(seed: int, view: str, banner: str, item_ids: Sequence[str]) -> bytes:
    """A PNG of a route line or a timeline of dots over a grid, with its figure record."""
    rng = random.Random(seed)
    px = bytearray(b"\xff" * (WIDTH * HEIGHT * 3))
    for x in range(0, WIDTH, 40):
        _line(px, x, 0, x, HEIGHT - 1, _GRID, 1)
    for y in range(0, HEIGHT, 40):
        _line(px, 0, y, WIDTH - 1, y, _GRID, 1)
    points = [(20 + i * (WIDTH - 40) // 7, rng.randrange(30, HEIGHT - 30)) for i in range(8)]
    if view == "map":
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            _line(px, x0, y0, x1, y1, _INK, 3)
    else:
        _line(px, 10, HEIGHT - 20, WIDTH - 10, HEIGHT - 20, _INK, 2)
        for x, y in points:
            _line(px, x, y, x, HEIGHT - 20, _INK, 1)
            _line(px, x - 4, y - 4, x + 4, y - 4, _INK, 8)
    raw = b"".join(b"\x00" + bytes(px[y * WIDTH * 3:(y + 1) * WIDTH * 3])
                   for y in range(HEIGHT))
    rec = record(view, banner, sorted(set(item_ids)), {"demo": True})
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0))
            + _chunk(b"tEXt", KEY.encode() + b"\x00" + rec.to_json().encode("latin-1"))
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b""))
