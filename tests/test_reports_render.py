"""Product PDFs (issue 11 item 4), read back as a reader would: pdftotext page by page, pdfinfo,
and the banner's pixels. A real store, real products, real sign-offs, real PDFs."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hstc_desk import markings
from hstc_desk.domain.products import (
    Authority,
    Citation,
    Figure,
    Heading,
    Paragraph,
    Product,
    Tearline,
)
from hstc_desk.reports.from_store import document_of
from hstc_desk.reports.page_frame import COLOURS, banner_colours
from hstc_desk.reports.render import render_document
from hstc_desk.store import Store
from hstc_desk.store import products as P

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from exchange_helpers import location

AUTH = Authority(classified_by="J. Doe, HSTC Analysis Branch", derived_from="HSTC SCG 2026",
                 declassify_on="20510101")
LONG = ("The network moved groups north through the corridor in stages, holding them in safe "
        "houses for days at a time while drivers were arranged and payments confirmed. ")


@dataclass
class World:
    path: Path
    draft: Product
    approved: Product
    unclassified: Product
    referral: Product


def _portions_draft() -> list:
    out: list = [Heading(marking="(U)", text="Summary"),
                 Paragraph(marking="(S//NF)", text="Smugglers **moved** north in *March*.\n"
                           "- safe houses in Tapachula\n- drivers from Arriaga")]
    for i in range(14):
        out.append(Paragraph(marking="(S//REL TO USA, GBR)" if i % 2 else "(U//FOUO)",
                             text=f"Paragraph {i + 1}. " + LONG * 3))
    out += [Figure(marking="(S//REL TO USA, GBR)", caption="Crossings by week", kind="timeline",
                   data="LOC-0000000000000001"),
            Heading(marking="(U)", text="Details"),
            Citation(item_id="LOC-0000000000000001", marking="U"),
            Citation(item_id="LOC-0000000000000002", marking="U"),
            Citation(item_id="LOC-0000000000000003", marking="U")]
    return out


def _portions_approved(image_sha: str) -> list:
    return [Paragraph(marking="(S//REL TO USA, GBR)", text="Body portion: the parent only. "
                      + LONG * 4),
            Figure(marking="(S//REL TO USA, GBR)", caption="Legs north of the river",
                   kind="route", image_sha256=image_sha, items=["LOC-0000000000000001"]),
            Paragraph(marking="(S//NF)", text="Parent-only secret paragraph. " + LONG * 2),
            Citation(item_id="LOC-0000000000000001", marking="U"),
            Tearline(destination="EUROPOL", title="Corridor summary for EUROPOL",
                     marking="(U)"),
            Paragraph(marking="(U//LES)", text="Tearline text for EUROPOL partners. " + LONG),
            Tearline(destination="GBR", title="Corridor summary for the UK",
                     marking="(S//REL TO USA, GBR)"),
            Paragraph(marking="(S//REL TO USA, GBR)", text="Tearline text for GBR. " + LONG)]


def build_world(path: Path) -> World:
    make_store(path)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.insert_items([location(1, "S//NF", title="Tapachula safe house"),
                        location(2, "C//REL TO USA, GBR", leads_only=True,
                                 title="Arriaga rail yard"),
                        location(3, "U", title="Ciudad Hidalgo crossing")])
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        from hstc_desk.bench.products_bench import figure_png
        from hstc_desk.store.product_images import put_image

        sha = put_image(s, figure_png(1, random.Random(3)), marking="(S//REL TO USA, GBR)")
        draft = P.create(s, product_type="intelligence_bulletin", title="Northern corridor",
                         title_marking="(U)", portions=_portions_draft(), authority=AUTH)
        appr = P.create(s, product_type="strategic_assessment", title="Corridor outlook",
                        title_marking="(U)", portions=_portions_approved(sha), authority=AUTH)
        P.submit(s, appr.id)
        ref = P.create(s, product_type="referral", title="Bus terminal payments",
                       title_marking="(U)", addressees=["GBR", "EUROPOL"],
                       recommended_action="Open inquiries into the two brokers.",
                       portions=[Paragraph(marking="(U//LES)", text="Cash at the terminal.")])
        unc = P.create(s, product_type="intelligence_report", title="Open reporting",
                       title_marking="(U)",
                       portions=[Paragraph(marking="(U)", text="Open text. " + LONG)])
        P.submit(s, unc.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        appr, _ = P.approve(s, appr.id, password=SUPERVISOR_PW)
        unc, _ = P.approve(s, unc.id, password=SUPERVISOR_PW)
    return World(path, draft, appr, unc, ref)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("reports") / "store")


@pytest.fixture
def analyst(world: World) -> Iterator[Store]:
    with Store.open(world.path, ANALYST, ANALYST_PW, readonly=True) as s:
        yield s


def pdf_of(store: Store, product_id: str, tearline: str | None = None) -> bytes:
    return render_document(document_of(store, product_id, tearline=tearline))


def pages_text(pdf: bytes, tmp: Path) -> list[str]:
    f = tmp / "x.pdf"
    f.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True, check=True)
    n = int(next(line.split()[-1] for line in info.stdout.splitlines()
                 if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(i), "-l", str(i), str(f), "-"],
                           capture_output=True, text=True, check=True).stdout
            for i in range(1, n + 1)]


def info(pdf: bytes, tmp: Path) -> dict[str, str]:
    f = tmp / "i.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":")
                                                 for line in out.splitlines())}


def test_banner_on_every_page_is_the_rollup_top_and_bottom(analyst: Store, world: World,
                                                          tmp_path: Path) -> None:
    product = P.get(analyst, world.draft.id)
    banner = product.banner()
    assert banner == "SECRET//NOFORN"  # cites a NOFORN item
    pages = pages_text(pdf_of(analyst, world.draft.id), tmp_path)
    assert len(pages) >= 3
    for i, text in enumerate(pages, 1):
        lines = [x.strip() for x in text.splitlines() if x.strip() and x.strip() != "\f"]
        assert lines[0] == banner, f"page {i} starts with {lines[0]!r}"
        assert lines[-1] == banner, f"page {i} ends with {lines[-1]!r}"
        assert f"Page {i} of {len(pages)}" in text


def test_draft_on_every_page_of_an_unapproved_product_and_none_on_an_approved_one(
        analyst: Store, world: World, tmp_path: Path) -> None:
    draft = pages_text(pdf_of(analyst, world.draft.id), tmp_path)
    for i, text in enumerate(draft, 1):
        assert "DRAFT: NOT APPROVED, NOT SIGNED OFF" in text, f"page {i}"
    assert "DRAFT: not approved." in draft[-1]
    approved = pages_text(pdf_of(analyst, world.approved.id), tmp_path)
    assert not any("DRAFT" in t for t in approved)
    last = approved[-1]
    assert "APPROVED AND SIGNED OFF" in last and f"Signed off by: {SUPERVISOR}" in last
    so = P.signoff_of(analyst, world.approved.id, world.approved.version)
    assert so is not None
    flat = " ".join(last.split())
    assert " ".join(so.signoff.content_hash[i:i + 4] for i in range(0, 64, 4)) in flat
    fp = P.fingerprint(bytes.fromhex(so.signoff.signer_public_key))
    assert " ".join(fp[i:i + 4] for i in range(0, 64, 4)) in flat


def test_same_product_same_bytes(analyst: Store, world: World, tmp_path: Path) -> None:
    from conftest import run_hstc

    one = pdf_of(analyst, world.approved.id)
    assert one == pdf_of(analyst, world.approved.id)
    outs = []
    for n in (1, 2):  # another process, through the command
        out = tmp_path / f"cli{n}.pdf"
        r = run_hstc("report", str(world.path), world.approved.id, "--out", str(out),
                     user=ANALYST, password=ANALYST_PW)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == one
    assert one.startswith(b"%PDF-") and b"/CreationDate (D:2" in one


def test_title_authority_marks_and_sources(analyst: Store, world: World, tmp_path: Path) -> None:
    text = "\n".join(pages_text(pdf_of(analyst, world.draft.id), tmp_path))
    assert "(U) Northern corridor" in text
    assert "Classified By: J. Doe, HSTC Analysis Branch" in text
    assert "Derived From: Multiple Sources" in text
    assert "Declassify On: 20510101" in text
    assert "(U) Summary" in text and "(U) Details" in text  # headings with their marks
    assert "(S//NF) Smugglers moved north in March." in text  # bold and italic, marked
    assert "safe houses in Tapachula" in text
    for i in range(14):
        mark = "(S//REL TO USA, GBR)" if i % 2 else "(U//FOUO)"
        assert f"{mark} Paragraph {i + 1}." in text
    assert "(S//REL TO USA, GBR) Figure 1: Crossings by week" in text
    assert text.count("(S//REL TO USA, GBR)\n[timeline figure") == 1  # the mark on the figure
    sources = text[text.index("\nSources\n"):]
    assert "Classification derived from: HSTC SCG 2026" in sources
    for n, (mark, title) in enumerate([("(S//NF)", "Tapachula safe house"),
                                       ("(C//REL TO USA, GBR)", "Arriaga rail yard"),
                                       ("(U)", "Ciudad Hidalgo crossing")], 1):
        assert f"{n}. {mark} {title}" in sources
    assert "USE RESTRICTION: FOR INVESTIGATIVE LEADS ONLY" in text  # item 2 is leads only


def test_leads_only_line_on_every_page_where_it_applies(analyst: Store, world: World,
                                                      tmp_path: Path) -> None:
    for t in pages_text(pdf_of(analyst, world.draft.id), tmp_path):
        assert "FOR INVESTIGATIVE LEADS ONLY: not for affidavits" in t
    for t in pages_text(pdf_of(analyst, world.unclassified.id), tmp_path):
        assert "LEADS ONLY" not in t


def test_metadata_title_and_subject_banner(analyst: Store, world: World, tmp_path: Path) -> None:
    meta = info(pdf_of(analyst, world.draft.id), tmp_path)
    assert meta["Title"] == "(U) Northern corridor"
    assert meta["Subject"] == "SECRET//NOFORN"
    assert meta["Author"] == ANALYST


def test_tearline_rules_and_tearline_version_alone(analyst: Store, world: World,
                                                   tmp_path: Path) -> None:
    full = "\n".join(pages_text(pdf_of(analyst, world.approved.id), tmp_path))
    assert "TEARLINE: RELEASABLE TO EUROPOL" in full and "TEARLINE: RELEASABLE TO GBR" in full
    assert "UNCLASSIFIED//LES" in full  # the EUROPOL tearline's own banner, inside the flow
    parent = P.get(analyst, world.approved.id)
    assert parent.banner() == "SECRET//NOFORN//LES"
    pdf = pdf_of(analyst, world.approved.id, tearline="EUROPOL")
    pages = pages_text(pdf, tmp_path)
    tl = parent.tearline("EUROPOL")
    assert tl is not None
    for t in pages:
        lines = [x for x in t.splitlines() if x.strip()]
        assert lines[0] == tl.banner() == "UNCLASSIFIED//LES"
    text = "\n".join(pages)
    assert "(U) Corridor summary for EUROPOL" in text
    assert "Classified By" not in text  # an unclassified document has no authority block
    assert "Tearline text for EUROPOL partners." in text
    for word in ("Body portion", "Parent-only", "Tearline text for GBR", "Corridor outlook",
                 "Tapachula", "NOFORN", "SECRET"):
        assert word not in text, word
    assert b"Parent-only" not in pdf and b"Body portion" not in pdf  # nor in the attachment
    assert info(pdf, tmp_path)["Subject"] == "UNCLASSIFIED//LES"


def test_banner_colour_is_the_standard_colour(analyst: Store, world: World,
                                              tmp_path: Path) -> None:
    from PIL import Image

    for pid, level in ((world.draft.id, "S"), (world.unclassified.id, "U")):
        f = tmp_path / f"{level}.pdf"
        f.write_bytes(pdf_of(analyst, pid))
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(f),
                        str(tmp_path / level)], check=True)
        png = next(tmp_path.glob(f"{level}-*1.png"))
        img = Image.open(png).convert("RGB")
        want = tuple(int(COLOURS[level][0][i:i + 2], 16) for i in (1, 3, 5))
        for y in (1, img.height - 2):  # top and bottom bars
            got = img.getpixel((5, y))
            assert all(abs(a - b) <= 6 for a, b in zip(got, want, strict=True)), (level, y, got)


def test_colours_are_the_gui_banners() -> None:
    pytest.importorskip("PySide6")
    from hstc_desk.gui.widgets.banner import COLOURS as GUI

    assert GUI == COLOURS
    assert banner_colours(markings.parse("TS//SI")) == COLOURS["TS-SCI"]
    assert banner_colours(markings.parse("TS")) == COLOURS["TS"]


def test_an_untitled_citation_the_reader_may_not_see_prints_no_title(
        analyst: Store, world: World, tmp_path: Path) -> None:
    """A title the citation does not carry is resolved under the reader's clearance; when the
    reader may not see the item, the PDF says so and prints no title."""
    from hstc_desk.reports.story import NOT_VISIBLE, Document

    p = P.get(analyst, world.draft.id)
    bare = [c.model_copy(update={"title": None}) if c.type == "citation" else c
            for c in p.portions]
    doc = Document(p.model_copy(update={"portions": bare}), None,
                   {"LOC-0000000000000003": "Ciudad Hidalgo crossing"})
    text = "\n".join(pages_text(render_document(doc), tmp_path))
    assert text.count(NOT_VISIBLE) == 4  # two items, each cited once and listed once
    assert "Tapachula safe house" not in text and "Ciudad Hidalgo crossing" in text


def test_figure_image_is_drawn_marked_and_carried(analyst: Store, world: World,
                                                  tmp_path: Path) -> None:
    pdf = pdf_of(analyst, world.approved.id)
    text = "\n".join(pages_text(pdf, tmp_path))
    assert "(S//REL TO USA, GBR) Figure 1: Legs north of the river (depicts LOC-" in text
    assert "no image attached" not in text and "image not available" not in text
    f = tmp_path / "img.pdf"
    f.write_bytes(pdf)
    listed = subprocess.run(["pdfimages", "-list", str(f)], capture_output=True, text=True,
                            check=True).stdout
    assert " 900   520 " in listed  # the PNG itself, at its own size


def test_referral_prints_its_addressees_and_recommended_action(analyst: Store, world: World,
                                                               tmp_path: Path) -> None:
    text = "\n".join(pages_text(pdf_of(analyst, world.referral.id), tmp_path))
    assert "Referred to: United Kingdom (GBR); European Union Agency" in text
    assert "(U//LES) Recommended action: Open inquiries into the two brokers." in text
    assert "Classified By" not in text  # unclassified: no authority block


def test_text_that_looks_like_markup_prints_as_written(analyst: Store, world: World,
                                                       tmp_path: Path) -> None:
    from hstc_desk.domain.products import change_product
    from hstc_desk.reports.story import Document

    p = P.get(analyst, world.unclassified.id)
    hostile = Paragraph(marking="(U)", text="<b>not bold</b> & <font size=40>x</font> "
                        "**unclosed \\*star\\* Vuković Ærø")
    q = change_product(p, title="R&D <i>title</i>", portions=[hostile])
    text = "\n".join(pages_text(render_document(Document(q)), tmp_path))
    assert "(U) R&D <i>title</i>" in text
    assert "(U) <b>not bold</b> & <font size=40>x</font> **unclosed *star* Vuković Ærø" in text
