"""The restrictiveness order on markings: is one marking at least as restrictive as another?

This is the one order every "would this lower a marking?" question uses (merge, edit, import,
products, conflict resolution). It is a partial order, never a count of controls: two markings
can be incomparable (``(S//REL TO USA, GBR)`` and ``(S//REL TO USA, FRA)``; ``(TS//SI)`` and
``(S//HCS)``), and then only their roll-up is at least both.

``a`` is at least as restrictive as ``b`` when, after writing each as a banner would (group codes
expanded; LES-NF on a classified marking read as NOFORN + LES; REL TO USA alone read as NOFORN):

1. classification: ``a``'s level is at least ``b``'s;
2. SCI: ``a``'s control systems contain ``b``'s;
3. foreign release, from least to most restrictive:
   an unclassified marking with no REL TO (no foreign restriction at all)
   < a REL TO list (list A is at least list B when A's countries are a subset of B's)
   < a classified marking with neither REL TO nor NOFORN (no release decision was made, so it
     goes to no foreign destination, yet it is not NOFORN: DESIGN §3 releasability refuses it
     abroad, and the roll-up drops REL TO from a banner once any classified portion lacks it)
   < NOFORN or LES-NF (never abroad);
   a NOFORN token in ``b`` needs one in ``a`` (an unclassified LES-NF alone does not carry it);
4. ORCON, IMCON, PROPIN: ``a`` carries each one ``b`` carries;
5. RELIDO loosens (it lets a disclosure official release): ``a`` may carry it only when ``b``
   does too, or when ``a`` is classified and ``b`` is not (the banner rule looks only at classified
   portions);
6. LES and LES-NF: if ``b`` carries either, ``a`` carries one; an unclassified ``a`` carries LES-NF
   when ``b`` does (a classified ``a`` then carries NOFORN + LES, rule 3);
7. FOUO (unclassified only): an unclassified ``a`` without LES carries FOUO when ``b`` does (LES
   supersedes FOUO, and any classification does).

This order and ``rollup`` agree: ``at_least(a, b)`` holds if and only if ``rollup([a, b])``
equals ``rollup([a])``, and the roll-up of any markings is at least each of them. It is an upper
bound, not always the least one, and a roll-up of roll-ups can say more than the roll-up of all:
``(U//REL TO USA, AUS)`` and ``(U//REL TO USA, CAN)`` roll up to ``(U//NF)``, and that with
``(C)`` to ``(C//NF)``, while all three roll up to ``(C)`` (REL TO, and the NOFORN of an empty
list, only count when every classified portion carries REL TO). So whatever must not depend on
order (the merge) rolls up the markings as they arrived, never a roll-up it kept. The property
tests check the agreement, the laws of a partial order, and that a marking at least as
restrictive as another is releasable to no destination the other is not.
"""

from __future__ import annotations

from functools import lru_cache

from .level import Level
from .model import Marking
from .rollup import rollup

_ORIGINATOR_CONTROLS = frozenset({"ORCON", "IMCON", "PROPIN"})

# Foreign release, least to most restrictive (rule 3).
_OPEN, _REL_TO, _NO_DECISION, _NO_FOREIGN = range(4)


def _release(m: Marking) -> int:
    if m.noforn:
        return _NO_FOREIGN
    if m.rel_to is not None:
        return _REL_TO
    return _NO_DECISION if m.is_classified else _OPEN


@lru_cache(maxsize=16384)
def _banner_form(m: Marking) -> Marking:
    return rollup([m])


def _les(m: Marking) -> bool:
    return bool(m.non_ic & {"LES", "LES-NF"})


@lru_cache(maxsize=65536)
def at_least(a: Marking, b: Marking) -> bool:
    """True when ``a`` is at least as restrictive as ``b`` in every respect (module docstring),
    so that showing or sending ``b``'s content under ``a`` lowers nothing."""
    a, b = _banner_form(a), _banner_form(b)
    if a.level < b.level or not a.sci >= b.sci:
        return False
    if not (a.dissem & _ORIGINATOR_CONTROLS) >= (b.dissem & _ORIGINATOR_CONTROLS):
        return False
    ra, rb = _release(a), _release(b)
    if ra < rb or ("NOFORN" in b.dissem and "NOFORN" not in a.dissem):
        return False
    if ra == rb == _REL_TO and not a.rel_countries() <= b.rel_countries():  # type: ignore[operator]
        return False
    if "RELIDO" in a.dissem and "RELIDO" not in b.dissem and not (
            a.is_classified and not b.is_classified):
        return False
    if _les(b) and not _les(a):
        return False
    unclassified = a.level == Level.U
    if unclassified and "LES-NF" in b.non_ic and "LES-NF" not in a.non_ic:
        return False
    return not (unclassified and "FOUO" in b.dissem and "FOUO" not in a.dissem and not _les(a))


def lowers(old: Marking, new: Marking) -> bool:
    """True when ``new`` is less restrictive than ``old`` in any way (DESIGN §3 rule 9): it is
    not at least as restrictive, whether it is below ``old`` or incomparable with it."""
    return not at_least(new, old)

