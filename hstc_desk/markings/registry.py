"""The token registry (resources/markings.json): classification words, SCI systems, dissemination
controls and non-IC controls in registry order, group codes and known country trigraphs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from hstc_desk.resources import load_json

from .level import Level

REL_TO = "REL TO"
USA = "USA"


@dataclass(frozen=True, slots=True)
class Registry:
    """The registry, parsed once. Dissemination names are the long (banner) forms."""

    level_short: MappingProxyType[Level, str]
    level_long: MappingProxyType[Level, str]
    level_by_word: MappingProxyType[str, Level]  # short and long words
    sci: tuple[str, ...]
    dissem: tuple[str, ...]  # long names in registry order, including "REL TO"
    dissem_short: MappingProxyType[str, str]  # long -> short
    dissem_by_word: MappingProxyType[str, str]  # short or long -> long
    dissem_token: MappingProxyType[str, str]  # long -> filter token ("REL TO" -> "REL")
    non_ic: tuple[str, ...]
    groups: MappingProxyType[str, frozenset[str]]
    countries: MappingProxyType[str, str]  # trigraph -> name

    def is_rel_entry(self, code: str) -> bool:
        return code in self.countries or code in self.groups

    def expand(self, codes: tuple[str, ...]) -> frozenset[str]:
        """Country trigraphs of a REL TO list, with group codes replaced by their members."""
        out: set[str] = set()
        for code in codes:
            out |= self.groups.get(code, frozenset({code}))
        return frozenset(out)

    def canonical_rel_to(self, codes: frozenset[str] | set[str]) -> tuple[str, ...]:
        """USA first, then trigraphs alphabetically, then group codes alphabetically."""
        trigraphs = sorted(c for c in codes if c != USA and c not in self.groups)
        groups = sorted(c for c in codes if c in self.groups)
        return ((USA,) if USA in codes else ()) + tuple(trigraphs) + tuple(groups)


def _build(data: dict[str, Any]) -> Registry:
    classes = data["classifications"]
    level_short = {Level(c["level"]): c["short"] for c in classes}
    level_long = {Level(c["level"]): c["long"] for c in classes}
    by_word = {w: lvl for lvl, w in level_short.items()} | {w: lvl for lvl, w in level_long.items()}
    dissem = tuple(d["long"] for d in data["dissemination"])
    short = {d["long"]: d["short"] for d in data["dissemination"]}
    by = {d["short"]: d["long"] for d in data["dissemination"]} | {d: d for d in dissem}
    tokens = {d["long"]: d.get("token", d["short"]) for d in data["dissemination"]}
    groups = {code: frozenset(g["members"]) for code, g in data["groups"].items()}
    reg = Registry(
        level_short=MappingProxyType(level_short),
        level_long=MappingProxyType(level_long),
        level_by_word=MappingProxyType(by_word),
        sci=tuple(s["name"] for s in data["sci"]),
        dissem=dissem,
        dissem_short=MappingProxyType(short),
        dissem_by_word=MappingProxyType(by),
        dissem_token=MappingProxyType(tokens),
        non_ic=tuple(n["name"] for n in data["non_ic"]),
        groups=MappingProxyType(groups),
        countries=MappingProxyType(dict(data["countries"])),
    )
    _check(reg)
    return reg


def _check(reg: Registry) -> None:
    """The rules in code name these tokens; a replacement registry must keep them."""
    if set(reg.level_short) != set(Level):
        raise ValueError("markings.json: classifications must cover U, C, S and TS")
    needed = {"FOUO", "ORCON", "IMCON", "NOFORN", "PROPIN", REL_TO, "RELIDO"}
    if missing := needed - set(reg.dissem):
        raise ValueError(f"markings.json: dissemination controls missing: {sorted(missing)}")
    if missing := {"LES", "LES-NF"} - set(reg.non_ic):
        raise ValueError(f"markings.json: non-IC controls missing: {sorted(missing)}")
    if USA not in reg.countries:
        raise ValueError("markings.json: USA must be a known country")
    for code, members in reg.groups.items():
        if code in reg.countries:
            raise ValueError(f"markings.json: group code {code} clashes with a country trigraph")
        if unknown := members - set(reg.countries):
            raise ValueError(f"markings.json: group {code} has unknown members {sorted(unknown)}")
    words = [*reg.level_by_word, *reg.sci, *reg.dissem_by_word, *reg.non_ic]
    if len(set(words)) != len(set(reg.level_by_word)) + len(reg.sci) + len(
        set(reg.dissem_by_word)
    ) + len(reg.non_ic):
        raise ValueError("markings.json: a token belongs to more than one category")


def level_word(level: Level) -> str:
    """The banner word of a level: UNCLASSIFIED, CONFIDENTIAL, SECRET, TOP SECRET."""
    return registry().level_long[level]


@cache
def registry() -> Registry:
    """The registry from resources/markings.json (parsed once per process)."""
    return _build(load_json("markings.json"))
