"""Approved products travel in bundles with their sign-off and verify on arrival."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from hstc_desk.domain.products import Authority, Citation, Paragraph, Product
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.keys import fingerprint, raw_public
from hstc_desk.exchange.merge import check_bundle, import_bundle
from hstc_desk.exchange.selection import plan
from hstc_desk.exchange.zipcodec import write_zip
from hstc_desk.store import Store
from hstc_desk.store import products as P

from conftest import ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from exchange_helpers import (
    audit_actions,
    bundle_bytes,
    location,
    members_of,
    open_admin,
    trust_pair,
)

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="25X1, 20761231")


class Env:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.a_path = make_store(tmp / "a")
        self.b_path = make_store(tmp / "b")
        self.a, self.b = open_admin(self.a_path), open_admin(self.b_path)
        trust_pair(self.a, self.b)
        trust_pair(self.b, self.a)
        self.a.insert_items([location(1, "S//REL TO USA, GBR"),
                             location(2, "S//REL TO USA, GBR", leads_only=True),
                             location(3, "S//NF")])

    def approved(self, *portions: object, title: str = "Corridor") -> Product:
        with Store.open(self.a_path, ANALYST, ANALYST_PW) as s:
            p = P.create(s, product_type="intelligence_bulletin", title=title,
                         title_marking="(U)",
                         portions=list(portions), authority=AUTH)  # type: ignore[arg-type]
            P.submit(s, p.id)
        with Store.open(self.a_path, SUPERVISOR, SUPERVISOR_PW) as s:
            return P.approve(s, p.id, password=SUPERVISOR_PW)[0]

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    e = Env(tmp_path)
    yield e
    e.close()


REL = Paragraph(marking="(S//REL TO USA, GBR)", text="Boats leave at night.")


def test_round_trip_with_signoff_verified_on_arrival(env: Env) -> None:
    p = env.approved(REL, Citation(item_id="LOC-0000000000000001", marking="U"))
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s:  # a draft does not travel
        P.create(s, product_type="target_package", title="draft", title_marking="U",
                 portions=[Paragraph(marking="U", text="x")])
    data = bundle_bytes(env.a, env.tmp, "GBR")
    assert bf.PRODUCTS in members_of(data)
    v = check_bundle(env.b, data)
    assert v.ok, v.error
    assert [r.product.id for r in v.products] == [p.id]
    assert any("sign-off by sup verified" in line for line in v.lines())
    report = import_bundle(env.b, data)
    assert report.products == {"added": 1, "unchanged": 0, "renumbered_drafts": 0}
    assert P.get(env.b, p.id) == p
    verdict = P.verify_stored(env.b, p.id)
    assert verdict.ok, verdict.reason
    assert any("imported" in line and "trusted here" in line for line in verdict.lines)
    sup_key = P.signoff_of(env.a, p.id, 1).signoff.signer_public_key  # type: ignore[union-attr]
    assert fingerprint(bytes.fromhex(sup_key)) in "\n".join(verdict.lines)
    # the same content converges: both stores agree on the product and sign-off part
    rows = "SELECT body FROM products WHERE status = 'approved' UNION ALL SELECT body FROM signoffs"
    assert env.a.conn.execute(rows).fetchall() == env.b.conn.execute(rows).fetchall()
    # a second bundle with the same version changes nothing
    again = bundle_bytes(env.a, env.tmp, "GBR", validity=timedelta(days=2))
    digest = env.b.content_digest()
    assert import_bundle(env.b, again).products["unchanged"] == 1
    assert env.b.content_digest() == digest


def test_left_out_with_reasons(env: Env) -> None:
    env.approved(REL, Citation(item_id="LOC-0000000000000003", marking="U"), title="noforn")
    lead = env.approved(REL, Citation(item_id="LOC-0000000000000002", marking="U"),
                        title="leads")
    assert lead.leads_only
    gbr = plan(env.a, "GBR")
    assert len(gbr.products) == 1  # the leads-only one is fine for intelligence use
    why = {e.title: e for e in gbr.excluded if e.record == "product"}
    assert "portion 2 (citation)" in why["noforn (version 1)"].reason
    doj = plan(env.a, "USA-DOJ")
    why = {e.title: e for e in doj.excluded if e.record == "product"}
    assert why["leads (version 1)"].category == "use restriction"
    assert not any(json.loads(line)["product"]["title"] == "leads" for line in doj.products)


def _replace_products(data: bytes, env: Env, edit: Callable[[dict], None]) -> bytes:
    """Edit the product lines, then rebuild the manifests and re-sign as the sender would."""
    m = members_of(data)
    lines = [json.loads(x) for x in m[bf.PRODUCTS].decode().splitlines()]
    for obj in lines:
        edit(obj)
    m[bf.PRODUCTS] = "".join(
        json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        for o in lines).encode()
    oxum = f"{sum(len(m[n]) for n in (*bf.PAYLOAD, bf.PRODUCTS))}.3"
    m[bf.BAG_INFO] = re.sub(rb"Payload-Oxum: \S+", oxum.encode().join([b"Payload-Oxum: ", b""]),
                            m[bf.BAG_INFO])
    m[bf.MANIFEST] = bf.manifest_bytes({n: hashlib.sha256(m[n]).hexdigest()
                                        for n in (*bf.PAYLOAD, bf.PRODUCTS)})
    tags = (*bf.TAG_FILES, bf.APPROVAL) if bf.APPROVAL in m else bf.TAG_FILES
    m[bf.TAGMANIFEST] = bf.manifest_bytes({n: hashlib.sha256(m[n]).hexdigest() for n in tags})
    key = env.a.workstation_key
    sig = key.sign(bf.SIGNATURE_CONTEXT + m[bf.TAGMANIFEST])
    m[bf.SIGNATURE] = bf.signature_bytes(fingerprint(raw_public(key)), sig)
    return write_zip((n, m[n]) for n in bf.FULL_ORDER if n in m)


def _text(o: dict) -> None:
    o["product"]["portions"][0]["text"] = "Boats leave at dawn."


def _marking(o: dict) -> None:
    o["product"]["portions"][0]["marking"] = "(S//REL TO USA, AUS, GBR)"


def _version(o: dict) -> None:
    o["product"]["version"] = 2
    o["signoff"]["version"] = 2


def _head(o: dict) -> None:
    o["signoff"]["audit_head"] = "1:" + "0" * 64


def _sig(o: dict) -> None:
    s = o["signoff"]["signature"]
    o["signoff"]["signature"] = ("1" if s[0] == "0" else "0") + s[1:]


@pytest.mark.parametrize("edit", [_text, _marking, _version, _head, _sig],
                         ids=lambda f: f.__name__.strip("_"))
def test_tampered_signoff_in_resigned_bundle_is_refused(env: Env,
                                                        edit: Callable[[dict], None]) -> None:
    env.approved(REL)
    # To a US agency: a foreign bundle's release approval would refuse the re-signed payload
    # first (its manifest changed); here the sign-off check is the one under test.
    data = bundle_bytes(env.a, env.tmp, "USA")
    bad = _replace_products(data, env, edit)
    before = env.b.content_digest()
    v = check_bundle(env.b, bad)
    assert v.check("signature").ok and v.check("payload").ok  # the bundle itself is sound
    assert v.error is not None and v.error.check == "sign-off"
    assert "the sign-off does not verify" in str(v.error)
    with pytest.raises(BundleError, match="sign-off does not verify"):
        import_bundle(env.b, bad)
    assert env.b.content_digest() == before
    assert audit_actions(env.b, "exchange.refused") == 1
    # an untouched re-signature of the same content is accepted
    assert check_bundle(env.b, _replace_products(data, env, lambda o: None)).ok


def test_same_version_with_other_content_is_refused(env: Env) -> None:
    env.approved(REL)
    import_bundle(env.b, bundle_bytes(env.a, env.tmp, "GBR"))
    # forge: another approved body for the same (id, version) that verifies on its own needs
    # the supervisor's key; simulate the clash by changing what B holds instead.
    row = env.b.conn.execute("SELECT id, body FROM products").fetchone()
    with env.b.transaction() as conn:
        conn.execute("DROP TRIGGER products_approved_immutable")  # behind the app's back
        conn.execute("UPDATE products SET body = ? WHERE id = ?",
                     (row[1].replace("Boats leave at night.", "Changed."), row[0]))
    with pytest.raises(BundleError, match="approved version is immutable"):
        import_bundle(env.b, bundle_bytes(env.a, env.tmp, "GBR",
                                          validity=timedelta(days=3)))


def test_local_draft_makes_way_for_an_arriving_approved_version(env: Env) -> None:
    p = env.approved(REL)
    import_bundle(env.b, bundle_bytes(env.a, env.tmp, "GBR"))
    env.b.add_user("ana2", "another analyst 5", "analyst")
    with Store.open(env.b_path, "ana2", "another analyst 5") as s:
        local = P.edit(s, p.id, title="B's update")  # version 2, a draft on B
    assert local.version == 2
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s:
        P.edit(s, p.id, title="A's update")
        P.submit(s, p.id)
    with Store.open(env.a_path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, p.id, password=SUPERVISOR_PW)
    report = import_bundle(env.b, bundle_bytes(env.a, env.tmp, "GBR",
                                               validity=timedelta(days=4)))
    assert report.products == {"added": 1, "unchanged": 1, "renumbered_drafts": 1}
    assert P.get(env.b, p.id, 2).title == "A's update"
    assert P.get(env.b, p.id, 3).title == "B's update"
    assert P.verify_stored(env.b, p.id, 2).ok
    assert audit_actions(env.b, "product.renumbered") == 1


def test_arrival_order_does_not_change_the_digest(env: Env) -> None:
    env.approved(REL, title="first")
    b1 = bundle_bytes(env.a, env.tmp, "GBR")
    env.approved(REL, title="second")
    b2 = bundle_bytes(env.a, env.tmp, "GBR", validity=timedelta(days=5))
    c = open_admin(make_store(env.tmp / "c"))
    try:
        trust_pair(env.a, c)
        for store, order in ((env.b, (b1, b2)), (c, (b2, b1))):
            for data in order:
                import_bundle(store, data)
        assert env.b.content_digest() == c.content_digest()
        assert env.b.stats()["signoffs"] == c.stats()["signoffs"] == 2
    finally:
        c.close()
