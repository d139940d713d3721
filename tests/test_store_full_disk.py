"""A store on a full disk and on read-only media, on real mounted file systems (tmpfs, as root).

On a full disk a change is refused with a sentence naming the disk and its free bytes, nothing is
left beside the store, and every command that only reads (check, audit verify, stats, search,
show, verify) still works without creating a file. On read-only media the same commands work
and a change is refused as being on read-only media.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hstc_desk.store import Store, StoreError

from conftest import (
    ADMIN,
    ADMIN_PW,
    ANALYST,
    ANALYST_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    make_store,
    run_hstc,
    store_bytes,
)
from exchange_helpers import bundle_bytes, new_store, trust_pair

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounts a small tmpfs, which needs root (CI runs as root)")

SIDE_FILES = {"store.db-wal", "store.db-shm"}


@contextmanager
def tmpfs(where: Path, size: str = "8m") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` mounted at ``where``; always unmounted afterwards."""
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                    str(where)], check=True, capture_output=True, text=True)
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=True)


def remount(where: Path, how: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{how}", str(where)], check=True,
                   capture_output=True, text=True)


def free(where: Path) -> int:
    st = os.statvfs(where)
    return st.f_bfree * st.f_frsize


def fill(where: Path, leave: int = 0) -> Path:
    """Write a filler file until the disk has no byte left, then give back ``leave`` bytes."""
    filler = where / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1):
            block = b"\0" * chunk
            try:
                while True:
                    os.write(fd, block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    assert free(where) == 0
    if leave:
        os.truncate(filler, filler.stat().st_size - leave)
    return filler


def side_files(store: Path) -> set[str]:
    return {p.name for p in store.iterdir()} & SIDE_FILES


@pytest.fixture
def sender(tmp_path: Path) -> Iterator[Store]:
    s = new_store(tmp_path / "sender", items=30, seed=11)
    yield s
    s.close()


def _receiver(sender: Store, path: Path, items: int = 50) -> Path:
    """A store at ``path`` (on the tmpfs) that trusts ``sender``."""
    make_store(path, items=items)
    with Store.open(path, ADMIN, ADMIN_PW) as r:
        trust_pair(sender, r)
    return path


def _read_only_commands_work(store: Path, bundle: Path, items: int) -> None:
    """check, audit verify, stats, search, show and verify, each through the real ``hstc``."""
    r = run_hstc("check", str(store))
    assert r.returncode == 0 and "store intact" in r.stdout, r.stderr
    r = run_hstc("audit", "verify", str(store))
    assert r.returncode == 0 and "audit chain intact" in r.stdout, r.stderr
    r = run_hstc("stats", str(store), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["items"] == items
    r = run_hstc("search", str(store), "smuggling", "--json")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert hits
    r = run_hstc("show", str(store), hits[0]["id"], "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["id"] == hits[0]["id"], r.stderr
    r = run_hstc("verify", str(bundle), "--store", str(store))
    assert r.returncode == 0 and "all checks passed" in r.stdout, r.stderr


@needs_root
def test_full_disk_refuses_changes_by_name_and_still_reads(tmp_path: Path,
                                                           sender: Store) -> None:
    bundle = tmp_path / "usa.bundle"
    bundle.write_bytes(bundle_bytes(sender, tmp_path))
    with tmpfs(tmp_path / "mnt") as mnt:
        store = _receiver(sender, mnt / "s")
        items = json.loads(run_hstc("stats", str(store), "--json").stdout)["items"]
        filler = fill(mnt)
        before = store_bytes(store)

        r = run_hstc("import", str(store), str(bundle))
        assert r.returncode == 1
        assert r.stderr == f"hstc: error: the disk holding {store} is full: 0 bytes free\n"
        r = run_hstc("user", "add", str(store), "newcomer", "--role", "analyst",
                     env={"HSTC_NEW_PASSWORD": "a new pass phrase 1"})
        assert r.returncode == 1
        assert r.stderr == f"hstc: error: the disk holding {store} is full: 0 bytes free\n"
        r = run_hstc("init", str(mnt / "new"), env={"HSTC_PASSWORD": "first pass phrase 2"})
        assert r.returncode == 1
        assert f"the disk holding {mnt / 'new'} is full" in r.stderr, r.stderr
        assert sorted(p.name for p in mnt.iterdir()) == ["filler", "s"]  # no half-made store

        _read_only_commands_work(store, bundle, items)
        r = run_hstc("stats", str(store), password="not the password")
        assert r.returncode == 1 and r.stderr == "hstc: error: wrong user or password\n"
        assert store_bytes(store) == before  # not a byte changed, nothing new beside it
        assert free(mnt) == 0

        # Space again: the import goes through and the store is whole.
        filler.unlink()
        r = run_hstc("import", str(store), str(bundle))
        assert r.returncode == 0, r.stderr
        r = run_hstc("check", str(store))
        assert r.returncode == 0, r.stderr
        r = run_hstc("audit", "verify", str(store))
        assert r.returncode == 0, r.stderr
        assert json.loads(run_hstc("stats", str(store), "--json").stdout)["items"] > items
        assert not side_files(store)


@needs_root
def test_disk_filling_during_an_import_is_named_and_loses_nothing(tmp_path: Path) -> None:
    big = new_store(tmp_path / "big", items=2500, seed=5)
    try:
        bundle = tmp_path / "big.bundle"
        bundle.write_bytes(bundle_bytes(big, tmp_path))
        with tmpfs(tmp_path / "mnt") as mnt:
            store = _receiver(big, mnt / "s")
            stats = json.loads(run_hstc("stats", str(store), "--json").stdout)
            # Room to open for writing, not for the bundle's pages.
            fill(mnt, leave=(1 << 20) + (1 << 19))
            r = run_hstc("import", str(store), str(bundle))
            assert r.returncode == 1
            assert r.stderr.startswith(f"hstc: error: the disk holding {store} is full: "), \
                r.stderr
            assert r.stderr.endswith(" bytes free\n") and "Traceback" not in r.stderr
            assert not side_files(store)
            r = run_hstc("check", str(store))
            assert r.returncode == 0, r.stderr
            r = run_hstc("audit", "verify", str(store))
            assert r.returncode == 0, r.stderr
            after = json.loads(run_hstc("stats", str(store), "--json").stdout)
            assert after["content_digest"] == stats["content_digest"]
            assert after["items"] == stats["items"]
    finally:
        big.close()


@needs_root
def test_side_files_left_empty_by_an_old_attempt_do_not_block_reading(tmp_path: Path,
                                                                      sender: Store) -> None:
    bundle = tmp_path / "usa.bundle"
    bundle.write_bytes(bundle_bytes(sender, tmp_path))
    with tmpfs(tmp_path / "mnt") as mnt:
        store = _receiver(sender, mnt / "s")
        for name in SIDE_FILES:
            (store / name).touch()  # what a full disk left behind before this was fixed
        fill(mnt)
        before = store_bytes(store)
        _read_only_commands_work(store, bundle, 50)
        assert store_bytes(store) == before  # they were not ours to remove


@needs_root
def test_read_only_media_read_and_refuse_changes(tmp_path: Path, sender: Store) -> None:
    bundle = tmp_path / "usa.bundle"
    bundle.write_bytes(bundle_bytes(sender, tmp_path))
    with tmpfs(tmp_path / "mnt") as mnt:
        store = _receiver(sender, mnt / "s")
        remount(mnt, "ro")
        before = store_bytes(store)
        _read_only_commands_work(store, bundle, 50)
        r = run_hstc("import", str(store), str(bundle))
        assert r.returncode == 1
        assert r.stderr.startswith(f"hstc: error: the store {store} is on read-only media"), \
            r.stderr
        with pytest.raises(StoreError, match="read-only media"):
            Store.open(store, ADMIN, ADMIN_PW)
        assert store_bytes(store) == before
        remount(mnt, "rw")


@needs_root
def test_read_only_media_with_a_write_ahead_log_read_its_pages(tmp_path: Path) -> None:
    """A store copied while its log held pages the database file lacks: reading it on
    read-only media uses the log (the database file alone would be out of date)."""
    with tmpfs(tmp_path / "mnt") as mnt:
        live = new_store(tmp_path / "live", items=40)
        try:
            from hstc_desk.demo import generate

            live.insert_items(list(generate(300, 99))[40:], action="demo.load")
            expected = live.count("items")
            assert (live.path / "store.db-wal").stat().st_size > 0
            copy = mnt / "s"
            copy.mkdir()
            for name in ("store.db", "store.db-wal", "store.db-shm", "keyslots.json"):
                (copy / name).write_bytes((live.path / name).read_bytes())
        finally:
            live.close()
        remount(mnt, "ro")
        r = run_hstc("stats", str(copy), "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["items"] == expected
        r = run_hstc("check", str(copy))
        assert r.returncode == 0, r.stderr
        remount(mnt, "rw")


def test_reading_on_a_writable_disk_leaves_nothing_and_refuses_changes(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=20)
    before = store_bytes(store)
    with Store.open(store, ADMIN, ADMIN_PW, readonly=True) as s:
        assert s.count("items") == 20
        with pytest.raises(StoreError, match="open for reading only"):
            s.record("test", "x", {})
    assert store_bytes(store) == before  # no byte written, no side file left


@needs_root
def test_full_disk_product_and_policy_reads_work(tmp_path: Path) -> None:
    def product(*args: str, sup: bool = False) -> subprocess.CompletedProcess[str]:
        # A sign-off asks for the supervisor's password again (HSTC_CONFIRM_PASSWORD).
        return run_hstc("product", *args, user=SUPERVISOR if sup else ANALYST,
                        password=SUPERVISOR_PW if sup else ANALYST_PW,
                        env={"HSTC_CONFIRM_PASSWORD": SUPERVISOR_PW} if sup else None)

    with tmpfs(tmp_path / "mnt") as mnt:
        store = make_store(mnt / "s")
        s_ = str(store)
        r = product("new", s_, "--type", "intelligence_bulletin", "--title", "Darien crossings",
                    "--title-marking", "(U)", "--portion", "(S//NF) Guides charge per head.",
                    "--classified-by", "J. Doe", "--derived-from", "Multiple Sources",
                    "--declassify-on", "25X1, 20761231")
        assert r.returncode == 0, r.stderr
        pid = r.stdout.splitlines()[0]
        assert product("submit", s_, pid).returncode == 0
        assert product("approve", s_, pid, sup=True).returncode == 0
        fill(mnt)
        before = store_bytes(store)
        r = product("list", s_)
        assert r.returncode == 0 and pid in r.stdout, r.stderr
        r = product("show", s_, pid)
        assert r.returncode == 0 and "SIGNED OFF by sup" in r.stdout, r.stderr
        r = product("verify", s_, pid)
        assert r.returncode == 0 and "sign-off VALID" in r.stdout, r.stderr
        r = run_hstc("policy", "show", s_)
        assert r.returncode == 0, r.stderr
        r = product("new", s_, "--type", "intelligence_bulletin", "--title", "Another",
                    "--title-marking", "(U)", "--portion", "(U) Text.")
        assert r.returncode == 1
        assert r.stderr == f"hstc: error: the disk holding {store} is full: 0 bytes free\n"
        assert store_bytes(store) == before


@needs_root
def test_a_log_that_cannot_be_read_on_a_full_disk_is_named_and_kept(tmp_path: Path) -> None:
    """A log with pages and no index, on a full disk: reading needs an index SQLite cannot
    make there. The refusal names the full disk, the index it began is removed, the log is
    kept byte for byte; with space again the store reads whole, the log's pages included."""
    from hstc_desk.demo import generate

    with tmpfs(tmp_path / "mnt") as mnt:
        live = new_store(tmp_path / "live", items=40)
        try:
            live.insert_items(list(generate(300, 99))[40:], action="demo.load")
            expected = live.count("items")
            copy = mnt / "s"
            copy.mkdir()
            for name in ("store.db", "store.db-wal", "keyslots.json"):
                (copy / name).write_bytes((live.path / name).read_bytes())
        finally:
            live.close()
        filler = fill(mnt)
        before = store_bytes(copy)
        r = run_hstc("stats", str(copy), "--json")
        assert r.returncode == 1
        assert r.stderr == f"hstc: error: the disk holding {copy} is full: 0 bytes free\n"
        assert store_bytes(copy) == before  # no index left behind, the log untouched
        filler.unlink()
        r = run_hstc("stats", str(copy), "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["items"] == expected
