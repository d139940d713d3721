"""An ingest killed with SIGKILL inside its transaction leaves the store as it was: all of the
file or none of it, ``hstc check`` and ``hstc audit verify`` passing (issue 14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ingest_corpus import clean_rows, encode

from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, make_store, run_hstc

HERE = Path(__file__).parent
ROWS = 5000  # 10,000 items in three chunks (2,000, 2,000, 1,000 rows), one transaction


def _writer(store: Path, csv_path: Path, pause: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(HERE / "ingest_crash_writer.py"), str(store), ADMIN, ADMIN_PW,
         str(csv_path), str(pause)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)


def _state(store: Path) -> tuple[int, int, int, str]:
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        return (s.count("items"),
                s.conn.execute("SELECT count(*) FROM ingest_provenance").fetchone()[0],
                s.conn.execute("SELECT count(*) FROM ingest_sources").fetchone()[0],
                s.content_digest())


def _checks_pass(store: Path) -> None:
    check = run_hstc("check", str(store))
    assert check.returncode == 0, check.stderr
    verify = run_hstc("audit", "verify", str(store))
    assert verify.returncode == 0, verify.stderr


def test_kill_mid_ingest_leaves_nothing_then_a_full_ingest_lands_whole(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    csv_path = tmp_path / "big.csv"
    csv_path.write_bytes(encode(clean_rows(ROWS, seed=21)))
    empty = _state(store)
    assert empty[:3] == (0, 0, 0)
    for after_chunks in (1, 3):  # after the first; after the last, before the commit
        proc = _writer(store, csv_path, pause=0.5)
        assert proc.stdout is not None
        for _ in range(after_chunks):
            line = proc.stdout.readline().decode()
            assert line.startswith("writing "), line + (proc.stderr.read() or b"").decode()
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert b"committed" not in out
        assert _state(store) == empty       # none of it: not one item, provenance or source
        _checks_pass(store)
    proc = _writer(store, csv_path, pause=0.0)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert f"committed {2 * ROWS}".encode() in out
    items, provenance, sources, _ = _state(store)
    assert (items, provenance, sources) == (2 * ROWS, 2 * ROWS, 1)   # all of it
    _checks_pass(store)
