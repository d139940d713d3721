"""What the drafting window edits, as plain immutable values (no Qt): the header of a product
and its ordered portions, the banner they roll up to, the use restriction they carry, and the
tearline rule.

Every change the window makes is a new ``DraftState``; the undo stack keeps the one before and
the one after, so undo is exact and nothing is patched in place. Each portion keeps a ``uid``
for its life in the window, so a selection follows a portion that moves.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field, replace
from typing import Literal

from hstc_desk import markings
from hstc_desk.domain import rich_text
from hstc_desk.markings import Marking
from hstc_desk.reports.rollup import parse_mark, rollup_portions

Kind = Literal["paragraph", "heading", "figure", "citation", "tearline"]
KIND_NAMES: dict[str, str] = {"paragraph": "Paragraph", "heading": "Heading", "figure": "Figure",
                              "citation": "Citation", "tearline": "Tearline"}
MARKED_KINDS = ("paragraph", "heading", "figure", "citation", "tearline")

_uids = itertools.count(1)


def new_uid() -> int:
    return next(_uids)


@dataclass(frozen=True)
class Entry:
    """One portion. ``text``: a paragraph's limited rich text (domain.rich_text markup), a
    heading's line, a figure's caption, a citation's note, a tearline's own title (its
    ``marking`` that title's mark; ``destination`` a destination profile code). ``pid``: the
    store's portion id once it has one (comments are anchored to it)."""

    kind: Kind
    marking: str = ""  # portion form, "" while not marked
    text: str = ""
    uid: int = field(default_factory=new_uid)
    pid: str = ""
    # citation
    item_id: str = ""
    item_title: str = ""
    use_restriction: str = "none"
    # figure
    figure_kind: str = ""  # "timeline" | "route"
    image: bytes = b""
    depicted: tuple[str, ...] = ()
    depicted_count: int = 0
    # tearline
    destination: str = ""

    @property
    def marked(self) -> bool:
        return self.kind in MARKED_KINDS

    @property
    def leads_only(self) -> bool:
        return self.kind == "citation" and self.use_restriction == "leads_only"

    @property
    def image_sha256(self) -> str:
        return hashlib.sha256(self.image).hexdigest() if self.image else ""

    def with_(self, **changes: object) -> Entry:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DraftState:
    product_type: str
    title: str = ""
    title_marking: str = ""
    classified_by: str = ""
    derived_from: str = ""
    declassify_on: str = ""
    entries: tuple[Entry, ...] = ()
    addressees: str = ""  # a referral's: destination codes, comma separated
    recommended_action: str = ""

    def with_(self, **changes: object) -> DraftState:
        return replace(self, **changes)  # type: ignore[arg-type]

    def marks(self) -> list[str]:
        """The title's mark and every marked portion's (unmarked ones are left out)."""
        out = [self.title_marking] if self.title_marking else []
        return out + [e.marking for e in self.entries if e.marked and e.marking]

    def banner_marking(self) -> Marking | None:
        marks = self.marks()
        return rollup_portions(marks) if marks else None

    @property
    def leads_only(self) -> bool:
        return any(e.leads_only for e in self.entries)

    def leads_only_citations(self) -> list[Entry]:
        return [e for e in self.entries if e.leads_only]

    def index_of(self, uid: int) -> int | None:
        return next((i for i, e in enumerate(self.entries) if e.uid == uid), None)

    def cited_sources(self) -> list[tuple[str, str]]:
        """(item id, title) of each cited item, in order of first citation."""
        seen: dict[str, str] = {}
        for e in self.entries:
            if e.kind == "citation" and e.item_id not in seen:
                seen[e.item_id] = e.item_title
        return list(seen.items())

    def unmarked(self) -> list[int]:
        """Rows of marked kinds that have no marking yet."""
        return [i for i, e in enumerate(self.entries) if e.marked and not e.marking]


def describe(entry: Entry, row: int) -> str:
    """How a message names a portion: 'portion 4 (paragraph "Couriers move…")'."""
    words = entry.item_title or entry.text
    words = " ".join(plain_words(words).split())
    words = words if len(words) <= 40 else words[:39] + "…"
    what = entry.kind + (f' "{words}"' if words else "")
    if entry.kind == "citation":
        what += f" of {entry.item_id}"
    return f"portion {row + 1} ({what})"


def plain_words(text: str) -> str:
    """The words of limited rich text without its markup (for previews and messages)."""
    return rich_text.plain(text)


def tearline_sections(entries: tuple[Entry, ...]) -> list[tuple[int, str, range]]:
    """(row of the tearline, destination, rows below it up to the next tearline or the end)."""
    rows = [i for i, e in enumerate(entries) if e.kind == "tearline"]
    out = []
    for n, start in enumerate(rows):
        end = rows[n + 1] if n + 1 < len(rows) else len(entries)
        out.append((start, entries[start].destination, range(start + 1, end)))
    return out


def tearline_refusal(entries: tuple[Entry, ...], *, restricted: bool = False) -> str:
    """Why these portions break a tearline ('' when none does): the first portion in a
    tearline section (its title included) that is not releasable to its destination, named
    with the rule that refuses it. As in domain.product_tearlines, a leads-only product's
    portions may not go to a prosecution-use destination (``restricted``: the product is
    leads only already, as a stored one stays)."""
    leads_only = restricted or any(e.leads_only for e in entries)
    seen: set[str] = set()
    for start, code, rows in tearline_sections(entries):
        try:
            dest = markings.destination(code)
        except KeyError as exc:
            return f"the tearline at portion {start + 1}: {exc.args[0]}"
        if dest.code in seen:
            return (f"the tearline at portion {start + 1}: {dest.code} has a tearline already; "
                    "a product has at most one per destination")
        seen.add(dest.code)
        for i in (start, *rows):
            e = entries[i]
            if not e.marked or not e.marking:
                continue
            decision = markings.releasable(parse_mark(e.marking), dest,
                                           use_restricted=leads_only)
            if not decision.ok:
                return (f"{describe(e, i)}, marked {e.marking}, cannot stand below the "
                        f"tearline for {dest.code} ({dest.name}): {decision.reason}")
    return ""


def section_banner(entries: tuple[Entry, ...], start: int) -> Marking | None:
    """The roll-up of one tearline section (the portions below the tearline at ``start``)."""
    for row, _code, rows in tearline_sections(entries):
        if row == start:
            marks = [entries[i].marking for i in (row, *rows)
                     if entries[i].marked and entries[i].marking]
            return rollup_portions(marks) if marks else None
    return None
