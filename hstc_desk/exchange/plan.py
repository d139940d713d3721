"""What an export plan is (no logic of selecting): its scope, what goes, what is left out and
why, the banner of what goes, and the release decision for one marking.

Kept apart from ``selection`` (which fills a plan from the store) so that ``product_payload``
and ``selection`` both use it and neither imports the other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from hstc_desk import markings
from hstc_desk.store.rows import parse_marking


def banner_of(marks: set[str]) -> str:
    """The banner of a set of portion marks."""
    return markings.rollup([parse_marking(m) for m in sorted(marks)]).banner()


@dataclass(frozen=True)
class Scope:
    """Everything (all fields None), a case, a search, or a selection of ids."""

    case_id: str | None = None
    query: str | None = None
    ids: tuple[str, ...] | None = None

    def describe(self) -> str:
        if self.case_id:
            return f"case {self.case_id}"
        if self.query:
            return f"search {self.query!r}"
        if self.ids is not None:
            return f"selection of {len(self.ids)}"
        return "everything"


@dataclass(frozen=True)
class Excluded:
    id: str
    record: str  # the item kind, or "link"
    title: str
    marking: str
    category: str  # "above level" | "not releasable" | "use restriction" | "outside scope"
    #                | "sign-off" (a product whose sign-off does not verify here)
    #                | "too large" (an item or product longer than a reader accepts)
    #                | "unresolved conflict" (two edits of one version, to a foreign destination)
    reason: str


@dataclass
class Plan:
    """The preview of an export: what goes, what is left out and why, and the banner."""

    destination: markings.Destination
    scope: Scope
    items: list[bytes] = field(default_factory=list)  # canonical bodies, UTF-8
    links: list[bytes] = field(default_factory=list)
    products: list[str] = field(default_factory=list)  # product_payload lines
    markings: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    excluded: list[Excluded] = field(default_factory=list)
    hidden: int = 0  # above the user's own clearance: not even listed
    # Items that go only by an originator's authorization (exchange.authorizations): released
    # from ORCON, or from leads-only, for this destination. The officer's approval names them.
    orcon_released: set[str] = field(default_factory=set)
    leads_only_lifted: set[str] = field(default_factory=set)

    @property
    def banner(self) -> str:
        return banner_of(self.markings)

    def excluded_by_category(self) -> dict[str, int]:
        return dict(Counter(e.category for e in self.excluded))

    def lines(self, limit: int = 50) -> list[str]:
        out = [f"destination {self.destination.code} ({self.destination.name}), "
               f"scope {self.scope.describe()}",
               f"goes: {len(self.items)} items, {len(self.links)} links"
               + (f", {len(self.products)} approved products" if self.products else "")
               + f"; banner {self.banner}"]
        if self.kinds:
            out.append("  " + ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items())))
        out.append(f"left out: {len(self.excluded)}"
                   + "".join(f"; {c} {n}" for c, n in sorted(self.excluded_by_category().items())))
        for e in self.excluded[:limit]:
            out.append(f"  {e.id} {e.marking} {e.category}: {e.reason}")
        if len(self.excluded) > limit > 0:  # limit 0: the caller lists them itself
            out.append(f"  ... and {len(self.excluded) - limit} more")
        if self.hidden:
            out.append(f"not shown: {self.hidden} above your own clearance (left out)")
        return out


def _category(reason: str) -> str:
    first = reason.split("; ")[0]
    if "above the maximum" in first:
        return "above level"
    if first.startswith("use restricted"):
        return "use restriction"
    return "not releasable"


def _decide(marking: str, leads_only: bool, dest: markings.Destination) -> markings.Decision:
    return _decide_code(marking, leads_only, dest.code)


@lru_cache(maxsize=8192)
def _decide_code(marking: str, leads_only: bool, code: str) -> markings.Decision:
    return markings.releasable(parse_marking(marking), markings.destination(code),
                               use_restricted=leads_only)
