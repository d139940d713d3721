"""Referrals and their responses, the new `hstc product` commands, and the demo products
(issue 11 §5-7)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from hstc_desk.demo import DEMO_USERS, generate
from hstc_desk.demo.products import STATES, TITLES, add_demo_products
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.products import Paragraph
from hstc_desk.store import Store, product_history, product_referrals
from hstc_desk.store import products as P
from hstc_desk.store.errors import StoreError

from conftest import (
    ADMIN,
    ADMIN_PW,
    ANALYST,
    ANALYST_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    TEST_KDF,
    make_store,
    run_hstc,
)
from exchange_helpers import audit_actions, location


def _referral(s: Store, addressees: list[str] | None = None) -> str:
    return P.create(s, product_type="referral", title="Referral: a facilitator",
                    title_marking="(U)", portions=[Paragraph(marking="(U)", text="Facts.")],
                    addressees=["USA", "GBR"] if addressees is None else addressees,
                    recommended_action="Open an inquiry.").id


def test_a_referral_needs_addressees_from_the_profiles_and_its_action(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        with pytest.raises(DomainError, match="needs one or more addressees"):
            P.create(s, product_type="referral", title="t", title_marking="(U)",
                     portions=[Paragraph(marking="(U)", text="x")],
                     recommended_action="Act.")
        with pytest.raises(DomainError, match="recommended action"):
            P.create(s, product_type="referral", title="t", title_marking="(U)",
                     portions=[Paragraph(marking="(U)", text="x")], addressees=["USA"])
        with pytest.raises(StoreError, match="ZZZ is not a destination profile"):
            _referral(s, ["USA", "ZZZ"])
        with pytest.raises(DomainError, match="only a referral has addressees"):
            P.create(s, product_type="intelligence_report", title="t", title_marking="(U)",
                     portions=[Paragraph(marking="(U)", text="x")], addressees=["USA"])
        assert P.list_products(s) == []


def test_responses_are_recorded_after_approval_and_awaiting_ones_listed(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        rid = _referral(s)
        with pytest.raises(StoreError, match="not an approved referral"):
            product_referrals.record_response(s, rid, "USA", "acknowledged")
        P.submit(s, rid)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, rid, password=SUPERVISOR_PW)
        waiting = product_referrals.awaiting_response(s)
        assert [(a.product_id, a.pending) for a in waiting] == [(rid, ["GBR", "USA"])]
        product_referrals.record_response(s, rid, "usa", "acted_on", note="Case opened.",
                                          on=date.today())
        assert product_referrals.awaiting_response(s)[0].pending == ["GBR"]
        for bad, why in [(("FRA", "acknowledged"), "FRA is not an addressee"),
                         (("GBR", "ignored"), "a response is one of"),
                         (("GBR", "declined"), "before the referral's approval")]:
            with pytest.raises(StoreError, match=why):
                product_referrals.record_response(
                    s, rid, *bad, on=date.today() - timedelta(days=3)
                    if why.startswith("before") else None)
        product_referrals.record_response(s, rid, "GBR", "declined", note="No jurisdiction.")
        assert product_referrals.awaiting_response(s) == []
        got = product_referrals.responses(s, rid)
        assert [(r.addressee, r.response, r.recorded_by) for r in got] == [
            ("GBR", "declined", SUPERVISOR), ("USA", "acted_on", SUPERVISOR)]
        assert audit_actions(s, "product.referral_response") == 2
        assert P.verify_stored(s, rid).ok  # responses are not signed content


def _cli(user: str, pw: str, *args: str, again: str | None = None):
    env = {"HSTC_CONFIRM_PASSWORD": again} if again else {}
    return run_hstc("product", *args, user=user, password=pw, env=env)


def test_the_product_commands_end_to_end(tmp_path: Path) -> None:
    path = make_store(tmp_path / "s")
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.insert_items([location(1, "S//NF", title="Cash drop at the river")])
    s_ = str(path)
    r = _cli(ANALYST, ANALYST_PW, "new", s_, "--type", "referral", "--title", "Referral: guides",
             "--title-marking", "(U)", "--template", "--addressee", "usa", "--addressee", "GBR",
             "--recommended-action", "Interview the guides.",
             "--portion", "(U) Guides wait at the river.", "--cite", "LOC-0000000000000001",
             "--tearline", "gbr", "(U) Guides (for the United Kingdom)",
             "--portion", "(U) Partners may see more crossings.",
             "--classified-by", "J. Doe", "--derived-from", "Multiple Sources",
             "--declassify-on", "25X1, 20761231")
    assert r.returncode == 0, r.stderr
    pid = r.stdout.splitlines()[0]
    assert "banner SECRET//NOFORN" in r.stdout and "tearline GBR banner UNCLASSIFIED" in r.stdout
    shown = _cli(ANALYST, ANALYST_PW, "show", s_, pid).stdout
    assert "Addressees: USA, GBR" in shown and "TEARLINE for GBR" in shown
    assert "(U) == Issue ==" in shown and "Cash drop at the river" in shown
    bad = _cli(ANALYST, ANALYST_PW, "edit", s_, pid, "--portion", "(S//NF) Not for partners.")
    assert bad.returncode == 1 and "portion 9 (S//NF) is not releasable to GBR" in bad.stderr
    r = _cli(ANALYST, ANALYST_PW, "submit", s_, pid)
    assert r.returncode == 0, r.stderr
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "queue", s_)
    assert pid in r.stdout and f"\t{ANALYST}\t" in r.stdout
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "return", s_, pid, "--comment", "Tighten it.",
             "--portion-comment", "5", "Say which river.")
    assert r.returncode == 0, r.stderr
    assert _cli(SUPERVISOR, SUPERVISOR_PW, "return", s_, pid, "--comment", "x",
                "--portion-comment", "99", "y").returncode == 2
    comments = _cli(ANALYST, ANALYST_PW, "comments", s_, pid).stdout.splitlines()
    assert comments[1].split("\t")[3] == "portion 5 (U)" and "Say which river." in comments[1]
    assert _cli(ANALYST, ANALYST_PW, "submit", s_, pid).returncode == 0
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "approve", s_, pid, again=SUPERVISOR_PW)
    assert r.returncode == 0, r.stderr
    assert "tearline GBR signed" in r.stdout
    assert "GBR USA" in _cli(SUPERVISOR, SUPERVISOR_PW, "awaiting", s_).stdout
    r = _cli(SUPERVISOR, SUPERVISOR_PW, "respond", s_, pid, "--addressee", "GBR", "--response",
             "acknowledged", "--note", "NCA has it.")
    assert r.returncode == 0 and "GBR acknowledged" in r.stdout
    assert "NCA has it." in _cli(ANALYST, ANALYST_PW, "responses", s_, pid).stdout
    assert _cli(ANALYST, ANALYST_PW, "respond", s_, pid, "--addressee", "GBR", "--response",
                "acted_on", "--on", "someday").returncode == 2
    r = _cli(ANALYST, ANALYST_PW, "edit", s_, pid, "--portion", "(U) One more line.")
    assert r.returncode == 0 and "version 2: edited a new draft version" in r.stdout
    d = _cli(ANALYST, ANALYST_PW, "diff", s_, pid).stdout
    assert "against approved version 1" in d and "portion 9 added" in d
    r = _cli(ANALYST, ANALYST_PW, "edit", s_, pid, "--replace", "--portion", "(S//NF) All.")
    assert r.returncode == 0, r.stderr  # replaces every portion: the tearline goes too
    hist = _cli(ANALYST, ANALYST_PW, "history", s_, pid).stdout.splitlines()
    assert [h.split("\t")[:2] for h in hist[1:]] == [["1", "approved"], ["2", "draft"]]
    assert hist[1].split("\t")[4] == SUPERVISOR
    assert _cli(ANALYST, ANALYST_PW, "verify", s_, pid).returncode == 0


def _demo(path: Path) -> list[str]:
    users = {r: (n, pw) for n, r, pw in DEMO_USERS}
    with Store.create(path, *users["admin"], role="admin", kdf=TEST_KDF) as s:
        for name, role, pw in DEMO_USERS:
            if role != "admin":
                s.add_user(name, pw, role, kdf=TEST_KDF)
        s.insert_items(generate(1500, 3), action="demo.load")
    return add_demo_products(path, 3)


def _bodies(path: Path) -> list[tuple[str, int, str]]:
    analyst = next((n, pw) for n, r, pw in DEMO_USERS if r == "analyst")
    with Store.open(path, *analyst) as s:
        return list(s.conn.execute("SELECT id, version, body FROM products ORDER BY id, "
                                   "version"))


def test_demo_products_are_the_same_for_a_seed(tmp_path: Path) -> None:
    assert _demo(tmp_path / "one") == _demo(tmp_path / "two")
    assert _bodies(tmp_path / "one") == _bodies(tmp_path / "two")


def test_demo_products_cover_every_type_in_every_state(tmp_path: Path) -> None:
    path = tmp_path / "demo"
    users = {r: (n, pw) for n, r, pw in DEMO_USERS}
    ids = _demo(path)
    assert len(ids) == len(TITLES) * len(STATES) + 1
    with Store.open(path, *users["supervisor"]) as s:
        latest = P.list_products(s)
        seen = {(p.product_type, p.status, bool(p.comments)) for p in latest}
        for ptype in TITLES:
            assert {(ptype, "approved", False), (ptype, "draft", False),
                    (ptype, "in_review", False), (ptype, "draft", True)} <= seen
        approved = [p for p in latest if p.status == "approved"]
        assert all(P.verify_stored(s, p.id).ok for p in approved)
        bulletin = next(p for p in approved if p.product_type == "intelligence_bulletin")
        assert "NOFORN" in bulletin.banner() and bulletin.tearline("EUROPOL") is not None
        assert bulletin.figures() and bulletin.figures()[0].image_sha256
        assert any(p.version == 2 and p.status == "draft" for p in latest)
        assert any(p.leads_only for p in latest)
        waiting = product_referrals.awaiting_response(s)
        assert len(waiting) == 1 and waiting[0].pending == ["EUROPOL"]
        assert len(product_history.review_queue(s)) == len(TITLES)
        assert s.verify_audit().ok
    with Store.open(path, *users["analyst"]) as s:
        v2 = next(p for p in P.list_products(s) if p.version == 2)
        assert product_history.changes_since_approved(s, v2.id).changed
    assert ADMIN and SUPERVISOR  # the demo uses its own users, not the test ones


def test_product_new_places_a_movement_figure_and_refuses_bad_input(tmp_path: Path) -> None:
    from hstc_desk.demo import product_figures

    path = make_store(tmp_path / "s")
    s_ = str(path)
    fig = tmp_path / "route.png"
    fig.write_bytes(product_figures.png(2, "map", "SECRET//NOFORN", ["LOC-0000000000000009"]))
    plain = tmp_path / "plain.png"
    plain.write_bytes(fig.read_bytes().replace(b"HSTC-Figure", b"Some-Other!"))
    base = ["new", s_, "--type", "intelligence_report", "--title", "t", "--title-marking", "(U)"]
    r = _cli(ANALYST, ANALYST_PW, *base, "--heading", "(U) Routes",
             "--figure", str(fig), "The northern route", "--classified-by", "J. Doe",
             "--derived-from", "Multiple Sources", "--declassify-on", "25X1, 20761231")
    assert r.returncode == 0, r.stderr
    assert "banner SECRET//NOFORN" in r.stdout  # the figure's marking came with the PNG
    shown = _cli(ANALYST, ANALYST_PW, "show", s_, r.stdout.splitlines()[0]).stdout
    assert "(S//NF) Figure (route): The northern route [LOC-0000000000000009]" in shown
    for args, code, why in [
        (["--figure", str(plain), "c"], 2, "plain.png: the image carries no figure record"),
        (["--tearline", "EUROPOL", "no mark"], 2, "--tearline title must start with its "
                                                  "portion mark"),
        (["--heading", "Summary"], 2, "--heading must start with its portion mark"),
        ([], 2, "needs at least one"),
        (["--portion", "(U) x", "--tearline", "ATLANTIS", "(U) t", "--portion", "(U) y"], 1,
         "ATLANTIS, which is not a destination profile"),
    ]:
        r = _cli(ANALYST, ANALYST_PW, *base, *args)
        assert r.returncode == code and why in r.stderr, (args, r.stderr)
    pid = _cli(ANALYST, ANALYST_PW, *base, "--portion", "(U) x").stdout.splitlines()[0]
    r = _cli(ANALYST, ANALYST_PW, "edit", s_, pid, "--replace")
    assert r.returncode == 2 and "--replace needs the portions" in r.stderr
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        assert len(P.list_products(s)) == 2  # the refusals wrote nothing
