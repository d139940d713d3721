"""``hstc release``: make a release key, sign a release folder, verify one before installing.

The security officer runs ``hstc release verify FOLDER --key release.pub`` on the media before
anything is installed; it names the first file that is wrong and exits 1, or lists what it
checked and exits 0. ``keygen`` and ``sign`` are what ``make release`` runs on the build machine.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from hstc_desk import release
from hstc_desk.cli.credentials import UsageError
from hstc_desk.exchange.keys import KEY_FILE_MAX, fingerprint, grouped, key_file_bytes, raw_public
from hstc_desk.inputs import read_regular_file

PRIVATE_MAX = 4096


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("release", help="make, sign and verify a release of HSTC Desk")
    rsub = p.add_subparsers(dest="release_command", required=True, parser_class=parser_class)
    v = rsub.add_parser("verify", help="check every file of a release folder before installing")
    v.add_argument("folder", metavar="FOLDER")
    v.add_argument("--key", required=True, help="the release public key file (release.pub)")
    v.set_defaults(func=cmd_verify)
    s = rsub.add_parser("sign", help="write SHA256SUMS and its signature into a release folder")
    s.add_argument("folder", metavar="FOLDER")
    s.add_argument("--key", required=True, help="the release private key (PEM)")
    s.set_defaults(func=cmd_sign)
    k = rsub.add_parser("keygen", help="make a release key pair: KEY.pem and KEY.pub")
    k.add_argument("--out", required=True, help="file name without extension, e.g. keys/release")
    k.add_argument("--name", default="HSTC Desk release", help="the name in the public key file")
    k.set_defaults(func=cmd_keygen)


def cmd_verify(args: argparse.Namespace) -> int:
    key = read_regular_file(args.key, KEY_FILE_MAX, "release key")
    try:
        result = release.verify(Path(args.folder), key)
    except release.ReleaseError as exc:
        print(f"REFUSED  {exc.file}: {exc.reason}")
        return 1
    print(f"signature  good, release key {grouped(result.signer)}")
    for name in result.files:
        print(f"ok  {name}")
    print(f"verified {len(result.files)} files, {result.total_bytes:,} bytes: safe to install")
    return 0


def _private_key(path: str) -> Ed25519PrivateKey:
    data = read_regular_file(path, PRIVATE_MAX, "release private key")
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise UsageError(f"{path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path} is not an Ed25519 key")
    return key


def cmd_sign(args: argparse.Namespace) -> int:
    key = _private_key(args.key)
    sums = release.sign(Path(args.folder), key)
    count = len(sums.splitlines())
    print(f"signed {count} files in {args.folder} with release key "
          f"{grouped(fingerprint(raw_public(key)))}")
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    private, public = Path(args.out + ".pem"), Path(args.out + ".pub")
    for path in (private, public):
        if path.exists():
            raise UsageError(f"{path} exists: a release key is never overwritten")
    key = Ed25519PrivateKey.generate()
    private.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public.write_bytes(key_file_bytes(args.name, raw_public(key)))
    print(f"release key {grouped(fingerprint(raw_public(key)))}\n"
          f"  private: {private} (keep it off the release media)\n  public:  {public}")
    return 0
