"""Convergence: three workstations exchanging bundles in random orders (replays, out-of-order
arrivals, concurrent edits of the same version) end with the same content digest, and every
audit chain verifies."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from itertools import permutations
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from hstc_desk.domain import revise
from hstc_desk.exchange.merge import import_bundle

from exchange_helpers import bundle_bytes, location, new_store, trust_pair

MARKS = ["(U)", "(U//FOUO)", "(C//REL TO USA, GBR)", "(S//NF)", "(S//SI//OC/NF)", "(TS//HCS//NF)",
         "(S//REL TO USA, FVEY)"]
RUNS: list[int] = []
CONFLICTS: list[int] = []


class ThreeWorkstations(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="hstc-conv-"))
        self.ws = [new_store(self.tmp / f"w{i}") for i in range(3)]
        for i, j in permutations(range(3), 2):
            trust_pair(self.ws[i], self.ws[j])
        self.pool: list[tuple[int, bytes]] = []
        self.next_id = 1
        self.imports = 0

    @rule(w=st.integers(0, 2), mark=st.sampled_from(MARKS), leads=st.booleans())
    def create(self, w: int, mark: str, leads: bool) -> None:
        self.ws[w].insert_items([location(self.next_id, mark, leads_only=leads)])
        self.next_id += 1

    @rule(w=st.integers(0, 2), pick=st.integers(0, 1000), text=st.sampled_from("abc"))
    def edit(self, w: int, pick: int, text: str) -> None:
        ids = [r[0] for r in self.ws[w].conn.execute("SELECT id FROM items ORDER BY id")]
        if not ids:
            return
        self._edit(w, ids[pick % len(ids)], text)

    @rule(w=st.integers(0, 2), v=st.integers(1, 2), pick=st.integers(0, 1000))
    def concurrent_edit(self, w: int, v: int, pick: int) -> None:
        """w's content reaches w+v, then both edit the same item: a conflict to come."""
        other = (w + v) % 3
        data = bundle_bytes(self.ws[w], self.tmp, "USA")
        self.pool.append((w, data))
        import_bundle(self.ws[other], data)
        ids = [r[0] for r in self.ws[w].conn.execute("SELECT id FROM items ORDER BY id")]
        if ids:
            target = ids[pick % len(ids)]
            self._edit(w, target, "x")
            self._edit(other, target, "y")

    def _edit(self, w: int, item_id: str, text: str) -> None:
        item = self.ws[w].get_item(item_id)
        self.ws[w].save_item(revise(item, updated=item.updated + timedelta(minutes=1),
                                    title=f"{item.title} {text}{w}"))

    @rule(w=st.integers(0, 2))
    def export(self, w: int) -> None:
        self.pool.append((w, bundle_bytes(self.ws[w], self.tmp, "USA")))

    @rule(w=st.integers(0, 2), pick=st.integers(0, 1000))
    def receive(self, w: int, pick: int) -> None:
        choices = [data for sender, data in self.pool if sender != w]
        if not choices:
            self.pool.append(((w + 1) % 3, bundle_bytes(self.ws[(w + 1) % 3], self.tmp, "USA")))
            choices = [self.pool[-1][1]]
        if choices:
            rep = import_bundle(self.ws[w], choices[pick % len(choices)])
            assert rep.status in ("imported", "replay")
            self.imports += 1

    def teardown(self) -> None:
        try:
            final = [bundle_bytes(s, self.tmp, "USA") for s in self.ws]
            for i, s in enumerate(self.ws):
                for j in (2, 1, 0):
                    if j != i:
                        import_bundle(s, final[j])
            digests = {s.content_digest() for s in self.ws}
            assert len(digests) == 1, "workstations did not converge"
            for s in self.ws:
                assert s.verify_audit().ok
            RUNS.append(self.imports)
            CONFLICTS.append(self.ws[0].stats()["conflicts"])
        finally:
            for s in self.ws:
                s.close()
            shutil.rmtree(self.tmp, ignore_errors=True)


ThreeWorkstations.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestThreeWorkstationsConverge = ThreeWorkstations.TestCase


def test_convergence_runs_reported() -> None:
    # Runs after the state machine in file order; says how much exchanging was exercised.
    print(f"convergence: {len(RUNS)} runs, {sum(RUNS)} random imports, "
          f"{sum(CONFLICTS)} conflicts kept, all converged")
