"""Hostile bundles: each refused with a clear message naming the check, the store's content
digest unchanged, and the refusal in the audit log (a replay: a no-op, also logged)."""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.merge import import_bundle
from hstc_desk.exchange.trust import revoke
from hstc_desk.exchange.zipcodec import write_zip
from hstc_desk.store import Store

from exchange_helpers import (
    Raw,
    audit_actions,
    bundle_bytes,
    fp_of,
    members_of,
    new_store,
    raw_members,
    raw_zip,
    resign,
    trust_pair,
)


@dataclass
class Env:
    a: Store
    b: Store
    c: Store  # a second trusted sender
    tmp: Path
    good: bytes
    other: bytes  # another bundle from a, to another destination


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("hostile")
    a = new_store(tmp / "a", items=20, seed=11)
    b = new_store(tmp / "b", items=5, seed=3)
    c = new_store(tmp / "c", items=5, seed=5)
    trust_pair(a, b)
    trust_pair(c, b)
    e = Env(a, b, c, tmp, bundle_bytes(a, tmp, "USA"), bundle_bytes(a, tmp, "GBR"))
    yield e
    for s in (a, b, c):
        s.close()


def refuse(env: Env, data: bytes, check: str | None = None) -> BundleError:
    before = env.b.content_digest()
    logged = audit_actions(env.b, "exchange.refused")
    with pytest.raises(BundleError) as info:
        import_bundle(env.b, data)
    exc = info.value
    assert str(exc).startswith(f"bundle refused ({exc.check}): ")
    assert check is None or exc.check == check, str(exc)
    assert env.b.content_digest() == before
    assert audit_actions(env.b, "exchange.refused") == logged + 1
    return exc


def test_good_bundle_verifies(env: Env) -> None:
    from hstc_desk.exchange.merge import check_bundle

    assert check_bundle(env.b, env.good).ok


HOSTILE_NAMES: list[bytes] = [
    b"../evil", b"../../etc/passwd", b"data/../../evil", b"/etc/passwd", b"/data/items.jsonl",
    b"C:\\Windows\\evil.dll", b"C:evil", b"d:/evil", b"\\\\server\\share\\x",
    b"data\\..\\..\\evil", b"data/items.jsonl\x00.exe", b"\x00", b"evil\x00",
    b"data/./items.jsonl", b"./bagit.txt", b"data//items.jsonl", b"data/", b"DATA/ITEMS.JSONL",
    b"data/items.jsonl ", b"data/evil.sh", b".hidden", b"~/.bashrc", b"data/items.jsonl/evil",
    "é.txt".encode(), "data/items\u2215jsonl".encode(), b"a" * 300,
]


def _hostile_name_bundles(good: bytes) -> list[tuple[str, bytes]]:
    m = members_of(good)
    out = [(f"extra member {n!r}", raw_zip([*raw_members(m), Raw(n, b"x")]))
           for n in HOSTILE_NAMES]
    links = raw_members(m)
    links[4] = Raw(bf.ITEMS.encode(), b"/etc/passwd", attr=0o120777 << 16)
    out.append(("data/items.jsonl as a symbolic link", raw_zip(links)))
    out.append(("a symbolic link data/link", raw_zip(
        [*raw_members(m), Raw(b"data/link", b"../../../etc", attr=0o120777 << 16)])))
    out.append(("duplicate data/items.jsonl", raw_zip(
        [*raw_members(m), Raw(bf.ITEMS.encode(), b"{}\n")])))
    out.append(("duplicate bag-info.txt", raw_zip(
        [Raw(bf.BAG_INFO.encode(), b"Bundle-Format: x\n"), *raw_members(m)])))
    return out


def test_30_hostile_member_names_refused(env: Env) -> None:
    cases = _hostile_name_bundles(env.good)
    assert len(cases) == 30
    for label, data in cases:
        exc = refuse(env, data, "container")
        assert "member" in str(exc), label
    print(f"30 hostile member names refused: {len(cases)}")


