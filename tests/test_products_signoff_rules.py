"""Separation of duties in the CLI and on import, and approval only with the password entered
again (issue 11 §3, must show)."""

from __future__ import annotations

import hashlib
import json
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
    change_product,
    parse_product,
    parse_signoff,
    signoff_message,
)
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.merge import import_bundle
from hstc_desk.exchange.product_payload import line_of
from hstc_desk.store import Store
from hstc_desk.store import products as P
from hstc_desk.store.errors import AuthError, PermissionDenied, StoreError

from conftest import (
    ADMIN,
    ADMIN_PW,
    ANALYST,
    ANALYST_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    make_store,
    run_hstc,
)
from exchange_helpers import (
    audit_actions,
    bundle_bytes,
    members_of,
    open_admin,
    trust_pair,
)

AUTH = ["--classified-by", "J. Doe", "--derived-from", "Multiple Sources",
        "--declassify-on", "25X1, 20761231"]


def _cli(user: str, pw: str, *args: str, again: str | None = None):
    env = {} if again is None else {"HSTC_CONFIRM_PASSWORD": again}
    return run_hstc("product", *args, user=user, password=pw, env=env)


def _new(store: str, user: str, pw: str) -> str:
    r = _cli(user, pw, "new", store, "--type", "intelligence_report", "--title", "Crossings",
             "--title-marking", "(U)", "--portion", "(S//NF) Guides are paid in cash.", *AUTH)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()[0]


def _signoffs(path: Path) -> int:
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        return s.conn.execute("SELECT count(*) FROM signoffs").fetchone()[0]


def test_cli_refuses_self_approval_and_approval_by_an_editor(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    s_ = str(path)
    own = _new(s_, SUPERVISOR, SUPERVISOR_PW)  # the supervisor authored it
    assert _cli(SUPERVISOR, SUPERVISOR_PW, "submit", s_, own).returncode == 0
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, own, again=SUPERVISOR_PW)
    assert r.returncode == 1
    assert f"separation of duties: {SUPERVISOR} authored {own} version 1" in r.stderr

    edited = _new(s_, ANALYST, ANALYST_PW)
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "edit", s_, edited, "--portion",
             "(U) The supervisor adds a line.")
    assert r.returncode == 0, r.stderr
    assert "in place" in r.stdout
    assert _cli(ANALYST, ANALYST_PW, "submit", s_, edited).returncode == 0
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, edited, again=SUPERVISOR_PW)
    assert r.returncode == 1
    assert f"separation of duties: {SUPERVISOR} edited {edited} version 1" in r.stderr
    hist = _cli(ANALYST, ANALYST_PW, "history", s_, edited).stdout.splitlines()
    assert hist[1].split("\t")[:5] == ["1", "in_review", ANALYST, SUPERVISOR, "-"]
    assert _signoffs(path) == 0


def test_cli_approval_needs_the_password_entered_again(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    s_ = str(path)
    pid = _new(s_, ANALYST, ANALYST_PW)
    assert _cli(ANALYST, ANALYST_PW, "submit", s_, pid).returncode == 0
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, pid)  # not entered again
    assert r.returncode == 1 and "needs your password entered again" in r.stderr
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, pid, again="not my password")
    assert r.returncode == 1 and "wrong user or password" in r.stderr
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, pid, again=ANALYST_PW)
    assert r.returncode == 1 and "wrong user or password" in r.stderr  # another's password
    assert _signoffs(path) == 0
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        assert audit_actions(s, "product.approve_refused") == 2
        assert P.get(s, pid).status == "in_review"
    pw_file = tmp_path / "again.txt"
    pw_file.write_text(SUPERVISOR_PW + "\n")
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, pid, "--confirm-password-file",
             str(pw_file))
    assert r.returncode == 0, r.stderr
    assert _cli(ANALYST, ANALYST_PW, "verify", s_, pid).returncode == 0


