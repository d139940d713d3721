"""Weighted tables, the time span and small helpers of the demo world."""

from __future__ import annotations

import random
from bisect import bisect
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any, Final

START: Final = datetime(2019, 1, 1, tzinfo=UTC)
END: Final = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
T0: Final = int(START.timestamp())
SPAN: Final = int(END.timestamp()) - T0
DAY: Final = 86400
MAX_NETWORKS: Final = 400
ITEMS_PER_NEW_NETWORK: Final = 2500
MEMBERS: Final = 16
RECENT: Final = 8

ORG_TYPES: Final = (
    ("smuggling_network", 58),
    ("trafficking_ring", 20),
    ("money_laundering_cell", 8),
    ("document_fraud_ring", 8),
    ("transport_company", 6),
)
MEMBER_ROLES: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    "smuggling_network": (
        ("smuggler", 30),
        ("facilitator", 20),
        ("transporter", 25),
        ("recruiter", 10),
        ("financier", 10),
        ("forger", 5),
    ),
    "trafficking_ring": (
        ("recruiter", 35),
        ("smuggler", 15),
        ("facilitator", 20),
        ("transporter", 10),
        ("financier", 10),
        ("forger", 10),
    ),
    "money_laundering_cell": (("financier", 60), ("facilitator", 30), ("recruiter", 10)),
    "document_fraud_ring": (("forger", 60), ("facilitator", 25), ("financier", 15)),
    "transport_company": (("transporter", 60), ("facilitator", 25), ("official", 15)),
}
EPISODES: Final = (
    ("recruit", 16),
    ("journey", 30),
    ("report", 20),
    ("comms", 10),
    ("arrest", 6),
    ("finance", 7),
    ("documents", 8),
    ("witness", 3),
)
DOC_TYPES: Final = (
    ("passport", 60),
    ("visa", 15),
    ("national_id", 15),
    ("residence_permit", 7),
    ("seaman_book", 3),
)
FRAUD_TYPES: Final = (
    ("counterfeit", 30),
    ("forged", 25),
    ("impostor", 25),
    ("fraudulently_obtained", 12),
    ("stolen_blank", 8),
)
RELIABILITY: Final = (("A", 5), ("B", 30), ("C", 35), ("D", 15), ("E", 5), ("F", 10))
CREDIBILITY: Final = ((1, 5), (2, 30), (3, 35), (4, 15), (5, 5), (6, 10))
CASE_STATUS: Final = (("open", 55), ("closed", 30), ("suspended", 15))
LETTERS: Final = "ABCDEFGHJKLMNPRSTUVWXYZ"


class Pick:
    """Weighted choice with precomputed cumulative weights (faster than Random.choices)."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: tuple[tuple[Any, int], ...]) -> None:
        self.values = [value for value, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random() * self.total)]


def to_datetime(ts: int) -> datetime:
    """A UTC datetime from POSIX seconds."""
    return datetime.fromtimestamp(ts, UTC)
