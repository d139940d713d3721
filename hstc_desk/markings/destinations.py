"""Destination profiles (resources/destinations.json): where an export may go."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from hstc_desk.resources import load_json

from .level import Level
from .registry import registry

KINDS = ("domestic", "country", "organization")


@dataclass(frozen=True)
class Destination:
    """A destination: a US domestic recipient, a foreign country, or an organization of members."""

    code: str
    name: str
    kind: str  # domestic | country | organization
    country: str | None
    members: tuple[str, ...]
    max_level: Level
    prosecution_use: bool
    purpose: str = "intelligence"  # "intelligence" or "prosecution"
    note: str = ""

    @property
    def foreign(self) -> bool:
        return self.kind != "domestic"

    @property
    def countries(self) -> frozenset[str]:
        """The trigraphs a REL TO list must include: the country, or every member."""
        return frozenset(self.members) if self.kind == "organization" else frozenset({self.country})


def _build(raw: dict[str, Any]) -> Destination:
    reg = registry()
    code = raw["code"]
    kind = raw["kind"]
    if kind not in KINDS:
        raise ValueError(f"destinations.json: {code}: kind {kind!r} is not one of {KINDS}")
    country = raw.get("country")
    members = tuple(sorted(raw.get("members", ())))
    if kind == "organization" and not members:
        raise ValueError(f"destinations.json: {code}: an organization needs members")
    if kind != "organization" and not country:
        raise ValueError(f"destinations.json: {code}: a {kind} destination needs a country")
    if unknown := sorted({*members, *([country] if country else [])} - set(reg.countries)):
        raise ValueError(f"destinations.json: {code}: unknown trigraphs {unknown}")
    if raw["max_level"] not in reg.level_by_word:
        raise ValueError(f"destinations.json: {code}: unknown max_level {raw['max_level']!r}")
    return Destination(
        code=code,
        name=raw["name"],
        kind=kind,
        country=country,
        members=members,
        max_level=reg.level_by_word[raw["max_level"]],
        prosecution_use=bool(raw.get("prosecution_use", False)),
        purpose=raw.get("purpose", "intelligence"),
        note=raw.get("note", ""),
    )


@cache
def _all() -> dict[str, Destination]:
    return {d.code: d for d in map(_build, load_json("destinations.json")["destinations"])}


def destinations() -> dict[str, Destination]:
    """Every destination profile by code, in file order (a fresh dict; the profiles are frozen)."""
    return dict(_all())


def destination(code: str) -> Destination:
    """The profile with this code (case-insensitive); KeyError listing the known codes if none."""
    found = _all().get(code.strip().upper())
    if found is None:
        raise KeyError(f"unknown destination {code!r}; known: {', '.join(_all())}")
    return found
