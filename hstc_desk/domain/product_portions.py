"""The portions of a product (DESIGN §5): paragraphs, section headings, figures, citations of
case items, and tearline dividers. Every portion is marked.

Canonical form: fields in alphabetical order; fields added after the first release (``pid``,
a figure's ``items`` and ``image_sha256``) are left out while None, so what was signed before
they existed keeps its canonical bytes (see ``Canonical``).

A stable portion id (``pid``, 12 hex digits) is given by the store to every portion it writes
and carried over by edits; comments are anchored to it and version diffs match portions by it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer

from hstc_desk.domain.fields import ItemRef, MarkingText, UseRestriction
from hstc_desk.domain.plain_text import Line, Note, Prose
from hstc_desk.markings import Marking, parse, rollup

PID_PATTERN: Final = r"^[0-9a-f]{12}$"
HEX64: Final = r"^[0-9a-f]{64}$"
DESTINATION_PATTERN: Final = r"^[A-Z][A-Z0-9]{1,11}(-[A-Z0-9]{1,12})?$"
MAX_FIGURE_ITEMS: Final = 10_000  # movement.figures.MAX_ITEMS

PortionId = Annotated[str, Field(pattern=PID_PATTERN)]
Sha256 = Annotated[str, Field(pattern=HEX64)]
DestinationCode = Annotated[str, Field(pattern=DESTINATION_PATTERN)]

STRICT: Final = ConfigDict(extra="forbid", strict=True, frozen=True)


parse_mark = lru_cache(maxsize=4096)(parse)  # a product holds few distinct markings


def rollup_markings(texts: Iterable[str]) -> Marking:
    """The roll-up of marking texts. Each distinct text is parsed once (cached) and rolled up
    once: every roll-up rule is a maximum, union, intersection, "any" or "all", so repeats
    change nothing, and 10,000 portions cost what their few distinct markings cost."""
    return rollup(parse_mark(t) for t in set(texts))


def new_portion_id() -> str:
    return secrets.token_hex(6)


class Canonical(BaseModel):
    """A strict model whose ``CANONICAL_OMIT_NONE`` fields are left out of its JSON (and of
    ``model_dump``) while None: fields added after a model's first release."""

    model_config = STRICT
    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in self.CANONICAL_OMIT_NONE:
                if name in data and data[name] is None:
                    del data[name]
        return data


class Paragraph(Canonical):
    """A marked paragraph; ``text`` is rich text markup (domain.rich_text)."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ("pid",)

    marking: MarkingText
    pid: PortionId | None = None
    text: Prose
    type: Literal["paragraph"] = "paragraph"


class Heading(Canonical):
    """A section heading (templates give each type its sections)."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ("pid",)

    marking: MarkingText
    pid: PortionId | None = None
    text: Line
    type: Literal["heading"] = "heading"


class Figure(Canonical):
    """A timeline or route image drawn from case items.

    ``items``: the items it depicts (a Movement figure's list); ``data``: the single item of
    figures made before ``items`` existed. ``image_sha256``: SHA-256 of the PNG, held in the
    store's ``product_images`` table (the hash is what the signature covers)."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ("pid", "items", "image_sha256")

    caption: Line
    data: ItemRef | None = None
    image_sha256: Sha256 | None = None
    items: Annotated[list[ItemRef], Field(max_length=MAX_FIGURE_ITEMS)] | None = None
    kind: Literal["timeline", "route"]
    marking: MarkingText
    pid: PortionId | None = None
    type: Literal["figure"] = "figure"

    def depicted(self) -> list[str]:
        """The items it depicts, old form or new."""
        return list(self.items or ([self.data] if self.data else []))


class Citation(Canonical):
    """A cited case item, with its marking and use restriction at citation time."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ("pid", "title")

    item_id: ItemRef
    marking: MarkingText
    note: Note = ""
    pid: PortionId | None = None
    title: Line | None = None  # the item's title at citation time (the store fills it)
    type: Literal["citation"] = "citation"
    use_restriction: UseRestriction = "none"


class Tearline(Canonical):
    """A tearline divider: every portion after it, up to the next tearline or the end, belongs
    to the tearline version for ``destination`` (a destination profile code, e.g. EUROPOL).
    ``title`` is that version's own title, ``marking`` its title's portion mark."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ("pid",)

    destination: DestinationCode
    marking: MarkingText
    pid: PortionId | None = None
    title: Line
    type: Literal["tearline"] = "tearline"

    @field_validator("destination")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


PortionInput = Paragraph | Heading | Figure | Citation | Tearline
ProductPortion = Annotated[PortionInput, Field(discriminator="type")]
PORTION_TYPES: Final = ("paragraph", "heading", "figure", "citation", "tearline")


def with_pid(portion: PortionInput, pid: str | None = None) -> PortionInput:
    """The portion with a portion id (its own if it has one, else ``pid`` or a new one)."""
    if portion.pid is not None:
        return portion
    return portion.model_copy(update={"pid": pid or new_portion_id()})


def portion_label(index: int, portion: PortionInput) -> str:
    """How messages name a portion: "portion 7 (S//NF)" (1-based, as printed)."""
    return f"portion {index + 1} ({portion.marking.strip('()')})"


def portion_summary(portion: PortionInput, width: int = 80) -> str:
    """One line saying what a portion is (for lists and diffs)."""
    if isinstance(portion, Paragraph | Heading):
        text = " ".join(portion.text.split())
    elif isinstance(portion, Figure):
        text = f"Figure ({portion.kind}): {portion.caption}"
    elif isinstance(portion, Citation):
        text = f"Cited: {portion.item_id}" + (f" {portion.title}" if portion.title else "")
    else:
        text = f"TEARLINE for {portion.destination}: {portion.title}"
    return text if len(text) <= width else text[: width - 1] + "\u2026"
