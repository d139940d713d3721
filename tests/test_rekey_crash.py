"""Rekeys killed with SIGKILL at random instants (issue 12, item 1).

A real writer process commits items, removes a user (which rekeys the store: a new database
key, every remaining slot rewrapped) and goes on committing; it is killed at a random instant
from the start of the removal to a little past the end of the rekey. After every kill the store
opens with one password, finishing the rekey if it was cut short; every page authenticates;
every acknowledged item is there; the audit chain verifies; the removed user's password opens
nothing; and a copy of the slot file taken before the removal, with any old password, opens
nothing written afterwards.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlcipher3

from hstc_desk.store import TEST_KDF, AuthError, Store, rekey
from hstc_desk.store.connection import connect
from hstc_desk.store.keyslots import KeySlots

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, make_store

HERE = Path(__file__).parent
KILLS = 20


def _writer(store: Path, victim: str, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(HERE / "rekey_writer.py"), str(store), ADMIN, ADMIN_PW, victim,
         str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)


def _read_until(proc: subprocess.Popen[bytes], marker: bytes, acked: set[str]) -> None:
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        assert line, (proc.stderr.read() if proc.stderr else b"").decode()
        if line.strip() == marker:
            return
        acked.add(line.decode().strip())


def _opens(db: Path, key: bytes) -> bool:
    try:
        connect(db, key).close()
    except sqlcipher3.DatabaseError:
        return False
    return True


def _old_key_opens_nothing(store: Path, old_slots: Path, passwords: dict[str, str]) -> int:
    """Every password the old slot file knows unwraps the OLD key, which opens nothing now."""
    tried = 0
    slots = KeySlots.load(old_slots)
    for name, pw in passwords.items():
        try:
            key = slots.unlock(name, pw).db_key
        except AuthError:
            continue
        assert not _opens(store / "store.db", key), f"the old slot of {name} still opens it"
        tried += 1
    return tried


@pytest.mark.slow
def test_20_rekeys_killed_at_random_instants(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=4000)
    rng = random.Random(20)
    acked: set[str] = set()
    phases = {"before the journal": 0, "journal on disk": 0, "after the rekey": 0}
    # How long a removal (and its rekey) takes here: the kills are spread over 1.3 times that.
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        s.add_user("calib", "calibration password", "analyst", kdf=TEST_KDF)
        from hstc_desk.store import user_lifecycle

        start = time.perf_counter()
        user_lifecycle.remove(s, "calib")
        span = (time.perf_counter() - start) * 1.3
    old_checked = 0
    for n in range(KILLS):
        victim, victim_pw = f"victim{n}", f"victim pass phrase {n}"
        with Store.open(store, ADMIN, ADMIN_PW) as s:
            s.add_user(victim, victim_pw, "analyst", kdf=TEST_KDF)
        old_slots = tmp_path / f"old-keyslots-{n}.json"
        old_slots.write_bytes((store / "keyslots.json").read_bytes())
        proc = _writer(store, victim, 3000 + n)
        _read_until(proc, b"ready", acked)
        _read_until(proc, b"rekey", acked)
        time.sleep(rng.uniform(0, span))
        os.kill(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines = raw.decode().split("\n")  # a torn last line was never an acknowledgement
        acked.update(x for x in lines[:-1] if x.strip() and x not in ("rekey", "rekeyed"))
        if rekey.journal_path(store).exists():
            phases["journal on disk"] += 1
        elif "rekeyed" in lines:
            phases["after the rekey"] += 1
        else:
            phases["before the journal"] += 1

        # One password opens it (the analyst's: the rekey, if cut short, is finished here).
        with Store.open(store, ANALYST, ANALYST_PW) as s:
            assert s.conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
            assert s.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            ids = sorted(acked)
            present: set[str] = set()
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                present.update(r[0] for r in s.conn.execute(
                    f"SELECT id FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk))
            assert acked <= present, f"kill {n}: {len(acked - present)} acknowledged items lost"
            verdict = s.verify_audit()
            assert verdict.ok, verdict.message()
            state = s.conn.execute("SELECT state FROM users WHERE name = ?",
                                   (victim,)).fetchone()[0]
            assert rekey.pending(s.conn) is None
        assert not rekey.journal_path(store).exists()
        if state == "removed":
            with pytest.raises(AuthError):
                Store.open(store, victim, victim_pw)
            old_checked += _old_key_opens_nothing(
                store, old_slots, {victim: victim_pw, ANALYST: ANALYST_PW, ADMIN: ADMIN_PW})
        else:  # killed before the removal committed: nothing changed, the victim still opens
            assert state == "active"
            Store.open(store, victim, victim_pw).close()
            with Store.open(store, ADMIN, ADMIN_PW) as s:
                user_lifecycle.remove(s, victim)
    print(f"{KILLS} rekeys killed at random instants: {phases}; {len(acked)} acknowledged "
          f"items all present; {old_checked} old slots (with their old passwords) open nothing")
    assert phases["journal on disk"] >= 3, phases  # the kills did land inside rekeys
