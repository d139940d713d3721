"""A verifiable release: a folder of files, ``SHA256SUMS`` over every one of them, and
``SHA256SUMS.sig``, an Ed25519 signature of that list by the release key.

The signature is made and read by the same code as bundle signatures (``exchange.bundle_format``:
the fingerprint and signature lines; ``exchange.keys``: the public key file and fingerprints), under
a context of its own so a bundle signature can never pass for a release signature or the reverse.

The security officer checks a release with ``hstc release verify FOLDER --key release.pub`` before
anything is installed: the signature first, then every listed file's size and SHA-256, then that no
file is in the folder that the list does not name. Each refusal names the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError, KeyError_
from hstc_desk.exchange.keys import fingerprint, grouped, parse_key_file, raw_public

SUMS = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sig"
RELEASE_CONTEXT = b"HSTC-RELEASE-SIGNATURE-V1\x00"
SUMS_MAX = 4 * 1024 * 1024
_LINE = re.compile(r"(?P<digest>[0-9a-f]{64})  (?P<size>[0-9]{1,15})  (?P<name>[^\n]+)")
_CHUNK = 1024 * 1024


class ReleaseError(Exception):
    """A release refused: ``file`` is the file at fault (or the folder), ``reason`` why."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass
class Verified:
    signer: str
    files: list[str] = field(default_factory=list)
    total_bytes: int = 0


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file under ``folder`` (relative, POSIX, sorted) but the list and its signature.
    A symbolic link or anything that is not a regular file or folder is refused."""
    out = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise ReleaseError(name, "is not a regular file (a link or a device): "
                                     "a release holds files only")
        if path.is_file() and name not in (SUMS, SIGNATURE):
            out.append(name)
    return out


def sums_bytes(folder: Path) -> bytes:
    """SHA256SUMS for ``folder``: one line per file, "sha256  size  path", sorted by path."""
    lines = []
    for name in _files(folder):
        path = folder / name
        lines.append(f"{_digest(path)}  {path.stat().st_size}  {name}\n")
    return "".join(lines).encode("utf-8")


def sign(folder: Path, key: Ed25519PrivateKey) -> bytes:
    """Write SHA256SUMS and SHA256SUMS.sig into ``folder``; returns the list."""
    sums = sums_bytes(folder)
    (folder / SUMS).write_bytes(sums)
    signature = key.sign(RELEASE_CONTEXT + sums)
    (folder / SIGNATURE).write_bytes(bf.signature_bytes(fingerprint(raw_public(key)), signature))
    return sums


def _parse_sums(data: bytes) -> dict[str, tuple[str, int]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReleaseError(SUMS, "is not UTF-8 text") from None
    out: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = _LINE.fullmatch(line)
        if not m:
            raise ReleaseError(SUMS, f"line {number} is not 'sha256  size  path'")
        name = m["name"]
        parts = name.split("/")
        if name.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in name:
            raise ReleaseError(SUMS, f"line {number} names a path outside the folder: {name!r}")
        if name in out:
            raise ReleaseError(SUMS, f"line {number} lists {name} a second time")
        out[name] = (m["digest"], int(m["size"]))
    if not out:
        raise ReleaseError(SUMS, "lists no files")
    return out


def _read_small(path: Path, name: str, limit: int) -> bytes:
    if path.is_symlink() or not path.is_file():
        raise ReleaseError(name, "is missing (or not a regular file)")
    if path.stat().st_size > limit:
        raise ReleaseError(name, f"is larger than {limit} bytes")
    return path.read_bytes()


def verify(folder: Path, public_key_file: bytes) -> Verified:
    """Check a release folder against the release public key file; ReleaseError naming the
    first file that is wrong. Changes nothing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReleaseError(str(folder), "is not a folder")
    try:
        key = parse_key_file(public_key_file)
    except KeyError_ as exc:
        raise ReleaseError("release key", str(exc)) from None
    sums = _read_small(folder / SUMS, SUMS, SUMS_MAX)
    try:
        fp, signature = bf.parse_signature(_read_small(folder / SIGNATURE, SIGNATURE, 4096))
    except BundleError:
        raise ReleaseError(SIGNATURE, "is not a signature file (fingerprint and signature "
                                      "lines)") from None
    if fp != key.fingerprint:
        raise ReleaseError(SIGNATURE, f"was made by the key {grouped(fp)}, not by the release "
                                      f"key {grouped(key.fingerprint)}")
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature,
                                                                  RELEASE_CONTEXT + sums)
    except InvalidSignature:
        raise ReleaseError(SUMS, "does not match its signature: the list of files was changed "
                                 "after it was signed (or the signature was)") from None
    listed = _parse_sums(sums)
    result = Verified(signer=key.fingerprint)
    for name, (digest, size) in listed.items():
        path = folder / name
        if path.is_symlink() or not path.is_file():
            raise ReleaseError(name, "is listed in SHA256SUMS but missing from the folder")
        if path.stat().st_size != size:
            raise ReleaseError(name, f"is {path.stat().st_size} bytes, SHA256SUMS says {size}")
        if _digest(path) != digest:
            raise ReleaseError(name, "does not match its SHA-256 in SHA256SUMS: the file was "
                                     "changed or damaged")
        result.files.append(name)
        result.total_bytes += size
    for name in _files(folder):
        if name not in listed:
            raise ReleaseError(name, "is in the folder but not listed in SHA256SUMS")
    return result
