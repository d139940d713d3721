"""Full disks during demo, edit and import (issue 12 item 4), on a real small tmpfs (as root).

Each operation runs 30 times, the disk left with a different number of free bytes each time, so
it fills at a different point: before the store opens, inside the first or a later transaction,
during the search-index merge, or not at all. Every time: the failure is one sentence naming
the full disk (no traceback), the store passes what `hstc check` and `hstc audit verify` check
(every page authenticated, the signed audit chain intact), and nothing acknowledged is lost
(a demo's reported batches, an edit that returned, an import that said so). The rekey's ten
faults are in test_rekey_full_disk.py; with them these make the issue's 100.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_store_full_disk import fill, needs_root, side_files, tmpfs

from hstc_desk.demo import DEMO_USERS
from hstc_desk.domain.item import revise
from hstc_desk.store import Store, disk
from hstc_desk.store.errors import DiskFullError

from conftest import ADMIN, ADMIN_PW, make_store, run_hstc
from exchange_helpers import bundle_bytes, new_store, trust_pair

FAULTS = 30  # per operation; the rekey's 10 (test_rekey_full_disk.py) make 100
REKEY_FAULTS = 10
DEMO_ITEMS = 700  # one batch of items and links; the demo's products after it
CLI_EVERY = 10  # the real `hstc check` and `hstc audit verify` on every tenth fault as well

DEMO_ADMIN, _, DEMO_ADMIN_PW = next(u for u in DEMO_USERS if u[1] == "admin")


def _whole(store: Path, user: str = ADMIN, pw: str = ADMIN_PW) -> tuple[int, str]:
    """What `hstc check` and `hstc audit verify` check, in this process, read-only (so it works
    on the full disk): (items, content digest)."""
    with Store.open(store, user, pw, readonly=True) as s:
        assert s.integrity_problems() == []
        verdict = s.verify_audit()
        assert verdict.ok, verdict.message()
        return s.count("items"), s.content_digest()


def _cli_whole(store: Path, user: str = ADMIN, pw: str = ADMIN_PW) -> None:
    r = run_hstc("check", str(store), user=user, password=pw)
    assert r.returncode == 0 and "store intact" in r.stdout, r.stdout + r.stderr
    r = run_hstc("audit", "verify", str(store), user=user, password=pw)
    assert r.returncode == 0 and "audit chain intact" in r.stdout, r.stdout + r.stderr


def _folds_in(store: Path, user: str = ADMIN, pw: str = ADMIN_PW) -> None:
    """With room again, one open folds in what a close on the full disk had to leave in the
    write-ahead log (its checkpoint had no room), and no side file is left."""
    with Store.open(store, user, pw):
        pass
    assert not side_files(store)


def _named_full(stderr: str, store: Path) -> None:
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith(f"hstc: error: the disk holding {store}"), stderr
    assert " is full: " in stderr and stderr.endswith(" bytes free\n"), stderr
    assert stderr.count("\n") == 1, stderr


def _levels(low: int, high: int) -> list[int]:
    """FAULTS free-byte levels from ``low`` to ``high``, spread evenly."""
    return [low + (high - low) * n // (FAULTS - 1) for n in range(FAULTS)]


def _report(op: str, outcomes: dict[str, int]) -> None:
    print(f"\n{sum(outcomes.values())} full disks during {op}: {outcomes}; nothing acknowledged "
          f"lost, the store whole every time ({3 * FAULTS + REKEY_FAULTS} full-disk faults "
          "across demo, edit, import and rekey with test_rekey_full_disk.py)")


@needs_root
def test_full_disk_during_demo(tmp_path: Path) -> None:
    """`hstc demo` of 700 items (the store, its users, one batch of items and links, the
    search-index merge, the products) on a disk with 0.3 to 4.5 MiB free. Where the store
    exists afterwards it is whole and holds at least every batch the demo reported written."""
    outcomes = {"refused before a store existed": 0, "failed with the store whole": 0,
                "completed": 0}
    with tmpfs(tmp_path / "mnt", size="12m") as mnt:
        for n, leave in enumerate(_levels(300 << 10, 9 << 19)):
            filler = fill(mnt, leave=leave)
            store = mnt / "demo"
            r = run_hstc("demo", str(store), "--items", str(DEMO_ITEMS), password=None, user=None)
            acked = [int(line.split()[0]) for line in r.stderr.splitlines()
                     if line.endswith(" items and links written")]
            if r.returncode == 0:
                outcomes["completed"] += 1
            else:
                assert r.returncode == 1
                _named_full(r.stderr.splitlines()[-1] + "\n", store)
            if not store.exists() or not (store / "keyslots.json").exists():
                assert r.returncode == 1 and not acked, r.stderr
                assert not store.exists() or not any(store.iterdir()), list(store.iterdir())
                outcomes["refused before a store existed"] += 1
            else:
                with Store.open(store, DEMO_ADMIN, DEMO_ADMIN_PW, readonly=True) as s:
                    assert s.integrity_problems() == []  # as `hstc check`, on the full disk
                    verdict = s.verify_audit()
                    assert verdict.ok, verdict.message()
                    items = s.count("items")
                    assert items + s.count("links") >= (acked[-1] if acked else 0)
                if r.returncode == 0:
                    assert items == DEMO_ITEMS
                else:
                    outcomes["failed with the store whole"] += 1
                filler.unlink()
                filler = None
                _folds_in(store, DEMO_ADMIN, DEMO_ADMIN_PW)
                if n % CLI_EVERY == 0:
                    _cli_whole(store, DEMO_ADMIN, DEMO_ADMIN_PW)
            if filler is not None:
                filler.unlink()
            shutil.rmtree(store, ignore_errors=True)
    _report("a demo", outcomes)
    assert outcomes["failed with the store whole"] >= 5, outcomes
    assert sum(outcomes.values()) == FAULTS


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 items, made once and copied onto the small disk for each fault."""
    return make_store(tmp_path_factory.mktemp("faults") / "s", items=300)


