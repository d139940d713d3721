"""The timeline: events as points, route legs as spans and reports as ticks, in lanes.

Draws what ``hstc_desk.movement.timeline.frame`` returns for the visible window: the items
themselves when they fit, per-lane densities when they do not, so a zoom or a pan never draws
more than a screenful. One item per mark type (STYLE: one scatter, one curve with a connect
array), re-filled with ``setData`` on every frame. The banner above and below is the roll-up of
what the window holds; an overview histogram under it carries the range brush.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.gui.movement.picking import pointer
from hstc_desk.gui.movement.timeline_axis import TimeAxis
from hstc_desk.gui.widgets.banner import BannerBar
from hstc_desk.markings import destinations
from hstc_desk.movement import bins, figures
from hstc_desk.movement import query as mq
from hstc_desk.movement.local_time import local_time
from hstc_desk.movement.timeline import OTHER, Frame, frame, lane_rows
from hstc_desk.movement.timeline_cache import FrameCache
from hstc_desk.store import Store
from hstc_desk.store.browse import titles_of

# Okabe-Ito: told apart by the common kinds of colour blindness.
KIND_COLOURS = {"event": "#0072B2", "route_leg": "#E69F00", "report": "#009E73"}
LANE_CHOICES = (("Case", "case"), ("Network", "network"), ("Person", "person"), ("Kind", "kind"))
ZONES = (("UTC", "utc"), ("Workstation time", "local"), ("Each item's local time", "item"))
REDRAW_MS = 30
ADJUST = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon  # a narrow dock fits
MARK_PX = 4  # a lane with more than one mark per this many pixels is drawn as densities
BAND_ROWS = 8  # image rows per lane in the density: a white one above and below its band
_KIND_CODE = {"event": 0, "route_leg": 1, "report": 2}


class TimelineView(QWidget):
    """The movement timeline over a store, under the signed-in user's clearance.

    Signals: ``item_selected(item_id)`` when the analyst clicks a mark; ``range_selected(t0, t1)``
    when the brush under the timeline moves (Unix seconds; the browser and the map filter by it).
    """

    item_selected = Signal(str)
    range_selected = Signal(int, int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.store = store
        self.cache = FrameCache(store)  # what the pyramid said, for the next zoom or pan
        self.flt = mq.MovementFilter()
        self.by: mq.LaneBy = "case"
        self.rows: list[str | None] = []
        self.lane_titles: dict[str, tuple[str, str, str]] = {}
        self._banners: dict[str, str] = {}  # a frame's banner -> rolled up with the labels
        self.current: Frame | None = None
        self.selected: str | None = None
        self.max_marks = 4000  # past this many in the window, draw densities
        self._xy = np.empty((0, 2))
        self._spans = np.empty((0, 2))
        self._rids = np.empty(0, dtype=np.int64)  # row ids of the marks drawn, as in _xy
        self._selected_rid: int | None = None

        # the view's own banners (what it shows), named apart from its window's
        self.top = BannerBar(self, name="timelineTopBanner")
        self.bottom = BannerBar(self, name="timelineBottomBanner")
        self.lane_box = QComboBox(self, objectName="laneBy")
        for label, key in LANE_CHOICES:
            self.lane_box.addItem(label, key)
        self.zone_box = QComboBox(self, objectName="timeZone")
        for label, key in ZONES:
            self.zone_box.addItem(label, key)
        self.view_as = QComboBox(self, objectName="timelineViewAs")
        self.view_as.addItem("View as this workstation", None)
        for code in sorted(destinations()):
            self.view_as.addItem(f"View as {code}", code)
        self.fit_button = QPushButton("Fit", self, objectName="fitTimeline")
        self.status = QLabel(self, objectName="timelineStatus")

        self.axis = TimeAxis(orientation="bottom", utcOffset=0)
        self.lane_axis = pg.AxisItem(orientation="left")
        # the lane names change with the lanes, not with a zoom: paint them from a cache
        self.lane_axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for axis in (self.axis, self.lane_axis):  # dark text: pyqtgraph's grey reads faintly
            axis.setTextPen("#222")
        self.plot = pg.PlotWidget(self, axisItems={"bottom": self.axis, "left": self.lane_axis})
        self.plot.setObjectName("timelinePlot")
        self.plot.setBackground("w")
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        vb = self.plot.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        vb.invertY(True)
        self.density = pg.ImageItem(axisOrder="row-major")
        # one hue, light to dark: density reads as "more", never as a category; an empty
        # bucket is white, so where nothing happened reads as nothing
        self.density.setColorMap(pg.ColorMap([0.0, 0.02, 1.0],
                                             [(255, 255, 255), (198, 219, 239), (8, 48, 107)]))
        self.legs = pg.PlotCurveItem(pen=pg.mkPen(KIND_COLOURS["route_leg"], width=3),
                                     connect="pairs")
        # events as dots: round-capped strokes a fraction of a pixel long, one path for all
        # (a ScatterPlotItem spends 4x as long looking up each spot's style)
        dot = pg.mkPen(KIND_COLOURS["event"], width=8)
        dot.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.events = pg.PlotCurveItem(pen=dot, connect="pairs")
        # an event known only roughly: its whole window, pale, never a false point
        self.windows = pg.PlotCurveItem(pen=pg.mkPen(QColor(0, 114, 178, 90), width=7),
                                        connect="pairs")
        self.reports = pg.ScatterPlotItem(size=12, symbol="t1", pen=None,
                                          brush=pg.mkBrush(KIND_COLOURS["report"]))
        self.highlight = pg.ScatterPlotItem(size=16, pen=pg.mkPen("#000000", width=2),
                                            brush=None)
        self.cursor = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen("#D55E00", width=2))
        self.cursor.hide()
        for item in (self.density, self.windows, self.legs, self.events, self.reports,
                     self.highlight, self.cursor):
            self.plot.addItem(item)

        self.overview = pg.PlotWidget(self, axisItems={
            "bottom": TimeAxis(orientation="bottom", utcOffset=0)})
        self.overview.setObjectName("timelineOverview")
        self.overview.getAxis("bottom").setTextPen("#222")
        self.overview.setBackground("w")
        self.overview.setMaximumHeight(90)
        self.overview.getViewBox().setMouseEnabled(x=False, y=False)
        self.overview.hideAxis("left")
        self.bars = pg.PlotCurveItem(x=np.array([0.0, 1.0]), y=np.array([0.0]),
                                     stepMode="center", fillLevel=0,
                                     brush=pg.mkBrush("#9ab"), pen=pg.mkPen("#567"))
        self.overview.addItem(self.bars)
        self.brush = pg.LinearRegionItem(brush=pg.mkBrush(0, 114, 178, 40))
        self.brush.setZValue(10)
        self.overview.addItem(self.brush)

        for box in (self.lane_box, self.zone_box, self.view_as):
            box.setSizeAdjustPolicy(ADJUST)
            box.setMinimumContentsLength(10)
        self.view_as.setMinimumContentsLength(14)  # the open list shows each choice whole
        # The count may be cut rather than widen the dock past a 1280-pixel screen's half.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(80)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Lanes by", self))
        tools.addWidget(self.lane_box)
        tools.addWidget(QLabel("Times in", self))
        tools.addWidget(self.zone_box)
        tools.addWidget(self.view_as)
        tools.addWidget(self.fit_button)
        tools.addStretch(1)
        tools.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.top)
        layout.addLayout(tools)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.overview)
        layout.addWidget(self.bottom)

        self._timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        # reads the finer pyramid widths ahead, a block or two each time the loop is idle, so
        # the first zoom into days finds them in memory
        self._extent: tuple[int, int] | None = None
        self._prefetch = QTimer(self, singleShot=True, interval=0)
        self._prefetch.timeout.connect(self._read_ahead)
        vb.sigXRangeChanged.connect(lambda *_: self._timer.start())
        self.lane_box.currentIndexChanged.connect(self._lanes_changed)
        self.zone_box.currentIndexChanged.connect(self._zone_changed)
        self.fit_button.clicked.connect(self.fit)
        self.view_as.currentIndexChanged.connect(
            lambda: self.set_filter(replace(self.flt, destination=self.view_as.currentData())))
        self.brush.sigRegionChangeFinished.connect(self._brushed)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.set_filter(self.flt)

    # ---- what is shown ----------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        """Let go of the store (a lock: the view forgets what it drew) or take a new one (the
        unlock opened the store again) and draw it as it was: lanes, window, selection."""
        self._timer.stop()
        self._prefetch.stop()
        if store is None:
            for item in (self.legs, self.windows, self.events, self.reports, self.highlight):
                item.setData([], [])
            self.density.hide()
            self._xy, self._rids = np.empty((0, 2)), np.empty(0, dtype=np.int64)
            self._spans = np.empty((0, 2))
            self.current = None
            return
        window = self.window()
        self.store = store
        self.cache = FrameCache(store)
        self.rows = lane_rows(self.store, self.flt, self.by, cache=self.cache)
        self._label_lanes()
        self._fill_overview()
        self.plot.setXRange(*window, padding=0)
        self.redraw()
        self.select(self.selected)
        self._prefetch.start()

    def set_filter(self, flt: mq.MovementFilter) -> None:
        """Show ``flt`` (its time range is the brush's business: the view shows all of time)."""
        self.flt = flt.between(None, None)
        self.rows = lane_rows(self.store, self.flt, self.by, cache=self.cache)
        self._label_lanes()
        self._fill_overview()
        self.fit()

    def set_lanes(self, by: mq.LaneBy) -> None:
        self.lane_box.setCurrentIndex([k for _, k in LANE_CHOICES].index(by))

    def fit(self) -> None:
        span = self._extent = mq.extent(self.store, self.flt)
        self._prefetch.start()
        if span is None:
            self.plot.setXRange(0, 86400)
            self.redraw()
            return
        pad = max(3600, (span[1] - span[0]) // 50)
        self.plot.setXRange(float(span[0] - pad), float(span[1] + pad), padding=0)
        self.plot.setYRange(-0.5, max(len(self.rows), 1) - 0.5, padding=0)
        self.redraw()

    def _read_ahead(self) -> None:
        if self.store.conn is None or self._extent is None:
            return
        if not self.cache.prefetch(self.flt, self.by, self.rows, *self._extent):
            self._prefetch.start()

    def window(self) -> tuple[int, int]:
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        return int(x0), int(x1) + 1

    def redraw(self) -> None:
        """Ask the store for the visible window at this width and draw it."""
        self._timer.stop()
        if self.store.conn is None:  # closed (locked or signed out): nothing to ask
            return
        t0, t1 = self.window()
        width = max(50, int(self.plot.getViewBox().width()))
        f = frame(self.store, self.flt, self.by, t0, t1, width, rows=self.rows,
                  max_marks=self.max_marks, described=False, cache=self.cache,
                  mark_px=MARK_PX)
        self.current = f
        self._draw(f)
        self._set_banner(self._banner_with_labels(f.banner))
        self.brush.blockSignals(True)
        self.brush.setRegion((t0, t1))
        self.brush.blockSignals(False)
        mode = ("density" if f.marks is None else "items" if f.bins is None
                else "items; crowded lanes as density")
        self.status.setText(f"{f.total:,} in view ({mode})")

    def _draw(self, f: Frame) -> None:
        if f.marks is None:
            self.legs.setData([], [])
            self.windows.setData([], [])
            self.events.setData([], [])
            self.reports.setData([], [])
            self._xy, self._rids = np.empty((0, 2)), np.empty(0, dtype=np.int64)
            self._spans = np.empty((0, 2))
        if f.bins is None or f.bins.size == 0:  # an empty store has no lanes to bin
            self.density.hide()
        else:
            # rows upside down under a negative height: the view's own flip (lanes top to
            # bottom) cancels out, and Qt scales the image on its fast path (4x faster)
            values = np.log1p(f.bins[::-1].astype(float))
            image = np.zeros((len(f.rows), BAND_ROWS, values.shape[1]))
            image[:, 1:-1, :] = values[:, None, :]  # a white line between lanes
            self.density.setImage(image.reshape(-1, values.shape[1]),
                                  levels=(0.0, max(float(values.max()), 1e-9)))
            n = float(len(f.rows))
            self.density.setRect(float(f.t0), n - 0.5, float(f.t1 - f.t0), -n)
            self.density.show()
        if f.marks is not None:
            rows = f.row_of
            other = rows.get(OTHER, len(f.rows) - 1)
            n = len(f.marks)
            t0 = np.fromiter((m.t0 for m in f.marks), dtype=float, count=n)
            t1 = np.fromiter((m.t1 for m in f.marks), dtype=float, count=n)
            y = np.fromiter((rows.get(m.lane, other) for m in f.marks), dtype=float, count=n)
            kind = np.fromiter((_KIND_CODE[m.kind] for m in f.marks), dtype=np.int8, count=n)
            legs = kind == 1
            xs = np.empty(2 * int(legs.sum()))
            xs[0::2], xs[1::2] = t0[legs], np.maximum(t1[legs], t0[legs] + 1)
            self.legs.setData(xs, np.repeat(y[legs], 2))
            rough = (kind == 0) & (t1 > t0)
            wx = np.empty(2 * int(rough.sum()))
            wx[0::2], wx[1::2] = t0[rough], t1[rough]
            self.windows.setData(wx, np.repeat(y[rough], 2))
            point = (kind == 0) & ~rough
            ex = np.repeat(t0[point], 2)
            ex[1::2] += max((f.t1 - f.t0) / max(self.plot.getViewBox().width(), 1.0) / 4, 1e-3)
            self.events.setData(ex, np.repeat(y[point], 2))
            self.reports.setData(x=t0[kind == 2], y=y[kind == 2])
            self._xy = np.column_stack(((t0 + t1) / 2, y))
            self._spans = np.column_stack((t0, t1))  # a span is hit anywhere along it
            self._rids = np.fromiter((m.rid for m in f.marks), dtype=np.int64, count=n)
        self._draw_highlight()

    def _draw_highlight(self) -> None:
        rid = self._selected_rid
        at = np.flatnonzero(self._rids == rid) if rid is not None else []
        if len(at):
            x, y = self._xy[at[0]]
            self.highlight.setData([x], [y])
        else:
            self.highlight.setData([], [])

    def _banner_with_labels(self, banner: str) -> str:
        """The roll-up of a frame's banner and the lane labels' markings (remembered per
        banner until the labels change: a zoom rarely changes what is in view's marking)."""
        got = self._banners.get(banner)
        if got is None:
            labels = [markings.parse(m) for _, _, m in self.lane_titles.values()]
            got = markings.rollup([markings.parse(banner), *labels]).banner()
            self._banners[banner] = got
        return got

    def _set_banner(self, banner: str) -> None:
        m = markings.parse(banner)
        for bar in (self.top, self.bottom):
            bar.set_marking(m)

    def _label_lanes(self) -> None:
        """Name each lane by its item's title (a case, network or person), elided; the labels
        are marked content, so their markings join the banner."""
        keys = [k for k in self.rows if k is not None and k != OTHER and self.by != "kind"]
        self.lane_titles = titles_of(self.store, keys) if keys else {}
        self._banners = {}
        withheld: set[str] = set()
        if self.flt.destination:  # a partner's view names only what the partner may see
            dest = markings.destination(self.flt.destination)
            withheld = {k for k, (_, _, m) in self.lane_titles.items()
                        if not markings.releasable(markings.parse(m), dest)}
            self.lane_titles = {k: v for k, v in self.lane_titles.items() if k not in withheld}
        kinds = {"event": "events", "route_leg": "route legs", "report": "reports"}

        def label(key: str | None) -> str:
            if key == OTHER:
                return "other lanes"
            if key is None:
                return {"case": "no case", "network": "no network", "person": "no person"}.get(
                    self.by, "none")
            if self.by == "kind":
                return kinds.get(key, key)
            if key in withheld:
                return f"{self.by} withheld from {self.flt.destination}"
            title = self.lane_titles.get(key, ("", key, ""))[1]
            return title if len(title) <= 28 else title[:27].rstrip() + "…"

        self.lane_axis.setTicks([[(i, label(k)) for i, k in enumerate(self.rows)], []])

    def _fill_overview(self) -> None:
        span = mq.extent(self.store, self.flt)
        if span is None:
            self.bars.setData([0, 1], [0])
            return
        t0, t1 = span[0], span[1] + 1
        if self.cache.usable(self.flt, None):
            counts = self.cache.histogram(self.flt, t0, t1, 200)
        else:
            counts = bins.lane_bins(self.store, self.flt, None, t0, t1, 200, None)[None]
        edges = np.linspace(t0, t1, 201)
        self.bars.setData(edges, counts.astype(float))
        self.brush.blockSignals(True)
        self.brush.setRegion((t0, t1))
        self.brush.blockSignals(False)
        self.overview.setXRange(t0, t1, padding=0.01)

    # ---- export -----------------------------------------------------------------------------

    def figure_record(self) -> figures.FigureRecord:
        """The marking and items of what the timeline shows now (the window, in its lanes)."""
        t0, t1 = self.window()
        flt = self.flt.between(t0, t1)
        return figures.record("timeline", self.top.text(), mq.item_ids(self.store, flt),
                              {**mq.filter_record(flt), "lanes": self.by})

    def export(self, path: Path) -> figures.FigureRecord:
        """Write the timeline, banners top and bottom, to ``path`` (.png or .svg)."""
        from hstc_desk.gui.movement.export import export_plot

        self.redraw()
        return export_plot(self.plot, self.figure_record(), path)

    # ---- selection, hover, brush ------------------------------------------------------------

    def trace(self, entity_id: str | None) -> None:
        """One person's or network's events and legs in order (lanes by kind), or, with None,
        everything again."""
        if entity_id is None:
            self.set_filter(replace(self.flt, persons=(), networks=(), cases=()))
            return
        field = {"PER": "persons", "ORG": "networks", "CAS": "cases"}.get(entity_id[:3])
        if field is None:
            raise ValueError(f"{entity_id}: trace a person, a network or a case")
        self.set_lanes("kind")
        self.set_filter(replace(self.flt, **{"persons": (), "networks": (), "cases": (),
                                             field: (entity_id,)}))

    def around(self, item_id: str, *, days: float = 7) -> bool:
        """Show what happened around an item: a window of ``days`` before and after it, the item
        selected. False when the item is not on the timeline."""
        row = self.store.conn.execute(
            "SELECT m.t0, m.t1 FROM movement m JOIN items i ON i.rid = m.rid WHERE i.id = ?",
            (item_id,)).fetchone() if self.store.conn is not None else None
        if row is None:
            return False
        pad = int(days * 86400)
        self.plot.setXRange(row[0] - pad, row[1] + pad, padding=0)
        self.redraw()
        self.select(item_id)
        return True

    def set_cursor(self, t: int | None) -> None:
        """Show the playback time ``t`` as a line (the map's playback moves it); None hides it.
        A cursor that leaves the window pans the window to keep it in view."""
        if t is None:
            self.cursor.hide()
            return
        self.cursor.setPos(float(t))
        self.cursor.show()
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        if not x0 <= t <= x1:
            span = x1 - x0
            self.plot.setXRange(t - span * 0.8, t + span * 0.2, padding=0)

    def select(self, item_id: str | None) -> None:
        """Highlight ``item_id`` here (selected elsewhere: the browser or the map)."""
        self.selected = item_id
        self._selected_rid = None
        if item_id and self.store.conn is not None:
            row = self.store.conn.execute("SELECT rid FROM items WHERE id = ?",
                                          (item_id,)).fetchone()
            self._selected_rid = row[0] if row else None
        self._draw_highlight()

    def _nearest(self, scene_pos: QPointF) -> int | None:
        at = pointer(self.plot, scene_pos) if len(self._xy) else None
        if at is None:
            return None
        p, sx, sy = at
        x = p.x()
        dx = np.maximum(0.0, np.maximum(self._spans[:, 0] - x, x - self._spans[:, 1]))
        d = np.hypot(dx * sx, (self._xy[:, 1] - p.y()) * sy)
        i = int(np.argmin(d))
        return i if d[i] <= 8 else None

    def _hover(self, scene_pos: QPointF) -> None:
        i = self._nearest(scene_pos)
        if i is None:
            QToolTip.hideText()
            return
        rid = int(self._rids[i])
        about = mq.describe(self.store, rid)
        if about is None:
            return
        text = f"{about[2]} {about[1]}"
        if self.zone_box.currentData() == "item":
            text += "\n" + self.local_time_of(rid)
        view = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos).toPoint())
        QToolTip.showText(view, text, self.plot)

    def local_time_of(self, rid: int) -> str:
        """When an item began, in the local time of where it happened (a leg: where it left)."""
        row = self.store.conn.execute("SELECT t0, loc_from FROM movement WHERE rid = ?",
                                      (rid,)).fetchone()
        if row is None:
            return ""
        place = mq.places(self.store, [row[1]]).get(row[1]) if row[1] else None
        if place is None:
            return "local time unknown (no place, or a place you may not see)"
        return local_time(row[0], place.lat, place.lon)

    def _clicked(self, event: object) -> None:
        i = self._nearest(event.scenePos())  # type: ignore[attr-defined]
        about = mq.describe(self.store, int(self._rids[i])) if i is not None else None
        if about is not None:
            self.select(about[0])
            self.item_selected.emit(about[0])

    def _brushed(self) -> None:
        a, b = self.brush.getRegion()
        self.plot.setXRange(a, b, padding=0)
        self.range_selected.emit(int(a), int(b))

    def _lanes_changed(self) -> None:
        self.by = self.lane_box.currentData()
        self.rows = lane_rows(self.store, self.flt, self.by, cache=self.cache)
        self._label_lanes()
        self.plot.setYRange(-0.5, max(len(self.rows), 1) - 0.5, padding=0)
        self.redraw()
        self._prefetch.start()

    def _zone_changed(self) -> None:
        if self.zone_box.currentData() == "utc":
            offset, name = 0, "UTC"
        elif self.zone_box.currentData() == "item":  # one axis cannot be in every zone at once
            offset, name = 0, "UTC; each item's local time where you point"
        else:
            local = datetime.now(UTC).astimezone()
            delta = local.utcoffset()
            seconds = int(delta.total_seconds()) if delta else 0
            offset, name = -seconds, f"workstation time, UTC{local.strftime('%z')}"
        for axis in (self.axis, self.overview.getAxis("bottom")):
            axis.utcOffset = offset
            axis.picture = None
            axis.update()
        self.axis.setLabel(f"Time ({name})")

    # ---- keyboard: zoom and pan -------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        span = x1 - x0
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.plot.setXRange(x0 + span / 4, x1 - span / 4, padding=0)
        elif key == Qt.Key.Key_Minus:
            self.plot.setXRange(x0 - span / 2, x1 + span / 2, padding=0)
        elif key == Qt.Key.Key_Left:
            self.plot.setXRange(x0 - span / 5, x1 - span / 5, padding=0)
        elif key == Qt.Key.Key_Right:
            self.plot.setXRange(x0 + span / 5, x1 + span / 5, padding=0)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)


def kind_colour(kind: str) -> QColor:
    return QColor(KIND_COLOURS[kind])
