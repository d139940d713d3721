"""Tearlines (DESIGN §5, issue 11 §2): sections of a product for a named destination profile.

A ``Tearline`` portion opens a section; every portion after it, up to the next tearline or the
end, belongs to it. Rules:
- the destination is a known destination profile (resources/destinations.json), and no two
  tearlines of a product name the same one;
- the tearline's title marking and every portion in it are releasable to that destination
  (markings.releasable, the same decision exchange uses; a leads-only product's portions also
  may not go to a prosecution-use destination);
- a complete product (submitted or approved) has no empty tearline.
A tearline's banner is the roll-up of its own title mark and portions alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hstc_desk import markings
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.product_portions import (
    PortionInput,
    Tearline,
    portion_label,
    rollup_markings,
)


@dataclass(frozen=True)
class TearlineSection:
    index: int  # the Tearline portion's index (0-based) in the product
    tearline: Tearline
    portions: list[tuple[int, PortionInput]] = field(default_factory=list)

    @property
    def destination(self) -> str:
        return self.tearline.destination

    def markings(self) -> list[str]:
        return [self.tearline.marking, *(p.marking for _, p in self.portions)]

    def banner_marking(self) -> markings.Marking:
        return rollup_markings(self.markings())

    def banner(self) -> str:
        return self.banner_marking().banner()


@dataclass(frozen=True)
class TearlineProblem:
    index: int  # 0-based index of the portion at fault (the tearline itself, or one under it)
    destination: str
    rule: str  # the releasability reason, or what is wrong with the tearline
    message: str

    def __str__(self) -> str:
        return self.message


def split(portions: Sequence[PortionInput]
          ) -> tuple[list[tuple[int, PortionInput]], list[TearlineSection]]:
    """(the body above the first tearline, the tearline sections in order)."""
    body: list[tuple[int, PortionInput]] = []
    sections: list[TearlineSection] = []
    for i, p in enumerate(portions):
        if isinstance(p, Tearline):
            sections.append(TearlineSection(i, p))
        elif sections:
            sections[-1].portions.append((i, p))
        else:
            body.append((i, p))
    return body, sections


def section_of(portions: Sequence[PortionInput], index: int) -> str | None:
    """The destination of the tearline portion ``index`` falls under (None: the body)."""
    dest = None
    for i, p in enumerate(portions[: index + 1]):
        if isinstance(p, Tearline):
            dest = p.destination
        if i == index:
            return dest
    return None


def problems(portions: Sequence[PortionInput], *, leads_only: bool = False,
             complete: bool = False) -> list[TearlineProblem]:
    """Everything that breaks the tearline rules, in portion order (empty: all well)."""
    out: list[TearlineProblem] = []
    seen: set[str] = set()
    for sec in split(portions)[1]:
        dest_code, t = sec.destination, sec.tearline
        where = f"the tearline at portion {sec.index + 1}"
        try:
            dest = markings.destination(dest_code)
        except KeyError:
            out.append(TearlineProblem(sec.index, dest_code, "unknown destination",
                                       f"{where} names {dest_code}, which is not a destination "
                                       "profile"))
            continue
        if dest_code in seen:
            out.append(TearlineProblem(sec.index, dest_code, "duplicate tearline",
                                       f"{where}: {dest_code} has a tearline already; a "
                                       "product has at most one per destination"))
        seen.add(dest_code)
        if complete and not sec.portions:
            out.append(TearlineProblem(sec.index, dest_code, "empty tearline",
                                       f"{where} for {dest_code} holds no portion"))
        for i, p in [(sec.index, t), *sec.portions]:
            decision = markings.releasable(markings.parse(p.marking), dest,
                                           use_restricted=leads_only)
            if not decision.ok:
                what = "the tearline title" if p is t else portion_label(i, p)
                if p is t:
                    what = f"{what} at portion {i + 1} ({p.marking.strip('()')})"
                out.append(TearlineProblem(i, dest_code, decision.reason,
                                           f"{what} is not releasable to {dest_code}: "
                                           f"{decision.reason}"))
    return out


def check(portions: Sequence[PortionInput], *, leads_only: bool = False,
          complete: bool = False) -> None:
    """Raise TearlineError naming the first portion and rule that break the tearline rules."""
    found = problems(portions, leads_only=leads_only, complete=complete)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise TearlineError(found[0].message + more, found)


class TearlineError(DomainError):
    """A tearline rule is broken; ``problems`` lists every one."""

    def __init__(self, message: str, found: list[TearlineProblem]) -> None:
        super().__init__(message)
        self.problems = found
