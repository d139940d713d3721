"""The review room on a real X display (Xvfb) at 1280x800 and 1920x1080, as a supervisor sees it:
the main window with the review queue dock, the review view of a second version (its PDF pages
and what changed against the approved first), of an approved version and of the supervisor's own
product, the password dialog after a wrong password, the version history, the referral
responses, Print / Export PDF, Open product and Verify PDF. Saves the screenshots (the folder is
printed; run with -s; HSTC_SHOTS=DIR copies them there too) and checks that each window fits the
screen and carries its banner top and bottom in the standard colours."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hstc_desk.domain.products import Authority, Citation, Paragraph, Tearline
from hstc_desk.store import Store
from hstc_desk.store import products as P

from conftest import ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui.app import load_style
    from hstc_desk.gui.main_window import MainWindow
    from hstc_desk.gui.session.session import Session
    from hstc_desk.store import Store
    store, user, password, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    review_id, referral_id, own_id = sys.argv[5], sys.argv[6], sys.argv[7]
    load_style(app)
    screen = app.primaryScreen().availableGeometry()

    def settle():
        for _ in range(8):
            app.processEvents()

    def save(widget, name):
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        g = widget.frameGeometry()
        print(name, widget.width(), widget.height(), g.right(), g.bottom(), flush=True)

    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session(Store.open(Path(store), user, password)), settings)
    w.ask_before_quit = False
    w.move(0, 0)
    w.resize(screen.width(), screen.height())
    w.show()

    def fit(window):
        window.move(screen.x(), screen.y())
        window.resize(min(window.width(), screen.width()), min(window.height(), screen.height()))

    def tearline(dialog):
        dialog.which.setCurrentIndex(dialog.which.findData("GBR"))
        return dialog

    def verified(dialog):
        from hstc_desk.gui.products.review_render import printed
        pdf = out / "approved.pdf"
        pdf.write_bytes(printed(w.session.store, review_id, version=1).pdf)
        dialog.path.setText(str(pdf))
        dialog.verify()
        return dialog

    def shoot():
        desk = w.products
        desk.dock.raise_()
        desk.queue.reviews.selectRow(0)
        save(w, "main_queue")
        import time

        def review(pid, version=None):
            view = desk.review(pid, version)
            fit(view)
            start = time.monotonic()
            while not view.pdf and time.monotonic() - start < 30:  # drawn off the GUI thread
                app.processEvents()
                time.sleep(0.02)
            return view

        for name, pid, version in (("review_approved", review_id, 1),
                                   ("review_own", own_id, None)):
            other = review(pid, version)
            save(other, name)
            other.close()
        view = review(review_id)
        view.tabs.setCurrentIndex(0)
        save(view, "review")
        view.tabs.setCurrentIndex(1)
        view.portions.item(1, 3).setText("Name the port.")
        save(view, "review_comments")
        dialog = view.ask_to_sign()
        settle()
        dialog.password.setText("not the password")
        dialog.sign()
        save(dialog, "sign_password")
        dialog.reject()
        for name, make in (("history", lambda: desk.history_of(review_id)),
                           ("referral", lambda: desk.responses(referral_id)),
                           ("export_pdf", lambda: desk.export_of(review_id)),
                           ("export_pdf_tearline", lambda: tearline(desk.export_of(review_id))),
                           ("open_product", desk.open_product),
                           ("verify_pdf", lambda: verified(desk.verify_pdf()))):
            window = make()
            fit(window)
            save(window, name)
            window.close()
            settle()
        view.confirm_discard = lambda: True  # the comment typed above goes unsent
        view.close()
        w.close()
        app.quit()

    QTimer.singleShot(500, shoot)
    app.exec()
""")
WINDOWS = ("main_queue", "review_approved", "review_own", "review", "review_comments",
           "sign_password", "history", "referral", "export_pdf", "export_pdf_tearline",
           "open_product", "verify_pdf")
BANNER_COLOURS = {"#007a33", "#0033a0", "#c8102e", "#ff8c00", "#fce83a"}
AUTH = Authority(classified_by="J. Analyst, HSTC", derived_from="Multiple Sources",
                 declassify_on="20501231")