def _edits(s: Store, start: int) -> Iterator[tuple[str, int]]:
    """Edit items one after another (an analyst's saves): yields (id, version) once saved."""
    ids = [r[0] for r in s.conn.execute("SELECT id FROM items "
                                        "ORDER BY rid LIMIT 400")]
    when = datetime(2026, 12, 4, tzinfo=UTC)
    for k, item_id in enumerate(ids[start:] + ids[:start]):
        item = s.get_item(item_id)
        new = revise(item, updated=when + timedelta(seconds=k),
                     title=f"{item.title[:60]} (revised {k}) " + "x" * 200)
        s.save_item(new, expected_version=item.version)
        yield new.id, new.version


@needs_root
def test_full_disk_during_edits(tmp_path: Path, small_store: Path) -> None:
    """The disk fills while an analyst has the store open: edit after edit is saved until one
    is refused as a full disk. Each saved edit is there afterwards at its version, the refused
    one left the item as it was, and the store is whole."""
    outcomes = {"refused at a later edit": 0, "refused at the first edit": 0}
    with Store.open(small_store, ADMIN, ADMIN_PW, readonly=True) as t:
        base_versions = t.conn.execute("SELECT sum(version) FROM items").fetchone()[0]
    with tmpfs(tmp_path / "mnt", size="8m") as mnt:
        for n, leave in enumerate(_levels(0, 720 << 10)):
            store = mnt / "s"
            shutil.copytree(small_store, store)
            s = Store.open(store, ADMIN, ADMIN_PW)  # with room: the disk fills afterwards
            filler = fill(mnt, leave=leave)
            saved: dict[str, int] = {}
            refused = None
            try:
                for item_id, version in _edits(s, start=n * 7):
                    saved[item_id] = version
            except DiskFullError as exc:
                assert str(exc).startswith(f"the disk holding {store} is full: "), exc
                refused = exc
            finally:
                s.close()
            assert refused is not None, f"{len(saved)} edits all fitted in {leave} bytes"
            outcomes["refused at a later edit" if saved else "refused at the first edit"] += 1
            digest = _whole(store)[1]  # on the full disk still
            with Store.open(store, ADMIN, ADMIN_PW, readonly=True) as r:
                for item_id, version in saved.items():
                    assert r.get_item(item_id).version == version, item_id
                total = r.conn.execute("SELECT sum(version) FROM items").fetchone()[0]
                assert total == base_versions + len(saved)  # the refused edit: not there
                audited = r.conn.execute(
                    "SELECT count(*) FROM audit WHERE action = 'item.update'").fetchone()[0]
                assert audited == len(saved)
            # Closing on the full disk may leave the saved edits in the write-ahead log; they
            # were read from it above.
            filler.unlink()
            _folds_in(store)
            assert _whole(store)[1] == digest
            if n % CLI_EVERY == 0:
                _cli_whole(store)
            shutil.rmtree(store)
    _report("edits", outcomes)
    assert outcomes["refused at a later edit"] >= FAULTS // 2, outcomes


