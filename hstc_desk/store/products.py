"""Products in the store (DESIGN §5): create, edit, submit, approve with a signed sign-off, return
with comments, and verify a sign-off. Functions over an open Store; no Qt.

Rules kept here:
- every version is a row of ``products`` (id, version); a draft or in-review version changes in
  place, an approved one never does: editing it makes version + 1, a draft;
- the author of a product stays its author in every version, and editors carry over from one
  version to the next (their text is still in it), so separation of duties is conservative:
  nobody who authored or edited a version approves it;
- only a supervisor approves or returns; approval needs status in_review and, for a classified
  product, the authority block, and the supervisor's password entered again: the signing key
  is unwrapped from their key slot with it (product_signing), never taken from the session;
- tearline rules (domain.product_tearlines) hold at every write; a submitted or approved
  version has no empty tearline; approval signs each tearline version with its parent
  (product_tearlines); an approved referral's addressees await responses (product_referrals);
- drafts autosave in place (``autosave``), never making a version;
- every change writes an audit record in its own transaction; every marking is checked against
  the workstation's accreditation and the user's own clearance (nobody writes a portion, a title
  or a citation marked above what they may see);
- no edit lowers a marking: portions are matched to the version they replace by their stable
  portion id (``pid``, given by the store to every portion it writes; a portion of an edit
  that keeps its pid is the new form of that portion, one with a new pid is new), and portions
  without a pid (written before pids existed) by position among themselves; neither the title
  marking, nor any matched portion's, nor the banner may fall below what it was. To publish at
  a lower level one drafts a new product (or a tearline);
- a citation takes its item's current marking and use restriction at every version and every
  edit (never the one it had when first cited), and approval refuses a version whose citations
  are no longer current;
- what the user may not see is never revealed, not even by an error: a product whose latest
  version is above the user's clearance cannot be edited by them, and says only that.

Trust in a sign-off: one made here verifies against the signer's public key in this store's user
table (and its audit head must be a record of this store's chain). One that arrived in a bundle
verifies against the signer key it carries, which is reported with its fingerprint; what vouches
for that key is the sender workstation's bundle signature, checked against the trust store on
arrival, and that workstation key must still be trusted (not revoked) when verified again later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import ValidationError

from hstc_desk import markings
from hstc_desk.domain import product_tearlines
from hstc_desk.domain.errors import DomainError, domain_error
from hstc_desk.domain.product_portions import PortionInput, with_pid
from hstc_desk.domain.products import (
    SIGNOFF_CONTEXT,
    Authority,
    Citation,
    Figure,
    Product,
    ReviewComment,
    Signoff,
    change_product,
    field_digests,
    new_product_id,
    parse_product,
    parse_signoff,
    product_to_json,
    signoff_message,
    signoff_to_json,
)
from hstc_desk.store.errors import NotFound, PermissionDenied, StoreError
from hstc_desk.store.product_reads import (  # noqa: F401 - re-exported for callers
    INSERT,
    MAX_VERSION,
    StoredSignoff,
    Verdict,
    _vis,
    fingerprint,
    get,
    list_products,
    product_row,
    signoff_of,
    verify,
)
from hstc_desk.store.rows import parse_marking
from hstc_desk.store.store import Store

AUTHORS = ("analyst", "supervisor", "admin")
__all__ = ["PortionInput"]


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


# ---- writing ------------------------------------------------------------------------------------


def _check_markings(store: Store, product: Product) -> None:
    names = ["the title", *(f"portion {i + 1} ({pt.type})" for i, pt in enumerate(
        product.portions))]
    for m in (*product.markings(), product.marking()):
        store.check_accredited(m)
    for name, m in zip(names, product.markings(), strict=True):
        if not markings.dominates(store.clearance, parse_marking(m)):
            raise PermissionDenied(f"{name} is marked {m}, above your clearance "
                                   f"({store.user.clearance})")


def _matched(old: Product, new: Product) -> list[tuple[int, PortionInput, PortionInput]]:
    """(new index, old portion, new portion): matched by portion id; a new portion that has no
    id (or one ``old`` lacks) is matched with the old portion at its position, unless that one
    is matched by its id elsewhere."""
    by_pid = {p.pid: p for p in old.portions if p.pid}
    kept = {p.pid for p in new.portions if p.pid in by_pid}
    out = []
    for i, p in enumerate(new.portions):
        if p.pid in by_pid:
            out.append((i, by_pid[p.pid], p))
        elif i < len(old.portions) and old.portions[i].pid not in kept:
            out.append((i, old.portions[i], p))
    return out


def _inherit_pids(old: Product, portions: Sequence[PortionInput]) -> list[PortionInput]:
    """Portions given without an id take the id of the old portion at their position (when no
    given portion keeps that id), so a replacement by position stays the same portion for
    anchored comments and diffs."""
    given = {p.pid for p in portions if p.pid}
    out = []
    for i, p in enumerate(portions):
        if p.pid is None and i < len(old.portions):
            pid = old.portions[i].pid
            if pid and pid not in given:
                p = p.model_copy(update={"pid": pid})
                given.add(pid)
        out.append(p)
    return out


def _check_not_lowered(old: Product, new: Product) -> None:
    """No marking of ``old`` falls in ``new`` (portions matched by portion id, or by position
    for portions without one; see the top)."""
    pairs = [("the title marking", old.title_marking, new.title_marking),
             *((f"portion {i + 1} ({b.type})", a.marking, b.marking)
               for i, a, b in _matched(old, new))]
    for name, was, now in pairs:
        if markings.lowers(parse_marking(was), parse_marking(now)):
            raise StoreError(f"{new.id}: {name} would go from {was} to {now}; no edit lowers a "
                             "marking (DESIGN §3.9)")
    if markings.lowers(old.banner_marking(), new.banner_marking()):
        raise StoreError(f"{new.id}: the banner would go from {old.banner()} to {new.banner()}; "
                         "no edit lowers a marking (DESIGN §3.9); to publish at a lower level, "
                         "draft a new product")


def _check_content(store: Store, product: Product) -> None:
    """Tearline rules (every portion releasable to its tearline's destination; a submitted or
    approved version has no empty tearline), referral addressees that are destination
    profiles, and figure images the store holds."""
    product_tearlines.check(product.portions, leads_only=product.leads_only,
                            complete=product.status != "draft")
    for code in product.addressees or ():
        try:
            markings.destination(code)
        except KeyError:
            raise StoreError(f"{product.id}: the addressee {code} is not a destination "
                             "profile") from None
    for i, f in enumerate(product.portions):
        if isinstance(f, Figure) and f.image_sha256 is not None and store.conn.execute(
                "SELECT 1 FROM product_images WHERE sha256 = ?",
                (f.image_sha256,)).fetchone() is None:
            raise NotFound(f"portion {i + 1} (figure): no image {f.image_sha256[:16]}... in "
                           "this store; add it with product_images.put_image first")


def _write(store: Store, product: Product, action: str, detail: dict | None = None,
           *, replace: bool) -> None:
    _check_markings(store, product)
    _check_content(store, product)
    body = product_to_json(product)
    with store.transaction() as conn:
        if replace:
            conn.execute("DELETE FROM products WHERE id = ? AND version = ? AND status != "
                         "'approved'", (product.id, product.version))
        conn.execute(INSERT, product_row(product))
        store.audit(action, product.id, {
            "version": product.version, "status": product.status, "banner": product.banner(),
            "sha256": hashlib.sha256(body.encode()).hexdigest(), **(detail or {})})


def cite(store: Store, item_id: str, note: str = "") -> Citation:
    """A citation of an item this user can see, carrying its marking and use restriction."""
    try:
        item = store.get_item(item_id)
    except NotFound:
        raise NotFound(f"cannot cite {item_id}: no such item visible to you") from None
    title = " ".join(item.title.split())[:300] or None
    return Citation(item_id=item.id, marking=item.marking, note=note, title=title,
                    use_restriction=item.use_restriction)


def _resolve(store: Store, portions: Sequence[PortionInput]) -> list[PortionInput]:
    """Every citation takes its item's current marking, title and use restriction from the
    store; every portion gets a stable portion id (kept if it has one; two portions never
    share one)."""
    out: list[PortionInput] = []
    seen: set[str] = set()
    for p in portions:
        if isinstance(p, Citation):
            p = cite(store, p.item_id, p.note).model_copy(update={"pid": p.pid})
        if p.pid in seen:
            p = p.model_copy(update={"pid": None})
        p = with_pid(p)
        seen.add(p.pid)  # type: ignore[arg-type]
        out.append(p)
    return out


def _stale_citation(store: Store, product: Product) -> str:
    """Why a citation of ``product`` no longer carries its item's marking, or ""."""
    for c in product.citations():
        try:
            now = cite(store, c.item_id, c.note)
        except NotFound:
            return f"the cited item {c.item_id} is not visible to you"
        if (now.marking, now.use_restriction) != (c.marking, c.use_restriction):
            return (f"the cited item {c.item_id} is now marked {now.marking}"
                    + (" (leads only)" if now.use_restriction == "leads_only" else "")
                    + f", not {c.marking}")
    return ""


