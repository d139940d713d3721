"""Writers killed with SIGKILL mid-transaction: the store stays whole and keeps every ack."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, make_store

HERE = Path(__file__).parent


def _start(store: Path, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(HERE / "crash_writer.py"), str(store), ADMIN, ADMIN_PW, str(seed)],
        # Unbuffered bytes: readline() must not read past "ready", because communicate() reads
        # the rest from the file descriptor and would never see what a buffer had taken.
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)


@pytest.mark.slow
def test_50_writers_killed_mid_transaction(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    rng = random.Random(50)
    acked: set[str] = set()
    killed = 0
    for pair in range(25):
        procs = [_start(store, 1000 + 2 * pair + k) for k in range(2)]
        for p in procs:
            assert p.stdout is not None
            assert p.stdout.readline().strip() == b"ready", p.stderr.read() if p.stderr else ""
        time.sleep(rng.uniform(0.05, 0.6))
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)
        for p in procs:
            raw, _ = p.communicate(timeout=30)
            out = raw.decode()
            assert p.returncode == -signal.SIGKILL
            killed += 1
            # Only whole lines were acknowledged; a torn last line was never a promise.
            lines = out.split("\n")
            acked.update(line for line in lines[:-1] if line.strip())
    assert killed == 50
    assert all(re.fullmatch(r"[A-Z]{3}-[0-9a-f]{16}", a) for a in acked), "torn ack lines"
    assert len(acked) > 100, "the writers should have committed something before dying"

    with Store.open(store, ADMIN, ADMIN_PW) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert s.conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
        present = set()
        ids = sorted(acked)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = s.conn.execute(
                f"SELECT id FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            present.update(r[0] for r in rows)
        assert acked <= present, f"{len(acked - present)} acknowledged commits lost"
        verdict = s.verify_audit()
        assert verdict.ok, verdict.message()
        # Every stored item is accounted for by an audit record of its batch.
        audited = s.conn.execute(
            "SELECT coalesce(sum(json_extract(detail, '$.items')), 0) FROM audit "
            "WHERE action = 'items.add'").fetchone()[0]
        assert audited == s.count("items")
        # The search index agrees with the table.
        assert s.conn.execute("SELECT count(*) FROM items_fts").fetchone()[0] == s.count("items")
