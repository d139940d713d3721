"""The `Item` union of every kind, and parsing / canonical JSON of items."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final

from pydantic import Field, TypeAdapter, ValidationError

from hstc_desk.domain.canonical import canonical_bytes, canonical_json
from hstc_desk.domain.documents import Document
from hstc_desk.domain.errors import DomainError, domain_error
from hstc_desk.domain.events import Event
from hstc_desk.domain.item_base import ItemBase
from hstc_desk.domain.people import Organization, Person
from hstc_desk.domain.places import Location, RouteLeg
from hstc_desk.domain.reporting import Case, Report

Item = Annotated[
    Person | Organization | Location | Document | Event | RouteLeg | Report | Case,
    Field(discriminator="kind"),
]

ITEM_CLASSES: Final[dict[str, type[ItemBase]]] = {
    cls.KIND: cls
    for cls in (Person, Organization, Location, Document, Event, RouteLeg, Report, Case)
}

ITEM_ADAPTER: Final[TypeAdapter[Item]] = TypeAdapter(Item)


def parse_item(data: dict[str, Any] | str | bytes) -> Item:
    """Validate an item from a dict or JSON text; DomainError reads "person.nationality: ..."."""
    try:
        if isinstance(data, str | bytes):
            return ITEM_ADAPTER.validate_json(data)
        if not isinstance(data, dict):
            raise DomainError(f"item: expected a JSON object, not {type(data).__name__}")
        return ITEM_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise domain_error(exc) from None


def item_to_json(item: ItemBase) -> str:
    """Canonical JSON of an item: sorted keys, no whitespace, UTC timestamps, UTF-8 text."""
    return canonical_json(item)


def item_to_bytes(item: ItemBase) -> bytes:
    """Canonical JSON of an item as UTF-8 bytes (the input of content digests)."""
    return canonical_bytes(item)


def revise(item: ItemBase, *, updated: datetime, **changes: Any) -> Item:
    """A new, fully validated version of `item` with `changes`, version + 1 and `updated`.

    The id, kind, created time and version number are not for callers to change.
    """
    forbidden = {"id", "kind", "created", "version"} & changes.keys()
    if forbidden:
        raise DomainError(f"{item.KIND}.{sorted(forbidden)[0]}: cannot be changed by a revision")
    data = item.model_dump()
    data.update(changes)
    data["version"] = item.version + 1
    data["updated"] = updated
    return parse_item(data)
