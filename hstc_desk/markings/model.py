"""The Marking value: a validated, canonical portion mark or banner."""

from __future__ import annotations

from dataclasses import dataclass, field

from .level import Level
from .registry import REL_TO, registry
from .validate import check


@dataclass(frozen=True, slots=True)
class Marking:
    """A valid marking. Construction canonicalises (short dissemination names become long ones,
    REL TO is put in canonical order; it must still start with USA) and validates, raising
    MarkingError; so every Marking that exists is valid."""

    level: Level
    sci: frozenset[str] = field(default_factory=frozenset)
    dissem: frozenset[str] = field(default_factory=frozenset)
    rel_to: tuple[str, ...] | None = None
    non_ic: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        reg = registry()
        setter = object.__setattr__
        setter(self, "level", Level(self.level))
        setter(self, "sci", frozenset(self.sci))
        setter(self, "dissem", frozenset(reg.dissem_by_word.get(d, d) for d in self.dissem))
        setter(self, "non_ic", frozenset(self.non_ic))
        if self.rel_to is not None:
            rel = tuple(self.rel_to)
            if len(set(rel)) == len(rel) and rel and rel[0] == "USA":
                rel = reg.canonical_rel_to(set(rel))
            setter(self, "rel_to", rel)
        check(self)

    def _parts(self, long: bool) -> list[str]:
        reg = registry()
        parts = [(reg.level_long if long else reg.level_short)[self.level]]
        if self.sci:
            parts.append("/".join(s for s in reg.sci if s in self.sci))
        dissem: list[str] = []
        for name in reg.dissem:
            if name == REL_TO:
                if self.rel_to is not None:
                    dissem.append(f"{REL_TO} {', '.join(self.rel_to)}")
            elif name in self.dissem:
                dissem.append(name if long else reg.dissem_short[name])
        if dissem:
            parts.append("/".join(dissem))
        if self.non_ic:
            parts.append("/".join(n for n in reg.non_ic if n in self.non_ic))
        return parts

    def portion(self) -> str:
        """Portion mark, short forms: ``(TS//HCS/SI//OC/NF)``."""
        return "(" + "//".join(self._parts(long=False)) + ")"

    def banner(self) -> str:
        """Banner line, long forms: ``TOP SECRET//HCS/SI//ORCON/NOFORN``."""
        return "//".join(self._parts(long=True))

    def __str__(self) -> str:
        return self.portion()

    def rel_countries(self) -> frozenset[str] | None:
        """The REL TO countries with group codes expanded; None when there is no REL TO."""
        return None if self.rel_to is None else registry().expand(self.rel_to)

    def tokens(self) -> frozenset[str]:
        """Every control token present, short forms, for filtering (REL TO is ``REL``)."""
        reg = registry()
        out: set[str] = set(self.sci) | set(self.non_ic)
        out |= {reg.dissem_token[d] for d in self.dissem}
        if self.rel_to is not None:
            out.add(reg.dissem_token[REL_TO])
        return frozenset(out)

    @property
    def is_classified(self) -> bool:
        return self.level > Level.U

    @property
    def noforn(self) -> bool:
        """NOFORN, or LES-NF: no foreign dissemination."""
        return "NOFORN" in self.dissem or "LES-NF" in self.non_ic
