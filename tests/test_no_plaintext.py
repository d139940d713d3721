"""No plaintext on disk: after building a store and searching it, canaries are in no file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CANARIES = ["ZEBRAQUARTZCANARY", "Oxblood-Pelican-7731", "canary-passport-XK99017"]

SCRIPT = textwrap.dedent(r"""
    import os, sys, shutil
    from pathlib import Path
    from hstc_desk.demo import generate
    from hstc_desk.domain import Link, new_id
    from hstc_desk.store import TEST_KDF, Store

    store_dir, snap = Path(sys.argv[1]), Path(sys.argv[2])
    canaries = sys.argv[3:]
    with Store.create(store_dir, "admin", "pw-for-canary-test", kdf=TEST_KDF) as s:
        s.insert_items(generate(2000, 11))
        base = next(x for x in generate(50, 12) if not isinstance(x, Link))
        for word in canaries:
            title = f"{word} seen at the crossing"
            item = base.model_copy(update={"id": new_id(base.kind), "title": title})
            s.save_item(item)
        for word in canaries:
            assert s.search(word), word
        # While the store is open: snapshot the WAL and anything else beside the database.
        for p in store_dir.iterdir():
            shutil.copy(p, snap / ("open-" + p.name))
    print("ok")
""")


def test_canaries_appear_in_no_file(tmp_path: Path) -> None:
    store, snap, tmp = tmp_path / "store", tmp_path / "snap", tmp_path / "tmp"
    snap.mkdir()
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "SQLITE_TMPDIR": str(tmp)}
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(store), str(snap), *CANARIES],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    files = [p for d in (store, snap, tmp) for p in d.rglob("*") if p.is_file()]
    names = sorted(p.name for p in files)
    assert any(n.startswith("open-store.db-wal") for n in names), names  # the WAL was caught
    for p in files:
        data = p.read_bytes()
        for word in CANARIES:
            for form in (word.encode(), word.lower().encode(), word.encode("utf-16-le")):
                assert form not in data, f"{word!r} found in plaintext in {p}"
        # Nor any common demo vocabulary: the pages are ciphertext, not just the canaries.
        assert b"smuggling" not in data.lower(), p