def test_store_approval_needs_the_password(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        p = P.create(s, product_type="intelligence_bulletin", title="t", title_marking="(U)",
                     portions=[Paragraph(marking="(U)", text="x")])
        P.submit(s, p.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        with pytest.raises(PermissionDenied, match="password entered again"):
            P.approve(s, p.id, password="")
        with pytest.raises(AuthError):
            P.approve(s, p.id, password=SUPERVISOR_PW + "x")
        assert P.get(s, p.id).status == "in_review"
        assert s.conn.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0
        approved, so = P.approve(s, p.id, password=SUPERVISOR_PW)
        assert approved.status == "approved" and so.signer == SUPERVISOR


def _resign_with_products(members: dict[str, bytes], key: Ed25519PrivateKey) -> bytes:
    """The bundle rebuilt around a changed products member and signed by ``key`` (the sending
    workstation's own key: the forgery is by that workstation's user)."""
    import re

    from hstc_desk.exchange.keys import fingerprint, raw_public
    from hstc_desk.exchange.zipcodec import write_zip

    m = dict(members)
    payload = (*bf.PAYLOAD, bf.PRODUCTS)
    oxum = f"{sum(len(m[n]) for n in payload)}.{len(payload)}"
    m[bf.BAG_INFO] = re.sub(rb"Payload-Oxum: \S+", f"Payload-Oxum: {oxum}".encode(),
                            m[bf.BAG_INFO])
    m[bf.MANIFEST] = bf.manifest_bytes({n: hashlib.sha256(m[n]).hexdigest() for n in payload})
    tags = [line.split("  ", 1)[1] for line in m[bf.TAGMANIFEST].decode().splitlines()]
    m[bf.TAGMANIFEST] = bf.manifest_bytes({n: hashlib.sha256(m[n]).hexdigest() for n in tags})
    sig = key.sign(bf.SIGNATURE_CONTEXT + m[bf.TAGMANIFEST])
    m[bf.SIGNATURE] = bf.signature_bytes(fingerprint(raw_public(key)), sig)
    return write_zip((n, m[n]) for n in bf.FULL_ORDER if n in m)


def _forged_line(product: Product, signer: str, key: Ed25519PrivateKey, audit_head: str
                 ) -> str:
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    when = datetime.now(UTC)
    digest = hashlib.sha256(signoff_message(product, signer=signer, signer_public_key=pub,
                                            audit_head=audit_head, signed_at=when)).digest()
    so = parse_signoff({
        "audit_head": audit_head, "content_hash": digest.hex(), "product_id": product.id,
        "signature": key.sign(SIGNOFF_CONTEXT + digest).hex(), "signed_at": when,
        "signer": signer, "signer_public_key": pub, "version": product.version})
    return line_of(product, so)


@pytest.mark.parametrize("who", ["author", "editor"])
def test_import_refuses_a_signoff_by_the_author_or_an_editor(tmp_path: Path, who: str) -> None:
    a_path, b_path = make_store(tmp_path / "a"), make_store(tmp_path / "b")
    with open_admin(a_path) as a, open_admin(b_path) as b:
        trust_pair(a, b)
        with Store.open(a_path, ANALYST, ANALYST_PW) as s:
            p = P.create(s, product_type="intelligence_bulletin", title="t",
                         title_marking="(U)", portions=[Paragraph(marking="(U)", text="x")],
                         authority=Authority(classified_by="J. Doe",
                                             derived_from="Multiple Sources",
                                             declassify_on="20510101"))
            P.submit(s, p.id)
            analyst_key = s.signing_key
        with Store.open(a_path, SUPERVISOR, SUPERVISOR_PW) as s:
            P.approve(s, p.id, password=SUPERVISOR_PW)
        members = members_of(bundle_bytes(a, tmp_path, "USA"))
        obj = json.loads(members[bf.PRODUCTS])
        product = parse_product(obj["product"])
        head = obj["signoff"]["audit_head"]
        if who == "author":  # the analyst signs their own product with their own key
            line = _forged_line(product, ANALYST, analyst_key, head)
        else:  # a supervisor who edited the version signs it
            edited = change_product(product, editors=["sup2"])
            line = _forged_line(edited, "sup2", Ed25519PrivateKey.generate(), head)
        members[bf.PRODUCTS] = (line + "\n").encode()
        forged = _resign_with_products(members, a.workstation_key)
        with pytest.raises(BundleError, match="separation of duties: the signer "
                                              f"{ANALYST if who == 'author' else 'sup2'} "
                                              "authored or edited this version"):
            import_bundle(b, forged)
        assert b.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0


def test_a_batch_is_signed_with_one_password_entry_or_not_at_all(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        ids = [P.create(s, product_type="intelligence_bulletin", title=f"t{n}",
                        title_marking="(U)", portions=[Paragraph(marking="(U)", text="x")]).id
               for n in range(3)]
        for pid in ids[:2]:
            P.submit(s, pid)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        with pytest.raises(StoreError, match=f"cannot approve {ids[2]} version 1: it is draft"):
            P.approve_all(s, ids, password=SUPERVISOR_PW)
        assert s.conn.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0
        with pytest.raises(AuthError):
            P.approve_all(s, ids[:2], password="wrong")
        done = P.approve_all(s, ids[:2], password=SUPERVISOR_PW)
        assert [p.id for p, _ in done] == ids[:2]
        assert all(P.verify_stored(s, pid).ok for pid in ids[:2])