def _bombs(env: Env) -> list[tuple[str, bytes]]:
    m = members_of(env.good)
    base = raw_members(m)
    key = env.a.workstation_key
    zeros = bytes(64 << 20)
    out = []
    out.append(("64 MiB of zeros deflated", raw_zip(
        [*base[:4], Raw(bf.ITEMS.encode(), zeros, deflate=True), *base[5:]])))
    out.append(("deflated member lying about its size", raw_zip(
        [*base[:4], Raw(bf.ITEMS.encode(), bytes(1 << 20), deflate=True, usize=100),
         *base[5:]])))
    out.append(("declares 2 GiB", raw_zip(
        [*base[:4], Raw(bf.ITEMS.encode(), b"x", usize=2 << 30), *base[5:]])))
    out.append(("5000 members", raw_zip([Raw(f"m{i}".encode(), b"") for i in range(5000)])))
    inner = raw_zip([Raw(f"d{i}".encode(), zeros[: 1 << 20], deflate=True) for i in range(8)])
    nested = dict(m)
    nested[bf.ITEMS] = inner
    out.append(("a zip of zips inside a signed bundle", resign(nested, key)))
    out.append(("bag-info.txt of 32 MiB deflated", raw_zip(
        [base[0], Raw(bf.BAG_INFO.encode(), b"A" * (32 << 20), deflate=True), *base[2:]])))
    many = [Raw(bf.ITEMS.encode(), b"x" * 100, usize=700 << 20, deflate=True),
            Raw(bf.LINKS.encode(), b"x" * 100, usize=700 << 20, deflate=True)]
    out.append(("1.4 GiB declared across members", raw_zip([*base[:4], *many, base[6]])))
    deep = dict(m)
    deep[bf.ITEMS] = b"[" * 200_000 + b"]" * 200_000 + b"\n"
    out.append(("JSON nested 200,000 deep, signed", resign(deep, key)))
    out.append(("overlapping members (one local file, many entries)", _overlapping(base)))
    garbage = raw_zip([*base[:4], Raw(bf.ITEMS.encode(), m[bf.ITEMS], deflate=True),
                       *base[5:]])
    out.append(("deflate stream with trailing data", _append_to_member(garbage, m)))
    return out


def _overlapping(base: list[Raw]) -> bytes:
    data = raw_zip(base)
    end = data[-22:]
    _, _, _, n, _, cd_size, cd_off, _ = struct.unpack("<4sHHHHLLH", end)
    cd = data[cd_off:cd_off + cd_size]
    first = cd[:46 + len(base[0].name)]
    extra = [first] * 10
    cd2 = cd + b"".join(extra)
    end2 = struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, n + 10, n + 10, len(cd2), cd_off, 0)
    return data[:cd_off] + cd2 + end2


