"""Products attacked from outside (issue 8 §6): markings, the authority block, what a lower-cleared
user learns, and hostile text and numbers. Real stores, real keys, the real ``hstc`` command."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from hstc_desk.domain import DomainError
from hstc_desk.domain.products import (
    Authority,
    Citation,
    Figure,
    Paragraph,
    Product,
    parse_product,
    product_to_json,
)
from hstc_desk.store import TEST_KDF, NotFound, PermissionDenied, Store, StoreError
from hstc_desk.store import products as P

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
from exchange_helpers import location

AUTH = Authority(classified_by="J. Doe, HSTC", derived_from="Multiple Sources",
                 declassify_on="20510101")
LOW, LOW_PW = "low", "secret only analyst 3"  # an analyst cleared for SECRET only
PASSWORDS = {ADMIN: ADMIN_PW, ANALYST: ANALYST_PW, SUPERVISOR: SUPERVISOR_PW, LOW: LOW_PW}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_store(tmp_path_factory.mktemp("hard") / "store")
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user(LOW, LOW_PW, "analyst", clearance="S", kdf=TEST_KDF)
        s.insert_items([location(1, "C//REL TO USA, GBR"), location(2, "S//NF")])
    return path


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


@pytest.fixture
def users(base: Path, tmp_path: Path) -> Iterator[Users]:
    shutil.copytree(base, tmp_path / "s")
    u = Users(tmp_path / "s")
    yield u
    u.close()


def _new(store: Store, *portions: Paragraph | Figure | Citation, title_marking: str = "U",
         title: str = "Corridor") -> Product:
    return P.create(store, product_type="intelligence_bulletin", title=title,
                    title_marking=title_marking, portions=list(portions), authority=AUTH)


def _approve(users: Users, product_id: str) -> None:
    P.submit(users(ANALYST), product_id)
    P.approve(users(SUPERVISOR), product_id, password=PASSWORDS[SUPERVISOR])


def _rows(users: Users) -> list[tuple]:
    return users(ADMIN).conn.execute(
        "SELECT id, version, marking FROM products ORDER BY id, version").fetchall()


# ---- markings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["portion", "title"])
def test_nothing_marked_above_the_authors_clearance(users: Users, where: str) -> None:
    high = {"portion": dict(portions=[Paragraph(marking="(TS)", text="x")], title_marking="U"),
            "title": dict(portions=[Paragraph(marking="(S)", text="x")], title_marking="(TS)")}
    with pytest.raises(PermissionDenied, match=r"marked \(TS\), above your clearance"):
        P.create(users(LOW), product_type="intelligence_report", title="t",
                 **high[where])
    assert _rows(users) == []
    p = P.create(users(LOW), product_type="intelligence_report", title="t", title_marking="U",
                 portions=[Paragraph(marking="(S)", text="x")])
    with pytest.raises(PermissionDenied, match="above your clearance"):  # nor by an edit
        P.edit(users(LOW), p.id, portions=[Paragraph(marking="(S)", text="x"),
                                           Paragraph(marking="(TS)", text="y")])
    assert _rows(users) == [(p.id, 1, "(S)")]


def test_an_edit_never_lowers_a_portion_marking(users: Users) -> None:
    p = _new(users(ANALYST), Paragraph(marking="(C//NF)", text="Guides wait at the river."),
             Paragraph(marking="(U)", text="Rain."), title_marking="(C)")
    for portions in ([Paragraph(marking="(U)", text="Guides wait at the river."),
                      Paragraph(marking="(U)", text="Rain.")],
                     [Paragraph(marking="(C//REL TO USA, GBR)", text="Guides."),
                      Paragraph(marking="(U)", text="Rain.")]):
        with pytest.raises(StoreError, match=r"portion 1 \(paragraph\) would go from \(C//NF\)"):
            P.edit(users(ANALYST), p.id, portions=portions)
    with pytest.raises(StoreError, match="the title marking would go from"):
        P.edit(users(ANALYST), p.id, title_marking="(U)")
    # Raising is fine, and so is adding a portion
    up = P.edit(users(ANALYST), p.id, portions=[
        Paragraph(marking="(S//NF)", text="Guides wait."), Paragraph(marking="(U)", text="Rain."),
        Paragraph(marking="(U)", text="More.")])
    assert up.banner() == "SECRET//NOFORN"
    stored = P.get(users(ADMIN), up.id)
    assert [x.marking for x in stored.portions] == ["(S//NF)", "(U)", "(U)"]


def test_a_new_version_never_lowers_the_banner(users: Users) -> None:
    p = _new(users(ANALYST), Paragraph(marking="(U)", text="Rain."),
             Paragraph(marking="(C//NF)", text="Guides wait at the river."))
    _approve(users, p.id)
    with pytest.raises(StoreError, match="the banner would go from CONFIDENTIAL//NOFORN to "
                                         "UNCLASSIFIED"):
        P.edit(users(ANALYST), p.id,
               portions=[Paragraph(marking="(U)", text="Rain.")])
    assert [r[1] for r in _rows(users)] == [1]  # no version 2 was written


def test_citations_take_the_items_current_marking_at_every_version(users: Users) -> None:
    item = "LOC-0000000000000001"
    p = _new(users(ANALYST), Paragraph(marking="(U)", text="See the item."),
             Citation(item_id=item, marking="U"))
    assert p.citations()[0].marking == "(C//REL TO USA, GBR)"
    _approve(users, p.id)
    users(ADMIN).save_item(location(1, "S//NF", leads_only=True, version=2))
    v2 = P.edit(users(ANALYST), p.id, title="Corridor, update")
    assert v2.version == 2
    assert (v2.citations()[0].marking, v2.citations()[0].use_restriction) == \
        ("(S//NF)", "leads_only")
    assert v2.leads_only and v2.banner() == "SECRET//NOFORN"


def test_approval_refuses_a_citation_that_is_no_longer_current(users: Users) -> None:
    p = _new(users(ANALYST), Citation(item_id="LOC-0000000000000001", marking="U"))
    P.submit(users(ANALYST), p.id)
    users(ADMIN).save_item(location(1, "S//NF", version=2))
    with pytest.raises(StoreError, match=r"LOC-0000000000000001 is now marked \(S//NF\)"):
        P.approve(users(SUPERVISOR), p.id, password=PASSWORDS[SUPERVISOR])
    P.return_product(users(SUPERVISOR), p.id, "take the new marking")
    fresh = P.edit(users(ANALYST), p.id)
    assert fresh.citations()[0].marking == "(S//NF)"
    P.submit(users(ANALYST), p.id)
    approved = P.approve(users(SUPERVISOR), p.id, password=PASSWORDS[SUPERVISOR])[0]
    assert approved.banner() == "SECRET//NOFORN"


def test_the_title_marking_is_asked_for(tmp_path: Path) -> None:
    s_ = str(make_store(tmp_path / "s"))
    r = run_hstc("product", "new", s_, "--type", "intelligence_report", "--title", "Tunnels",
                 "--portion", "(TS//SI) Tunnel under the wall.", user=ANALYST,
                 password=ANALYST_PW)
    assert r.returncode == 2 and "--title-marking" in r.stderr, r.stderr
    with Store.open(Path(s_), ANALYST, ANALYST_PW) as s:
        assert s.conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0
        with pytest.raises(TypeError, match="title_marking"):
            P.create(s, product_type="intelligence_report", title="t",  # type: ignore[call-arg]
                     portions=[Paragraph(marking="(TS//SI)", text="x")])


# ---- the authority block ------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "why"), [
    ("whenever", "not a date"), ("2051-01-01", "not a date"), ("20511301", "not a date"),
    ("25X1", "needs its date"), ("25X1, 20511301", "not a calendar date"),
    ("25X10, 20510101", "not a date"), ("25X1-human", "not a date"), (" ", "blank"),
    ("OADR", "not a date")])
def test_declassify_on_forms_refused(bad: str, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        Authority(classified_by="J. Doe", derived_from="Multiple Sources", declassify_on=bad)
    for good in ("20510101", "25X1, 20761231", "25X9, 20510101", "50X1-HUM", "50X2-WMD",
                 "Completion of the operation"):  # the forms of the registry still pass
        assert Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                         declassify_on=good).declassify_on == good


def test_a_blank_authority_block_is_refused(users: Users, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="must not be blank"):
        Authority(classified_by=" ", derived_from=" ", declassify_on="20510101")
    p = _new(users(ANALYST), Paragraph(marking="(S)", text="x"))
    body = product_to_json(p).replace('"classified_by":"J. Doe, HSTC"', '"classified_by":" "')
    with pytest.raises(DomainError, match=r"product\.authority\.classified_by: must not be blank"):
        parse_product(body)
    s_ = str(make_store(tmp_path / "cli"))
    for flags, message in (
            (("--classified-by", " ", "--derived-from", " ", "--declassify-on", " "),
             "authority.classified_by: must not be blank"),
            (("--classified-by", "J. Doe", "--derived-from", "Sources", "--declassify-on",
              "whenever"), "authority.declassify_on: 'whenever' is not a date")):
        r = run_hstc("product", "new", s_, "--type", "intelligence_report", "--title", "t",
                     "--title-marking", "U", "--portion", "(S) x", *flags, user=ANALYST,
                     password=ANALYST_PW)
        assert r.returncode == 1 and message in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


# ---- a lower-cleared user learns nothing --------------------------------------------------------


def test_stats_count_only_products_the_user_may_see(users: Users) -> None:
    top = _new(users(ANALYST), Paragraph(marking="(TS//SI)", text="Tunnel."))
    _approve(users, top.id)
    _new(users(ANALYST), Paragraph(marking="(S)", text="Boats."))
    high, low = users(ADMIN).stats(), users(LOW).stats()
    assert (high["products"], high["signoffs"]) == (2, 1)
    assert (low["products"], low["signoffs"]) == (1, 0)
    r = run_hstc("stats", str(users.path), "--json", user=LOW, password=LOW_PW)
    assert r.returncode == 0 and '"products": 1' in r.stdout and '"signoffs": 0' in r.stdout


def test_a_newer_version_above_the_users_clearance_is_not_revealed(users: Users) -> None:
    p = _new(users(ANALYST), Paragraph(marking="(S)", text="Boats."))
    _approve(users, p.id)
    P.edit(users(ANALYST), p.id, portions=[
        Paragraph(marking="(S)", text="Boats."), Paragraph(marking="(TS//SI)", text="Tunnel.")])
    assert P.get(users(LOW), p.id).version == 1
    with pytest.raises(NotFound) as caught:
        P.edit(users(LOW), p.id, title="Boats, update")
    text = str(caught.value)
    assert text == f"no product {p.id} that you may edit"
    assert [r[1] for r in _rows(users)] == [1, 2]
    r = run_hstc("product", "show", str(users.path), p.id, "--version", "2",
                 user=LOW, password=LOW_PW)
    assert r.returncode == 1 and "TS" not in r.stderr and "Tunnel" not in r.stderr


# ---- hostile text and numbers -------------------------------------------------------------------


def test_version_numbers_are_range_checked(users: Users) -> None:
    p = _new(users(ANALYST), Paragraph(marking="(U)", text="x"))
    for bad in ("99999999999999999999", "0", "-1", "9223372036854775808", "v1"):
        for cmd in ("show", "verify"):
            r = run_hstc("product", cmd, str(users.path), p.id, "--version", bad,
                         user=ANALYST, password=ANALYST_PW)
            assert r.returncode == 2, (cmd, bad, r.stderr)
            assert "a version is a whole number from 1 to 9223372036854775807" in r.stderr
            assert "SQLite" not in r.stderr and "Traceback" not in r.stderr
    with pytest.raises(NotFound, match="versions run from 1 to"):
        P.get(users(ANALYST), p.id, 10 ** 20)


FORGED = "Boats\nPRD-00000000000000aa\tv9\tapproved\ttarget_package\tUNCLASSIFIED\tforged"


@pytest.mark.parametrize(("field", "value"), [
    ("title", FORGED), ("title", "Boats\rapproved"), ("title", "Boats\x00"),
    ("title", "Boats\u2028approved"), ("title", "Boats\ttab"),
    ("portion", "Boats \x1b[2J\x1b[1;1Happroved"), ("portion", "NUL \x00 here"),
    ("portion", "C1 \x9b31m"), ("caption", "Route\nforged"), ("note", "bell \x07"),
    ("authority", "J. Doe\n")])
def test_control_characters_are_refused_at_the_domain_boundary(users: Users, field: str,
                                                               value: str) -> None:
    portions: list[Paragraph | Figure | Citation] = [Paragraph(marking="(U)", text="Plain.")]
    title, auth = "Boats", AUTH
    with pytest.raises((ValidationError, DomainError), match=r"control character|single line"):
        if field == "title":
            title = value
        elif field == "portion":
            portions = [Paragraph(marking="(U)", text=value)]
        elif field == "caption":
            portions = [Figure(marking="(U)", kind="route", caption=value)]
        elif field == "note":
            portions = [Citation(item_id="LOC-0000000000000001", marking="U", note=value)]
        else:
            auth = Authority(classified_by=value, derived_from="x", declassify_on="20510101")
        P.create(users(ANALYST), product_type="intelligence_report", title=title,
                 title_marking="U", portions=portions, authority=auth)
    assert _rows(users) == []


def test_a_review_comment_with_control_characters_is_refused(users: Users) -> None:
    p = _new(users(ANALYST), Paragraph(marking="(U)", text="x"))
    P.submit(users(ANALYST), p.id)
    with pytest.raises(DomainError, match="control character U\\+001B"):
        P.return_product(users(SUPERVISOR), p.id, "fix \x1b[31mthis")
    assert P.get(users(ADMIN), p.id).status == "in_review"
    # paragraphs and comments keep their line feeds and tabs
    P.return_product(users(SUPERVISOR), p.id, "One.\n\tTwo.")
    fixed = P.edit(users(ANALYST), p.id, portions=[Paragraph(marking="(U)",
                                                             text="One.\n\n\tTwo.")])
    assert fixed.comments[0].text == "One.\n\tTwo."
    assert P.get(users(ANALYST), p.id).portions[0].text == "One.\n\n\tTwo."


def test_cli_refuses_control_characters_and_never_echoes_them(tmp_path: Path) -> None:
    s_ = str(make_store(tmp_path / "s"))
    for args in (("--title", FORGED, "--portion", "(U) x"),
                 ("--title", "Boats", "--portion", "(U) \x1b]0;owned\x07\x1b[2J")):
        r = run_hstc("product", "new", s_, "--type", "intelligence_report",
                     "--title-marking", "U", *args, user=ANALYST, password=ANALYST_PW)
        assert r.returncode == 1, r.stderr
        assert "\x1b" not in r.stderr and "forged" not in r.stderr
        assert "single line" in r.stderr or "control character U+001B" in r.stderr
    listed = run_hstc("product", "list", s_, user=ANALYST, password=ANALYST_PW)
    assert listed.returncode == 0 and listed.stdout == ""


def test_output_escapes_control_characters() -> None:
    from hstc_desk.cli.product_commands import _safe

    assert _safe("a\x1b[2Jb\x00c\x9bd") == "a\\x1b[2Jb\\x00c\\x9bd"
    assert _safe("one\ntwo\tthree") == "one\ntwo\tthree"
    assert _safe("one\ntwo\tthree", one_line=True) == "one\\ntwo\\tthree"
