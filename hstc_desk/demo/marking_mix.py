"""Which portion markings each originator uses, and how often (weights), for the demo world.

Intelligence-community originators mark with SCI and ORCON and restrict use to leads;
law enforcement marks LES; foreign partners mark REL TO. Every marking here must parse.
"""

from __future__ import annotations

from typing import Final

from hstc_desk.domain.agencies import is_ic_originator

PORTION_MARKINGS: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    # intelligence community
    "CIA": (
        ("(S//NF)", 30),
        ("(S//OC/NF)", 25),
        ("(TS//HCS/SI//OC/NF)", 8),
        ("(S//REL TO USA, FVEY)", 12),
        ("(C//NF)", 10),
        ("(TS//OC/NF)", 5),
        ("(U)", 10),
    ),
    "NSA": (
        ("(S//SI//NF)", 40),
        ("(TS//SI//NF)", 20),
        ("(TS//SI//OC/NF)", 15),
        ("(S//SI//REL TO USA, FVEY)", 15),
        ("(U)", 10),
    ),
    "DIA": (
        ("(S//NF)", 35),
        ("(S//REL TO USA, FVEY)", 25),
        ("(C//REL TO USA, FVEY)", 10),
        ("(TS//SI//NF)", 10),
        ("(C//NF)", 10),
        ("(U)", 10),
    ),
    "NCTC": (
        ("(S//NF)", 40),
        ("(S//OC/NF)", 20),
        ("(TS//SI//OC/NF)", 10),
        ("(TS//HCS/SI//OC/NF)", 5),
        ("(U//FOUO)", 10),
        ("(U)", 10),
    ),
    # US law enforcement and other departments
    "CBP": (
        ("(U//LES)", 30),
        ("(U//FOUO)", 30),
        ("(U)", 15),
        ("(C//LES)", 10),
        ("(S//NF//LES)", 5),
        ("(C//NF)", 5),
        ("(U//LES-NF)", 5),
    ),
    "ICE-HSI": (
        ("(U//LES)", 35),
        ("(U//FOUO)", 15),
        ("(C//LES)", 15),
        ("(S//NF//LES)", 10),
        ("(U//LES-NF)", 5),
        ("(U)", 10),
        ("(S//REL TO USA, MEX//LES)", 5),
    ),
    "FBI": (
        ("(U//LES)", 20),
        ("(U//FOUO)", 15),
        ("(S//NF)", 20),
        ("(C//NF//LES)", 10),
        ("(S//NF//LES)", 15),
        ("(U)", 10),
        ("(C//LES)", 10),
    ),
    "DOS-DS": (
        ("(U//FOUO)", 25),
        ("(U)", 20),
        ("(C//NF)", 15),
        ("(S//NF)", 15),
        ("(U//LES)", 20),
        ("(C//REL TO USA, MEX)", 5),
    ),
    "TSA": (
        ("(U//FOUO)", 40),
        ("(U//LES)", 20),
        ("(U)", 20),
        ("(C//NF)", 10),
        ("(S//NF)", 10),
    ),
    "USCG": (
        ("(U//FOUO)", 30),
        ("(U//LES)", 30),
        ("(U)", 20),
        ("(C//REL TO USA, FVEY)", 10),
        ("(S//NF)", 10),
    ),
    # foreign partners and international organizations
    "EUROPOL": (
        ("(C//REL TO USA, ITA)", 20),
        ("(S//REL TO USA, GBR)", 10),
        ("(C//REL TO USA, FVEY)", 15),
        ("(U//FOUO)", 20),
        ("(U)", 35),
    ),
    "FRONTEX": (
        ("(U)", 35),
        ("(U//FOUO)", 20),
        ("(C//REL TO USA, ITA)", 25),
        ("(C//REL TO USA, GBR)", 20),
    ),
    "INTERPOL": (("(U)", 40), ("(U//FOUO)", 30), ("(U//LES)", 20), ("(C//REL TO USA, GBR)", 10)),
    "UNODC": (("(U)", 70), ("(U//FOUO)", 30)),
    "GBR-NCA": (
        ("(S//REL TO USA, GBR)", 35),
        ("(S//REL TO USA, FVEY)", 25),
        ("(C//REL TO USA, GBR)", 20),
        ("(C//REL TO USA, GBR//LES)", 10),
        ("(U)", 10),
    ),
    "CAN-RCMP": (
        ("(S//REL TO USA, CAN)", 30),
        ("(C//REL TO USA, FVEY)", 30),
        ("(U)", 20),
        ("(U//LES)", 20),
    ),
    "AUS-AFP": (("(S//REL TO USA, AUS)", 40), ("(S//REL TO USA, FVEY)", 40), ("(U)", 20)),
    "MEX-FGR": (
        ("(S//REL TO USA, MEX)", 35),
        ("(C//REL TO USA, MEX)", 30),
        ("(U//LES)", 15),
        ("(U)", 20),
    ),
    "ITA-SCO": (
        ("(C//REL TO USA, ITA)", 35),
        ("(S//REL TO USA, ITA)", 25),
        ("(S//REL TO USA, FVEY, ITA)", 10),
        ("(U)", 30),
    ),
}

LEADS_ONLY_SHARE: Final = 0.85
"""How often an intelligence-community item carries the leads-only use restriction."""


def all_portion_markings() -> list[str]:
    """Every portion marking the demo world uses (for checking them against the engine)."""
    seen: dict[str, None] = {}
    for table in PORTION_MARKINGS.values():
        for marking, _ in table:
            seen.setdefault(marking, None)
    return list(seen)


def is_ic(originator: str) -> bool:
    """True for an intelligence-community originator."""
    return is_ic_originator(originator)
