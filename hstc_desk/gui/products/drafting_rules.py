"""What the drafting window refuses before a change is made (no Qt): a portion under a tearline
that is not releasable to its destination, and any marking the store holds going down (the
title's, a stored portion's, or the banner: no edit lowers a marking, DESIGN §3.9). The store
refuses the same on save; refusing at the change names the portion while the analyst is on it."""

from __future__ import annotations

from hstc_desk import markings
from hstc_desk.domain.products import Product
from hstc_desk.gui.products.portion_state import DraftState, describe, tearline_refusal
from hstc_desk.reports.rollup import parse_mark


def refusal(state: DraftState, saved: Product | None) -> str:
    """Why ``state`` may not replace the window's current one ('' if it may); ``saved`` is the
    version the store holds (None before the first save)."""
    why = tearline_refusal(state.entries, restricted=saved is not None and saved.leads_only)
    if why:
        return f"Refused: {why}."
    if saved is None:
        return ""
    by_pid = {p.pid: p.marking for p in saved.portions if p.pid}
    pairs = [("the title", saved.title_marking, state.title_marking)]
    pairs += [(describe(e, i), by_pid[e.pid], e.marking) for i, e in enumerate(state.entries)
              if e.pid in by_pid and e.marking]
    for name, was, now in pairs:
        if now and markings.lowers(parse_mark(was), parse_mark(now)):
            return (f"Refused: {name} was saved as {was}; it may not go down to {now} "
                    "(no edit lowers a marking, DESIGN §3.9).")
    new = state.banner_marking()
    if new is not None and markings.lowers(saved.banner_marking(), new):
        return (f"Refused: the banner would go from {saved.banner()} to {new.banner()}; no "
                "edit lowers a marking (DESIGN §3.9). To publish lower, draft a new product "
                "or a tearline.")
    return ""


def moved(entries: tuple, uids: list[int], row: int) -> tuple:
    """``entries`` with the portions ``uids`` taken out and put back before ``row`` (a row
    of the list as it was, as a drop names it)."""
    ids = set(uids)
    moving = [e for e in entries if e.uid in ids]
    before = sum(1 for e in entries[:row] if e.uid in ids)
    rest = [e for e in entries if e.uid not in ids]
    at = max(0, min(row - before, len(rest)))
    return (*rest[:at], *moving, *rest[at:])
