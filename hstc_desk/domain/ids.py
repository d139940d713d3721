"""Identifiers of items and links: a three-letter prefix per kind and 16 random hex digits."""

from __future__ import annotations

import random
import secrets
from typing import Final, Literal

Kind = Literal[
    "person", "organization", "location", "document", "event", "route_leg", "report", "case"
]

KINDS: Final[tuple[Kind, ...]] = (
    "person",
    "organization",
    "location",
    "document",
    "event",
    "route_leg",
    "report",
    "case",
)

KIND_PREFIX: Final[dict[str, str]] = {
    "person": "PER",
    "organization": "ORG",
    "location": "LOC",
    "document": "DOC",
    "event": "EVT",
    "route_leg": "LEG",
    "report": "RPT",
    "case": "CAS",
    "link": "LNK",
}
PREFIX_KIND: Final[dict[str, str]] = {prefix: kind for kind, prefix in KIND_PREFIX.items()}

ITEM_ID_PATTERN: Final = r"^(PER|ORG|LOC|DOC|EVT|LEG|RPT|CAS)-[0-9a-f]{16}$"
LINK_ID_PATTERN: Final = r"^LNK-[0-9a-f]{16}$"


def id_pattern(kind: str) -> str:
    """The regular expression an id of this kind ("person", ..., "link") must match."""
    return rf"^{KIND_PREFIX[kind]}-[0-9a-f]{{16}}$"


def new_id(kind: str, rng: random.Random | None = None) -> str:
    """A fresh id for `kind`: random from `secrets`, or drawn from `rng` for reproducible data."""
    try:
        prefix = KIND_PREFIX[kind]
    except KeyError:
        raise ValueError(f"kind: unknown kind {kind!r}") from None
    bits = rng.getrandbits(64) if rng is not None else secrets.randbits(64)
    return f"{prefix}-{bits:016x}"


def kind_of_id(item_id: str) -> str | None:
    """The kind an id belongs to, from its prefix ("link" for LNK-), or None when unknown."""
    return PREFIX_KIND.get(item_id[:3])