def _restriction(portions: Sequence[PortionInput], current: str = "none") -> str:
    leads = any(isinstance(p, Citation) and p.use_restriction == "leads_only" for p in portions)
    return "leads_only" if leads or current == "leads_only" else "none"


def create(store: Store, *, product_type: str, title: str, portions: Sequence[PortionInput],
           title_marking: str, authority: Authority | None = None,
           addressees: Sequence[str] | None = None, recommended_action: str | None = None,
           now: datetime | None = None, product_id: str | None = None) -> Product:
    """A new draft, version 1, authored by the store's user. The title is marked like any
    portion: ``title_marking`` is asked for, never assumed. A referral names its
    ``addressees`` (destination profile codes) and ``recommended_action``. ``product_id``: a
    given id (the demo's, deterministic from its seed); refused if it is taken."""
    store.require_role(*AUTHORS)
    if product_id is not None and store.conn.execute(
            "SELECT 1 FROM products WHERE id = ?", (product_id,)).fetchone():
        raise StoreError(f"{product_id} exists already")
    when = _now(now)
    resolved = _resolve(store, portions)
    product = parse_product({
        "id": product_id or new_product_id(), "product_type": product_type, "title": title,
        "title_marking": title_marking, "authority": authority, "portions": resolved,
        "author": store.user.name, "use_restriction": _restriction(resolved),
        "created": when, "updated": when,
        **({"addressees": list(addressees)} if addressees is not None else {}),
        **({"recommended_action": recommended_action}
           if recommended_action is not None else {})})
    _write(store, product, "product.create", replace=False)
    return product


