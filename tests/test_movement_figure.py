"""Marked figures: a view exported to PNG and SVG carries its banner top and bottom in the
standard colour and its record (marking, items depicted); ``hstc figure`` renders the same
offscreen and prints the marking."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from hstc_desk import markings
from hstc_desk.gui.movement.export import BANNER_PX, read_record
from hstc_desk.gui.movement.map_view import MapView
from hstc_desk.gui.movement.timeline_view import TimelineView
from hstc_desk.gui.widgets.banner import banner_colours
from hstc_desk.movement import figures
from hstc_desk.movement import query as mq
from hstc_desk.store import Store

from conftest import ANALYST, ANALYST_PW

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]
HSTC = str(Path(sys.executable).with_name("hstc"))


def _banner_pixels(path: Path, banner: str) -> None:
    image = QImage(str(path))
    bg = QColor(banner_colours(markings.parse(banner))[0])
    for y in (2, BANNER_PX - 3, image.height() - BANNER_PX + 2, image.height() - 3):
        px = image.pixelColor(3, y)
        assert (px.red(), px.green(), px.blue()) == (bg.red(), bg.green(), bg.blue()), y


def test_timeline_export_png_and_svg(qtbot, demo_template: Path, tmp_path: Path) -> None:
    with Store.open(demo_template, ANALYST, ANALYST_PW) as store:
        view = TimelineView(store)
        qtbot.addWidget(view)
        view.resize(1000, 600)
        view.show()
        qtbot.waitExposed(view)
        t0, t1 = view.window()
        view.plot.setXRange(t0, (t0 + t1) // 2, padding=0)
        rec = view.export(tmp_path / "t.png")
        assert rec.banner == view.top.text()
        assert rec.count == mq.count(store, view.flt.between(*view.window()))
        assert read_record(tmp_path / "t.png") == rec
        _banner_pixels(tmp_path / "t.png", rec.banner)
        svg = view.export(tmp_path / "t.svg")
        text = (tmp_path / "t.svg").read_text()
        assert f"<title>{svg.banner}</title>" in text and svg.banner in text
        assert read_record(tmp_path / "t.svg") == svg
        view._timer.stop()
        view.close()


def test_map_export_records_legs_and_places(qtbot, demo_template: Path, tmp_path: Path) -> None:
    with Store.open(demo_template, ANALYST, ANALYST_PW) as store:
        view = MapView(store)
        qtbot.addWidget(view)
        view.resize(1000, 700)
        view.show()
        qtbot.waitExposed(view)
        view.view_as.setCurrentIndex(view.view_as.findData("EUROPOL"))
        rec = view.export(tmp_path / "m.png")
        back = read_record(tmp_path / "m.png")
        assert back == rec and back.banner == view.top.text()
        assert "NOFORN" not in back.banner
        legs = {i for i in back.items if i.startswith("LEG-")}
        assert legs and set(view.places) <= set(back.items)
        assert len(legs) == sum(g.count for g in view.groups)
        _banner_pixels(tmp_path / "m.png", rec.banner)
        view.close()


def test_a_tampered_record_is_refused(tmp_path: Path) -> None:
    rec = figures.record("map", "SECRET//NOFORN", ["LEG-0000000000000001"], {})
    bad = rec.to_json().replace("LEG-0000000000000001", "LEG-0000000000000002")
    with pytest.raises(figures.FigureError, match="does not match"):
        figures.parse_record(bad)
    with pytest.raises(figures.FigureError, match="no figure record"):
        figures.parse_record(None)
    with pytest.raises(figures.FigureError, match="not a valid marking"):
        figures.parse_record(rec.to_json().replace("SECRET//NOFORN", "SECRET//BOGUS"))


def test_hstc_figure_renders_offscreen_and_prints_the_marking(demo_copy: Path,
                                                               tmp_path: Path) -> None:
    env = {**os.environ, "HSTC_PASSWORD": ANALYST_PW}
    for view, out in (("map", tmp_path / "fig.png"), ("timeline", tmp_path / "fig.svg")):
        r = subprocess.run([HSTC, "figure", str(demo_copy), "--user", ANALYST, "--view", view,
                            "--out", str(out), "--width", "900", "--height", "600"],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        banner = r.stdout.splitlines()[0]
        assert read_record(out).banner == banner == markings.parse(banner).banner()
        assert r.stderr == ""
    # the output guard: never over a file without --force, never into the store
    r = subprocess.run([HSTC, "figure", str(demo_copy), "--user", ANALYST, "--view", "map",
                        "--out", str(tmp_path / "fig.png")], capture_output=True, text=True,
                       env=env, timeout=300)
    assert r.returncode == 1 and "fig.png" in r.stderr
    r = subprocess.run([HSTC, "figure", str(demo_copy), "--user", ANALYST, "--view", "map",
                        "--out", str(demo_copy / "x.png")], capture_output=True, text=True,
                       env=env, timeout=300)
    assert r.returncode == 1 and "store" in r.stderr
    assert not (demo_copy / "x.png").exists()
    r = subprocess.run([HSTC, "figure", str(demo_copy), "--user", ANALYST, "--view", "map",
                        "--out", str(tmp_path / "w.png")], capture_output=True, text=True,
                       env={**os.environ, "HSTC_PASSWORD": "wrong"}, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr and not (tmp_path / "w.png").exists()
