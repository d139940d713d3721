"""Column widths for the item table that fill the table at any window size.

The Title column stretches and never drops below ``TITLE_MIN`` while there is room for it; Kind,
Originator and Date take the width of their longest usual value (from the font's metrics, not
the data, so no row is read to lay out the header); Marking and Case shrink toward a floor, and
the Case column steps aside (hidden) when even its floor would squeeze the title. The layout is
re-applied whenever the view's width changes or a model is set (setting a model, as unlocking
does, resets a header's sections).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from hstc_desk.domain import KINDS

TITLE_MIN = 300
KIND, TITLE, MARKING, ORIGINATOR, DATE, CASE = range(6)
# The longest usual value of each column (the widths follow the font in use).
SAMPLES: dict[int, tuple[str, ...]] = {
    KIND: tuple(k.replace("_", " ") for k in KINDS),  # every kind, as the column shows it
    MARKING: ("(S//SI//REL TO USA, FVEY)",), ORIGINATOR: ("INTERPOL",), DATE: ("2026-12-03",),
    CASE: ("(U//FOUO) Operation Winter",)}
FLOORS: dict[int, tuple[str, ...]] = {MARKING: ("(S//REL TO USA, GBR)",),
                                      CASE: ("(U) Operation",)}
PAD = 12  # a cell's margins, both sides
ARROW = 14  # a header's sort arrow


class ColumnFitter(QObject):
    """Keeps ``view``'s columns laid out as the module says; ``fit()`` applies it now."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self.fit()
        return False

    def _text_width(self, texts: tuple[str, ...], header: str) -> int:
        fm = QFontMetrics(self.view.font())
        cell = max(fm.horizontalAdvance(t) for t in texts)
        bold = QFont(self.view.horizontalHeader().font())
        bold.setBold(True)
        # a header label also needs room for the sort arrow beside it
        head = QFontMetrics(bold).horizontalAdvance(header) + ARROW
        return max(cell, head) + PAD

    def widths(self, available: int) -> dict[int, int]:
        """Column -> width for a viewport ``available`` pixels wide; Case 0 means hidden."""
        model = self.view.model()
        h = Qt.Orientation.Horizontal
        headers = {c: str(model.headerData(c, h) or "") if model is not None else ""
                   for c in SAMPLES}
        out = {c: self._text_width(SAMPLES[c], headers[c]) for c in SAMPLES}
        floors = {c: self._text_width(FLOORS[c], headers[c]) for c in FLOORS}
        fixed = out[KIND] + out[ORIGINATOR] + out[DATE]
        rest = available - fixed - out[MARKING]  # what Title and Case share
        if rest - out[CASE] >= TITLE_MIN:
            return out
        if rest - floors[CASE] >= TITLE_MIN:
            out[CASE] = rest - TITLE_MIN
            return out
        out[CASE] = 0
        if rest < TITLE_MIN:
            out[MARKING] = max(floors[MARKING], out[MARKING] - (TITLE_MIN - rest))
        return out

    def fit(self) -> None:
        view = self.view
        if view.model() is None:
            return
        header = view.horizontalHeader()
        available = view.viewport().width()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in self.widths(available).items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            view.setColumnHidden(column, width == 0)
            if width:
                view.setColumnWidth(column, width)

