"""What a figure records about itself (no Qt): its marking and the items it depicts.

A movement view exported as PNG or SVG carries its banner painted top and bottom, and this
record in the file (a PNG text chunk, the SVG's description), so that a product can place the
image as a marked figure and cite what it shows. Past ``MAX_ITEMS`` depicted items the record
keeps the count, the filter and a digest of every id instead of the list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from hstc_desk import markings

KEY = "HSTC-Figure"
FORMAT = "hstc-figure/1"
MAX_ITEMS = 10_000
MAX_RECORD_BYTES = 4 * 1024 * 1024


class FigureError(ValueError):
    """A figure record that is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class FigureRecord:
    view: str  # "timeline" | "map"
    banner: str
    items: list[str]
    count: int
    items_sha256: str
    filter: dict[str, Any] = field(default_factory=dict)
    format: str = FORMAT

    @property
    def portion(self) -> str:
        return markings.parse(self.banner).portion()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


def record(view: str, banner: str, item_ids: Iterable[str], flt: dict[str, Any]) -> FigureRecord:
    """The record of a figure depicting ``item_ids`` (sorted, unique: as ``query.item_ids``
    yields them), read once as a stream: the list is kept up to ``MAX_ITEMS``."""
    sha = hashlib.sha256()
    kept: list[str] = []
    count = 0
    for item_id in item_ids:
        sha.update((("\n" if count else "") + item_id).encode())
        if count < MAX_ITEMS + 1:
            kept.append(item_id)
        count += 1
    shown = kept if count <= MAX_ITEMS else []
    canonical = markings.parse(banner).banner()
    return FigureRecord(view, canonical, shown, count, sha.hexdigest(), flt)


def parse_record(text: str | None) -> FigureRecord:
    if not text:
        raise FigureError("the image carries no figure record (not exported by HSTC Desk)")
    if len(text) > MAX_RECORD_BYTES:
        raise FigureError("the figure record is larger than its limit")
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise FigureError(f"the figure record is not JSON: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise FigureError(f"the figure record is not of format {FORMAT}")
    try:
        rec = FigureRecord(view=str(raw["view"]), banner=str(raw["banner"]),
                           items=[str(i) for i in raw["items"]], count=int(raw["count"]),
                           items_sha256=str(raw["items_sha256"]),
                           filter=dict(raw.get("filter") or {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise FigureError(f"the figure record is malformed: {exc}") from None
    try:
        markings.parse(rec.banner)
    except markings.MarkingError as exc:
        raise FigureError(f"the figure's banner is not a valid marking: {exc}") from None
    if rec.items and (len(rec.items) != rec.count or hashlib.sha256(
            "\n".join(rec.items).encode()).hexdigest() != rec.items_sha256):
        raise FigureError("the figure record's item list does not match its count and digest")
    return rec
