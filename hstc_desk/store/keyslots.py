"""Per-user key slots (LUKS-like) kept beside the encrypted database.

The database key is 32 random bytes. Each user's slot (version 2) holds an X25519 key pair of
its own: the public half in the clear, the private half wrapped with AES-256-GCM under a key
derived from that user's password by Argon2id; the database key is sealed to the public half
with HPKE (RFC 9180: X25519, HKDF-SHA256, AES-256-GCM). The same password key wraps the user's
Ed25519 signing key, so only that user can sign. Sealing to a public key is what lets a rekey
(store/rekey.py) give every remaining user the new database key without knowing anyone's
password. A slot may be marked ``must_change`` (a reset's one-time password); the mark is bound
into the associated data of both wrapped keys, so it cannot be stripped from the file.
Version-1 slots (the database key wrapped under the password key itself) still unlock, and the
store upgrades them to version 2 at the next unlock that may write.

The slot file holds no plaintext secret: salts, KDF costs, public keys, nonces, ciphertexts.
Roles and public keys live inside the encrypted database, where a tampered slot file cannot
change them.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.atomic import atomic_write
from hstc_desk.store.errors import AuthError, CorruptStoreError, StoreError

SLOT_FORMAT = "hstc-keyslots"
SLOT_VERSION = 2
READABLE_VERSIONS = (1, 2)
KEY_BYTES = 32
_HPKE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The default takes about 0.2 s and 64 MiB on this class of machine."""

    iterations: int = 3
    memory_kib: int = 65536
    lanes: int = 1

    def derive(self, password: str, salt: bytes) -> bytes:
        """The key-encryption key; a password that is not valid Unicode is never right."""
        kdf = Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(password.encode("utf-8", "surrogatepass"))


    @classmethod
    def from_slot(cls, raw: object) -> KdfParams:
        """Costs read from a slot file, bounded: a tampered file must not hang or exhaust the
        machine before the password is even checked."""
        if not isinstance(raw, dict) or set(raw) != {"iterations", "memory_kib", "lanes"}:
            raise ValueError("KDF parameters are malformed")
        vals = {k: raw[k] for k in ("iterations", "memory_kib", "lanes")}
        if not all(type(v) is int for v in vals.values()):
            raise ValueError("KDF parameters must be whole numbers")
        if not (1 <= vals["iterations"] <= 16 and 8 <= vals["memory_kib"] <= 4 * 1024 * 1024
                and 1 <= vals["lanes"] <= 8):
            raise ValueError(f"KDF parameters out of range: {vals}")
        return cls(**vals)


class PasswordChangeRequired(StoreError):
    """The slot holds a one-time password set by an admin's reset: change it first."""

    def __init__(self, user: str, min_length: int = 12) -> None:
        super().__init__(f"the password of {user} was reset by an admin and is for one use: "
                         f"choose a new one first (hstc user passwd, or the unlock window)")
        self.user = user
        self.min_length = min_length  # the workstation policy's, for the change


# Cheap parameters for tests only; never used by the command line or the app.
TEST_KDF = KdfParams(iterations=1, memory_kib=8, lanes=1)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Unlocked:
    """What a correct password opens."""

    db_key: bytes
    signing_key: bytes  # Ed25519 private key, raw 32 bytes
    must_change: bool = False  # a reset's one-time password: change it before anything else


