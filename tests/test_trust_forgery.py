"""Issue 12, item 0: the forgeries an analyst can make with raw SQL and their own password, on
the real SQLCipher store, each detected by `hstc product verify`, `hstc audit verify` and
`hstc check`, naming what is wrong.

The analyst attacks with the program's own library (they have Python): their own password
unwraps the database key and their own signing key; the workstation key is in the database
(any user may sign a bundle), so they may use that too. What they do not have is anyone
else's signing key.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hstc_desk.domain.products import (
    SIGNOFF_CONTEXT,
    Authority,
    Paragraph,
    Product,
    change_product,
    parse_signoff,
    signoff_message,
)
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.keys import fingerprint, key_file_bytes, raw_public
from hstc_desk.exchange.trust import trust
from hstc_desk.store import TEST_KDF, PermissionDenied, Store, anchors, audit
from hstc_desk.store import products as P
from hstc_desk.store.keyslots import KeySlots, Unlocked

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

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="25X1, 20761231")


def approve(s: Store, pid: str) -> tuple[Product, object]:
    """P.approve, with the password again where the product workflow asks for it."""
    if "password" in inspect.signature(P.approve).parameters:
        return P.approve(s, pid, password=SUPERVISOR_PW)
    return P.approve(s, pid)


def draft(path: Path, user: str = ADMIN, pw: str = ADMIN_PW, title: str = "Darien leg") -> str:
    with Store.open(path, user, pw) as s:
        p = P.create(s, product_type="intelligence_report", title=title, title_marking="(U)",
                     portions=[Paragraph(marking="(C)", text="Leg one.")], authority=AUTH)
        P.submit(s, p.id)
        return p.id


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one product approved twice (v1, v2) by the supervisor, one product in
    review (authored by the admin), and a trusted partner key."""
    path = make_store(tmp_path_factory.mktemp("trust") / "store")
    pid = draft(path)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        approve(s, pid)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        P.edit(s, pid, title="Darien leg, revised")
        P.submit(s, pid)
        partner = Ed25519PrivateKey.generate()
        pub = raw_public(partner)
        trust(s, key_file_bytes("partner-ws", pub), fingerprint(pub))
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        approve(s, pid)
    draft(path, title="Pending review")
    return path


@pytest.fixture
def store(base: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "store"
    shutil.copytree(base, dst)
    return dst


def pids(path: Path) -> tuple[str, str]:
    """(the twice-approved product, the one in review)."""
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        approved = s.conn.execute("SELECT id FROM products WHERE version = 2").fetchone()[0]
        review = s.conn.execute("SELECT id FROM products WHERE status = 'in_review'"
                                ).fetchone()[0]
    return approved, review


def forge_signoff(s: Store, pid: str, signer: str, key: Ed25519PrivateKey,
                  received_from: str | None = None) -> None:
    """What approve() does, by hand: the version set approved, a sign-off by ``signer`` made
    with ``key``, and its approval record in the chain signed with ``key`` as ``signer``."""
    current = P.get(s, pid)
    product = change_product(current, status="approved", updated=datetime.now(UTC))
    pub = raw_public(key).hex()
    head = s.audit_head()
    head_text = f"{head.seq}:{head.hash}"
    digest = hashlib.sha256(signoff_message(product, signer=signer, signer_public_key=pub,
                                            audit_head=head_text,
                                            signed_at=product.updated)).digest()
    so = parse_signoff({
        "audit_head": head_text, "content_hash": digest.hex(), "product_id": pid,
        "signature": key.sign(SIGNOFF_CONTEXT + digest).hex(), "signed_at": product.updated,
        "signer": signer, "signer_public_key": pub, "version": product.version})
    with s.transaction() as conn:
        conn.execute("DELETE FROM products WHERE id = ? AND version = ?", (pid, product.version))
        conn.execute(P.INSERT, P.product_row(product))
        P.insert_signoff(s, so, received_from)
        audit.append(conn, s.store_id, signer, "product.approve", pid, {
            "version": product.version, "content_hash": so.content_hash,
            "audit_head": head_text}, key)


def as_analyst(path: Path, attack: Callable[[Store], None]) -> None:
    """Run ``attack`` with the analyst's own password. Triggers that guard rows are no bar to
    someone with SQL: the attacker drops them first."""
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        for (name,) in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                      "AND tbl_name IN ('products', 'signoffs', 'audit', "
                                      "'users', 'certificates')").fetchall():
            s.conn.execute(f'DROP TRIGGER "{name}"')
        attack(s)


