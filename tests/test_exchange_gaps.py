"""Sequence gaps are ranges, found in SQL from the numbers seen: a trusted partner's absurd
sequence number is one range and a note for the security officer, in constant time and memory."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from time_limit import time_limit

from hstc_desk.cli import main
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.merge import check_bundle, import_bundle
from hstc_desk.exchange.sequence import Gap, gaps_text
from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW
from exchange_helpers import build_bytes, location, new_store, trust_pair

TOP = 999_999_999_999  # the largest Sequence-Number a bag-info may declare (about 10^12)


def _pair(tmp: Path) -> tuple[Store, Store]:
    a, b = new_store(tmp / "a"), new_store(tmp / "b")
    trust_pair(a, b)
    a.insert_items([location(1, "(C//REL TO USA, GBR)")])
    return a, b


def test_a_sequence_number_of_10_to_the_12_is_one_range_in_under_a_second(
        tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    with a, b:
        for n in range(1, 7):
            import_bundle(b, build_bytes(a, sequence=n))
        data = build_bytes(a, sequence=TOP)
        with time_limit(5):
            start = time.perf_counter()
            v = check_bundle(b, data)
            checked = time.perf_counter() - start
            start = time.perf_counter()
            r = import_bundle(b, data)
            imported = time.perf_counter() - start
        assert checked < 1.0 and imported < 1.0, (checked, imported)
        assert v.ok and v.gaps == (Gap(7, TOP - 1),)
        assert "7-999999999998 missing" in "\n".join(v.lines())
        assert v.suspicious.startswith("SUSPICIOUS: sequence number 999999999999 jumps")
        assert "highest number seen from this sender (6)" in v.suspicious
        assert r.status == "imported" and r.items.unchanged == 1  # merged all the same
        assert r.gaps == (Gap(7, TOP - 1),)
        assert "missing 7-999999999998" in r.verification.check("sequence").detail
        detail = json.loads(b.conn.execute(
            "SELECT detail FROM audit WHERE action = 'exchange.import' ORDER BY seq DESC "
            "LIMIT 1").fetchone()[0])
        assert detail["gaps"] == [[7, TOP - 1]] and "SUSPICIOUS" in detail["suspicious"]
        # The next bundle in order is not suspicious; the big range is still reported.
        r7 = import_bundle(b, build_bytes(a, sequence=7))
        assert r7.gaps == (Gap(8, TOP - 1),) and not r7.verification.suspicious


def test_gaps_are_ranges_and_the_jump_bound_is_configurable(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    with a, b:
        for n in (1, 3, 4):
            import_bundle(b, build_bytes(a, sequence=n))
        data = build_bytes(a, sequence=9)
        v = check_bundle(b, data)
        assert v.gaps == (Gap(2, 2), Gap(5, 8)) and not v.suspicious
        assert "missing 2, 5-8" in v.check("sequence").detail
        strict = check_bundle(b, data, max_jump=4)  # 9 is 5 past the highest seen, 4
        assert "more than the bound of 4" in strict.suspicious
        assert check_bundle(b, data, max_jump=5).suspicious == ""
        with pytest.raises(BundleError, match="already used by another bundle"):
            import_bundle(b, build_bytes(a, sequence=3))
        r = import_bundle(b, data)
        assert r.gaps == (Gap(2, 2), Gap(5, 8))
        replay = import_bundle(b, data)
        assert replay.status == "replay" and replay.gaps == (Gap(2, 2), Gap(5, 8))


def test_many_ranges_are_written_out_up_to_a_bound() -> None:
    gaps = [Gap(n, n + 1) for n in range(1, 100, 3)]  # 33 ranges of 2 numbers
    text = gaps_text(gaps, shown=3)
    assert text == "1-2, 4-5, 7-8 and 30 more ranges (60 numbers)"
    assert gaps_text([Gap(5, 5)]) == "5"


def test_cli_notes_a_suspicious_jump_for_the_security_officer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    a, b = _pair(tmp_path)
    with a, b:
        (tmp_path / "far.bundle").write_bytes(build_bytes(a, sequence=TOP))
    monkeypatch.setenv("HSTC_USER", ADMIN)
    monkeypatch.setenv("HSTC_PASSWORD", ADMIN_PW)
    bundle, store = str(tmp_path / "far.bundle"), str(tmp_path / "b")
    with time_limit(20):
        assert main(["verify", bundle, "--store", store]) == 0
        out = capsys.readouterr().out
        assert "sequence gaps from this sender: 1-999999999998 missing" in out
        assert "SUSPICIOUS" in out
        assert main(["import", store, bundle, "--max-sequence-jump", "1000000000000"]) == 0
    err = capsys.readouterr().err
    assert "bundles 1-999999999998 from this sender have not arrived" in err
    assert "SUSPICIOUS" not in err  # within the bound given
