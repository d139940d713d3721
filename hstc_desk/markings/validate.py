"""Rule 9 of DESIGN §3 on a built marking: the checks that do not depend on how it was written."""

from __future__ import annotations

from typing import Protocol

from .errors import MarkingError, Rule
from .level import Level
from .registry import REL_TO, USA, level_word, registry


class MarkingParts(Protocol):
    """What the checks read of a marking (``model.Marking`` has it; the model calls ``check``
    while it is being built, so this module never imports it)."""

    level: Level
    sci: frozenset[str]
    dissem: frozenset[str]
    rel_to: tuple[str, ...] | None
    non_ic: frozenset[str]


def check(m: MarkingParts) -> None:
    """Raise MarkingError naming the token and rule when ``m`` breaks a rule."""
    reg = registry()
    for s in sorted(m.sci - set(reg.sci)):
        raise MarkingError(s, Rule.UNKNOWN_TOKEN, f"{s}: unknown SCI control system")
    if REL_TO in m.dissem:
        raise MarkingError(
            REL_TO, Rule.UNKNOWN_TOKEN, "REL TO: its list goes in rel_to, not dissem"
        )
    for d in sorted(m.dissem - set(reg.dissem)):
        raise MarkingError(d, Rule.UNKNOWN_TOKEN, f"{d}: unknown dissemination control")
    for n in sorted(m.non_ic - set(reg.non_ic)):
        raise MarkingError(n, Rule.UNKNOWN_TOKEN, f"{n}: unknown non-IC control")
    if m.rel_to is not None:
        _check_rel_to(m.rel_to)
    if m.level == Level.U:
        for name in (*sorted(m.sci), *sorted(m.dissem & {"ORCON", "IMCON"})):
            raise MarkingError(
                name,
                Rule.CLASSIFIED_ONLY,
                f"{name} on an unclassified portion: {name} requires a classified portion",
            )
    elif "FOUO" in m.dissem:
        raise MarkingError(
            "FOUO",
            Rule.FOUO_UNCLASSIFIED,
            f"FOUO on a {level_word(m.level)} portion: FOUO marks unclassified information only",
        )
    if "NOFORN" in m.dissem and m.rel_to is not None:
        raise MarkingError(
            "NOFORN",
            Rule.NOFORN_REL_TO,
            "NOFORN with REL TO: a marking cannot both forbid and grant foreign release",
        )
    if "NOFORN" in m.dissem and "RELIDO" in m.dissem:
        raise MarkingError(
            "RELIDO", Rule.RELIDO_NOFORN, "RELIDO with NOFORN: NOFORN leaves nothing to release"
        )
    if {"LES", "LES-NF"} <= m.non_ic:
        raise MarkingError("LES-NF", Rule.LES_ONCE, "LES with LES-NF: LES-NF already is LES")
    if "LES-NF" in m.non_ic and m.rel_to is not None:
        raise MarkingError(
            "LES-NF", Rule.LES_NF_REL_TO, "LES-NF with REL TO: LES-NF forbids foreign release"
        )


def _check_rel_to(rel_to: tuple[str, ...]) -> None:
    reg = registry()
    listed = "REL TO " + ", ".join(rel_to)
    if not rel_to or rel_to[0] != USA:
        raise MarkingError(listed, Rule.USA_FIRST, f"{listed}: the list must start with USA")
    seen: set[str] = set()
    for code in rel_to:
        if not reg.is_rel_entry(code):
            raise MarkingError(
                code, Rule.UNKNOWN_TOKEN, f"{code} in {listed}: unknown country or group code"
            )
        if code in seen:
            raise MarkingError(code, Rule.DUPLICATE, f"{code} appears twice in {listed}")
        seen.add(code)
    if reg.expand(rel_to) == {USA}:
        raise MarkingError(
            listed, Rule.REL_TO_FOREIGN, f"{listed}: releasable to USA alone means NOFORN"
        )
