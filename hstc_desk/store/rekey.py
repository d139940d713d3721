"""Rekey: a new random database key, every remaining key slot rewrapped, crash-safe.

Disabling or removing a user rekeys the store, so that a copy of the old ``keyslots.json`` and
an old password open nothing written afterwards. Every slot seals the database key to its
user's own X25519 public key (keyslots.py), so the new key is given to every remaining user
without anyone's password; a disabled user's slot keeps its key pair but no database key, a
removed user's slot is deleted.

How a kill at any instant leaves a store that opens (the rekey journal):

1. In the same transaction as the change that needs it (the user's new state, its audit
   record), ``begin`` writes ``meta['rekey.pending'] = <rekey id>``. From that commit on, the
   rekey is owed: whoever opens the store for changes next finishes it (``finish_pending``).
2. The new slot file, each remaining user's slot sealed to the NEW key, is written to the
   journal ``keyslots.json.new`` (temp file, fsync, rename, fsync of the folder). The old
   ``keyslots.json`` still seals the OLD key: from here both keys are always recoverable.
3. ``PRAGMA wal_checkpoint(TRUNCATE)``, so the write-ahead log holds no page under the old key;
   then ``PRAGMA rekey``: SQLCipher rewrites every page under the new key in ONE write
   transaction. In WAL mode its pages go to the log and its commit frame comes last: killed
   before that frame, the log's frames are ignored and the file is whole under the old key;
   after it, every page is readable under the new key (from the log until the checkpoint copies
   them back). Then ``wal_checkpoint(TRUNCATE)`` again, so the database file itself is new-keyed.
4. ``os.replace(keyslots.json.new, keyslots.json)`` and an fsync of the folder.
5. A transaction clears ``rekey.pending`` and writes the ``store.rekey`` audit record.

At open (``unlock_and_open``) with a journal present, the user's slot is unlocked in both files
and the database is opened with the old key, else the new one (a wrong key fails on page 1
before anything is read or written). Opened with the old key: the rekey did not commit, so it
is redone to the journal's key. Opened with the new key: it committed, so the journal replaces
the slot file. With no journal but a pending rekey, the rekey is run afresh, unless the slot
file already carries that rekey's id (the kill fell between steps 4 and 5). A user with no
slot in the journal (the one being removed or disabled) can open neither: under the old key
their user row says they are no longer active.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from hstc_desk.atomic import fsync_dir
from hstc_desk.store import disk
from hstc_desk.store.errors import (
    AuthError,
    CorruptStoreError,
    DiskFullError,
    ReadOnlyMediaError,
    StoreError,
)
from hstc_desk.store.keyslots import KeySlots, PasswordChangeRequired, Unlocked

if TYPE_CHECKING:  # typed by what they use of it: store.py imports this module
    from hstc_desk.store.open_store import OpenStore as Store

JOURNAL_NAME = "keyslots.json.new"
PENDING = "rekey.pending"
OLD_KEY = "rekey.old_key"  # a digest of the key the store had when the owed rekey began
SLOTS_NAME = "keyslots.json"


@dataclass(frozen=True)
class RekeyResult:
    rekey_id: str
    reason: str
    slots: int  # slots holding the new key
    seconds: float


def journal_path(folder: Path) -> Path:
    return Path(folder) / JOURNAL_NAME


def space_needed(folder: Path) -> int:
    """Bytes a rekey may need on the disk holding the store: every page once more in the
    write-ahead log, the journal, and the margin every write-open keeps."""
    db = Path(folder) / "store.db"
    size = db.stat().st_size
    wal = disk.side_files(db)[0]
    with contextlib.suppress(FileNotFoundError):
        size += wal.stat().st_size
    return size + size // 16 + disk.MIN_FREE_BYTES + (1 << 20)


def check_space(folder: Path) -> None:
    """Refuse, before anything is changed, a rekey the disk has no room for."""
    need = space_needed(folder)
    free = disk.free_bytes(folder)
    if free < need:
        raise DiskFullError(
            f"{folder} (a rekey rewrites every page of the store and needs about "
            f"{_mb(need)} free; nothing was changed)", free)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n} bytes"


def check_sealable(store: Store) -> None:
    """Refuse, before anything changes, a rekey that could not give some active user the new
    key (a slot of the first format, not yet upgraded by its user's unlock)."""
    states = _states(store.conn)
    old = [u for u in store._slots.users()
           if states.get(u) == "active" and store._slots.version_of(u) == 1]
    if old:
        raise StoreError(
            f"the key slot of {', '.join(old)} is of the first format, which a rekey cannot "
            "seal the new key to: each must unlock once (which upgrades it), or an admin "
            "resets their password; nothing was changed")


def begin(store: Store) -> str:
    """Mark a rekey as owed, inside the caller's transaction; returns its id."""
    rekey_id = uuid.uuid4().hex
    for key, value in ((PENDING, rekey_id), (OLD_KEY, _key_digest(store._keys.db_key))):
        store.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
    return rekey_id


def _key_digest(key: bytes) -> str:
    return hashlib.sha256(b"hstc-rekey-old-key\x00" + key).hexdigest()


def _still_old_key(store: Store) -> bool:
    """Whether the store is still under the key it had when the owed rekey began (the slot
    file's rekey id is not signed: it alone never proves the rekey was done)."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (OLD_KEY,)).fetchone()
    return row is not None and row[0] == _key_digest(store._keys.db_key)


def pending(conn: sqlcipher3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (PENDING,)).fetchone()
    return row[0] if row else None


def _states(conn: sqlcipher3.Connection) -> dict[str, str]:
    cols = {r[1] for r in conn.execute("PRAGMA table_info(users)")}
    if "state" in cols:
        return dict(conn.execute("SELECT name, state FROM users"))
    return {n: ("disabled" if d else "active")
            for n, d in conn.execute("SELECT name, disabled FROM users")}


def _new_slots(store: Store, new_key: bytes, rekey_id: str) -> KeySlots:
    """The slot file under the new key: active users sealed to it, disabled users kept without
    it, removed users (and slots with no user row) gone."""
    current = store.reload_slots()  # the file as it is now, never an old copy of it
    slots = current.copy(current.path)
    states = _states(store.conn)
    for user in slots.users():
        state = states.get(user)
        if state == "active":
            slots.seal(user, new_key)
        elif state == "disabled":
            slots.unseal(user)
        else:
            slots.remove(user)
    slots.rekey_id = rekey_id
    return slots


def run(store: Store, rekey_id: str, reason: str, *, new_key: bytes | None = None,
        journal: KeySlots | None = None, check_free: bool = True,
        rekeyed: bool = False) -> RekeyResult:
    """Steps 2 to 5 of the module's description, on an open store whose ``rekey.pending`` is
    ``rekey_id``. ``new_key`` and ``journal`` continue an interrupted rekey to the key its
    journal already holds (``rekeyed``: the database is already under it). A full disk is
    refused before the database is touched (unless ``check_free`` is False, which lets a test
    reach SQLite's own full-disk path)."""
    if store.readonly:
        raise StoreError(f"the store {store.path} is open for reading only; it cannot be "
                         "rekeyed")
    start = time.perf_counter()
    folder = store.path
    owed = (f"{folder} (the change is made and its rekey is owed: the store is whole under "
            "its old key, and the rekey finishes at the next open with room on the disk)")
    if check_free and not rekeyed and disk.free_bytes(folder) < space_needed(folder):
        raise DiskFullError(owed, disk.free_bytes(folder))
    if journal is None or new_key is None:
        new_key = secrets.token_bytes(32)
    # The journal is always made from the slot file as it is now, also when an interrupted
    # rekey is continued to its journal's key: a user added, reset or given a new password
    # since the journal was written keeps that change (only the key is taken from it).
    journal = _new_slots(store, new_key, rekey_id)
    try:
        journal.save(journal_path(folder))
    except OSError as exc:
        if disk.is_disk_full(exc, folder):
            raise DiskFullError(owed, disk.free_bytes(folder)) from None
        raise
    conn = store.conn
    if not rekeyed:
        failure: BaseException | None = None
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlcipher3.Error, OSError) as exc:
            failure = exc
        # SQLCipher 4 may report a rekey that failed (a full disk) as done: ask the file itself.
        if failure is not None or not _opens(folder, new_key):
            _reconnect(store, (store._keys.db_key, new_key))
            if (failure is not None and disk.is_disk_full(failure, folder)) \
                    or disk.free_bytes(folder) < space_needed(folder):
                raise DiskFullError(
                    f"{folder} (the rekey was rolled back; the store is whole under its old "
                    "key and the rekey will finish at the next open with room on the disk)",
                    disk.free_bytes(folder)) from None
            raise StoreError(f"the rekey failed and was rolled back: {failure}") from None
        conn = store.conn
    with contextlib.suppress(sqlcipher3.Error):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    os.replace(journal_path(folder), folder / SLOTS_NAME)
    fsync_dir(folder)
    store._slots = journal.copy(folder / SLOTS_NAME)
    store._keys = Unlocked(db_key=new_key, signing_key=store._keys.signing_key,
                           must_change=store._keys.must_change)
    sealed = sum(1 for u in journal.users() if journal.sealed(u))
    seconds = time.perf_counter() - start
    with store.transaction() as tx:
        tx.execute("DELETE FROM meta WHERE key IN (?, ?)", (PENDING, OLD_KEY))
        store.audit("store.rekey", store.store_id, {
            "rekey_id": rekey_id, "reason": reason, "slots": sealed,
            "users": journal.users(), "seconds": round(seconds, 3)})
    return RekeyResult(rekey_id, reason, sealed, seconds)


def _opens(folder: Path, key: bytes) -> bool:
    """Whether a fresh connection reads the store under ``key``."""
    from hstc_desk.store.connection import connect

    try:
        connect(folder / "store.db", key, cache_kib=2048, access="query").close()
    except sqlcipher3.DatabaseError:
        return False
    return True


def _reconnect(store: Store, keys: tuple[bytes, ...]) -> None:
    """After a failed PRAGMA rekey the connection's cipher state is not to be trusted: open a
    fresh one with whichever key the file is whole under (the old one, when it rolled back)."""
    from hstc_desk.store.connection import connect

    with contextlib.suppress(sqlcipher3.Error):
        store.conn.close()
    for key in keys:
        if _opens(store.path, key):
            store.conn = connect(store.path / "store.db", key)
            store._keys = Unlocked(db_key=key, signing_key=store._keys.signing_key,
                                   must_change=store._keys.must_change)
            return
    raise CorruptStoreError("after a failed rekey the store opens under neither key")


def rekey(store: Store, reason: str, *, check_free: bool = True) -> RekeyResult:
    """Rekey now, on its own (an admin's ``hstc user`` command, the bench)."""
    store.require_role("admin")
    check_sealable(store)
    if check_free:
        check_space(store.path)
    with store.transaction():
        rekey_id = begin(store)
        store.audit("store.rekey.begin", store.store_id, {"rekey_id": rekey_id,
                                                          "reason": reason})
    return run(store, rekey_id, reason, check_free=check_free)


def finish_pending(store: Store, journal_keys: tuple[bytes, KeySlots] | None) -> None:
    """At an open for changes: complete a rekey that a kill interrupted (see the module)."""
    rekey_id = pending(store.conn)
    folder = store.path
    if rekey_id is None:
        if journal_keys is not None or journal_path(folder).exists():
            with contextlib.suppress(FileNotFoundError):
                journal_path(folder).unlink()  # a journal of a rekey already finished
            fsync_dir(folder)
        return
    try:
        check_space(folder)
    except DiskFullError:
        return  # it stays owed; the next open with room finishes it
    if store._slots.rekey_id == rekey_id and not _still_old_key(store):
        # killed after the rename, before the last commit
        with store.transaction() as tx:
            tx.execute("DELETE FROM meta WHERE key IN (?, ?)", (PENDING, OLD_KEY))
            store.audit("store.rekey", store.store_id, {
                "rekey_id": rekey_id, "reason": "finished after an interruption",
                "slots": sum(1 for u in store._slots.users() if store._slots.sealed(u)),
                "users": store._slots.users()})
        return
    if journal_keys is not None:
        new_key, journal = journal_keys
        if journal.rekey_id == rekey_id:
            # Opened under the journal's key: the PRAGMA rekey had committed.
            done = new_key == store._keys.db_key
            run(store, rekey_id, "finished after an interruption", new_key=new_key,
                journal=journal, rekeyed=done)
            return
    run(store, rekey_id, "finished after an interruption")


def unlock_and_open(cls: Any, path: Path, slots: KeySlots, user: str, password: str,
                    **kw: Any) -> Store:
    """Unlock ``user``'s slot and open the store, resolving a rekey journal on the way.

    Raises AuthError for a wrong user or password (nothing written), PasswordChangeRequired
    (closing the store) when the slot holds a reset's one-time password and ``allow_change``
    is not set. A version-1 slot is upgraded to version 2 when the store opens for changes."""
    allow_change = bool(kw.pop("allow_change", False))
    journal_file = journal_path(path)
    journal: KeySlots | None = None
    if journal_file.exists():
        try:
            journal = KeySlots.load(journal_file)
        except (OSError, CorruptStoreError):
            journal = None  # a torn journal cannot exist (it is renamed into place whole)
    old_keys: Unlocked | None = None
    try:
        old_keys = slots.unlock(user, password)
    except AuthError:
        if journal is None or not journal.has(user):
            raise
    new_keys: Unlocked | None = None
    if journal is not None and journal.has(user):
        try:
            new_keys = journal.unlock(user, password)
        except AuthError:
            if old_keys is None:
                raise
    # The old key first: under it a rekey that did not commit is simply not there.
    candidates = [k for k in (old_keys, new_keys) if k is not None]
    store: Store | None = None
    last: Exception | None = None
    for k in candidates:
        try:
            store = cls.open_with_keys(path, user, k, slots=slots, **kw)
            break
        except CorruptStoreError as exc:  # the other key of a rekey journal, else damage
            last = exc
    if store is None:
        raise last if last is not None else AuthError()
    journal_keys = None
    if journal is not None and new_keys is not None:
        journal_keys = (new_keys.db_key, journal)
    try:
        if store.readonly or store._access != "write":
            pass
        else:
            if store._slots.version_of(user) == 1:
                _upgrade_slot(store, user, password)
            if journal_keys is not None or pending(store.conn) is not None:
                with contextlib.suppress(StoreError, OSError):
                    # Left owed (a full disk, a slot not yet upgraded): the user still opens,
                    # and a later open for changes finishes it.
                    finish_pending(store, journal_keys)
        if store._keys.must_change and not allow_change:
            from hstc_desk.store import policy

            raise PasswordChangeRequired(user, policy.load(store).password_min_length)
    except BaseException:
        store.close()
        raise
    return store


def _upgrade_slot(store: Store, user: str, password: str) -> None:
    """Rewrite a version-1 slot as version 2 (same password, same keys, same KDF cost)."""
    slots = store._slots
    slots.set_slot(user, password, store._keys, slots.params_of(user))
    try:
        slots.save()
    except OSError:
        # A full or read-only disk: the old slot stays on disk and still unlocks.
        fresh = KeySlots.load(slots.path)
        store._slots = fresh
    except ReadOnlyMediaError:
        pass
