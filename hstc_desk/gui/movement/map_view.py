"""The route map: Natural Earth under directed, weighted leg arrows, with playback.

Legs are grouped in SQL by (from, to, network or mode); each group is one arc whose width class
shows how often the leg was used and whose colour shows the network or mode (Okabe-Ito, with a
legend). The basemap is drawn once: land as one filled path, coastlines and borders as one curve
each. The banner is the roll-up of the legs and places drawn. Playback walks a time cursor over
the range and shows the legs of the trailing window, moving the timeline's cursor with it.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QPainterPath,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.gui.movement import map_basemap
from hstc_desk.gui.movement.picking import pointer
from hstc_desk.gui.widgets.banner import BannerBar
from hstc_desk.markings import destinations
from hstc_desk.movement import basemap, figures, leg_table, ribbons, routes
from hstc_desk.movement import query as mq
from hstc_desk.store import Store
from hstc_desk.store.browse import titles_of

MODES = ("air", "sea", "land", "river", "foot")
SPEEDS = (("1 hour/s", 3600), ("1 day/s", 86400), ("1 week/s", 7 * 86400),
          ("1 month/s", 30 * 86400), ("1 year/s", 365 * 86400))
TICK_MS = 100
TRAIL = 30 * 86400
MAX_GROUPS = 600
LABELS = 14
LABEL_GAP = 5
"""Pixels between a place's dot and its name."""
ADJUST = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon  # a narrow dock fits


CASING = "#3a3a3a"
HEAD = 7
"""An arrowhead's size in pixels, plus 0.6 of its ribbon's width."""
HEAD_ROOM = 56
"""The shortest arrow on screen, in pixels, that carries a head."""


def head_symbol(angle: float) -> QPainterPath:
    """A triangle pointing ``angle`` degrees clockwise from east (screen, y down), in steps of
    ten degrees so the scatter's symbol atlas holds at most 36 of them."""
    return _head(round(angle / 10) * 10 % 360)


@functools.cache
def _head(angle: int) -> QPainterPath:
    path = QPainterPath()
    path.moveTo(0.55, 0.0)
    path.lineTo(-0.45, -0.42)
    path.lineTo(-0.2, 0.0)
    path.lineTo(-0.45, 0.42)
    path.closeSubpath()
    return QTransform().rotate(angle).map(path)


