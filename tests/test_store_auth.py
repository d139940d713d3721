"""Wrong users and passwords: one clear refusal, and not one byte of the database or the key
slots changes; each attempt is counted in the side file beside them (never its password)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hstc_desk.store import AuthError, NotAStoreError, Store
from hstc_desk.store.failed_unlocks import SIDE_NAME

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, run_hstc, store_bytes


def _wrong_passwords(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    near = [ANALYST_PW[:-1], ANALYST_PW + " ", ANALYST_PW.upper(), "", " ", ANALYST_PW[1:],
            "analyst pass phrase 8", "\x00", "ünïcödé", "a" * 4096]
    rand = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 !@#") for _ in
                    range(rng.randint(1, 40))) for _ in range(n)]
    return (near + rand)[:n]


def test_47_wrong_passwords_refused_and_store_unchanged(demo_copy: Path) -> None:
    before = store_bytes(demo_copy)
    before.pop(SIDE_NAME, None)  # an earlier unlock may have left it, emptied
    attempts = 0
    for pw in _wrong_passwords(47, seed=3):
        with pytest.raises(AuthError) as info:
            Store.open(demo_copy, ANALYST, pw)
        assert str(info.value) == "wrong user or password"
        attempts += 1
    # A user who does not exist gets the very same message.
    with pytest.raises(AuthError, match=r"^wrong user or password$"):
        Store.open(demo_copy, "mallory", ANALYST_PW)
    assert attempts == 47
    after = store_bytes(demo_copy)
    side = after.pop(SIDE_NAME).decode()
    assert after == before
    assert side.count("\n") == 48 and side.count('"user": "ana"') == 47
    assert not any(pw in side for pw in _wrong_passwords(47, seed=3) if len(pw) > 5)
    # And the right password still opens it, and says how many attempts failed.
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as s:
        assert s.user.role == "analyst" and s.failed_unlocks == 47


@pytest.mark.slow
def test_3_wrong_passwords_through_the_real_kdf_and_cli(tmp_path: Path) -> None:
    store = tmp_path / "real"
    made = run_hstc("init", str(store), "--role", "admin")
    assert made.returncode == 0, made.stderr
    slots = (store / "keyslots.json").read_text()
    assert '"memory_kib": 65536' in slots  # the command line uses the real Argon2id cost
    before = store_bytes(store)
    before.pop(SIDE_NAME, None)  # an earlier unlock may have left it, emptied
    for pw in ["wrong", ADMIN_PW + "x", ""]:
        r = run_hstc("stats", str(store), password=pw)
        assert r.returncode == 1
        assert r.stderr.strip() == "hstc: error: wrong user or password"
        assert "Traceback" not in r.stderr
    r = run_hstc("stats", str(store), user="nobody")
    assert r.returncode == 1 and "wrong user or password" in r.stderr
    after = store_bytes(store)
    assert after.pop(SIDE_NAME).count(b'"where": "cli"') == 4
    assert after == before
    assert run_hstc("stats", str(store)).returncode == 0


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotAStoreError, match="not an HSTC store"):
        Store.open(tmp_path, ADMIN, ADMIN_PW)
    r = run_hstc("stats", str(tmp_path / "missing"))
    assert r.returncode == 1 and "not an HSTC store" in r.stderr


def test_each_user_has_their_own_password(demo_copy: Path) -> None:
    with pytest.raises(AuthError):
        Store.open(demo_copy, ANALYST, ADMIN_PW)
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        assert s.user.role == "admin"
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as s:
        assert s.user.role == "analyst"