def _products(path: Path) -> tuple[str, str, str]:
    """A bulletin approved once, edited into a second version now in review; an assessment in
    review; an approved referral with one response of two; a report the supervisor wrote."""
    from hstc_desk.store.product_referrals import record_response

    with Store.open(path, ANALYST, ANALYST_PW) as s:
        items = [r[0] for r in s.conn.execute(
            "SELECT id FROM items WHERE kind = 'person' ORDER BY id LIMIT 2")]
        portions = [
            Paragraph(marking="(S//NF)", text="A smuggling cell in **Tapachula** moves about "
                      "twelve people a week north along the coastal route.\n- safe houses near "
                      "the market\n- payments through two money remitters"),
            Paragraph(marking="(S//REL TO USA, GBR)", text="The cell's boats leave from the "
                      "port at night; *two* captains are named in the reporting."),
            *(Citation(item_id=i, marking="(U)") for i in items),
            Tearline(destination="GBR", title="Coastal route for partners",
                     marking="(S//REL TO USA, GBR)"),
            Paragraph(marking="(S//REL TO USA, GBR)", text="Boats leave the port at night "
                      "for the northern coast.")]
        p = P.create(s, product_type="intelligence_bulletin", title="Tapachula coastal cell",
                     title_marking="(U)", portions=portions, authority=AUTH)
        P.submit(s, p.id)
        q = P.create(s, product_type="strategic_assessment", title="Northbound corridor outlook",
                     title_marking="(U)", authority=AUTH,
                     portions=[Paragraph(marking="(TS//SI//NF)", text="Key judgment.")])
        P.submit(s, q.id)
        r = P.create(s, product_type="referral", title="Refer the coastal cell",
                     title_marking="(U)", authority=AUTH,
                     portions=[Paragraph(marking="(S//REL TO USA, GBR)",
                                         text="The cell's captains should be looked at.")],
                     addressees=["GBR", "EUROPOL"],
                     recommended_action="Open an investigation of the two captains")
        P.submit(s, r.id)
    with Store.open(path, SUPERVISOR, SUPERVISOR_PW) as s:
        own = P.create(s, product_type="intelligence_report", title="Remittance channels",
                       title_marking="(U)", authority=AUTH,
                       portions=[Paragraph(marking="(C//REL TO USA, GBR)",
                                           text="Two remitters carry the cell's payments.")])
        P.submit(s, own.id)
        P.approve(s, p.id, password=SUPERVISOR_PW)
        P.approve(s, r.id, password=SUPERVISOR_PW)
        record_response(s, r.id, "GBR", "acknowledged", note="passed to the NCA desk")
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        v1 = P.get(s, p.id)
        changed = list(v1.portions)
        changed[1] = Paragraph(marking="(S//REL TO USA, GBR)", pid=v1.portions[1].pid,
                               text="The cell's boats leave from Puerto Chiapas at night; *two* "
                                    "captains are named in the reporting.")
        P.edit(s, p.id, portions=changed)
        P.submit(s, p.id)
    return p.id, r.id, own.id


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_review_windows_under_xvfb(size: str, demo_copy: Path, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    from PySide6.QtGui import QImage

    review_id, referral_id, own_id = _products(demo_copy)
    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    out = tmp_path / f"shots-{size}"
    out.mkdir()
    print(f"screenshots in {out}")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, str(script),
         str(demo_copy), SUPERVISOR, SUPERVISOR_PW, str(out), review_id, referral_id, own_id],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if os.environ.get("HSTC_SHOTS"):
        keep = Path(os.environ["HSTC_SHOTS"]) / size
        keep.mkdir(parents=True, exist_ok=True)
        for png in out.glob("*.png"):
            shutil.copy(png, keep / png.name)
    shown = {line.split()[0]: [int(v) for v in line.split()[1:]]
             for line in proc.stdout.splitlines() if len(line.split()) == 5}
    width, height = (int(v) for v in size.split("x"))
    for name in WINDOWS:
        assert (out / f"{name}.png").stat().st_size > 5000, name
        w, h, right, bottom = shown[name]
        assert right < width and bottom < height, f"{name} ({w}x{h}) does not fit {size}"
        image = QImage(str(out / f"{name}.png"))
        x = image.width() // 2
        top = {image.pixelColor(x, y).name() for y in range(0, 40)}
        low = {image.pixelColor(x, y).name() for y in range(image.height() - 40, image.height())}
        assert top & BANNER_COLOURS and low & BANNER_COLOURS, f"{name}: no banner top and bottom"
    review = QImage(str(out / "review.png"))  # SECRET//NOFORN: red banners; white PDF pages
    assert review.pixelColor(3, 5).name() == "#c8102e"
    assert review.pixelColor(review.width() // 4, review.height() // 2).name() != "#5a5a5a"
