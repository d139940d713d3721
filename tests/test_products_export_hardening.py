"""Exporting products (issue 8 §6): nothing travels that fails ``hstc product verify`` at home, and
nothing the receiver would refuse is declared safe. Real stores, real Ed25519 keys, real bundles."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.domain.products import (
    SIGNOFF_CONTEXT,
    Authority,
    Paragraph,
    Product,
    parse_signoff,
    signoff_message,
    signoff_to_json,
)
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange import product_payload, reader
from hstc_desk.exchange.errors import ExchangeError
from hstc_desk.exchange.merge import check_bundle
from hstc_desk.exchange.product_payload import line_of
from hstc_desk.exchange.selection import plan
from hstc_desk.exchange.writer import export
from hstc_desk.store import TEST_KDF, Store
from hstc_desk.store import products as P

from conftest import ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from exchange_helpers import approved, location, members_of, open_admin, trust_pair

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="20510101")
REL = Paragraph(marking="(S//REL TO USA, GBR)", text="Boats leave at night.")
OTHER, OTHER_PW = "ana2", "second analyst pass 5"


class Env:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.a_path, self.b_path = make_store(tmp / "a"), make_store(tmp / "b")
        self.a, self.b = open_admin(self.a_path), open_admin(self.b_path)
        self.a.add_user(OTHER, OTHER_PW, "analyst", kdf=TEST_KDF)
        trust_pair(self.a, self.b)

    def approved(self, *portions: Paragraph, title: str = "Corridor") -> Product:
        with Store.open(self.a_path, ANALYST, ANALYST_PW) as s:
            p = P.create(s, product_type="intelligence_bulletin", title=title,
                         title_marking="U", portions=list(portions), authority=AUTH)
            P.submit(s, p.id)
        with Store.open(self.a_path, SUPERVISOR, SUPERVISOR_PW) as s:
            return P.approve(s, p.id, password=SUPERVISOR_PW)[0]

    def resign(self, product: Product, signer: str, key: Ed25519PrivateKey) -> None:
        """Replace the stored sign-off by one that verifies against the key it carries."""
        held = P.signoff_of(self.a, product.id, product.version)
        assert held is not None
        pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        when = datetime.now(UTC)
        digest = hashlib.sha256(signoff_message(
            product, signer=signer, signer_public_key=pub, audit_head=held.signoff.audit_head,
            signed_at=when)).digest()
        so = parse_signoff({
            "audit_head": held.signoff.audit_head, "content_hash": digest.hex(),
            "product_id": product.id, "signature": key.sign(SIGNOFF_CONTEXT + digest).hex(),
            "signed_at": when, "signer": signer, "signer_public_key": pub,
            "version": product.version})
        P.ensure_valid(product, so)  # good against its own key: the old export check passed
        with self.a.transaction() as conn:
            conn.execute("UPDATE signoffs SET signer = ?, signer_public_key = ?, signature = ?, "
                         "content_hash = ?, signed_at = ?, body = ? WHERE product_id = ? AND "
                         "version = ?", (signer, pub, so.signature, so.content_hash,
                                         when.isoformat(), signoff_to_json(so), product.id,
                                         product.version))

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    e = Env(tmp_path)
    yield e
    e.close()


def _other_analysts_key(env: Env) -> Ed25519PrivateKey:
    with Store.open(env.a_path, OTHER, OTHER_PW) as s:
        return s.signing_key


@pytest.mark.parametrize(("signer", "home_reason"), [
    (SUPERVISOR, "not the signer's key"),  # a key that is not the named supervisor's
    (OTHER, f"the signer {OTHER} is analyst, not a supervisor"),  # a genuine non-supervisor key
])
def test_a_signoff_invalid_at_home_is_left_out(env: Env, signer: str, home_reason: str) -> None:
    good = env.approved(REL, title="good")
    bad = env.approved(REL, title="forged")
    key = Ed25519PrivateKey.generate() if signer == SUPERVISOR else _other_analysts_key(env)
    env.resign(bad, signer, key)
    home = P.verify_stored(env.a, bad.id)
    assert not home.ok and home_reason in home.reason
    p, approval = approved(env.a, "GBR")
    left = {e.id: e for e in p.excluded if e.record == "product"}
    assert list(left) == [bad.id]
    assert left[bad.id].category == "sign-off" and home_reason in left[bad.id].reason
    out = env.tmp / "b.bundle"
    export(env.a, p, out, approval=approval)
    v = check_bundle(env.b, out.read_bytes())
    assert v.ok, v.error
    assert [r.product.id for r in v.products] == [good.id]


def _big(env: Env) -> Product:
    # 260 portions of 20,000 characters: within the schema (2,000 of 20,000), over 4 MiB a line
    text = ("Boats leave at night from the northern beaches. " * 420)[:20000]
    return env.approved(*[Paragraph(marking="(S//REL TO USA, GBR)", text=text)] * 260,
                        title="big")


def test_a_product_too_large_to_travel_is_left_out_with_the_reason(env: Env) -> None:
    small = env.approved(REL, title="small")
    big = _big(env)
    p, approval = approved(env.a, "GBR")
    left = [e for e in p.excluded if e.record == "product"]
    assert [(e.id, e.category) for e in left] == [(big.id, "too large")]
    assert "over the 4,194,304 a reader accepts" in left[0].reason
    out = env.tmp / "b.bundle"
    result = export(env.a, p, out, approval=approval)
    assert result.excluded == 1 and "the media may be removed" in result.lines()[-1]
    v = check_bundle(env.b, out.read_bytes())  # the partner accepts what was declared safe
    assert v.ok, v.error
    assert [r.product.id for r in v.products] == [small.id]
    assert len(members_of(out.read_bytes())[bf.PRODUCTS].splitlines()) == 1


def test_the_read_back_applies_the_readers_rules(env: Env) -> None:
    big = _big(env)
    so = P.signoff_of(env.a, big.id, 1)
    assert so is not None
    p = plan(env.a, "USA")  # a US agency: the reader's line rules, not a release approval
    p.products.append(line_of(big, so.signoff))  # as an older selection would have
    p.markings.add(big.marking())
    out = env.tmp / "b.bundle"
    with pytest.raises(ExchangeError, match=r"read-back verification failed \(the receiver "
                                            r"would refuse it: schema: data/products.jsonl "
                                            r"line 1 is longer than 4194304 bytes\)"):
        export(env.a, p, out)
    assert not out.exists()
    assert env.a.conn.execute("SELECT count(*) FROM exports").fetchone()[0] == 0


def test_an_item_line_the_reader_refuses_is_caught_on_read_back(env: Env) -> None:
    p = plan(env.a, "USA")
    p.items.append(b'{"x":"' + b"y" * bf.MAX_RECORD_LINE + b'"}')
    with pytest.raises(ExchangeError, match=r"data/items\.jsonl line 1 is longer than 1048576"):
        export(env.a, p, env.tmp / "c.bundle")
    assert not (env.tmp / "c.bundle").exists()


def test_an_item_too_large_to_travel_is_left_out_with_the_reason(env: Env) -> None:
    text = ("A long debrief of the crossing. " * 700)[:20000]
    big = location(9, "S//REL TO USA, GBR")
    big = type(big).model_validate({**big.model_dump(), "portions": [
        {"marking": "(S//REL TO USA, GBR)", "text": text}] * 60})
    env.a.insert_items([big, location(8, "S//REL TO USA, GBR")])
    p, approval = approved(env.a, "GBR")
    left = [e for e in p.excluded if e.id == big.id]
    assert [e.category for e in left] == ["too large"]
    assert "over the 1,048,576 a reader accepts" in left[0].reason
    out = env.tmp / "e.bundle"
    export(env.a, p, out, approval=approval)
    v = check_bundle(env.b, out.read_bytes())
    assert v.ok, v.error
    assert [r.id for r in v.items] == ["LOC-0000000000000008"]


def test_one_set_of_line_limits_for_writer_and_reader() -> None:
    assert reader.MAX_LINE == bf.MAX_RECORD_LINE == bf.LINE_LIMITS[bf.ITEMS]
    assert product_payload.MAX_LINE == bf.MAX_PRODUCT_LINE == bf.LINE_LIMITS[bf.PRODUCTS]
