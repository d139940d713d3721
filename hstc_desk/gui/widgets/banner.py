"""Classification banner bars in the standard colours, and the colour rule they use."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from hstc_desk import markings
from hstc_desk.markings import Clearance, Level, Marking

TOP_BANNER, BOTTOM_BANNER = "topBanner", "bottomBanner"

# (background, text): UNCLASSIFIED green, CONFIDENTIAL blue, SECRET red, TOP SECRET orange,
# TOP SECRET with SCI yellow.
COLOURS: dict[str, tuple[str, str]] = {
    "U": ("#007a33", "#ffffff"),
    "C": ("#0033a0", "#ffffff"),
    "S": ("#c8102e", "#ffffff"),
    "TS": ("#ff8c00", "#000000"),
    "TS-SCI": ("#fce83a", "#000000"),
}


def colour_key(level: Level, sci: frozenset[str] | set[str] = frozenset()) -> str:
    if level == Level.TS and sci:
        return "TS-SCI"
    return level.name


def banner_colours(marking: Marking) -> tuple[str, str]:
    return COLOURS[colour_key(marking.level, marking.sci)]


def clearance_banner(text: str | Clearance) -> Marking:
    """The banner marking of a system high / clearance string like ``TS//HCS/SI/TK``."""
    c = markings.parse_clearance(text) if isinstance(text, str) else text
    return Marking(c.level, sci=c.sci)


class BannerBar(QLabel):
    """One banner line: the banner text centred on its classification colour."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "banner") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMargin(3)
        self.marking: Marking | None = None

    def set_marking(self, marking: Marking | None) -> None:
        self.marking = marking
        if marking is None:
            self.setText("")
            self.setStyleSheet("")
            return
        bg, fg = banner_colours(marking)
        self.setText(marking.banner())
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; font-weight: bold; letter-spacing: 1px; }}")


def rollup_of(marks: Iterable[str]) -> Marking | None:
    """The roll-up of portion marks as they are shown (None when nothing marked is shown)."""
    parsed = [markings.parse(m) for m in marks if m]
    return markings.rollup(parsed) if parsed else None


class Banners:
    """A banner top and bottom around a window or dialog, edge to edge: the window's own layout
    moves between them. Call it once the window's layout is built; ``set_marking`` changes both.

    Every top-level window or dialog that shows or can show marked content is framed this way
    (``topBanner`` / ``bottomBanner`` by object name, like the main window's)."""

    def __init__(self, window: QWidget, marking: Marking | None = None) -> None:
        self.top = BannerBar(window, name=TOP_BANNER)
        self.bottom = BannerBar(window, name=BOTTOM_BANNER)
        body = QWidget(window, objectName="bannerBody")
        inner = window.layout()
        if inner is not None:
            body.setLayout(inner)  # Qt takes the layout (and its widgets) off the window
        outer = QVBoxLayout()
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.top)
        outer.addWidget(body, 1)
        outer.addWidget(self.bottom)
        window.setLayout(outer)
        self.body = body
        self.set_marking(marking)

    @property
    def marking(self) -> Marking | None:
        return self.top.marking

    def set_marking(self, marking: Marking | None) -> None:
        for bar in (self.top, self.bottom):
            bar.set_marking(marking)
