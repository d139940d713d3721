"""The workstation's security policy (issue 9, item 4): in the encrypted store, set by an admin
only, every change audited with its old and new value; preferences never exceed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hstc_desk.store import PermissionDenied, Store, StoreError, policy
from hstc_desk.store.policy import Policy

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, run_hstc


def _policy_records(store: Store) -> list[tuple[str, str, dict]]:
    rows = store.conn.execute("SELECT actor, target, detail FROM audit "
                              "WHERE action = 'policy.set' ORDER BY seq")
    return [(a, t, json.loads(d)) for a, t, d in rows]


def test_defaults_until_an_admin_sets_them(empty_store: Path) -> None:
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:
        assert policy.load(s) == Policy(idle_lock_max_minutes=15, clipboard_clear_max_seconds=60)


def test_admin_sets_policy_audited_with_old_and_new(empty_store: Path) -> None:
    with Store.open(empty_store, ADMIN, ADMIN_PW) as s:
        now = policy.update(s, idle_lock_max_minutes=5, clipboard_clear_max_seconds=20)
        assert now == Policy(5, 20)
        assert _policy_records(s) == [
            (ADMIN, "idle_lock_max_minutes", {"old": 15, "new": 5, "unit": "minutes"}),
            (ADMIN, "clipboard_clear_max_seconds", {"old": 60, "new": 20, "unit": "seconds"})]
        policy.update(s, idle_lock_max_minutes=5)  # no change: no record
        assert len(_policy_records(s)) == 2
        policy.update(s, idle_lock_max_minutes=8)
        assert _policy_records(s)[-1][2] == {"old": 5, "new": 8, "unit": "minutes"}
        assert s.verify_audit().ok
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:  # read by everyone, from the store
        assert policy.load(s) == Policy(8, 20)


@pytest.mark.parametrize("user,pw", [(ANALYST, ANALYST_PW), (SUPERVISOR, SUPERVISOR_PW)])
def test_only_an_admin_may_change_it(empty_store: Path, user: str, pw: str) -> None:
    with Store.open(empty_store, user, pw) as s:
        head = s.audit_head()
        with pytest.raises(PermissionDenied, match=r"only an admin \(the security officer\)"):
            policy.update(s, idle_lock_max_minutes=240)
        assert policy.load(s) == Policy() and s.audit_head() == head


@pytest.mark.parametrize("name,value", [
    ("idle_lock_max_minutes", 0), ("idle_lock_max_minutes", 241),
    ("clipboard_clear_max_seconds", 4), ("clipboard_clear_max_seconds", 601),
    ("idle_lock_max_minutes", 2.5), ("lock_never", 1)])
def test_out_of_range_values_are_refused(empty_store: Path, name: str, value: object) -> None:
    with Store.open(empty_store, ADMIN, ADMIN_PW) as s:
        with pytest.raises(StoreError):
            policy.update(s, **{name: value})
        assert policy.load(s) == Policy() and _policy_records(s) == []


def test_preferences_are_clamped_to_the_policy() -> None:
    p = Policy(idle_lock_max_minutes=5, clipboard_clear_max_seconds=30)
    assert p.clamp_idle_minutes(240) == 5 and p.clamp_idle_minutes(3) == 3
    assert p.clamp_clipboard_seconds(600) == 30 and p.clamp_clipboard_seconds(10) == 10


def test_cli_policy_show_and_set(empty_store: Path) -> None:
    r = run_hstc("policy", "set", str(empty_store), "--idle-lock-max", "12",
                 "--clipboard-clear", "25")
    assert r.returncode == 0, r.stderr
    assert "idle_lock_max_minutes        12 minutes" in r.stdout
    r = run_hstc("policy", "show", str(empty_store), "--json", user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"idle_lock_max_minutes": 12, "clipboard_clear_max_seconds": 25,
                                    "password_min_length": 12}
    r = run_hstc("policy", "set", str(empty_store), "--idle-lock-max", "240", user=ANALYST,
                 password=ANALYST_PW)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == ("hstc: error: ana is analyst: only an admin (the security "
                                "officer) may change the workstation policy")
    r = run_hstc("policy", "set", str(empty_store), "--idle-lock-max", "999")
    assert r.returncode == 2 and "--idle-lock-max must be from 1 to 240 minutes" in r.stderr
    r = run_hstc("policy", "set", str(empty_store))
    assert r.returncode == 2 and "nothing to set" in r.stderr
    with Store.open(empty_store, ADMIN, ADMIN_PW) as s:
        assert policy.load(s) == Policy(12, 25)
        assert [t for _, t, _ in _policy_records(s)] == ["idle_lock_max_minutes",
                                                         "clipboard_clear_max_seconds"]
