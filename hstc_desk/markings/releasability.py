"""May an item with this marking go to that destination? (DESIGN §3, releasability and use
restriction)."""

from __future__ import annotations

from dataclasses import dataclass

from .destinations import Destination
from .model import Marking
from .registry import level_word


@dataclass(frozen=True)
class Decision:
    """``ok`` and, when not ok, every reason joined by "; " (reason is "" when ok)."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


def releasable(
    marking: Marking,
    dest: Destination,
    *,
    originator_release: bool = False,
    use_restricted: bool = False,
) -> Decision:
    """Decide release of ``marking`` to ``dest``.

    Refused when: the classification is above the destination's maximum; NOFORN or LES-NF to a
    foreign destination; ORCON without the originator's release to a foreign or prosecution-use
    destination; a REL TO list missing the destination's country (or any member of an
    organization); a classified marking without REL TO to a foreign destination (no release
    decision was made); a use-restricted item to a prosecution-use destination. Domestic
    destinations take anything up to their maximum, NOFORN included.
    """
    why: list[str] = []
    if marking.level > dest.max_level:
        why.append(
            f"{level_word(marking.level)}: above the maximum for {dest.code} "
            f"({level_word(dest.max_level)})"
        )
    if dest.foreign and marking.noforn:
        token = "NOFORN" if "NOFORN" in marking.dissem else "LES-NF"
        why.append(f"{token}: not releasable to foreign destination {dest.code}")
    if (
        "ORCON" in marking.dissem
        and not originator_release
        and (dest.foreign or dest.prosecution_use)
    ):
        why.append(f"ORCON: needs the originator's release for {dest.code}")
    countries = marking.rel_countries()
    if countries is not None:
        if missing := sorted(dest.countries - countries):
            rel = "REL TO " + ", ".join(marking.rel_to or ())
            why.append(f"{rel}: does not include {', '.join(missing)} ({dest.code})")
    elif dest.foreign and marking.is_classified and not marking.noforn:
        why.append(
            f"no REL TO: no release decision for foreign destination {dest.code} "
            f"on a {level_word(marking.level)} marking"
        )
    if use_restricted and dest.prosecution_use:
        why.append(
            f"use restricted: for investigative leads only, not for prosecution use ({dest.code})"
        )
    return Decision(not why, "; ".join(why))
