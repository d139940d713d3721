"""Products in a real store: workflow, separation of duties, versions, banner, use restriction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hstc_desk.domain import DomainError
from hstc_desk.domain.products import (
    Authority,
    Citation,
    Paragraph,
    parse_product,
    product_to_json,
)
from hstc_desk.store import TEST_KDF, PermissionDenied, Store, StoreError
from hstc_desk.store import products as P

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from exchange_helpers import location

AUTH = Authority(classified_by="J. Doe, HSTC", derived_from="Multiple Sources",
                 declassify_on="20510101")
PASSWORDS = {ADMIN: ADMIN_PW, ANALYST: ANALYST_PW, SUPERVISOR: SUPERVISOR_PW}


class Users:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.open: dict[str, Store] = {}

    def __call__(self, name: str) -> Store:
        if name not in self.open:
            self.open[name] = Store.open(self.path, name, PASSWORDS[name])
        return self.open[name]

    def close(self) -> None:
        for s in self.open.values():
            s.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_store(tmp_path_factory.mktemp("prod") / "store")
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user("sup2", "second supervisor 11", "supervisor", kdf=TEST_KDF)
        s.insert_items([location(1, "S//NF"), location(2, "C//REL TO USA, GBR", leads_only=True),
                        location(3, "TS//SI//NF")])
    PASSWORDS["sup2"] = "second supervisor 11"
    return path


@pytest.fixture
def users(base: Path, tmp_path: Path) -> Iterator[Users]:
    import shutil

    shutil.copytree(base, tmp_path / "s")
    u = Users(tmp_path / "s")
    yield u
    u.close()


def draft(store: Store, *, cite: tuple[str, ...] = (), **kw: object):
    portions = [Paragraph(marking="(S//NF)", text="Smugglers moved north."),
                Paragraph(marking="(U//FOUO)", text="Open reporting agrees."),
                *(Citation(item_id=i, marking="U") for i in cite)]
    return P.create(store, product_type="intelligence_bulletin", title="Northern corridor",
                    title_marking="(U)",
                    portions=portions, authority=AUTH, **kw)  # type: ignore[arg-type]


def test_full_workflow_and_signoff(users: Users) -> None:
    p = draft(users(ANALYST), cite=("LOC-0000000000000001",))
    assert p.status == "draft" and p.version == 1 and p.author == ANALYST
    assert p.banner() == "SECRET//NOFORN"
    assert p.citations()[0].marking == "(S//NF)"  # from the item, not from the caller
    P.submit(users(ANALYST), p.id)
    back = P.return_product(users(SUPERVISOR), p.id, "Source the second paragraph.")
    assert back.status == "draft" and back.comments[0].who == SUPERVISOR
    P.submit(users(ANALYST), p.id)
    approved, so = P.approve(users(SUPERVISOR), p.id, password=PASSWORDS[SUPERVISOR])
    assert approved.status == "approved" and so.signer == SUPERVISOR
    verdict = P.verify_stored(users(ANALYST), p.id)
    assert verdict.ok, verdict.reason
    assert any("supervisor of this store" in line for line in verdict.lines)
    actions = [r[0] for r in users(ADMIN).conn.execute(
        "SELECT action FROM audit WHERE target = ? ORDER BY seq", (p.id,))]
    assert actions == ["product.create", "product.submit", "product.return", "product.submit",
                       "product.approve"]
    assert users(ADMIN).verify_audit().ok


@pytest.mark.parametrize(("author", "editor", "approver", "rule"), [
    (SUPERVISOR, None, SUPERVISOR, "separation of duties: sup authored"),
    (ANALYST, SUPERVISOR, SUPERVISOR, "separation of duties: sup edited"),
    (ANALYST, None, ANALYST, "only a supervisor may approve"),
    (ANALYST, None, ADMIN, "only a supervisor may approve"),
    (ANALYST, "sup2", "sup2", "separation of duties: sup2 edited"),
    (ANALYST, "sup2", SUPERVISOR, None),
    (ANALYST, None, SUPERVISOR, None),
])
def test_who_may_approve(users: Users, author: str, editor: str | None, approver: str,
                         rule: str | None) -> None:
    p = draft(users(author))
    if editor:
        P.edit(users(editor), p.id, title="Northern corridor, revised")
    P.submit(users(author), p.id)
    if rule is None:
        approved = P.approve(users(approver), p.id, password=PASSWORDS[approver])[0]
        assert approved.status == "approved"
        return
    with pytest.raises(PermissionDenied, match=rule):
        P.approve(users(approver), p.id, password=PASSWORDS[approver])
    assert P.get(users(ADMIN), p.id).status == "in_review"


@pytest.mark.parametrize(("status_steps", "action", "message"), [
    ((), "approve", "it is draft, not in review"),
    ((), "return", "it is draft, not in review"),
    (("submit",), "submit", "it is in review, not draft"),
    (("submit",), "edit", "is in review; it must be returned"),
])
def test_state_rules(users: Users, status_steps: tuple[str, ...], action: str,
                     message: str) -> None:
    p = draft(users(ANALYST))
    for step in status_steps:
        getattr(P, step)(users(ANALYST), p.id)
    call = {"approve": lambda: P.approve(users(SUPERVISOR), p.id, password=PASSWORDS[SUPERVISOR]),
            "return": lambda: P.return_product(users(SUPERVISOR), p.id, "why"),
            "submit": lambda: P.submit(users(ANALYST), p.id),
            "edit": lambda: P.edit(users(ANALYST), p.id, title="t")}[action]
    with pytest.raises(StoreError, match=message):
        call()


def test_approved_is_immutable_and_edit_makes_a_new_version(users: Users) -> None:
    p = draft(users(ANALYST))
    P.submit(users(ANALYST), p.id)
    v1, _so = P.approve(users(SUPERVISOR), p.id, password=PASSWORDS[SUPERVISOR])
    v2 = P.edit(users(ANALYST), p.id, title="Northern corridor, update")
    assert (v2.version, v2.status, v2.comments) == (2, "draft", [])
    assert P.get(users(ANALYST), p.id, 1) == v1  # version 1 untouched
    assert P.verify_stored(users(ANALYST), p.id).ok  # the latest approved version
    rows = users(ADMIN).conn.execute("SELECT version, status FROM products WHERE id = ? "
                                     "ORDER BY version", (p.id,)).fetchall()
    assert rows == [(1, "approved"), (2, "draft")]
    v2b = P.edit(users(ANALYST), p.id, title="again")  # a draft changes in place
    assert v2b.version == 2


def test_classified_needs_authority_block(users: Users) -> None:
    p = P.create(users(ANALYST), product_type="target_package", title="t", title_marking="U",
                 portions=[Paragraph(marking="S", text="x")])
    P.submit(users(ANALYST), p.id)
    with pytest.raises(StoreError, match="authority block"):
        P.approve(users(SUPERVISOR), p.id, password=PASSWORDS[SUPERVISOR])


def test_use_restriction_inherited_from_cited_item(users: Users) -> None:
    p = draft(users(ANALYST), cite=("LOC-0000000000000002",))
    assert p.use_restriction == "leads_only"
    body = json.loads(product_to_json(p))
    body["use_restriction"] = "none"
    with pytest.raises(DomainError, match=r"product\.use_restriction: must be leads_only"):
        parse_product(body)
    plain = draft(users(ANALYST), cite=("LOC-0000000000000001",))
    assert plain.use_restriction == "none"


def test_banner_rollup_of_portions_and_title(users: Users) -> None:
    p = P.create(users(ANALYST), product_type="strategic_assessment", title="t",
                 title_marking="(C//REL TO USA, GBR, AUS)",
                 portions=[Paragraph(marking="(S//REL TO USA, GBR)", text="a"),
                           Paragraph(marking="(U//FOUO)", text="b")])
    assert p.banner() == "SECRET//REL TO USA, GBR"
    p = P.create(users(ANALYST), product_type="target_assessment", title="t", title_marking="U",
                 portions=[Paragraph(marking="(S//SI//OC)", text="a"),
                           Citation(item_id="LOC-0000000000000003", marking="U")])
    assert p.banner() == "TOP SECRET//SI//ORCON/NOFORN"


def test_citation_must_be_visible_and_markings_accredited(users: Users, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot cite LOC-00000000000000ff"):
        draft(users(ANALYST), cite=("LOC-00000000000000ff",))
    low = make_store(tmp_path / "low", accreditation="S")
    with Store.open(low, ANALYST, ANALYST_PW) as s:
        with pytest.raises(StoreError, match="above this workstation's accreditation"):
            P.create(s, product_type="intelligence_report", title="t", title_marking="U",
                     portions=[Paragraph(marking="TS", text="x")])
        assert s.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0


def test_products_change_the_content_digest_and_counts(users: Users) -> None:
    before = users(ADMIN).content_digest()
    draft(users(ANALYST))
    assert users(ADMIN).content_digest() != before
    stats = users(ADMIN).stats()
    assert stats["products"] == 1 and stats["signoffs"] == 0
