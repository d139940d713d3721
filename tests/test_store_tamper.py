"""Single-byte flips in a copy of a store: every one is detected, never read as wrong data."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from hstc_desk.store import Store, StoreError

from conftest import ANALYST, ANALYST_PW


def _detected(path: Path, original_digest: str) -> str:
    """How the flip showed: an error on open or read, or a failed integrity check."""
    try:
        with Store.open(path, ANALYST, ANALYST_PW) as s:
            digest = s.content_digest()
            problems = s.integrity_problems()
            verdict = s.verify_audit()
    except (StoreError, Exception) as exc:  # any refusal counts; wrong data would not raise
        return f"error: {type(exc).__name__}"
    if problems:
        return "integrity check"
    if not verdict.ok:
        return "audit chain"
    assert digest == original_digest, "a flipped byte was read back as different content"
    return ""


@pytest.mark.slow
def test_100_byte_flips_all_detected(demo_template: Path, tmp_path: Path) -> None:
    with Store.open(demo_template, ANALYST, ANALYST_PW) as s:
        original = s.content_digest()
    db = demo_template / "store.db"
    size = db.stat().st_size
    page = 4096
    rng = random.Random(100)
    # Header bytes, the start and the reserved tail (IV and MAC) of pages, and anywhere at all.
    offsets = [0, 5, 15, 16, 17, 100, page - 1, page - 48, page, page + 16, size - 1]
    offsets += [rng.randrange(size // page) * page + rng.choice([0, 20, 2000, page - 30])
                for _ in range(29)]
    offsets += [rng.randrange(size) for _ in range(100 - len(offsets))]
    assert len(offsets) == 100
    how: dict[str, int] = {}
    for i, off in enumerate(offsets):
        copy = tmp_path / f"c{i}"
        shutil.copytree(demo_template, copy)
        with (copy / "store.db").open("r+b") as fh:
            fh.seek(off)
            b = fh.read(1)[0]
            fh.seek(off)
            fh.write(bytes([b ^ (1 << rng.randrange(8))]))
        seen = _detected(copy, original)
        assert seen, f"flip at offset {off} went unnoticed"
        how[seen] = how.get(seen, 0) + 1
        shutil.rmtree(copy)
    assert sum(how.values()) == 100
    print("100 flips detected by:", how)


def test_flips_in_the_key_slot_file_are_refused(demo_template: Path, tmp_path: Path) -> None:
    text = (demo_template / "keyslots.json").read_bytes()
    rng = random.Random(9)
    for i in range(10):
        copy = tmp_path / f"k{i}"
        shutil.copytree(demo_template, copy)
        data = bytearray(text)
        data[rng.randrange(len(data))] ^= 0x04
        (copy / "keyslots.json").write_bytes(bytes(data))
        try:
            with Store.open(copy, ANALYST, ANALYST_PW) as s:
                # A flip that lands in another user's slot or in whitespace changes nothing of ours.
                assert s.verify_audit().ok
        except StoreError:
            pass
