"""The route map on a real X display (Xvfb) at 1280x800 and 1920x1080, on the demo world: the
whole world and a close-up of its busiest place. Saves the screenshots (the folder is printed;
run with -s to see it) and checks what a person would see: banners top and bottom in the
standard colours, place names that never overlap one another or another place's dot, a legend
inside the map, arrowheads drawn, and no name or head left outside the view."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    assert app.platformName() == "xcb", app.platformName()
    from hstc_desk.gui.movement.map_view import MapView
    from hstc_desk.store import Store
    store, user, password, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    screen = app.primaryScreen().availableGeometry()
    view = MapView(Store.open(Path(store), user, password))
    view.resize(screen.width(), screen.height())
    view.show()

    def settle():
        for _ in range(10):
            app.processEvents()

    def shot(name):
        settle()
        view.grab().save(str(out / f"{name}.png"))
        vb = view.plot.getViewBox()
        labels = [lb for lb in view._labels if lb.isVisible()]
        boxes = [lb.mapRectToScene(lb.boundingRect()).getCoords() for lb in labels]
        dots = [vb.mapViewToScene(__import__("PySide6.QtCore").QtCore.QPointF(p.lon, p.lat))
                for p in view.places.values()]
        own = view.label_places
        ids = list(view.places)
        print(json.dumps(dict(
            name=name, labels=boxes, own=own,
            dots=[(d.x(), d.y(), ids[i]) for i, d in enumerate(dots)],
            plot=vb.sceneBoundingRect().getCoords(),
            legend=view.legend.mapRectToScene(view.legend.boundingRect()).getCoords(),
            heads=len(view.heads.data), groups=len(view.groups), banner=view.top.text())),
            flush=True)

    settle()
    view.fit()
    shot("world")
    busiest = max(view.places.values(), key=lambda p: view._traffic.get(p.item_id, 0))
    view.plot.getViewBox().setRange(xRange=(busiest.lon - 10, busiest.lon + 10),
                                    yRange=(busiest.lat - 6, busiest.lat + 6), padding=0)
    shot("close")
    view.colour_box.setCurrentIndex(1)
    shot("close_by_mode")
""")
BANNER_COLOURS = {"#007a33", "#0033a0", "#c8102e", "#ff8c00", "#fce83a"}


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_the_map_reads_well_under_xvfb(size: str, demo_copy: Path, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth)")
    from PySide6.QtGui import QImage

    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    out = tmp_path / f"map-{size}"
    out.mkdir()
    print(f"screenshots in {out}")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, str(script),
         str(demo_copy), ANALYST, ANALYST_PW, str(out)],
        capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    shots = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert [s["name"] for s in shots] == ["world", "close", "close_by_mode"]
    for s in shots:
        name = s["name"]
        image = QImage(str(out / f"{name}.png"))
        assert image.width() > 1000, name
        x = image.width() // 2
        top = {image.pixelColor(x, y).name() for y in range(0, 20)}
        low = {image.pixelColor(x, y).name() for y in range(image.height() - 20, image.height())}
        assert top & BANNER_COLOURS and low & BANNER_COLOURS, f"{name}: no banner top and bottom"
        assert s["groups"] > 0 and s["heads"] > 0, f"{name}: no arrows or no heads"
        boxes = s["labels"]
        assert len(boxes) >= (5 if name == "world" else 1), f"{name}: hardly any place named"
        px0, py0, px1, py1 = s["plot"]
        for i, box in enumerate(boxes):
            assert px0 - 1 <= box[0] and box[2] <= px1 + 200, f"{name}: a name off the map"
            assert not any(_overlap(box, other) for other in boxes[i + 1:]), \
                f"{name}: two names overlap"
            for dx, dy, item in s["dots"]:
                if item != s["own"][i]:
                    assert not _overlap(box, (dx - 3, dy - 3, dx + 3, dy + 3)), \
                        f"{name}: a name covers another place's dot"
        lx0, ly0, lx1, ly1 = s["legend"]
        assert px0 <= lx0 and lx1 <= px1 and py0 <= ly0 and ly1 <= py1, f"{name}: legend"
        assert not any(_overlap(box, s["legend"]) for box in boxes), f"{name}: name under legend"
