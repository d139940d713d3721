"""A writer process for the crash test: commits items and prints each id once it is committed."""

from __future__ import annotations

import sys
from pathlib import Path

from hstc_desk.demo import generate
from hstc_desk.domain import Link
from hstc_desk.store import Store


def main() -> None:
    store_path, user, password, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with Store.open(Path(store_path), user, password) as store:
        print("ready", flush=True)
        batch: list = []
        for obj in generate(100000, seed):
            if isinstance(obj, Link):
                continue
            batch.append(obj)
            if len(batch) == 7:
                store.insert_items(batch)
                print("\n".join(o.id for o in batch), flush=True)
                batch = []


if __name__ == "__main__":
    main()
