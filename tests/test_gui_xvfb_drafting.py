"""The drafting window on a real X display (Xvfb) at 1280x800 and 1920x1080, as an analyst
leaves it mid-draft: a target package with its authority block, marked paragraphs in bold and
lists, a timeline figure exported by the Movement workspace, citations (one leads only), and a
tearline for GBR. Saves the screenshots (the folder is printed; run with -s to see it) and checks
what a person sees first: the window fits the screen, its banners top and bottom are in the
standard colour of the roll-up, and the leads-only statement is on show."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SCRIPT = textwrap.dedent("""
    import sys
    from dataclasses import replace
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui.app import load_style
    from hstc_desk.gui.movement.timeline_view import TimelineView
    from hstc_desk.gui.products.drafting_window import open_draft
    from hstc_desk.gui.session.session import Session
    from hstc_desk.store import Store
    store_path, user, password, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    load_style(app)
    screen = app.primaryScreen().availableGeometry()
    session = Session(Store.open(Path(store_path), user, password))
    store = session.store

    def settle():
        for _ in range(10):
            app.processEvents()

    def save(widget, name):
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print(name, widget.width(), widget.height(), widget.frameGeometry().bottom(),
              flush=True)

    # a timeline figure, exported as the Movement workspace exports it
    case = store.conn.execute(
        "SELECT case_id FROM items WHERE kind = 'event' AND case_id IS NOT NULL "
        "GROUP BY case_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    view = TimelineView(store)
    view.resize(900, 420)
    view.show()
    settle()
    view.set_filter(replace(view.flt, cases=(case,)))
    settle()
    view.redraw()
    figure = out / "timeline.png"
    view.export(figure)
    view.close()

    blank = open_draft(session, product_type="strategic_assessment")
    blank.ask_before_close = False
    blank.move(screen.left(), screen.top())
    blank.resize(min(1500, screen.width()), screen.height() - 40)
    save(blank, "drafting_new")
    from hstc_desk.gui.products.drafting_marking import MarkingDialog
    md = MarkingDialog("", "the title", blank)
    md.show()
    save(md, "drafting_title_mark")
    md.close()
    blank.close()

    w = open_draft(session, product_type="target_package")
    w.ask_before_close = False
    w.move(screen.left(), screen.top())
    w.resize(min(1500, screen.width()), screen.height() - 40)
    settle()
    w.change_header("title", "Network Alpha: couriers on the northern corridor")
    w.change_header("title_marking", "(U)")
    w.change_header("classified_by", "Analyst 7, HSTC Targeting")
    w.change_header("declassify_on", "20510101")
    entries = w.state.entries

    def para(text, mark, after):
        w.list.setCurrentIndex(w.model.index(after))
        w.add_paragraph()
        row = w.current_row()
        entries = list(w.state.entries)
        entries[row] = entries[row].with_(text=text, marking=mark)
        w.push(w.state.with_(entries=tuple(entries)), "text")

    para("The subject **coordinates crossings** for at least three groups, moving *two to "
         "four* people a week through the northern corridor.", "(S//NF)", 0)
    para("Known associates:\\n- a driver based at the rail yard\\n- a broker who arranges "
         "documents\\n- a safe house keeper near the terminal", "(S//REL TO USA, GBR)", 2)
    w.list.setCurrentIndex(w.model.index(4))
    w.add_figure_file(figure)
    leads = store.conn.execute(
        "SELECT id FROM items WHERE restricted = 1 AND level <= 2 ORDER BY id LIMIT 1"
        ).fetchone()[0]
    others = [r[0] for r in store.conn.execute(
        "SELECT id FROM items WHERE kind IN ('report', 'person') AND level <= 2 "
        "AND restricted = 0 ORDER BY id LIMIT 2")]
    w.list.setCurrentIndex(w.model.index(len(w.state.entries) - 1))
    w.cite_items([leads, *others])
    w.change_header("derived_from", "Multiple Sources")
    w.list.setCurrentIndex(w.model.index(len(w.state.entries) - 1))
    w.add_tearline("GBR", "Northern corridor: release to GBR")
    row = w.current_row()
    entries = list(w.state.entries)
    entries[row] = entries[row].with_(marking="(U)")
    w.push(w.state.with_(entries=tuple(entries)), "mark")
    para("Couriers cross at night near the northern ports, two to four people a week.",
         "(S//REL TO USA, GBR)", row)
    w.list.setCurrentIndex(w.model.index(1))
    print("saved", int(w.autosave()), flush=True)
    save(w, "drafting")
    fig_row = next(i for i, e in enumerate(w.state.entries) if e.kind == "figure")
    w.list.setCurrentIndex(w.model.index(fig_row))
    save(w, "drafting_figure")
    w.list.setCurrentIndex(w.model.index(len(w.state.entries) - 1))
    w.list.scrollToBottom()
    # and a refusal: a NOFORN marking under the GBR tearline
    w.editor.picker.set_marking("S//NF")
    save(w, "drafting_tearline")
    print("banner", w.banners.top.text().replace(" ", "_"), flush=True)
    print("rollup", w.state.banner_marking().banner().replace(" ", "_"), flush=True)
    print("leads", int(w.leads_label.isVisible()), flush=True)
    print("refusal", int(w.refusal.isVisible()), flush=True)
    # the same draft submitted, returned by a supervisor with an anchored comment, reopened
    from hstc_desk.store import products as store_products
    pid = w.state.entries[1].pid
    product_id = w.saver.product_id
    w.close()
    store_products.submit(store, product_id)
    with Store.open(Path(store_path), sys.argv[5], sys.argv[6]) as sup:
        store_products.return_product(
            sup, product_id, "Good start; the subject paragraph needs its sources.",
            anchored=[(pid, "Which reporting puts him at three groups? Cite it.")])
    back = open_draft(session, product_id=product_id)
    back.ask_before_close = False
    back.move(screen.left(), screen.top())
    back.resize(min(1500, screen.width()), screen.height() - 40)
    back.list.setCurrentIndex(back.model.index(1))
    save(back, "drafting_returned")
    print("returned", int(back.returned.isVisible()), int(back.editor.comments.isVisible()),
          flush=True)
    back.close()
    session.close()
""")
SHOTS = ("drafting_new", "drafting", "drafting_figure", "drafting_tearline",
         "drafting_returned")
BANNER_COLOURS = {"#007a33", "#0033a0", "#c8102e", "#ff8c00", "#fce83a"}


def shoot(size: str, store: Path, out: Path) -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    script = out / "shoot_drafting.py"
    script.write_text(SCRIPT)
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, str(script),
         str(store), ANALYST, ANALYST_PW, str(out), SUPERVISOR, SUPERVISOR_PW],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines()
            if line.split()}


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_the_drafting_window_under_xvfb(size: str, demo_copy: Path, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    from PySide6.QtGui import QImage

    out = tmp_path / f"shots-{size}"
    out.mkdir()
    print(f"screenshots in {out}")
    shown = shoot(size, demo_copy, out)
    width, height = (int(v) for v in size.split("x"))
    from hstc_desk import markings
    from hstc_desk.gui.widgets.banner import banner_colours

    assert shown["banner"] == shown["rollup"]  # the banner is the roll-up of every portion
    assert "NOFORN" in shown["banner"][0]  # a NOFORN paragraph among them
    colour = banner_colours(markings.parse(shown["banner"][0].replace("_", " ")))[0]
    assert shown["leads"] == ["1"] and shown["refusal"] == ["1"]
    assert shown["saved"] == ["1"]  # the store took the draft as the window shows it
    assert shown["returned"] == ["1", "1"]  # the comments on the whole and on the portion
    for name in SHOTS:
        w, h, bottom = (int(v) for v in shown[name])
        assert w <= width and bottom < height, f"{name} ({w}x{h}) does not fit {size}"
        image = QImage(str(out / f"{name}.png"))
        x = image.width() // 2
        top = {image.pixelColor(x, y).name() for y in range(0, 30)}
        low = {image.pixelColor(x, y).name() for y in range(image.height() - 30, image.height())}
        want = "#007a33" if name == "drafting_new" else colour  # a new draft: (U) headings
        assert want in top and want in low, f"{name}: no {want} banner top and bottom"
        assert top & BANNER_COLOURS and low & BANNER_COLOURS
