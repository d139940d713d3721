"""Reading markings: portion marks and banners, short or long forms, with or without parentheses.

Input is upper-cased and whitespace-tolerant (runs of spaces collapse; spaces around ``//``, ``/``
and ``,`` are ignored). The classification must come first. After it, every token belongs to
exactly one category of the registry, so the order of the ``//`` segments and of the values inside
a segment is unambiguous and is accepted in any order; output is always canonical. What stays
refused: a segment mixing categories (``SI/NF``), a category split over two segments
(``NF//OC``), a REL TO list not starting with USA, and every rule of DESIGN §3 rule 9.
"""

from __future__ import annotations

import re

from .errors import MarkingError, Rule
from .level import Level
from .model import Marking
from .registry import REL_TO, Registry, registry

_REL_TO = re.compile(r"^REL TO\b(.*)$")
_CATEGORY_NAMES = {"sci": "SCI", "dissem": "dissemination", "non_ic": "non-IC"}


def normalise(text: str) -> str:
    """Upper-case, collapse whitespace, strip spaces around separators and outer parentheses."""
    s = " ".join(text.split()).upper()
    s = re.sub(r"\s*(//|/|,)\s*", r"\1", s)
    if s.startswith("(") or s.endswith(")"):
        if not (s.startswith("(") and s.endswith(")")):
            raise MarkingError(s, Rule.SYNTAX, f"{s}: unbalanced parentheses")
        s = s[1:-1].strip()
    if "(" in s or ")" in s:
        raise MarkingError(s, Rule.SYNTAX, f"{s}: parentheses may only enclose the whole mark")
    return s


def parse(text: str) -> Marking:
    """Parse a portion mark or banner, validate it, return the canonical Marking.

    Raises MarkingError naming the offending token and the rule it breaks."""
    if not isinstance(text, str):
        raise TypeError(f"a marking is text, not {type(text).__name__}")
    s = normalise(text)
    if not s:
        raise MarkingError(None, Rule.CLASSIFICATION_FIRST, "empty marking: no classification")
    reg = registry()
    first, *rest = s.split("//")
    level = _level(first, reg)
    cats: dict[str, set[str]] = {"sci": set(), "dissem": set(), "non_ic": set()}
    seen: set[str] = set()
    rel_to: tuple[str, ...] | None = None
    for segment in rest:
        if not segment:
            raise MarkingError(s, Rule.SYNTAX, f"{s}: empty category between //")
        kinds: set[str] = set()
        for token in segment.split("/"):
            if not token:
                raise MarkingError(segment, Rule.SYNTAX, f"{segment}: empty value between /")
            kind, name, rel = _token(token, reg)
            if name in cats[kind]:
                raise MarkingError(name, Rule.DUPLICATE, f"{name} appears twice in {s}")
            cats[kind].add(name)
            if rel is not None:
                rel_to = rel
            kinds.add(kind)
        if len(kinds) > 1:
            named = " and ".join(_CATEGORY_NAMES[k] for k in sorted(kinds))
            raise MarkingError(
                segment, Rule.ONE_CATEGORY_PER_SEGMENT, f"{segment}: mixes {named} controls"
            )
        (kind,) = kinds
        if kind in seen:
            raise MarkingError(
                segment,
                Rule.ONE_CATEGORY_PER_SEGMENT,
                f"{segment}: {_CATEGORY_NAMES[kind]} controls split over two segments",
            )
        seen.add(kind)
    cats["dissem"].discard(REL_TO)
    return Marking(
        level, frozenset(cats["sci"]), frozenset(cats["dissem"]), rel_to, frozenset(cats["non_ic"])
    )


def is_valid(text: str) -> bool:
    """True when ``parse(text)`` would succeed."""
    try:
        parse(text)
    except MarkingError:
        return False
    return True


def _level(word: str, reg: Registry) -> Level:
    if word in reg.level_by_word:
        return reg.level_by_word[word]
    if not word:
        raise MarkingError(None, Rule.CLASSIFICATION_FIRST, "no classification before //")
    head = word.split("/")[0]
    if "/" in word and head in reg.level_by_word:
        raise MarkingError(
            word, Rule.SYNTAX, f"{word}: the classification is followed by //, not /"
        )
    if _known_non_level(head, reg):
        raise MarkingError(
            head, Rule.CLASSIFICATION_FIRST, f"{head}: the marking must start with a classification"
        )
    raise MarkingError(word, Rule.UNKNOWN_TOKEN, f"{word}: unknown classification")


def _known_non_level(token: str, reg: Registry) -> bool:
    return (
        token in reg.sci
        or token in reg.dissem_by_word
        or token in reg.non_ic
        or bool(_REL_TO.match(token))
    )


def _token(token: str, reg: Registry) -> tuple[str, str, tuple[str, ...] | None]:
    """(category, canonical name, REL TO list or None) of one token."""
    if m := _REL_TO.match(token):
        return "dissem", REL_TO, _rel_list(m.group(1).strip(), reg)
    if token in reg.sci:
        return "sci", token, None
    if token in reg.dissem_by_word:
        return "dissem", reg.dissem_by_word[token], None
    if token in reg.non_ic:
        return "non_ic", token, None
    if token in reg.level_by_word:
        raise MarkingError(
            token, Rule.CLASSIFICATION_FIRST, f"{token}: a second classification in one marking"
        )
    raise MarkingError(token, Rule.UNKNOWN_TOKEN, f"{token}: unknown marking token")


def _rel_list(body: str, reg: Registry) -> tuple[str, ...]:
    codes = tuple(body.split(",")) if body else ()
    listed = f"{REL_TO} {', '.join(codes)}".strip()
    if not codes:
        raise MarkingError(listed, Rule.USA_FIRST, f"{listed}: the list is empty")
    for code in codes:
        if not reg.is_rel_entry(code):
            raise MarkingError(
                code, Rule.UNKNOWN_TOKEN, f"{code} in {listed}: unknown country or group code"
            )
    if codes[0] != "USA":
        raise MarkingError(listed, Rule.USA_FIRST, f"{listed}: the list must start with USA")
    dup = next((c for i, c in enumerate(codes) if c in codes[:i]), None)
    if dup is not None:
        raise MarkingError(dup, Rule.DUPLICATE, f"{dup} appears twice in {listed}")
    return reg.canonical_rel_to(set(codes))