def edit(store: Store, product_id: str, *, title: str | None = None,
         title_marking: str | None = None, portions: Sequence[PortionInput] | None = None,
         authority: Authority | None = None, addressees: Sequence[str] | None = None,
         recommended_action: str | None = None, now: datetime | None = None,
         _autosave_of: int | None = None) -> Product | None:
    """Change a draft in place, or start version + 1 (a draft) from an approved version.

    ``portions``, when given, replace the portions in order (matched by position for the rule
    that no marking is lowered); citations are taken afresh from their items either way."""
    store.require_role(*AUTHORS)
    current = get(store, product_id)
    top = store.conn.execute("SELECT max(version) FROM products WHERE id = ?",
                             (product_id,)).fetchone()[0]
    if top != current.version:  # a later version exists that this user may not see
        raise NotFound(f"no product {product_id} that you may edit")
    if current.status == "in_review":
        raise StoreError(f"{product_id} version {current.version} is in review; it must be "
                         "returned to draft before it is edited")
    new_portions = _resolve(store, _inherit_pids(current, portions) if portions is not None
                            else current.portions)
    editors = list(current.editors)
    if store.user.name != current.author and store.user.name not in editors:
        editors.append(store.user.name)
    changes: dict = {"portions": new_portions, "editors": editors, "updated": _now(now),
                     "use_restriction": _restriction(new_portions, current.use_restriction)}
    if title is not None:
        changes["title"] = title
    if title_marking is not None:
        changes["title_marking"] = title_marking
    if authority is not None:
        changes["authority"] = authority
    if addressees is not None:
        changes["addressees"] = list(addressees)
    if recommended_action is not None:
        changes["recommended_action"] = recommended_action
    if _autosave_of is not None:
        if current.version != _autosave_of or current.status != "draft":
            raise StoreError(f"cannot autosave {product_id} version {_autosave_of}: the latest "
                             f"version is {current.version}, "
                             f"{current.status.replace('_', ' ')}; only a draft is saved in "
                             "place")
        probe = change_product(current, **{**changes, "updated": current.updated,
                                           "editors": current.editors})
        if product_to_json(probe) == product_to_json(current):
            return None
    new_version = current.status == "approved"
    if new_version:
        changes.update(version=current.version + 1, status="draft", comments=[])
    changes["updated"] = max(changes["updated"], current.updated)
    product = change_product(current, **changes)
    _check_markings(store, product)
    _check_not_lowered(current, product)
    action = ("product.new_version" if new_version else
              "product.autosave" if _autosave_of is not None else "product.edit")
    _write(store, product, action, {"editor": store.user.name}, replace=not new_version)
    return product


