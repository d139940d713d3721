"""Helpers for the exchange tests: paired stores with trust, bundles, hand-made zips, items."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hstc_desk import markings
from hstc_desk.domain import Location
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange import disclosure
from hstc_desk.exchange.keys import fingerprint, grouped, key_file_bytes, raw_public
from hstc_desk.exchange.plan import Plan
from hstc_desk.exchange.selection import Scope, plan
from hstc_desk.exchange.trust import trust
from hstc_desk.exchange.writer import build, export
from hstc_desk.exchange.zipcodec import read_zip, write_zip
from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, OFFICER, OFFICER_PW, make_store

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def open_admin(path: Path) -> Store:
    return Store.open(path, ADMIN, ADMIN_PW)


def new_store(path: Path, items: int = 0, seed: int = 7, accreditation: str = "TS//HCS/SI/TK"
              ) -> Store:
    return open_admin(make_store(path, items=items, seed=seed, accreditation=accreditation))


def key_file(store: Store) -> bytes:
    return key_file_bytes(store.meta("workstation_name"), raw_public(store.workstation_key))


def fp_of(store: Store) -> str:
    return fingerprint(raw_public(store.workstation_key))


def trust_pair(sender: Store, receiver: Store) -> None:
    trust(receiver, key_file(sender), grouped(fp_of(sender)))


def approved(store: Store, dest: str, scope: Scope | None = None) -> tuple[Plan, bytes | None]:
    """The plan for ``dest`` and, for a foreign one, a disclosure officer's approval of it: a
    release request by ``store``'s user, approved by the officer (conftest OFFICER)."""
    p = plan(store, dest, scope)
    if not markings.destination(dest).foreign and not (p.orcon_released or p.leads_only_lifted):
        return p, None
    req, _ = disclosure.prepare(store, dest, scope or Scope())
    with Store.open(store.path, OFFICER, OFFICER_PW) as officer:
        disclosure.approve(officer, req.id)
    req, p = disclosure.approved_plan(store, req.id)
    return p, req.approval


def bundle_bytes(store: Store, tmp: Path, dest: str = "USA", scope: Scope | None = None,
                 **kw: object) -> bytes:
    out = tmp / f"b-{dest}-{hashlib.sha256(str(kw).encode()).hexdigest()[:6]}.bundle"
    p, approval = approved(store, dest, scope)
    export(store, p, out, approval=approval, **kw)  # type: ignore[arg-type]
    return out.read_bytes()


def cli_release(store: Path, dest: str, out: Path, *args: str) -> tuple[str, str]:
    """A foreign export by the command, as people do it: the admin asks (``args``: scope),
    the disclosure officer approves, the admin writes the bundle. (request id, export output)"""
    from conftest import run_hstc

    r = run_hstc("disclosure", "request", str(store), "--to", dest, *args)
    assert r.returncode == 0, r.stderr
    request = r.stdout.rsplit("release request ", 1)[1].split()[0]
    r = run_hstc("disclosure", "approve", str(store), request, user=OFFICER, password=OFFICER_PW)
    assert r.returncode == 0, r.stderr
    r = run_hstc("export", str(store), "--request", request, "--out", str(out))
    assert r.returncode == 0, r.stderr
    return request, r.stdout


def members_of(data: bytes) -> dict[str, bytes]:
    return read_zip(data, bf.ALLOWED)


