"""Roll-up of portion marks to the banner, DESIGN §3 rules 1-8."""

from __future__ import annotations

from collections.abc import Iterable

from .level import Level
from .model import Marking
from .registry import USA, registry


def rollup(markings: Iterable[Marking]) -> Marking:
    """The banner of a document whose portions are ``markings`` (empty: unclassified).

    Rules: highest classification; SCI union; NOFORN from any portion (and from LES-NF in a
    classified document), and then no REL TO and no RELIDO; REL TO only when every classified
    portion carries it (and no LES-NF), as the intersection of all REL TO lists present (group
    codes expanded, shown as trigraphs; unclassified portions carrying REL TO narrow it too, those
    without it are unrestricted), USA alone becoming NOFORN; ORCON, IMCON, PROPIN from any
    portion; RELIDO only when every classified portion (every portion, in an unclassified
    document) carries it; FOUO only in an unclassified document
    without LES or LES-NF; LES rolls up, LES-NF becomes NOFORN + LES in a classified document and
    stays LES-NF in an unclassified one. The result is always a valid Marking.
    """
    ms = list(markings)
    if not ms:
        return Marking(Level.U)
    level = max(m.level for m in ms)
    classified = level > Level.U
    sci = frozenset().union(*(m.sci for m in ms))
    dissem = frozenset().union(*(m.dissem for m in ms)) & {"ORCON", "IMCON", "PROPIN"}
    les = any("LES" in m.non_ic for m in ms)
    les_nf = any("LES-NF" in m.non_ic for m in ms)
    noforn = any("NOFORN" in m.dissem for m in ms) or (classified and les_nf)

    rel_to: tuple[str, ...] | None = None
    classified_portions = [m for m in ms if m.level > Level.U]
    with_rel = [m.rel_countries() for m in ms if m.rel_to is not None]
    every_rel = all(m.rel_to is not None for m in classified_portions)
    if not noforn and not les_nf and with_rel and every_rel:
        common = frozenset.intersection(*(c for c in with_rel if c is not None))
        if common - {USA}:
            rel_to = registry().canonical_rel_to(set(common))
        else:
            noforn = True
    if noforn:
        dissem |= {"NOFORN"}
    elif all("RELIDO" in m.dissem for m in (classified_portions if classified else ms)):
        dissem |= {"RELIDO"}
    if not classified and not (les or les_nf) and any("FOUO" in m.dissem for m in ms):
        dissem |= {"FOUO"}

    if classified:
        non_ic = frozenset({"LES"}) if les or les_nf else frozenset()
    else:
        non_ic = frozenset({"LES-NF"}) if les_nf else frozenset({"LES"}) if les else frozenset()
    return Marking(level, sci, dissem, rel_to, non_ic)