class MapView(QWidget):
    """The route map over a store, under the signed-in user's clearance.

    Signals: ``item_selected(item_id)`` when a place is clicked; ``route_selected(from, to)``
    when an arrow is; ``cursor_moved(t)`` as playback walks time (Unix seconds).
    """

    item_selected = Signal(str)
    route_selected = Signal(str, str)
    cursor_moved = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.store = store
        self.flt = mq.MovementFilter(kinds=("route_leg",))
        self.colour_by: mq.LegBy = "network"
        self.groups: list[mq.LegGroup] = []
        self.places: dict[str, mq.Place] = {}
        self.key_titles: dict[str, tuple[str, str, str]] = {}
        self.key_colours: dict[str | None, str] = {}
        self.selected: str | None = None
        self.cursor: int | None = None
        self._curves: dict[tuple[str, float], pg.PlotCurveItem] = {}
        self._casings: dict[tuple[str, float], pg.PlotCurveItem] = {}
        self._layout = ribbons.layout([], {}, {}, [])
        self._drawn_scale = 1.0
        self._heads_shown: np.ndarray | None = None
        self._place_info: list[tuple[str, str, str | None]] = []
        self._stripe_info: list[tuple[str, str, str | None]] = []
        self._place_hits = np.empty((0, 2))
        self._labels: list[pg.TextItem] = []
        self.label_places: list[str] = []  # the place each shown name names, in order
        probe = pg.TextItem("")
        self._metrics = QFontMetricsF(probe.textItem.font())  # the names' font
        self._legend_shown: list[tuple[str, str]] = []
        # what a mode filter, a colouring or a zoom reuses: the legs grouped once per filter
        # (modes aside), and the places and network titles already read, for one version of
        # the store's data
        self._table: leg_table.LegTable | None = None
        self._table_key: tuple | None = None
        self._base: leg_table.LegTable | None = None
        self._base_key: tuple | None = None
        self._seen: dict[tuple[str | None, str], mq.Place | None] = {}
        self._titles_seen: dict[str, tuple[str, str, str] | None] = {}
        self._seen_version: tuple[int, int] | None = None
        self._busiest: tuple[leg_table.LegTable, tuple, list[str | None], int] | None = None
        self._others = 0
        self._lent: dict[str | None, str] = {}  # colours lent while playing (network: colour)
        self._hits = np.empty((0, 2))
        self._hit_info: list[tuple[str, str, str | None]] = []  # (tip, item or from, to)

        # the view's own banners (what it shows), named apart from its window's
        self.top = BannerBar(self, name="mapTopBanner")
        self.bottom = BannerBar(self, name="mapBottomBanner")
        self.colour_box = QComboBox(self, objectName="colourBy")
        self.colour_box.addItem("Colour: network", "network")
        self.colour_box.addItem("Colour: mode", "mode")
        self.mode_box = QComboBox(self, objectName="modeFilter")
        self.mode_box.addItem("Any mode", None)
        for m in MODES:
            self.mode_box.addItem(m, m)
        self.view_as = QComboBox(self, objectName="viewAs")
        self.view_as.addItem("View as: this desk", None)
        for code in sorted(destinations()):
            self.view_as.addItem(f"View as: {code}", code)
        self.status = QLabel(self, objectName="mapStatus")

        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("mapPlot")
        self.plot.setBackground("#dde8f0")
        self.plot.setAspectLocked(True)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        # both scales, drawn by zoom (map_basemap: 110m far out, 50m tiles closer in)
        self._basemaps: dict[str, list[QGraphicsPathItem]] = {}
        for scale in basemap.SCALES:
            self._basemaps[scale] = map_basemap.items(scale)
            for item in self._basemaps[scale]:
                self.plot.addItem(item)
        self._scale = ""
        self._pick_scale()
        self.sites = pg.ScatterPlotItem(size=7, pen=pg.mkPen("#333333"), brush=pg.mkBrush("w"))
        self.sites.setZValue(20)
        self.plot.addItem(self.sites)
        self.heads = pg.ScatterPlotItem(pen=pg.mkPen(CASING, width=1.2), brush=pg.mkBrush("w"),
                                        pxMode=True)
        self.heads.setZValue(18)
        self.plot.addItem(self.heads)
        self.highlight = pg.ScatterPlotItem(size=18, pen=pg.mkPen("#000000", width=2),
                                            brush=None)
        self.highlight.setZValue(30)
        self.plot.addItem(self.highlight)
        self.plot.getViewBox().setLimits(xMin=-180, xMax=180, yMin=-90, yMax=90)
        self.legend = pg.LegendItem(offset=(6, 6), labelTextSize="8pt", verSpacing=-2,
                                    brush=pg.mkBrush(255, 255, 255, 245),
                                    labelTextColor="#222222",
                                    pen=pg.mkPen("#999999"))
        self.legend.setParentItem(self.plot.getPlotItem().getViewBox())
        self.legend.setZValue(100)  # over place names

        self.play = QPushButton("Play", self, objectName="playButton")
        self.play.setCheckable(True)
        self.speed = QComboBox(self, objectName="playSpeed")
        for label, seconds in SPEEDS:
            self.speed.addItem(label, seconds)
        self.speed.setCurrentIndex(2)
        self.slider = QSlider(Qt.Orientation.Horizontal, self, objectName="playSlider")
        self.slider.setRange(0, 1000)
        self.when = QLabel(self, objectName="playTime")
        self._span = (0, 1)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        # a zoom or a pan moves only the view: the basemap's scale is picked and the names are
        # culled again; nothing is asked of the store
        self.plot.getViewBox().sigRangeChanged.connect(lambda *_: self._view_moved())
        self._traffic: dict[str, int] = {}

        for box in (self.colour_box, self.mode_box, self.view_as):
            box.setSizeAdjustPolicy(ADJUST)
            box.setMinimumContentsLength(10)
        # The count may be cut rather than widen the dock past a 1280-pixel screen's half.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(80)
        tools = QHBoxLayout()
        for w in (self.colour_box, self.mode_box, self.view_as):
            tools.addWidget(w)
        tools.addStretch(1)
        tools.addWidget(self.status)
        playback = QHBoxLayout()
        for w in (self.play, self.speed):
            playback.addWidget(w)
        playback.addWidget(self.slider, 1)
        playback.addWidget(self.when)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.top)
        layout.addLayout(tools)
        layout.addWidget(self.plot, 1)
        layout.addLayout(playback)
        layout.addWidget(self.bottom)

        self.colour_box.currentIndexChanged.connect(self._refilter)
        self.mode_box.currentIndexChanged.connect(self._refilter)
        self.view_as.currentIndexChanged.connect(self._refilter)
        self.play.toggled.connect(self._play_toggled)
        self.slider.valueChanged.connect(self._slid)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self._fitted = False
        self.set_range(None, None)

    # ---- what is shown ----------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        """Let go of the store (a lock: arrows, places and labels go) or draw a new one."""
        self.stop()
        self._forget()
        if store is None:
            for curve in self._curves.values():
                curve.setData([], [])
            for label in self._labels:
                label.setVisible(False)
            for casing in self._casings.values():
                casing.setData([], [])
            self.sites.setData([], [])
            self.heads.setData([], [])
            self.highlight.setData([], [])
            self.legend.clear()
            self._legend_shown = []
            self.groups, self.places = [], {}
            self._layout = ribbons.layout([], {}, {}, [])
            self._traffic = {}
            self._hits, self._hit_info = np.empty((0, 2)), []
            return
        self.store = store
        self.redraw()

    def set_range(self, t0: int | None, t1: int | None) -> None:
        """Show legs overlapping [t0, t1] (the timeline's brush); None is all of time."""
        self.stop()
        self.cursor = None
        self.flt = self.flt.between(t0, t1)
        span = mq.extent(self.store, self.flt)
        self._span = span if span else (0, 1)
        self.slider.blockSignals(True)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self.redraw()

    def set_filter(self, *, networks: tuple[str, ...] = (), cases: tuple[str, ...] = ()) -> None:
        from dataclasses import replace

        self.flt = replace(self.flt, networks=networks, cases=cases)
        self.redraw()

    def _refilter(self) -> None:
        from dataclasses import replace

        self.colour_by = self.colour_box.currentData()
        mode = self.mode_box.currentData()
        self.flt = replace(self.flt, modes=(mode,) if mode else (),
                           destination=self.view_as.currentData())
        self.redraw()

    def shown_filter(self) -> mq.MovementFilter:
        """The filter of what is drawn now: the playback window while playing."""
        if self.cursor is None:
            return self.flt
        return self.flt.between(self.cursor - TRAIL, self.cursor)

    def _forget(self) -> None:
        self._table = self._base = None
        self._table_key = self._base_key = None
        self._seen, self._titles_seen = {}, {}

    def _version(self) -> tuple[int, int]:
        """Changes to the store's data: this connection's own and other connections' commits."""
        conn = self.store.conn
        return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def _tables(self, flt: mq.MovementFilter, version: tuple[int, int]
                ) -> tuple[leg_table.LegTable, leg_table.LegTable]:
        """The legs grouped for ``flt`` (its modes aside) and for the view's whole filter (the
        base that fixes which networks or modes get a colour), each asked once per version."""
        if version != self._seen_version:
            self._forget()
            self._seen_version = version
        key = replace(self.flt, modes=())
        if self._base is None or self._base_key != key:
            self._base, self._base_key = leg_table.load(self.store, key), key
        key = replace(flt, modes=())
        if key == self._base_key:
            return self._base, self._base
        if self._table is None or self._table_key != key:
            self._table, self._table_key = leg_table.load(self.store, key), key
        return self._table, self._base

    def _places_of(self, ends: set[str], destination: str | None) -> dict[str, mq.Place]:
        """``query.places``, reading only the places not read before."""
        new = sorted(e for e in ends if (destination, e) not in self._seen)
        if new:
            got = mq.places(self.store, new, destination=destination)
            for e in new:
                self._seen[(destination, e)] = got.get(e)
        out = {}
        for e in ends:
            p = self._seen[(destination, e)]
            if p is not None:
                out[e] = p
        return out

    def _titles_of(self, ids: list[str]) -> dict[str, tuple[str, str, str]]:
        new = [i for i in ids if i not in self._titles_seen]
        if new:
            got = titles_of(self.store, new)
            for i in new:
                self._titles_seen[i] = got.get(i)
        return {i: t for i in ids if (t := self._titles_seen[i]) is not None}

    def redraw(self) -> None:
        """Draw what the filter shows. The legs come from one grouped query per filter (modes
        aside); a mode filter, a colouring and a playback window already read regroup them in
        memory. The banner is the roll-up of exactly what is drawn: the legs of the arrows,
        the places at their ends and the networks named in the legend."""
        if self.store.conn is None:
            return
        flt = self.shown_filter()
        table, base = self._tables(flt, self._version())
        ends = {e for r in base.routes for e in r if e} | {e for r in table.routes for e in r if e}
        known = self._places_of(ends, flt.destination)
        # a route is drawn only between places this view may show
        rows = table.mask(flt.modes, set(known))
        colours_n = len(routes.PALETTE) - 1
        # who gets a colour is fixed by the whole view (no mode filter, no playback window), so
        # a network keeps its colour while the analyst filters and plays
        busy_key = (self.colour_by, frozenset(known))
        if self._busiest is None or self._busiest[0] is not base or self._busiest[1] != busy_key:
            everything = base.mask((), set(known))
            self._busiest = (base, busy_key, base.busiest(self.colour_by, everything, colours_n),
                             base.keys_in(self.colour_by, everything))
        keep = self._busiest[2]
        colours = routes.colours_for(keep)
        if self.colour_by == "mode":
            colours = {k: routes.MODE_COLOURS.get(k or "", routes.PALETTE[-1]) for k in colours}
        elif self.cursor is not None:
            keep, colours = self._playing_colours(table, rows, keep, colours)
        else:
            self._lent = {}
        groups, which = table.groups(self.colour_by, rows, keep=keep)
        # how many networks or modes in view the legend's "other" merges
        self._others = (table.keys_in(self.colour_by, rows)
                        - len({g.key for g in groups} - {routes.OTHER}))
        self.groups = groups[:MAX_GROUPS]
        self.places = {e: known[e] for g in self.groups for e in (g.loc_from, g.loc_to)}
        self.key_colours = colours
        keys = [k for k in [*keep, routes.OTHER] if any(g.key == k for g in self.groups)]
        networks = ([k for k in keys if k and k != routes.OTHER]
                    if self.colour_by == "network" else [])
        self.key_titles = self._titles_of(networks)
        self._layout = ribbons.layout(self.groups, self.places, colours, keep)
        shown = np.zeros(len(self.groups) + 1, dtype=bool)  # which == -1: the last, False
        shown[self._layout.drawn] = True
        drawn = rows & shown[np.minimum(which, len(self.groups))]  # the legs of stripes drawn
        self._draw_sites()
        labels = {k: self._key_label(k) for k in {g.key for g in self.groups}}
        self._stripe_info = []
        for i in self._layout.drawn:
            g = self.groups[i]
            a, b = self.places[g.loc_from], self.places[g.loc_to]
            self._stripe_info.append((f"{g.count:,} legs {a.title} to {b.title} "
                                      f"({labels[g.key]})", g.loc_from, g.loc_to))
        self._draw_ribbons()
        self._draw_legend(keys, colours)
        found = (table.markings_of(drawn) + [p.marking for p in self.places.values()]
                 + [m for _, _, m in self.key_titles.values()])
        banner = (markings.rollup([markings.parse(m) for m in set(found)]).banner()
                  if found else "UNCLASSIFIED")
        for bar in (self.top, self.bottom):
            bar.set_marking(markings.parse(banner))
        legs = sum(self.groups[i].count for i in self._layout.drawn)
        hidden = sum(g.count for g in groups[MAX_GROUPS:])
        self.status.setText(f"{legs:,} legs on {len(self._layout.routes):,} routes"
                            + (f" ({hidden:,} on quieter routes not drawn)" if hidden else ""))
        self._draw_highlight()

    def _playing_colours(self, table: leg_table.LegTable, rows: np.ndarray,
                         keep: list[str | None], colours: dict[str | None, str]
                         ) -> tuple[list[str | None], dict[str | None, str]]:
        """While playing: the view's coloured networks keep their colours; a colour whose
        network has no leg in the window is lent to the window's busiest uncoloured network,
        which keeps it for as long as it stays in the window (so nothing changes colour from
        one step to the next while it is on the map)."""
        present = table.busiest(self.colour_by, rows, len(table.networks))
        here = set(present)
        out = {k: colours[k] for k in keep if k in here}
        for k, c in self._lent.items():
            if k in here and c not in out.values() and len(out) < len(keep):
                out[k] = c
        free = [c for c in routes.PALETTE[:len(keep)] if c not in out.values()]
        for k in present:
            if not free:
                break
            if k not in out:
                out[k] = free.pop(0)
        self._lent = {k: c for k, c in out.items() if k not in keep}
        out[routes.OTHER] = colours[routes.OTHER]
        return [k for k in out if k != routes.OTHER], out

    def _per_degree(self) -> float:
        vb = self.plot.getViewBox()
        (x0, x1), _ = vb.viewRange()
        return vb.width() / max(x1 - x0, 1e-9)

    def _draw_ribbons(self) -> None:
        """The ribbons at the current scale: one curve per (colour, stripe width), a dark
        casing per ribbon width under them (so pale colours read on pale land and ribbons
        stay apart where they cross), white heads on the ribbons long enough to carry one.
        Every item is made once and refilled; a zoom calls this again, a pan does not."""
        lay = self._layout
        self._drawn_scale = per_degree = self._per_degree()
        x, y = ribbons.geometry(lay, per_degree)
        sets: dict[tuple[str, float], list[int]] = {}
        for i, key in enumerate(zip(lay.stripe_colour, lay.stripe_width.tolist(), strict=True)):
            sets.setdefault(key, []).append(i)
        self._fill(self._curves, sets, x, y, lambda c, w: (c, w, 10.0))
        cx, cy = ribbons.centre_lines(lay)
        casings: dict[tuple[str, float], list[int]] = {}
        for r, w in enumerate(lay.width.tolist()):
            casings.setdefault((CASING, w + 2), []).append(r)
        self._fill(self._casings, casings, cx, cy, lambda c, w: (c, w, 4.0))
        mid = ribbons.STEPS // 2
        stripes = np.column_stack([x[:, mid], y[:, mid]]).reshape(-1, 2)
        self._hits = np.vstack([self._place_hits, stripes])
        self._hit_info = self._place_info + self._stripe_info
        self._heads_shown = None
        self._show_heads()

    def _fill(self, pool: dict[tuple[str, float], pg.PlotCurveItem],
              sets: dict[tuple[str, float], list[int]], x: np.ndarray, y: np.ndarray,
              style: object) -> None:
        for (colour, width), rows in sets.items():
            curve = pool.get((colour, width))
            if curve is None:
                c, w, z = style(colour, width)  # type: ignore[operator]
                curve = pool[(colour, width)] = pg.PlotCurveItem(
                    connect="finite", pen=pg.mkPen(c, width=w))
                curve.setZValue(z)
                self.plot.addItem(curve)
            curve.setData(*ribbons.polyline(x, y, rows), connect="finite")
        for key, curve in pool.items():
            if key not in sets and curve.xData is not None and len(curve.xData):
                curve.setData([], [])

    def _show_heads(self) -> None:
        """Heads only on ribbons long enough on screen to carry one (at this zoom), so short
        hops between close places are plain ribbons, not a pile of triangles."""
        lay = self._layout
        long_enough = (np.hypot(lay.ends[:, 2] - lay.ends[:, 0], lay.ends[:, 3] - lay.ends[:, 1])
                       * self._per_degree() >= HEAD_ROOM)
        if self._heads_shown is not None and np.array_equal(long_enough, self._heads_shown):
            return
        self._heads_shown = long_enough
        rows = np.flatnonzero(long_enough)
        hx, hy, angle = ribbons.heads(lay)
        self.heads.setData(x=hx[rows], y=hy[rows],
                           symbol=[head_symbol(a) for a in angle[rows].tolist()],
                           size=np.round(HEAD + 0.6 * lay.width[rows]).tolist())

    def _draw_sites(self) -> None:
        traffic: dict[str, int] = {}
        for g in self.groups:
            for end in (g.loc_from, g.loc_to):
                traffic[end] = traffic.get(end, 0) + g.count
        self._traffic = traffic
        shown = list(self.places.values())
        self.sites.setData([p.lon for p in shown], [p.lat for p in shown])
        self._place_labels()
        self._place_info: list[tuple[str, str, str | None]] = [
            (f"{p.marking} {p.title}", p.item_id, None) for p in shown]
        self._place_hits = np.array([(p.lon, p.lat) for p in shown], dtype=float).reshape(-1, 2)

    def _pick_scale(self) -> None:
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        scale = "110m" if x1 - x0 > map_basemap.DETAIL else "50m"
        if scale != self._scale:
            self._scale = scale
            for name, drawn in self._basemaps.items():
                for item in drawn:
                    item.setVisible(name == scale)

    def _view_moved(self) -> None:
        self._pick_scale()
        if abs(self._per_degree() - self._drawn_scale) > 1e-6 * self._drawn_scale:
            self._draw_ribbons()  # a zoom: stripes are pixels apart, placed anew
        self._place_labels()

    def _place_labels(self) -> None:
        """Name the busiest places in view, skipping any label that would overlap one already
        placed (at the current zoom), so names never run into each other. The labels are made
        once and moved."""
        vb = self.plot.getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        px = vb.width() / max(x1 - x0, 1e-9)
        py = vb.height() / max(y1 - y0, 1e-9)
        taken: list[tuple[float, float, float, float]] = []
        if self.legend.isVisible() and self.legend.items:  # no name hides under the legend
            pos, size = self.legend.pos(), self.legend.boundingRect()
            left, top = x0 * px + pos.x(), y1 * py - pos.y()
            taken.append((left, top - size.height(), left + size.width(), top))
        # no name covers another place's dot (its own sits at the name's lower left)
        dots = [(p.lon * px - 5, p.lat * py - 5, p.lon * px + 5, p.lat * py + 5, p.item_id)
                for p in self.places.values() if x0 <= p.lon <= x1 and y0 <= p.lat <= y1]
        busiest = sorted(self.places.values(),
                         key=lambda p: (-self._traffic.get(p.item_id, 0), p.title))
        used = 0
        for p in busiest:
            if used >= LABELS:
                break
            if not (x0 <= p.lon <= x1 and y0 <= p.lat <= y1):
                continue
            text = p.title.split(",")[0]
            # the name's box on screen (y up), just right of and above its dot
            left, bottom = p.lon * px + LABEL_GAP, p.lat * py + 1
            box = (left, bottom, left + self._metrics.horizontalAdvance(text) + 8,
                   bottom + self._metrics.height() + 8)
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                   for b in taken):
                continue
            if any(box[0] < d[2] and d[0] < box[2] and box[1] < d[3] and d[1] < box[3]
                   and d[4] != p.item_id for d in dots):
                continue
            taken.append(box)
            if used == len(self._labels):
                # a pale halo keeps the name legible over arrows and coastlines
                label = pg.TextItem("", color="#1a1a1a", anchor=(0, 1),
                                    fill=pg.mkBrush(255, 255, 255, 200))
                label.setZValue(25)
                self.plot.addItem(label)
                self._labels.append(label)
            label = self._labels[used]
            if label.toPlainText() != text:
                label.setText(text)
            label.setPos(p.lon + LABEL_GAP / px, p.lat + 1 / py)
            label.setVisible(True)
            self.label_places[used:used + 1] = [p.item_id]
            used += 1
        for label in self._labels[used:]:
            label.setVisible(False)
        del self.label_places[used:]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # once the view has its size: the aspect-locked fit needs it
            self._fitted = True
            QTimer.singleShot(0, self.fit)
            QTimer.singleShot(150, self.fit)  # again once a dock has laid itself out

    def fit(self) -> None:
        """Zoom to the places drawn (the whole world when there are none)."""
        if not self.places:
            self.plot.setRange(xRange=(-180, 180), yRange=(-60, 80), padding=0)
            return
        lons = [p.lon for p in self.places.values()]
        lats = [p.lat for p in self.places.values()]
        pad = max(3.0, (max(lons) - min(lons)) * 0.08)
        self.plot.setRange(xRange=(min(lons) - pad, max(lons) + pad),
                           yRange=(min(lats) - pad, max(lats) + pad), padding=0)

    def _key_label(self, key: str | None) -> str:
        if key == routes.OTHER:
            return "other networks" if self.colour_by == "network" else "other modes"
        if key is None:
            return "no network" if self.colour_by == "network" else "no mode"
        if self.colour_by == "mode":
            return key
        return self.key_titles.get(key, ("", key, ""))[1]

    def _draw_legend(self, keys: list[str | None], colours: dict[str | None, str]) -> None:
        """The legend, rebuilt only when what it names changes."""
        rows = []
        for key in sorted(keys, key=lambda k: k == routes.OTHER):
            kind = "networks" if self.colour_by == "network" else "modes"
            label = (f"{self._others:,} other {kind}" if key == routes.OTHER
                     else self._key_label(key))
            if len(label) > 24:  # the legend must not hide the map in a narrow dock
                label = label[:23].rstrip() + "…"
            rows.append((colours[key], label))
        if rows == self._legend_shown:
            return
        self._legend_shown = rows
        # rows are kept and repainted in place (a new row costs more than a redraw)
        while len(self.legend.items) > len(rows):
            self.legend.removeItem(self.legend.items[-1][0].item)
        for (sample, label), (colour, text) in zip(self.legend.items, rows, strict=False):
            sample.item.setPen(pg.mkPen(colour, width=3))
            sample.update()
            if label.text != text:
                label.setText(text)
        for colour, text in rows[len(self.legend.items):]:
            self.legend.addItem(pg.PlotDataItem(pen=pg.mkPen(colour, width=3)), text)
        self.legend.updateSize()

    # ---- export -----------------------------------------------------------------------------

    def figure_record(self) -> figures.FigureRecord:
        """The marking and items of what the map shows now: legs between drawn places, and
        the places."""
        flt = self.shown_filter()
        ids = mq.item_ids(self.store, flt, places=sorted(self.places))
        return figures.record("map", self.top.text(), ids,
                              {**mq.filter_record(flt), "colour_by": self.colour_by})

    def export(self, path: Path) -> figures.FigureRecord:
        """Write the map, banners top and bottom, to ``path`` (.png or .svg)."""
        from hstc_desk.gui.movement.export import export_plot

        return export_plot(self.plot, self.figure_record(), path)

    # ---- selection and hover ----------------------------------------------------------------

    def select(self, item_id: str | None) -> None:
        """Highlight a place, or a leg's route (selected elsewhere)."""
        self.selected = item_id
        self._draw_highlight()

    def _draw_highlight(self) -> None:
        item = self.selected
        points: list[tuple[float, float]] = []
        if item and item in self.places:
            p = self.places[item]
            points = [(p.lon, p.lat)]
        elif item and item.startswith("LEG-") and self.store.conn is not None:
            row = self.store.conn.execute(
                "SELECT m.loc_from, m.loc_to FROM movement m JOIN items i ON i.rid = m.rid "
                "WHERE i.id = ?", (item,)).fetchone()
            if row:
                points = [(self.places[e].lon, self.places[e].lat) for e in row
                          if e in self.places]
        self.highlight.setData([x for x, _ in points], [y for _, y in points])

    def _nearest(self, scene_pos: QPointF) -> int | None:
        at = pointer(self.plot, scene_pos) if len(self._hits) else None
        if at is None:
            return None
        p, sx, sy = at
        d = np.hypot((self._hits[:, 0] - p.x()) * sx, (self._hits[:, 1] - p.y()) * sy)
        i = int(np.argmin(d))
        return i if d[i] <= 9 else None

    def _hover(self, scene_pos: QPointF) -> None:
        i = self._nearest(scene_pos)
        if i is None:
            QToolTip.hideText()
            return
        at = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos).toPoint())
        QToolTip.showText(at, self._hit_info[i][0], self.plot)

    def _clicked(self, event: object) -> None:
        i = self._nearest(event.scenePos())  # type: ignore[attr-defined]
        if i is None:
            return
        _, first, second = self._hit_info[i]
        if second is None:
            self.select(first)
            self.item_selected.emit(first)
        else:
            self.route_selected.emit(first, second)

    # ---- playback ---------------------------------------------------------------------------

    def stop(self) -> None:
        self.play.setChecked(False)

    def _play_toggled(self, on: bool) -> None:
        self.play.setText("Pause" if on else "Play")
        if on:
            if self.cursor is None or self.cursor >= self._span[1]:
                self.step_to(self._span[0])
            self._timer.start()
        else:
            self._timer.stop()

    def _tick(self) -> None:
        assert self.cursor is not None
        step = int(self.speed.currentData() * TICK_MS / 1000)
        nxt = self.cursor + step
        if nxt >= self._span[1]:
            self.step_to(self._span[1])
            self.stop()
        else:
            self.step_to(nxt)

    def step_to(self, t: int) -> None:
        """Put the playback cursor at ``t``: the map shows the legs of the trailing window."""
        a, b = self._span
        self.cursor = max(a, min(int(t), b))
        self.slider.blockSignals(True)
        self.slider.setValue(int(1000 * (self.cursor - a) / max(b - a, 1)))
        self.slider.blockSignals(False)
        from datetime import UTC, datetime

        self.when.setText(datetime.fromtimestamp(self.cursor, UTC).strftime("%Y-%m-%d %H:%M UTC"))
        self.redraw()
        self.cursor_moved.emit(self.cursor)

    def _slid(self, value: int) -> None:
        a, b = self._span
        self.step_to(a + (b - a) * value // 1000)
