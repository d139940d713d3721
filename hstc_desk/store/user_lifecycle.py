"""The life of a user: change one's password, an admin's reset, disable, enable, remove.

- ``change_password``: the user's own slot is rewrapped under the new password (a new X25519
  pair too, see keyslots.py); their keys, role and certificate stay as they were.
- ``reset`` (admin): a new slot under a one-time password that must be changed at the first
  unlock (the slot's ``must_change`` mark; Store.open refuses it with PasswordChangeRequired
  until then). The user's signing key is retired and a new one made; the old key stays in the
  user's earlier certificate, which is what verifies their old sign-offs and audit records.
- ``disable`` and ``remove`` (admin): the user's row stays (their certificates, sign-offs and
  audit records name them) with its new state; the store is then rekeyed (rekey.py), so their
  password, and a copy of the old slot file, open nothing written afterwards. A disabled user's
  slot keeps its key pair but no database key; ``enable`` seals the current key to it again.
  A removed user's slot is deleted; the name is never given to anyone else.

Every change is audited and, where the store has a root of trust, certified
(certificates.issue) in the same transaction. The workstation's password policy (policy.py)
applies to every new password.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.store import certificates, policy, rekey
from hstc_desk.store.errors import AuthError, NotFound, PermissionDenied, StoreError
from hstc_desk.store.keyslots import KdfParams, Unlocked

if TYPE_CHECKING:
    from hstc_desk.store.store import Store

STATES = ("active", "disabled", "removed")
# Letters and digits that cannot be misread when a one-time password is read aloud or copied.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class UserRecord:
    name: str
    role: str
    clearance: str
    state: str
    public_key: bytes
    created: str
    has_slot: bool  # the key slot file holds a slot for them
    must_change: bool  # their slot holds a reset's one-time password

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.public_key).hexdigest()


@dataclass(frozen=True)
class ResetResult:
    name: str
    one_time_password: str
    old_fingerprint: str
    new_fingerprint: str


@dataclass(frozen=True)
class StateChange:
    name: str
    state: str
    rekey: rekey.RekeyResult | None


def _public(private_raw: bytes) -> bytes:
    return (Ed25519PrivateKey.from_private_bytes(private_raw).public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw))


def _fp(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()


def list_users(store: Store) -> list[UserRecord]:
    """Every user the store has had, in name order, with their state (a few rows)."""
    slots = store._slots
    rows = store.conn.execute(
        "SELECT name, role, clearance, state, public_key, created FROM users ORDER BY name")
    return [UserRecord(n, r, c, s, bytes(k), created, slots.has(n), slots.must_change(n))
            for n, r, c, s, k, created in rows]


def get_user(store: Store, name: str) -> UserRecord:
    for u in list_users(store):
        if u.name == name:
            return u
    raise NotFound(f"no user {name!r} in this store")


def one_time_password(min_length: int) -> str:
    """A random one-time password in groups of five ("k7m2p-..."), at least ``min_length``."""
    groups = max(4, math.ceil((min_length + 1) / 6))
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(groups))


def _certify(store: Store, user: UserRecord, *, state: str,
             public_key: bytes | None = None) -> None:
    if certificates.has_root(store.conn):
        certificates.issue(store, user.name, role=user.role, clearance=user.clearance,
                           public_key=public_key or user.public_key, state=state)


def _admin_acting_on(store: Store, name: str, verb: str) -> UserRecord:
    store.require_role("admin")
    if name == store.user.name:
        raise PermissionDenied(f"an admin cannot {verb} their own account; another admin must")
    return get_user(store, name)


# ---- the user's own password ----------------------------------------------------------------


def change_password(store: Store, old_password: str, new_password: str, *,
                    kdf: KdfParams | None = None) -> None:
    """Rewrap the store user's own slot under ``new_password`` (``old_password`` must open it)."""
    name = store.user.name
    slots = store.reload_slots()
    try:
        slots.unlock(name, old_password)
    except AuthError:
        raise StoreError("the current password is not right; nothing was changed") from None
    if new_password == old_password:
        raise StoreError("the new password must differ from the current one")
    policy.load(store).check_password(new_password)
    first = store._keys.must_change
    with store.transaction():
        store.audit("user.passwd", name, {"after_reset": first})
    keys = Unlocked(store._keys.db_key, store._keys.signing_key, must_change=False)
    before = slots.copy()
    slots.set_slot(name, new_password, keys, kdf or slots.params_of(name))
    try:
        slots.save()
    except BaseException:
        store._slots = before
        with store.transaction():
            store.audit("user.passwd.undone", name,
                        {"reason": "the key slot file could not be written"})
        raise
    store._keys = keys