def autosave(store: Store, product_id: str, *, version: int, title: str | None = None,
             title_marking: str | None = None, portions: Sequence[PortionInput] | None = None,
             authority: Authority | None = None, addressees: Sequence[str] | None = None,
             recommended_action: str | None = None, now: datetime | None = None
             ) -> Product | None:
    """Save the drafting window's state into draft ``version`` in place (its timer calls
    this). Refused unless that version is the latest and still a draft (never makes a
    version: editing an approved one goes through ``edit``). None, and nothing written, when
    nothing changed. Every rule of ``edit`` applies."""
    return edit(store, product_id, title=title, title_marking=title_marking, portions=portions,
                authority=authority, addressees=addressees,
                recommended_action=recommended_action, now=now, _autosave_of=version)


def _latest_in(store: Store, product_id: str, status: str, doing: str) -> Product:
    current = get(store, product_id)
    if current.status != status:
        raise StoreError(f"cannot {doing} {product_id} version {current.version}: it is "
                         f"{current.status.replace('_', ' ')}, not {status.replace('_', ' ')}")
    return current


def submit(store: Store, product_id: str, *, now: datetime | None = None) -> Product:
    """draft -> in review."""
    store.require_role(*AUTHORS)
    current = _latest_in(store, product_id, "draft", "submit")
    product = change_product(current, status="in_review",
                             updated=max(_now(now), current.updated))
    _write(store, product, "product.submit", replace=True)
    return product


def _require_supervisor(store: Store, doing: str) -> None:
    if store.user.role != "supervisor":
        raise PermissionDenied(f"only a supervisor may {doing} a product; {store.user.name} is "
                               f"{store.user.role}")


def return_product(store: Store, product_id: str, comment: str, *,
                   anchored: Sequence[tuple[str, str]] = (),
                   now: datetime | None = None) -> Product:
    """in review -> draft, with the reviewer's comment on the whole, and ``anchored`` comments
    ((portion id, text) pairs) each on one portion of that version."""
    _require_supervisor(store, "return")
    if not comment.strip():
        raise StoreError("a returned product needs a comment saying why")
    current = _latest_in(store, product_id, "in_review", "return")
    when = max(_now(now), current.updated)
    notes = []
    for n, (anchor, text) in enumerate([(None, comment), *anchored]):
        if anchor is not None and current.index_of(anchor) is None:
            raise StoreError(f"comment {n}: {product_id} version {current.version} has no "
                             f"portion {anchor!r}")
        try:
            notes.append(ReviewComment(text=text, when=when, who=store.user.name,
                                       anchor=anchor))
        except ValidationError as exc:
            raise domain_error(exc, prefix=f"comment {n}" if n else "comment") from None
    product = change_product(current, status="draft", updated=when,
                             comments=[*current.comments, *notes])
    _write(store, product, "product.return", {"comment": comment[:500],
                                              "anchored": len(anchored)}, replace=True)
    return product


def approve(store: Store, product_id: str, *, password: str, now: datetime | None = None
            ) -> tuple[Product, Signoff]:
    """in review -> approved, signed with the supervisor's own key over the audit head.

    ``password``: the supervisor's password, entered again; the signing key is unwrapped
    from their key slot with it (product_signing), never taken from the open session. Every
    tearline version is signed alongside (product_tearlines)."""
    return approve_all(store, [product_id], password=password, now=now)[0]


def approve_all(store: Store, product_ids: Sequence[str], *, password: str,
                now: datetime | None = None) -> list[tuple[Product, Signoff]]:
    """Approve several versions in review with one entry of the password (a supervisor
    signing a batch): every check of every one first, then the key, then each signed in its
    own transaction."""
    from hstc_desk.store import product_signing

    _require_supervisor(store, "approve")
    ready = [_ready_to_approve(store, pid, now) for pid in product_ids]
    key = product_signing.unlock_signing_key(store, password, target=",".join(product_ids))
    return [_sign(store, product, key) for product in ready]


def _ready_to_approve(store: Store, product_id: str, now: datetime | None) -> Product:
    """The approved form of the version in review, after every check but the password."""
    current = _latest_in(store, product_id, "in_review", "approve")
    me = store.user.name
    if me in current.participants():
        role = "authored" if me == current.author else "edited"
        raise PermissionDenied(
            f"separation of duties: {me} {role} {product_id} version {current.version}, and "
            "nobody approves a version they authored or edited")
    if current.banner_marking().level > 0 and current.authority is None:
        raise StoreError(f"{product_id} is classified ({current.banner()}): it needs its "
                         "authority block (classified by, derived from, declassify on) before "
                         "approval")
    if stale := _stale_citation(store, current):
        raise StoreError(f"cannot approve {product_id} version {current.version}: {stale}; "
                         "return it to draft, and an edit takes the item's current marking")
    when = max(_now(now), current.updated)
    product = change_product(current, status="approved", updated=when)
    _check_markings(store, product)
    _check_content(store, product)
    return product