def resign(members: dict[str, bytes], key: Ed25519PrivateKey, *, claim_fp: str | None = None,
           rehash: bool = True) -> bytes:
    """Rebuild manifests (when asked) and sign with ``key``, claiming ``claim_fp``."""
    m = dict(members)
    if rehash:
        import re

        oxum = f"{sum(len(m[n]) for n in bf.PAYLOAD)}.2"
        m[bf.BAG_INFO] = re.sub(rb"Payload-Oxum: \S+", f"Payload-Oxum: {oxum}".encode(),
                                m[bf.BAG_INFO])
        m[bf.MANIFEST] = bf.manifest_bytes(
            {n: hashlib.sha256(m[n]).hexdigest() for n in bf.PAYLOAD})
        tags = (*bf.TAG_FILES, bf.APPROVAL) if bf.APPROVAL in m else bf.TAG_FILES
        m[bf.TAGMANIFEST] = bf.manifest_bytes(
            {n: hashlib.sha256(m[n]).hexdigest() for n in tags})
    sig = key.sign(bf.SIGNATURE_CONTEXT + m[bf.TAGMANIFEST])
    fp = claim_fp or fingerprint(raw_public(key))
    m[bf.SIGNATURE] = bf.signature_bytes(fp, sig)
    order = [n for n in bf.FULL_ORDER if n in bf.MEMBER_ORDER or (n == bf.APPROVAL and n in m)]
    return write_zip((n, m[n]) for n in order)


def py_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]],
           compression: int = zipfile.ZIP_STORED) -> bytes:
    """A zip written by the standard library (how a hostile bundle might be made)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


@dataclass
class Pair:
    a: Store
    b: Store
    tmp: Path

    def close(self) -> None:
        self.a.close()
        self.b.close()


def pair(tmp: Path, items: int = 20, seed: int = 7) -> Iterator[Pair]:
    a = new_store(tmp / "a", items=items, seed=seed)
    b = new_store(tmp / "b")
    trust_pair(a, b)
    trust_pair(b, a)
    p = Pair(a, b, tmp)
    try:
        yield p
    finally:
        p.close()


def location(n: int, marking: str, *, leads_only: bool = False, version: int = 1,
             title: str = "", when: datetime = T0) -> Location:
    return Location(
        id=f"LOC-{n:016x}", title=title or f"place {n}", marking=marking, originator="CBP",
        use_restriction="leads_only" if leads_only else "none", version=version,
        created=when, updated=when + timedelta(minutes=version), name=f"place {n}",
        country="MEX", lat=19.4, lon=-99.1, loc_type="city")


def build_bytes(store: Store, dest: str = "USA", now: datetime | None = None,
                validity: timedelta = timedelta(days=30), sequence: int = 1) -> bytes:
    """A bundle signed by ``store`` without recording it (for crafting)."""
    p, approval = approved(store, dest)
    data, _ = build(store, p, sequence=sequence, now=now or datetime.now(UTC),
                    validity=validity, approval=approval)
    return data


def audit_actions(store: Store, action: str) -> int:
    return store.conn.execute("SELECT count(*) FROM audit WHERE action = ?",
                              (action,)).fetchone()[0]


@dataclass
class Raw:
    """One member of a hand-made zip: any name bytes, method, attributes, declared size."""

    name: bytes
    data: bytes
    deflate: bool = False
    attr: int = 0o100644 << 16
    usize: int | None = None


def raw_zip(entries: list[Raw]) -> bytes:
    """A zip with exactly these members, names and attributes, however hostile."""
    import struct
    import zlib

    out, central, offset = [], [], 0
    for e in entries:
        if e.deflate:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp = c.compress(e.data) + c.flush()
        else:
            comp = e.data
        usize = len(e.data) if e.usize is None else e.usize
        method = 8 if e.deflate else 0
        crc = zlib.crc32(e.data)
        local = struct.pack("<4sHHHHHLLLHH", b"PK\x03\x04", 20, 0, method, 0, 33, crc,
                            len(comp), usize, len(e.name), 0)
        central.append(struct.pack("<4sHHHHHHLLLHHHHHLL", b"PK\x01\x02", (3 << 8) | 20, 20, 0,
                                   method, 0, 33, crc, len(comp), usize, len(e.name), 0, 0, 0,
                                   0, e.attr, offset) + e.name)
        out += [local, e.name, comp]
        offset += len(local) + len(e.name) + len(comp)
    cd = b"".join(central)
    end = struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(cd),
                      offset, 0)
    return b"".join(out) + cd + end


def raw_members(members: dict[str, bytes]) -> list[Raw]:
    return [Raw(n.encode(), members[n]) for n in bf.MEMBER_ORDER if n in members]
