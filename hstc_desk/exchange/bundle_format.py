"""The bundle layout (DESIGN §6): a BagIt bag (RFC 8493) in a canonical zip, plus a detached
Ed25519 signature over the tag manifest.

    bagit.txt                 BagIt-Version, Tag-File-Character-Encoding
    bag-info.txt              bundle id, sender, fingerprint, destination, sequence, times, ...
    manifest-sha256.txt       SHA-256 of every payload file under data/
    tagmanifest-sha256.txt    SHA-256 of bagit.txt, bag-info.txt, manifest-sha256.txt
    data/items.jsonl          one item per line, canonical JSON
    data/links.jsonl          one link per line, canonical JSON
    data/products.jsonl       only when the bundle carries approved products: one product
                              version and its sign-off per line, canonical JSON
    signature.ed25519         "fingerprint <hex>" and "signature <hex>" over the tag manifest
    disclosure-approval.json  only to a foreign destination: the disclosure officer's Ed25519
                              approval of this manifest (exchange.release_approval), a tag file
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from hstc_desk.exchange.errors import BundleError

BAGIT = "bagit.txt"
BAG_INFO = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
SIGNATURE = "signature.ed25519"
ITEMS = "data/items.jsonl"
LINKS = "data/links.jsonl"
PRODUCTS = "data/products.jsonl"
PAYLOAD = (ITEMS, LINKS)  # always present
TAG_FILES = (BAGIT, BAG_INFO, MANIFEST)
MEMBER_ORDER = (BAGIT, BAG_INFO, MANIFEST, TAGMANIFEST, ITEMS, LINKS, SIGNATURE)  # required
# A bundle with products also holds data/products.jsonl (and declares Product-Count); one
# without is laid out exactly as before products existed.
# A bundle to a foreign destination also holds the disclosure officer's approval, a tag file
# (listed in the tag manifest, so the workstation's signature covers it): release_approval.
APPROVAL = "disclosure-approval.json"
FULL_ORDER = (BAGIT, BAG_INFO, MANIFEST, APPROVAL, TAGMANIFEST, ITEMS, LINKS, PRODUCTS,
              SIGNATURE)
ALLOWED = frozenset(FULL_ORDER)
BAGIT_TEXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
FORMAT = "hstc-bundle 1"
SIGNATURE_CONTEXT = b"HSTC-BUNDLE-SIGNATURE-V1\x00"

# The limits on lines, one set for the writer and the reader: the reader refuses a bundle with a
# longer line, so the export leaves out (with the reason) a record whose line would be longer,
# and its read-back applies the same rule before the media is declared safe.
MAX_RECORD_LINE = 1 << 20  # one item or link, canonical JSON
MAX_PRODUCT_LINE = 1 << 22  # one approved product version and its sign-off
LINE_LIMITS = {ITEMS: MAX_RECORD_LINE, LINKS: MAX_RECORD_LINE, PRODUCTS: MAX_PRODUCT_LINE}

_FIELDS = ("Bundle-Format", "Bundle-Id", "Sender-Workstation", "Sender-Fingerprint",
           "Destination", "Sequence-Number", "Created", "Expires", "Banner", "Audit-Head",
           "Item-Count", "Link-Count", "Payload-Oxum", "Bagging-Date")
_FIELDS_WITH_PRODUCTS = (*_FIELDS[:12], "Product-Count", *_FIELDS[12:])
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BagInfo:
    bundle_id: str
    sender: str
    fingerprint: str
    destination: str
    sequence: int
    created: datetime
    expires: datetime
    banner: str
    audit_head: str
    items: int
    links: int
    oxum: str
    products: int = 0

    def payload(self) -> tuple[str, ...]:
        """The payload members this bundle holds."""
        return (*PAYLOAD, PRODUCTS) if self.products else PAYLOAD

    def to_bytes(self) -> bytes:
        values = {
            "Bundle-Format": FORMAT, "Bundle-Id": self.bundle_id,
            "Sender-Workstation": self.sender, "Sender-Fingerprint": self.fingerprint,
            "Destination": self.destination, "Sequence-Number": str(self.sequence),
            "Created": _iso(self.created), "Expires": _iso(self.expires), "Banner": self.banner,
            "Audit-Head": self.audit_head, "Item-Count": str(self.items),
            "Link-Count": str(self.links), "Payload-Oxum": self.oxum,
            "Bagging-Date": self.created.date().isoformat(), "Product-Count": str(self.products),
        }
        names = _FIELDS_WITH_PRODUCTS if self.products else _FIELDS
        return "".join(f"{k}: {values[k]}\n" for k in names).encode()


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def _text(data: bytes, member: str, check: str) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(check, f"{member} is not UTF-8") from None
    if not text.endswith("\n") or "\r" in text or "\x00" in text:
        raise BundleError(check, f"{member}: lines must end with LF, no CR or NUL")
    return text[:-1].split("\n")


def _keyed_lines(data: bytes, member: str, check: str, pattern: str,
                 verb: str) -> dict[str, str]:
    """Every line of ``member`` matched in full by ``pattern`` (named groups ``key`` and
    ``value``), in order; a malformed line or a key seen twice is refused."""
    out: dict[str, str] = {}
    for line in _text(data, member, check):
        m = re.fullmatch(pattern, line)
        if not m:
            raise BundleError(check, f"{member}: malformed line {line[:60]!r}")
        if m["key"] in out:
            raise BundleError(check, f"{member}: {m['key']} {verb} twice")
        out[m["key"]] = m["value"]
    return out


def parse_bag_info(data: bytes) -> BagInfo:
    check = "bag declaration"
    fields = _keyed_lines(data, BAG_INFO, check,
                          r"(?P<key>[A-Za-z][A-Za-z-]*): (?P<value>.{1,400})", "appears")
    if tuple(fields) not in (_FIELDS, _FIELDS_WITH_PRODUCTS):
        missing = [f for f in _FIELDS if f not in fields]
        extra = [f for f in fields if f not in _FIELDS_WITH_PRODUCTS]
        raise BundleError(check, f"bag-info.txt: fields are not those of a bundle "
                                 f"(missing {missing}, unexpected {extra}, or out of order)")
    if fields["Bundle-Format"] != FORMAT:
        raise BundleError(check, f"unknown bundle format {fields['Bundle-Format']!r}")
    try:
        bundle_id = str(uuid.UUID(fields["Bundle-Id"]))
    except ValueError:
        raise BundleError(check, "Bundle-Id is not a UUID") from None
    if bundle_id != fields["Bundle-Id"]:
        raise BundleError(check, "Bundle-Id is not in canonical form")
    if not _HEX64.match(fields["Sender-Fingerprint"]):
        raise BundleError(check, "Sender-Fingerprint is not 64 hex digits")
    if not re.fullmatch(r"[\w .@-]{1,100}", fields["Sender-Workstation"]):
        raise BundleError(check, "Sender-Workstation has odd characters")
    if not re.fullmatch(r"[A-Z][A-Z0-9-]{1,30}", fields["Destination"]):
        raise BundleError(check, "Destination is not a destination code")
    if not re.fullmatch(r"\d+:[0-9a-f]{64}", fields["Audit-Head"]):
        raise BundleError(check, "Audit-Head is not SEQ:HASH")
    if not re.fullmatch(r"\d+\.\d+", fields["Payload-Oxum"]):
        raise BundleError(check, "Payload-Oxum is not OCTETS.FILES")
    created, expires = _time(fields, "Created"), _time(fields, "Expires")
    if expires <= created:
        raise BundleError(check, "Expires is not after Created")
    if fields["Bagging-Date"] != created.date().isoformat():
        raise BundleError(check, "Bagging-Date does not match Created")
    return BagInfo(bundle_id, fields["Sender-Workstation"], fields["Sender-Fingerprint"],
                   fields["Destination"], _count(fields, "Sequence-Number", 1), created, expires,
                   fields["Banner"], fields["Audit-Head"], _count(fields, "Item-Count", 0),
                   _count(fields, "Link-Count", 0), fields["Payload-Oxum"],
                   _count(fields, "Product-Count", 1) if "Product-Count" in fields else 0)


def _count(fields: dict[str, str], key: str, least: int) -> int:
    if not re.fullmatch(r"0|[1-9]\d{0,11}", fields[key]) or int(fields[key]) < least:
        raise BundleError("bag declaration", f"{key} is not a whole number >= {least}")
    return int(fields[key])


def _time(fields: dict[str, str], key: str) -> datetime:
    text = fields[key]
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", text):
        raise BundleError("bag declaration", f"{key} is not an ISO 8601 UTC time")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise BundleError("bag declaration", f"{key} is not a valid time") from None


def manifest_bytes(hashes: dict[str, str]) -> bytes:
    return "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode()


def parse_manifest(data: bytes, member: str, expected: tuple[str, ...],
                   check: str) -> dict[str, str]:
    out = _keyed_lines(data, member, check, r"(?P<value>[0-9a-f]{64})  (?P<key>\S+)", "listed")
    if sorted(out) != sorted(expected):
        raise BundleError(check, f"{member} lists {sorted(out)}, not {sorted(expected)}")
    return out


def signature_bytes(fp: str, signature: bytes) -> bytes:
    return f"fingerprint {fp}\nsignature {signature.hex()}\n".encode()


def parse_signature(data: bytes) -> tuple[str, bytes]:
    check = "signature"
    m = re.fullmatch(rb"fingerprint ([0-9a-f]{64})\nsignature ([0-9a-f]{128})\n", data)
    if not m:
        raise BundleError(check, "signature.ed25519 is malformed")
    return m[1].decode(), bytes.fromhex(m[2].decode())