def _x25519_public(private: X25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


class KeySlots:
    """The slot file: read, unlock with a password, add or remove a slot atomically."""

    def __init__(self, path: Path, store_id: str, slots: dict[str, dict]) -> None:
        self.path = path
        self.store_id = store_id
        self._slots = slots

    @classmethod
    def new(cls, path: Path, store_id: str) -> KeySlots:
        return cls(path, store_id, {})

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise
        try:
            doc = json.loads(raw)
            if not isinstance(doc, dict) or not isinstance(doc.get("slots"), dict) \
                    or not all(isinstance(v, dict) for v in doc["slots"].values()):
                raise ValueError("not an HSTC key slot file")
            if doc.get("format") != SLOT_FORMAT or doc.get("version") not in READABLE_VERSIONS:
                raise ValueError("not an HSTC key slot file")
            store_id = str(doc["store_id"])
            slots = dict(doc["slots"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise CorruptStoreError(f"key slot file {path.name} is damaged: {exc}") from None
        keys = cls(path, store_id, slots)
        keys.rekey_id = str(doc.get("rekey_id", ""))
        return keys

    rekey_id = ""  # the rekey (store/rekey.py) that wrote this file, if any

    def users(self) -> list[str]:
        return sorted(self._slots)

    def has(self, user: str) -> bool:
        return user in self._slots

    def version_of(self, user: str) -> int:
        """1 for a slot of the first format, 2 for a slot sealed to its own X25519 key."""
        return 2 if "box_public" in self._slots.get(user, {}) else 1

    def sealed(self, user: str) -> bool:
        """Whether ``user``'s slot holds the current database key (a disabled user's does not)."""
        slot = self._slots.get(user, {})
        return "db_sealed" in slot if "box_public" in slot else "db_key" in slot

    def params_of(self, user: str) -> KdfParams:
        """The KDF cost of ``user``'s slot (a new password keeps it)."""
        try:
            return KdfParams.from_slot(self._slots[user]["kdf"])
        except (KeyError, ValueError):
            return KdfParams()

    def must_change(self, user: str) -> bool:
        return bool(self._slots.get(user, {}).get("must_change", False))

    def _aad(self, user: str, what: str, must_change: bool | None = None) -> bytes:
        if must_change is None:  # version 1: no mark
            return f"{SLOT_FORMAT}|{self.store_id}|{user}|{what}".encode()
        return f"{SLOT_FORMAT}|{self.store_id}|{user}|{what}|{int(must_change)}".encode()

    def _info(self, user: str) -> bytes:
        return f"{SLOT_FORMAT}|{self.store_id}|{user}|db".encode()

    def unlock(self, user: str, password: str) -> Unlocked:
        """Unwrap the keys, or raise AuthError. Never writes anything."""
        slot = self._slots.get(user)
        if slot is None:
            # Spend the same work as a real attempt so timing does not reveal which users exist.
            KdfParams().derive(password, b"\0" * 16)
            raise AuthError()
        try:
            params = KdfParams.from_slot(slot["kdf"])
            kek = AESGCM(params.derive(password, _unb64(slot["salt"])))
            if "box_public" not in slot:  # version 1
                db_key = kek.decrypt(_unb64(slot["db_nonce"]), _unb64(slot["db_key"]),
                                     self._aad(user, "db"))
                signing = kek.decrypt(_unb64(slot["sign_nonce"]), _unb64(slot["sign_key"]),
                                      self._aad(user, "sign"))
                return Unlocked(db_key=db_key, signing_key=signing)
            mark = slot.get("must_change", False)
            if type(mark) is not bool:
                raise ValueError("must_change is not true or false")
            box = kek.decrypt(_unb64(slot["box_nonce"]), _unb64(slot["box_key"]),
                              self._aad(user, "box", mark))
            signing = kek.decrypt(_unb64(slot["sign_nonce"]), _unb64(slot["sign_key"]),
                                  self._aad(user, "sign", mark))
            private = X25519PrivateKey.from_private_bytes(box)
            if _x25519_public(private) != _unb64(slot["box_public"]):
                raise ValueError("its public key is not the one its private key makes")
            if "db_sealed" not in slot:
                # Disabled: the password is right, but the slot holds no current database key.
                raise AuthError()
            db_key = _HPKE.decrypt(_unb64(slot["db_sealed"]), private, info=self._info(user))
        except InvalidTag:
            raise AuthError() from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorruptStoreError(f"key slot of {user!r} is damaged: {exc}") from None
        return Unlocked(db_key=db_key, signing_key=signing, must_change=mark)

    def set_slot(self, user: str, password: str, keys: Unlocked,
                 params: KdfParams | None = None, *, must_change: bool = False) -> None:
        """Wrap ``keys`` for ``user`` under ``password`` (in memory; call save()).

        Every call makes a new X25519 key pair, so a changed password also changes the key the
        database key is sealed to: the old slot file and the old password open nothing that a
        later rekey writes."""
        params = params or KdfParams()
        salt = secrets.token_bytes(16)
        kek = AESGCM(params.derive(password, salt))
        box = X25519PrivateKey.generate()
        box_raw = box.private_bytes_raw()
        box_nonce, sign_nonce = os.urandom(12), os.urandom(12)
        self._slots[user] = {
            "kdf": asdict(params),
            "salt": _b64(salt),
            "box_public": _b64(_x25519_public(box)),
            "box_nonce": _b64(box_nonce),
            "box_key": _b64(kek.encrypt(box_nonce, box_raw, self._aad(user, "box", must_change))),
            "sign_nonce": _b64(sign_nonce),
            "sign_key": _b64(kek.encrypt(sign_nonce, keys.signing_key,
                                         self._aad(user, "sign", must_change))),
            "must_change": must_change,
        }
        self.seal(user, keys.db_key)

    def seal(self, user: str, db_key: bytes) -> None:
        """Seal ``db_key`` to ``user``'s public key: no password needed (a rekey, an enable)."""
        slot = self._slots[user]
        if "box_public" not in slot:
            raise StoreError(f"the key slot of {user!r} is of the first format and cannot be "
                             f"sealed to; {user} must unlock once (which upgrades it), or an "
                             "admin resets their password")
        public = X25519PublicKey.from_public_bytes(_unb64(slot["box_public"]))
        slot["db_sealed"] = _b64(_HPKE.encrypt(db_key, public, info=self._info(user)))

    def unseal(self, user: str) -> None:
        """Take the database key out of ``user``'s slot (disable): their password stays right,
        their key pair stays, and an admin's seal() lets them in again."""
        slot = self._slots[user]
        slot.pop("db_sealed", None)
        slot.pop("db_key", None)
        slot.pop("db_nonce", None)

    def copy(self, path: Path | None = None) -> KeySlots:
        """An independent copy (another path, the same slots)."""
        twin = KeySlots(path or self.path, self.store_id,
                        {u: dict(v) for u, v in self._slots.items()})
        twin.rekey_id = self.rekey_id
        return twin

    def remove(self, user: str) -> None:
        self._slots.pop(user, None)

    def to_bytes(self) -> bytes:
        version = SLOT_VERSION if all("box_public" in v for v in self._slots.values()) else 1
        doc: dict[str, object] = {
            "format": SLOT_FORMAT,
            "version": version,
            "store_id": self.store_id,
            "slots": self._slots,
        }
        if self.rekey_id:
            doc["rekey_id"] = self.rekey_id
        return json.dumps(doc, indent=1, sort_keys=True).encode()

    def save(self, path: Path | None = None) -> None:
        """Write the file atomically (temp file, fsync, rename, fsync of the folder)."""
        atomic_write(path or self.path, self.to_bytes())
