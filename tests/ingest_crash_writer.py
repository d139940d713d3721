"""An ingest process for the kill test: prints "writing N" from inside the transaction (after
each chunk), then waits a little so the test's SIGKILL lands before the commit."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hstc_desk.ingest import ingest_file
from hstc_desk.store import Store


def main() -> None:
    store_path, user, password, csv_path = sys.argv[1:5]
    pause = float(sys.argv[5])

    def progress(done: int, total: int) -> None:
        print(f"writing {done} {total}", flush=True)
        time.sleep(pause)

    with Store.open(Path(store_path), user, password) as store:
        report = ingest_file(store, Path(csv_path), originator="CBP", progress=progress)
    print(f"committed {report.new_items}", flush=True)


if __name__ == "__main__":
    main()
