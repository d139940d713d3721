"""The ``hstc`` contract, driven as a script drives it: exit codes, stdout, stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ADMIN, ANALYST, ANALYST_PW, run_hstc


def test_marking_rollup_prints_the_banner() -> None:
    r = run_hstc("marking", "rollup", "(S//SI//NF)", "(TS//HCS/SI//OC)", "(U//FOUO)",
                 password=None, user=None)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "TOP SECRET//HCS/SI//ORCON/NOFORN"


def test_marking_check_valid_and_invalid() -> None:
    ok = run_hstc("marking", "check", "secret//rel to usa, gbr", password=None, user=None)
    assert ok.returncode == 0, ok.stderr
    assert "(S//REL TO USA, GBR)" in ok.stdout
    bad = run_hstc("marking", "check", "(U//OC)", password=None, user=None)
    assert bad.returncode == 1
    assert "ORCON" in bad.stderr and "Traceback" not in bad.stderr
    bad = run_hstc("marking", "check", "(S//XYZZY)", password=None, user=None)
    assert bad.returncode == 1 and "XYZZY" in bad.stderr


def test_usage_errors_exit_2() -> None:
    assert run_hstc().returncode == 2
    r = run_hstc("search")
    assert r.returncode == 2 and "usage" in r.stderr and "Traceback" not in r.stderr
    r = run_hstc("init", "x", "--role", "king")
    assert r.returncode == 2


def test_missing_password_is_a_usage_error(demo_copy: Path) -> None:
    r = run_hstc("stats", str(demo_copy), password=None)
    assert r.returncode == 2 and "HSTC_PASSWORD" in r.stderr


def test_search_show_stats_json(demo_copy: Path) -> None:
    r = run_hstc("search", str(demo_copy), "smuggling", "--limit", "7", "--json",
                 user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert 1 <= len(hits) <= 7
    assert all(h["marking"].startswith("(") for h in hits)
    ranks = [h["rank"] for h in hits]
    assert ranks == sorted(ranks)
    shown = run_hstc("show", str(demo_copy), hits[0]["id"], "--json", user=ANALYST,
                     password=ANALYST_PW)
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["id"] == hits[0]["id"] and doc["marking"] == hits[0]["marking"]
    text = run_hstc("show", str(demo_copy), hits[0]["id"], user=ANALYST, password=ANALYST_PW)
    lines = text.stdout.strip().splitlines()
    assert lines[0] == lines[-1]  # the banner at top and bottom
    stats = json.loads(run_hstc("stats", str(demo_copy), "--json").stdout)
    assert stats["items"] == 3000
    assert len(stats["content_digest"]) == 64
    assert stats["audit_head"].split(":")[0].isdigit()


def test_show_unknown_item(demo_copy: Path) -> None:
    r = run_hstc("show", str(demo_copy), "PER-0000000000000000")
    assert r.returncode == 1 and "no item PER-0000000000000000" in r.stderr


def test_user_add_needs_admin(demo_copy: Path) -> None:
    r = run_hstc("user", "add", str(demo_copy), "newbie", "--role", "analyst",
                 user=ANALYST, password=ANALYST_PW, env={"HSTC_NEW_PASSWORD": "x" * 12})
    assert r.returncode == 1 and "admin" in r.stderr
    r = run_hstc("user", "add", str(demo_copy), "newbie", "--role", "analyst",
                 env={"HSTC_NEW_PASSWORD": "newbie pass 12"})
    assert r.returncode == 0, r.stderr
    r = run_hstc("stats", str(demo_copy), user="newbie", password="newbie pass 12")
    assert r.returncode == 0, r.stderr
    listed = run_hstc("user", "list", str(demo_copy)).stdout
    assert "newbie\tanalyst" in listed and f"{ADMIN}\tadmin" in listed


@pytest.mark.parametrize("bad", ["", "TS//XX", "Q"])
def test_init_refuses_bad_accreditation(tmp_path: Path, bad: str) -> None:
    r = run_hstc("init", str(tmp_path / "s"), "--accreditation", bad)
    assert r.returncode == 1, r.stdout
    assert "Traceback" not in r.stderr


def test_init_refuses_existing_store(demo_copy: Path) -> None:
    r = run_hstc("init", str(demo_copy))
    assert r.returncode == 1 and "already exists" in r.stderr


def test_check_reports_an_intact_store(demo_copy: Path) -> None:
    r = run_hstc("check", str(demo_copy))
    assert r.returncode == 0 and "intact" in r.stdout


def test_bench_prints_every_figure_beside_its_baseline(tmp_path: Path) -> None:
    r = run_hstc("bench", "--items", "1500", "--sections", "store,browser,exchange,visual",
                 "--json", "--dir", str(tmp_path / "bench"), password=None, user=None,
                 env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr[-2000:]
    doc = json.loads(r.stdout)
    store = doc["store"]
    assert store["insert"]["items"] == 1500 and store["insert"]["raw_items_per_s"] > 0
    for label in ("common", "medium", "rare"):
        if label in store["search"]:
            assert store["search"][label]["same_results_as_raw"] is True
            assert store["search"][label]["raw_ms"] > 0
    assert doc["browser"]["first_page"]["raw_ms"] > 0
    assert doc["browser"]["memory"]["peak_rss_mb"] > 0
    assert doc["exchange"]["verify"]["ok"] is True and doc["exchange"]["import"]["raw_s"] > 0
    visual = doc["visual"]["sizes"]
    assert sorted(map(int, visual)) == [1000, 1500]
    for size in visual.values():
        for view in ("timeline", "map"):
            assert size[view]["build_ms"] > 0 and size[view]["filter"]["worst_ms"] > 0
        assert size["bare"]["zoom"]["median_ms"] > 0 and size["vs_bare"]["zoom"] > 0
        assert size["memory"]["rss_after_views_mib"] > 0
    assert run_hstc("bench", "--sections", "nope", password=None, user=None).returncode == 2
