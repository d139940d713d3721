"""Originating agencies known to the desk, and which of them belong to the intelligence community.

An originator code outside this table is still accepted (any code matching `AGENCY_PATTERN`);
the table feeds pick lists, the demo world and the default use restriction.
"""

from __future__ import annotations

from typing import Final, Literal

AgencyGroup = Literal["ic", "us_law_enforcement", "partner"]

AGENCY_PATTERN: Final = r"^[A-Z][A-Z0-9]{1,11}(-[A-Z0-9]{1,12})?$"

AGENCIES: Final[dict[str, tuple[str, AgencyGroup]]] = {
    "CIA": ("Central Intelligence Agency", "ic"),
    "NSA": ("National Security Agency", "ic"),
    "DIA": ("Defense Intelligence Agency", "ic"),
    "NCTC": ("National Counterterrorism Center", "ic"),
    "CBP": ("U.S. Customs and Border Protection", "us_law_enforcement"),
    "ICE-HSI": ("ICE Homeland Security Investigations", "us_law_enforcement"),
    "FBI": ("Federal Bureau of Investigation", "us_law_enforcement"),
    "DOS-DS": ("Diplomatic Security Service", "us_law_enforcement"),
    "TSA": ("Transportation Security Administration", "us_law_enforcement"),
    "USCG": ("U.S. Coast Guard", "us_law_enforcement"),
    "EUROPOL": ("European Union Agency for Law Enforcement Cooperation", "partner"),
    "FRONTEX": ("European Border and Coast Guard Agency", "partner"),
    "INTERPOL": ("International Criminal Police Organization", "partner"),
    "UNODC": ("United Nations Office on Drugs and Crime", "partner"),
    "GBR-NCA": ("UK National Crime Agency", "partner"),
    "CAN-RCMP": ("Royal Canadian Mounted Police", "partner"),
    "AUS-AFP": ("Australian Federal Police", "partner"),
    "MEX-FGR": ("Fiscalia General de la Republica (Mexico)", "partner"),
    "ITA-SCO": ("Servizio Centrale Operativo (Italy)", "partner"),
}

IC_ORIGINATORS: Final[frozenset[str]] = frozenset(
    code for code, (_, group) in AGENCIES.items() if group == "ic"
)


def is_ic_originator(code: str) -> bool:
    """True for an intelligence-community originator (whose items default to leads only)."""
    return code in IC_ORIGINATORS
