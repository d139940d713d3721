"""Markings (DESIGN §3): grammar, registry, roll-up, dominance, releasability. No Qt here."""

from __future__ import annotations

from .clearance import Clearance, dominates, parse_clearance
from .destinations import Destination, destination, destinations
from .dominance import at_least, lowers
from .errors import MarkingError, Rule
from .grammar import is_valid, parse
from .level import Level
from .model import Marking
from .registry import Registry, registry
from .releasability import Decision, releasable
from .rollup import rollup

__all__ = [
    "Clearance",
    "Decision",
    "Destination",
    "Level",
    "Marking",
    "MarkingError",
    "Registry",
    "Rule",
    "at_least",
    "destination",
    "destinations",
    "dominates",
    "is_valid",
    "lowers",
    "parse",
    "parse_clearance",
    "registry",
    "releasable",
    "rollup",
]
