"""The disclosure officer's approval a foreign bundle carries (issue 12 item 2), and its check
on the receiving workstation: ``disclosure-approval.json``, a tag file (so the sending
workstation's signature covers it too) holding the officer's Ed25519 signature over the SHA-256
of the bundle's manifest, its destination, the request and both people. Kept apart from
``disclosure`` (which makes requests from the store) so the reader needs nothing but this.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hstc_desk import markings
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.keys import fingerprint, grouped

APPROVAL_MEMBER: Final = bf.APPROVAL
APPROVAL_CONTEXT: Final = b"HSTC-RELEASE-APPROVAL-V1\x00"
APPROVAL_MAX: Final = 4096
FIELDS: Final = ("approved_at", "destination", "leads_only_lifted", "manifest_sha256",
                 "officer", "officer_public_key", "orcon_released", "request", "requester")
LISTS: Final = ("leads_only_lifted", "orcon_released")  # item ids released by an originator


def needs_approval(destination: str | markings.Destination) -> bool:
    """A foreign destination: an export there is a release request."""
    dest = (markings.destination(destination) if isinstance(destination, str)
            else destination)
    return dest.foreign


def approval_message(doc: dict[str, Any]) -> bytes:
    return APPROVAL_CONTEXT + json.dumps({k: doc[k] for k in FIELDS}, sort_keys=True,
                                         separators=(",", ":")).encode()


@dataclass(frozen=True)
class Approval:
    officer: str
    officer_fingerprint: str
    requester: str
    request: str
    approved_at: str
    orcon_released: frozenset[str] = frozenset()
    leads_only_lifted: frozenset[str] = frozenset()

    def describe(self) -> str:
        return (f"release {self.request} approved by disclosure officer {self.officer} (key "
                f"{grouped(self.officer_fingerprint)[:19]}...) at {self.approved_at}; "
                f"requested by {self.requester}")


def check_approval(data: bytes | None, *, destination: str, manifest: bytes) -> Approval | None:
    """The approval a bundle carries, checked against its own manifest and destination.
    None for a domestic destination without one; BundleError("disclosure", ...) otherwise."""
    check = "disclosure"
    foreign = needs_approval(destination)
    if data is None:
        if foreign:
            raise BundleError(check, f"a bundle to foreign destination {destination} must carry "
                                     "a disclosure officer's approval; this one has none")
        return None
    if len(data) > APPROVAL_MAX:
        raise BundleError(check, f"{APPROVAL_MEMBER} is larger than {APPROVAL_MAX} bytes")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(check, f"{APPROVAL_MEMBER} is not JSON") from None
    if (not isinstance(doc, dict) or set(doc) != {*FIELDS, "signature"}
            or not all(isinstance(doc[k], str) for k in doc if k not in LISTS)
            or not all(isinstance(doc[k], list) and all(isinstance(i, str) for i in doc[k])
                       for k in LISTS)):
        raise BundleError(check, f"{APPROVAL_MEMBER} does not have exactly the fields "
                                 f"{', '.join((*FIELDS, 'signature'))}")
    if doc["destination"] != destination:
        raise BundleError(check, f"the approval is for {doc['destination']}, the bundle for "
                                 f"{destination}")
    if doc["manifest_sha256"] != hashlib.sha256(manifest).hexdigest():
        raise BundleError(check, f"the approval of {doc['request']} covers another manifest: "
                                 "it was not given for what this bundle holds")
    if doc["officer"] == doc["requester"]:
        raise BundleError(check, "the requester approved their own release")
    try:
        key = bytes.fromhex(doc["officer_public_key"])
        Ed25519PublicKey.from_public_bytes(key).verify(bytes.fromhex(doc["signature"]),
                                                        approval_message(doc))
    except (ValueError, InvalidSignature):
        raise BundleError(check, "the disclosure officer's signature does not verify") from None
    return Approval(doc["officer"], fingerprint(key), doc["requester"], doc["request"],
                    doc["approved_at"], frozenset(doc["orcon_released"]),
                    frozenset(doc["leads_only_lifted"]))