def change_password_at(path: Path, user: str, old_password: str, new_password: str, *,
                       where: str = "program", kdf: KdfParams | None = None) -> Store:
    """Open the store with ``old_password`` (a one-time password too), change it, and return
    the store open for ``user``: the first unlock after a reset."""
    from hstc_desk.store.store import Store

    store = Store.open(path, user, old_password, where=where, allow_change=True)
    try:
        change_password(store, old_password, new_password, kdf=kdf)
    except BaseException:
        store.close()
        raise
    return store


# ---- an admin's acts --------------------------------------------------------------------------


def reset(store: Store, name: str, one_time: str | None = None, *,
          kdf: KdfParams | None = None) -> ResetResult:
    """A new slot for ``name`` under a one-time password, and a new signing key; the old key
    is retired (it stays in their earlier certificate and verifies what it signed)."""
    user = _admin_acting_on(store, name, "reset")
    if user.state != "active":
        raise StoreError(f"{name} is {user.state}; only an active user's password is reset"
                         + (" (enable them first)" if user.state == "disabled" else ""))
    rules = policy.load(store)
    password = one_time or one_time_password(rules.password_min_length)
    rules.check_password(password)
    signing = secrets.token_bytes(32)
    new_public = _public(signing)
    slots = store.reload_slots()
    params = kdf or (slots.params_of(name) if slots.has(name) else KdfParams())
    with store.transaction() as conn:
        conn.execute("UPDATE users SET public_key = ? WHERE name = ?", (new_public, name))
        store.audit("user.reset", name, {"old_key": _fp(user.public_key),
                                         "new_key": _fp(new_public), "one_time": True})
        _certify(store, user, state="active", public_key=new_public)
    slots.set_slot(name, password, Unlocked(store._keys.db_key, signing), params,
                   must_change=True)
    slots.save()
    return ResetResult(name, password, _fp(user.public_key), _fp(new_public))


def _set_state(store: Store, name: str, state: str, *, check_free: bool) -> StateChange:
    verb = {"disabled": "disable", "removed": "remove", "active": "enable"}[state]
    user = _admin_acting_on(store, name, verb)
    if user.state == state:
        raise StoreError(f"{name} is already {state}")
    if user.state == "removed":
        raise StoreError(f"{name} was removed; a removed user never comes back (add a new "
                         "user under another name)")
    if state != "active" and user.role == "admin":
        admins = store.conn.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND state = 'active'").fetchone()[0]
        if admins <= 1:
            raise StoreError(f"{name} is the last active admin; add another admin first")
    if state == "active":
        store.reload_slots()
        if not store._slots.has(name):
            raise StoreError(f"{name} has no key slot; reset their password instead")
        if store._slots.version_of(name) == 1:
            raise StoreError(f"{name}'s key slot is of the old format, which cannot be sealed "
                             "without their password; reset their password instead")
        with store.transaction() as conn:
            conn.execute("UPDATE users SET state = 'active', disabled = 0 WHERE name = ?",
                         (name,))
            store.audit("user.enable", name, {"old_state": user.state})
            _certify(store, user, state="active")
        store._slots.seal(name, store._keys.db_key)
        store._slots.save()
        return StateChange(name, state, None)
    rekey.check_sealable(store)  # refused before anything changes
    if check_free:
        rekey.check_space(store.path)
    with store.transaction() as conn:
        conn.execute("UPDATE users SET state = ?, disabled = 1 WHERE name = ?", (state, name))
        rekey_id = rekey.begin(store)
        store.audit(f"user.{verb}", name, {"old_state": user.state, "rekey_id": rekey_id})
        _certify(store, user, state=state)
    result = rekey.run(store, rekey_id, f"{verb} {name}", check_free=check_free)
    return StateChange(name, state, result)


def disable(store: Store, name: str, *, check_free: bool = True) -> StateChange:
    """Disable ``name`` and rekey the store (their slot keeps no database key)."""
    return _set_state(store, name, "disabled", check_free=check_free)


def enable(store: Store, name: str) -> StateChange:
    """Let a disabled user in again with their own password (no rekey needed)."""
    return _set_state(store, name, "active", check_free=True)


def remove(store: Store, name: str, *, check_free: bool = True) -> StateChange:
    """Remove ``name`` for good and rekey the store (their slot is deleted)."""
    return _set_state(store, name, "removed", check_free=check_free)


def add_user(store: Store, name: str, password: str, role: str, *,
             clearance: str | None = None, kdf: KdfParams | None = None) -> None:
    """Store.add_user under the password policy."""
    store.require_role("admin")
    policy.load(store).check_password(password)
    store.add_user(name, password, role, clearance=clearance, kdf=kdf)