def detected(path: Path, pid: str, *expect: str) -> dict[str, str]:
    """Run the three commands; each must fail, and together they name every ``expect``."""
    outs = {}
    for name, args in (("product verify", ("product", "verify", str(path), pid)),
                       ("audit verify", ("audit", "verify", str(path))),
                       ("check", ("check", str(path)))):
        r = run_hstc(*args)
        assert "Traceback" not in r.stderr, r.stderr
        assert r.returncode == 1, f"{name} passed a forged store:\n{r.stdout}{r.stderr}"
        outs[name] = r.stdout + r.stderr
    for word in expect:
        assert any(word in o for o in outs.values()), (word, outs)
    return outs


def test_clean_store_passes_all_three(store: Path) -> None:
    approved, _ = pids(store)
    for args in (("product", "verify", str(store), approved), ("audit", "verify", str(store)),
                 ("check", str(store))):
        r = run_hstc(*args)
        assert r.returncode == 0, r.stdout + r.stderr
    out = run_hstc("product", "verify", str(store), approved).stdout
    assert "a supervisor of this store, certified" in out


def test_ghost_supervisor_row(store: Path) -> None:
    """A made-up supervisor row with the analyst's own key, and a slot for it: it cannot log
    in, and the sign-off it "makes" is named."""
    _, review = pids(store)

    def attack(s: Store) -> None:
        s.conn.execute("INSERT INTO users (name, role, clearance, public_key, created) VALUES "
                       "('ghost-sup', 'supervisor', ?, ?, ?)",
                       (s.user.clearance, s.user.public_key, audit.now_iso()))
        slots = KeySlots.load(s.path / "keyslots.json")
        slots.set_slot("ghost-sup", "ghost pass phrase", Unlocked(s._keys.db_key,
                                                                  s._keys.signing_key), TEST_KDF)
        slots.save()
        forge_signoff(s, review, "ghost-sup", s.signing_key)

    as_analyst(store, attack)
    with pytest.raises(PermissionDenied, match="no valid certificate"):
        Store.open(store, "ghost-sup", "ghost pass phrase")
    outs = detected(store, review, "ghost-sup")
    assert "held no valid certificate" in outs["product verify"]
    assert "user ghost-sup: no valid certificate" in outs["audit verify"]
    assert "ghost-sup" in outs["check"]


def test_role_flipped_by_sql(store: Path) -> None:
    _, review = pids(store)

    def attack(s: Store) -> None:
        s.conn.execute("UPDATE users SET role = 'supervisor' WHERE name = ?", (ANALYST,))

    as_analyst(store, attack)
    # The flip gives no power: the role comes from the certificate.
    with Store.open(store, ANALYST, ANALYST_PW) as s:
        assert s.user.role == "analyst"
        with pytest.raises(PermissionDenied):
            approve(s, review)
        forge_signoff(s, review, ANALYST, s.signing_key)
    outs = detected(store, review, "role")
    assert "the signer ana is analyst, not a supervisor" in outs["product verify"]
    assert "user ana: the row was altered (role: the row says 'supervisor'" in outs["audit verify"]


def test_swapped_public_key(store: Path) -> None:
    """The supervisor's row given the analyst's key, and a sign-off as the supervisor."""
    _, review = pids(store)

    def attack(s: Store) -> None:
        s.conn.execute("UPDATE users SET public_key = ? WHERE name = ?",
                       (s.user.public_key, SUPERVISOR))
        forge_signoff(s, review, SUPERVISOR, s.signing_key)

    as_analyst(store, attack)
    outs = detected(store, review, "public key")
    assert "not the signer's key" in outs["product verify"] or \
        "not signed by sup" in outs["product verify"], outs["product verify"]
    assert "user sup: the row was altered (public key" in outs["audit verify"]


def test_received_from_set_by_hand(store: Path) -> None:
    """A self-made sign-off marked as imported from the trusted partner."""
    _, review = pids(store)

    def attack(s: Store) -> None:
        partner = s.conn.execute("SELECT fingerprint FROM trusted_keys").fetchone()[0]
        forge_signoff(s, review, ANALYST, s.signing_key, received_from=partner)

    as_analyst(store, attack)
    outs = detected(store, review, "received from")
    assert "no bundle evidence vouches for it" in outs["product verify"]
    assert "no bundle evidence vouches for it" in outs["audit verify"]


