"""User certificates: the signed roots of trust of a store (issue 12, item 0).

A user record (name, role, clearance, public key, state) is trusted only as a certificate:
canonical JSON signed with Ed25519. Serial 1, the root certificate, names the first admin and
is signed by the workstation key at ``init``; the store id is derived from its hash, and every
key slot binds the store id in its AES-GCM associated data, so the root cannot be replaced
without breaking every other user's slot (and the audit chain's genesis). The workstation key
signs nothing else here, so a password holder who reads it (every user may sign a bundle) still
cannot certify anyone. Every later certificate is signed by an admin whose own certificate was
current, active and admin at the time; "the time" is the audit seq of the ``user.certify``
record written in the same transaction, so certificates and the signed audit trail share one
order. A subject's latest certificate is the current one; older ones stay, so a retired key
still verifies what it signed while it was current.

The ``users`` table remains what the rest of the program reads, but only as a cache: a row that
disagrees with its certificate, or has none, is reported and never trusted.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlcipher3
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.store.errors import PermissionDenied, StoreError

if TYPE_CHECKING:  # typed by what they use of it: store.py imports this module
    from hstc_desk.store.open_store import OpenStore as Store

CONTEXT = b"hstc-user-certificate|"
WORKSTATION = "@workstation"
STATES = ("active", "disabled", "removed")


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def canonical(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Certificate:
    serial: int
    subject: str
    role: str
    clearance: str
    public_key: bytes
    state: str
    issuer: str
    issuer_key: bytes
    issued_at: str
    audit_seq: int
    body: str
    signature: str

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.public_key).hexdigest()

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body.encode()).hexdigest()

    @classmethod
    def parse(cls, body: str, signature: str) -> Certificate:
        try:
            d = json.loads(body)
            return cls(int(d["serial"]), str(d["subject"]), str(d["role"]), str(d["clearance"]),
                       bytes.fromhex(d["public_key"]), str(d["state"]), str(d["issuer"]),
                       bytes.fromhex(d["issuer_key"]), str(d["issued_at"]),
                       int(d["audit_seq"]), body, signature)
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"a certificate is malformed: {exc}") from None


def _sign(key: Ed25519PrivateKey, doc: dict[str, Any]) -> tuple[str, str]:
    body = canonical(doc)
    return body, key.sign(CONTEXT + body.encode()).hex()


def _signed_by(cert: Certificate, key: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(bytes.fromhex(cert.signature),
                                                       CONTEXT + cert.body.encode())
    except (InvalidSignature, ValueError, TypeError):  # TypeError: a row edited to a non-text
        return False
    return True


_STORE_IDS = uuid.UUID("6d1f3c52-8a0e-4f7b-9c3d-2b5e7a914c60")  # the namespace of derived ids


def store_id_of(root_body: str) -> str:
    """The store id a root certificate makes: a name-based (version 5) UUID of its SHA-256, so
    a store made with its root is told apart from one made before certificates (random,
    version 4 ids), which alone may take a root later (bootstrap)."""
    return str(uuid.uuid5(_STORE_IDS, hashlib.sha256(root_body.encode()).hexdigest()))


def _early_store_id_of(root_body: str) -> str:
    """How store ids were derived for a few hours of development (issue 12's first commits)."""
    return str(uuid.UUID(bytes=hashlib.sha256(root_body.encode()).digest()[:16], version=4))


def made_with_root(store_id: str) -> bool:
    try:
        return uuid.UUID(store_id).version == 5
    except ValueError:
        return False


def root(workstation: Ed25519PrivateKey, admin: str, clearance: str, public_key: bytes,
         issued_at: str, role: str = "admin") -> Certificate:
    """The root certificate of a new store (serial 1, its first user, audit record 1)."""
    doc = {"v": 1, "serial": 1, "subject": admin, "role": role, "clearance": clearance,
           "public_key": public_key.hex(), "state": "active", "issuer": WORKSTATION,
           "issuer_key": raw_public(workstation).hex(), "issued_at": issued_at, "audit_seq": 1,
           "nonce": secrets.token_hex(16)}
    return Certificate.parse(*_sign(workstation, doc))


def legacy_unsigned_through(root_body: str) -> int | None:
    """For the root of a store made before certificates (``hstc audit certify``): the last
    audit record written before it, which may be unsigned. None for a root made at init."""
    try:
        legacy = json.loads(root_body).get("legacy")
        return int(legacy["unsigned_through"]) if isinstance(legacy, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def bootstrap(store: Store) -> list[Certificate]:
    """Certify the users of a store made before certificates (schema 9 or older): a root for
    the admin who runs it, signed by the workstation key, then every other user signed by that
    admin, from their rows as they stand. Weaker than a root made at init: the store id is not
    derived from it, so a password holder who reads the workstation key could make another;
    an audit extract taken right after shows such a swap. Call it once, right after upgrading."""
    conn = store.conn
    if has_root(conn):
        raise StoreError("this store's users are already certified")
    if store.user.role != "admin":
        raise PermissionDenied(f"{store.user.name} is {store.user.role}; certifying the users "
                               "of a store needs an admin")
    out: list[Certificate] = []
    with store.transaction():
        head = store.audit_head()
        ws = store.workstation_key
        doc = {"v": 1, "serial": 1, "subject": store.user.name, "role": "admin",
               "clearance": store.user.clearance, "public_key": store.user.public_key.hex(),
               "state": "active", "issuer": WORKSTATION, "issuer_key": raw_public(ws).hex(),
               "issued_at": _now(), "audit_seq": head.seq + 1, "store_id": store.store_id,
               "legacy": {"unsigned_through": head.seq}, "nonce": secrets.token_hex(16)}
        root_cert = Certificate.parse(*_sign(ws, doc))
        insert(conn, root_cert)
        store.audit("trust.bootstrap", store.user.name, {
            "certificate_sha256": root_cert.digest, "unsigned_through": head.seq})
        out.append(root_cert)
        for name, role, clearance, key, disabled, state in conn.execute(
                "SELECT name, role, clearance, public_key, disabled, state FROM users "
                "WHERE name != ? ORDER BY name", (store.user.name,)).fetchall():
            # The row's state (a removed user stays removed), else what `disabled` says.
            state = state if state in STATES else "disabled" if disabled else "active"
            out.append(issue(store, name, role=role, clearance=clearance, public_key=bytes(key),
                             state=state))
    return out


def insert(conn: sqlcipher3.Connection, cert: Certificate) -> None:
    conn.execute("INSERT INTO certificates (serial, subject, body, signature) VALUES (?, ?, ?, ?)",
                 (cert.serial, cert.subject, cert.body, cert.signature))


def has_root(conn: sqlcipher3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM certificates WHERE serial = 1").fetchone() is not None


# ---- the verified chain --------------------------------------------------------------------


@dataclass
class Chain:
    """Every certificate of a store, verified in serial order; ``problems`` names the bad ones."""

    certs: list[Certificate]  # only the valid ones, in serial order
    problems: list[str]
    workstation_key: bytes | None

    def at(self, name: str, seq: int | None = None) -> Certificate | None:
        """The subject's valid certificate in force at audit seq ``seq`` (None: now)."""
        found = None
        for c in self.certs:
            if c.subject == name and (seq is None or c.audit_seq <= seq):
                found = c
        return found

    def history(self) -> list[tuple[int, str, bytes]]:
        """(audit_seq, subject, public key) of every valid certificate, in order."""
        return [(c.audit_seq, c.subject, c.public_key) for c in self.certs]


def chain(conn: sqlcipher3.Connection, store_id: str) -> Chain:
    """Read and verify every certificate (a handful of rows)."""
    rows = conn.execute("SELECT serial, subject, body, signature FROM certificates "
                        "ORDER BY serial").fetchall()
    problems: list[str] = []
    valid: list[Certificate] = []
    if not rows:
        return Chain([], ["the store holds no user certificates (no root of trust)"], None)
    ws_key: bytes | None = None
    expected = 1
    for serial, subject, body, signature in rows:
        try:
            cert = Certificate.parse(body, signature)
        except StoreError as exc:
            problems.append(f"certificate {serial}: {exc}")
            continue
        where = f"certificate {serial} ({subject})"
        if serial != expected:
            problems.append(f"certificate {expected} is missing (the next is {serial})")
            expected = serial
        expected += 1
        if cert.serial != serial or cert.subject != subject:
            problems.append(f"{where}: its row does not match its signed body")
            continue
        if cert.state not in STATES:
            problems.append(f"{where}: unknown state {cert.state!r}")
            continue
        if serial == 1:
            legacy = legacy_unsigned_through(body)
            if cert.issuer != WORKSTATION or (cert.audit_seq != 1 and legacy is None):
                problems.append(f"{where}: the root certificate must be the first user's, "
                                "issued by the workstation key at init")
                continue
            if legacy is not None and json.loads(body).get("store_id") != store_id:
                problems.append(f"{where}: the root certificate was made for another store")
                continue
            if legacy is not None and made_with_root(store_id):
                problems.append(f"{where}: a root made after the fact, but this store was made "
                                "with its root of trust at init (its store id says so): the "
                                "root was replaced")
                continue
            if legacy is None and store_id not in (store_id_of(body), _early_store_id_of(body)):
                problems.append(f"{where}: the root certificate is not the one this store was "
                                "made with (its hash does not give the store id)")
                continue
            if not _signed_by(cert, cert.issuer_key):
                problems.append(f"{where}: the workstation's signature does not verify")
                continue
            ws_key = cert.issuer_key
            valid.append(cert)
            continue
        if cert.issuer == WORKSTATION:
            problems.append(f"{where}: signed by the workstation key, which certifies only the "
                            "first admin at init")
            continue
        if json.loads(body).get("store_id") != store_id:
            problems.append(f"{where}: made for another store")
            continue
        issuer = Chain(valid, [], ws_key).at(cert.issuer, cert.audit_seq)
        if issuer is None:
            problems.append(f"{where}: its issuer {cert.issuer} held no valid certificate then")
            continue
        if issuer.role != "admin" or issuer.state != "active":
            problems.append(f"{where}: its issuer {cert.issuer} was {issuer.state} "
                            f"{issuer.role}, not an active admin, when it was issued")
            continue
        if issuer.public_key != cert.issuer_key or not _signed_by(cert, issuer.public_key):
            problems.append(f"{where}: the signature is not by {cert.issuer}'s certified key")
            continue
        if valid and cert.audit_seq < valid[-1].audit_seq:
            problems.append(f"{where}: issued out of order")
            continue
        valid.append(cert)
    return Chain(valid, problems, ws_key)


def current(conn: sqlcipher3.Connection, store_id: str, name: str,
            at_seq: int | None = None) -> Certificate | None:
    return chain(conn, store_id).at(name, at_seq)


def row_problems(conn: sqlcipher3.Connection, ch: Chain) -> list[str]:
    """Every user row that disagrees with its subject's current certificate, or has none."""
    out = []
    # users.state (schema step 11, user lifecycle) when the store has it; else from disabled.
    has_state = any(r[1] == "state" for r in conn.execute("PRAGMA table_info(users)"))
    state_sql = "state" if has_state else "CASE disabled WHEN 0 THEN 'active' ELSE 'disabled' END"
    for name, role, clearance, key, disabled, state in conn.execute(
            "SELECT name, role, clearance, public_key, disabled, "
            f"{state_sql} FROM users ORDER BY name"):
        cert = ch.at(name)
        if cert is None:
            out.append(f"user {name}: no valid certificate (a user row made outside the "
                       "program, or its certificate was removed)")
            continue
        diffs = [f"{what}: the row says {row!r}, the certificate {cer!r}" for what, row, cer in (
            ("role", role, cert.role), ("clearance", clearance, cert.clearance),
            ("public key", bytes(key).hex()[:16], cert.public_key.hex()[:16]),
            ("state", state if has_state else "disabled" if disabled else "active",
             cert.state if has_state else "active" if cert.state == "active" else "disabled"),
            ("disabled flag", bool(disabled), cert.state != "active"))
            if row != cer]
        if diffs:
            out.append(f"user {name}: the row was altered ({'; '.join(diffs)})")
    return out


def problems(conn: sqlcipher3.Connection, store_id: str) -> list[str]:
    ch = chain(conn, store_id)
    return ch.problems + row_problems(conn, ch)


def login(conn: sqlcipher3.Connection, store_id: str, name: str,
          unlocked_public: bytes) -> Certificate | None:
    """The certificate a user opens the store under; PermissionDenied when it is not valid.

    None for a store made before certificates (no root): the user row is all there is."""
    if not has_root(conn):
        return None
    ch = chain(conn, store_id)
    cert = ch.at(name)
    if cert is None:
        why = f" ({ch.problems[0]})" if ch.problems else ""
        raise PermissionDenied(f"{name} holds no valid certificate in this store: the user "
                               f"record was made or altered outside the program{why}")
    if cert.state != "active":
        raise PermissionDenied(f"{name} is {cert.state}")
    if cert.public_key != unlocked_public:
        raise PermissionDenied(f"the key in {name}'s slot is not the key of their certificate: "
                               "the key slot file or the user table was altered")
    return cert


# ---- issuing -------------------------------------------------------------------------------


def issue(store: Store, subject: str, *, role: str, clearance: str, public_key: bytes,
          state: str = "active") -> Certificate:
    """Certify a user record, signed by the store's user (an active admin); call inside
    store.transaction(). Writes the row and its ``user.certify`` audit record."""
    if state not in STATES:
        raise StoreError(f"unknown certificate state {state!r}")
    conn = store.conn
    me = current(conn, store.store_id, store.user.name)
    if me is None or me.role != "admin" or me.state != "active":
        raise PermissionDenied(f"{store.user.name} holds no valid admin certificate; only an "
                               "admin certifies users")
    serial = conn.execute("SELECT coalesce(max(serial), 0) + 1 FROM certificates").fetchone()[0]
    seq = store.audit_head().seq + 1
    key = store.signing_key
    doc = {"v": 1, "serial": serial, "subject": subject, "role": role, "clearance": clearance,
           "public_key": public_key.hex(), "state": state, "issuer": store.user.name,
           "issuer_key": raw_public(key).hex(), "issued_at": _now(), "audit_seq": seq,
           "store_id": store.store_id}
    cert = Certificate.parse(*_sign(key, doc))
    insert(conn, cert)
    head = store.audit("user.certify", subject, {
        "serial": serial, "role": role, "clearance": clearance, "state": state,
        "key_fingerprint": cert.fingerprint, "certificate_sha256": cert.digest})
    if head.seq != seq:
        raise StoreError("the audit chain moved while a certificate was issued")
    return cert


def _now() -> str:
    from hstc_desk.store.audit import now_iso

    return now_iso()
