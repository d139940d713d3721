"""The rekey journal, phase by phase (issue 12, item 1): an interruption at each step between
the removal's commit and the rekey's last commit, and the next open that finishes it. The
random kills of test_rekey_crash.py land in these same phases; here each is made on purpose.
Also: a slot of the first format (before key slots were sealed to X25519 keys) still unlocks
and is upgraded at the next open, so an existing store can be rekeyed."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hstc_desk.store import TEST_KDF, AuthError, Store, rekey, user_lifecycle
from hstc_desk.store.connection import connect
from hstc_desk.store.keyslots import KeySlots

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store


class Killed(BaseException):
    """Stands for SIGKILL at one instant: nothing after it runs."""


def _interrupt(monkeypatch: pytest.MonkeyPatch, phase: str) -> None:
    if phase == "journal written":
        real = KeySlots.save

        def save_then_die(self: KeySlots, path: Path | None = None) -> None:
            real(self, path)
            if path is not None and path.name == rekey.JOURNAL_NAME:
                raise Killed()
        monkeypatch.setattr(KeySlots, "save", save_then_die)
    elif phase == "database rekeyed":
        real_replace = os.replace

        def replace(src: object, dst: object) -> None:
            if Path(str(src)).name == rekey.JOURNAL_NAME:
                raise Killed()  # the journal is renamed over the slot file only after this
            real_replace(src, dst)
        monkeypatch.setattr(os, "replace", replace)
    elif phase == "slot file replaced":
        monkeypatch.setattr(rekey, "fsync_dir", lambda *a: (_ for _ in ()).throw(Killed()))
    else:
        raise AssertionError(phase)


def _opens(store: Path, key: bytes) -> bool:
    try:
        connect(store / "store.db", key, access="query").close()
    except Exception:
        return False
    return True


@pytest.mark.parametrize("phase", ["journal written", "database rekeyed", "slot file replaced"])
def test_an_interrupted_rekey_is_finished_at_the_next_open(tmp_path: Path, phase: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(tmp_path / "s", items=60)
    old_slots = (store / "keyslots.json").read_bytes()
    s = Store.open(store, ADMIN, ADMIN_PW)
    old_key = s._keys.db_key
    _interrupt(monkeypatch, phase)
    with pytest.raises(Killed):
        user_lifecycle.remove(s, ANALYST)
    monkeypatch.undo()
    s.conn.close()  # the process is gone: its connection with it
    journal = rekey.journal_path(store).exists()
    assert journal == (phase != "slot file replaced")
    assert _opens(store, old_key) == (phase == "journal written")
    # A read-only open changes nothing and reads whichever key the file is under.
    with Store.open(store, SUPERVISOR, SUPERVISOR_PW, readonly=True) as r:
        assert r.count("items") == 60
        assert rekey.pending(r.conn) is not None
    # The next open for changes finishes it, whoever opens.
    with Store.open(store, SUPERVISOR, SUPERVISOR_PW) as s2:
        assert rekey.pending(s2.conn) is None
        assert s2.integrity_problems() == []
        assert s2.verify_audit().ok
        actions = [a for (a,) in s2.conn.execute(
            "SELECT action FROM audit WHERE action LIKE 'store.rekey%' ORDER BY seq")]
        assert actions == ["store.rekey"]
        new_key = s2._keys.db_key
    assert new_key != old_key and not _opens(store, old_key)
    assert not rekey.journal_path(store).exists()
    with pytest.raises(AuthError):
        Store.open(store, ANALYST, ANALYST_PW)
    (tmp_path / "old.json").write_bytes(old_slots)
    for name, pw in ((ANALYST, ANALYST_PW), (ADMIN, ADMIN_PW)):
        assert not _opens(store, KeySlots.load(tmp_path / "old.json").unlock(name, pw).db_key)
    Store.open(store, ADMIN, ADMIN_PW).close()
    print(f"interrupted when '{phase}' (journal left: {journal}): finished at the next open")


def _as_first_format(store: Path, user: str, password: str) -> None:
    """Rewrite ``user``'s slot as the first slot format wrote it (the database key wrapped under
    the password's key itself), with the same keys."""
    slots = KeySlots.load(store / "keyslots.json")
    keys = slots.unlock(user, password)
    salt = secrets.token_bytes(16)
    kek = AESGCM(TEST_KDF.derive(password, salt))
    aad = f"hstc-keyslots|{slots.store_id}|{user}|".encode()
    db_nonce, sign_nonce = os.urandom(12), os.urandom(12)
    doc = json.loads((store / "keyslots.json").read_text())
    doc["slots"][user] = {
        "kdf": {"iterations": TEST_KDF.iterations, "memory_kib": TEST_KDF.memory_kib,
                "lanes": TEST_KDF.lanes},
        "salt": base64.b64encode(salt).decode(),
        "db_nonce": base64.b64encode(db_nonce).decode(),
        "db_key": base64.b64encode(kek.encrypt(db_nonce, keys.db_key, aad + b"db")).decode(),
        "sign_nonce": base64.b64encode(sign_nonce).decode(),
        "sign_key": base64.b64encode(kek.encrypt(sign_nonce, keys.signing_key,
                                                 aad + b"sign")).decode()}
    doc["version"] = 1
    (store / "keyslots.json").write_text(json.dumps(doc))


