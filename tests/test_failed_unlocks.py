"""Failed unlocks leave a trace (issue 9, item 5): a side file beside the store, never the
password, moved into the audit chain by the next successful unlock; a marking change is audited
with its old and new value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hstc_desk.domain import revise
from hstc_desk.store import AuthError, Store, failed_unlocks
from hstc_desk.store.failed_unlocks import MAX_ENTRIES, SIDE_NAME, UNKNOWN_USER

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, run_hstc

WRONG = ["analyst pass phrase 8", "Analyst Pass Phrase 7", "hunter2-not-it"]


def _core(path: Path) -> dict[str, bytes]:
    return {name: (path / name).read_bytes() for name in ("store.db", "keyslots.json")}


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in (path / SIDE_NAME).read_text().splitlines()]


def _failed_records(store: Store) -> list[tuple[str, str, dict]]:
    rows = store.conn.execute("SELECT actor, target, detail FROM audit "
                              "WHERE action = 'unlock.failed' ORDER BY seq")
    return [(a, t, json.loads(d)) for a, t, d in rows]


def test_wrong_passwords_go_to_the_side_file_not_the_store(empty_store: Path) -> None:
    before = _core(empty_store)
    for pw in WRONG:
        with pytest.raises(AuthError):
            Store.open(empty_store, ANALYST, pw, where="window")
    with pytest.raises(AuthError):
        Store.open(empty_store, "mallory", "my-password-typed-as-name", where="lock screen")
    with pytest.raises(AuthError):  # a password typed into the user field is not kept either
        Store.open(empty_store, ANALYST_PW, ANALYST_PW, where="cli")
    assert _core(empty_store) == before  # not one byte of the database or the key slots
    lines = _lines(empty_store)
    assert [(e["user"], e["where"]) for e in lines] == [
        (ANALYST, "window"), (ANALYST, "window"), (ANALYST, "window"),
        (UNKNOWN_USER, "lock screen"), (UNKNOWN_USER, "cli")]
    for e in lines:
        at = datetime.fromisoformat(e["at"])
        assert at.tzinfo is not None and abs((datetime.now(UTC) - at).total_seconds()) < 120
        assert set(e) == {"id", "at", "user", "where"}
    text = (empty_store / SIDE_NAME).read_text()
    for secret in [*WRONG, ANALYST_PW, "mallory", "my-password"]:
        assert secret not in text
    assert oct((empty_store / SIDE_NAME).stat().st_mode & 0o777) == "0o600"


def test_next_unlock_moves_them_into_the_chain_and_tells_the_user(empty_store: Path) -> None:
    for pw in WRONG:
        with pytest.raises(AuthError):
            Store.open(empty_store, ANALYST, pw, where="window")
    with pytest.raises(AuthError):
        Store.open(empty_store, "nobody", "x", where="cli")
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:
        assert s.failed_unlocks == 3
        assert failed_unlocks.message(s.failed_unlocks).startswith("3 failed unlocks")
        records = _failed_records(s)
        assert [(a, t, d["where"]) for a, t, d in records] == [
            (ANALYST, ANALYST, "window")] * 3 + [(ANALYST, UNKNOWN_USER, "cli")]
        assert all(datetime.fromisoformat(d["failed_at"]).tzinfo for _, _, d in records)
        assert s.verify_audit().ok
        head = s.audit_head()
    assert (empty_store / SIDE_NAME).read_bytes() == b""  # moved, not copied
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:  # nothing new: nothing said or written
        assert s.failed_unlocks == 0 and s.audit_head() == head


def test_failures_moved_by_someone_else_still_reach_their_owner(empty_store: Path) -> None:
    for _ in range(2):
        with pytest.raises(AuthError):
            Store.open(empty_store, ANALYST, "wrong", where="window")
    with pytest.raises(AuthError):
        Store.open(empty_store, SUPERVISOR, "wrong", where="cli")
    with Store.open(empty_store, ADMIN, ADMIN_PW) as s:
        assert s.failed_unlocks == 0  # none under the admin's name
        assert len(_failed_records(s)) == 3  # all moved by the admin's unlock
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:
        assert s.failed_unlocks == 2
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:
        assert s.failed_unlocks == 0
    with Store.open(empty_store, SUPERVISOR, SUPERVISOR_PW) as s:
        assert s.failed_unlocks == 1
        assert len(_failed_records(s)) == 3  # told, never recorded twice


def test_an_unwritable_side_file_does_not_turn_a_refusal_into_a_crash(empty_store: Path) -> None:
    (empty_store / SIDE_NAME).mkdir()  # cannot be opened as a file: as good as a read-only disk
    before = _core(empty_store)
    with pytest.raises(AuthError):
        Store.open(empty_store, ANALYST, "wrong", where="window")
    assert _core(empty_store) == before
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:  # and the unlock still works
        assert s.failed_unlocks == 0


def test_the_side_file_is_bounded_and_overflow_is_counted(empty_store: Path) -> None:
    extra = 40
    for _ in range(MAX_ENTRIES + extra):
        assert failed_unlocks.record(empty_store, ANALYST, "cli", known_user=True)
    lines = _lines(empty_store)
    assert len(lines) <= MAX_ENTRIES
    folded = [e for e in lines if e.get("folded")]
    assert len(folded) == 1
    assert folded[0]["folded"] + len(lines) - 1 == MAX_ENTRIES + extra  # every attempt counted
    with Store.open(empty_store, ADMIN, ADMIN_PW) as s:
        records = _failed_records(s)
        assert len(records) == len(lines)
        assert sum(d.get("folded", 1) for _, _, d in records) == MAX_ENTRIES + extra


def test_a_move_interrupted_before_the_truncation_is_not_repeated(empty_store: Path) -> None:
    for pw in WRONG[:2]:
        with pytest.raises(AuthError):
            Store.open(empty_store, ANALYST, pw, where="window")
    kept = (empty_store / SIDE_NAME).read_bytes()
    with Store.open(empty_store, ADMIN, ADMIN_PW):
        pass
    # As if the program died after the audit commit and before emptying the file.
    (empty_store / SIDE_NAME).write_bytes(kept + b"not json at all\n{\"id\": 1}\n")
    with pytest.raises(AuthError):
        Store.open(empty_store, ANALYST, "third", where="cli")
    with Store.open(empty_store, ANALYST, ANALYST_PW) as s:
        assert s.failed_unlocks == 3
        assert [d["where"] for _, _, d in _failed_records(s)] == ["window", "window", "cli"]


def test_cli_records_where_and_reports_on_stderr(empty_store: Path) -> None:
    r = run_hstc("stats", str(empty_store), user=ANALYST, password="wrong")
    assert r.returncode == 1 and r.stderr.strip() == "hstc: error: wrong user or password"
    assert [e["where"] for e in _lines(empty_store)] == ["cli"]
    r = run_hstc("stats", str(empty_store), user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == ("hstc: 1 failed unlock under your name since your last unlock "
                                "(recorded in the audit log).")
    r = run_hstc("audit", "log", str(empty_store))
    assert "unlock.failed" in r.stdout and ANALYST in r.stdout


def test_marking_changes_are_audited_with_old_and_new(demo_copy: Path) -> None:
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as s:
        item_id = s.conn.execute("SELECT id FROM items WHERE marking IN ('(U)', '(C)') "
                                 "ORDER BY rid LIMIT 1").fetchone()[0]
        item = s.get_item(item_id)
        raised = revise(item, updated=datetime.now(UTC), marking="(S//NF)", portions=[
            {"marking": "(S//NF)", "text": p.text} for p in item.portions])
        s.save_item(raised)
        seq, action, detail = s.conn.execute(
            "SELECT seq, action, detail FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        detail = json.loads(detail)
        assert action == "item.update"
        assert detail["old_marking"] == item.marking and detail["marking"] == "(S//NF)"
        assert detail["old_portion_markings"] == [p.marking for p in item.portions]
        assert detail["portion_markings"] == ["(S//NF)"] * len(item.portions)
        # A change that leaves every marking as it was still names the marking it kept.
        retitled = revise(raised, updated=datetime.now(UTC), title="Retitled")
        s.save_item(retitled)
        detail = json.loads(s.conn.execute(
            "SELECT detail FROM audit WHERE seq = ?", (seq + 1,)).fetchone()[0])
        assert detail["old_marking"] == detail["marking"] == "(S//NF)"
        assert "portion_markings" not in detail
