"""Any one-field change to an approved product made behind the app's back (raw SQL on the
decrypted store) makes `hstc product verify` fail and name it (issue 11, must show)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hstc_desk.demo import product_figures
from hstc_desk.domain.products import (
    Authority,
    Citation,
    Heading,
    Paragraph,
    Product,
    Tearline,
)
from hstc_desk.store import Store, product_images
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

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="25X1, 20761231")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Product]:
    path = make_store(tmp_path_factory.mktemp("tamper") / "s")
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.insert_items([location(1, "S//NF", title="Cash drop"), location(2, "U")])
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        png = product_figures.png(3, "map", "UNCLASSIFIED", ["LOC-0000000000000002"])
        fig = product_images.figure_from_png(s, png, caption="The northern route")
        p = P.create(s, product_type="intelligence_bulletin", title="Night crossings",
                     title_marking="(C)", authority=AUTH, portions=[
                         Heading(marking="(U)", text="Summary"),
                         Paragraph(marking="(S//NF)", text="Guides are paid **in cash**."),
                         fig, Citation(item_id="LOC-0000000000000001", marking="U"),
                         Tearline(destination="EUROPOL", marking="(U)", title="For partners"),
                         Paragraph(marking="(U)", text="Boats leave at night.")])
        P.submit(s, p.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.return_product(s, p.id, "Say when.", anchored=[(p.portions[1].pid or "", "When?")])
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        P.submit(s, p.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        product, _ = P.approve(s, p.id, password=SUPERVISOR_PW)
    return path, product


def _verify(path: Path, pid: str):
    return run_hstc("product", "verify", str(path), pid, user=ANALYST, password=ANALYST_PW)


def _body_change(change: Callable[[dict], None]) -> Callable[[object, str], None]:
    def apply(conn: object, pid: str) -> None:
        body = conn.execute("SELECT body FROM products WHERE id = ?",  # type: ignore[attr-defined]
                            (pid,)).fetchone()[0]
        data = json.loads(body)
        change(data)
        conn.execute("UPDATE products SET body = ? WHERE id = ?",  # type: ignore[attr-defined]
                     (json.dumps(data, sort_keys=True, separators=(",", ":"),
                                 ensure_ascii=False), pid))
    return apply


def _sql(statement: str) -> Callable[[object, str], None]:
    def apply(conn: object, pid: str) -> None:
        conn.execute(statement, (pid,))  # type: ignore[attr-defined]
    return apply


def _set(*path: object, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]  # type: ignore[index]
        node[path[-1]] = value  # type: ignore[index]
    return change


CASES = {
    "title": (_body_change(_set("title", value="Day crossings")), "title"),
    "title_marking": (_body_change(_set("title_marking", value="(U)")), "title_marking"),
    "heading text": (_body_change(_set("portions", 0, "text", value="Overview")),
                     "portion 1 (heading)"),
    "paragraph text": (_body_change(_set("portions", 1, "text", value="Paid by card.")),
                       "portion 2 (paragraph)"),
    "paragraph marking": (_body_change(_set("portions", 1, "marking", value="(U)")),
                          "portion 2 (paragraph)"),
    "figure caption": (_body_change(_set("portions", 2, "caption", value="Another route")),
                       "portion 3 (figure)"),
    "figure items": (_body_change(_set("portions", 2, "items", value=[])),
                     "portion 3 (figure)"),
    "citation marking": (_body_change(_set("portions", 3, "marking", value="(U)")),
                         "portion 4 (citation)"),
    "tearline destination": (_body_change(_set("portions", 4, "destination", value="GBR")),
                             "portion 5 (tearline)"),
    "tearline paragraph": (_body_change(_set("portions", 5, "text", value="Boats by day.")),
                           "portion 6 (paragraph)"),
    "authority": (_body_change(_set("authority", "classified_by", value="Nobody")),
                  "authority"),
    "author": (_body_change(_set("author", value="admin")), "author"),
    "editors": (_body_change(_set("editors", value=["admin"])), "editors"),
    "comment": (_body_change(_set("comments", 0, "text", value="All good.")), "comments"),
    "use restriction": (_body_change(_set("use_restriction", value="leads_only")),
                        "use_restriction"),
    "product type": (_body_change(_set("product_type", value="target_package")),
                     "product_type"),
    "updated": (_body_change(_set("updated", value="2030-01-01T00:00:00Z")), "updated"),
    "title column": (_sql("UPDATE products SET title = 'Other' WHERE id = ?"),
                     "the products row's title column"),
    "marking column": (_sql("UPDATE products SET marking = '(U)', level = 0 WHERE id = ?"),
                       "the products row's marking column"),
    "signoff time": (_sql("UPDATE signoffs SET body = replace(body, '\"signed_at\":\"2', "
                          "'\"signed_at\":\"1') WHERE product_id = ?"), "signed_at column"),
    "figure image": (_sql("UPDATE product_images SET png = png || x'00' WHERE ? IS NOT NULL"),
                     "the image of portion 3 (figure)"),
    "tearline version": (_sql("UPDATE product_tearlines SET body = replace(body, 'at night', "
                              "'by day') WHERE product_id = ?"),
                         "tearline version for EUROPOL"),
}


def test_the_untouched_product_verifies(signed: tuple[Path, Product]) -> None:
    path, product = signed
    r = _verify(path, product.id)
    assert r.returncode == 0, r.stderr
    assert "sign-off VALID" in r.stdout and "tearline      EUROPOL" in r.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_one_field_change_is_caught_and_named(signed: tuple[Path, Product], case: str,
                                                tmp_path: Path) -> None:
    path, product = signed
    copy = tmp_path / "copy"
    shutil.copytree(path, copy)
    apply, named = CASES[case]
    with Store.open(copy, ADMIN, ADMIN_PW) as s, s.transaction() as conn:
        conn.execute("DROP TRIGGER products_approved_immutable")  # behind the app's back
        apply(conn, product.id)
    r = _verify(copy, product.id)
    assert r.returncode == 1, (case, r.stdout)
    assert "sign-off INVALID" in r.stderr and named in r.stderr, (case, r.stderr)


def test_the_store_itself_refuses_to_change_an_approved_version(
        signed: tuple[Path, Product], tmp_path: Path) -> None:
    import sqlcipher3

    path, product = signed
    copy = tmp_path / "copy"
    shutil.copytree(path, copy)
    with Store.open(copy, ADMIN, ADMIN_PW) as s:
        for statement in ("UPDATE products SET title = 'x' WHERE id = ?",
                          "DELETE FROM products WHERE id = ?"):
            with pytest.raises(sqlcipher3.IntegrityError, match="approved product version"), \
                    s.transaction() as conn:
                conn.execute(statement, (product.id,))
        assert P.get(s, product.id) == product