def _append_to_member(data: bytes, m: dict[str, bytes]) -> bytes:
    """Rebuild with items.jsonl deflated plus 64 trailing bytes after the stream end."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    comp = c.compress(m[bf.ITEMS]) + c.flush() + b"\x00" * 64
    base = raw_members(m)
    out = raw_zip([*base[:4], Raw(bf.ITEMS.encode(), comp, usize=len(m[bf.ITEMS])), *base[5:]])
    # fix the method and CRC fields to claim "deflated, CRC of the real content"
    return out.replace(struct.pack("<HHH", 0, 0, 33) + struct.pack("<L", zlib.crc32(comp)),
                       struct.pack("<HHH", 8, 0, 33) + struct.pack("<L", zlib.crc32(
                           m[bf.ITEMS])))


def test_10_decompression_bombs_refused(env: Env) -> None:
    bombs = _bombs(env)
    assert len(bombs) == 10
    for label, data in bombs:
        exc = refuse(env, data)
        assert exc.check in ("container", "schema"), (label, str(exc))
    print(f"10 decompression bombs refused: {len(bombs)}")


def _mutations(env: Env) -> list[tuple[str, bytes]]:
    rng = random.Random(4)
    good = env.good
    out: list[tuple[str, bytes]] = []
    for _ in range(250):
        pos = rng.randrange(len(good))
        flipped = bytearray(good)
        flipped[pos] ^= rng.randrange(1, 256)
        out.append((f"byte {pos} changed", bytes(flipped)))
    for _ in range(100):
        n = rng.randrange(len(good))
        out.append((f"truncated to {n}", good[:n]))
    m, o = members_of(good), members_of(env.other)
    names = list(bf.MEMBER_ORDER)
    swaps = []
    for i, x in enumerate(names):
        for y in names[i + 1:]:
            s = dict(m)
            s[x], s[y] = m[y], m[x]
            swaps.append((f"{x} and {y} swapped", s))
    for k in range(1, 7):
        for i in range(len(names)):
            s = dict(m)
            for name in names[i:i + k]:
                s[name] = o[name]
            swaps.append((f"{k} members from another bundle at {i}", s))
    swaps = [(label, s) for label, s in swaps if s != m]
    assert len(swaps) >= 50
    for label, s in swaps[:50]:
        out.append((label, write_zip((n, s[n]) for n in bf.MEMBER_ORDER)))
    no_sig = {n: b for n, b in m.items() if n != bf.SIGNATURE}
    out.append(("signature stripped", write_zip((n, no_sig[n]) for n in bf.MEMBER_ORDER
                                                if n in no_sig)))
    out.append(("signature emptied", _with_sig(m, b"")))
    fp = fp_of(env.a)
    for _ in range(24):
        out.append(("random signature", _with_sig(m, bf.signature_bytes(fp, rng.randbytes(64)))))
    _, sig = bf.parse_signature(m[bf.SIGNATURE])
    for i in range(24):
        bad = bytearray(sig)
        bad[(i * 11) % 64] ^= 1 << (i % 8)
        out.append((f"signature bit {i} flipped", _with_sig(m, bf.signature_bytes(fp, bytes(bad)))))
    key = env.a.workstation_key
    for i in range(49):
        other_sig = key.sign(bf.SIGNATURE_CONTEXT + m[bf.TAGMANIFEST] + str(i).encode())
        out.append((f"signature of another message {i}",
                    _with_sig(m, bf.signature_bytes(fp, other_sig))))
    out.append(("signature without its context", _with_sig(
        m, bf.signature_bytes(fp, key.sign(m[bf.TAGMANIFEST])))))
    return out


def _with_sig(m: dict[str, bytes], sig: bytes) -> bytes:
    s = dict(m)
    s[bf.SIGNATURE] = sig
    return write_zip((n, s[n]) for n in bf.MEMBER_ORDER)


def test_500_mutated_bundles_refused(env: Env) -> None:
    cases = _mutations(env)
    assert len(cases) == 500
    checks: dict[str, int] = {}
    for label, data in cases:
        try:
            exc = refuse(env, data)
        except BaseException as e:
            raise AssertionError(f"{label}: not refused ({e})") from None
        checks[exc.check] = checks.get(exc.check, 0) + 1
    print(f"500 mutated bundles refused: {sum(checks.values())} by check {checks}")


def test_20_key_substitutions_refused(env: Env) -> None:
    m = members_of(env.good)
    a_fp = fp_of(env.a)
    cases: list[tuple[str, bytes, str]] = []
    for i in range(5):
        evil = Ed25519PrivateKey.generate()
        cases.append((f"attacker {i} claims the trusted key", resign(m, evil, claim_fp=a_fp),
                      "signature"))
    for i in range(5):
        evil = Ed25519PrivateKey.generate()
        cases.append((f"attacker {i} signs as itself", resign(m, evil), "signature"))
    for i in range(5):
        evil = Ed25519PrivateKey.generate()
        s = dict(m)
        s[bf.ITEMS] = m[bf.ITEMS][: len(m[bf.ITEMS]) // 2].rsplit(b"\n", 1)[0] + b"\n"
        cases.append((f"attacker {i} re-signs altered content", resign(s, evil, claim_fp=a_fp),
                      "signature"))
    for _ in range(3):
        cases.append(("another trusted key signs a's bundle", resign(m, env.c.workstation_key),
                      "bag declaration"))
    evil = Ed25519PrivateKey.generate()
    from hstc_desk.exchange.keys import raw_public

    carried = raw_zip([*raw_members(m), Raw(b"key.pub", raw_public(evil))])
    cases.append(("bundle carries its own key", carried, "container"))
    by_c = bundle_bytes(env.c, env.tmp, "USA")
    cases.append(("signer's key revoked", by_c, "signature"))
    assert len(cases) == 20
    for label, data, check in cases:
        if label == "signer's key revoked":
            revoke(env.b, fp_of(env.c))
        exc = refuse(env, data, check)
        assert label and ("key" in str(exc) or "signature" in str(exc) or "member" in str(exc)
                          or "Fingerprint" in str(exc))
    print(f"20 key substitutions refused: {len(cases)}")


def test_4_expired_or_future_bundles_refused(env: Env) -> None:
    now = datetime.now(UTC)
    cases = [
        bundle_bytes(env.a, env.tmp, "USA", now=now - timedelta(days=40)),
        bundle_bytes(env.a, env.tmp, "USA", now=now - timedelta(days=2),
                     validity=timedelta(days=1)),
        bundle_bytes(env.a, env.tmp, "GBR", now=now - timedelta(hours=2),
                     validity=timedelta(hours=1)),
    ]
    for data in cases:
        assert "expired" in str(refuse(env, data, "expiry"))
    # (the writer verifies read-back at its own "now"; a bundle from the future is refused too)
    future = bundle_bytes(env.a, env.tmp, "USA", now=now + timedelta(days=3))
    assert "future" in str(refuse(env, future, "expiry"))
    print("4 expired or future bundles refused")


def test_2_bundles_above_accreditation_refused(env: Env, tmp_path: Path) -> None:
    from exchange_helpers import location

    env.a.insert_items([location(0xA11, "(TS//SI//NF)")])
    low = new_store(tmp_path / "low", accreditation="S")
    nosci = new_store(tmp_path / "nosci", accreditation="TS")
    try:
        for s in (low, nosci):
            trust_pair(env.a, s)
            data = bundle_bytes(env.a, env.tmp, "USA")
            before = s.content_digest()
            with pytest.raises(BundleError) as info:
                import_bundle(s, data)
            assert info.value.check == "accreditation"
            assert "above this workstation's accreditation" in str(info.value)
            assert s.content_digest() == before
            assert audit_actions(s, "exchange.refused") == 1
        print("2 bundles above the workstation's accreditation refused")
    finally:
        low.close()
        nosci.close()


def test_50_replays_are_no_ops(env: Env, tmp_path: Path) -> None:
    r = new_store(tmp_path / "r")
    try:
        trust_pair(env.a, r)
        bundles = [bundle_bytes(env.a, tmp_path, d) for d in ("USA", "GBR", "FVEY", "USA-DOJ")]
        for data in bundles:
            assert import_bundle(r, data).status == "imported"
        digest = r.content_digest()
        rng = random.Random(9)
        for i in range(50):
            rep = import_bundle(r, rng.choice(bundles))
            assert rep.status == "replay"
            assert "a replay" in "\n".join(rep.lines())
            assert r.content_digest() == digest
            assert audit_actions(r, "exchange.replay") == i + 1
        assert r.verify_audit().ok
        print("50 replays: no-ops, each logged")
    finally:
        r.close()


def test_50_rollbacks_change_nothing(tmp_path: Path) -> None:
    from hstc_desk.domain import revise

    from exchange_helpers import location

    a = new_store(tmp_path / "a")
    b = new_store(tmp_path / "b")
    try:
        trust_pair(a, b)
        items = [location(i, "(S//REL TO USA, GBR)") for i in range(1, 6)]
        a.insert_items(items)
        bundles = []
        for v in range(51):
            if v:
                for k, it in enumerate(items):
                    items[k] = revise(it, updated=it.updated + timedelta(hours=1),
                                      title=f"place {k} rev {v}")
                    a.save_item(items[k])
            bundles.append(bundle_bytes(a, tmp_path, "GBR"))
        assert import_bundle(b, bundles[-1]).items.added == 5
        digest = b.content_digest()
        assert digest == a.content_digest()
        order = list(range(50))
        random.Random(2).shuffle(order)
        for k in order:
            rep = import_bundle(b, bundles[k])
            assert rep.items.older == 5 and rep.items.updated == 0
            assert b.content_digest() == digest
        assert all(b.get_item(it.id).version == 51 for it in items)
        assert b.verify_audit().ok
        print("50 rollbacks: no item went back")
    finally:
        a.close()
        b.close()


def test_sha_of_refusal_is_logged(env: Env) -> None:
    data = env.good[:-1]
    refuse(env, data)
    row = env.b.conn.execute("SELECT detail FROM audit WHERE action = 'exchange.refused' "
                             "ORDER BY seq DESC LIMIT 1").fetchone()
    assert hashlib.sha256(data).hexdigest() in row[0]


def test_fuzzed_bundles_never_raise(env: Env) -> None:
    """Random splices, insertions and deletions: verify() reports, it never raises."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from hstc_desk.exchange.merge import check_bundle

    good = env.good
    edits = st.lists(st.tuples(st.integers(0, len(good)), st.integers(0, 64), st.binary(
        max_size=64)), min_size=1, max_size=4)

    @settings(max_examples=300, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(edits)
    def run(changes: list[tuple[int, int, bytes]]) -> None:
        data = good
        for pos, cut, new in changes:
            data = data[:pos] + new + data[pos + cut:]
        v = check_bundle(env.b, data)
        if data != good:
            assert not v.ok and isinstance(v.error, BundleError)

    run()
