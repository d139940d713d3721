"""The streaming, deterministic generator of the demo world.

Everything is drawn from one `random.Random(seed)` and fixed base dates, so a seed always gives
the same sequence. Only small pools are kept (locations, networks and a few recent ids per
network), so a million items stream in constant memory. An item is yielded before anything that
refers to it, and a link only after both its ends.
"""

from __future__ import annotations

from collections.abc import Iterator

from hstc_desk.demo.episodes import Episodes
from hstc_desk.demo.geography import CORRIDORS
from hstc_desk.demo.tables import (
    ITEMS_PER_NEW_NETWORK,
    MAX_NETWORKS,
)
from hstc_desk.domain.item import Item
from hstc_desk.domain.links import Link


class World(Episodes):
    """One pass of generation; `items()` yields items and links in dependency order."""

    # -- the stream ------------------------------------------------------------------------

    def _stream(self) -> Iterator[Item | Link]:
        for corridor in CORRIDORS:
            yield from self._corridor_locations(corridor)
        for corridor in CORRIDORS:
            for _ in range(2):
                yield from self._new_network(corridor)
        episodes = {
            "recruit": self._recruit,
            "journey": self._journey,
            "report": self._report,
            "comms": self._comms,
            "arrest": self._arrest,
            "finance": self._finance,
            "documents": self._documents,
            "witness": self._witness,
        }
        rng = self.rng
        next_network = ITEMS_PER_NEW_NETWORK
        while True:
            if self.emitted >= next_network and len(self.networks) < MAX_NETWORKS:
                next_network += ITEMS_PER_NEW_NETWORK
                yield from self._new_network(rng.choice(CORRIDORS))
            net = rng.choice(self.networks)
            yield from episodes[self.episode_pick(rng)](net)

    def items(self, n_items: int) -> Iterator[Item | Link]:
        """The first `n_items` items of the world, with the links among them."""
        if n_items <= 0:
            return
        for obj in self._stream():
            if isinstance(obj, Link):
                yield obj
                continue
            if self.emitted >= n_items:
                return
            self.emitted += 1
            yield obj