@pytest.fixture(scope="module")
def import_pair(tmp_path_factory: pytest.TempPathFactory, small_store: Path
                ) -> tuple[Path, Path]:
    """A bundle of 2,500 items and a receiving store that trusts its sender."""
    tmp = tmp_path_factory.mktemp("import")
    sender = new_store(tmp / "sender", items=2500, seed=5)
    receiver = tmp / "receiver"
    shutil.copytree(small_store, receiver)
    try:
        with Store.open(receiver, ADMIN, ADMIN_PW) as r:
            trust_pair(sender, r)
        bundle = tmp / "big.bundle"
        bundle.write_bytes(bundle_bytes(sender, tmp))
    finally:
        sender.close()
    return receiver, bundle


@needs_root
def test_full_disk_during_import(tmp_path: Path, import_pair: tuple[Path, Path]) -> None:
    """`hstc import` of a 2,500-item bundle with 0.5 to 7 MiB free: refused at open, refused
    inside the merge (rolled back whole) or done. A refused import changed nothing; a finished
    one holds every item; with room again a refused one goes through."""
    receiver, bundle = import_pair
    base_items, base_digest = _whole(receiver)
    outcomes = {"refused at open": 0, "refused inside the merge": 0, "completed": 0}
    done_digest = None
    with tmpfs(tmp_path / "mnt", size="16m") as mnt:
        for n, leave in enumerate(_levels(512 << 10, 7 << 20)):
            store = mnt / "s"
            shutil.copytree(receiver, store)
            filler = fill(mnt, leave=leave)
            r = run_hstc("import", str(store), str(bundle))
            items, digest = _whole(store)
            if r.returncode == 0:
                outcomes["completed"] += 1
                assert items == base_items + 2500
                assert done_digest in (None, digest)
                done_digest = digest
            else:
                assert r.returncode == 1
                _named_full(r.stderr, store)
                outcomes["refused at open" if leave < disk.MIN_FREE_BYTES
                         else "refused inside the merge"] += 1
                assert (items, digest) == (base_items, base_digest)  # nothing half-merged
            filler.unlink()
            _folds_in(store)
            assert _whole(store) == (items, digest)
            if n % CLI_EVERY == 0:
                _cli_whole(store)
                if r.returncode != 0:  # with room again the same bundle goes in whole
                    again = run_hstc("import", str(store), str(bundle))
                    assert again.returncode == 0, again.stderr
                    assert _whole(store)[0] == base_items + 2500
            shutil.rmtree(store)
    _report("an import", outcomes)
    assert outcomes["refused inside the merge"] >= 5, outcomes
    assert outcomes["completed"] >= 1, outcomes
    stats = json.loads(run_hstc("stats", str(receiver), "--json").stdout)
    assert stats["content_digest"] == base_digest  # the template itself was never touched
