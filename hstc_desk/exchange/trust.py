"""The trust store: partner workstation keys, added only with the fingerprint typed in.

Bundles are verified against these keys and never against a key a bundle carries. A revoked key
stays listed (so old audit records still name it) but no longer verifies anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from hstc_desk.exchange.errors import KeyError_
from hstc_desk.exchange.keys import (
    fingerprint,
    grouped,
    normalize_fingerprint,
    parse_key_file,
    raw_public,
)
from hstc_desk.store import Store
from hstc_desk.store.audit import now_iso


@dataclass(frozen=True)
class TrustedKey:
    fingerprint: str
    public_key: bytes
    name: str
    added: str
    added_by: str
    revoked: str | None

    @property
    def active(self) -> bool:
        return self.revoked is None

    @property
    def grouped(self) -> str:
        return grouped(self.fingerprint)


def own_fingerprint(store: Store) -> str:
    return fingerprint(raw_public(store.workstation_key))


def trust(store: Store, key_file: bytes, typed_fingerprint: str) -> TrustedKey:
    """Add a partner key. The typed fingerprint must match the key's own; nothing else counts."""
    store.require_role("admin")
    typed = normalize_fingerprint(typed_fingerprint)
    parsed = parse_key_file(key_file)
    actual = parsed.fingerprint
    if typed != actual:
        raise KeyError_(
            "the fingerprint typed in does not match the key in the file; the key was NOT "
            "trusted. Check the file and the fingerprint read aloud by its owner")
    if actual == own_fingerprint(store):
        raise KeyError_("that is this workstation's own key; it needs no trust entry")
    existing = get(store, actual)
    if existing is not None and existing.active:
        raise KeyError_(f"key {grouped(actual)} ({existing.name}) is already trusted")
    if existing is not None:
        raise KeyError_(f"key {grouped(actual)} ({existing.name}) was revoked on "
                        f"{existing.revoked}; a revoked key cannot be trusted again")
    added = now_iso()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO trusted_keys (fingerprint, public_key, name, added, added_by) "
            "VALUES (?, ?, ?, ?, ?)",
            (actual, parsed.public_key, parsed.workstation, added, store.user.name))
        store.audit("keys.trust", actual, {"workstation": parsed.workstation})
    return TrustedKey(actual, parsed.public_key, parsed.workstation, added, store.user.name, None)


def revoke(store: Store, typed_fingerprint: str) -> TrustedKey:
    store.require_role("admin")
    fp = normalize_fingerprint(typed_fingerprint)
    existing = get(store, fp)
    if existing is None:
        raise KeyError_(f"no trusted key {grouped(fp)}")
    if not existing.active:
        raise KeyError_(f"key {grouped(fp)} was already revoked on {existing.revoked}")
    when = now_iso()
    with store.transaction() as conn:
        conn.execute("UPDATE trusted_keys SET revoked = ? WHERE fingerprint = ?", (when, fp))
        store.audit("keys.revoke", fp, {"workstation": existing.name})
    return TrustedKey(fp, existing.public_key, existing.name, existing.added, existing.added_by,
                      when)


def get(store: Store, fp: str) -> TrustedKey | None:
    row = store.conn.execute(
        "SELECT fingerprint, public_key, name, added, added_by, revoked FROM trusted_keys "
        "WHERE fingerprint = ?", (fp,)).fetchone()
    return None if row is None else TrustedKey(row[0], bytes(row[1]), *row[2:])


def list_keys(store: Store) -> list[TrustedKey]:
    rows = store.conn.execute(
        "SELECT fingerprint, public_key, name, added, added_by, revoked FROM trusted_keys "
        "ORDER BY revoked IS NOT NULL, name, fingerprint")
    return [TrustedKey(r[0], bytes(r[1]), *r[2:]) for r in rows]


class Keyring:
    """What the reader may verify against: a lookup by fingerprint, nothing more."""

    def __init__(self, keys: dict[str, bytes], revoked: dict[str, str] | None = None) -> None:
        self._keys = keys
        self._revoked = revoked or {}

    @classmethod
    def of_store(cls, store: Store) -> Keyring:
        """The active keys an admin trusted (issue 12: with their signed keys.trust record; a
        row put in the table by SQL verifies nothing), and the revoked ones."""
        from hstc_desk.store import anchors, certificates

        anchored = certificates.has_root(store.conn)
        keys, revoked = {}, {}
        for k in list_keys(store):
            if k.active and anchored and anchors.trusted_key_problem(
                    store.conn, store.store_id, k.fingerprint, k.public_key):
                continue
            if k.active:
                keys[k.fingerprint] = k.public_key
            else:
                revoked[k.fingerprint] = k.revoked or ""
        return cls(keys, revoked)

    @classmethod
    def of_own(cls, store: Store) -> Keyring:
        pub = raw_public(store.workstation_key)
        return cls({fingerprint(pub): pub})

    def lookup(self, fp: str) -> bytes | None:
        return self._keys.get(fp)

    def revoked_on(self, fp: str) -> str | None:
        return self._revoked.get(fp)
