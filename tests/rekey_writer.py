"""A writer for the rekey crash test: commits items (printing each id once committed), removes a
user (which rekeys the store), and goes on committing, until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path

from hstc_desk.demo import generate
from hstc_desk.domain import Link
from hstc_desk.store import Store, user_lifecycle


def main() -> None:
    store_path, user, password, victim, seed = sys.argv[1:6]
    items = (o for o in generate(100000, int(seed)) if not isinstance(o, Link))
    with Store.open(Path(store_path), user, password) as store:
        print("ready", flush=True)

        def commit(n: int) -> None:
            for _ in range(n):
                batch = [next(items) for _ in range(7)]
                store.insert_items(batch)
                print("\n".join(o.id for o in batch), flush=True)

        commit(3)
        print("rekey", flush=True)
        user_lifecycle.remove(store, victim)
        print("rekeyed", flush=True)
        commit(100000)


if __name__ == "__main__":
    main()
