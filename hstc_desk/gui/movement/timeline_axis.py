"""The timeline's date axis: pyqtgraph's, made cheaper to paint on every zoom and pan.

pyqtgraph's ``DateAxisItem`` draws every level of ticks it chooses, each with a grid line across
the plot: over ten years that is 120 month lines (a grid of mush and 10-15 ms a paint). This axis
keeps a finer level only when its ticks stand at least ``MIN_TICK_PX`` apart, and remembers the
text of each tick (the same dates come back on every pan step) and the ticks of the last range
(a filter change repaints the same one).
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg

MIN_TICK_PX = 28
"""A finer level of ticks (and its grid lines) is drawn only when its ticks are this far apart."""


class TimeAxis(pg.DateAxisItem):
    """A ``DateAxisItem`` with fewer, readable tick levels and remembered tick text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts: dict[tuple[float, float, Any, str], str] = {}
        self._last_key: tuple[float, float, float, Any] | None = None
        self._last_level: Any = None
        self._last_values: list = []

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        key = (minVal, maxVal, size, self.utcOffset)
        if key == self._last_key:  # a repaint of the same range (a filter change, a resize)
            self.zoomLevel = self._last_level
            return self._last_values
        levels = super().tickValues(minVal, maxVal, size)
        if len(levels) > 1:
            fit = max(1.0, size / MIN_TICK_PX)
            levels = [levels[0], *(lv for lv in levels[1:] if len(lv[1]) <= fit)]
        self._last_key, self._last_level, self._last_values = key, self.zoomLevel, levels
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        fmt = next((s.format for s in self.zoomLevel.tickSpecs if s.spacing == spacing), "")
        out: list[str] = []
        missing = [v for v in values if (v, spacing, self.utcOffset, fmt) not in self._texts]
        if missing:
            if len(self._texts) > 4096:  # a long session: start again rather than grow
                self._texts.clear()
            for v, text in zip(missing, super().tickStrings(missing, scale, spacing),
                               strict=True):
                self._texts[(v, spacing, self.utcOffset, fmt)] = text
        for v in values:
            out.append(self._texts[(v, spacing, self.utcOffset, fmt)])
        return out
