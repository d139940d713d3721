"""Clearances and dominance: may a holder of this clearance see that marking?"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import MarkingError, Rule
from .grammar import normalise
from .level import Level
from .model import Marking
from .registry import registry


@dataclass(frozen=True)
class Clearance:
    """A level and a set of SCI control systems (a person's clearance or a system-high
    accreditation)."""

    level: Level
    sci: frozenset[str] = field(default_factory=frozenset)

    def __str__(self) -> str:
        reg = registry()
        parts = [reg.level_short[self.level]]
        if self.sci:
            parts.append("/".join(s for s in reg.sci if s in self.sci))
        return "//".join(parts)


def parse_clearance(text: str) -> Clearance:
    """``"TS//HCS/SI/TK"``, ``"S"``, ``"SECRET//SI"``: a classification, then optionally SCI."""
    s = normalise(text)
    reg = registry()
    first, *rest = s.split("//")
    if first not in reg.level_by_word:
        raise MarkingError(
            first or None,
            Rule.CLEARANCE,
            f"{first or 'empty clearance'}: a clearance starts with a classification",
        )
    if len(rest) > 1:
        raise MarkingError(s, Rule.CLEARANCE, f"{s}: a clearance has at most one SCI segment")
    sci: set[str] = set()
    for token in rest[0].split("/") if rest else ():
        if token not in reg.sci:
            raise MarkingError(token, Rule.CLEARANCE, f"{token}: not an SCI control system")
        if token in sci:
            raise MarkingError(token, Rule.DUPLICATE, f"{token} appears twice in {s}")
        sci.add(token)
    level = reg.level_by_word[first]
    if sci and level == Level.U:
        raise MarkingError(
            min(sci), Rule.CLASSIFIED_ONLY, f"{min(sci)} with an unclassified clearance"
        )
    return Clearance(level, frozenset(sci))


def dominates(clearance: Clearance, marking: Marking) -> bool:
    """True when the clearance's level is at least the marking's and its SCI set contains the
    marking's."""
    return clearance.level >= marking.level and clearance.sci >= marking.sci