def test_received_from_set_on_a_real_signoff(store: Path) -> None:
    """Even on a genuine local sign-off, the column alone never makes it "imported"."""
    approved, _ = pids(store)

    def attack(s: Store) -> None:
        partner = s.conn.execute("SELECT fingerprint FROM trusted_keys").fetchone()[0]
        s.conn.execute("UPDATE signoffs SET received_from = ? WHERE product_id = ?",
                       (partner, approved))

    as_analyst(store, attack)
    detected(store, approved, "no bundle evidence vouches for it")


def test_approved_version_2_and_its_signoff_deleted(store: Path) -> None:
    approved, _ = pids(store)

    def attack(s: Store) -> None:
        s.conn.execute("DELETE FROM signoffs WHERE product_id = ? AND version = 2", (approved,))
        s.conn.execute("DELETE FROM products WHERE id = ? AND version = 2", (approved,))

    as_analyst(store, attack)
    outs = detected(store, approved, "version 2")
    assert "records" in outs["product verify"] and "version 2 approved" in \
        outs["product verify"], outs["product verify"]
    assert f"approves {approved} version 2, but the store no longer holds it" in \
        outs["audit verify"]


def test_approved_version_2_rolled_back(store: Path) -> None:
    approved, _ = pids(store)

    def attack(s: Store) -> None:
        s.conn.execute("DELETE FROM signoffs WHERE product_id = ? AND version = 2", (approved,))
        s.conn.execute("UPDATE products SET status = 'in_review' WHERE id = ? AND version = 2",
                       (approved,))

    as_analyst(store, attack)
    outs = detected(store, approved, "version 2")
    assert "holds it in review" in outs["audit verify"]


def test_chain_cut_after_the_latest_signoff(store: Path) -> None:
    approved, _ = pids(store)

    def attack(s: Store) -> None:
        head = s.conn.execute("SELECT audit_head FROM signoffs WHERE product_id = ? AND "
                              "version = 2", (approved,)).fetchone()[0]
        seq = int(head.split(":")[0])
        s.conn.execute("DELETE FROM audit WHERE seq > ?", (seq,))
        s.conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (head,))

    as_analyst(store, attack)
    outs = detected(store, approved, "approv")
    assert "not in the chain" in outs["product verify"]
    assert "has no approval record in the audit chain" in outs["audit verify"]


def test_workstation_key_cannot_certify(store: Path) -> None:
    """The analyst can read the workstation key; a certificate it signs for them is refused."""
    from hstc_desk.store import certificates as C

    def attack(s: Store) -> None:
        ws = s.workstation_key
        serial = s.conn.execute("SELECT max(serial) + 1 FROM certificates").fetchone()[0]
        doc = {"v": 1, "serial": serial, "subject": ANALYST, "role": "supervisor",
               "clearance": s.user.clearance, "public_key": s.user.public_key.hex(),
               "state": "active", "issuer": C.WORKSTATION, "issuer_key": raw_public(ws).hex(),
               "issued_at": audit.now_iso(), "audit_seq": s.audit_head().seq,
               "store_id": s.store_id}
        body = C.canonical(doc)
        s.conn.execute("INSERT INTO certificates VALUES (?, ?, ?, ?)",
                       (serial, ANALYST, body, ws.sign(C.CONTEXT + body.encode()).hex()))

    as_analyst(store, attack)
    with Store.open(store, ANALYST, ANALYST_PW) as s:
        assert s.user.role == "analyst"
    r = run_hstc("audit", "verify", str(store))
    assert r.returncode == 1 and "certifies only the first admin" in r.stderr, r.stderr


