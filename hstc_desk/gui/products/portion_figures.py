"""A figure portion from a marked image: a Movement export (PNG) or one made by ``hstc figure``.
The image carries its figure record (movement.figures), and the portion keeps that record's
marking and the items it depicts; an image without a record is refused, never guessed at."""

from __future__ import annotations

from pathlib import Path

from hstc_desk.domain.product_portions import MAX_FIGURE_ITEMS, new_portion_id
from hstc_desk.gui.movement.export import read_record
from hstc_desk.gui.products.portion_state import Entry
from hstc_desk.movement.figures import FigureError, FigureRecord

MAX_PNG = 32 * 1024 * 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
VIEW_KINDS = {"timeline": "timeline", "map": "route"}


def default_caption(rec: FigureRecord) -> str:
    what = "Timeline" if rec.view == "timeline" else "Route map"
    return f"{what} of {rec.count} item{'s' if rec.count != 1 else ''}"


def figure_entry(path: Path) -> Entry:
    """The figure portion for the PNG at ``path``; FigureError saying why it cannot be."""
    if path.suffix.lower() != ".png":
        raise FigureError(f"{path.name}: a product places a figure from its PNG export (the "
                          "PDF draws PNG); export the view as .png")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FigureError(f"{path.name}: {exc.strerror}") from None
    if size > MAX_PNG:
        raise FigureError(f"{path.name} is larger than a figure may be (32 MiB)")
    png = path.read_bytes()
    if not png.startswith(_PNG_MAGIC):
        raise FigureError(f"{path.name} is not a PNG image")
    rec = read_record(path)
    return entry_of(rec, png, source=path.name)


def entry_of(rec: FigureRecord, png: bytes, *, source: str = "the image") -> Entry:
    if rec.count and not rec.items:
        raise FigureError(f"{source} depicts {rec.count} items, too many to list; a product "
                          f"figure names at most {MAX_FIGURE_ITEMS} (export a narrower view)")
    if len(rec.items) > MAX_FIGURE_ITEMS:
        raise FigureError(f"{source} depicts {len(rec.items)} items; a product figure names at "
                          f"most {MAX_FIGURE_ITEMS} (export a narrower view)")
    kind = VIEW_KINDS.get(rec.view)
    if kind is None:
        raise FigureError(f"{source}: a figure of view {rec.view!r} is neither a timeline nor "
                          "a route map")
    return Entry("figure", marking=rec.portion, text=default_caption(rec), pid=new_portion_id(),
                 figure_kind=kind, image=png, depicted=tuple(rec.items),
                 depicted_count=rec.count)
