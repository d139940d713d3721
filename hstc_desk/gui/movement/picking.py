"""Finding what the pointer is on, in a pyqtgraph plot: the same for every movement view."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF


def pointer(plot: pg.PlotWidget, scene_pos: QPointF) -> tuple[QPointF, float, float] | None:
    """Where ``scene_pos`` is in the plot's data coordinates, with how many pixels one unit of
    x and of y spans there (so distances can be measured on screen); None outside the plot."""
    vb = plot.getViewBox()
    if not vb.sceneBoundingRect().contains(scene_pos):
        return None
    (x0, x1), (y0, y1) = vb.viewRange()
    return (vb.mapSceneToView(scene_pos), vb.width() / max(x1 - x0, 1e-9),
            vb.height() / max(abs(y1 - y0), 1e-9))
