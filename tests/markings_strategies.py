"""Hypothesis strategies for markings, for reuse by any test:

from markings_strategies import valid_markings, marking_lists
"""

from __future__ import annotations

from hypothesis import strategies as st

from hstc_desk.markings import Level, Marking

# A small pool so that REL TO lists overlap often; groups included to exercise expansion.
REL_POOL = ("AUS", "CAN", "GBR", "NZL", "MEX", "DEU", "FRA", "FVEY", "ACGU", "TEYE")
SCI = ("HCS", "SI", "TK")


def _subset(items: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(items), max_size=len(items))


@st.composite
def valid_markings(
    draw: st.DrawFn, min_level: Level = Level.U, max_level: Level = Level.TS
) -> Marking:
    """Any valid Marking with min_level <= level <= max_level (every rule of DESIGN §3 kept)."""
    level = draw(st.sampled_from([lv for lv in Level if min_level <= lv <= max_level]))
    classified = level > Level.U
    release = draw(st.sampled_from(("none", "noforn", "rel")))
    rel_to: tuple[str, ...] | None = None
    dissem: set[str] = set()
    if release == "rel":
        rel_to = ("USA", *sorted(draw(st.frozensets(st.sampled_from(REL_POOL), min_size=1))))
    elif release == "noforn":
        dissem.add("NOFORN")
    sci = draw(_subset(SCI)) if classified else frozenset()
    optional = ("ORCON", "IMCON", "PROPIN") if classified else ("PROPIN", "FOUO")
    dissem |= draw(_subset(optional))
    if release != "noforn" and draw(st.booleans()):
        dissem.add("RELIDO")
    non_ic_choices: list[frozenset[str]] = [frozenset(), frozenset({"LES"})]
    if rel_to is None:
        non_ic_choices.append(frozenset({"LES-NF"}))
    non_ic = draw(st.sampled_from(non_ic_choices))
    return Marking(level, sci, frozenset(dissem), rel_to, non_ic)


def marking_lists(min_size: int = 0, max_size: int = 8) -> st.SearchStrategy[list[Marking]]:
    """Lists of valid markings: the portions of a document."""
    return st.lists(valid_markings(), min_size=min_size, max_size=max_size)
