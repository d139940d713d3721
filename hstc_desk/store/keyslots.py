"""Per-user key slots (LUKS-like) kept beside the encrypted database.

The database key is 32 random bytes. Each user's slot wraps it with AES-256-GCM under a key
derived from that user's password by Argon2id; the same key wraps the user's Ed25519 signing
key, so only that user can sign. The slot file holds no plaintext secret: salts, KDF costs,
nonces and ciphertexts. Roles and public keys live inside the encrypted database, where a
tampered slot file cannot change them.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from hstc_desk.atomic import atomic_write
from hstc_desk.store.errors import AuthError, CorruptStoreError

SLOT_FORMAT = "hstc-keyslots"
SLOT_VERSION = 1
KEY_BYTES = 32


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
            if doc.get("format") != SLOT_FORMAT or doc.get("version") != SLOT_VERSION:
                raise ValueError("not an HSTC key slot file")
            store_id = str(doc["store_id"])
            slots = dict(doc["slots"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise CorruptStoreError(f"key slot file {path.name} is damaged: {exc}") from None
        return cls(path, store_id, slots)

    def users(self) -> list[str]:
        return sorted(self._slots)

    def has(self, user: str) -> bool:
        return user in self._slots

    def _aad(self, user: str, what: str) -> bytes:
        return f"{SLOT_FORMAT}|{self.store_id}|{user}|{what}".encode()

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
            db_key = kek.decrypt(_unb64(slot["db_nonce"]), _unb64(slot["db_key"]),
                                 self._aad(user, "db"))
            signing = kek.decrypt(_unb64(slot["sign_nonce"]), _unb64(slot["sign_key"]),
                                  self._aad(user, "sign"))
        except InvalidTag:
            raise AuthError() from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorruptStoreError(f"key slot of {user!r} is damaged: {exc}") from None
        return Unlocked(db_key=db_key, signing_key=signing)

    def set_slot(self, user: str, password: str, keys: Unlocked,
                 params: KdfParams | None = None) -> None:
        """Wrap ``keys`` for ``user`` under ``password`` (in memory; call save())."""
        params = params or KdfParams()
        salt = secrets.token_bytes(16)
        kek = AESGCM(params.derive(password, salt))
        db_nonce, sign_nonce = os.urandom(12), os.urandom(12)
        self._slots[user] = {
            "kdf": asdict(params),
            "salt": _b64(salt),
            "db_nonce": _b64(db_nonce),
            "db_key": _b64(kek.encrypt(db_nonce, keys.db_key, self._aad(user, "db"))),
            "sign_nonce": _b64(sign_nonce),
            "sign_key": _b64(kek.encrypt(sign_nonce, keys.signing_key, self._aad(user, "sign"))),
        }

    def remove(self, user: str) -> None:
        self._slots.pop(user, None)

    def save(self) -> None:
        doc = {
            "format": SLOT_FORMAT,
            "version": SLOT_VERSION,
            "store_id": self.store_id,
            "slots": self._slots,
        }
        atomic_write(self.path, json.dumps(doc, indent=1, sort_keys=True).encode())
