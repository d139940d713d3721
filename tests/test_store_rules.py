"""The store's rules at its edges: edits never lower a marking or reach past a clearance;
damaged or odd files are refused without a write; counts and links show only what may be seen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from hstc_desk.domain.products import Authority, Paragraph
from hstc_desk.store import (
    TEST_KDF,
    CorruptStoreError,
    NotFound,
    PermissionDenied,
    Store,
    StoreError,
)
from hstc_desk.store import products as P

from conftest import (
    ADMIN,
    ADMIN_PW,
    ANALYST,
    ANALYST_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    run_hstc,
    store_bytes,
)

LOW, LOW_PW = "low", "low clearance pass"


def _with_low_user(path: Path, clearance: str = "S") -> Path:
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user(LOW, LOW_PW, "analyst", clearance=clearance, kdf=TEST_KDF)
    return path


def _first(s: Store, where: str) -> str:
    return s.conn.execute(f"SELECT id FROM items WHERE {where} LIMIT 1").fetchone()[0]


def test_an_edit_never_lowers_a_marking(demo_copy: Path) -> None:
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as s:
        item = s.get_item(_first(s, "marking = '(TS//SI//NF)' AND kind = 'person'"))
        lowered = item.model_copy(update={
            "marking": "(U)", "version": item.version + 1,
            "portions": [p.model_copy(update={"marking": "(U)"}) for p in item.portions]})
        with pytest.raises(StoreError, match="would lower the stored marking"):
            s.save_item(lowered, expected_version=item.version)
        assert s.get_item(item.id).marking == "(TS//SI//NF)"
        raised = item.model_copy(update={"marking": "(TS//SI//OC/NF)",
                                         "version": item.version + 1})
        s.save_item(raised, expected_version=item.version)  # raising is always allowed
        assert s.get_item(item.id).marking == "(TS//SI//OC/NF)"


def test_an_edit_cannot_reach_an_item_above_the_clearance(demo_copy: Path) -> None:
    _with_low_user(demo_copy, "U")
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        hidden = s.get_item(_first(s, "level = 3"))
    with Store.open(demo_copy, LOW, LOW_PW) as s:
        with pytest.raises(NotFound):
            s.get_item(hidden.id)
        blind = hidden.model_copy(update={
            "marking": "(U)", "version": hidden.version + 1,
            "portions": [p.model_copy(update={"marking": "(U)"}) for p in hidden.portions]})
        for expected in (None, 99):
            with pytest.raises(NotFound) as info:
                s.save_item(blind, expected_version=expected)
            assert "version" not in str(info.value)  # nothing about the hidden item leaks
        mine = s.get_item(_first(s, "level = 0"))
        with pytest.raises(PermissionDenied, match="above your clearance"):
            s.save_item(mine.model_copy(update={"marking": "(S//NF)",
                                                "version": mine.version + 1}))
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        assert s.get_item(hidden.id) == hidden


def test_links_and_stats_show_only_what_the_clearance_allows(demo_copy: Path) -> None:
    _with_low_user(demo_copy, "U")
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        src, dst = s.conn.execute(
            "SELECT l.src, l.dst FROM links l JOIN items a ON a.id = l.src "
            "JOIN items b ON b.id = l.dst WHERE l.level = 0 AND a.level = 0 AND b.level > 0 "
            "LIMIT 1").fetchone()
        assert any(link.dst == dst for link in s.links_of(src))
        everything = s.stats()
    with Store.open(demo_copy, LOW, LOW_PW) as s:
        assert all(dst not in (link.src, link.dst) for link in s.links_of(src))
        mine = s.stats()
    assert mine["items"] < everything["items"] and mine["links"] < everything["links"]
    assert all(m.startswith("(U") for m in mine["by_marking"])
    assert mine["banner"].startswith("UNCLASSIFIED")
    r = run_hstc("audit", "log", str(demo_copy), user=LOW, password=LOW_PW)
    assert r.returncode == 1 and "audit log names every item" in r.stderr


@pytest.mark.parametrize("name", ["a#b", "c?mode=ro", "d%41e", "ünï còdé"])
def test_odd_folder_names_hold_their_own_database(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with Store.create(path, ADMIN, ADMIN_PW, kdf=TEST_KDF) as s:
        s.record("test.mark", "x", {})
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing beside it
    assert (path / "store.db").stat().st_size > 0
    assert oct((path / "store.db").stat().st_mode & 0o777) == "0o600"
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        assert s.verify_audit().records == 2


def test_an_empty_database_is_refused_and_left_as_it_is(demo_copy: Path) -> None:
    (demo_copy / "store.db").write_bytes(b"")
    before = store_bytes(demo_copy)
    with pytest.raises(CorruptStoreError, match="empty"):
        Store.open(demo_copy, ADMIN, ADMIN_PW)
    assert store_bytes(demo_copy) == before
    r = run_hstc("stats", str(demo_copy))
    assert r.returncode == 1 and "damaged" in r.stderr and "password" not in r.stderr


def test_a_create_that_fails_midway_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    """The disk fills as the key slots are written, after the database was made."""
    import errno

    from hstc_desk.store import keyslots

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keyslots, "atomic_write", full)
    with pytest.raises(OSError, match="No space"):
        Store.create(tmp_path / "s", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    with Store.create(tmp_path / "s", ADMIN, ADMIN_PW, kdf=TEST_KDF) as s:  # and it can be redone
        assert s.verify_audit().ok


def test_add_user_that_cannot_commit_leaves_no_key_slot(empty_store: Path) -> None:
    blocker = sqlcipher3.connect(str(empty_store / "store.db"), timeout=0)
    with Store.open(empty_store, ADMIN, ADMIN_PW) as s:
        key = s._keys.db_key
        blocker.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        blocker.execute("BEGIN IMMEDIATE")
        s.conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(sqlcipher3.OperationalError, match="locked"):
            s.add_user("eve", "eve pass phrase", "analyst", kdf=TEST_KDF)
        blocker.execute("ROLLBACK")
        blocker.close()
        assert "eve" not in (empty_store / "keyslots.json").read_text()
        s.add_user("eve", "eve pass phrase", "analyst", kdf=TEST_KDF)  # and it can be redone
    with Store.open(empty_store, "eve", "eve pass phrase") as s:
        assert s.user.role == "analyst"


@pytest.mark.parametrize("kdf", [{"iterations": 1_000_000, "memory_kib": 8, "lanes": 1},
                                 {"iterations": 1, "memory_kib": 2**31, "lanes": 1},
                                 {"iterations": "3", "memory_kib": 8, "lanes": 1},
                                 {"iterations": 1, "memory_kib": 8}])
def test_tampered_kdf_costs_are_refused_before_any_work(empty_store: Path, kdf: dict) -> None:
    doc = json.loads((empty_store / "keyslots.json").read_text())
    doc["slots"][ADMIN]["kdf"] = kdf
    (empty_store / "keyslots.json").write_text(json.dumps(doc))
    with pytest.raises(CorruptStoreError, match="damaged"):
        Store.open(empty_store, ADMIN, ADMIN_PW)


@pytest.mark.parametrize("text", ["[]", '{"format": "hstc-keyslots", "version": 1, '
                                        '"store_id": "x", "slots": {"admin": 3}}', "nul\x00"])
def test_malformed_slot_files_are_a_clear_refusal(empty_store: Path, text: str) -> None:
    (empty_store / "keyslots.json").write_text(text)
    r = run_hstc("stats", str(empty_store))
    assert r.returncode == 1 and "damaged" in r.stderr, r.stderr


def test_limits_and_passwords_are_checked_as_usage(demo_copy: Path, tmp_path: Path) -> None:
    for bad in ("0", "-1", "99999999999999999999", "ten"):
        r = run_hstc("search", str(demo_copy), "smuggling", "--limit", bad)
        assert r.returncode == 2, (bad, r.stderr)
        r = run_hstc("audit", "log", str(demo_copy), "--limit", bad)
        assert r.returncode == 2, (bad, r.stderr)
    pw = tmp_path / "pw"
    pw.write_bytes(b"p\xff\xfe")
    r = run_hstc("stats", str(demo_copy), "--password-file", str(pw), password=None)
    assert r.returncode == 1 and "UTF-8" in r.stderr  # bad input, not bad usage (issue 8)


def test_a_chain_rebuilt_below_a_signoff_is_caught(empty_store: Path) -> None:
    auth = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                     declassify_on="25X1, 20761231")
    with Store.open(empty_store, ANALYST, ANALYST_PW) as a:
        p = P.create(a, product_type="intelligence_report", title="Sabha crossings",
                     title_marking="(U)",
                     portions=[Paragraph(marking="(S//NF)", text="One.")], authority=auth)
        P.submit(a, p.id)
    with Store.open(empty_store, SUPERVISOR, SUPERVISOR_PW) as s:
        _, so = P.approve(s, p.id, password=SUPERVISOR_PW)
        seq = int(so.audit_head.split(":")[0])
        assert s.verify_audit().ok
        # Cut the chain at the signed head and restamp the recorded head: the chain alone is
        # self-consistent again, but the sign-off still remembers the head it signed.
        s.conn.execute("DELETE FROM audit WHERE seq >= ?", (seq,))
        last = s.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        s.conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'",
                       (f"{last[0]}:{last[1]}",))
        verdict = s.verify_audit()
    assert not verdict.ok and "sign-off" in verdict.problem


def test_store_copies_keep_working(demo_copy: Path, tmp_path: Path) -> None:
    """A store is a folder: copied as a whole it opens anywhere (removable media)."""
    copy = tmp_path / "copy"
    shutil.copytree(demo_copy, copy)
    with Store.open(copy, ADMIN, ADMIN_PW) as s:
        assert s.verify_audit().ok and s.count("items") == 3000
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s, Store.open(copy, ADMIN, ADMIN_PW) as c:
        assert s.content_digest() == c.content_digest()


def test_bulk_insert_refuses_what_the_user_may_not_see(demo_copy: Path) -> None:
    from hstc_desk.demo import generate
    from hstc_desk.domain import Link

    _with_low_user(demo_copy, "S")
    fresh = [x for x in generate(400, 99) if not isinstance(x, Link)]
    top = [x for x in fresh if x.marking.startswith("(TS")][:1]
    assert top, "the demo world holds TOP SECRET items"
    with Store.open(demo_copy, LOW, LOW_PW) as s:
        before = s.count("items")
        with pytest.raises(PermissionDenied, match="above your clearance"):
            s.insert_items(top)
        assert s.count("items") == before
