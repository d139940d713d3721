"""User lifecycle through the real ``hstc`` (issue 12, item 1): passwd, reset, disable, enable,
remove, and the password policy."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import sqlcipher3

from hstc_desk.store import AuthError, Store, StoreError, user_lifecycle
from hstc_desk.store.connection import connect
from hstc_desk.store.keyslots import KeySlots, PasswordChangeRequired

from conftest import (
    ADMIN,
    ADMIN_PW,
    ANALYST,
    ANALYST_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    make_store,
    run_hstc,
)


def _opens(db: Path, key: bytes) -> bool:
    try:
        connect(db, key).close()
    except sqlcipher3.DatabaseError:
        return False
    return True


def _slots_doc(store: Path) -> dict:
    return json.loads((store / "keyslots.json").read_text())


def _approved_product(store: Path) -> str:
    s_ = str(store)
    r = run_hstc("product", "new", s_, "--type", "intelligence_bulletin", "--title",
                 "Darien crossings", "--title-marking", "(U)", "--portion",
                 "(S//NF) Guides charge per head.", "--classified-by", "J. Doe",
                 "--derived-from", "Multiple Sources", "--declassify-on", "25X1, 20761231",
                 user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    pid = r.stdout.splitlines()[0]
    r = run_hstc("product", "submit", s_, pid, user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    r = run_hstc("product", "approve", s_, pid, user=SUPERVISOR, password=SUPERVISOR_PW,
                 env={"HSTC_CONFIRM_PASSWORD": SUPERVISOR_PW})
    assert r.returncode == 0, r.stderr
    return pid


def test_removed_users_password_opens_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=30)
    old = (store / "keyslots.json").read_bytes()
    r = run_hstc("user", "remove", str(store), ANALYST)
    assert r.returncode == 2 and "pass --yes" in r.stderr  # no terminal: no silent removal
    assert (store / "keyslots.json").read_bytes() == old
    r = run_hstc("user", "remove", str(store), ANALYST, "--yes")
    assert r.returncode == 0, r.stderr
    assert f"removed user {ANALYST}" in r.stdout and "store rekeyed" in r.stdout
    r = run_hstc("stats", str(store), user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1 and r.stderr == "hstc: error: wrong user or password\n"
    assert ANALYST not in _slots_doc(store)["slots"]
    # The old slot file: the analyst's password unwraps the old key, which opens nothing now.
    (tmp_path / "old.json").write_bytes(old)
    old_key = KeySlots.load(tmp_path / "old.json").unlock(ANALYST, ANALYST_PW).db_key
    assert not _opens(store / "store.db", old_key)
    # The row stays (certificates and audit records name them), marked removed.
    listed = json.loads(run_hstc("user", "list", str(store), "--json").stdout)
    states = {u["name"]: u["state"] for u in listed}
    assert (states[ADMIN], states[ANALYST], states[SUPERVISOR]) == ("active", "removed", "active")
    assert list(states.values()).count("removed") == 1
    # Everyone else still opens it, and the trail verifies.
    r = run_hstc("stats", str(store), user=SUPERVISOR, password=SUPERVISOR_PW)
    assert r.returncode == 0, r.stderr
    r = run_hstc("audit", "verify", str(store))
    assert r.returncode == 0, r.stderr
    r = run_hstc("check", str(store))
    assert r.returncode == 0, r.stderr
    # Removed is for good.
    for verb in ("enable", "disable", "reset"):
        args = ["user", verb, str(store), ANALYST] + (["--yes"] if verb == "disable" else [])
        r = run_hstc(*args)
        assert r.returncode == 1 and "removed" in r.stderr and "Traceback" not in r.stderr
    print("removed user: their password and the old slot file open nothing; 3 later acts "
          "refused")


def test_disable_rekeys_and_enable_lets_them_back_with_their_password(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=10)
    (tmp_path / "old.json").write_bytes((store / "keyslots.json").read_bytes())
    r = run_hstc("user", "disable", str(store), SUPERVISOR, "--yes")
    assert r.returncode == 0 and "store rekeyed" in r.stdout, r.stderr
    r = run_hstc("stats", str(store), user=SUPERVISOR, password=SUPERVISOR_PW)
    assert r.returncode == 1 and r.stderr == "hstc: error: wrong user or password\n"
    old_key = KeySlots.load(tmp_path / "old.json").unlock(SUPERVISOR, SUPERVISOR_PW).db_key
    assert not _opens(store / "store.db", old_key)
    r = run_hstc("user", "enable", str(store), SUPERVISOR)
    assert r.returncode == 0 and "rekeyed" not in r.stdout, r.stderr
    r = run_hstc("stats", str(store), user=SUPERVISOR, password=SUPERVISOR_PW)
    assert r.returncode == 0, r.stderr


def test_reset_forces_a_new_password_at_first_unlock(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=10)
    r = run_hstc("user", "reset", str(store), ANALYST)
    assert r.returncode == 0, r.stderr
    one_time = next(x.split(": ", 1)[1] for x in r.stdout.splitlines()
                    if x.startswith("one-time password: "))
    assert len(one_time) >= 12
    # The old password is gone; the one-time one opens nothing but the password change.
    r = run_hstc("stats", str(store), user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1 and r.stderr == "hstc: error: wrong user or password\n"
    for cmd in (["stats", str(store)], ["search", str(store), "smuggling"]):
        r = run_hstc(*cmd, user=ANALYST, password=one_time)
        assert r.returncode == 1, r.stdout
        assert "was reset by an admin" in r.stderr and "hstc user passwd" in r.stderr
    with pytest.raises(PasswordChangeRequired):
        Store.open(store, ANALYST, one_time)
    listed = run_hstc("user", "list", str(store)).stdout
    assert "must change it" in listed
    # Too short for the policy: refused, and the one-time password still stands.
    r = run_hstc("user", "passwd", str(store), user=ANALYST, password=one_time,
                 env={"HSTC_NEW_PASSWORD": "short"})
    assert r.returncode == 1 and "at least 12 characters" in r.stderr
    r = run_hstc("user", "passwd", str(store), user=ANALYST, password=one_time,
                 env={"HSTC_NEW_PASSWORD": "my own new pass phrase"})
    assert r.returncode == 0, r.stderr
    r = run_hstc("stats", str(store), user=ANALYST, password="my own new pass phrase")
    assert r.returncode == 0, r.stderr
    r = run_hstc("stats", str(store), user=ANALYST, password=one_time)
    assert r.returncode == 1 and r.stderr == "hstc: error: wrong user or password\n"
    assert "must change it" not in run_hstc("user", "list", str(store)).stdout


def test_must_change_mark_cannot_be_stripped(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        one_time = user_lifecycle.reset(s, ANALYST).one_time_password
    doc = _slots_doc(store)
    assert doc["slots"][ANALYST]["must_change"] is True
    doc["slots"][ANALYST]["must_change"] = False
    (store / "keyslots.json").write_text(json.dumps(doc))
    with pytest.raises(AuthError):  # the mark is in the wrapped keys' associated data
        Store.open(store, ANALYST, one_time)


def test_old_signoffs_by_a_retired_key_still_verify(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    pid = _approved_product(store)
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        old = user_lifecycle.get_user(s, SUPERVISOR).public_key
        result = user_lifecycle.reset(s, SUPERVISOR)
    with user_lifecycle.change_password_at(store, SUPERVISOR, result.one_time_password,
                                           "supervisor's new pass phrase") as s:
        assert user_lifecycle.get_user(s, SUPERVISOR).public_key != old  # a new signing key
    r = run_hstc("product", "verify", str(store), pid)
    assert r.returncode == 0 and "sign-off VALID" in r.stdout, r.stdout + r.stderr
    # The supervisor signs with the new key from now on, and that verifies too.
    pid2 = _approved_product_as(store, "supervisor's new pass phrase")
    r = run_hstc("product", "verify", str(store), pid2)
    assert r.returncode == 0 and "sign-off VALID" in r.stdout, r.stdout + r.stderr
    # Removed later: what they signed still verifies.
    r = run_hstc("user", "remove", str(store), SUPERVISOR, "--yes")
    assert r.returncode == 0, r.stderr
    for p in (pid, pid2):
        r = run_hstc("product", "verify", str(store), p)
        assert r.returncode == 0 and "sign-off VALID" in r.stdout, r.stdout + r.stderr
    r = run_hstc("audit", "verify", str(store))
    assert r.returncode == 0, r.stderr
    print("2 sign-offs (one by a retired key) verify after reset and after removal")


def _approved_product_as(store: Path, sup_pw: str) -> str:
    s_ = str(store)
    r = run_hstc("product", "new", s_, "--type", "intelligence_bulletin", "--title",
                 "Second bulletin", "--title-marking", "(U)", "--portion", "(U) Text.",
                 user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    pid = r.stdout.splitlines()[0]
    assert run_hstc("product", "submit", s_, pid, user=ANALYST,
                    password=ANALYST_PW).returncode == 0
    r = run_hstc("product", "approve", s_, pid, user=SUPERVISOR, password=sup_pw,
                 env={"HSTC_CONFIRM_PASSWORD": sup_pw})
    assert r.returncode == 0, r.stderr
    return pid


def test_passwd_rewraps_only_the_users_slot(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=10)
    before = _slots_doc(store)
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        row = s.conn.execute("SELECT name, role, clearance, public_key, state FROM users "
                             "WHERE name = ?", (ANALYST,)).fetchone()
        certs = s.conn.execute("SELECT count(*) FROM certificates").fetchone()[0]
    (tmp_path / "old.json").write_bytes((store / "keyslots.json").read_bytes())
    r = run_hstc("user", "passwd", str(store), user=ANALYST, password=ANALYST_PW,
                 env={"HSTC_NEW_PASSWORD": "a changed pass phrase"})
    assert r.returncode == 0, r.stderr
    after = _slots_doc(store)
    assert after["slots"][ADMIN] == before["slots"][ADMIN]
    assert after["slots"][SUPERVISOR] == before["slots"][SUPERVISOR]
    assert after["slots"][ANALYST] != before["slots"][ANALYST]
    with Store.open(store, ANALYST, "a changed pass phrase") as s:
        assert s.conn.execute("SELECT name, role, clearance, public_key, state FROM users "
                              "WHERE name = ?", (ANALYST,)).fetchone() == row
        assert s.conn.execute("SELECT count(*) FROM certificates").fetchone()[0] == certs
        assert [r[0] for r in s.conn.execute(
            "SELECT action FROM audit ORDER BY seq DESC LIMIT 1")] == ["user.passwd"]
    r = run_hstc("stats", str(store), user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1
    # Wrong current password: refused, nothing written.
    snap = (store / "keyslots.json").read_bytes()
    r = run_hstc("user", "passwd", str(store), user=ANALYST, password="not my password",
                 env={"HSTC_NEW_PASSWORD": "another pass phrase"})
    assert r.returncode == 1 and r.stderr == "hstc: error: wrong user or password\n"
    assert (store / "keyslots.json").read_bytes() == snap


def test_password_policy_minimum_length(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    r = run_hstc("policy", "set", str(store), "--password-min-length", "20")
    assert r.returncode == 0, r.stderr
    assert "password_min_length          20 characters" in r.stdout
    r = run_hstc("policy", "set", str(store), "--password-min-length", "7")
    assert r.returncode == 2 and "from 8 to 128 characters" in r.stderr
    r = run_hstc("policy", "set", str(store), "--password-min-length", "30",
                 user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1 and "only an admin" in r.stderr
    snap = (store / "keyslots.json").read_bytes()
    r = run_hstc("user", "add", str(store), "newbie", "--role", "analyst",
                 env={"HSTC_NEW_PASSWORD": "nineteen characters"})
    assert r.returncode == 1
    assert r.stderr == ("hstc: error: the password must be at least 20 characters long (the "
                        "workstation policy); it has 19\n")
    r = run_hstc("user", "passwd", str(store), user=ANALYST, password=ANALYST_PW,
                 env={"HSTC_NEW_PASSWORD": "still too short here"[:19]})
    assert r.returncode == 1 and "at least 20 characters" in r.stderr
    (tmp_path / "otp").write_text("short one-time pw")
    r = run_hstc("user", "reset", str(store), ANALYST, "--one-time-password-file",
                 str(tmp_path / "otp"))
    assert r.returncode == 1 and "at least 20 characters" in r.stderr
    assert (store / "keyslots.json").read_bytes() == snap  # nothing written by any of them
    r = run_hstc("user", "add", str(store), "newbie", "--role", "analyst",
                 env={"HSTC_NEW_PASSWORD": "twenty characters ok"})
    assert r.returncode == 0, r.stderr
    r = run_hstc("user", "reset", str(store), "newbie")
    assert r.returncode == 0, r.stderr
    one_time = r.stdout.split("one-time password: ")[1].split()[0]
    assert len(one_time) >= 20  # made long enough for the policy


def test_who_may_do_what(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    snap = (store / "keyslots.json").read_bytes()
    cases: list[tuple[list[str], str, str, str]] = [
        (["user", "reset", str(store), SUPERVISOR], ANALYST, ANALYST_PW, "needs admin"),
        (["user", "remove", str(store), SUPERVISOR, "--yes"], ANALYST, ANALYST_PW,
         "needs admin"),
        (["user", "disable", str(store), ADMIN, "--yes"], ADMIN, ADMIN_PW, "their own"),
        (["user", "remove", str(store), "nobody", "--yes"], ADMIN, ADMIN_PW, "no user"),
        (["user", "enable", str(store), ANALYST], ADMIN, ADMIN_PW, "already active"),
        (["user", "rekey", str(store)], ANALYST, ANALYST_PW, "needs admin"),
    ]
    for args, user, pw, words in cases:
        r: subprocess.CompletedProcess[str] = run_hstc(*args, user=user, password=pw)
        assert r.returncode == 1, (args, r.stdout)
        assert "Traceback" not in r.stderr
        assert words.split()[-1] in r.stderr, (args, r.stderr)
    assert (store / "keyslots.json").read_bytes() == snap
    # An admin acts on another admin, never on themselves.
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        user_lifecycle.add_user(s, "admin2", "second admin pass phrase", "admin")
    with Store.open(store, "admin2", "second admin pass phrase") as s:
        user_lifecycle.remove(s, ADMIN)
        with pytest.raises(StoreError, match="their own"):
            user_lifecycle.remove(s, "admin2")
    print(f"{len(cases) + 1} refusals, each with its reason, nothing written")


def test_admin_rekey_on_its_own(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=20)
    (tmp_path / "old.json").write_bytes((store / "keyslots.json").read_bytes())
    slots = len(json.loads((store / "keyslots.json").read_text())["slots"])
    r = run_hstc("user", "rekey", str(store))
    assert r.returncode == 0, r.stderr
    assert f"{slots} key slots hold the new database key" in r.stdout, r.stdout
    old_key = KeySlots.load(tmp_path / "old.json").unlock(ADMIN, ADMIN_PW).db_key
    assert not _opens(store / "store.db", old_key)
    for user, pw in ((ADMIN, ADMIN_PW), (ANALYST, ANALYST_PW), (SUPERVISOR, SUPERVISOR_PW)):
        r = run_hstc("stats", str(store), "--json", user=user, password=pw)
        assert r.returncode == 0 and json.loads(r.stdout)["items"] == 20, r.stderr
