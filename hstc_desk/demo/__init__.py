"""Deterministic synthetic data set: networks, people, routes, documents, events, reports."""

from __future__ import annotations

from collections.abc import Iterator

from hstc_desk.demo.geography import CORRIDORS, Corridor, Place
from hstc_desk.demo.users import DEMO_ACCREDITATION, DEMO_USERS
from hstc_desk.demo.world import World
from hstc_desk.domain.item import Item
from hstc_desk.domain.links import Link


def generate(n_items: int, seed: int = 0) -> Iterator[Item | Link]:
    """Stream `n_items` demo items (links come extra, about one per item), the same for a seed.

    Every item is yielded before anything that refers to it (a link, a case id, a location id,
    a participant), so a consumer can insert in order with foreign keys on.
    """
    return World(seed).items(n_items)


__all__ = ["CORRIDORS", "DEMO_ACCREDITATION", "DEMO_USERS", "Corridor", "Place", "generate"]