def test_imported_signoff_evidence_is_reverified(base: Path, tmp_path: Path) -> None:
    """A sign-off that came in a bundle verifies through the bundle evidence kept with it, and
    a byte changed in that evidence is named. The names anchors repeats agree with the
    exchange's own."""
    from hstc_desk.exchange.merge import import_bundle

    from exchange_helpers import bundle_bytes, trust_pair

    assert anchors.BUNDLE_CONTEXT == bf.SIGNATURE_CONTEXT
    assert (anchors.TAGMANIFEST, anchors.MANIFEST, anchors.SIGNATURE, anchors.PRODUCTS) == (
        bf.TAGMANIFEST, bf.MANIFEST, bf.SIGNATURE, bf.PRODUCTS)
    # What the evidence keeps: the tag files, the signature and the products, all bundle names.
    assert {*bf.TAG_FILES, bf.TAGMANIFEST, bf.SIGNATURE, bf.PRODUCTS} == set(
        anchors.EVIDENCE_MEMBERS) and set(anchors.EVIDENCE_MEMBERS) <= set(bf.FULL_ORDER)
    sender = tmp_path / "sender"
    shutil.copytree(base, sender)
    receiver = make_store(tmp_path / "receiver")
    approved, _ = pids(sender)
    with Store.open(sender, ADMIN, ADMIN_PW) as s, Store.open(receiver, ADMIN, ADMIN_PW) as r:
        trust_pair(s, r)
        data = bundle_bytes(s, tmp_path, "USA")
    with Store.open(receiver, ADMIN, ADMIN_PW) as r:
        import_bundle(r, data)
        v = P.verify_stored(r, approved)
        assert v.ok, v.reason
        assert any("signed by" in line and "re-verified" in line for line in v.lines)
        assert r.verify_audit().ok, r.verify_audit().message()
    with Store.open(receiver, ANALYST, ANALYST_PW) as a:
        members = json.loads(a.conn.execute("SELECT members FROM bundle_evidence").fetchone()[0])
        members[bf.PRODUCTS] = members[bf.PRODUCTS][:-8] + "AAAAAAo="
        a.conn.execute("UPDATE bundle_evidence SET members = ?", (json.dumps(members),))
    with Store.open(receiver, ADMIN, ADMIN_PW) as r:
        v = P.verify_stored(r, approved)
        assert not v.ok and "bundle" in v.reason, v.reason
        assert not r.verify_audit().ok


def test_disabled_user_enabled_again_by_sql(store: Path) -> None:
    """A user whose certificate says disabled stays out when their row is flipped back."""
    from hstc_desk.store import certificates as C

    with Store.open(store, ADMIN, ADMIN_PW) as s, s.transaction() as conn:
        sup = C.current(conn, s.store_id, SUPERVISOR)
        assert sup is not None
        _set_state(conn, "disabled")
        C.issue(s, SUPERVISOR, role=sup.role, clearance=sup.clearance,
                public_key=sup.public_key, state="disabled")
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        assert s.verify_audit().ok, s.verify_audit().message()

    as_analyst(store, lambda s: _set_state(s.conn, "active"))
    with pytest.raises(PermissionDenied, match="disabled"):
        Store.open(store, SUPERVISOR, SUPERVISOR_PW)
    r = run_hstc("check", str(store))
    assert r.returncode == 1 and "user sup: the row was altered" in r.stderr, r.stderr


def _set_state(conn, state: str) -> None:
    """The supervisor's row disabled or enabled (and its state, where user lifecycle has it)."""
    conn.execute("UPDATE users SET disabled = ? WHERE name = ?", (state != "active", SUPERVISOR))
    if any(r[1] == "state" for r in conn.execute("PRAGMA table_info(users)")):
        conn.execute("UPDATE users SET state = ? WHERE name = ?", (state, SUPERVISOR))


def test_trusted_key_added_by_sql_vouches_for_nothing(store: Path) -> None:
    """The analyst adds their own "partner" key to the trust store by SQL and forges the bundle
    evidence for a sign-off by a made-up partner supervisor, signed with that key."""
    import base64

    _, review = pids(store)
    fake_ws = Ed25519PrivateKey.generate()
    fake_sup = Ed25519PrivateKey.generate()

    def attack(s: Store) -> None:
        pub = raw_public(fake_ws)
        fp = fingerprint(pub)
        s.conn.execute("INSERT INTO trusted_keys (fingerprint, public_key, name, added, "
                       "added_by) VALUES (?, ?, 'partner-x', ?, 'admin')",
                       (fp, pub, audit.now_iso()))
        forge_signoff(s, review, "partner-sup", fake_sup, received_from=fp)
        # The forged approval record is not needed for an import: take it back out.
        head = s.conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        s.conn.execute("DELETE FROM audit WHERE seq = ?", (head,))
        h = s.conn.execute("SELECT hash FROM audit WHERE seq = ?", (head - 1,)).fetchone()[0]
        s.conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{head - 1}:{h}",))
        product = P.get(s, review)
        so = P.signoff_of(s, review, product.version).signoff
        line = (f'{{"product":{P.product_to_json(product)},"signoff":'
                f'{P.signoff_to_json(so)}}}\n').encode()
        manifest = bf.manifest_bytes({bf.PRODUCTS: hashlib.sha256(line).hexdigest()})
        tagmanifest = bf.manifest_bytes({bf.MANIFEST: hashlib.sha256(manifest).hexdigest()})
        members = {bf.PRODUCTS: line, bf.MANIFEST: manifest, bf.TAGMANIFEST: tagmanifest,
                   bf.SIGNATURE: bf.signature_bytes(fp, fake_ws.sign(
                       bf.SIGNATURE_CONTEXT + tagmanifest))}
        kept = json.dumps({n: base64.b64encode(b).decode() for n, b in members.items()})
        s.conn.execute("INSERT INTO bundle_evidence VALUES ('forged-bundle', ?, ?)", (fp, kept))
        s.conn.execute("INSERT INTO signoff_evidence VALUES (?, ?, 'forged-bundle')",
                       (review, product.version))

    as_analyst(store, attack)
    outs = detected(store, review, "no admin trusted it")
    assert "no admin trusted it" in outs["product verify"], outs["product verify"]
    assert "no admin trusted it" in outs["audit verify"]