def _sign(store: Store, product: Product, key: Ed25519PrivateKey) -> tuple[Product, Signoff]:
    from hstc_desk.store import product_referrals
    from hstc_desk.store import product_tearlines as tearlines

    me, when = store.user.name, product.updated
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    with store.transaction() as conn:
        head = store.audit_head()
        head_text = f"{head.seq}:{head.hash}"
        digest = hashlib.sha256(signoff_message(
            product, signer=me, signer_public_key=pub, audit_head=head_text,
            signed_at=when)).digest()
        signoff = parse_signoff({
            "audit_head": head_text, "content_hash": digest.hex(), "product_id": product.id,
            "signature": key.sign(SIGNOFF_CONTEXT + digest).hex(), "signed_at": when,
            "signer": me, "signer_public_key": pub, "version": product.version})
        conn.execute("DELETE FROM products WHERE id = ? AND version = ? AND status = 'in_review'",
                     (product.id, product.version))
        conn.execute(INSERT, product_row(product))
        insert_signoff(store, signoff, None)
        signed = tearlines.sign_all(store, product, key, head_text, when)
        product_referrals.add_addressees(store, product)
        store.audit("product.approve", product.id, {
            "version": product.version, "banner": product.banner(),
            "content_hash": signoff.content_hash, "audit_head": head_text,
            "signer_fingerprint": fingerprint(bytes.fromhex(pub)),
            "fields": field_digests(product), "tearlines": signed})
    return product, signoff


def insert_signoff(store: Store, signoff: Signoff, received_from: str | None) -> None:
    """Write a sign-off row (inside the caller's transaction)."""
    store.conn.execute(
        "INSERT INTO signoffs (product_id, version, signer, signer_public_key, signature, "
        "content_hash, audit_head, signed_at, received_from, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (signoff.product_id, signoff.version, signoff.signer, signoff.signer_public_key,
         signoff.signature, signoff.content_hash, signoff.audit_head,
         signoff.signed_at.isoformat(), received_from, signoff_to_json(signoff)))


# ---- verification -------------------------------------------------------------------------------


def verify_stored(store: Store, product_id: str, version: int | None = None) -> Verdict:
    """Verify the sign-off of a stored approved version, and say why its key is trusted."""
    product = get(store, product_id, version)
    if version is None and product.status != "approved":
        vis, args = _vis(store)  # only versions this user may see, so nothing above shows
        approved = store.conn.execute(
            f"SELECT max(version) FROM products WHERE id = ? AND status = 'approved'{vis}",
            (product_id, *args)).fetchone()[0]
        if approved is None:
            return Verdict(False, f"{product_id} has no approved version (latest is "
                                  f"{product.status.replace('_', ' ')})")
        product = get(store, product_id, approved)
    stored = signoff_of(store, product.id, product.version)
    if stored is None:
        return Verdict(False, f"{product.id} version {product.version} has no sign-off")
    from hstc_desk.store import product_integrity

    return product_integrity.explain(store, product, verify_held(store, product, stored))


def verify_held(store: Store, product: Product, stored: StoredSignoff) -> Verdict:
    """The whole check of ``hstc product verify`` on a version and sign-off this store holds:
    a local sign-off against the signer's certificate in force when it was signed (a
    supervisor) and its approval record in the signed audit chain; an imported one against the
    bundle evidence kept with it, signed by a workstation still trusted (anchors.py). Export runs
    exactly this, so nothing travels that fails at home."""
    so = stored.signoff
    from hstc_desk.store import anchors  # issue 12: certificates, bundle evidence, the chain

    key, trust = anchors.signoff_trust(store, product, so, stored.received_from)
    if key is None:
        return Verdict(False, trust)
    verdict = verify(product, so, key)
    if verdict.ok:
        verdict.lines.insert(0, f"{product.id} version {product.version}: sign-off VALID")
        verdict.lines.append(f"trust         {trust}")
    return verdict


def ensure_valid(product: Product, signoff: Signoff) -> None:
    """Raise DomainError unless the sign-off verifies against the key it carries."""
    verdict = verify(product, signoff, bytes.fromhex(signoff.signer_public_key))
    if not verdict.ok:
        raise DomainError(f"{product.id} version {product.version}: {verdict.reason}")
