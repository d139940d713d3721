"""Sign-off verification: valid as made, refused for every tampered field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hstc_desk.domain.products import (
    Authority,
    Paragraph,
    Product,
    Signoff,
    parse_product,
    parse_signoff,
    product_to_json,
    signoff_to_json,
)
from hstc_desk.exchange.keys import raw_public
from hstc_desk.store import Store
from hstc_desk.store import products as P

from conftest import ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="25X1, 20761231")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Product, Signoff, bytes, Path]:
    path = make_store(tmp_path_factory.mktemp("so") / "store")
    with Store.open(path, ANALYST, ANALYST_PW) as a:
        p = P.create(a, product_type="intelligence_report", title="Route through the Darien",
                     title_marking="(U)",
                     portions=[Paragraph(marking="(S//REL TO USA, GBR)", text="Leg one."),
                               Paragraph(marking="(C)", text="Leg two.")], authority=AUTH)
        P.submit(a, p.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        product, so = P.approve(s, p.id, password=SUPERVISOR_PW)
        key = s.user.public_key
    return product, so, key, path


def _tamper_product(product: Product, edit: Callable[[dict[str, Any]], None]) -> Product:
    data = json.loads(product_to_json(product))
    edit(data)
    return parse_product(data)


def _tamper_signoff(so: Signoff, **changes: Any) -> Signoff:
    data = json.loads(signoff_to_json(so))
    data.update(changes)
    return parse_signoff(data)


def test_valid_as_made(signed: tuple) -> None:
    product, so, key, path = signed
    verdict = P.verify(product, so, key)
    assert verdict.ok and "signed off by sup" in verdict.lines[0]
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        assert P.verify_stored(s, product.id).ok


def _portion_text(d: dict) -> None:
    d["portions"][1]["text"] = "Leg two!"


def _portion_marking(d: dict) -> None:
    d["portions"][0]["marking"] = "(S//REL TO USA, GBR, AUS)"


def _title_marking(d: dict) -> None:
    d["title_marking"] = "(C)"


def _version(d: dict) -> None:
    d["version"] = 2


def _editors(d: dict) -> None:
    d["editors"] = ["mallory"]


def _author(d: dict) -> None:
    d["author"] = "someone"


@pytest.mark.parametrize("edit", [_portion_text, _portion_marking, _title_marking, _version,
                                  _editors, _author], ids=lambda f: f.__name__.strip("_"))
def test_tampered_product_fails(signed: tuple, edit: Callable) -> None:
    product, so, key, _ = signed
    verdict = P.verify(_tamper_product(product, edit), so, key)
    assert not verdict.ok
    assert "content hash mismatch" in verdict.reason or "version 2" in verdict.reason


def test_tampered_signoff_fields_fail(signed: tuple) -> None:
    product, so, key, _ = signed
    seq, head = so.audit_head.split(":")
    cases = {
        "audit head": _tamper_signoff(so, audit_head=f"{seq}:{'0' * 64}"),
        "audit seq": _tamper_signoff(so, audit_head=f"{int(seq) - 1}:{head}"),
        "signed at": _tamper_signoff(so, signed_at="2020-01-01T00:00:00Z"),
        "signer": _tamper_signoff(so, signer="sup2"),
        "signature byte": _tamper_signoff(
            so, signature=so.signature[:10] + ("0" if so.signature[10] != "0" else "1")
            + so.signature[11:]),
    }
    for name, bad in cases.items():
        verdict = P.verify(product, bad, key)
        assert not verdict.ok, name
    assert "signature does not verify" in P.verify(product, cases["signature byte"], key).reason


def test_other_signer_key_fails(signed: tuple) -> None:
    product, so, _, _ = signed
    other = raw_public(Ed25519PrivateKey.generate())
    assert "not the signer's key" in P.verify(product, so, other).reason
    # a sign-off re-made with another key but claiming it: the content hash covers the key
    forged = _tamper_signoff(so, signer_public_key=other.hex())
    assert "content hash mismatch" in P.verify(product, forged, other).reason


def test_signoff_for_another_version_fails(signed: tuple) -> None:
    product, so, key, _ = signed
    assert "not" in P.verify(product, _tamper_signoff(so, version=3), key).reason


def test_stored_tamper_is_caught(signed: tuple, tmp_path: Path) -> None:
    import shutil

    product, _so, _, path = signed
    copy = tmp_path / "copy"
    shutil.copytree(path, copy)
    with Store.open(copy, ANALYST, ANALYST_PW) as s:
        changed = _tamper_product(product, _portion_text)
        with s.transaction() as conn:
            conn.execute("DROP TRIGGER products_approved_immutable")  # behind the app's back
            conn.execute("UPDATE products SET body = ? WHERE id = ?",
                         (product_to_json(changed), product.id))
        verdict = P.verify_stored(s, product.id)
        assert not verdict.ok and "content hash mismatch" in verdict.reason