def test_revoked_key_reinstated_by_sql(store: Path) -> None:
    from hstc_desk.exchange.trust import revoke

    with Store.open(store, ADMIN, ADMIN_PW) as s:
        fp = s.conn.execute("SELECT fingerprint FROM trusted_keys").fetchone()[0]
        revoke(s, fp)
        assert s.verify_audit().ok, s.verify_audit().message()
    as_analyst(store, lambda s: s.conn.execute("UPDATE trusted_keys SET revoked = NULL"))
    r = run_hstc("audit", "verify", str(store))
    assert r.returncode == 1 and "active again in the trust store" in r.stderr, r.stderr


def test_root_replaced_by_an_after_the_fact_root(store: Path) -> None:
    """The analyst, who can read the workstation key, replaces the root with a "legacy" root
    (the form `hstc audit certify` makes for stores older than certificates) naming themselves
    admin, and strips every signature: the store id says it was made with its root."""
    from hstc_desk.store import certificates as C

    def attack(s: Store) -> None:
        ws = s.workstation_key
        head = s.audit_head()
        doc = {"v": 1, "serial": 1, "subject": ANALYST, "role": "admin",
               "clearance": s.user.clearance, "public_key": s.user.public_key.hex(),
               "state": "active", "issuer": C.WORKSTATION, "issuer_key": raw_public(ws).hex(),
               "issued_at": audit.now_iso(), "audit_seq": head.seq + 1,
               "store_id": s.store_id, "legacy": {"unsigned_through": head.seq}, "nonce": "00"}
        body = C.canonical(doc)
        s.conn.execute("DELETE FROM certificates")
        s.conn.execute("INSERT INTO certificates VALUES (1, ?, ?, ?)",
                       (ANALYST, body, ws.sign(C.CONTEXT + body.encode()).hex()))
        s.conn.execute("UPDATE audit SET signer = '', signature = ''")

    with Store.open(store, ADMIN, ADMIN_PW) as s:
        assert C.made_with_root(s.store_id)
    as_analyst(store, attack)
    r = run_hstc("audit", "verify", str(store))  # nobody holds a valid certificate now
    assert r.returncode == 1 and "the root was replaced" in r.stderr, r.stderr
    with pytest.raises(PermissionDenied, match="the root was replaced"):
        Store.open(store, ANALYST, ANALYST_PW)


def test_partner_key_added_by_sql_imports_nothing(base: Path, tmp_path: Path) -> None:
    """A key put in the trust store by SQL does not let a bundle signed with it in."""
    from hstc_desk.exchange.errors import BundleError
    from hstc_desk.exchange.merge import import_bundle

    from exchange_helpers import bundle_bytes, members_of, resign

    sender = tmp_path / "sender"
    shutil.copytree(base, sender)
    receiver = make_store(tmp_path / "receiver")
    with Store.open(sender, ADMIN, ADMIN_PW) as s:
        data = bundle_bytes(s, tmp_path, "USA")
    fake = Ed25519PrivateKey.generate()
    forged = resign(members_of(data), fake)
    pub = raw_public(fake)
    as_analyst(receiver, lambda a: a.conn.execute(
        "INSERT INTO trusted_keys (fingerprint, public_key, name, added, added_by) VALUES "
        "(?, ?, 'partner-x', ?, 'admin')", (fingerprint(pub), pub, audit.now_iso())))
    with Store.open(receiver, ADMIN, ADMIN_PW) as r:
        with pytest.raises(BundleError, match="not in this workstation's trust store"):
            import_bundle(r, forged)
        assert r.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0
