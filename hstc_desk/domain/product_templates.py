"""A template per product type: the sections a new draft starts with (DESIGN §5, issue 11)."""

from __future__ import annotations

from typing import Final

from hstc_desk.domain.product_portions import Heading, Paragraph, PortionInput

TYPE_LABELS: Final[dict[str, str]] = {
    "intelligence_bulletin": "Intelligence bulletin",
    "intelligence_report": "Intelligence report",
    "strategic_assessment": "Strategic assessment",
    "target_assessment": "Target assessment",
    "target_package": "Target package",
    "referral": "Referral",
}

_TARGET: Final = ("Subject", "Network", "Routes", "Associates", "Recommended actions")

SECTIONS: Final[dict[str, tuple[str, ...]]] = {
    "intelligence_bulletin": ("Summary", "Details", "Indicators"),
    "intelligence_report": ("Summary", "Source and context", "Details", "Analyst comment"),
    "strategic_assessment": ("Key judgments", "Scope note", "Discussion", "Outlook"),
    "target_assessment": _TARGET,
    "target_package": _TARGET,
    "referral": ("Issue", "Basis", "Recommended action", "Points of contact"),
}


def sections(product_type: str) -> tuple[str, ...]:
    """The section headings of a type's template (KeyError for an unknown type)."""
    return SECTIONS[product_type]


def template_portions(product_type: str, marking: str = "(U)", *,
                      placeholders: bool = False) -> list[PortionInput]:
    """A new draft's portions: one heading per section, marked ``marking`` (the headings are
    unclassified section names by default), each followed by an empty-looking paragraph when
    ``placeholders`` (a paragraph must hold text, so it says what goes there)."""
    out: list[PortionInput] = []
    for name in sections(product_type):
        out.append(Heading(marking=marking, text=name))
        if placeholders:
            out.append(Paragraph(marking=marking, text=f"[{name}: to be written]"))
    return out
