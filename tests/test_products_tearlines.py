"""Tearlines (issue 11 §2): every portion under a tearline releasable to its destination, its own
banner, and export to that destination carrying the signed tearline version alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.product_tearlines import TearlineError, problems
from hstc_desk.domain.products import (
    Authority,
    Citation,
    Heading,
    Paragraph,
    Product,
    Tearline,
    tearline_id,
    tearline_version,
)
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.merge import import_bundle
from hstc_desk.markings import destination
from hstc_desk.store import Store, product_tearlines
from hstc_desk.store import products as P

from conftest import ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from exchange_helpers import bundle_bytes, location, members_of, open_admin, trust_pair

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="25X1, 20761231")
EU = ", ".join(sorted(destination("EUROPOL").members))
EU_REL = f"(C//REL TO USA, {EU})"
PARENT_TEXT = "Guides are paid in cash at the river crossing."
TEAR_TEXT = "Boats leave the northern beaches at night."


def _tear(dest: str = "EUROPOL") -> Tearline:
    return Tearline(destination=dest, marking="(U)", title="Night departures (for partners)")


def _portions(*under: Paragraph) -> list:
    return [Heading(marking="(U)", text="Summary"),
            Paragraph(marking="(S//NF)", text=PARENT_TEXT),
            Citation(item_id="LOC-0000000000000003", marking="U"),
            _tear(), *under]


class Env:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.a_path, self.b_path = make_store(tmp / "a"), make_store(tmp / "b")
        self.a, self.b = open_admin(self.a_path), open_admin(self.b_path)
        trust_pair(self.a, self.b)
        self.a.insert_items([location(3, "S//NF", title="Cash drop at the river")])

    def approved(self, portions: list) -> Product:
        with Store.open(self.a_path, ANALYST, ANALYST_PW) as s:
            p = P.create(s, product_type="intelligence_bulletin", title="Night crossings",
                         title_marking="(S//NF)", portions=portions, authority=AUTH)
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


@pytest.mark.parametrize(("marking", "rule"), [
    ("(S//NF)", "NOFORN: not releasable to foreign destination EUROPOL"),
    ("(C//OC)", "ORCON: needs the originator's release for EUROPOL"),
    ("(C//REL TO USA, GBR)", "does not include"),
    ("(S)", "SECRET: above the maximum for EUROPOL"),
])
def test_a_tearline_refuses_a_portion_not_releasable_naming_it(env: Env, marking: str,
                                                               rule: str) -> None:
    bad = [*_portions(Paragraph(marking="(U)", text=TEAR_TEXT)),
           Paragraph(marking=marking, text="Not for partners.")]
    found = problems(bad)
    assert [f.index for f in found] == [5]
    assert f"portion 6 ({marking.strip('()')}) is not releasable to EUROPOL" in found[0].message
    assert rule in found[0].message
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s, pytest.raises(
            TearlineError, match=r"portion 6 \(" + marking.strip("()").replace("//", "//")
            .replace("(", r"\(").replace(")", r"\)")):
        P.create(s, product_type="intelligence_bulletin", title="t", title_marking="(U)",
                 portions=bad)
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s:  # nothing was written
        assert P.list_products(s) == []


def test_tearline_rules_on_edit_and_the_tearline_title(env: Env) -> None:
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s:
        p = P.create(s, product_type="intelligence_bulletin", title="t", title_marking="(U)",
                     portions=_portions(Paragraph(marking="(U)", text=TEAR_TEXT)))
        with pytest.raises(TearlineError, match=r"portion 6 \(S//NF\).*NOFORN"):
            P.edit(s, p.id, portions=[*p.portions,
                                      Paragraph(marking="(S//NF)", text="Appended.")])
        with pytest.raises(TearlineError, match="tearline title at portion 4"):
            P.edit(s, p.id, portions=[*p.portions[:3],
                                      Tearline(destination="EUROPOL", marking="(S//NF)",
                                               title="t"), *p.portions[4:]])
        unknown = [*p.portions[:3], Tearline(destination="ATLANTIS", marking="(U)", title="t")]
        with pytest.raises(TearlineError, match="ATLANTIS, which is not a destination"):
            P.edit(s, p.id, portions=[*unknown, Paragraph(marking="(U)", text="x")])
        assert P.get(s, p.id) == p  # every refusal left the draft as it was


def test_an_empty_tearline_is_refused_at_submit(env: Env) -> None:
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s:
        p = P.create(s, product_type="intelligence_bulletin", title="t", title_marking="(U)",
                     portions=[Paragraph(marking="(U)", text="Body."), _tear()])
        with pytest.raises(TearlineError, match="holds no portion"):
            P.submit(s, p.id)
        assert P.get(s, p.id).status == "draft"


def test_a_noforn_citation_makes_a_noforn_banner_and_the_tearline_its_own(env: Env) -> None:
    p = env.approved(_portions(Paragraph(marking="(U)", text=TEAR_TEXT),
                               Paragraph(marking=EU_REL, text="Three boats a week.")))
    assert p.citations()[0].marking == "(S//NF)" and p.citations()[0].title
    assert p.banner() == "SECRET//NOFORN"  # the citation's NOFORN rolls up
    section = p.tearline("EUROPOL")
    assert section is not None
    assert section.banner() == f"CONFIDENTIAL//REL TO USA, {EU}"
    tv = tearline_version(p, "EUROPOL")
    assert tv.id == tearline_id(p.id, "EUROPOL") != p.id
    assert tv.title == "Night departures (for partners)" and tv.banner() == section.banner()
    assert [x.type for x in tv.portions] == ["paragraph", "paragraph"]
    assert PARENT_TEXT not in tv.model_dump_json()
    with pytest.raises(DomainError, match="no tearline for GBR"):
        tearline_version(p, "GBR")


def test_export_to_europol_carries_only_the_tearline(env: Env) -> None:
    p = env.approved(_portions(Paragraph(marking="(U)", text=TEAR_TEXT)))
    held = product_tearlines.records(env.a, p.id, p.version)
    assert [r.destination for r in held] == ["EUROPOL"]
    assert P.verify_stored(env.a, p.id).ok
    assert any("tearline      EUROPOL" in line for line in P.verify_stored(env.a, p.id).lines)

    data = bundle_bytes(env.a, env.tmp, "EUROPOL")
    payload = members_of(data)[bf.PRODUCTS].decode()
    assert PARENT_TEXT not in payload and p.id not in payload.replace(
        f'"product_id":"{p.id}"', "")  # only the tearline_of reference names the parent
    assert TEAR_TEXT in payload
    report = import_bundle(env.b, data)
    assert report.products["added"] == 1
    ids = [r[0] for r in env.b.conn.execute("SELECT id FROM products")]
    assert ids == [tearline_id(p.id, "EUROPOL")]
    bodies = "".join(r[0] for r in env.b.conn.execute("SELECT body FROM products"))
    assert PARENT_TEXT not in bodies and "LOC-0000000000000003" not in bodies
    got = P.get(env.b, ids[0])
    assert got.banner() == "UNCLASSIFIED" and got.tearline_of is not None
    assert P.verify_stored(env.b, ids[0]).ok


def test_export_elsewhere_without_a_tearline_needs_all_of_it_releasable(env: Env) -> None:
    p = env.approved(_portions(Paragraph(marking="(U)", text=TEAR_TEXT)))
    from hstc_desk.exchange.selection import plan

    gbr = plan(env.a, "GBR")
    assert not gbr.products
    assert any(x.id == p.id and "NOFORN" in x.reason for x in gbr.excluded)
    usa = plan(env.a, "USA")  # domestic: the whole product, parent body and tearline
    assert len(usa.products) == 1 and PARENT_TEXT in usa.products[0]


def test_a_forged_tearline_version_is_not_exported(env: Env) -> None:
    p = env.approved(_portions(Paragraph(marking="(U)", text=TEAR_TEXT)))
    with env.a.transaction() as conn:  # behind the app's back: the tearline body swapped
        conn.execute("UPDATE product_tearlines SET body = replace(body, ?, ?)",
                     (TEAR_TEXT, PARENT_TEXT))
    verdict = P.verify_stored(env.a, p.id)
    assert not verdict.ok and "tearline version for EUROPOL" in verdict.reason
    from hstc_desk.exchange.selection import plan

    europol = plan(env.a, "EUROPOL")
    assert not europol.products
    assert any(x.id == p.id and "tearline" in x.reason for x in europol.excluded)


def test_figure_images_travel_with_their_product_and_are_checked(env: Env) -> None:
    import base64
    import json

    from hstc_desk.demo import product_figures
    from hstc_desk.exchange.errors import BundleError
    from hstc_desk.exchange.product_payload import read
    from hstc_desk.store import product_images

    png = product_figures.png(4, "map", "UNCLASSIFIED", [])
    with Store.open(env.a_path, ANALYST, ANALYST_PW) as s:
        fig = product_images.figure_from_png(s, png, caption="Route")
    p = env.approved([Paragraph(marking="(U)", text=TEAR_TEXT), fig, fig])
    data = bundle_bytes(env.a, env.tmp, "USA")
    member = members_of(data)[bf.PRODUCTS]
    lines = member.split(b"\n")[:-1]
    assert len(lines) == 2 and json.loads(lines[1])["sha256"] == fig.image_sha256  # once
    import_bundle(env.b, data)
    sha = fig.image_sha256 or ""
    assert product_images.get_image(env.b, sha) == png
    assert P.verify_stored(env.b, p.id).ok
    with env.b.transaction() as conn:  # an image that did not travel is no fault of an import
        conn.execute("DELETE FROM product_images")
    assert P.verify_stored(env.b, p.id).ok

    image = json.loads(lines[1])
    other = product_figures.png(5, "map", "UNCLASSIFIED", [])
    for bad, why in [
        ({**image, "image": base64.b64encode(other).decode()}, "do not hash to its name"),
        ({**image, "marking": "(S)"}, "not as its figure"),
        ({**image, "sha256": "0" * 64}, "is not a figure of"),
    ]:
        forged = lines[0] + b"\n" + json.dumps(bad, separators=(",", ":")).encode() + b"\n"
        with pytest.raises(BundleError, match=why):
            list(read(forged, bf.PRODUCTS))
    with pytest.raises(BundleError, match="comes after its product"):
        list(read(lines[1] + b"\n", bf.PRODUCTS))
    with pytest.raises(BundleError, match="appears twice"):
        list(read(b"\n".join([lines[0], lines[1], lines[1]]) + b"\n", bf.PRODUCTS))