def test_a_first_format_slot_unlocks_is_upgraded_and_survives_a_rekey(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", items=10)
    _as_first_format(store, SUPERVISOR, SUPERVISOR_PW)
    assert KeySlots.load(store / "keyslots.json").version_of(SUPERVISOR) == 1
    with Store.open(store, ADMIN, ADMIN_PW) as s, pytest.raises(Exception, match="first format"):
        rekey.rekey(s, "test")  # cannot be sealed to until upgraded: refused, nothing owed
    with Store.open(store, ADMIN, ADMIN_PW, readonly=True) as s:
        assert rekey.pending(s.conn) is None
    Store.open(store, SUPERVISOR, SUPERVISOR_PW, readonly=True).close()
    assert KeySlots.load(store / "keyslots.json").version_of(SUPERVISOR) == 1  # read-only
    Store.open(store, SUPERVISOR, SUPERVISOR_PW).close()
    assert KeySlots.load(store / "keyslots.json").version_of(SUPERVISOR) == 2
    assert json.loads((store / "keyslots.json").read_text())["version"] == 2
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        user_lifecycle.remove(s, ANALYST)
    Store.open(store, SUPERVISOR, SUPERVISOR_PW).close()


def test_a_connection_opened_before_the_rekey_can_do_nothing_after_it(tmp_path: Path) -> None:
    """Another window on the same store (its own connection, keyed with the old key) is refused
    its next read and its next write: nothing is ever written under the old key again."""
    import sqlcipher3

    from hstc_desk.demo import generate

    store = make_store(tmp_path / "s", items=300)
    other = Store.open(store, SUPERVISOR, SUPERVISOR_PW)
    try:
        with Store.open(store, ADMIN, ADMIN_PW) as s:
            user_lifecycle.remove(s, ANALYST)
        with pytest.raises(sqlcipher3.DatabaseError):
            other.count("items")
        with pytest.raises(sqlcipher3.DatabaseError):
            other.insert_items(list(generate(320, 5))[310:])
    finally:
        other.close()
    with Store.open(store, SUPERVISOR, SUPERVISOR_PW) as s:
        assert s.count("items") == 300 and s.integrity_problems() == [] and s.verify_audit().ok


def test_a_change_made_while_a_rekey_is_owed_survives_its_finish(tmp_path: Path) -> None:
    """A rekey left owed (its journal written, the PRAGMA not run: a full disk) must not bring
    back the slot file of its journal's time when it finishes: a user added meanwhile keeps
    their slot, and a password changed meanwhile stays changed."""
    import secrets

    from hstc_desk.store import TEST_KDF, Store, rekey

    from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, make_store

    path = make_store(tmp_path / "s")
    with Store.open(path, ADMIN, ADMIN_PW) as admin:
        with admin.transaction():
            rid = rekey.begin(admin)
        stale = rekey._new_slots(admin, secrets.token_bytes(32), rid)
        stale.save(rekey.journal_path(path))
        admin.add_user("newbie", "a new user pass 42", "analyst", kdf=TEST_KDF)
    with Store.open(path, ANALYST, ANALYST_PW) as ana:
        from hstc_desk.store import user_lifecycle

        user_lifecycle.change_password(ana, ANALYST_PW, "the analyst's new pass 8", kdf=TEST_KDF)
    with Store.open(path, ADMIN, ADMIN_PW) as admin:  # the open finishes the owed rekey
        assert rekey.pending(admin.conn) is None
    with Store.open(path, "newbie", "a new user pass 42"):
        pass
    with Store.open(path, ANALYST, "the analyst's new pass 8"):
        pass
    from hstc_desk.store.errors import AuthError

    with pytest.raises(AuthError):
        Store.open(path, ANALYST, ANALYST_PW)
