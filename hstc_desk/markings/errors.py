"""MarkingError, raised for a marking that breaks the grammar or a rule of DESIGN §3; the rules."""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    """The rule a refused marking breaks; the value is the human wording shown to the analyst."""

    SYNTAX = "categories are separated by // and values inside one by /"
    CLASSIFICATION_FIRST = "a marking starts with exactly one classification"
    UNKNOWN_TOKEN = "every token must be in the marking registry"
    ONE_CATEGORY_PER_SEGMENT = "each // segment holds one category, and each category one segment"
    DUPLICATE = "no token may appear twice"
    CLASSIFIED_ONLY = "ORCON, IMCON and SCI only on classified portions"
    FOUO_UNCLASSIFIED = "FOUO only on unclassified portions"
    NOFORN_REL_TO = "NOFORN and REL TO never stand together"
    USA_FIRST = "a REL TO list names USA first"
    REL_TO_FOREIGN = "a REL TO list names a country besides USA (otherwise NOFORN)"
    RELIDO_NOFORN = "RELIDO and NOFORN never stand together"
    LES_ONCE = "LES-NF already includes LES; use one of them"
    LES_NF_REL_TO = "LES-NF and REL TO never stand together"
    CLEARANCE = "a clearance holds a classification and SCI systems only"


class MarkingError(ValueError):
    """A marking was refused. ``token`` is the offending token (None when there is none to name),
    ``rule`` the rule it breaks; ``str(e)`` names both."""

    token: str | None
    rule: str

    def __init__(self, token: str | None, rule: str, message: str) -> None:
        self.token = token
        self.rule = rule
        self.message = message
        super().__init__(f"{message} (rule: {rule})")

    def __reduce__(self) -> tuple[type[MarkingError], tuple[str | None, str, str]]:
        return (type(self), (self.token, str(self.rule), self.message))
