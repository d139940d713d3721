"""What changed between two versions of a product, portion by portion (the review view shows it).

Portions are matched by their stable id (``pid``); a portion without one is matched by position
among the others without one. Each portion of either version appears once, in the new version's
order, removed ones after the portion that preceded them in the old version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from hstc_desk.domain.product_portions import PortionInput
from hstc_desk.domain.products import Product

ChangeKind = Literal["unchanged", "changed", "moved", "added", "removed"]
_META = ("title", "title_marking", "authority", "product_type", "use_restriction",
         "addressees", "recommended_action")


@dataclass(frozen=True)
class PortionChange:
    kind: ChangeKind
    old_index: int | None  # 0-based, in the old version
    new_index: int | None  # 0-based, in the new version
    old: PortionInput | None
    new: PortionInput | None
    fields: tuple[str, ...] = ()  # the portion's fields that differ ("marking", "text", ...)

    @property
    def pid(self) -> str | None:
        return (self.new or self.old).pid  # type: ignore[union-attr]


@dataclass(frozen=True)
class ProductDiff:
    old_version: int | None  # None: nothing to compare with (no approved version)
    new_version: int
    meta: dict[str, tuple[object, object]] = field(default_factory=dict)  # field: (was, now)
    portions: list[PortionChange] = field(default_factory=list)
    old_banner: str | None = None
    new_banner: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.meta) or any(c.kind != "unchanged" for c in self.portions)

    def summary(self) -> list[str]:
        """One line per change, for the CLI and the review view's list."""
        if self.old_version is None:
            return [f"version {self.new_version}: no approved version to compare with"]
        out = [f"{name}: {was!r} -> {now!r}" for name, (was, now) in self.meta.items()]
        if self.old_banner != self.new_banner:
            out.append(f"banner: {self.old_banner} -> {self.new_banner}")
        for c in self.portions:
            if c.kind == "unchanged":
                continue
            where = (f"portion {c.new_index + 1}" if c.new_index is not None
                     else f"old portion {c.old_index + 1}")  # type: ignore[operator]
            detail = f" ({', '.join(c.fields)})" if c.fields else ""
            if c.kind == "moved":
                also = ", " + ", ".join(c.fields) if c.fields else ""
                detail = f" (from {c.old_index + 1}{also})"  # type: ignore[operator]
            out.append(f"{where} {c.kind}{detail}")
        return out


def _fields(a: PortionInput, b: PortionInput) -> tuple[str, ...]:
    if a.type != b.type:
        return ("type",)
    da, db = a.model_dump(), b.model_dump()
    return tuple(k for k in sorted({*da, *db}) if k != "pid" and da.get(k) != db.get(k))


def diff(old: Product | None, new: Product) -> ProductDiff:
    """The changes from ``old`` (usually the last approved version) to ``new``."""
    if old is None:
        return ProductDiff(None, new.version, {}, [
            PortionChange("added", None, i, None, p) for i, p in enumerate(new.portions)],
            None, new.banner())
    meta = {}
    for name in _META:
        was, now = getattr(old, name), getattr(new, name)
        if was != now:
            meta[name] = (was.model_dump() if hasattr(was, "model_dump") else was,
                          now.model_dump() if hasattr(now, "model_dump") else now)
    old_by_pid = {p.pid: i for i, p in enumerate(old.portions) if p.pid}
    old_plain = [i for i, p in enumerate(old.portions) if not p.pid]
    matched: dict[int, int] = {}  # new index -> old index
    plain_iter = iter(old_plain)
    for j, p in enumerate(new.portions):
        if p.pid and p.pid in old_by_pid:
            matched[j] = old_by_pid[p.pid]
        elif not p.pid:
            i = next(plain_iter, None)
            if i is not None:
                matched[j] = i
    used = set(matched.values())
    # The matched old indexes in new order; one out of increasing order is a move.
    order = [matched[j] for j in sorted(matched)]
    keep = _longest_increasing(order)
    changes: list[PortionChange] = []
    removed_after: dict[int | None, list[int]] = {}
    for i in range(len(old.portions)):
        if i not in used:
            prev = max((k for k in used if k < i), default=None)
            removed_after.setdefault(prev, []).append(i)

    def emit_removed(after: int | None) -> None:
        for i in removed_after.pop(after, []):
            changes.append(PortionChange("removed", i, None, old.portions[i], None))

    emit_removed(None)
    for j, p in enumerate(new.portions):
        i = matched.get(j)
        if i is None:
            changes.append(PortionChange("added", None, j, None, p))
            continue
        fields = _fields(old.portions[i], p)
        kind: ChangeKind = "moved" if i not in keep else ("changed" if fields else "unchanged")
        changes.append(PortionChange(kind, i, j, old.portions[i], p, fields))
        emit_removed(i)
    for after in sorted(k for k in removed_after if k is not None):
        emit_removed(after)
    return ProductDiff(old.version, new.version, meta, changes, old.banner(), new.banner())


def _longest_increasing(seq: list[int]) -> set[int]:
    """The values of a longest increasing subsequence of ``seq`` (patience sorting)."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev: list[int | None] = [None] * len(seq)
    for k, v in enumerate(seq):
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tails_idx.append(k)
        else:
            tails[pos] = v
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else None
    out: set[int] = set()
    k = tails_idx[-1] if tails_idx else None
    while k is not None:
        out.add(seq[k])
        k = prev[k]
    return out
