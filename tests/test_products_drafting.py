"""Drafting (issue 11 §1, §3): rich text, templates, stable portion ids, autosave in place,
anchored comments, history, the diff against the last approved version, figure images."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hstc_desk.demo import product_figures
from hstc_desk.domain import rich_text
from hstc_desk.domain.canonical import canonical_json
from hstc_desk.domain.product_diff import diff
from hstc_desk.domain.product_templates import SECTIONS, template_portions
from hstc_desk.domain.products import (
    PRODUCT_TYPES,
    Authority,
    Citation,
    Figure,
    Heading,
    Paragraph,
    parse_product,
)
from hstc_desk.movement.figures import FigureError
from hstc_desk.store import Store, product_history, product_images
from hstc_desk.store import products as P
from hstc_desk.store.errors import NotFound, PermissionDenied, StoreError

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from exchange_helpers import location

AUTH = Authority(classified_by="J. Doe", derived_from="Multiple Sources",
                 declassify_on="25X1, 20761231")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = make_store(tmp_path / "s")
    with Store.open(p, ADMIN, ADMIN_PW) as s:
        s.insert_items([location(1, "S//NF", title="Cash drop at the river"),
                        location(2, "U", title="Beach")])
    return p


@pytest.fixture
def analyst(path: Path) -> Iterator[Store]:
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        yield s


def _approve(path: Path, pid: str) -> None:
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, pid, password=SUPERVISOR_PW)


# ---- rich text -----------------------------------------------------------------------------


def test_rich_text_blocks_runs_and_round_trip() -> None:
    text = ("Guides charge **per head** and *in cash*; ***always***.\n"
            "- first **bold** item\n- second\n2. numbered \\*star\\*\n\n"
            "\\- not a bullet, and an *unpaired star")
    blocks = rich_text.parse(text)
    assert [b.kind for b in blocks] == ["text", "bullet", "bullet", "number", "text"]
    assert blocks[0].runs == (rich_text.Run("Guides charge "), rich_text.Run("per head", True),
                              rich_text.Run(" and "), rich_text.Run("in cash", italic=True),
                              rich_text.Run("; "), rich_text.Run("always", True, True),
                              rich_text.Run("."))
    assert blocks[3].number == 2 and blocks[3].text == "numbered *star*"
    assert blocks[4].text == "- not a bullet, and an *unpaired star"
    assert rich_text.parse(rich_text.to_markup(blocks)) == blocks
    assert rich_text.to_html(blocks[1]) == "first <b>bold</b> item"
    assert rich_text.to_html(rich_text.parse("a <b> & *c*")[0]) == "a &lt;b&gt; &amp; <i>c</i>"
    assert rich_text.plain("**a** and *b*\n- c") == "a and b\n- c"


def test_templates_give_each_type_its_sections() -> None:
    assert set(SECTIONS) == set(PRODUCT_TYPES)
    assert SECTIONS["intelligence_bulletin"] == ("Summary", "Details", "Indicators")
    assert SECTIONS["strategic_assessment"] == ("Key judgments", "Scope note", "Discussion",
                                                "Outlook")
    for t in ("target_assessment", "target_package"):
        assert SECTIONS[t] == ("Subject", "Network", "Routes", "Associates",
                               "Recommended actions")
    portions = template_portions("strategic_assessment", placeholders=True)
    assert [type(p) for p in portions] == [Heading, Paragraph] * 4


def test_products_written_before_the_new_fields_keep_their_canonical_bytes() -> None:
    old = ('{"author":"ana","authority":null,"comments":[{"text":"t","when":'
           '"2026-01-01T00:00:00Z","who":"sup"}],"created":"2026-01-01T00:00:00Z",'
           '"editors":[],"id":"PRD-0000000000000001","portions":[{"marking":"(U)",'
           '"text":"x","type":"paragraph"},{"caption":"c","data":null,"kind":"route",'
           '"marking":"(U)","type":"figure"},{"item_id":"LOC-0000000000000001","marking":"(U)",'
           '"note":"","type":"citation","use_restriction":"none"}],"product_type":'
           '"intelligence_bulletin","status":"approved","title":"T","title_marking":"(U)",'
           '"updated":"2026-01-01T00:00:00Z","use_restriction":"none","version":1}')
    assert canonical_json(parse_product(old)) == old


# ---- portion ids, autosave, edits ----------------------------------------------------------


def test_portion_ids_are_given_kept_and_let_portions_move(path: Path, analyst: Store) -> None:
    p = P.create(analyst, product_type="intelligence_report", title="t", title_marking="(U)",
                 portions=[Paragraph(marking="(S//NF)", text="one"),
                           Paragraph(marking="(U)", text="two")], authority=AUTH)
    pids = [x.pid for x in p.portions]
    assert all(pids) and len(set(pids)) == 2
    # Reordering by pid is no lowering: the NOFORN paragraph moves to the end, unchanged.
    moved = P.edit(analyst, p.id, portions=[Heading(marking="(U)", text="Summary"),
                                            p.portions[1], p.portions[0]])
    assert moved is not None and [x.pid for x in moved.portions][1:] == pids[::-1]
    assert moved.portions[0].pid not in pids
    with pytest.raises(StoreError, match=r"portion 3 \(paragraph\) would go from \(S//NF\)"):
        P.edit(analyst, p.id, portions=[*moved.portions[:2], moved.portions[2].model_copy(
            update={"marking": "(U)"}), Paragraph(marking="(S//NF)", text="keeps the banner")])


def test_autosave_changes_a_draft_in_place_and_only_a_draft(path: Path, analyst: Store) -> None:
    p = P.create(analyst, product_type="intelligence_bulletin", title="t", title_marking="(U)",
                 portions=template_portions("intelligence_bulletin", placeholders=True))
    assert P.autosave(analyst, p.id, version=1, title="t") is None  # nothing changed
    saved = P.autosave(analyst, p.id, version=1, title="Crossings", portions=[
        *p.portions[:1], p.portions[1].model_copy(update={"text": "Guides wait."}),
        *p.portions[2:]])
    assert saved is not None and saved.version == 1 and saved.title == "Crossings"
    assert [x.pid for x in saved.portions] == [x.pid for x in p.portions]
    rows = analyst.conn.execute("SELECT count(*) FROM products WHERE id = ?", (p.id,))
    assert rows.fetchone()[0] == 1
    actions = [r[0] for r in analyst.conn.execute(
        "SELECT action FROM audit WHERE target = ? ORDER BY seq", (p.id,))]
    assert actions == ["product.create", "product.autosave"]
    with pytest.raises(StoreError, match="latest version is 1"):
        P.autosave(analyst, p.id, version=2, title="x")
    P.submit(analyst, p.id)
    with pytest.raises(StoreError, match="version 1 is in review"):
        P.autosave(analyst, p.id, version=1, title="x")
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        P.approve(s, p.id, password=SUPERVISOR_PW)
    with pytest.raises(StoreError, match="approved; only a draft is saved in place"):
        P.autosave(analyst, p.id, version=1, title="x")
    v2 = P.edit(analyst, p.id, title="Crossings, update")  # editing makes a new version
    assert v2 is not None and (v2.version, v2.status) == (2, "draft")
    assert P.get(analyst, p.id, 1) == P.get(analyst, p.id, 1).model_copy()  # v1 untouched
    assert P.autosave(analyst, p.id, version=2, title="Crossings, later").version == 2


def test_return_with_anchored_comments_history_and_diff(path: Path, analyst: Store) -> None:
    p = P.create(analyst, product_type="intelligence_bulletin", title="t", title_marking="(U)",
                 portions=[Heading(marking="(U)", text="Summary"),
                           Paragraph(marking="(U)", text="Boats leave at night."),
                           Citation(item_id="LOC-0000000000000002", marking="U")])
    assert p.citations()[0].title == "Beach"
    P.submit(analyst, p.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        with pytest.raises(StoreError, match="has no portion 'nope'"):
            P.return_product(s, p.id, "Fix it.", anchored=[("nope", "x")])
        back = P.return_product(s, p.id, "Source the second paragraph.",
                                anchored=[(p.portions[1].pid or "", "Which boats?")])
    assert back.status == "draft" and back.comments[1].anchor == p.portions[1].pid
    listed = product_history.comments(analyst, p.id)
    assert [(c.portion_index, c.portion_label) for c in listed] == [
        (None, ""), (1, "portion 2 (U)")]
    P.submit(analyst, p.id)
    _approve(path, p.id)
    v2 = P.edit(analyst, p.id, portions=[p.portions[0], p.portions[1].model_copy(
        update={"text": "Boats leave at dawn."}), Paragraph(marking="(S//NF)", text="New."),
        p.portions[2]])
    assert v2 is not None
    d = product_history.changes_since_approved(analyst, p.id)
    assert (d.old_version, d.new_version) == (1, 2)
    assert [(c.kind, c.new_index, c.fields) for c in d.portions] == [
        ("unchanged", 0, ()), ("changed", 1, ("text",)), ("added", 2, ()),
        ("unchanged", 3, ())]
    assert "banner: UNCLASSIFIED -> SECRET//NOFORN" in d.summary()
    hist = product_history.history(analyst, p.id)
    assert [(h.version, h.status, h.signer) for h in hist] == [
        (1, "approved", SUPERVISOR), (2, "draft", None)]
    assert hist[0].signed_at is not None and hist[1].editors == ()


def test_diff_marks_moves_and_removals() -> None:
    import datetime

    now = datetime.datetime.now(datetime.UTC)

    def product(rows: list[tuple[int, str]]):
        return parse_product({
            "id": "PRD-0000000000000001", "product_type": "intelligence_report", "title": "t",
            "title_marking": "(U)", "author": "ana", "created": now, "updated": now,
            "portions": [{"type": "paragraph", "marking": "(U)", "text": t,
                          "pid": f"{i:012x}"} for i, t in rows]})

    d = diff(product([(1, "a"), (2, "b"), (3, "c")]), product([(3, "c"), (1, "a")]))
    kinds = {c.pid: c.kind for c in d.portions}
    assert kinds == {f"{3:012x}": "moved", f"{1:012x}": "unchanged", f"{2:012x}": "removed"}


# ---- figures -------------------------------------------------------------------------------


def test_a_movement_figure_keeps_its_marking_items_and_image(path: Path,
                                                            analyst: Store) -> None:
    png = product_figures.png(5, "map", "SECRET//NOFORN", ["LOC-0000000000000001"])
    fig = product_images.figure_from_png(analyst, png, caption="Route")
    assert (fig.marking, fig.kind, fig.items) == ("(S//NF)", "route", ["LOC-0000000000000001"])
    assert product_images.get_image(analyst, fig.image_sha256 or "") == png
    p = P.create(analyst, product_type="intelligence_report", title="t", title_marking="(U)",
                 portions=[fig], authority=AUTH)
    assert p.banner() == "SECRET//NOFORN"
    with pytest.raises(NotFound, match="no image"):
        P.create(analyst, product_type="intelligence_report", title="t", title_marking="(U)",
                 portions=[Figure(caption="c", kind="route", marking="(U)",
                                  image_sha256="0" * 64)])
    with pytest.raises(StoreError, match="not a PNG"):
        product_images.put_image(analyst, b"GIF89a....", marking="(U)")
    with pytest.raises(FigureError, match="no figure record"):
        from hstc_desk.store.product_images import png_record

        png_record(png.replace(b"HSTC-Figure", b"Other-Chunk"))


def test_an_image_is_read_only_under_its_marking(path: Path, tmp_path: Path) -> None:
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user("low", "low clearance pass 1", "analyst", clearance="C")
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        sha = product_images.put_image(
            s, product_figures.png(1, "map", "SECRET", []), marking="(S)")
    with Store.open(path, "low", "low clearance pass 1") as s:
        with pytest.raises(NotFound):
            product_images.get_image(s, sha)
        with pytest.raises(PermissionDenied, match="above your clearance"):
            product_images.put_image(s, product_figures.png(2, "map", "SECRET", []),
                                     marking="(S)")


def test_the_cached_rollup_equals_the_rollup_of_every_portion() -> None:
    import random

    from hstc_desk.domain.product_portions import rollup_markings
    from hstc_desk.markings import parse, rollup

    pool = ["(U)", "(U//FOUO)", "(U//LES)", "(U//LES-NF)", "(C//REL TO USA, GBR)",
            "(S//REL TO USA, FVEY)", "(S//NF)", "(S//RELIDO)", "(C//REL TO USA, GBR/RELIDO)",
            "(TS//SI//OC/NF)", "(S//REL TO USA, MEX)", "(C//LES)", "(U//REL TO USA, GBR)"]
    rng = random.Random(11)
    for _ in range(2000):
        texts = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
        assert rollup_markings(texts) == rollup(parse(t) for t in texts), texts
