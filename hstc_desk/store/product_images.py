"""Figure images of products (issue 11 §1): PNG bytes kept once by SHA-256 in
``product_images``; a Figure portion carries the hash, so the signature covers the image.

An image is marked (the marking of the figure it was added for; adding the same bytes again
under another marking keeps the roll-up of both, never the lower) and is read only by a user
whose clearance dominates that marking. A PNG exported by the Movement workspace (``hstc
figure``, or the workspace's export) carries its figure record in a text chunk; ``figure_from_png``
reads it (no Qt) and makes a Figure with the record's marking and the items it depicts.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

from hstc_desk import markings
from hstc_desk.domain.product_portions import Figure
from hstc_desk.movement.figures import KEY, FigureRecord, parse_record
from hstc_desk.store.audit import now_iso
from hstc_desk.store.errors import NotFound, PermissionDenied, StoreError
from hstc_desk.store.rows import marking_columns, parse_marking
from hstc_desk.store.store import Store

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG = 32 * 1024 * 1024


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG; StoreError if these bytes are not one."""
    if len(png) < 33 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise StoreError("not a PNG image (a figure image must be PNG)")
    width, height = struct.unpack(">II", png[16:24])
    if not (0 < width <= 20000 and 0 < height <= 20000):
        raise StoreError(f"a PNG of {width} x {height} pixels is not a figure image")
    return width, height


def put_image(store: Store, png: bytes, *, marking: str) -> str:
    """Keep ``png`` under ``marking``; returns its SHA-256 (what a Figure's image_sha256 holds)."""
    if len(png) > MAX_PNG:
        raise StoreError(f"the image is {len(png):,} bytes, over the {MAX_PNG:,} a figure holds")
    width, height = png_size(png)
    m = store.check_accredited(marking)
    if not markings.dominates(store.clearance, m):
        raise PermissionDenied(f"the image is marked {m.portion()}, above your clearance")
    sha = hashlib.sha256(png).hexdigest()
    with store.transaction() as conn:
        row = conn.execute("SELECT marking FROM product_images WHERE sha256 = ?",
                           (sha,)).fetchone()
        if row is not None:
            merged = markings.rollup([parse_marking(row[0]), m]).portion()
            if merged != row[0]:
                _, level, sci, _ = marking_columns(merged)
                conn.execute("UPDATE product_images SET marking = ?, level = ?, sci = ? "
                             "WHERE sha256 = ?", (merged, level, sci, sha))
                store.audit("product.image_marking", sha, {"from": row[0], "to": merged})
            return sha
        portion, level, sci, _ = marking_columns(m.portion())
        conn.execute("INSERT INTO product_images (sha256, png, marking, level, sci, width, "
                     "height, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (sha, png, portion, level, sci, width, height, now_iso()))
        store.audit("product.image", sha, {"marking": portion, "bytes": len(png),
                                           "width": width, "height": height})
    return sha


def keep_received(store: Store, png: bytes, sha256: str, marking: str) -> None:
    """Keep an image that arrived with an imported product (inside the caller's transaction):
    stored once; an image held already keeps the roll-up of both markings."""
    width, height = png_size(png)
    row = store.conn.execute("SELECT marking FROM product_images WHERE sha256 = ?",
                             (sha256,)).fetchone()
    if row is not None:
        merged = markings.rollup([parse_marking(row[0]), parse_marking(marking)]).portion()
        if merged != row[0]:
            _, level, sci, _ = marking_columns(merged)
            store.conn.execute("UPDATE product_images SET marking = ?, level = ?, sci = ? "
                               "WHERE sha256 = ?", (merged, level, sci, sha256))
        return
    portion, level, sci, _ = marking_columns(marking)
    store.conn.execute("INSERT INTO product_images (sha256, png, marking, level, sci, width, "
                       "height, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (sha256, png, portion, level, sci, width, height, now_iso()))


def get_image(store: Store, sha256: str) -> bytes:
    """The PNG with this hash, if the user may see it (NotFound otherwise, saying no more)."""
    row = store.conn.execute(
        "SELECT CAST(png AS BLOB), marking FROM product_images WHERE sha256 = ?",
        (sha256,)).fetchone()
    if row is None or not markings.dominates(store.clearance, parse_marking(row[1])):
        raise NotFound(f"no figure image {sha256[:16]}...")
    png = bytes(row[0])
    if hashlib.sha256(png).hexdigest() != sha256:
        raise StoreError(f"the figure image {sha256[:16]}... was changed behind the app's back "
                         "(its bytes no longer hash to its name)")
    return png


def has_image(store: Store, sha256: str) -> bool:
    return store.conn.execute("SELECT 1 FROM product_images WHERE sha256 = ?",
                              (sha256,)).fetchone() is not None


def png_record(png: bytes) -> FigureRecord:
    """The figure record a Movement export wrote into the PNG (FigureError if none)."""
    pos, text = 8, None
    png_size(png)
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"tEXt" and data.startswith(KEY.encode() + b"\x00"):
            text = data[len(KEY) + 1:].decode("latin-1")
        elif kind == b"iTXt" and data.startswith(KEY.encode() + b"\x00"):
            rest = data[len(KEY) + 1:]
            compressed, rest = rest[0], rest[2:]
            _, _, rest = rest.partition(b"\x00")  # language tag
            _, _, rest = rest.partition(b"\x00")  # translated keyword
            text = (zlib.decompress(rest) if compressed else rest).decode("utf-8")
        elif kind == b"zTXt" and data.startswith(KEY.encode() + b"\x00"):
            text = zlib.decompress(data[len(KEY) + 2:]).decode("latin-1")
        if kind == b"IEND" or text is not None:
            break
        pos += 12 + length
    return parse_record(text)


def figure_from_record(store: Store, record: FigureRecord, png: bytes, *, caption: str,
                       kind: str | None = None) -> Figure:
    """A Figure of a Movement export: the record's marking and items, the image kept here."""
    sha = put_image(store, png, marking=record.portion)
    return Figure(caption=caption, kind=kind or ("timeline" if record.view == "timeline"
                                                 else "route"),
                  marking=record.portion, items=list(record.items), image_sha256=sha)


def figure_from_png(store: Store, png: bytes, *, caption: str) -> Figure:
    """A Figure from a PNG exported by the Movement workspace or ``hstc figure``."""
    return figure_from_record(store, png_record(png), png, caption=caption)
