"""The signing key for an approval, unwrapped again from the supervisor's key slot with the
password they re-enter (issue 11 §3): an open session alone never signs a product.

A wrong password is refused like a wrong unlock (AuthError, "wrong user or password"), changes
nothing, and is written to the audit chain as a refused approval; an empty one is refused
before any key derivation.
"""

from __future__ import annotations

import contextlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.store.errors import AuthError, PermissionDenied
from hstc_desk.store.keyslots import KeySlots
from hstc_desk.store.store import SLOTS_NAME, Store


def unlock_signing_key(store: Store, password: str, *, target: str = "") -> Ed25519PrivateKey:
    """The store user's own signing key, unwrapped from their key slot with ``password``.

    PermissionDenied when no password is given; AuthError (after an audit record) when it is
    wrong or the slot's key is not the one the user table holds for this user."""
    if not isinstance(password, str) or not password:
        raise PermissionDenied("approval needs your password entered again before your "
                               "signing key is used (in the CLI: --confirm-password-file or "
                               "HSTC_CONFIRM_PASSWORD); nothing was signed")
    slots = KeySlots.load(store.path / SLOTS_NAME)
    try:
        keys = slots.unlock(store.user.name, password)
    except AuthError:
        _refused(store, target, "wrong password")
        raise
    key = Ed25519PrivateKey.from_private_bytes(keys.signing_key)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if public != store.user.public_key:
        _refused(store, target, "the key slot's signing key is not the user's registered key")
        raise AuthError()
    return key


def _refused(store: Store, target: str, why: str) -> None:
    if store.readonly:
        return
    with contextlib.suppress(Exception):  # the refusal stands even if the disk is full
        store.record("product.approve_refused", target or store.user.name, {"why": why})
