"""Typed links between items, and which kinds each link type may join."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator

from hstc_desk.domain.canonical import canonical_bytes, canonical_json
from hstc_desk.domain.errors import DomainError, domain_error
from hstc_desk.domain.fields import ItemRef, MarkingText
from hstc_desk.domain.ids import LINK_ID_PATTERN, PREFIX_KIND
from hstc_desk.domain.records import Record

LinkType = Literal[
    "member_of",
    "leads",
    "associated_with",
    "travelled_on",
    "holds_document",
    "reported_in",
    "part_of_case",
    "located_at",
    "participated_in",
    "financed",
    "communicated_with",
    "employs",
]

_ANY: Final = frozenset(("PER", "ORG", "LOC", "DOC", "EVT", "LEG", "RPT", "CAS"))
_ACTORS: Final = frozenset(("PER", "ORG"))

LINK_ENDPOINTS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "member_of": (frozenset({"PER", "ORG"}), frozenset({"ORG"})),
    "leads": (frozenset({"PER"}), frozenset({"ORG"})),
    "associated_with": (_ANY, _ANY),
    "travelled_on": (frozenset({"PER", "DOC"}), frozenset({"LEG"})),
    "holds_document": (frozenset({"PER"}), frozenset({"DOC"})),
    "reported_in": (_ANY - {"RPT"}, frozenset({"RPT"})),
    "part_of_case": (_ANY - {"CAS"}, frozenset({"CAS"})),
    "located_at": (_ANY - {"LOC"}, frozenset({"LOC"})),
    "participated_in": (_ACTORS | {"DOC"}, frozenset({"EVT"})),
    "financed": (_ACTORS, frozenset({"EVT", "LEG", "ORG", "PER"})),
    "communicated_with": (_ACTORS, _ACTORS),
    "employs": (frozenset({"ORG"}), frozenset({"PER"})),
}
"""For each link type, the id prefixes allowed at its source and at its destination."""


class Link(Record):
    """A typed, marked edge from one item (`src`) to another (`dst`)."""

    KIND: ClassVar[str] = "link"

    id: Annotated[str, Field(pattern=LINK_ID_PATTERN)]
    link_type: LinkType
    src: ItemRef
    dst: ItemRef
    marking: MarkingText

    @field_validator("src")
    @classmethod
    def _src_kind_allowed(cls, value: str, info: ValidationInfo) -> str:
        link_type = info.data.get("link_type")
        if link_type is not None and value[:3] not in LINK_ENDPOINTS[link_type][0]:
            allowed = ", ".join(sorted(PREFIX_KIND[p] for p in LINK_ENDPOINTS[link_type][0]))
            raise ValueError(
                f"a {link_type} link cannot start at a {PREFIX_KIND[value[:3]]}"
                f" (allowed: {allowed})"
            )
        return value

    @field_validator("dst")
    @classmethod
    def _dst_kind_allowed(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("src"):
            raise ValueError("a link cannot join an item to itself")
        link_type = info.data.get("link_type")
        if link_type is not None and value[:3] not in LINK_ENDPOINTS[link_type][1]:
            allowed = ", ".join(sorted(PREFIX_KIND[p] for p in LINK_ENDPOINTS[link_type][1]))
            raise ValueError(
                f"a {link_type} link cannot end at a {PREFIX_KIND[value[:3]]} (allowed: {allowed})"
            )
        return value

    def summary(self) -> str:
        return f"{self.marking} {self.src} {self.link_type} {self.dst}"


def parse_link(data: dict[str, Any] | str | bytes) -> Link:
    """Validate a link from a dict or JSON text; raises DomainError like "link.dst: ..."."""
    try:
        if isinstance(data, str | bytes):
            return Link.model_validate_json(data)
        if not isinstance(data, dict):
            raise DomainError(f"link: expected a JSON object, not {type(data).__name__}")
        return Link.model_validate(data)
    except ValidationError as exc:
        raise domain_error(exc, prefix="link") from None


def link_to_json(link: Link) -> str:
    """Canonical JSON of a link: sorted keys, no whitespace, UTC timestamps."""
    return canonical_json(link)


def link_to_bytes(link: Link) -> bytes:
    """Canonical JSON of a link as UTF-8 bytes."""
    return canonical_bytes(link)
