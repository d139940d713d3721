"""A full disk during a rekey (issue 12, item 4), on a real small tmpfs (as root).

A removal whose rekey the disk has no room for is refused before anything changes, with a
sentence naming the disk; when the disk fills in the middle of the rekey itself (the free-space
check bypassed, so SQLite's own full-disk path runs), the rekey is rolled back, the error says
so, the store stays whole under its old key, and the rekey finishes at the next open with room.
Every case: `hstc check` and `hstc audit verify` pass, nothing acknowledged is lost.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_store_full_disk import fill, needs_root, tmpfs

from hstc_desk.store import TEST_KDF, AuthError, Store, rekey, user_lifecycle
from hstc_desk.store.errors import DiskFullError

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, make_store, run_hstc


def _consistent(store: Path, items: int, digest: str | None = None) -> str:
    r = run_hstc("check", str(store))
    assert r.returncode == 0 and "store intact" in r.stdout, r.stdout + r.stderr
    r = run_hstc("audit", "verify", str(store))
    assert r.returncode == 0, r.stdout + r.stderr
    stats = json.loads(run_hstc("stats", str(store), "--json").stdout)
    assert stats["items"] == items
    if digest is not None:
        assert stats["content_digest"] == digest
    return stats["content_digest"]


def _whole(store: Path, digest: str) -> None:
    """What `hstc check` and `hstc audit verify` check, in this process (read-only)."""
    with Store.open(store, ADMIN, ADMIN_PW, readonly=True) as s:
        assert s.integrity_problems() == []
        verdict = s.verify_audit()
        assert verdict.ok, verdict.message()
        assert s.content_digest() == digest


@needs_root
def test_a_rekey_the_disk_has_no_room_for_is_refused_before_anything_changes(
        tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", size="16m") as mnt:
        store = make_store(mnt / "s", items=1500)
        digest = _consistent(store, 1500)
        slots = (store / "keyslots.json").read_bytes()
        filler = fill(mnt, leave=(1 << 20) + (1 << 19))  # room to open, not to rewrite it all
        r = run_hstc("user", "remove", str(store), ANALYST, "--yes")
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert r.stderr.startswith(f"hstc: error: the disk holding {store} (a rekey rewrites "
                                   "every page of the store and needs about "), r.stderr
        assert "nothing was changed) is full" in r.stderr
        assert (store / "keyslots.json").read_bytes() == slots
        assert not rekey.journal_path(store).exists()
        _consistent(store, 1500, digest)
        r = run_hstc("stats", str(store), user=ANALYST, password=ANALYST_PW)
        assert r.returncode == 0, r.stderr  # not removed: nothing changed
        filler.unlink()
        r = run_hstc("user", "remove", str(store), ANALYST, "--yes")
        assert r.returncode == 0 and "store rekeyed" in r.stdout, r.stderr
        _consistent(store, 1500, digest)


@needs_root
def test_disk_filling_inside_the_rekey_rolls_it_back_and_it_finishes_later(
        tmp_path: Path) -> None:
    """Ten fill levels, from no room for the log to nearly enough: each rekey either completes
    or is rolled back with a full-disk error; the store is whole every time; with room again
    the owed rekey finishes at the next open and the old key opens nothing."""
    outcomes = {"rolled back": 0, "completed": 0, "refused at open": 0}
    with tmpfs(tmp_path / "mnt", size="24m") as mnt:
        store = make_store(mnt / "s", items=1500)
        digest = _consistent(store, 1500)
        size = (store / "store.db").stat().st_size
        for n in range(10):
            victim, pw = f"victim{n}", f"victim pass phrase {n}"
            with Store.open(store, ADMIN, ADMIN_PW) as s:
                s.add_user(victim, pw, "analyst", kdf=TEST_KDF)
                old_key = s._keys.db_key
            leave = (1 << 20) + (n * size) // 8
            filler = fill(mnt, leave=leave)
            try:
                s = Store.open(store, ADMIN, ADMIN_PW)
            except DiskFullError:
                outcomes["refused at open"] += 1
                filler.unlink()
                continue
            try:
                user_lifecycle.remove(s, victim, check_free=False)
                outcomes["completed"] += 1
            except DiskFullError as exc:
                assert "the rekey was rolled back" in str(exc)
                outcomes["rolled back"] += 1
            finally:
                s.close()
            # Whole under one key or the other, while the disk is still full.
            _whole(store, digest)
            with pytest.raises(AuthError):  # removed in the store, whichever key it is under
                Store.open(store, victim, pw, readonly=True)
            filler.unlink()
            with Store.open(store, ANALYST, ANALYST_PW) as s:  # finishes what is owed
                assert rekey.pending(s.conn) is None
                assert s._keys.db_key != old_key
            assert not rekey.journal_path(store).exists()
            _whole(store, digest)
        _consistent(store, 1500, digest)  # and through the real hstc
    print(f"10 full disks during a rekey: {outcomes}; the store whole every time")
    assert outcomes["rolled back"] >= 3, outcomes
