"""`hstc bench --sections memsec`: open and search with cipher_memory_security on and off, on the
same store in the same run, each setting really in force in its own process."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_hstc


def test_memsec_section_measures_both_settings_on_the_same_store(tmp_path: Path) -> None:
    r = run_hstc("bench", "--items", "1500", "--sections", "memsec", "--json",
                 "--dir", str(tmp_path / "bench"), password=None, user=None, timeout=600)
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)["memsec"]
    # The store's connect() says OFF; the ON child ran with it on all the same (it is global
    # and cannot be turned off once on), and each child reports what SQLCipher said.
    assert m["sqlcipher_reports"] == {"off": "OFF", "on": "ON"}
    pairs = [m["open"]] + [s[k] for s in m["search"].values() for k in ("warm", "cold")]
    assert set(m["search"]) >= {"common", "rare"}
    for p in pairs:
        assert p["off_ms"] > 0 and p["on_ms"] > 0
        assert abs(p["ratio"] - p["on_ms"] / p["off_ms"]) <= 0.01 * p["ratio"]  # ms rounded
    assert m["worst_ratio"] == max(p["ratio"] for p in pairs)
    for s in m["search"].values():
        assert s["term"]
