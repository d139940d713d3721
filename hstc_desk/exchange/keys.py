"""Workstation keys: fingerprints people can read aloud, and the public key file format.

A fingerprint is the SHA-256 of the raw 32-byte Ed25519 public key, 64 hex digits. People see it
in 16 groups of 4 ("3f2a 91c0 ..."), and type it in any grouping (spaces, dashes, colons, case).
The key file is a small JSON document; the fingerprint written in it is for the eye only: trust
always recomputes it from the key and compares it with the one typed in.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.exchange.errors import KeyError_

KEY_FORMAT = "hstc-workstation-key"
KEY_FILE_MAX = 4096
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SEPARATORS = re.compile(r"[\s:\-_.]+")


def raw_public(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of the raw public key, 64 lowercase hex digits."""
    if len(public_raw) != 32:
        raise KeyError_(f"an Ed25519 public key is 32 bytes, not {len(public_raw)}")
    return hashlib.sha256(public_raw).hexdigest()


def grouped(fp: str) -> str:
    """A fingerprint in 16 groups of 4 hex digits, for reading aloud across enclaves."""
    return " ".join(fp[i:i + 4] for i in range(0, len(fp), 4))


def normalize_fingerprint(typed: str) -> str:
    """The 64-hex form of a fingerprint typed in any grouping; KeyError_ if it is not one."""
    fp = _SEPARATORS.sub("", typed.strip()).lower()
    if not _HEX64.match(fp):
        raise KeyError_(
            "a fingerprint is 64 hex digits (16 groups of 4); "
            f"got {len(fp)} characters{'' if re.fullmatch(r'[0-9a-f]*', fp) else ' with non-hex'}")
    return fp


@dataclass(frozen=True)
class PublicKeyFile:
    workstation: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def key_file_bytes(workstation: str, public_raw: bytes) -> bytes:
    doc = {"format": KEY_FORMAT, "version": 1, "workstation": workstation,
           "public_key": public_raw.hex(), "fingerprint": grouped(fingerprint(public_raw))}
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in pairs:
        if k in out:
            raise KeyError_(f"key file: duplicate field {k!r}")
        out[k] = v
    return out


def parse_key_file(data: bytes) -> PublicKeyFile:
    """Read a public key file strictly; KeyError_ naming what is wrong."""
    if len(data) > KEY_FILE_MAX:
        raise KeyError_(f"key file: larger than {KEY_FILE_MAX} bytes; not a key file")
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyError_(f"key file: not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT or doc.get("version") != 1:
        raise KeyError_(f"key file: not an {KEY_FORMAT} version 1 file")
    if set(doc) != {"format", "version", "workstation", "public_key", "fingerprint"}:
        raise KeyError_(f"key file: unexpected fields {sorted(doc)}")
    name, hexkey = doc["workstation"], doc["public_key"]
    if not isinstance(name, str) or not re.fullmatch(r"[\w .@-]{1,100}", name):
        raise KeyError_("key file: the workstation name is missing or has odd characters")
    if not isinstance(hexkey, str) or not re.fullmatch(r"[0-9a-f]{64}", hexkey):
        raise KeyError_("key file: public_key must be 64 lowercase hex digits")
    raw = bytes.fromhex(hexkey)
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise KeyError_("key file: public_key is not an Ed25519 key") from None
    return PublicKeyFile(name, raw)
